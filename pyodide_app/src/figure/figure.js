// One figure: its lifecycle (DOM, loading, errors, unmounting) and its frames;
// the rest is delegated to small modules, each over its own state:
//
//   scenegraph.js  the THREE.Scene made from the scene file, and its GL objects
//   framing.js     the camera: home view, fit, projection, clip planes, spin
//   style.js       colours (ranges from the header), decorations, spin speed
//   share.js       full-view link, PNG export, clipboard
//   liveedit.js    the editor and scenes computed in the browser (../live/)
//   labels.js      legends as DOM text
//   theme.js       light or dark, following the page
//   readouts.js    the read-out table beside the figure (rows from the header)
//   views.js       named views: links in the prose move the camera, set the step
//   ../input/      orbit, keys, toolbar (controls.js); values on hover (inspector.js);
//                  the magnifying lens (lens.js)
//   ../anim/       the animation, when the scene has steps
//   ../gl/         the page's shared WebGL renderer and on-demand frame loop
//
// A scene rebuild (an edit, a reset) tears down everything made from the old
// scene and builds afresh; the reader's colour and deco changes (style.js) and
// the theme persist.  For tests and tools: `fig.player`, `fig.seek(step)`,
// `fig.stepTiming` (ms of JavaScript of the last animation step).

import { decodeScene } from "../format/scenefile.js";
import * as buildQueue from "./buildqueue.js";
import * as gpu from "../gl/renderer.js";
import { maxTextureSide, textureBytes } from "../gl/textures.js";
import { Controls } from "../input/controls.js";
import { Inspector } from "../input/inspector.js";
import { Lens } from "../input/lens.js";
import { Animator } from "../anim/animator.js";
import { Framing } from "./framing.js";
import { Labels } from "./labels.js";
import { Motion, motionScaleFor } from "./motion.js";
import { LiveEdit } from "./liveedit.js";
import { showReadouts } from "./readouts.js";
import { VIEW_MS, moveCamera, showViewLinks } from "./views.js";
import { SceneGraph } from "./scenegraph.js";
import { copyText, downloadPng, fullViewHref } from "./share.js";
import { Style } from "./style.js";
import { followTheme } from "./theme.js";

export const NO_WEBGL_MESSAGE = "Interactive view needs WebGL 2; showing a static picture.";
const FLASH_MS = 4000;

function oneLine(message) {
  return String(message || "unknown error").split("\n")[0].slice(0, 300);
}

export class Figure {
  /**
   * @param {HTMLElement} el a `figure.mm-figure` placeholder
   * @param {{assetsBase: URL|string, reducedMotion?: boolean,
   *   runtime?: () => (import("../live/runtime.js").Runtime | null)}} options
   *   `runtime`: the page's Python runtime, or null where live editing is off
   */
  constructor(el, { assetsBase, reducedMotion = false, runtime = () => null } = {}) {
    this.el = el;
    this.id = el.id || "";
    this.assetsBase = assetsBase;
    this.reducedMotion = reducedMotion;
    this.state = "poster";
    this.disposed = false;
    this.near = false; // within the loading margin: drawn once
    this.onScreen = false; // intersecting the viewport: redrawn on change
    this.built = false;
    this.firstFrame = false;
    this.released = false; // its textures left the GPU (far from the screen): redraw when near
    this.cssSize = [0, 0];
    this.pixelSize = [1, 1];
    this.tickers = new Set();
    this.timings = {};
    this._lastTick = 0;
    this._abort = null;
    // Made from the current scene file (build), freed by teardown.
    this.header = null;
    this.buffers = null;
    this.graph = null;
    this.framing = null;
    this.anim = null;
    this.labels = null;
    this.inspector = null;
    this.controls = null;
    this.lens = null;
    this.motion = null; // frames at lower resolution while the camera moves (motion.js)
    this.frameScale = 1; // the scale the last frame was drawn at (gl/renderer.js)
    // Kept across scene rebuilds.
    this.style = new Style();
    this.live = new LiveEdit(this, runtime);
    this.theme = "dark"; // the page's palette (theme.js): "dark" | "light"
  }

  /** The THREE.Scene drawn (null before the first build). */
  get scene() {
    return this.graph ? this.graph.scene : null;
  }

  /** The THREE.PerspectiveCamera it is drawn with (null before the first build). */
  get camera() {
    return this.framing ? this.framing.camera : null;
  }

  /** One entry per matrix drawn (SceneGraph `views`), or null before the first build. */
  get views() {
    return this.graph ? this.graph.views : null;
  }

  /** The animation's planes (a THREE.Group), or null before the first build. */
  get layers() {
    return this.graph ? this.graph.layers : null;
  }

  /** mm's spin speed now (0: still). */
  get spin() {
    return this.style.spin;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Create the DOM and start loading. Errors end in state "error", never a throw. */
  start() {
    this.setState("loading");
    try {
      this.shared = gpu.sharedRenderer();
    } catch (err) {
      if (err instanceof gpu.NoWebGLError) this.fail(NO_WEBGL_MESSAGE);
      else this.failWith("WebGL error: ", err);
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

  /** Fetch and show the scene file; a figure without one is computed from its spec. */
  async load() {
    const src = this.el.getAttribute("data-mm-scene");
    if (!src) {
      // A spec without a precomputed scene (a full-view link, precompute off): compute it here.
      if (this.el.getAttribute("data-mm-spec") && this.live.runtime()) this.live.compute();
      else this.fail("This figure names no scene file (data-mm-scene).");
      return;
    }
    let bytes;
    this._abort = typeof AbortController === "function" ? new AbortController() : null;
    buildQueue.expect(this); // while it is on the screen, figures off it wait for it
    try {
      const url = new URL(src, document.baseURI);
      // The network serves the reader's figures first (Chromium's fetch priority hint;
      // a preloaded file is reused whatever the hint).
      const priority = this.onScreen ? "high" : "low";
      const response = await fetch(url, { signal: this._abort ? this._abort.signal : undefined, priority });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = await response.arrayBuffer();
    } catch (err) {
      buildQueue.forget(this);
      if (this.disposed) return;
      this.fail("Could not load the figure data (" + oneLine(err && err.message) + ").");
      return;
    }
    if (this.disposed) return;
    this.timings.bytes = performance.now();
    performance.mark("mm:scene-bytes:" + this.id);
    // Built at its turn (buildqueue.js: one figure a frame, the screen's first); one off
    // the screen draws its first frame at the next frame, not in the same task.
    buildQueue.enqueue(this, () => this.show(bytes, { drawNow: this.onScreen }));
  }

  /**
   * Build from scene-file bytes and draw the first frame: now (used by load, live edits
   * and tests), or with `drawNow: false` at the next animation frame.
   */
  show(bytes, { drawNow = true } = {}) {
    let scene;
    try {
      scene = decodeScene(bytes);
      performance.mark("mm:decoded:" + this.id); // bench_viewer.py's breakdown
    } catch (err) {
      this.failWith("The figure data could not be read: ", err);
      return;
    }
    try {
      this.build(scene);
      performance.mark("mm:built:" + this.id);
    } catch (err) {
      this.failWith("The figure could not be drawn: ", err);
      if (typeof console !== "undefined") console.warn("mm-docs viewer:", err);
      return;
    }
    this.built = true;
    this.live.clearNote();
    // Draw at once (no wait for the next animation frame) when it is near the screen.
    if (drawNow) this.redraw();
    else this.markDirty();
  }

  setState(state) {
    this.state = state;
    this.el.setAttribute("data-mm-state", state);
  }

  /** Show `message` instead of the stage (state "error"); the poster stays. */
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

  /** fail() with the first line of `err`'s message after `prefix`. */
  failWith(prefix, err) {
    this.fail(prefix + oneLine(err && err.message));
  }

  /** Free every GL object, listener and element this figure added; the poster shows again. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    if (this._abort) this._abort.abort();
    buildQueue.forget(this);
    gpu.unregister(this);
    if (this._resize) this._resize.disconnect();
    if (this._unfollowTheme) this._unfollowTheme();
    this.teardown();
    this.tickers.clear();
    this.live.dispose();
    if (this.stage) this.stage.remove();
    if (this.notice) this.notice.remove();
    this.el.setAttribute("data-mm-state", "poster");
  }

  /** Free the current scene (GL objects, controls, overlays); the stage stays. */
  teardown() {
    if (this.anim) this.anim.dispose();
    if (this.lens) this.lens.dispose();
    if (this.controls) this.controls.dispose();
    if (this.inspector) this.inspector.dispose();
    if (this.labels) this.labels.dispose();
    if (this.graph) this.graph.dispose();
    if (this.motion) this.motion.dispose();
    this.motion = null;
    this.anim = this.controls = this.lens = this.inspector = this.labels = this.graph = this.framing = null;
    this.built = false;
    this.released = false;
  }

  /** The textures its scene holds (SceneGraph's and the animation's). */
  textures() {
    if (!this.graph) return [];
    return this.anim ? this.graph.textures().concat(this.anim.textures()) : this.graph.textures();
  }

  /** Bytes of texture its scene holds on the GPU now (0 while released). */
  get textureBytes() {
    if (this.released) return 0;
    return this.textures().reduce((sum, tex) => sum + textureBytes(tex), 0);
  }

  /**
   * Free its textures' GPU copies while it is far from the screen (viewer.js), so a page
   * of many figures holds the textures of the few near the screen only.  The CPU copies
   * stay: three.js uploads a disposed texture again at its next draw, which happens as
   * the figure comes back within the loading margin (canRender), before it is seen.
   * Its canvas's pixels go too (4 bytes a device pixel: 3.5 MB for 1280 × 720): the
   * canvas is emptied to 0 × 0 (CSS keeps its size on the page) and sized again just
   * before that draw (beforeRender).
   */
  releaseTextures() {
    if (!this.built || this.released) return;
    for (const tex of this.textures()) tex.dispose();
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.released = true;
  }

  onContextRestored() {
    // three.js rebuilt its GL state; textures and buffers re-upload from CPU copies.
    if (this.graph) this.graph.onContextRestored();
    if (this.anim) this.anim.onContextRestored();
  }

  /** Build everything shown from a decoded scene file, replacing any scene shown before. */
  build({ header, buffers }) {
    this.teardown();
    this.header = header;
    this.buffers = buffers;
    this.describe(header.description);
    // The page's table was written at build time; an edited scene brings its own rows.
    showReadouts(this.el, header.readouts);
    this.el.removeAttribute("data-mm-view");
    showViewLinks(this.el, header.views);
    this.style.update(header);
    this.motion = new Motion(() => this.markDirty(), motionScaleFor(header));
    const graph = new SceneGraph(header, buffers, {
      maxSide: maxTextureSide(this.shared.renderer),
      theme: this.theme,
      shared: { uDeco: this.style.decoUniform },
    });
    this.graph = graph;
    const program = header.animation;
    if (program && program.total_steps > 0 && program.tracks.length > 0) this.anim = new Animator(this, graph);
    graph.buildViews(this.anim && ((view) => this.anim.quadExtras(view)));
    if (this.anim) {
      const t0 = performance.now();
      this.anim.build();
      this.timings.animationBuild = performance.now() - t0; // ms: planes, ranges, controls
    }
    this.framing = new Framing(graph, header.camera, this.cssSize);
    this.labels = new Labels(this.stage, header.legends || []);
    this.inspector = new Inspector(this);
    this.controls = new Controls(this);
    this.lens = new Lens(this);
    this.framing.attach(this.controls.orbit);
    this.applyColors();
    this.style.applyDeco(graph, this.labels);
    this.reserveControls();
    this.resetView();
  }

  /** Keep legends off the toolbar (its rectangle in the stage, measured when sizes change). */
  reserveControls() {
    if (!this.labels || !this.controls) return;
    const s = this.stage.getBoundingClientRect();
    const t = this.controls.toolbar.getBoundingClientRect();
    this.labels.reserve(t.width ? [{ x: t.left - s.left, y: t.top - s.top, w: t.width, h: t.height }] : []);
  }

  /**
   * Label the figure with the scene's words (the header's `description`: the author's
   * alt or the generated one, as on the page), so an edited figure is not announced
   * as the one it replaced.  Scene files written before the field keep the page's label.
   */
  describe(description) {
    if (!description) return;
    this.el.setAttribute("aria-label", description);
    const poster = this.el.querySelector(":scope > .mm-poster");
    if (poster) poster.alt = description;
  }

  // ------------------------------------------------------------------ view and style

  /** Back to the scene's camera. */
  resetView() {
    this.framing.goHome();
    this.markDirty();
  }

  /** Whether the camera is on its way to a named view (views.js `moveCamera`). */
  get viewMoving() {
    return Boolean(this._stopView);
  }

  /** The scene's named views (header `views`: name, label, camera, step); [] without. */
  get namedViews() {
    return (this.header && this.header.views) || [];
  }

  /**
   * Switch to the named view `name`: its animation step (paused there), its highlights,
   * and its camera,
   * moved in VIEW_MS (at once under reduced motion).  Resolves true when there, false
   * for a view the scene does not have.
   */
  async showView(name) {
    const view = this.namedViews.find((v) => v.name === name);
    if (!view || !this.built) return false;
    if (view.step !== null && view.step !== undefined && this.anim) {
      this.anim.pause();
      this.anim.seek(view.step);
    }
    // The view's highlights while it is shown; a view without any shows the spec's own.
    this.graph.showHighlights(view.highlight || null);
    this.el.setAttribute("data-mm-view", name);
    showViewLinks(this.el, this.namedViews, name);
    await moveCamera(this, view, this.reducedMotion ? 0 : VIEW_MS);
    this.el.dispatchEvent(new CustomEvent("mm:view", { bubbles: true, detail: { id: this.id, view: name } }));
    return true;
  }

  /** Keep the view direction; aim at the scene and move so it (and its legends) fill the view. */
  fit() {
    const labels = this.labels;
    this.framing.fit(labels && labels.visible ? labels.items.map((it) => it.anchor) : []);
    this.markDirty();
  }

  onCameraChange() {
    if (this.motion) this.motion.moved();
    this.markDirty();
  }

  /**
   * Change colours and sizes (keys of settings.colors: zero_hue, hue_gap, hue_spread,
   * min_light, max_light, min_size, elem_scale, sensitivity).  Uniforms only: no
   * values are recomputed.  `path` limits the change to one node.
   */
  setColors(partial, path = null) {
    this.style.setColors(partial, path);
    if (!this.graph) return; // applied when the scene is built
    this.applyColors();
    this.markDirty();
  }

  applyColors() {
    this.style.applyColors(this.graph.nodeUniforms);
    if (this.anim) this.anim.applyColors();
  }

  /**
   * Change decorations (keys of settings.deco: legends, shape, row_guides,
   * flow_guides, axes; viewer-only: grid, sign_rings).  Uniforms and visibility only.
   */
  setDeco(partial) {
    this.style.setDeco(partial);
    if (!this.graph) return; // applied when the scene is built
    this.style.applyDeco(this.graph, this.labels);
    this.markDirty();
  }

  /** Spin about the world's Y axis, mm's unit (spin/20000 rad per ms); off under reduced motion. */
  setSpin(spin) {
    this.style.spin = Number(spin) || 0;
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
    const spin = this.style.spin;
    if (spin && !this.reducedMotion) {
      if (!this.controls.dragging && dt > 0) {
        this.framing.spin((spin / 20000) * dt);
        this.markDirty();
      }
      more = true;
    }
    for (const fn of this.tickers) if (fn(now)) more = true;
    if (!more) this._lastTick = 0;
    return more;
  }

  canRender() {
    const due = !this.firstFrame || this.released; // a first frame, or textures to upload again
    return this.built && !this.disposed && this.state !== "error" && (this.onScreen || (this.near && due));
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
      if (!this.released) this.sizeCanvas(); // else at its next draw
    }
    if (this.framing) this.framing.setSize(this.cssSize);
    this.reserveControls();
    this.markDirty();
  }

  /** The scale of each side of the next frame: below 1 while a big figure's camera moves (motion.js). */
  get renderScale() {
    return this.motion ? this.motion.scale : 1;
  }

  /** Give the canvas its pixels (pixelSize): after a resize, or back from releaseTextures. */
  sizeCanvas() {
    const [pw, ph] = this.pixelSize;
    if (this.canvas.width !== pw) this.canvas.width = pw;
    if (this.canvas.height !== ph) this.canvas.height = ph;
  }

  beforeRender() {
    this.sizeCanvas();
    this.framing.updateClip();
  }

  afterRender() {
    this.released = false; // the draw uploaded them again
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

  /** Draw the open lens alone, now (benchmarks); returns false if it could not. */
  renderLensNow() {
    return this.built ? gpu.renderLens(this) : false;
  }

  /** Draw once: now if the figure may draw (so a caller can read its pixels), else when it can. */
  redraw() {
    if (!(this.canRender() && gpu.renderNow(this))) this.markDirty();
  }

  // ------------------------------------------------------------------ animation

  /** The animation's Player (anim/player.js), or null for a still figure. */
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

  // ------------------------------------------------------------------ sharing

  /** The full view's link for this figure as it is now (share.js `fullViewHref`). */
  linkHref() {
    const href = fullViewHref(this.el, this.assetsBase, this.live.edited);
    const view = this.el.getAttribute("data-mm-view");
    return view ? href + "&view=" + encodeURIComponent(view) : href; // app.js opens it
  }

  /** Download the current view, legends included, as `<figure id>.png`. */
  savePng() {
    // A frame in motion is coarser (motion.js): export a full-resolution one.
    if (this.motion && this.motion.moving) {
      this.motion.settle();
      this.redraw();
    }
    downloadPng(this.canvas, this.labels, this.cssSize[0], (this.id || "mm-figure") + ".png", this.stage);
  }

  /** Copy the full view's link; where the clipboard refuses, show the link instead. */
  async copyLink() {
    const href = this.linkHref();
    this.controls.linkButton.dataset.mmLink = href;
    this.controls.showHint((await copyText(href)) ? "Link copied" : href, FLASH_MS);
  }

  // ------------------------------------------------------------------ live editing (liveedit.js)

  /** Whether a scene computed in the browser is shown (an edit), not the page's file. */
  get edited() {
    return this.live.edited;
  }

  /** Open or close the editor panel. */
  toggleEditor(show) {
    this.live.toggleEditor(show);
  }

  /** Draw scene bytes the worker computed for `spec`; links carry the edited spec. */
  showEdited(bytes, spec) {
    this.live.showEdited(bytes, spec);
  }
}
