// Fingers on a figure.  A figure in an article must not trap the page: a finger
// dragged over it scrolls the page, as over text, until the reader taps the
// figure.  The tap gives the figure focus (the same "active" as for the wheel and
// the keys) and shows the value under the finger; from then on one finger turns
// the figure, two pan and pinch-zoom it, and taps show values (on empty space:
// hide them); a long-press opens the lens (lens.js), which follows the finger.  Tapping elsewhere on the page takes the focus away: the figure is a
// part of the page again and its tapped value goes.
//
// How: while inactive the canvas lets the browser pan vertically and pinch-zoom
// the page (touch-action) and OrbitControls ignores touches; active, the canvas
// keeps every touch (touch-action: none) and OrbitControls gets them all.  A
// sideways drag on an inactive figure (the browser leaves it to us) says how to
// start.  Pens tap and long-press like fingers.

import { TOUCH } from "three";
import { LONG_PRESS_MS } from "./lens.js";

const TAP_SLOP_PX = 8;
const TOUCH_HINT = "Tap the figure, then drag to turn it";
const TOUCH_HINT_MS = 1500;

export class TouchGestures {
  /**
   * @param {object} fig the Figure (el, canvas, inspector)
   * @param {import("three/examples/jsm/controls/OrbitControls.js").OrbitControls} orbit
   * @param {{showHint: (text: string, ms: number) => void, hideHint: () => void}} hint
   *   the figure's hint line (controls.js)
   */
  constructor(fig, orbit, hint) {
    this.fig = fig;
    this.orbit = orbit;
    this.hint = hint;
    this._press = null; // a finger down that may be a tap or a long-press: {id, x, y, t, timer}
    this._tapShown = false; // the tooltip shows a tapped value
    this._hinted = false; // the hint line says how to start

    this._onFocus = () => {
      this.setActive(true);
      if (this._hinted) hint.hideHint(); // the reader did what it said
      this._hinted = false;
    };
    this._onBlur = (e) => {
      if (fig.el.contains(e.relatedTarget)) return;
      this.setActive(false);
      if (this._tapShown && !fig.inspector.probe) fig.inspector.hide();
      this._tapShown = false;
    };
    this._onDown = (e) => this.onPointerDown(e);
    this._onMove = (e) => this.onPointerMove(e);
    this._onUp = (e) => this.onPointerUp(e);
    this._onCancel = () => this.cancelPress();
    fig.el.addEventListener("focusin", this._onFocus);
    fig.el.addEventListener("focusout", this._onBlur);
    const canvas = fig.canvas;
    canvas.addEventListener("pointerdown", this._onDown);
    canvas.addEventListener("pointermove", this._onMove);
    canvas.addEventListener("pointerup", this._onUp);
    canvas.addEventListener("pointercancel", this._onCancel);
    this.setActive(fig.el.contains(document.activeElement));
  }

  /** Fingers turn the figure (active) or scroll the page (inactive). */
  setActive(active) {
    this.active = active;
    // The browser reads touch-action when a finger lands: a tap sets it for the next gesture.
    this.fig.canvas.style.touchAction = active ? "none" : "pan-y pinch-zoom";
    this.orbit.touches.ONE = active ? TOUCH.ROTATE : null;
    this.orbit.touches.TWO = active ? TOUCH.DOLLY_PAN : null;
  }

  isFingerLike(e) {
    return e.pointerType === "touch" || e.pointerType === "pen";
  }

  onPointerDown(e) {
    if (!this.isFingerLike(e)) return;
    this.cancelPress(); // a second finger: a gesture, not a tap
    if (!e.isPrimary) return;
    const [x, y] = this.fig.inspector.local(e);
    const press = { id: e.pointerId, x, y, t: performance.now(), timer: 0, hinted: false };
    press.timer = setTimeout(() => {
      press.timer = 0;
      // A long-press: the lens takes it (input/lens.js), and leaves the value shown
      // when the finger lifts; with the lens off (deco.lens_size: 0), the value now.
      if (!(this.fig.lens && this.fig.lens.enabled)) this.inspect(x, y);
    }, LONG_PRESS_MS);
    this._press = press;
  }

  onPointerMove(e) {
    const press = this._press;
    if (!press || e.pointerId !== press.id) return;
    const [x, y] = this.fig.inspector.local(e);
    if (Math.hypot(x - press.x, y - press.y) <= TAP_SLOP_PX) return;
    if (press.timer) clearTimeout(press.timer);
    press.timer = 0; // a drag: no tap, no long-press
    if (!this.active && e.pointerType === "touch" && !press.hinted) {
      press.hinted = true; // a sideways drag (a vertical one scrolls the page and cancels)
      this._hinted = true;
      this.hint.showHint(TOUCH_HINT, TOUCH_HINT_MS);
    }
  }

  onPointerUp(e) {
    const press = this._press;
    if (!press || e.pointerId !== press.id) return;
    const tap = press.timer !== 0 && performance.now() - press.t < LONG_PRESS_MS;
    this.cancelPress();
    if (tap) this.inspect(press.x, press.y);
  }

  cancelPress() {
    if (this._press && this._press.timer) clearTimeout(this._press.timer);
    this._press = null;
  }

  /** A tap or a long-press: the figure takes the gestures and shows the value there. */
  inspect(x, y) {
    const el = this.fig.el;
    if (!el.contains(document.activeElement)) el.focus({ preventScroll: true });
    this.fig.inspector.inspectAt(x, y);
    this._tapShown = true;
  }

  dispose() {
    this.cancelPress();
    const { el, canvas } = this.fig;
    el.removeEventListener("focusin", this._onFocus);
    el.removeEventListener("focusout", this._onBlur);
    canvas.removeEventListener("pointerdown", this._onDown);
    canvas.removeEventListener("pointermove", this._onMove);
    canvas.removeEventListener("pointerup", this._onUp);
    canvas.removeEventListener("pointercancel", this._onCancel);
  }
}
