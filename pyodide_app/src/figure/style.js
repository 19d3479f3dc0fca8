// How a figure looks, apart from its geometry: colours (hues, lights, sizes and
// the range each node is normalised over), decorations (guides, grid, sign rings,
// arrows, legends, axes) and spin.  The scene's settings are the defaults; the
// reader's changes (setColors, setDeco) are kept here across scene rebuilds and
// applied over them.  Applying writes uniforms and visibility only: nothing is
// rebuilt and no value is recomputed.

import * as THREE from "three";

/** Viewer-only deco keys, beside the scene's `settings.deco`. */
const VIEWER_DECO = { grid: 1, sign_rings: 1 };
/** Legend size that scale 1 means when the scene's is 0 (hidden): core/spec/sections.py's default. */
const DEFAULT_LEGENDS = 6;

/**
 * (absmin, absmax) of |x| that node `path` is coloured over under sensitivity `mode`,
 * as the scene header ships it: `color_ranges[mode][path]`, computed once by the
 * Python core (core/colors.py `ranges_by_sensitivity`).  Nothing is recomputed
 * here, so a reader's sensitivity switch costs no pass over the values.  A mode the
 * header does not list (none given) falls back to `ranges[path]`, the node's range
 * under the sensitivity it was built with.
 *
 * @param {object} header a decoded scene header (`ranges`, `color_ranges`)
 * @param {string} path a node's path, e.g. "root.left"
 * @param {string} [mode] "global" | "semilocal" | "local" | "superlocal"
 * @returns {number[]} [absmin, absmax]; [0, 0] for a node the header does not know
 */
export function colorRange(header, path, mode) {
  const table = header.color_ranges && header.color_ranges[mode];
  if (table && table[path]) return table[path];
  return (header.ranges && header.ranges[path]) || [0, 0];
}

/**
 * The uniforms matrix.frag colours a value with: its range, hues, lights and sizes.
 * @returns {{uRange: object, uHue: object, uLight: object, uSize: object}}
 */
export function colorUniforms() {
  return {
    uRange: { value: new THREE.Vector2(0, 1) },
    uHue: { value: new THREE.Vector3() },
    uLight: { value: new THREE.Vector2() },
    uSize: { value: new THREE.Vector2() },
  };
}

/**
 * Write colour settings `c` (keys of settings.colors) and the range [lo, hi] into
 * uniforms made by `colorUniforms`.
 */
export function setColorUniforms(u, c, lo, hi) {
  u.uHue.value.set(+c.zero_hue, +c.hue_gap, +c.hue_spread);
  u.uLight.value.set(+c.min_light, +c.max_light);
  u.uSize.value.set(+c.min_size, +c.elem_scale);
  u.uRange.value.set(lo, hi);
}

export class Style {
  /** No scene yet: `update(header)` gives the defaults. */
  constructor() {
    this.header = null;
    this.settings = {};
    this.colorOverrides = { all: {}, byPath: Object.create(null) };
    this.decoOverrides = {};
    this.deco = null; // the scene's deco with the reader's changes over it
    this.baseLegendSize = DEFAULT_LEGENDS;
    this.spin = 0; // mm's unit: spin/20000 rad per ms about the world's Y axis
    /** matrix.frag uDeco: row guides, grid, sign rings (shared by every quad). */
    this.decoUniform = { value: new THREE.Vector3() };
    /** The same for the animation's planes: no guides, no grid. */
    this.planeDecoUniform = { value: new THREE.Vector3() };
  }

  /** Take a new scene's settings; the reader's changes stay on top (spin does not). */
  update(header) {
    this.header = header;
    const settings = header.settings || {};
    this.settings = settings;
    const legends = Number(settings.deco && settings.deco.legends);
    this.baseLegendSize = legends > 0 ? legends : DEFAULT_LEGENDS;
    this.deco = Object.assign({}, VIEWER_DECO, settings.deco || {}, this.decoOverrides);
    const anim = settings.anim || {};
    this.spin = Number(anim.spin || (header.animation && header.animation.spin) || 0);
  }

  /** Colour settings of node `path`: the scene's, the node's, then the reader's. */
  colorsFor(path) {
    const s = this.settings;
    return Object.assign(
      {},
      s.colors || {},
      (s.node_colors && s.node_colors[path]) || {},
      this.colorOverrides.all,
      this.colorOverrides.byPath[path] || {},
    );
  }

  /** Keep colour changes (keys of settings.colors); `path` limits them to one node. */
  setColors(partial, path = null) {
    const target = path === null ? this.colorOverrides.all : (this.colorOverrides.byPath[path] ||= {});
    Object.assign(target, partial);
  }

  /** Keep decoration changes (keys of settings.deco, and grid, sign_rings). */
  setDeco(partial) {
    Object.assign(this.decoOverrides, partial);
    if (this.deco) Object.assign(this.deco, partial);
  }

  /**
   * Write every node's colours into its uniforms (SceneGraph `nodeUniforms`).
   * @param {Map<string, object>} nodeUniforms node path -> `colorUniforms()`
   */
  applyColors(nodeUniforms) {
    for (const [path, u] of nodeUniforms) {
      const c = this.colorsFor(path);
      const r = colorRange(this.header, path, c.sensitivity);
      setColorUniforms(u, c, r[0], r[1]);
    }
  }

  /**
   * Show the decorations: deco uniforms, flow arrows and axes, legends.
   * @param {import("./scenegraph.js").SceneGraph} graph
   * @param {import("./labels.js").Labels} labels
   */
  applyDeco(graph, labels) {
    const d = this.deco;
    this.decoUniform.value.set(Math.max(0, +d.row_guides || 0), Math.max(0, +d.grid || 0), d.sign_rings ? 1 : 0);
    this.planeDecoUniform.value.set(0, 0, d.sign_rings ? 1 : 0);
    graph.setFlowGuides(Math.max(0, Math.min(1, +d.flow_guides || 0)));
    const legends = +d.legends || 0;
    labels.configure({
      visible: legends > 0,
      scale: legends / this.baseLegendSize,
      shape: d.shape !== false,
    });
    graph.showAxes(Boolean(d.axes));
  }
}
