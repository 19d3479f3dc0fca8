// The magnifying lens (mm's, mm-reference §1.8 and §4.1): a square above the pointer
// that shows the view around it `magnification` times larger, drawn by the page's
// renderer with a sub-frustum of the figure's camera (setViewOffset), and the values
// of the cells within `spotlight` world units of the pointer's ray written over them.
//
// Gestures: hold Ctrl over the figure (as mm), long-press (mouse, finger, pen: 500 ms
// without moving), or `z` with the figure focused (a toggle; it opens at the pointer,
// else at the keyboard probe, else the centre, and follows the probe).  While it is
// up the pointer moves it and does not turn or pan the figure; the wheel still zooms
// (Ctrl+wheel is how an unfocused figure zooms, and Ctrl is held); releasing Ctrl or
// the press, `z` again, Escape or leaving the figure closes it.
// A long-press with a finger leaves the value under the finger in the tooltip when
// it ends, as a long-press did before there was a lens.
//
// The lens is drawn on demand: on opening, on a pointer move, and after each frame
// of the figure (the camera or the animation changed).  Labels are DOM text
// (textContent) with the figure's number format (inspector.js `formatValue`) and
// read what a cell shows now (inspector `pick`: a partial sum mid-animation, or
// nothing yet); a cell hidden behind another face, too small in the lens, or whose
// label would overlap a nearer one gets no label.  Geometry: lenslayout.js.

import * as THREE from "three";
import * as gpu from "../gl/renderer.js";
import { faceCellCentre, productIndex } from "../anim/planecells.js";
import { formatValue } from "./inspector.js";
import { layoutLabels, lensRect, lensView, spotlightCells } from "./lenslayout.js";

export const LONG_PRESS_MS = 500;
const PRESS_SLOP_PX = 8;
const LABEL_FONT_PX = 11;
/** A cell smaller than this in the lens (CSS px) gets no label: it could not be told apart. */
const MIN_LABEL_CELL_PX = 10;
const MAX_LABELS = 400;
const MAG_RANGE = [1, 25]; // deco.magnification's (core/spec/sections.py)

export class Lens {
  /**
   * @param {object} fig the Figure: stage, canvas, camera, views, style (deco),
   *   inspector (pick, cellScreen, probe), controls (orbit, touch), cssSize
   */
  constructor(fig) {
    this.fig = fig;
    this.el = null; // the lens's elements, made when it first opens (most figures never do)
    this.canvas = null;
    this.ctx = null;
    this.layer = null;
    this.spans = []; // label elements, reused
    this.camera = new THREE.PerspectiveCamera();
    this._ray = new THREE.Raycaster();
    this._ndc = new THREE.Vector2();
    this._v = new THREE.Vector3();

    this.isOpen = false;
    this.mode = null; // "ctrl" | "press" | "key"
    this.pos = null; // the pointer (or probe) the lens magnifies around, stage CSS px
    this.rect = null; // lensRect of the last render
    this._avoid = null; // the toolbar's rectangle while the lens is open (lensRect's `avoid`)
    this.pixelSize = [1, 1];
    this._cssSide = 0; // the side pixelSize was computed for
    this.labelCount = 0;
    this._orbit = null; // the orbit's rotate/pan switches while the lens holds them off
    this._press = null; // {id, x, y, timer, type}
    this._ctrlHeld = false; // Ctrl went down over this figure and the lens is up for it

    const canvas = fig.canvas;
    this._onEnter = (e) => {
      if (e.pointerType === "mouse") this.listenForCtrl(true);
    };
    this._onLeave = (e) => this.onPointerLeave(e);
    this._onDown = (e) => this.onPointerDown(e);
    this._onMove = (e) => this.onPointerMove(e);
    this._onUp = (e) => this.onPointerUp(e);
    this._onKey = (e) => this.onWindowKey(e);
    this._onBlur = () => this.close();
    canvas.addEventListener("pointerenter", this._onEnter);
    canvas.addEventListener("pointerleave", this._onLeave);
    canvas.addEventListener("pointerdown", this._onDown);
    canvas.addEventListener("pointermove", this._onMove);
    canvas.addEventListener("pointerup", this._onUp);
    canvas.addEventListener("pointercancel", this._onUp);
    this._listening = false;
  }

  // ------------------------------------------------------------------ settings

  get deco() {
    return this.fig.style.deco || {};
  }

  /** deco.lens_size > 0 (0 turns the lens off). */
  get enabled() {
    return +this.deco.lens_size > 0;
  }

  get magnification() {
    return Math.min(MAG_RANGE[1], Math.max(MAG_RANGE[0], +this.deco.magnification || 7));
  }

  // ------------------------------------------------------------------ open, move, close

  makeDom() {
    this.el = document.createElement("div");
    this.el.className = "mm-lens";
    this.el.hidden = true;
    this.el.setAttribute("aria-hidden", "true"); // the tooltip and the probe speak the values
    this.canvas = document.createElement("canvas");
    this.canvas.className = "mm-lens-canvas";
    this.ctx = this.canvas.getContext("2d", { alpha: false });
    this.layer = document.createElement("div");
    this.layer.className = "mm-lens-labels";
    this.el.append(this.canvas, this.layer);
    this.fig.stage.append(this.el);
  }

  /** Open (or move) the lens at stage point (x, y); `mode` says what closes it. */
  openAt(x, y, mode) {
    if (!this.enabled) return false;
    if (!this.el) this.makeDom();
    if (!this.isOpen) {
      this.isOpen = true;
      this.mode = mode;
      const orbit = this.fig.controls && this.fig.controls.orbit;
      if (orbit) {
        // The pointer moves the lens now, not the camera (the wheel still zooms).
        this._orbit = { rotate: orbit.enableRotate, pan: orbit.enablePan };
        orbit.enableRotate = orbit.enablePan = false;
      }
      this.fig.inspector.hide();
    }
    this.moveTo(x, y);
    return true;
  }

  moveTo(x, y) {
    if (!this.isOpen) return;
    if (this.pos && this.pos.x === x && this.pos.y === y) return;
    this.pos = { x, y };
    gpu.markLensDirty(this.fig);
  }

  close() {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.mode = null;
    this._ctrlHeld = false;
    if (this.el) this.el.hidden = true;
    this.pos = null; // reopening at the same place draws again
    this._avoid = null; // measured again on opening (the stage may have been resized)
    this.rect = null;
    this.labelCount = 0;
    const orbit = this.fig.controls && this.fig.controls.orbit;
    if (orbit && this._orbit) {
      orbit.enableRotate = this._orbit.rotate;
      orbit.enablePan = this._orbit.pan;
    }
    this._orbit = null;
    this.fig.el.dispatchEvent(new CustomEvent("mm:lens", { bubbles: true, detail: { open: false } }));
  }

  /** `z`: open where the reader is looking (pointer, probe, centre) or close. */
  toggle() {
    if (this.isOpen) {
      this.close();
      return;
    }
    const fig = this.fig;
    const at = this.anchor();
    this.openAt(at.x, at.y, "key");
    if (!this.enabled) fig.controls.showHint("The lens is off for this figure (deco.lens_size: 0)", 2000);
  }

  anchor() {
    const fig = this.fig;
    const insp = fig.inspector;
    if (insp.hover) return insp.hover;
    const p = insp.probe;
    const at = p && insp.cellScreen(p.view, p.i, p.j);
    if (at) return at;
    return { x: fig.cssSize[0] / 2, y: fig.cssSize[1] / 2 };
  }

  /** The keyboard probe moved (inspector.refresh): a lens opened by `z` follows it. */
  followProbe(x, y) {
    if (this.isOpen && this.mode === "key" && !this.fig.inspector.hover) this.moveTo(x, y);
  }

  // ------------------------------------------------------------------ input

  listenForCtrl(on) {
    // Only while the pointer is over this figure: no window listener per figure at rest.
    if (on === this._listening) return;
    this._listening = on;
    const f = on ? "addEventListener" : "removeEventListener";
    window[f]("keydown", this._onKey, true);
    window[f]("keyup", this._onKey, true);
    window[f]("blur", this._onBlur);
  }

  /**
   * Ctrl down over the figure opens the lens, up closes it; neither reaches the page.
   * Esc closes it too (a focused figure's Esc is the controls', which also close it).
   */
  onWindowKey(e) {
    if (e.key === "Escape" && e.type === "keydown" && this.isOpen && !this.fig.el.contains(document.activeElement)) {
      const held = this._ctrlHeld;
      this.close();
      this._ctrlHeld = held; // Ctrl's keyup is still this figure's
      e.stopPropagation();
      e.preventDefault();
      return;
    }
    if (e.key !== "Control") return;
    if (e.type === "keydown") {
      const hover = this.fig.inspector.hover;
      if (!hover || e.repeat) {
        if (this._ctrlHeld) e.stopPropagation();
        return;
      }
      if (this.openAt(hover.x, hover.y, "ctrl")) {
        this._ctrlHeld = true;
        e.stopPropagation();
      }
    } else if (this._ctrlHeld) {
      e.stopPropagation();
      if (this.mode === "ctrl") this.close();
      this._ctrlHeld = false;
    }
  }

  onPointerLeave(e) {
    if (e.pointerType === "mouse") {
      this.listenForCtrl(false);
      if (this.isOpen && this.mode !== "key") this.close();
    }
  }

  onPointerDown(e) {
    this.cancelPress();
    if (!this.enabled || !e.isPrimary || (e.pointerType === "mouse" && e.button !== 0)) return;
    if (this.isOpen) return;
    const [x, y] = this.fig.inspector.local(e);
    const press = { id: e.pointerId, x, y, type: e.pointerType, timer: 0 };
    press.timer = setTimeout(() => {
      press.timer = 0;
      if (this._press !== press) return;
      const el = this.fig.el;
      if (!el.contains(document.activeElement)) el.focus({ preventScroll: true });
      this.openAt(press.x, press.y, "press");
    }, LONG_PRESS_MS);
    this._press = press;
  }

  onPointerMove(e) {
    const [x, y] = this.fig.inspector.local(e);
    const press = this._press;
    if (press && e.pointerId === press.id) {
      if (this.isOpen && this.mode === "press") {
        press.x = x;
        press.y = y;
        this.moveTo(x, y);
        return;
      }
      if (press.timer && Math.hypot(x - press.x, y - press.y) > PRESS_SLOP_PX) this.cancelPress();
    }
    if (e.pointerType !== "mouse") return;
    this.listenForCtrl(true); // (the pointer may have been here before the figure was built)
    if (e.ctrlKey && !this.isOpen && e.buttons === 0) {
      // Ctrl held before the pointer came in (no keydown here to see).
      if (this.openAt(x, y, "ctrl")) this._ctrlHeld = true;
      return;
    }
    if (this.isOpen && this.mode === "ctrl" && !e.ctrlKey) {
      this.close(); // its keyup went elsewhere (another window)
      return;
    }
    if (this.isOpen && this.mode !== "press") this.moveTo(x, y);
  }

  onPointerUp(e) {
    const press = this._press;
    if (!press || e.pointerId !== press.id) return;
    this.cancelPress();
    if (this.isOpen && this.mode === "press") {
      this.close();
      // A finger's long-press leaves its value shown (touch.js), as before the lens.
      if (e.type === "pointerup" && press.type !== "mouse") this.fig.controls.touch.inspect(press.x, press.y);
    }
  }

  cancelPress() {
    if (this._press && this._press.timer) clearTimeout(this._press.timer);
    this._press = null;
  }

  // ------------------------------------------------------------------ drawing (gl/renderer.js)

  /**
   * Place the lens and aim its camera; false when there is nothing to draw (closed,
   * or no room for a lens in this figure).
   */
  prepare() {
    if (!this.isOpen || !this.pos) return false;
    const fig = this.fig;
    const [w, h] = fig.cssSize;
    if (!this._avoid) this._avoid = this.obstacles();
    const rect = lensRect(this.pos.x, this.pos.y, w, h, this.deco.lens_size, this._avoid);
    if (!rect) {
      this.el.hidden = true;
      return false;
    }
    this.rect = rect;
    const view = lensView(this.pos.x, this.pos.y, w, h, rect.size, this.magnification);
    this.view = view;
    if (rect.size !== this._cssSide) {
      // (devicePixels asks the GL context for its limits: not on every pointer move.)
      this._cssSide = rect.size;
      const px = gpu.devicePixels(rect.size, rect.size);
      if (px[0] !== this.pixelSize[0] || px[1] !== this.pixelSize[1]) {
        this.pixelSize = px;
        this.canvas.width = px[0];
        this.canvas.height = px[1];
      }
    }
    const cam = this.camera;
    cam.copy(fig.camera);
    cam.setViewOffset(...view.offset);
    cam.updateMatrixWorld();
    const s = this.el.style;
    s.width = s.height = rect.size + "px";
    s.transform = `translate(${rect.x}px, ${rect.y}px)`;
    this.el.dataset.side = rect.side;
    return true;
  }

  /** What the lens keeps off: the toolbar's rectangle in the stage (CSS px). */
  obstacles() {
    const controls = this.fig.controls;
    if (!controls) return [];
    const s = this.fig.stage.getBoundingClientRect();
    const t = controls.toolbar.getBoundingClientRect();
    return t.width ? [{ x: t.left - s.left, y: t.top - s.top, w: t.width, h: t.height }] : [];
  }

  /** After the lens's pixels are in its canvas: the value labels. */
  afterRender() {
    this.el.hidden = false;
    this.placeLabels();
    this.fig.el.dispatchEvent(
      new CustomEvent("mm:lens", { bubbles: true, detail: { open: true, labels: this.labelCount } }),
    );
  }

  placeLabels() {
    const fig = this.fig;
    const [w, h] = fig.cssSize;
    const { x, y } = this.pos;
    let items = [];
    const radius = +this.deco.spotlight || 0;
    if (radius > 0 && fig.views) {
      this._ndc.set((x / w) * 2 - 1, 1 - (y / h) * 2);
      this._ray.setFromCamera(this._ndc, fig.camera);
      const { origin, direction } = this._ray.ray;
      items = this.faceItems(origin, direction, radius);
      if (this.deco.interior_spotlight && fig.anim) items = items.concat(this.planeItems(origin, direction, radius));
      items.sort((a, b) => a.dist - b.dist);
    }
    const kept = layoutLabels(items, this.rect.size, LABEL_FONT_PX);
    while (this.spans.length < kept.length) {
      const span = document.createElement("span");
      span.className = "mm-lens-label";
      this.layer.appendChild(span);
      this.spans.push(span);
    }
    kept.forEach(({ item, box }, n) => {
      const span = this.spans[n];
      span.textContent = item.text;
      span.hidden = false;
      span.style.transform = `translate(${box[0].toFixed(1)}px, ${box[1].toFixed(1)}px)`;
      span.style.width = box[2] + "px";
      span.classList.toggle("mm-lens-partial", item.state === "sum");
      span.classList.toggle("mm-lens-product", item.state === "product");
      const d = span.dataset;
      d.name = item.name;
      d.i = String(item.index[0]);
      d.j = String(item.index[1]);
      if (item.index.length > 2) d.k = String(item.index[2]);
      else delete d.k;
      d.value = String(item.value);
      d.state = item.state;
    });
    for (let n = kept.length; n < this.spans.length; n++) this.spans[n].hidden = true;
    this.labelCount = kept.length;
  }

  /**
   * Labels for the matrices' cells near the ray: what each shows now (the inspector's
   * `pick` at its centre, which also tells whether another face is in front of it).
   */
  faceItems(origin, direction, radius) {
    const fig = this.fig;
    const insp = fig.inspector;
    const mag = this.magnification;
    const items = [];
    for (const c of spotlightCells(fig.views, origin, direction, radius, MAX_LABELS)) {
      const at = insp.cellScreen(c.view, c.i, c.j);
      if (!at || at.cellPx * mag < MIN_LABEL_CELL_PX) continue;
      const [lx, ly] = this.view.toLens(at.x, at.y);
      if (lx < 0 || ly < 0 || lx > this.rect.size || ly > this.rect.size) continue;
      const hit = insp.pick(at.x, at.y);
      if (!hit || hit.view !== c.view || hit.i !== c.i || hit.j !== c.j || hit.state === "empty") continue;
      const name = fig.views[c.view].data.name;
      items.push({ x: lx, y: ly, dist: c.dist, text: formatValue(hit.value), value: hit.value, state: hit.state, name, index: [c.i, c.j] });
    }
    return items;
  }

  /**
   * deco.interior_spotlight: labels for the products the animation shows inside its
   * cubes (anim/planecells.js), L[i, k]·R[k, j] from the arguments' values, unless a
   * matrix's face is in front of them.
   */
  planeItems(origin, direction, radius) {
    const fig = this.fig;
    const insp = fig.inspector;
    const cam = fig.camera;
    const [w, h] = fig.cssSize;
    const mag = this.magnification;
    const faces = fig.anim.productFaces();
    const items = [];
    const unit = h / (2 * Math.tan(THREE.MathUtils.degToRad(cam.fov) / 2)); // px per world unit at depth 1
    for (const c of spotlightCells(faces, origin, direction, radius, MAX_LABELS)) {
      const face = faces[c.view];
      const p = this._v.fromArray(faceCellCentre(face, c.i, c.j));
      const dist = p.distanceTo(cam.position);
      const depth = -p.clone().applyMatrix4(cam.matrixWorldInverse).z;
      if (!(depth > cam.near) || (unit / depth) * mag < MIN_LABEL_CELL_PX) continue;
      p.project(cam);
      const sx = ((p.x + 1) / 2) * w;
      const sy = ((1 - p.y) / 2) * h;
      const [lx, ly] = this.view.toLens(sx, sy);
      if (lx < 0 || ly < 0 || lx > this.rect.size || ly > this.rect.size) continue;
      const front = insp.pick(sx, sy);
      if (front && front.state !== "empty" && front.t < dist - 0.5) continue; // a face hides it
      const [i, j, k] = productIndex(face, c.i, c.j);
      const value = insp.valueOf(face.left, i, k) * insp.valueOf(face.right, k, j);
      items.push({ x: lx, y: ly, dist: c.dist, text: formatValue(value), value, state: "product", name: "product", index: [i, j, k] });
    }
    return items;
  }

  dispose() {
    this.close();
    this.cancelPress();
    this.listenForCtrl(false);
    const canvas = this.fig.canvas;
    canvas.removeEventListener("pointerenter", this._onEnter);
    canvas.removeEventListener("pointerleave", this._onLeave);
    canvas.removeEventListener("pointerdown", this._onDown);
    canvas.removeEventListener("pointermove", this._onMove);
    canvas.removeEventListener("pointerup", this._onUp);
    canvas.removeEventListener("pointercancel", this._onUp);
    if (this.el) this.el.remove();
  }
}
