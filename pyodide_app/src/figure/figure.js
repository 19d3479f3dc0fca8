// One figure: fetches its scene file, builds a THREE.Scene from it (one quad per
// matrix block, values in float textures, flow arrows, axes), owns its camera,
// controls, legends and inspector, and draws through the page's shared renderer.
//
// Module layout (create / update / render / dispose):
//   figure.js    scene building, camera, colours and deco uniforms, lifecycle
//   renderer.js  the shared WebGL context and the on-demand frame loop
//   labels.js    legends as DOM text        tooltip.js  value inspection
//   controls.js  orbit/keyboard/toolbar     shaders/    matrix.vert, matrix.frag
//
// The animation (animation.js, when the scene has tracks) sets the per-view
// uReveal / uHighlight / uDim uniforms (`views[n].uniforms`), reads the value
// textures (`texturesFor(bufferName)`), puts its planes in `layers`, and steps from
// a ticker: `addTicker(fn)` runs fn(now) every frame while the figure is on screen
// (fn returns true to keep frames coming, and calls markDirty() when it changed
// something to draw).  For tests and tools: `fig.player`, `fig.seek(step)`,
// `fig.stepTiming` (ms of JavaScript of the last animation step).

import * as THREE from "three";
import { decodeScene } from "../format/scenefile.js";
import * as gpu from "../gl/renderer.js";
import { maxTextureSide, tileTextures } from "../gl/textures.js";
import { Labels } from "./labels.js";
import { Inspector } from "../input/inspector.js";
import { Controls } from "../input/controls.js";
import { Animator } from "../anim/animator.js";
import { Editor } from "../live/editor.js";
import { liveConfig } from "../live/pageruntime.js";
import { decodeUrlState, encodeUrlState } from "../format/urlstate.js";
import { THEMES, followTheme } from "./theme.js";
import { colorRange } from "./style.js";
import { copyText, downloadPng, fullViewHref } from "./share.js";
import { BIG, NO_RECT, REVEAL_ALL } from "../anim/animstate.js";
import matrixVert from "../gl/shaders/matrix.vert";
import matrixFrag from "../gl/shaders/matrix.frag";

export const NO_WEBGL_MESSAGE = "Interactive view needs WebGL 2; showing a static picture.";
const FLOW_COLORS = ["#4d7fff", "#ff4d4d"]; // left argument's vane, right argument's (as the poster)
const Y_AXIS = new THREE.Vector3(0, 1, 0);

/** Viewer-only deco keys, beside the scene's `settings.deco`. */
const VIEWER_DECO = { grid: 1, sign_rings: 1 };

function v3(a) {
  return new THREE.Vector3(a[0], a[1], a[2]);
}

function oneLine(message) {
  return String(message || "unknown error").split("\n")[0].slice(0, 300);
}

export class Figure {
  /**
   * @param {HTMLElement} el a `figure.mm-figure` placeholder
   * @param {{assetsBase: URL|string, reducedMotion: boolean}} options
   */
  constructor(el, { assetsBase, reducedMotion = false, runtime = () => null } = {}) {
    this.el = el;
    this.runtime = runtime; // () => the page's Runtime or null (live editing off)
    this.editor = null; // the reader's editor, created on first open (editor.js)
    this.edited = false; // showing a scene computed in the browser, not the page's file
    this._specState = null; // pending #mm= encoding of the edited spec
    this._originalSpec = el.getAttribute("data-mm-spec");
    this.id = el.id || "";
    this.assetsBase = assetsBase;
    this.reducedMotion = reducedMotion;
    this.state = "poster";
    this.disposed = false;
    this.near = false; // within the loading margin: drawn once
    this.onScreen = false; // intersecting the viewport: redrawn on change
    this.built = false;
    this.firstFrame = false;
    this.cssSize = [0, 0];
    this.pixelSize = [1, 1];
    this.views = null;
    this.tickers = new Set();
    this.timings = {};
    this._lastTick = 0;
    this._abort = null;
    this._disposables = []; // geometries, materials, textures
    this._textures = new Map(); // buffer name -> tiles
    // Reader's visual changes: kept across scene rebuilds, applied over the scene's settings.
    this.colorOverrides = { all: {}, byPath: Object.create(null) };
    this.decoOverrides = {};
    this.theme = "dark"; // the page's palette (theme.js): "dark" | "light"
    this.themeUniform = { value: THEMES.dark.uniform }; // matrix.frag uTheme, shared by every quad
  }

  // ------------------------------------------------------------------ lifecycle

  /** Create the DOM and start loading. Errors end in state "error", never a throw. */
  start() {
    this.setState("loading");
    try {
      this.shared = gpu.sharedRenderer();
    } catch (err) {
      this.fail(err instanceof gpu.NoWebGLError ? NO_WEBGL_MESSAGE : "WebGL error: " + oneLine(err.message));
      return;
    }
    this.createDom();
    this._unfollowTheme = followTheme(this);
    gpu.register(this);
    this.load();
  }

  createDom() {
    const stage = document.createElement("div");
    stage.className = "mm-stage";
    if (!this.el.querySelector(":scope > .mm-poster")) stage.classList.add("mm-stage-flow");
    const canvas = document.createElement("canvas");
    canvas.className = "mm-canvas";
    canvas.setAttribute("aria-hidden", "true");
    stage.appendChild(canvas);
    const caption = this.el.querySelector(":scope > figcaption");
    this.el.insertBefore(stage, caption);
    this.stage = stage;
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d", { alpha: false });
    this._resize = new ResizeObserver(() => this.measure());
    this._resize.observe(stage);
    this.measure();
  }

  async load() {
    const src = this.el.getAttribute("data-mm-scene");
    if (!src) {
      // A spec without a precomputed scene (a full-view link, precompute off): compute it here.
      if (this.el.getAttribute("data-mm-spec") && this.runtime()) this.compute();
      else this.fail("This figure names no scene file (data-mm-scene).");
      return;
    }
    let bytes;
    this._abort = typeof AbortController === "function" ? new AbortController() : null;
    try {
      const url = new URL(src, document.baseURI);
      const response = await fetch(url, { signal: this._abort ? this._abort.signal : undefined });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = await response.arrayBuffer();
    } catch (err) {
      if (this.disposed) return;
      this.fail("Could not load the figure data (" + oneLine(err && err.message) + ").");
      return;
    }
    if (this.disposed) return;
    this.timings.bytes = performance.now();
    performance.mark("mm:scene-bytes:" + this.id);
    this.show(bytes);
  }

  /** Build from scene-file bytes and draw the first frame (used by load and by tests). */
  show(bytes) {
    let scene;
    try {
      scene = decodeScene(bytes);
    } catch (err) {
      this.fail("The figure data could not be read: " + oneLine(err.message));
      return;
    }
    try {
      this.build(scene);
    } catch (err) {
      this.fail("The figure could not be drawn: " + oneLine(err.message));
      if (typeof console !== "undefined") console.warn("mm-docs viewer:", err);
      return;
    }
    this.built = true;
    if (this.loadingNote) this.loadingNote.remove();
    this.loadingNote = null;
    // Draw at once (no wait for the next animation frame) when it is near the screen.
    if (!(this.canRender() && gpu.renderNow(this))) this.markDirty();
  }

  setState(state) {
    this.state = state;
    this.el.setAttribute("data-mm-state", state);
  }

  fail(message) {
    if (this.disposed) return;
    this.setState("error");
    this.built = false;
    if (!this.notice) {
      this.notice = document.createElement("p");
      this.notice.className = "mm-notice";
      this.notice.setAttribute("role", "note");
      const caption = this.el.querySelector(":scope > figcaption");
      this.el.insertBefore(this.notice, caption);
    }
    this.notice.textContent = message;
    if (this.stage) this.stage.hidden = true;
    this.el.dispatchEvent(new CustomEvent("mm:error", { bubbles: true, detail: { message } }));
  }

  /** Free every GL object, listener and element this figure added; the poster shows again. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    if (this._abort) this._abort.abort();
    gpu.unregister(this);
    if (this._resize) this._resize.disconnect();
    if (this._unfollowTheme) this._unfollowTheme();
    this.teardown();
    this.tickers.clear();
    clearTimeout(this._flashTimer);
    if (this.editor) this.editor.dispose();
    this.editor = null;
    if (this.stage) this.stage.remove();
    if (this.notice) this.notice.remove();
    this.el.setAttribute("data-mm-state", "poster");
  }

  /** Free the current scene (GL objects, controls, overlays); the stage stays. */
  teardown() {
    if (this.anim) this.anim.dispose();
    this.anim = null;
    if (this.controls) this.controls.dispose();
    if (this.inspector) this.inspector.dispose();
    if (this.labels) this.labels.dispose();
    this.controls = this.inspector = this.labels = null;
    for (const d of this._disposables) d.dispose();
    this._disposables = [];
    for (const tiles of this._textures.values()) for (const t of tiles) t.texture.dispose();
    this._textures.clear();
    if (this.scene) this.scene.clear();
    this.scene = null;
    this.views = null;
    this._fitPoints = null;
    this.built = false;
  }

  onContextRestored() {
    // three.js rebuilt its GL state; textures and buffers re-upload from CPU copies.
    for (const tiles of this._textures.values()) for (const t of tiles) t.texture.needsUpdate = true;
    if (this.anim) this.anim.onContextRestored();
  }

  // ------------------------------------------------------------------ building

  /** Build the THREE.Scene for a decoded scene file, replacing any scene shown before. */
  build({ header, buffers }) {
    this.teardown();
    this.header = header;
    this.buffers = buffers;
    const settings = header.settings || {};
    this.settings = settings;
    this.baseLegendSize = Number(settings.deco && settings.deco.legends) > 0 ? Number(settings.deco.legends) : 6;
    this.deco = Object.assign({}, VIEWER_DECO, settings.deco || {}, this.decoOverrides);
    this.nodes = new Map((header.nodes || []).map((n) => [n.path, n]));

    const scene = new THREE.Scene();
    scene.background = new THREE.Color(THEMES[this.theme].paper);
    scene.matrixWorldAutoUpdate = true;
    this.scene = scene;
    const lo = v3(header.bbox[0]);
    const hi = v3(header.bbox[1]);
    this.bbox = new THREE.Box3(lo, hi);
    this.center = this.bbox.getCenter(new THREE.Vector3());
    this.radius = Math.max(1, lo.distanceTo(hi) / 2);

    this.decoUniform = { value: new THREE.Vector3() };
    this.planeDecoUniform = { value: new THREE.Vector3() }; // animation planes: no guides, no grid
    this.nodeUniforms = new Map();
    const anim = header.animation;
    this.anim = anim && anim.total_steps > 0 && anim.tracks.length > 0 ? new Animator(this) : null;
    this.views = header.matrices.map((m) => this.buildView(m));
    this.buildArrows(header.cubes || []);
    this.axes = null;
    this.layers = new THREE.Group(); // animation planes
    scene.add(this.layers);
    if (this.anim) {
      const t0 = performance.now();
      this.anim.build();
      this.timings.animationBuild = performance.now() - t0; // ms: planes, ranges, controls
    }

    // The header's camera is the first frame's, exactly (tests project with it);
    // `fit()` ("f", the toolbar) tightens the framing on request.
    this.buildCamera(header.camera);
    this.labels = new Labels(this.stage, header.legends || []);
    this.inspector = new Inspector(this);
    this.controls = new Controls(this);
    this.applyColors();
    this.applyDeco();
    this.resetView();
    this.spin = Number((settings.anim && settings.anim.spin) || (header.animation && header.animation.spin) || 0);
  }

  /** Value textures of one scene buffer (gl/textures.js `tileTextures`), made once. */
  texturesFor(name) {
    let tiles = this._textures.get(name);
    if (tiles) return tiles;
    const buf = this.buffers[name];
    if (!buf) throw new Error(`scene buffer ${JSON.stringify(name)} is missing`);
    tiles = tileTextures(buf, maxTextureSide(this.shared.renderer));
    this._textures.set(name, tiles);
    return tiles;
  }

  /** Per-node colour uniforms, shared by every quad that shows the node. */
  uniformsFor(path) {
    let u = this.nodeUniforms.get(path);
    if (!u) {
      u = {
        uRange: { value: new THREE.Vector2(0, 1) },
        uHue: { value: new THREE.Vector3() },
        uLight: { value: new THREE.Vector2() },
        uSize: { value: new THREE.Vector2() },
      };
      this.nodeUniforms.set(path, u);
    }
    return u;
  }

  buildView(m) {
    const node = this.nodes.get(m.node);
    if (!node) throw new Error(`matrix ${JSON.stringify(m.name)} shows unknown node ${JSON.stringify(m.node)}`);
    const buffer = this.buffers[node.buffer];
    const transposed = Boolean(node.transposed);
    const a0 = v3(m.axes[0]);
    const a1 = v3(m.axes[1]);
    const view = {
      data: m,
      node,
      buffer,
      transposed,
      a0,
      a1,
      normal: new THREE.Vector3().crossVectors(a0, a1).normalize(),
      visible: true,
      meshes: [],
      uniforms: {
        uReveal: { value: new THREE.Vector4().fromArray(REVEAL_ALL) },
        uRevealMod: { value: [BIG, BIG] },
        uHighlight: { value: new THREE.Vector4().fromArray(NO_RECT) },
        uHighlightMod: { value: [BIG, BIG] },
        uDim: { value: 1 },
      },
    };
    const nodeU = this.uniformsFor(m.node);
    const tiles = this.texturesFor(node.buffer);
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
        group.add(this.buildQuad(view, block, tile, [r0, r1, c0, c1], nodeU));
      }
    }
    this.scene.add(group);
    view.group = group;
    return view;
  }

  buildQuad(view, block, tile, [r0, r1, c0, c1], nodeU) {
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
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute("aCell", new THREE.BufferAttribute(new Float32Array([a, c, b, c, b, d, a, d]), 2));
    geometry.setIndex([0, 1, 2, 0, 2, 3]);
    const extra = this.anim ? this.anim.quadExtras(view) : null; // e.g. partial sums on a result face
    const material = new THREE.RawShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: matrixVert,
      fragmentShader: matrixFrag,
      side: THREE.DoubleSide,
      defines: extra ? extra.defines : {},
      uniforms: {
        uValues: { value: tile.texture },
        uTileOrigin: { value: [tile.row0, tile.col0] },
        uTileSize: { value: [tile.rows, tile.cols] },
        uTransposed: { value: view.transposed },
        uBlockStart: { value: [block.rows[0], block.cols[0]] },
        uBlockSize: { value: new THREE.Vector2(block.rows[1] - block.rows[0], block.cols[1] - block.cols[0]) },
        uRange: nodeU.uRange,
        uHue: nodeU.uHue,
        uLight: nodeU.uLight,
        uSize: nodeU.uSize,
        uDeco: this.decoUniform,
        uTheme: this.themeUniform,
        uReveal: view.uniforms.uReveal,
        uRevealMod: view.uniforms.uRevealMod,
        uHighlight: view.uniforms.uHighlight,
        uHighlightMod: view.uniforms.uHighlightMod,
        uDim: view.uniforms.uDim,
        ...(extra ? extra.uniforms : {}),
      },
    });
    this._disposables.push(geometry, material);
    const mesh = new THREE.Mesh(geometry, material);
    mesh.position.copy(centre);
    mesh.matrixAutoUpdate = false;
    mesh.updateMatrix();
    view.meshes.push(mesh);
    return mesh;
  }

  buildArrows(cubes) {
    this.arrowMaterial = new THREE.MeshBasicMaterial({
      vertexColors: true,
      transparent: true,
      opacity: 0.55,
      side: THREE.DoubleSide,
      depthWrite: false,
    });
    this._disposables.push(this.arrowMaterial);
    this.arrows = new THREE.Group();
    const colors = FLOW_COLORS.map((c) => new THREE.Color(c));
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
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute("position", new THREE.BufferAttribute(pos, 3));
      geometry.setAttribute("color", new THREE.BufferAttribute(col, 3));
      this._disposables.push(geometry);
      const mesh = new THREE.Mesh(geometry, this.arrowMaterial);
      mesh.renderOrder = 1;
      this.arrows.add(mesh);
    }
    this.scene.add(this.arrows);
  }

  // ------------------------------------------------------------------ camera

  buildCamera(c) {
    this.home = {
      position: v3(c.position),
      target: v3(c.target),
      up: v3(c.up || [0, 1, 0]),
      fov: Number(c.fov) || 45,
    };
    this.camera = new THREE.PerspectiveCamera(this.home.fov, 1, 0.1, 1000);
    this.applyHome();
  }

  applyHome() {
    const cam = this.camera;
    cam.up.copy(this.home.up);
    cam.position.copy(this.home.position);
    cam.lookAt(this.home.target);
    this.updateProjection();
    if (this.controls) {
      this.controls.orbit.target.copy(this.home.target);
      this.controls.orbit.update();
    }
  }

  /** The vertical field of view for the current aspect: narrow figures keep the width. */
  updateProjection() {
    const cam = this.camera;
    const [w, h] = this.cssSize;
    const aspect = w > 0 && h > 0 ? w / h : 16 / 9;
    let fov = this.home.fov;
    if (aspect < 1) {
      const t = Math.tan(THREE.MathUtils.degToRad(fov) / 2) / aspect;
      fov = Math.min(120, THREE.MathUtils.radToDeg(2 * Math.atan(t)));
    }
    cam.fov = fov;
    cam.aspect = aspect;
    this.updateClip(true);
  }

  /** Near/far planes hugging the scene from where the camera is. */
  updateClip(force = false) {
    const cam = this.camera;
    const d = cam.position.distanceTo(this.center);
    const r = this.axes && this.axes.visible ? Math.max(this.radius * 1.5, 140) : this.radius * 1.5;
    const near = Math.max(d - r, d * 0.002, 0.01);
    const far = d + r;
    if (force || Math.abs(near - cam.near) > 1e-3 * near || Math.abs(far - cam.far) > 1e-3 * far) {
      cam.near = near;
      cam.far = far;
      cam.updateProjectionMatrix();
    }
  }

  /** Back to the scene's camera. */
  resetView() {
    this.applyHome();
    this.onCameraChange();
  }

  /** Keep the view direction; aim at the scene and move so it (and its legends) fill the view. */
  fit() {
    const cam = this.camera;
    const orbit = this.controls.orbit;
    const dir = new THREE.Vector3().subVectors(cam.position, orbit.target).normalize();
    cam.updateMatrixWorld();
    const right = new THREE.Vector3().setFromMatrixColumn(cam.matrixWorld, 0);
    const up = new THREE.Vector3().setFromMatrixColumn(cam.matrixWorld, 1);
    const pts = this.fitPoints().slice(); // the cached list stays as it is
    if (this.labels && this.labels.visible) pts.push(...this.labels.items.map((it) => it.anchor));
    // Centre the target on the points' extent across the view, then back off until all fit.
    let xmin = Infinity;
    let xmax = -Infinity;
    let ymin = Infinity;
    let ymax = -Infinity;
    for (const p of pts) {
      const q = p.clone().sub(this.center);
      xmin = Math.min(xmin, q.dot(right));
      xmax = Math.max(xmax, q.dot(right));
      ymin = Math.min(ymin, q.dot(up));
      ymax = Math.max(ymax, q.dot(up));
    }
    const target = this.center
      .clone()
      .addScaledVector(right, (xmin + xmax) / 2)
      .addScaledVector(up, (ymin + ymax) / 2);
    const tanV = Math.tan(THREE.MathUtils.degToRad(cam.fov) / 2);
    const tanH = tanV * cam.aspect;
    let dist = 0;
    for (const p of pts) {
      const q = p.clone().sub(target);
      const x = Math.abs(q.dot(right));
      const y = Math.abs(q.dot(up));
      const z = q.dot(dir);
      dist = Math.max(dist, z + x / tanH, z + y / tanV);
    }
    dist *= 1.08;
    orbit.target.copy(target);
    cam.position.copy(target).addScaledVector(dir, dist);
    cam.lookAt(target);
    orbit.update();
    this.onCameraChange();
  }

  /** What `fit` frames: every block's corners, the flow arrows and the legends' anchors. */
  fitPoints() {
    if (this._fitPoints) return this._fitPoints;
    const pts = [];
    for (const view of this.views) {
      for (const b of view.data.blocks) {
        const o = v3(b.origin);
        const nr = b.rows[1] - b.rows[0];
        const nc = b.cols[1] - b.cols[0];
        for (const [r, c] of [[0, 0], [nr, 0], [0, nc], [nr, nc]]) {
          pts.push(o.clone().addScaledVector(view.a0, r).addScaledVector(view.a1, c));
        }
      }
    }
    for (const cube of this.header.cubes || []) {
      if (cube.arrow) for (const p of [...cube.arrow.left_vane, ...cube.arrow.right_vane]) pts.push(v3(p));
    }
    if (pts.length === 0) pts.push(this.bbox.min.clone(), this.bbox.max.clone());
    this._fitPoints = pts;
    return pts;
  }

  onCameraChange() {
    this.markDirty();
  }

  // ------------------------------------------------------------------ colours and deco

  /** Colour settings of node `path`: scene's, the node's, then runtime overrides. */
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

  /**
   * Change colours and sizes (keys of settings.colors: zero_hue, hue_gap, hue_spread,
   * min_light, max_light, min_size, elem_scale, sensitivity).  Uniforms only: no
   * values are recomputed.  `path` limits the change to one node.
   */
  setColors(partial, path = null) {
    const target = path === null ? this.colorOverrides.all : (this.colorOverrides.byPath[path] ||= {});
    Object.assign(target, partial);
    if (!this.scene) return; // applied when the scene is built
    this.applyColors();
    this.markDirty();
  }

  applyColors() {
    for (const [path, u] of this.nodeUniforms) {
      const c = this.colorsFor(path);
      u.uHue.value.set(+c.zero_hue, +c.hue_gap, +c.hue_spread);
      u.uLight.value.set(+c.min_light, +c.max_light);
      u.uSize.value.set(+c.min_size, +c.elem_scale);
      const r = colorRange(this.header, path, c.sensitivity);
      u.uRange.value.set(r[0], r[1]);
    }
    if (this.anim) this.anim.applyColors();
  }

  /**
   * Change decorations (keys of settings.deco: legends, shape, row_guides,
   * flow_guides, axes; viewer-only: grid, sign_rings).  Uniforms and visibility only.
   */
  setDeco(partial) {
    Object.assign(this.decoOverrides, partial);
    if (!this.scene) return; // applied when the scene is built
    Object.assign(this.deco, partial);
    this.applyDeco();
    this.markDirty();
  }

  applyDeco() {
    const d = this.deco;
    this.decoUniform.value.set(Math.max(0, +d.row_guides || 0), Math.max(0, +d.grid || 0), d.sign_rings ? 1 : 0);
    this.planeDecoUniform.value.set(0, 0, d.sign_rings ? 1 : 0);
    const flow = Math.max(0, Math.min(1, +d.flow_guides || 0));
    this.arrows.visible = flow > 0;
    this.arrowMaterial.opacity = 0.3 + 0.5 * flow;
    const legends = +d.legends || 0;
    this.labels.configure({
      visible: legends > 0,
      scale: legends / this.baseLegendSize,
      shape: d.shape !== false,
    });
    if (d.axes && !this.axes) {
      this.axes = new THREE.AxesHelper(128);
      this._disposables.push(this.axes);
      this.scene.add(this.axes);
    }
    if (this.axes) this.axes.visible = Boolean(d.axes);
  }

  /** Spin about the world's Y axis, mm's unit (spin/20000 rad per ms); off under reduced motion. */
  setSpin(spin) {
    this.spin = Number(spin) || 0;
    this._lastTick = 0;
    this.markDirty();
  }

  // ------------------------------------------------------------------ frames

  markDirty() {
    if (!this.disposed) gpu.markDirty(this);
  }

  /** Run fn(now) every frame while on screen; fn returns true to keep frames coming. */
  addTicker(fn) {
    this.tickers.add(fn);
    this.markDirty();
    return () => this.tickers.delete(fn);
  }

  /** Called by the loop each frame for on-screen figures: true asks for another frame. */
  tick(now) {
    if (!this.built || this.state === "error") return false;
    let more = false;
    const dt = this._lastTick ? Math.min(100, now - this._lastTick) : 0;
    this._lastTick = now;
    if (this.spin && !this.reducedMotion) {
      if (!this.controls.dragging && dt > 0) {
        const target = this.controls.orbit.target;
        const cam = this.camera;
        cam.position.sub(target).applyAxisAngle(Y_AXIS, (this.spin / 20000) * dt).add(target);
        cam.lookAt(target);
        this.markDirty();
      }
      more = true;
    }
    for (const fn of this.tickers) if (fn(now)) more = true;
    if (!more) this._lastTick = 0;
    return more;
  }

  canRender() {
    return this.built && !this.disposed && this.state !== "error" && (this.onScreen || (this.near && !this.firstFrame));
  }

  measure() {
    if (!this.stage) return;
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    if (w === this.cssSize[0] && h === this.cssSize[1]) return;
    this.cssSize = [w, h];
    const [pw, ph] = gpu.devicePixels(w, h);
    if (pw !== this.pixelSize[0] || ph !== this.pixelSize[1]) {
      this.pixelSize = [pw, ph];
      this.canvas.width = pw;
      this.canvas.height = ph;
    }
    if (this.camera) this.updateProjection();
    this.markDirty();
  }

  beforeRender() {
    this.updateClip();
  }

  afterRender() {
    const [w, h] = this.cssSize;
    this.camera.updateMatrixWorld();
    this.labels.update(this.camera, w, h);
    this.inspector.refresh();
    if (!this.firstFrame) {
      this.firstFrame = true;
      // Read one pixel back: the frame is really finished (and measurable) here.
      this.ctx.getImageData(0, 0, 1, 1);
      this.timings.firstFrame = performance.now();
      performance.mark("mm:first-frame:" + this.id);
      this.setState("ready");
      const detail = { id: this.id, ms: this.timings.bytes ? this.timings.firstFrame - this.timings.bytes : null };
      this.el.dispatchEvent(new CustomEvent("mm:ready", { bubbles: true, detail }));
    }
  }

  /** Draw now, synchronously (benchmarks); returns false if it could not. */
  renderNow() {
    return this.built ? gpu.renderNow(this) : false;
  }

  /** Draw once: now if the figure may draw (so a caller can read its pixels), else when it can. */
  redraw() {
    if (!(this.canRender() && gpu.renderNow(this))) this.markDirty();
  }

  // ------------------------------------------------------------------ animation

  /** The animation's Player (player.js), or null for a still figure. */
  get player() {
    return this.anim ? this.anim.player : null;
  }

  /** Show animation step `step` (modulo the loop) and redraw once; a still figure ignores it. */
  seek(step) {
    if (this.anim) this.anim.seek(step);
  }

  /** Milliseconds of JavaScript the last animation step took (state → uniforms → controls). */
  get stepTiming() {
    return this.anim ? this.anim.stepTiming : null;
  }

  // ------------------------------------------------------------------ export

  /** The full view's link for this figure as it is now (share.js `fullViewHref`). */
  linkHref() {
    return fullViewHref(this.el, this.assetsBase, this.edited);
  }

  /** linkHref() once the edited spec's #mm= state is written. */
  async linkHrefAsync() {
    if (this._specState) await this._specState;
    return this.linkHref();
  }

  // ------------------------------------------------------------------ live editing

  /** Whether the reader can edit this figure (the site runs Python in the browser). */
  canEdit() {
    return Boolean(this.runtime() && this.header && this.header.spec);
  }

  /** Open or close the editor panel (created on first use). */
  toggleEditor(show) {
    if (!this.canEdit()) return;
    if (!this.editor) this.editor = new Editor(this, this.runtime(), { maxElements: liveConfig().maxElements });
    this.editor.toggle(show);
  }

  /** Draw scene bytes the worker computed for `spec`; links carry the edited spec. */
  showEdited(bytes, spec) {
    this.edited = true;
    this.show(bytes);
    this._specState = encodeUrlState(spec).then((state) => {
      this.el.setAttribute("data-mm-spec", state);
      if (this.controls) this.controls.updateLinks();
    });
  }

  /** Back to the page's own scene file (the editor's Reset). */
  async resetScene() {
    if (this._specState) await this._specState;
    this.edited = false;
    if (this._originalSpec) this.el.setAttribute("data-mm-spec", this._originalSpec);
    await this.load();
  }

  /** Compute the figure from its data-mm-spec in the browser (no scene file). */
  async compute() {
    const rt = this.runtime();
    let spec;
    try {
      spec = await decodeUrlState(this.el.getAttribute("data-mm-spec"));
    } catch (err) {
      this.fail("This figure's spec could not be read: " + oneLine(err.message));
      return;
    }
    const off = rt.subscribe(({ state, text }) => {
      if (state === "starting" && this.el.getAttribute("data-mm-state") === "loading") this.flashNotice(text);
    });
    const request = { spec };
    const cap = liveConfig().maxElements;
    if (cap) request.max_elements = cap;
    const answer = await rt.build(this.id || "mm-figure", request);
    off();
    if (this.disposed || answer.cancelled) return;
    if (answer.error) {
      const hint = answer.error.hint ? " (" + answer.error.hint + ")" : "";
      this.fail("This figure could not be computed: " + answer.error.message + hint);
      return;
    }
    this.edited = true;
    this.show(answer.bytes);
  }

  /** A one-line note under a figure that is still loading (Python's progress). */
  flashNotice(text) {
    if (!this.stage) return;
    if (!this.loadingNote) {
      this.loadingNote = document.createElement("p");
      this.loadingNote.className = "mm-loading-note";
      this.loadingNote.setAttribute("role", "status");
      this.stage.appendChild(this.loadingNote);
    }
    this.loadingNote.textContent = text;
  }

  /** Download the current view, legends included, as `<figure id>.png`. */
  savePng() {
    downloadPng(this.canvas, this.labels, this.cssSize[0], (this.id || "mm-figure") + ".png", this.stage);
  }

  /** Copy the full view's link; where the clipboard refuses, show the link instead. */
  async copyLink() {
    const href = this.linkHref();
    this.controls.linkButton.dataset.mmLink = href;
    this.flash((await copyText(href)) ? "Link copied" : href);
  }

  flash(text) {
    const hint = this.controls.hint;
    hint.textContent = text;
    hint.hidden = false;
    clearTimeout(this._flashTimer);
    this._flashTimer = setTimeout(() => {
      hint.hidden = true;
    }, 4000);
  }
}
