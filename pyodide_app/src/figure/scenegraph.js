// The THREE.Scene of one scene file: one quad per matrix block (per texture tile)
// drawn by matrix.frag from the values in float textures, the flow arrows, the
// optional world axes, and a group for the animation's planes.  The scene file
// stays plain data (header + buffers); this holds every GL object made from it
// and frees them all in dispose().
//
// Uniform objects are shared rather than copied, so a change is one write:
// per node (`uniformsFor`: colour range, hues, lights, sizes; figure/style.js
// sets them), per view (`view.uniforms`: reveal, highlight, dim; the animation
// sets them; `view.marked`: the spec's highlight, figure/highlight.js) and per figure
// (`shared`: deco).  The page's palette is a define of matrix.frag (LIGHT): `setTheme`.

import * as THREE from "three";
import { BIG, NO_RECT, REVEAL_ALL } from "../anim/animstate.js";
import { tileTextures } from "../gl/textures.js";
import { colorUniforms } from "./style.js";
import { highlightUniforms } from "./highlight.js";
import { THEMES } from "./theme.js";
import matrixVert from "../gl/shaders/matrix.vert";
import matrixFrag from "../gl/shaders/matrix.frag";
import arrowVert from "../gl/shaders/arrow.vert";
import arrowFrag from "../gl/shaders/arrow.frag";

const FLOW_COLORS = ["#4d7fff", "#ff4d4d"]; // left argument's vane, right argument's (as the poster)
const AXES_LENGTH = 128; // world units from the origin (deco.axes)
const AXES_REACH = 140; // the clip planes' reach from the centre while the axes show

/**
 * The uniforms of matrix.frag that an animation step sets (reveal, highlight, dim),
 * at rest: everything shown, nothing highlighted.
 */
export function stepUniforms() {
  return {
    uReveal: { value: new THREE.Vector4().fromArray(REVEAL_ALL) },
    uRevealMod: { value: [BIG, BIG] },
    uHighlight: { value: new THREE.Vector4().fromArray(NO_RECT) },
    uHighlightMod: { value: [BIG, BIG] },
    uDim: { value: 1 },
  };
}

/**
 * The material of a quad drawn by matrix.vert/.frag: a matrix block, or an animation
 * plane (uniforms `uPlane`, and `uProduct` for products).  Every such quad is made here,
 * so the warm-up (warmup.js) compiles exactly the programs the figures will ask for.
 * Matrix blocks and product planes share one program, so each material sets `uPlane` and
 * `uProduct` (false unless given): a uniform keeps the last draw's value otherwise.
 *
 * @param {Object<string, string>} defines LIGHT on a light page (themeDefines); PARTIAL,
 *   ACCUM or none; HIGHLIGHT for a matrix that shows a highlight (setDefine)
 * @param {object} uniforms
 */
export function matrixMaterial(defines, uniforms) {
  return new THREE.RawShaderMaterial({
    glslVersion: THREE.GLSL3,
    vertexShader: matrixVert,
    fragmentShader: matrixFrag,
    side: THREE.DoubleSide,
    defines,
    uniforms: Object.assign({ uPlane: { value: false }, uProduct: { value: false } }, uniforms),
  });
}

/** matrix.frag's defines for a page in `theme` ("dark" or "light": theme.js). */
export function themeDefines(theme) {
  return theme === "light" ? { LIGHT: "" } : {};
}

/**
 * Compile `material` (a matrixMaterial) with or without define `name`: HIGHLIGHT (a quad
 * without a highlight runs none of its code, and its program, the one warmup.js
 * compiles, is smaller) or LIGHT.  Switching recompiles at the next draw (three.js caches
 * each variant).
 */
export function setDefine(material, name, on) {
  if (on === name in material.defines) return;
  if (on) material.defines[name] = "";
  else delete material.defines[name];
  material.needsUpdate = true;
}

/**
 * The flow arrows' material (arrow.vert/.frag): vertex colours at uOpacity, blended;
 * opaque for the world axes.
 */
export function arrowMaterial(transparent = true) {
  return new THREE.RawShaderMaterial({
    glslVersion: THREE.GLSL3,
    vertexShader: arrowVert,
    fragmentShader: arrowFrag,
    uniforms: { uOpacity: { value: transparent ? 0.55 : 1 } },
    transparent,
    side: THREE.DoubleSide,
    // One draw per vane, one program: the vanes are single flat triangles, so three's
    // back-then-front pass for transparent double-sided materials buys nothing.
    forceSinglePass: true,
    depthWrite: false,
  });
}

/**
 * The world axes from the origin, `length` long: x red, y green, z blue, each fading to
 * a lighter tint at its end, as three's AxesHelper draws them (whose material needs
 * three's built-in shaders, which the bundle leaves out: build.mjs).  Colours in sRGB
 * (arrow.frag draws them as they are): AxesHelper's 0.6 in linear light is 0.8.
 */
function worldAxes(length, geometry, material) {
  const L = length;
  const position = [0, 0, 0, L, 0, 0, 0, 0, 0, 0, L, 0, 0, 0, 0, 0, 0, L];
  const color = [1, 0, 0, 1, 0.8, 0, 0, 1, 0, 0.8, 1, 0, 0, 0, 1, 0, 0.8, 1];
  geometry.setAttribute("position", new THREE.Float32BufferAttribute(position, 3));
  geometry.setAttribute("color", new THREE.Float32BufferAttribute(color, 3));
  return new THREE.LineSegments(geometry, material);
}

/** A point or direction of the scene header ([x, y, z]) as a THREE.Vector3. */
export function v3(a) {
  return new THREE.Vector3(a[0], a[1], a[2]);
}

export class SceneGraph {
  /**
   * The scene, its bounds and (empty) layers; `buildViews` adds the matrices.
   *
   * @param {object} header the decoded scene header
   * @param {Object<string, object>} buffers the decoded buffers (decodeScene)
   * @param {{maxSide: number, theme: string, shared: {uDeco: object}}} options
   *   the longest texture side, the page's palette ("dark" | "light"), and the per-figure
   *   uniforms
   */
  constructor(header, buffers, { maxSide, theme, shared }) {
    this.header = header;
    this.buffers = buffers;
    this.maxSide = maxSide;
    this.theme = theme;
    this.shared = shared;
    this.nodes = new Map((header.nodes || []).map((n) => [n.path, n]));
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(THEMES[theme].paper);
    this.scene.matrixWorldAutoUpdate = true;
    const lo = v3(header.bbox[0]);
    const hi = v3(header.bbox[1]);
    this.bbox = new THREE.Box3(lo, hi);
    this.center = this.bbox.getCenter(new THREE.Vector3());
    this.radius = Math.max(1, lo.distanceTo(hi) / 2);
    this.views = [];
    this.nodeUniforms = new Map(); // node path -> uniforms shared by its quads
    this.layers = new THREE.Group(); // the animation's planes
    this.arrows = null;
    this.arrowMaterial = null;
    this.axes = null; // made on first use (deco.axes)
    this._textures = new Map(); // buffer name -> tiles
    this._owned = []; // geometries and materials, disposed with the graph
  }

  /**
   * Add one group of quads per matrix, the flow arrows, then the layers.
   * @param {((view: object) => ({defines: object, uniforms: object} | null)) | null} quadExtras
   *   extra shader defines and uniforms for a view's quads (the animation's running sums)
   */
  buildViews(quadExtras) {
    this.views = this.header.matrices.map((m) => this.buildView(m, quadExtras));
    this.buildArrows(this.header.cubes || []);
    this.scene.add(this.layers);
  }

  /**
   * Show `highlights` (node path -> {rows, cols, cells}: a named view's) in place of
   * the spec's own; null shows the spec's own again.  Uniform values only.
   */
  showHighlights(highlights) {
    for (const view of this.views) {
      const node = highlights ? { highlight: highlights[view.node.path] || null } : view.node;
      const next = highlightUniforms(node, view.data.shape);
      if (view.markedTexture) view.markedTexture.dispose();
      view.markedTexture = next.texture;
      if (next.texture) this.own(next.texture);
      for (const [key, u] of Object.entries(next.uniforms)) view.marked[key].value = u.value;
      for (const mesh of view.meshes) setDefine(mesh.material, "HIGHLIGHT", Boolean(next.texture));
    }
  }

  /** Show the scene in `theme` ("dark" | "light"): the stage colour, matrix.frag's LIGHT. */
  setTheme(theme) {
    this.theme = theme;
    this.scene.background.setHex(THEMES[theme].paper);
    for (const obj of this._owned) {
      if (obj.fragmentShader === matrixFrag) setDefine(obj, "LIGHT", theme === "light");
    }
  }

  /** A matrixMaterial in the scene's palette, kept until dispose(). */
  matrixMaterial(defines, uniforms) {
    return this.own(matrixMaterial(Object.assign(themeDefines(this.theme), defines), uniforms));
  }

  /** Keep `obj` (a geometry or material) until dispose(); returns it. */
  own(obj) {
    this._owned.push(obj);
    return obj;
  }

  /** Value textures of one scene buffer (`tileTextures`), made once. */
  texturesFor(name) {
    let tiles = this._textures.get(name);
    if (tiles) return tiles;
    const buf = this.buffers[name];
    if (!buf) throw new Error(`scene buffer ${JSON.stringify(name)} is missing`);
    tiles = tileTextures(buf, this.maxSide);
    this._textures.set(name, tiles);
    return tiles;
  }

  /** Per-node colour uniforms, shared by every quad that shows the node. */
  uniformsFor(path) {
    let u = this.nodeUniforms.get(path);
    if (!u) {
      u = colorUniforms();
      this.nodeUniforms.set(path, u);
    }
    return u;
  }

  buildView(m, quadExtras) {
    const node = this.nodes.get(m.node);
    if (!node) throw new Error(`matrix ${JSON.stringify(m.name)} shows unknown node ${JSON.stringify(m.node)}`);
    const transposed = Boolean(node.transposed);
    const a0 = v3(m.axes[0]);
    const a1 = v3(m.axes[1]);
    const view = {
      data: m,
      node,
      buffer: this.buffers[node.buffer],
      transposed,
      a0,
      a1,
      normal: new THREE.Vector3().crossVectors(a0, a1).normalize(),
      visible: true,
      meshes: [],
      uniforms: stepUniforms(),
    };
    // The spec's highlight (rows, columns, cells of this node), shared by its quads.
    const marked = highlightUniforms(node, m.shape);
    if (marked.texture) this.own(marked.texture);
    view.marked = marked.uniforms;
    view.markedTexture = marked.texture;
    const nodeU = this.uniformsFor(m.node);
    const tiles = this.texturesFor(node.buffer);
    const extra = quadExtras ? quadExtras(view) : null;
    const group = new THREE.Group();
    group.name = m.name;
    for (const block of m.blocks) {
      for (const tile of tiles) {
        // The tile's rows/cols in view coordinates.
        const vr0 = transposed ? tile.col0 : tile.row0;
        const vr1 = vr0 + (transposed ? tile.cols : tile.rows);
        const vc0 = transposed ? tile.row0 : tile.col0;
        const vc1 = vc0 + (transposed ? tile.rows : tile.cols);
        const r0 = Math.max(block.rows[0], vr0);
        const r1 = Math.min(block.rows[1], vr1);
        const c0 = Math.max(block.cols[0], vc0);
        const c1 = Math.min(block.cols[1], vc1);
        if (r1 <= r0 || c1 <= c0) continue;
        group.add(this.buildQuad(view, block, tile, [r0, r1, c0, c1], nodeU, extra));
      }
    }
    this.scene.add(group);
    view.group = group;
    return view;
  }

  buildQuad(view, block, tile, [r0, r1, c0, c1], nodeU, extra) {
    const { a0, a1 } = view;
    const origin = v3(block.origin);
    // Block-local cell coordinates of the corners.
    const a = r0 - block.rows[0];
    const b = r1 - block.rows[0];
    const c = c0 - block.cols[0];
    const d = c1 - block.cols[0];
    const corner = (r, k) => origin.clone().addScaledVector(a0, r).addScaledVector(a1, k);
    const pts = [corner(a, c), corner(b, c), corner(b, d), corner(a, d)];
    const centre = pts[0].clone().add(pts[2]).multiplyScalar(0.5);
    const positions = new Float32Array(12);
    pts.forEach((p, n) => p.clone().sub(centre).toArray(positions, n * 3));
    const geometry = this.own(new THREE.BufferGeometry());
    geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute("aCell", new THREE.BufferAttribute(new Float32Array([a, c, b, c, b, d, a, d]), 2));
    geometry.setIndex([0, 1, 2, 0, 2, 3]);
    const defines = Object.assign({}, extra ? extra.defines : {}, view.markedTexture ? { HIGHLIGHT: "" } : {});
    const material = this.matrixMaterial(defines, {
      uValues: { value: tile.texture },
      uTileOrigin: { value: [tile.row0, tile.col0] },
      uTileSize: { value: [tile.rows, tile.cols] },
      uTransposed: { value: view.transposed },
      uBlockStart: { value: [block.rows[0], block.cols[0]] },
      uBlockSize: { value: new THREE.Vector2(block.rows[1] - block.rows[0], block.cols[1] - block.cols[0]) },
      ...nodeU,
      ...this.shared,
      ...view.uniforms,
      ...view.marked,
      ...(extra ? extra.uniforms : {}),
    });
    const mesh = new THREE.Mesh(geometry, material);
    mesh.position.copy(centre);
    mesh.matrixAutoUpdate = false;
    mesh.updateMatrix();
    view.meshes.push(mesh);
    return mesh;
  }

  buildArrows(cubes) {
    this.arrowMaterial = this.own(arrowMaterial());
    this.arrows = new THREE.Group();
    // sRGB components as written: arrow.frag draws them as they are.
    const colors = FLOW_COLORS.map((c) => new THREE.Color().setHex(parseInt(c.slice(1), 16), THREE.NoColorSpace));
    for (const cube of cubes) {
      if (!cube.arrow) continue;
      const pos = new Float32Array(18);
      const col = new Float32Array(18);
      [cube.arrow.left_vane, cube.arrow.right_vane].forEach((vane, s) => {
        vane.forEach((p, n) => {
          pos.set(p, (s * 3 + n) * 3);
          col.set([colors[s].r, colors[s].g, colors[s].b], (s * 3 + n) * 3);
        });
      });
      const geometry = this.own(new THREE.BufferGeometry());
      geometry.setAttribute("position", new THREE.BufferAttribute(pos, 3));
      geometry.setAttribute("color", new THREE.BufferAttribute(col, 3));
      const mesh = new THREE.Mesh(geometry, this.arrowMaterial);
      mesh.renderOrder = 1;
      this.arrows.add(mesh);
    }
    this.scene.add(this.arrows);
  }

  /** Flow arrows: hidden at 0, more opaque towards 1 (deco.flow_guides). */
  setFlowGuides(flow) {
    this.arrows.visible = flow > 0;
    this.arrowMaterial.uniforms.uOpacity.value = 0.3 + 0.5 * flow;
  }

  /** Show or hide the world axes (made on first show). */
  showAxes(show) {
    if (show && !this.axes) {
      this.axes = worldAxes(AXES_LENGTH, this.own(new THREE.BufferGeometry()), this.own(arrowMaterial(false)));
      this.scene.add(this.axes);
    }
    if (this.axes) this.axes.visible = show;
  }

  /** How far from the centre there is something to draw (the axes reach beyond the scene). */
  get reach() {
    const r = this.radius * 1.5;
    return this.axes && this.axes.visible ? Math.max(r, AXES_REACH) : r;
  }

  /** Every texture made here (value tiles, highlight masks); their CPU copies stay. */
  textures() {
    const out = this._owned.filter((obj) => obj.isTexture);
    for (const tiles of this._textures.values()) for (const t of tiles) out.push(t.texture);
    return out;
  }

  /** three.js rebuilt its GL state: upload the textures again from their CPU copies. */
  onContextRestored() {
    for (const tiles of this._textures.values()) for (const t of tiles) t.texture.needsUpdate = true;
  }

  /** Free every geometry, material and texture made here; the scene is emptied. */
  dispose() {
    for (const d of this._owned) d.dispose();
    this._owned = [];
    for (const tiles of this._textures.values()) for (const t of tiles) t.texture.dispose();
    this._textures.clear();
    this.scene.clear();
    this.views = [];
    this.nodeUniforms.clear();
  }
}
