// The full-page view (app.html): one figure filling the window, its whole state in
// the URL fragment so a link reproduces exactly what its author saw:
//
//   app.html#scene=<scene file URL>&mm=<spec state>&cam=x,y,z,tx,ty,tz&step=n&view=name
//
// `scene` is a precomputed scene file on this site (other origins are refused:
// a link must never make the page fetch from elsewhere); `mm` is the spec
// (urlstate.py), which the in-browser Python runtime computes when there is no
// scene file (a link copied after an edit).  A link to the mm tool itself works
// too: replace mm's `…/mm/index.html` with this page's address, keeping the
// query (`?params=…` or mm's compressed form); the runtime imports it and the
// address becomes our own `#mm=` link.  Camera moves are written back with
// replaceState, debounced, so orbiting never floods the history.
// Loaded after mm-viewer.js, whose API is on window.mmViewer.

import { decodeScene } from "../format/scenefile.js";
import { decodeUrlState, encodeUrlState } from "../format/urlstate.js";

const WRITE_DELAY_MS = 250;

function params() {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

function message(root, text) {
  const p = document.createElement("p");
  p.className = "mm-app-message";
  p.textContent = text;
  root.replaceChildren(p);
}

/** The scene URL from the fragment, resolved, if it is on this page's origin. */
export function sameOriginScene(value, base = location.href) {
  if (!value) return null;
  let url;
  try {
    url = new URL(value, base);
  } catch (err) {
    return null;
  }
  return url.origin === new URL(base).origin ? url.href : null;
}

/** "x,y,z,tx,ty,tz" → {position, target}, or null when malformed. */
export function parseCamera(text) {
  if (!text) return null;
  const v = text.split(",").map(Number);
  if (v.length !== 6 || !v.every(Number.isFinite)) return null;
  return { position: v.slice(0, 3), target: v.slice(3) };
}

function formatCamera(camera, target) {
  const round = (x) => Number(x.toFixed(3));
  return [camera.position.x, camera.position.y, camera.position.z, target.x, target.y, target.z]
    .map(round)
    .join(",");
}

/** An mm link given to this page (its query), imported into our #mm= state; null if none. */
async function importMmLink(root) {
  if (!location.search || params().get("mm")) return null;
  const runtime = window.mmViewer.runtime();
  if (!runtime) {
    message(root, "This site does not run Python in the browser, so it cannot open mm links.");
    return false;
  }
  const off = runtime.subscribe(({ text }) => text && message(root, "Importing the mm link: " + text));
  const answer = await runtime.build("mm-app-import", { mm_link: location.href });
  off();
  if (answer.error) {
    const e = answer.error;
    message(root, "This mm link could not be opened: " + e.message + (e.hint ? " (" + e.hint + ")" : ""));
    return false;
  }
  const { header } = decodeScene(answer.bytes);
  const state = await encodeUrlState(header.spec);
  history.replaceState(history.state, "", location.pathname + "#mm=" + state);
  return true;
}

async function start() {
  const root = document.getElementById("mm-app");
  if ((await importMmLink(root)) === false) return;
  const state = params();
  const spec = state.get("mm") || "";
  let specDict = null;
  if (spec) {
    try {
      specDict = await decodeUrlState(spec);
    } catch (err) {
      message(root, "This link's figure could not be read: " + err.message);
      return;
    }
  }
  const scene = sameOriginScene(state.get("scene"));
  if (state.get("scene") && !scene) {
    message(root, "This link points at a scene file on another site; it is not loaded.");
    return;
  }
  if (!scene && !spec) {
    message(root, "No figure in this link. Open a figure's full view from a page to get one.");
    return;
  }
  if (!scene && !window.mmViewer.runtime()) {
    const expr = specDict && specDict.expr ? " (" + specDict.expr + ")" : "";
    message(root, "This link holds a figure spec" + expr + " but this site does not compute figures in the browser.");
    return;
  }
  if (specDict && specDict.expr) document.title = specDict.expr + " · mm-docs";
  const el = document.createElement("figure");
  el.className = "mm-figure mm-app-figure";
  el.id = "mm-app-figure";
  // Without a scene file the viewer computes the figure from its spec (Figure.compute).
  if (scene) el.setAttribute("data-mm-scene", scene);
  el.setAttribute("data-mm-spec", spec);
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", specDict && specDict.expr ? specDict.expr : "matrix multiplication figure");
  el.setAttribute("tabindex", "0");
  root.replaceChildren(el);
  el.addEventListener("mm:ready", () => follow(el, state), { once: true });
  window.mmViewer.mount(el);
}

function follow(el, state) {
  const fig = window.mmViewer.figure(el);
  if (!fig) return;
  // The full view is the figure: it takes keys, the wheel and fingers at once (no page to scroll).
  el.focus({ preventScroll: true });
  const orbit = fig.controls && fig.controls.orbit;
  const cam = parseCamera(state.get("cam"));
  if (cam && orbit) {
    fig.camera.position.set(...cam.position);
    orbit.target.set(...cam.target);
    orbit.update();
    fig.markDirty();
  }
  if (!cam && state.get("view")) fig.showView(state.get("view")); // a named view, if no camera
  const step = Number(state.get("step"));
  if (Number.isInteger(step) && step >= 0 && typeof fig.seek === "function") fig.seek(step);
  if (!orbit) return;
  let timer = 0;
  orbit.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const next = params();
      next.set("cam", formatCamera(fig.camera, orbit.target));
      if (fig.player) next.set("step", String(fig.player.step));
      history.replaceState(history.state, "", "#" + next.toString());
    }, WRITE_DELAY_MS);
  });
}

if (typeof document !== "undefined" && document.getElementById("mm-app")) {
  start();
}
