// One WebGL 2 context per page, shared by every figure.
//
// A single THREE.WebGLRenderer draws into a hidden canvas; each figure has its
// own visible 2D canvas.  Rendering a figure = draw its scene into the
// bottom-left w × h pixels of the shared canvas (grown, never shrunk, to the
// largest figure), then copy those pixels into the figure's canvas with
// drawImage in the same task (preserveDrawingBuffer stays false).
//
// Frames are on demand: `markDirty(fig)` schedules one requestAnimationFrame;
// the loop renders the dirty figures that are near the screen and stops when
// nothing is dirty and no figure asks for more frames (spin, animation).
// A figure's open lens (input/lens.js) is drawn the same way, through its own
// camera into its own canvas: after every frame of its figure, and alone when only
// the pointer moved under it (`markLensDirty`).

import * as THREE from "three";

export class NoWebGLError extends Error {}

const MAX_SIDE = 4096; // device pixels per figure side
const MAX_PIXELS = 4096 * 2160; // per figure

let shared = null; // {renderer, canvas, gl, lost}
const registered = new Set(); // figures that draw through the shared renderer
const dirty = new Set();
const lensDirty = new Set(); // figures whose lens alone needs drawing (input/lens.js)
let rafId = 0;
let noWebGL = false;

/** The shared renderer, created on first use; throws NoWebGLError without WebGL 2. */
export function sharedRenderer() {
  if (shared) return shared;
  if (noWebGL) throw new NoWebGLError("no WebGL 2");
  const canvas = document.createElement("canvas");
  canvas.width = 1;
  canvas.height = 1;
  let gl = null;
  try {
    gl = canvas.getContext("webgl2", {
      alpha: false,
      antialias: false,
      depth: true,
      stencil: false,
      premultipliedAlpha: true,
      preserveDrawingBuffer: false,
      powerPreference: "high-performance",
    });
  } catch (err) {
    gl = null;
  }
  if (!gl) {
    noWebGL = true;
    throw new NoWebGLError("no WebGL 2");
  }
  const renderer = new THREE.WebGLRenderer({ canvas, context: gl, antialias: false });
  renderer.setPixelRatio(1); // sizes below are already in device pixels
  renderer.autoClear = true;
  renderer.setClearColor(0x000000, 1);
  const state = { renderer, canvas, gl, lost: false, width: 1, height: 1 };
  // three.js also listens: it calls preventDefault on loss and rebuilds its GL
  // state on restore; textures and buffers re-upload from their CPU copies.
  canvas.addEventListener("webglcontextlost", () => {
    state.lost = true;
  });
  canvas.addEventListener("webglcontextrestored", () => {
    state.lost = false;
    for (const fig of registered) fig.onContextRestored();
    for (const fig of registered) markDirty(fig);
  });
  shared = state;
  return state;
}

/** Number of WebGL contexts this viewer holds and that are not lost (0 or 1). */
export function liveContexts() {
  return shared && !shared.lost ? 1 : 0;
}

/** Renderer memory counters (geometries, textures) and program count, for tests. */
export function rendererInfo() {
  if (!shared) return { geometries: 0, textures: 0, programs: 0 };
  const info = shared.renderer.info;
  return {
    geometries: info.memory.geometries,
    textures: info.memory.textures,
    programs: info.programs ? info.programs.length : 0,
  };
}

export function register(fig) {
  registered.add(fig);
}

export function unregister(fig) {
  registered.delete(fig);
  dirty.delete(fig);
  lensDirty.delete(fig);
}

/** Device-pixel size for a CSS size: devicePixelRatio (≤ 2) and caps applied. */
export function devicePixels(cssWidth, cssHeight) {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  let w = Math.max(1, Math.round(cssWidth * dpr));
  let h = Math.max(1, Math.round(cssHeight * dpr));
  let s = Math.min(1, MAX_SIDE / w, MAX_SIDE / h, Math.sqrt(MAX_PIXELS / (w * h)));
  if (shared) {
    const maxRb = shared.gl.getParameter(shared.gl.MAX_RENDERBUFFER_SIZE) || MAX_SIDE;
    s = Math.min(s, maxRb / w, maxRb / h);
  }
  if (s < 1) {
    w = Math.max(1, Math.floor(w * s));
    h = Math.max(1, Math.floor(h * s));
  }
  return [w, h];
}

/** Schedule a frame for `fig`. */
export function markDirty(fig) {
  dirty.add(fig);
  schedule();
}

/** Schedule a frame for `fig`'s lens only (the pointer moved under it; the figure did not change). */
export function markLensDirty(fig) {
  lensDirty.add(fig);
  schedule();
}

function schedule() {
  if (!rafId) rafId = requestAnimationFrame(loop);
}

function loop(now) {
  rafId = 0;
  if (!shared || shared.lost) return; // restore marks everything dirty again
  let again = false;
  for (const fig of registered) {
    // Ticks (spin, animation) mark the figure dirty when something moved; asking for
    // more frames alone does not redraw (an animation at 20 steps/s draws 20 frames/s).
    if (fig.onScreen && fig.tick(now)) again = true;
  }
  let offScreen = 0; // first frames and re-uploads of figures near the screen, not on it
  for (const fig of dirty) {
    // (Deleting the current entry while iterating a Set is safe and allocates nothing.)
    if (!fig.canRender()) {
      // Not loaded yet, or off-screen (its first frame is drawn once it is near).
      if (!registered.has(fig)) dirty.delete(fig);
      continue;
    }
    if (!fig.onScreen && offScreen++ > 0) {
      again = true; // one a frame, so that scrolling past many figures stays smooth
      continue;
    }
    dirty.delete(fig);
    renderNow(fig);
  }
  for (const fig of lensDirty) {
    lensDirty.delete(fig);
    if (fig.canRender()) renderLens(fig);
  }
  if (again) schedule();
}

/**
 * Draw `fig` now (synchronously) and copy it into its canvas.  Used by the loop
 * and by benchmarks; returns false when it could not draw.
 */
export function renderNow(fig) {
  if (!shared || shared.lost) return false;
  dirty.delete(fig); // this frame is the one asked for: the loop must not draw it again
  fig.beforeRender();
  fig.frameScale = fig.renderScale; // what this frame is drawn at (tests, benchmarks)
  drawInto(fig.scene, fig.camera, fig.pixelSize, fig.ctx, fig.frameScale);
  fig.afterRender();
  // The figure changed (camera, animation step): an open lens shows it too.
  if (fig.lens && fig.lens.isOpen) renderLens(fig);
  return true;
}

/**
 * Draw `fig`'s lens now: the scene again, through the lens's camera (a sub-frustum of
 * the figure's), into the lens's own canvas.  The lens is never larger than the
 * figure, so the shared canvas is already large enough.
 */
export function renderLens(fig) {
  lensDirty.delete(fig);
  const lens = fig.lens;
  if (!shared || shared.lost || !lens || !lens.prepare()) return false;
  drawInto(fig.scene, lens.camera, lens.pixelSize, lens.ctx);
  lens.afterRender();
  return true;
}

/** Render `scene` through `camera` into the w × h corner of the shared canvas (grown if
 * needed) and copy that into the 2D context `ctx`: a figure's canvas, or its lens's.
 * At `scale` < 1 (a big figure in motion: figure/motion.js) it renders w·scale × h·scale
 * pixels and stretches them over the w × h canvas. */
function drawInto(scene, camera, [cw, ch], ctx, scale = 1) {
  const { renderer, canvas } = shared;
  const w = scale < 1 ? Math.max(1, Math.round(cw * scale)) : cw;
  const h = scale < 1 ? Math.max(1, Math.round(ch * scale)) : ch;
  if (w > shared.width || h > shared.height) {
    shared.width = Math.max(shared.width, w);
    shared.height = Math.max(shared.height, h);
    renderer.setSize(shared.width, shared.height, false);
  }
  renderer.setViewport(0, 0, w, h);
  renderer.setScissor(0, 0, w, h);
  renderer.setScissorTest(true);
  renderer.render(scene, camera);
  renderer.setScissorTest(false);
  // WebGL's origin is bottom-left: the w × h region is at the bottom of the canvas.
  ctx.globalCompositeOperation = "copy";
  ctx.drawImage(canvas, 0, canvas.height - h, w, h, 0, 0, cw, ch);
}

/** The shared canvas (for tests that need the GL context). */
export function sharedCanvas() {
  return shared ? shared.canvas : null;
}
