// Live editing, page side: the one Runtime of this tab and when it starts, from
// the attributes the plugin puts on the viewer's <script> tag:
//
//   data-mm-pyodide       Pyodide indexURL (CDN, custom, or the self-hosted copy)
//   data-mm-runtime       eager | visible | interaction | never
//   data-mm-max-elements  the site's element cap, applied in the browser too
//
// A page without them (the fence used without the plugin) has no editor.
// The module, and so the worker, lives as long as the document: instant
// navigation keeps it, and every figure of every page shares it.

import { Runtime } from "./runtime.js";

let config = null;
let runtime = null;

/** {mode, indexURL, maxElements} from the viewer's script tag (read once). */
export function liveConfig() {
  if (config) return config;
  const script = typeof document !== "undefined" ? document.querySelector("script[data-mm-pyodide]") : null;
  const mode = script ? script.getAttribute("data-mm-runtime") || "interaction" : "never";
  const cap = script ? Number(script.getAttribute("data-mm-max-elements")) : NaN;
  config = {
    mode: ["eager", "visible", "interaction", "never"].includes(mode) ? mode : "interaction",
    indexURL: script ? new URL(script.getAttribute("data-mm-pyodide"), document.baseURI).href : null,
    maxElements: Number.isInteger(cap) && cap > 0 ? cap : null,
  };
  return config;
}

/** The tab's Runtime (created on first use), or null where editing is off. */
export function pageRuntime(assetsBase) {
  const c = liveConfig();
  if (c.mode === "never" || !c.indexURL) return null;
  if (!runtime) {
    runtime = new Runtime({
      workerURL: new URL("mm-worker.js", assetsBase).href,
      coreURL: new URL("mm-core.zip", assetsBase).href,
      indexURL: c.indexURL,
    });
  }
  return runtime;
}

/** Start Python now if the site asked for it at this moment ("eager" at load, "visible" on first figure). */
export function startIf(moment, assetsBase) {
  const c = liveConfig();
  if (c.mode === moment) {
    const rt = pageRuntime(assetsBase);
    if (rt) rt.start();
  }
}
