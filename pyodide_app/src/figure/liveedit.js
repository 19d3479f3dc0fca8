// Between a figure and the page's Python runtime (live/): the reader's editor,
// scenes computed in the browser (an edit, or a spec-only figure), the loading
// note while Python starts, and the figure's spec as links carry it.
//
// After an edit there is no scene file for what is shown: the figure's
// data-mm-spec becomes the edited spec's #mm= state, so the full-view link and
// "copy link" carry the edit; Reset brings the page's own spec and file back.

import { Editor } from "../live/editor.js";
import { liveConfig } from "../live/pageruntime.js";
import { decodeUrlState, encodeUrlState } from "../format/urlstate.js";

export class LiveEdit {
  /**
   * @param {import("./figure.js").Figure} fig the figure (el, id, stage, header, show, load, fail)
   * @param {() => (import("../live/runtime.js").Runtime | null)} runtime the page's
   *   runtime, or null where live editing is off
   */
  constructor(fig, runtime) {
    this.fig = fig;
    this.runtime = runtime;
    this.editor = null; // created on first open
    this.edited = false; // showing a scene computed in the browser, not the page's file
    this.originalSpec = fig.el.getAttribute("data-mm-spec");
    this._specState = null; // pending #mm= encoding of the edited spec
    this._note = null; // the loading note under the stage
  }

  /** Whether the reader can edit the figure (the site runs Python in the browser). */
  canEdit() {
    return Boolean(this.runtime() && this.fig.header && this.fig.header.spec);
  }

  /** Open or close the editor panel (created on first use). */
  toggleEditor(show) {
    if (!this.canEdit()) return;
    if (!this.editor) this.editor = new Editor(this.fig, this.runtime(), { maxElements: liveConfig().maxElements });
    this.editor.toggle(show);
  }

  /** Draw scene bytes the worker computed for `spec`; links carry the edited spec from now on. */
  showEdited(bytes, spec) {
    const fig = this.fig;
    this.edited = true;
    fig.show(bytes);
    this._specState = encodeUrlState(spec).then((state) => {
      fig.el.setAttribute("data-mm-spec", state);
      if (fig.controls) fig.controls.updateLinks();
    });
  }

  /** Resolves once the figure's data-mm-spec is the edited spec's (links read it). */
  async specWritten() {
    if (this._specState) await this._specState;
  }

  /** Back to the page's own spec and scene file (the editor's Reset). */
  async resetScene() {
    await this.specWritten();
    this.edited = false;
    if (this.originalSpec) this.fig.el.setAttribute("data-mm-spec", this.originalSpec);
    await this.fig.load();
  }

  /** Compute the figure from its data-mm-spec in the browser (it names no scene file). */
  async compute() {
    const fig = this.fig;
    const rt = this.runtime();
    let spec;
    try {
      spec = await decodeUrlState(fig.el.getAttribute("data-mm-spec"));
    } catch (err) {
      fig.failWith("This figure's spec could not be read: ", err);
      return;
    }
    const off = rt.subscribe(({ state, text }) => {
      if (state === "starting" && fig.el.getAttribute("data-mm-state") === "loading") this.showNote(text);
    });
    const request = { spec };
    const cap = liveConfig().maxElements;
    if (cap) request.max_elements = cap;
    const answer = await rt.build(fig.id || "mm-figure", request);
    off();
    if (fig.disposed || answer.cancelled) return;
    if (answer.error) {
      const hint = answer.error.hint ? " (" + answer.error.hint + ")" : "";
      fig.fail("This figure could not be computed: " + answer.error.message + hint);
      return;
    }
    this.edited = true;
    fig.show(answer.bytes);
  }

  /** A one-line note under a figure that is still loading (Python's progress). */
  showNote(text) {
    const stage = this.fig.stage;
    if (!stage) return;
    if (!this._note) {
      this._note = document.createElement("p");
      this._note.className = "mm-loading-note";
      this._note.setAttribute("role", "status");
      stage.appendChild(this._note);
    }
    this._note.textContent = text;
  }

  /** The figure is drawn: the loading note goes. */
  clearNote() {
    if (this._note) this._note.remove();
    this._note = null;
  }

  /** Close the editor for good (the figure is unmounted). */
  dispose() {
    if (this.editor) this.editor.dispose();
    this.editor = null;
    this.clearNote();
  }
}
