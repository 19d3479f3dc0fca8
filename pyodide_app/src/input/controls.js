// Input for one figure: orbit/pan/zoom (OrbitControls: mouse, touch, wheel),
// keyboard while the figure has focus, the toolbar and the help overlay; what
// fingers do (tap to activate, inspect) is touch.js.
//
// Keys are handled on the figure element only (never on window) and events
// from form fields are ignored.  A key the figure handles stops there (default
// prevented, propagation stopped): a theme's own shortcuts on window (Material:
// `,` `.` previous/next page, `f` `s` `/` search) never see it.  Keys it does not
// handle (Tab, Page Down, `n`…) go on to the page untouched.  The wheel zooms
// only once the figure has focus (or with Ctrl/⌘ held), so scrolling an article
// never gets stuck in a figure.

import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { button, icon } from "./buttons.js";
import { TouchGestures } from "./touch.js";

const ROTATE_STEP = Math.PI / 36; // 5° per arrow key
const PAN_STEP_PX = 40;
const ZOOM_STEP = 1.15;
const WHEEL_HINT = "Click the figure, or hold Ctrl, to zoom with the wheel";
const WHEEL_HINT_MS = 1500;

/** [keys, what they do]: the help overlay's content and the keyboard map's documentation. */
export const HELP = [
  ["tap (touch screens)", "take touch gestures (until then fingers scroll the page)"],
  ["drag · one finger", "orbit"],
  ["right-drag · Shift+drag · two fingers", "pan"],
  ["wheel (figure focused, or Ctrl+wheel) · pinch", "zoom"],
  ["← → ↑ ↓", "orbit"],
  ["Shift + ← → ↑ ↓", "pan"],
  ["+ / −", "zoom in / out"],
  ["0 or Home", "reset the view"],
  ["f", "fit the figure in view"],
  ["s", "save the view as PNG"],
  ["hover · tap", "show a value"],
  ["hold Ctrl · long-press · z", "magnifying lens with the values under it"],
  ["i / k", "probe: previous / next row"],
  ["j / l", "probe: previous / next column"],
  ["m / Shift+M", "probe: next / previous matrix"],
  ["Esc", "close the lens, hide the probe and this help"],
  ["? or /", "show or hide this help"],
];

/** Keys of an animated figure (added to the help overlay when the figure has steps). */
export const ANIM_HELP = [
  ["Space", "play / pause the animation"],
  [", / .", "animation: step back / forward"],
];

/** The key that opens the editor, where the site runs Python in the browser. */
export const EDIT_HELP = [["e", "edit the figure (recomputed in your browser)"]];

function isFormField(target) {
  if (!target || target.nodeType !== 1) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

function isPressable(target) {
  return Boolean(target && target.nodeType === 1 && (target.tagName === "BUTTON" || target.tagName === "A"));
}

export class Controls {
  /**
   * @param {object} fig the Figure: el, stage, canvas, camera, inspector, anim, and the
   *   actions resetView(), fit(), savePng(), copyLink(), linkHref(), onCameraChange();
   *   `live` (figure/liveedit.js) for the editor
   */
  constructor(fig) {
    this.fig = fig;
    const orbit = new OrbitControls(fig.camera, fig.canvas);
    orbit.enableDamping = false; // frames stay on demand: nothing moves after release
    orbit.zoomSpeed = 0.6;
    orbit.screenSpacePanning = true;
    this.orbit = orbit;
    this.dragging = false;
    this._onChange = () => fig.onCameraChange();
    this._onStart = () => {
      this.dragging = true;
    };
    this._onEnd = () => {
      this.dragging = false;
    };
    orbit.addEventListener("change", this._onChange);
    orbit.addEventListener("start", this._onStart);
    orbit.addEventListener("end", this._onEnd);

    this._onKey = (e) => this.onKeyDown(e);
    fig.el.addEventListener("keydown", this._onKey);
    this._onWheel = (e) => this.onWheel(e);
    fig.stage.addEventListener("wheel", this._onWheel, { capture: true, passive: true });
    this._onPointerDown = (e) => {
      // A finger may be scrolling the page: a tap gives focus (touch.js).
      if (e.pointerType === "touch") return;
      if (!fig.el.contains(document.activeElement)) fig.el.focus({ preventScroll: true });
    };
    fig.canvas.addEventListener("pointerdown", this._onPointerDown);

    this.toolbar = document.createElement("div");
    this.toolbar.className = "mm-toolbar";
    this.linkButton = button("Copy a link to this figure", "link", () => fig.copyLink());
    const full = document.createElement("a");
    full.className = "mm-button";
    full.appendChild(icon("open"));
    full.href = fig.linkHref();
    full.target = "_blank";
    full.rel = "noopener";
    full.setAttribute("aria-label", "Open in full view");
    full.title = "Open in full view";
    this.fullLink = full;
    const edit = fig.live.canEdit() ? [button("Edit this figure", "edit", () => fig.live.toggleEditor())] : [];
    // On a narrow stage (a phone; viewer.css's container query) only "full view" and
    // this one show at rest, so the toolbar does not cover the figure; it shows the rest.
    this.moreButton = button("More controls", "more", () => this.toggleMore());
    this.moreButton.classList.add("mm-more");
    this.moreButton.setAttribute("aria-expanded", "false");
    full.classList.add("mm-keep");
    this.toolbar.append(
      ...edit,
      button("Reset view", "reset", () => fig.resetView()),
      button("Fit in view", "fit", () => fig.fit()),
      button("Save as PNG", "save", () => fig.savePng()),
      this.linkButton,
      full,
      button("Keyboard and mouse help", "?", () => this.toggleHelp()),
      this.moreButton,
    );
    this.help = document.createElement("div");
    this.help.className = "mm-help";
    this.help.hidden = true;
    const title = document.createElement("p");
    title.className = "mm-help-title";
    title.textContent = "Keys (when the figure has focus) and gestures";
    const list = document.createElement("dl");
    const keys = HELP.concat(fig.anim ? ANIM_HELP : [], edit.length ? EDIT_HELP : []);
    for (const [keys_, action] of keys) {
      const dt = document.createElement("dt");
      dt.textContent = keys_;
      const dd = document.createElement("dd");
      dd.textContent = action;
      list.append(dt, dd);
    }
    this.help.append(title, list);
    this.hint = document.createElement("div");
    this.hint.className = "mm-hint";
    this.hint.hidden = true;
    this.hint.textContent = WHEEL_HINT;
    this._hintTimer = 0;
    fig.stage.append(this.toolbar, this.help, this.hint);
    this.touch = new TouchGestures(fig, orbit, this);
  }

  /** Point the full-view link at the figure's current state (after an edit). */
  updateLinks() {
    this.fullLink.href = this.fig.linkHref();
  }

  toggleHelp(show = this.help.hidden) {
    this.help.hidden = !show;
  }

  /** Show or fold the toolbar's other buttons (only a narrow stage folds them). */
  toggleMore(open = !this.toolbar.classList.contains("mm-open")) {
    this.toolbar.classList.toggle("mm-open", open);
    this.moreButton.setAttribute("aria-expanded", String(open));
    this.fig.reserveControls();
  }

  /** Show `text` over the stage for `ms` milliseconds (the latest text wins). */
  showHint(text, ms) {
    this.hint.textContent = text;
    this.hint.hidden = false;
    clearTimeout(this._hintTimer);
    this._hintTimer = setTimeout(() => this.hideHint(), ms);
  }

  hideHint() {
    clearTimeout(this._hintTimer);
    this.hint.hidden = true;
  }

  onWheel(e) {
    const el = this.fig.el;
    if (el.contains(document.activeElement) || e.ctrlKey || e.metaKey) return;
    // Not ours yet: let the page scroll (OrbitControls' listener is on the canvas,
    // below this capturing one, so stopping here keeps it from zooming).
    e.stopPropagation();
    this.showHint(WHEEL_HINT, WHEEL_HINT_MS);
  }

  onKeyDown(e) {
    if (e.defaultPrevented || isFormField(e.target)) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const fig = this.fig;
    const orbit = this.orbit;
    const probe = fig.inspector;
    const anim = fig.anim;
    let handled = true;
    switch (e.key) {
      case " ":
      case "Spacebar":
        // A focused button (or link) takes Space itself: toggling here too would undo its click.
        if (anim && !isPressable(e.target)) anim.togglePlay();
        else handled = false;
        break;
      // The animation's keys are the figure's on still figures too (doing nothing):
      // a reader's `.` on a figure never turns the page.
      case ",":
        if (anim) anim.stepBack();
        break;
      case ".":
        if (anim) anim.stepForward();
        break;
      case "ArrowLeft":
        if (e.shiftKey) orbit.pan(PAN_STEP_PX, 0);
        else orbit.rotateLeft(ROTATE_STEP);
        break;
      case "ArrowRight":
        if (e.shiftKey) orbit.pan(-PAN_STEP_PX, 0);
        else orbit.rotateLeft(-ROTATE_STEP);
        break;
      case "ArrowUp":
        if (e.shiftKey) orbit.pan(0, PAN_STEP_PX);
        else orbit.rotateUp(ROTATE_STEP);
        break;
      case "ArrowDown":
        if (e.shiftKey) orbit.pan(0, -PAN_STEP_PX);
        else orbit.rotateUp(-ROTATE_STEP);
        break;
      case "+":
      case "=":
        orbit.dollyIn(1 / ZOOM_STEP); // OrbitControls: a scale below 1 moves closer
        break;
      case "-":
      case "_":
        orbit.dollyOut(1 / ZOOM_STEP);
        break;
      case "0":
      case "Home":
        fig.resetView();
        break;
      case "f":
      case "F":
        fig.fit();
        break;
      case "s":
      case "S":
        fig.savePng();
        break;
      case "e":
      case "E":
        if (!fig.live.canEdit()) return;
        fig.live.toggleEditor();
        break;
      case "?":
      case "/": // ? without Shift
        this.toggleHelp();
        break;
      case "Escape": {
        const open = this.toolbar.classList.contains("mm-open");
        if (this.help.hidden && !probe.probe && !fig.lens.isOpen && !open) handled = false;
        fig.lens.close();
        this.toggleHelp(false);
        if (open) this.toggleMore(false);
        probe.clearProbe();
        break;
      }
      case "i":
      case "I":
        probe.moveProbe(-1, 0);
        break;
      case "k":
      case "K":
        probe.moveProbe(1, 0);
        break;
      case "j":
      case "J":
        probe.moveProbe(0, -1);
        break;
      case "l":
      case "L":
        probe.moveProbe(0, 1);
        break;
      case "z":
      case "Z":
        fig.lens.toggle();
        break;
      case "m":
        probe.nextMatrix(1);
        break;
      case "M":
        probe.nextMatrix(-1);
        break;
      default:
        handled = false;
    }
    if (!handled) return;
    e.preventDefault();
    e.stopPropagation();
  }

  dispose() {
    const fig = this.fig;
    const orbit = this.orbit;
    this.touch.dispose();
    orbit.removeEventListener("change", this._onChange);
    orbit.removeEventListener("start", this._onStart);
    orbit.removeEventListener("end", this._onEnd);
    orbit.dispose();
    fig.el.removeEventListener("keydown", this._onKey);
    fig.stage.removeEventListener("wheel", this._onWheel, { capture: true });
    fig.canvas.removeEventListener("pointerdown", this._onPointerDown);
    clearTimeout(this._hintTimer);
    this.toolbar.remove();
    this.help.remove();
    this.hint.remove();
  }
}
