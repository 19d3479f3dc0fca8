// The full-page view (app.html): one figure filling the window, its whole state in
// the URL fragment so a link reproduces exactly what its author saw:
//
//   app.html#scene=<scene file URL>&mm=<spec state>&cam=x,y,z,tx,ty,tz&step=n
//
// `scene` is a precomputed scene file on this site (other origins are refused:
// a link must never make the page fetch from elsewhere); `mm` is the spec
// (urlstate.py), which the in-browser Python runtime will recompute when there is
// no scene file (live editing, a later issue). Camera moves are written back with
// replaceState, debounced, so orbiting never floods the history.
// Loaded after mm-viewer.js, whose API is on window.mmViewer.

import { decodeUrlState } from "./urlstate.js";

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

async function start() {
  const root = document.getElementById("mm-app");
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
  if (!scene) {
    const expr = specDict && specDict.expr ? " (" + specDict.expr + ")" : "";
    message(
      root,
      spec
        ? "This link holds a figure spec" + expr + " but no precomputed scene; computing it in the browser comes with live editing."
        : "No figure in this link. Open a figure's full view from a page to get one.",
    );
    return;
  }
  if (specDict && specDict.expr) document.title = specDict.expr + " · mm-docs";
  const el = document.createElement("figure");
  el.className = "mm-figure mm-app-figure";
  el.id = "mm-app-figure";
  el.setAttribute("data-mm-scene", scene);
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
  const orbit = fig.controls && fig.controls.orbit;
  const cam = parseCamera(state.get("cam"));
  if (cam && orbit) {
    fig.camera.position.set(...cam.position);
    orbit.target.set(...cam.target);
    orbit.update();
    fig.markDirty();
  }
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
