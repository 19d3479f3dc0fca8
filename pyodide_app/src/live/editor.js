// The reader's editor for one figure: a panel under it (outside the figure's
// role=img) with the expression, each matrix's shape and init, the animation,
// blocks, layout and colours.  Every change is sent, debounced, to the page's
// Python worker (runtime.js), which answers with new scene bytes or a SpecError
// that is shown at the control it is about (the expression with a caret under
// the column).  The figure keeps working from its precomputed scene whatever the
// runtime does; the status line says what Python is doing.
//
// The spec the editor holds is the scene header's (Spec.to_dict(): the same
// mapping a fence, a #mm= link and the worker read), so reset, copy link, full
// view and "copy as a Markdown fence" all work from one object.

import { ALGS, INITS, SCHEMES, SENSITIVITIES } from "./choices.js";
import { fenceText } from "../format/fencetext.js";
import { copyText } from "../figure/share.js";

const DEBOUNCE_MS = 300;

/**
 * The control an error belongs to: "expr", "nodes.<name>", a section name, or "" (general).
 * `error.field` is the spec field's dotted path (core/live.py `error_dict`).
 */
export function errorTarget(error) {
  const path = (error && error.field) || "";
  if (!path) return "";
  const parts = path.split(".");
  if (parts[0] === "nodes" && parts.length > 1) return "nodes." + parts[1];
  return parts[0];
}

function clone(x) {
  return JSON.parse(JSON.stringify(x));
}

function el(tag, props = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("aria-") || k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

function select(label, options, value) {
  const s = el("select", { "aria-label": label });
  for (const o of options) s.append(el("option", { value: o, text: o }));
  s.value = value;
  return s;
}

/** A number field that may be left empty ("inferred" / "default"). */
function numberInput(label, value, placeholder) {
  return el("input", {
    type: "text",
    inputMode: "numeric",
    size: 5,
    value: value === null || value === undefined ? "" : String(value),
    placeholder: placeholder === undefined ? "" : String(placeholder),
    "aria-label": label,
    class: "mm-edit-num",
  });
}

function parseDim(text) {
  const t = text.trim();
  if (!t) return null;
  return /^-?\d+$/.test(t) ? Number(t) : t; // a dimension name ("k") stays text
}

/** The leaf matrices of a scene header, once each, in their own orientation. */
export function leafMatrices(header) {
  const out = new Map();
  for (const n of header.nodes || []) {
    if (n.kind !== "leaf" || out.has(n.matrix)) continue;
    const shape = n.transposed ? [n.shape[1], n.shape[0]] : n.shape.slice();
    out.set(n.matrix, { name: n.matrix, shape, init: n.init });
  }
  return Array.from(out.values());
}

export class Editor {
  /**
   * @param {object} fig the Figure (el, header, id, showEdited(bytes, spec), linkHref(), copyLink(),
   *   and `live`: figure/liveedit.js for resetScene() and specWritten())
   * @param {import("./runtime.js").Runtime} runtime
   * @param {{maxElements?: number}} options
   */
  constructor(fig, runtime, options = {}) {
    this.fig = fig;
    this.runtime = runtime;
    this.maxElements = options.maxElements || null;
    this.original = clone(fig.header.spec || {});
    this.spec = clone(this.original);
    this.timer = 0;
    this.serial = 0;
    this.open = false;
    this.panel = null;
  }

  toggle(show = !this.open) {
    if (show) this.show();
    else this.hide();
  }

  show() {
    if (!this.panel) this.createDom();
    this.panel.hidden = false;
    this.open = true;
    this.fig.el.setAttribute("aria-expanded", "true");
    this.runtime.start();
    this.exprInput.focus({ preventScroll: true });
  }

  hide() {
    if (this.panel) this.panel.hidden = true;
    this.open = false;
    this.fig.el.setAttribute("aria-expanded", "false");
  }

  dispose() {
    clearTimeout(this.timer);
    if (this._unsubscribe) this._unsubscribe();
    this.runtime.cancel(this.key);
    if (this.panel) this.panel.remove();
    this.panel = null;
  }

  get key() {
    return this.fig.id || "mm-figure";
  }

  // ---------------------------------------------------------------- DOM

  createDom() {
    const id = (this.fig.id || "mm-figure") + "-editor";
    this.panel = el("section", { class: "mm-editor", id, "aria-label": "Edit this figure" });
    this.fig.el.setAttribute("aria-controls", id);

    this.status = el("p", { class: "mm-edit-status", role: "status", "aria-live": "polite" });
    this.retryButton = el("button", { type: "button", class: "mm-edit-button", text: "Retry", hidden: true });
    this.retryButton.addEventListener("click", () => this.runtime.retry());
    const statusRow = el("div", { class: "mm-edit-row mm-edit-statusrow" }, [this.status, this.retryButton]);

    this.exprInput = el("input", {
      type: "text",
      class: "mm-edit-expr",
      spellcheck: false,
      autocomplete: "off",
      value: this.spec.expr || "",
      "aria-label": "Expression",
    });
    this.exprInput.addEventListener("input", () => {
      this.spec.expr = this.exprInput.value;
      this.changed();
    });
    this.exprInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.submitNow();
    });
    this.exprError = el("div", { class: "mm-edit-error", hidden: true, role: "alert" });
    const exprRow = el("label", { class: "mm-edit-row mm-edit-exprrow" }, [
      el("span", { class: "mm-edit-label", text: "expr" }),
      this.exprInput,
    ]);

    this.matrixBody = el("tbody");
    const table = el("table", { class: "mm-edit-matrices" }, [
      el("thead", {}, [
        el("tr", {}, [
          el("th", { scope: "col", text: "matrix" }),
          el("th", { scope: "col", text: "rows × cols" }),
          el("th", { scope: "col", text: "init" }),
        ]),
      ]),
      this.matrixBody,
    ]);
    this.nodeError = el("div", { class: "mm-edit-error", hidden: true, role: "alert" });

    this.sections = el("div", { class: "mm-edit-row mm-edit-sections" });
    this.sectionError = el("div", { class: "mm-edit-error", hidden: true, role: "alert" });
    this.generalError = el("div", { class: "mm-edit-error", hidden: true, role: "alert" });
    this.warnings = el("ul", { class: "mm-edit-warnings", hidden: true });

    const actions = el("div", { class: "mm-edit-row mm-edit-actions" });
    const action = (text, fn) => {
      const b = el("button", { type: "button", class: "mm-edit-button", text });
      b.addEventListener("click", fn);
      actions.append(b);
      return b;
    };
    action("Reset", () => this.reset());
    action("Copy link", () => this.fig.copyLink());
    this.fullView = el("a", { class: "mm-edit-button", text: "Full view", target: "_blank", rel: "noopener" });
    actions.append(this.fullView);
    action("Copy as Markdown", () => this.copyFence());
    action("Close", () => {
      this.hide();
      this.fig.el.focus({ preventScroll: true });
    });
    this.fenceOut = el("pre", { class: "mm-edit-fence", hidden: true });

    this.panel.append(
      statusRow,
      exprRow,
      this.exprError,
      table,
      this.nodeError,
      this.sections,
      this.sectionError,
      this.generalError,
      this.warnings,
      actions,
      this.fenceOut,
    );
    this.fig.el.after(this.panel);
    this.renderMatrices();
    this.renderSections();
    this.updateLinks();
    this._unsubscribe = this.runtime.subscribe((s) => this.onStatus(s));
  }

  onStatus({ state, text, info }) {
    this.retryButton.hidden = state !== "failed";
    this.panel.dataset.mmRuntime = state;
    if (state === "ready") {
      const v = info ? ` (Pyodide ${info.version}, numpy ${info.numpy})` : "";
      this.setStatus(this.pending ? "computing…" : "ready" + v);
    } else if (state === "failed") {
      this.setStatus(`Python could not load: ${text}. The figure keeps its precomputed values.`);
    } else {
      this.setStatus(text || "starting Python…");
    }
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  node(name) {
    if (!this.spec.nodes || typeof this.spec.nodes !== "object") this.spec.nodes = {};
    if (!this.spec.nodes[name]) this.spec.nodes[name] = {};
    return this.spec.nodes[name];
  }

  /** Remove empty node entries (a fence has no `A: {}`). */
  tidy() {
    if (!this.spec.nodes) return;
    for (const [name, v] of Object.entries(this.spec.nodes)) if (v && !Object.keys(v).length) delete this.spec.nodes[name];
    if (!Object.keys(this.spec.nodes).length) delete this.spec.nodes;
  }

  renderMatrices() {
    const header = this.fig.header || {};
    const leaves = leafMatrices(header);
    const names = leaves.map((m) => m.name).join(",");
    if (names === this._matrixNames) {
      // Same matrices: refresh what the reader is not typing into.
      for (const m of leaves) {
        const row = this.matrixBody.querySelector(`tr[data-matrix="${CSS.escape(m.name)}"]`);
        if (!row) continue;
        const [r, c] = row.querySelectorAll("input");
        r.placeholder = String(m.shape[0]);
        c.placeholder = String(m.shape[1]);
      }
      return;
    }
    this._matrixNames = names;
    this.matrixBody.replaceChildren();
    for (const m of leaves) {
      const given = (this.spec.nodes && this.spec.nodes[m.name]) || {};
      const shape = Array.isArray(given.shape) ? given.shape : [null, null];
      const rows = numberInput(`${m.name} rows`, shape[0], m.shape[0]);
      const cols = numberInput(`${m.name} columns`, shape[1], m.shape[1]);
      const onShape = () => {
        const r = parseDim(rows.value);
        const c = parseDim(cols.value);
        const node = this.node(m.name);
        if (r === null && c === null) delete node.shape;
        else node.shape = [r, c];
        this.tidy();
        this.changed();
      };
      rows.addEventListener("input", onShape);
      cols.addEventListener("input", onShape);
      const inits = select(`${m.name} init`, INITS, given.init || m.init || "gaussian");
      inits.addEventListener("change", () => {
        const node = this.node(m.name);
        node.init = inits.value;
        if (inits.value !== "data") delete node.data;
        if (inits.value !== "expr") delete node.expr;
        // Exact numbers and one-hot rows are typed in the spec, not in a menu.
        if (inits.value !== "values") delete node.values;
        if (inits.value !== "onehot") delete node.onehot;
        this.changed(0);
      });
      const data = given.data && given.data.path ? el("span", { class: "mm-edit-data", text: given.data.path }) : "";
      const row = el("tr", { "data-matrix": m.name }, [
        el("th", { scope: "row", text: m.name }),
        el("td", {}, [rows, el("span", { text: " × " }), cols]),
        el("td", {}, [inits, data]),
      ]);
      this.matrixBody.append(row);
    }
  }

  renderSections() {
    const spec = this.spec;
    const anim = typeof spec.anim === "string" ? { alg: spec.anim } : spec.anim || {};
    const blocks = spec.blocks || {};
    const layout = spec.layout || {};
    const colors = spec.colors || {};
    const section = (name) => {
      if (typeof spec[name] === "string") spec[name] = { alg: spec[name] };
      if (!spec[name] || typeof spec[name] !== "object") spec[name] = {};
      return spec[name];
    };
    const tidySection = (name) => {
      if (spec[name] && !Object.keys(spec[name]).length) delete spec[name];
    };
    const alg = select("Animation", ALGS, anim.alg || "none");
    alg.addEventListener("change", () => {
      const a = section("anim");
      if (alg.value === "none") delete a.alg;
      else a.alg = alg.value;
      tidySection("anim");
      this.changed(0);
    });
    const blockInputs = ["i", "j", "k"].map((axis) => {
      const input = numberInput(`blocks along ${axis}`, blocks[axis], 1);
      input.addEventListener("input", () => {
        const b = section("blocks");
        const v = parseDim(input.value);
        if (v === null) delete b[axis];
        else b[axis] = v;
        tidySection("blocks");
        this.changed();
      });
      return el("label", { class: "mm-edit-inline" }, [el("span", { text: axis }), input]);
    });
    const scheme = select("Layout scheme", SCHEMES, layout.scheme || "blocks");
    scheme.addEventListener("change", () => {
      section("layout").scheme = scheme.value;
      this.changed(0);
    });
    const sens = select("Colour sensitivity", SENSITIVITIES, colors.sensitivity || "global");
    sens.addEventListener("change", () => {
      section("colors").sensitivity = sens.value;
      this.changed(0);
    });
    const group = (label, ...controls) =>
      el("div", { class: "mm-edit-group" }, [el("span", { class: "mm-edit-label", text: label }), ...controls]);
    this.sections.replaceChildren(
      group("anim", alg),
      group("blocks", ...blockInputs),
      group("layout", scheme),
      group("colors", sens),
    );
  }

  // ---------------------------------------------------------------- computing

  /** Something changed: compute after a pause in typing (0: at once). */
  changed(delay = DEBOUNCE_MS) {
    clearTimeout(this.timer);
    this.pending = true;
    this.panel.dataset.mmEdit = "pending"; // pending → computing → done | error
    this.timer = setTimeout(() => this.submit(), delay);
  }

  submitNow() {
    clearTimeout(this.timer);
    this.submit();
  }

  async submit() {
    const serial = ++this.serial;
    const request = { spec: clone(this.spec) };
    if (this.maxElements) request.max_elements = this.maxElements;
    this.panel.dataset.mmEdit = "computing";
    if (this.runtime.state === "ready") this.setStatus("computing…");
    const t0 = performance.now();
    const answer = await this.runtime.build(this.key, request);
    if (serial !== this.serial || !this.panel || answer.cancelled) return;
    this.pending = false;
    if (answer.error) {
      this.showError(answer.error);
      this.panel.dataset.mmEdit = "error";
      if (this.runtime.state === "ready") this.setStatus("not redrawn: see the error below");
      this.fig.el.dispatchEvent(new CustomEvent("mm:edit-error", { bubbles: true, detail: answer.error }));
      return;
    }
    this.clearErrors();
    this.fig.showEdited(answer.bytes, request.spec);
    this.afterScene();
    const total = performance.now() - t0;
    this.panel.dataset.mmEdit = "done";
    this.setStatus(`redrawn (computed in ${Math.round(answer.ms)} ms, ${Math.round(total)} ms in all)`);
    this.fig.el.dispatchEvent(
      new CustomEvent("mm:edited", { bubbles: true, detail: { ms: answer.ms, total, spec: request.spec } }),
    );
  }

  /** After a new scene (edit or reset): refresh inferred shapes, warnings, links. */
  afterScene() {
    this.renderMatrices();
    const warnings = (this.fig.header && this.fig.header.warnings) || [];
    this.warnings.replaceChildren(...warnings.map((w) => el("li", { text: String(w) })));
    this.warnings.hidden = !warnings.length;
    this.updateLinks();
  }

  async updateLinks() {
    await this.fig.live.specWritten();
    this.fullView.href = this.fig.linkHref();
  }

  reset() {
    clearTimeout(this.timer);
    this.serial++;
    this.runtime.cancel(this.key);
    this.spec = clone(this.original);
    this.pending = false;
    this.exprInput.value = this.spec.expr || "";
    this._matrixNames = null;
    this.clearErrors();
    this.fig.live.resetScene().then(() => this.afterScene());
    this.renderMatrices();
    this.renderSections();
    this.setStatus("reset to the page's figure");
  }

  async copyFence() {
    const text = fenceText(this.spec);
    const copied = await copyText(text);
    this.fenceOut.textContent = text;
    this.fenceOut.hidden = false;
    this.setStatus(copied ? "fence copied" : "copy the fence below");
  }

  // ---------------------------------------------------------------- errors

  clearErrors() {
    for (const box of [this.exprError, this.nodeError, this.sectionError, this.generalError]) {
      box.hidden = true;
      box.replaceChildren();
    }
    this.exprInput.removeAttribute("aria-invalid");
    for (const e of this.panel.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
  }

  showError(error) {
    this.clearErrors();
    const target = errorTarget(error);
    // A mapping spec has no fence text: `column` (1-based) is inside the field's own
    // text, so it places a caret only when that field is the expression.
    const column = target === "expr" ? error.column : null;
    const lines = [el("span", { class: "mm-edit-message", text: error.message })];
    if (error.hint) lines.push(el("span", { class: "mm-edit-hint", text: "hint: " + error.hint }));
    if (target === "expr" || !target) {
      // Expression errors carry their column; whole-figure errors (shapes that do
      // not fit, size limits) are about the expression too.
      const box = this.exprError;
      if (column) {
        const text = this.spec.expr || "";
        const caret = " ".repeat(Math.max(0, column - 1)) + "^".repeat(Math.max(1, error.length || 1));
        box.append(el("pre", { class: "mm-edit-caret", text: text + "\n" + caret }));
        try {
          this.exprInput.setSelectionRange(column - 1, column - 1 + Math.max(1, error.length || 1));
        } catch (err) {
          // not focusable right now: the caret box says where
        }
      }
      box.append(...lines);
      box.hidden = false;
      this.exprInput.setAttribute("aria-invalid", "true");
      return;
    }
    if (target.startsWith("nodes.")) {
      const name = target.slice(6);
      const row = this.matrixBody.querySelector(`tr[data-matrix="${CSS.escape(name)}"]`);
      if (row) row.setAttribute("aria-invalid", "true");
      this.nodeError.append(...lines);
      this.nodeError.hidden = false;
      return;
    }
    if (["anim", "blocks", "layout", "colors"].includes(target)) {
      this.sectionError.append(...lines);
      this.sectionError.hidden = false;
      return;
    }
    this.generalError.append(...lines);
    this.generalError.hidden = false;
  }
}
