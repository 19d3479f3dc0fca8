// Value inspection: hover (a tap on touch: touch.js; a long-press opens the lens,
// lens.js, which labels many cells at once and reuses `pick` and `reading`) shows the matrix
// name, the index (i, j) and the value under the pointer in a DOM tooltip; with the figure
// focused, a keyboard probe moves cell by cell (i/k rows, j/l columns, m next
// matrix).  Picking is analytic: the pointer's ray meets each block's plane, the
// hit gives the cell, the value comes from the CPU copy of the scene buffers.
// Never GPU picking, never an O(elements) scan.  While an animation plays, a result
// cell reads what it shows at that step (anim/cellstate.js): nothing yet ("not
// computed yet"), a partial sum with its k range, or its value.

import * as THREE from "three";
import { valueAt } from "../format/scenefile.js";
import { kRangesText } from "../anim/cellstate.js";

// An element-wise operator as the tooltip writes it (the figure's glyphs: stacks.py GLYPHS).
const OP_SIGNS = { "+": "+", "-": "−", "*": "×" };

/** `x` with about 5 significant digits: 0.12346, 1234.6, 1.2346e-7, NaN, ∞. */
export function formatValue(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "−∞";
  if (x === 0) return "0";
  return String(Number(x.toPrecision(5)));
}

/**
 * The index of cell (i, j) as the tooltip writes it: by label where the node's rows or
 * columns have labels (`["milk", "drank"]`), else by number (`[3, 4]`). Labels are
 * JSON-quoted text; the tooltip sets it as textContent, never as HTML.
 */
export function cellIndexText(node, i, j) {
  const side = (labels, n) => (labels && n < labels.length ? JSON.stringify(labels[n]) : String(n));
  return `[${side(node && node.row_labels, i)}, ${side(node && node.col_labels, j)}]`;
}

export class Inspector {
  /**
   * @param {object} fig the Figure (camera, views, buffers, stage, canvas)
   */
  constructor(fig) {
    this.fig = fig;
    this.tip = document.createElement("div");
    this.tip.className = "mm-tooltip";
    this.tip.setAttribute("role", "status");
    this.tip.setAttribute("aria-live", "polite");
    this.tip.hidden = true;
    this.tipName = document.createElement("span");
    this.tipName.className = "mm-tooltip-name";
    this.tipIndex = document.createElement("span");
    this.tipIndex.className = "mm-tooltip-index";
    this.tipValue = document.createElement("span");
    this.tipValue.className = "mm-tooltip-value";
    this.tipNote = document.createElement("span");
    this.tipNote.className = "mm-tooltip-note";
    this.tip.append(this.tipName, this.tipIndex, this.tipValue, this.tipNote);
    this.marker = document.createElement("div");
    this.marker.className = "mm-probe";
    this.marker.hidden = true;
    fig.stage.append(this.marker, this.tip);

    this.probe = null; // {view, i, j} while the keyboard probe is active
    this.hover = null; // last pointer position {x, y} (CSS px in the stage)
    this.shown = null; // the hovered or tapped cell in the tooltip: {view, i, j}
    this._ray = new THREE.Raycaster();
    this._ndc = new THREE.Vector2();
    this._p = new THREE.Vector3();
    this._o = new THREE.Vector3();
    this._a = new THREE.Vector3();
    this._b = new THREE.Vector3();
    this._n = new THREE.Vector3();

    const canvas = fig.canvas;
    this._onMove = (e) => this.onPointerMove(e);
    this._onLeave = (e) => this.onPointerLeave(e);
    canvas.addEventListener("pointermove", this._onMove);
    canvas.addEventListener("pointerleave", this._onLeave);
    canvas.addEventListener("pointercancel", this._onLeave);
  }

  // ------------------------------------------------------------------ picking

  /**
   * The cell under CSS point (x, y) of the stage: `{view, i, j, value, t}` or null.
   * The nearest block plane hit in front of the camera wins.
   */
  pick(x, y) {
    const fig = this.fig;
    const [w, h] = fig.cssSize;
    if (!fig.views || w <= 0 || h <= 0) return null;
    this._ndc.set((x / w) * 2 - 1, 1 - (y / h) * 2);
    this._ray.setFromCamera(this._ndc, fig.camera);
    const { origin, direction } = this._ray.ray;
    let best = null;
    for (let vi = 0; vi < fig.views.length; vi++) {
      const view = fig.views[vi];
      if (!view.visible) continue;
      const { a0, a1, normal } = view;
      const denom = direction.dot(normal);
      if (Math.abs(denom) < 1e-9) continue;
      for (const block of view.data.blocks) {
        const o = this._o.fromArray(block.origin);
        const t = this._p.copy(o).sub(origin).dot(normal) / denom;
        if (!(t > 0) || (best && t >= best.t)) continue;
        const rel = this._p.copy(direction).multiplyScalar(t).add(origin).sub(o);
        const u = rel.dot(a0);
        const v = rel.dot(a1);
        const nr = block.rows[1] - block.rows[0];
        const nc = block.cols[1] - block.cols[0];
        if (u >= 0 && u < nr && v >= 0 && v < nc) {
          const i = block.rows[0] + Math.floor(u);
          const j = block.cols[0] + Math.floor(v);
          best = { view: vi, i, j, t };
        }
      }
    }
    if (best) Object.assign(best, this.reading(best.view, best.i, best.j));
    return best;
  }

  valueOf(vi, i, j) {
    const view = this.fig.views[vi];
    return valueAt(view.buffer, i, j, view.transposed);
  }

  /**
   * What cell (i, j) of view `vi` shows now: `{state, value, note}`, state "final" (the
   * stored value), "empty" (not computed yet: value null), or "sum" (a partial sum, or a
   * complete one before its epilog, computed here from the arguments' values).
   */
  reading(vi, i, j) {
    const at = this.fig.anim ? this.fig.anim.cellAt(vi, i, j) : null;
    const shown = at ? at.shown : { state: "final" };
    if (shown.state === "final") return { state: "final", value: this.valueOf(vi, i, j), note: this.operandsNote(vi, i, j) };
    if (shown.state === "empty") return { state: "empty", value: null, note: "" };
    let sum = 0;
    for (const [k0, k1] of shown.ranges) {
      for (let k = k0; k < k1; k++) sum += this.valueOf(at.left, i, k) * this.valueOf(at.right, k, j);
    }
    const note = shown.complete ? "(before the epilog)" : `(partial: ${kRangesText(shown.ranges)})`;
    const views = this.fig.views;
    const approximate = [at.left, at.right].some((k) => Boolean(views[k].buffer && views[k].buffer.approximate));
    return { state: "sum", value: sum, note, approximate };
  }

  /**
   * What an element-wise result's cell (i, j) is made of, in words:
   * "x[2, 5] + b[0, 5] = 0.5 + 0.25" (a broadcast row or column reads its one row or column),
   * and the epilog when one follows; "" for any other cell.
   */
  operandsNote(vi, i, j) {
    const views = this.fig.views;
    const node = views[vi].node;
    if (node.kind !== "elementwise" || views[vi].data.role !== "result") return "";
    const parts = [];
    for (const path of [node.path + ".left", node.path + ".right"]) {
      const k = views.findIndex((v) => v.data.node === path);
      if (k < 0) return "";
      const [rows, cols] = views[k].data.shape;
      const r = rows === 1 ? 0 : i;
      const c = cols === 1 ? 0 : j;
      parts.push({ name: views[k].data.name, r, c, value: this.valueOf(k, r, c) });
    }
    const op = OP_SIGNS[node.op] || node.op;
    const [a, b] = parts;
    const then = node.epilog && node.epilog !== "none" ? `, then ${node.epilog}` : "";
    return `${a.name}[${a.r}, ${a.c}] ${op} ${b.name}[${b.r}, ${b.c}] = ` +
      `${formatValue(a.value)} ${op} ${formatValue(b.value)}${then}`;
  }

  /** CSS position in the stage of the centre of cell (i, j) of view `vi`, or null if behind. */
  cellScreen(vi, i, j) {
    const fig = this.fig;
    const view = fig.views[vi];
    const block = view.data.blocks.find(
      (b) => b.rows[0] <= i && i < b.rows[1] && b.cols[0] <= j && j < b.cols[1],
    );
    if (!block) return null;
    const p = this._p
      .fromArray(block.origin)
      .addScaledVector(view.a0, i - block.rows[0] + 0.5)
      .addScaledVector(view.a1, j - block.cols[0] + 0.5);
    const cam = this._o.copy(p).applyMatrix4(fig.camera.matrixWorldInverse);
    if (-cam.z <= fig.camera.near) return null;
    p.project(fig.camera);
    const [w, h] = fig.cssSize;
    const depth = -cam.z;
    const cellPx = h / (2 * Math.tan(THREE.MathUtils.degToRad(fig.camera.fov) / 2) * depth);
    return { x: ((p.x + 1) / 2) * w, y: ((1 - p.y) / 2) * h, cellPx };
  }

  // ------------------------------------------------------------------ display

  show(hit, x, y) {
    this.setText(hit);
    this.shown = { view: hit.view, i: hit.i, j: hit.j };
    this.tip.hidden = false;
    // Keep the tooltip inside the stage: flip left/up near the far edges.
    const [w, h] = this.fig.cssSize;
    const tw = this.tip.offsetWidth;
    const th = this.tip.offsetHeight;
    let left = x + 14;
    let top = y + 14;
    if (left + tw > w - 4) left = Math.max(4, x - 14 - tw);
    if (top + th > h - 4) top = Math.max(4, y - 14 - th);
    this.tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  /** The tooltip's words for a reading (`pick` or `reading`) of cell (i, j) of hit.view. */
  setText(hit) {
    const view = this.fig.views[hit.view];
    const empty = hit.state === "empty";
    this.tipName.textContent = view.data.name;
    this.tipIndex.textContent = cellIndexText(view.node, hit.i, hit.j);
    // A matrix stored as 8 bits (precision: display8) shows its value to within 1/510
    // of its row's range: say so.
    const approx = !empty && (hit.state === "sum" ? Boolean(hit.approximate) : Boolean(view.buffer && view.buffer.approximate));
    this.tipValue.textContent = empty ? "not computed yet" : (approx ? "≈ " : "= ") + formatValue(hit.value);
    const note = approx ? [hit.note, "(8-bit display value)"].filter(Boolean).join(" ") : hit.note;
    this.tipNote.textContent = note || "";
    this.tipNote.hidden = !note;
    const d = this.tip.dataset;
    d.name = view.data.name;
    d.node = view.data.node;
    d.i = String(hit.i);
    d.j = String(hit.j);
    const rows = view.node && view.node.row_labels;
    const cols = view.node && view.node.col_labels;
    d.row = rows ? rows[hit.i] : "";
    d.col = cols ? cols[hit.j] : "";
    d.value = empty ? "" : String(hit.value);
    d.state = hit.state || "final";
    d.approximate = String(approx);
  }

  hide() {
    this.tip.hidden = true;
    this.shown = null;
  }

  // ------------------------------------------------------------------ pointer

  local(e) {
    const r = this.fig.stage.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  onPointerMove(e) {
    if (e.pointerType === "touch") return; // touch shows values on tap / long-press
    if (e.buttons !== 0) {
      this.hide(); // dragging: orbiting, not inspecting
      return;
    }
    const [x, y] = this.local(e);
    this.hover = { x, y };
    if (this.fig.lens && this.fig.lens.isOpen) {
      this.hide(); // the lens shows the values
      return;
    }
    this.probe = null;
    this.marker.hidden = true;
    const hit = this.pick(x, y);
    if (hit) this.show(hit, x, y);
    else this.hide();
  }

  onPointerLeave(e) {
    // A finger "leaves" right after every tap: keep the tapped value shown.
    if (e && (e.pointerType === "touch" || e.pointerType === "pen")) return;
    this.hover = null;
    if (!this.probe) this.hide();
  }

  /** Show the value at CSS point (x, y) of the stage; nothing there hides the tooltip. */
  inspectAt(x, y) {
    const hit = this.pick(x, y);
    if (hit) this.show(hit, x, y);
    else this.hide();
  }

  // ------------------------------------------------------------------ keyboard probe

  /** Move the probe by (di, dj) cells; start it at the centre of the first matrix. */
  moveProbe(di, dj) {
    const views = this.fig.views;
    if (!views || views.length === 0) return;
    if (!this.probe) {
      const s = views[0].data.shape;
      this.probe = { view: 0, i: Math.floor(s[0] / 2), j: Math.floor(s[1] / 2) };
    } else {
      const s = views[this.probe.view].data.shape;
      this.probe.i = Math.min(s[0] - 1, Math.max(0, this.probe.i + di));
      this.probe.j = Math.min(s[1] - 1, Math.max(0, this.probe.j + dj));
    }
    this.refresh();
  }

  /** Move the probe to the next (+1) or previous (-1) matrix, keeping the index if it fits. */
  nextMatrix(step) {
    const views = this.fig.views;
    if (!views || views.length === 0) return;
    if (!this.probe) {
      this.moveProbe(0, 0);
      return;
    }
    const n = views.length;
    const vi = (((this.probe.view + step) % n) + n) % n;
    const s = views[vi].data.shape;
    this.probe = { view: vi, i: Math.min(this.probe.i, s[0] - 1), j: Math.min(this.probe.j, s[1] - 1) };
    this.refresh();
  }

  clearProbe() {
    this.probe = null;
    this.marker.hidden = true;
    this.hide();
  }

  /** Re-place the probe's marker and tooltip (after the camera moved); re-read a hovered cell (after a step). */
  refresh() {
    const p = this.probe;
    if (!p) {
      const c = this.shown;
      if (c && !this.tip.hidden) this.setText(Object.assign({ view: c.view, i: c.i, j: c.j }, this.reading(c.view, c.i, c.j)));
      return;
    }
    const at = this.cellScreen(p.view, p.i, p.j);
    if (!at) {
      this.marker.hidden = true;
      this.hide();
      return;
    }
    if (this.fig.lens) this.fig.lens.followProbe(at.x, at.y);
    const size = Math.max(8, Math.min(48, at.cellPx));
    this.marker.style.width = size.toFixed(1) + "px";
    this.marker.style.height = size.toFixed(1) + "px";
    this.marker.style.transform = `translate(${(at.x - size / 2).toFixed(1)}px, ${(at.y - size / 2).toFixed(1)}px)`;
    this.marker.hidden = false;
    this.show(Object.assign({ view: p.view, i: p.i, j: p.j }, this.reading(p.view, p.i, p.j)), at.x, at.y);
  }

  dispose() {
    const canvas = this.fig.canvas;
    canvas.removeEventListener("pointermove", this._onMove);
    canvas.removeEventListener("pointerleave", this._onLeave);
    canvas.removeEventListener("pointercancel", this._onLeave);
    this.tip.remove();
    this.marker.remove();
  }
}
