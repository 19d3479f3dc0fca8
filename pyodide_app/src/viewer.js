// The viewer's entry point: finds `figure.mm-figure` placeholders (the HTML
// contract is mm_docs_plugin/figure_html.py) and turns them into interactive
// figures as they come within about one viewport of the screen.
//
// Public API, exported and on `window.mmViewer`:
//   mount(el)            mount one figure now (idempotent); returns its Figure
//   unmount(el)          dispose it: GL objects, listeners and added DOM; poster back
//   mountAll(root)       watch every placeholder under root; each mounts when near
//   liveContexts()       WebGL contexts held by the viewer (0 or 1)
//   figure(el)           the mounted Figure of el, if any (setColors, setDeco, fit…)
//   stats()              {figures, contexts, geometries, textures, programs}
//   theme()              the page's palette as figures show it: "dark" | "light"
//                        (figure/theme.js; each figure also carries data-mm-theme)
//   openView(hash)       switch the figure `#FIGURE-ID:VIEW` names to that view (figure/views.js)
//   runtime()            the tab's Python worker client (live/pageruntime.js,
//                        live/runtime.js), or null where the site set `runtime: never`
//
// On its own it mounts the page on DOMContentLoaded, re-scans after each
// mkdocs-material instant navigation (`document$`), and unmounts figures
// that leave the document.

import { Figure } from "./figure/figure.js";
import { pageRuntime, startIf } from "./live/pageruntime.js";
import { liveContexts as contexts, rendererInfo, sharedRenderer } from "./gl/renderer.js";
import { warmUp } from "./figure/warmup.js";
import * as buildQueue from "./figure/buildqueue.js";
import { pageTheme } from "./figure/theme.js";
import { parseViewHash } from "./figure/views.js";

const SELECTOR = "figure.mm-figure";
const figures = new Map(); // element -> Figure
const watched = new Set(); // elements waiting to come near the screen
const released = new WeakSet(); // unmounted on request: automatic rescans leave them be
let nearObserver = null;
let screenObserver = null;
let sweepQueued = false;
let warm = null; // the page's warm programs (figure/warmup.js), held while it has figures

const ASSETS_BASE = (() => {
  try {
    return new URL(".", import.meta.url).href;
  } catch (err) {
    return typeof document !== "undefined" ? document.baseURI : "";
  }
})();

function prefersReducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function ensureObservers() {
  if (nearObserver || typeof IntersectionObserver !== "function") return;
  // Load and draw a first frame within one viewport above or below the screen…
  nearObserver = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const el = entry.target;
        if (!entry.isIntersecting) {
          const fig = figures.get(el);
          if (fig) {
            fig.near = false;
            fig.releaseTextures(); // back on the GPU when it comes near again
          }
          continue;
        }
        const fig = figures.get(el) || (watched.has(el) ? mount(el) : null);
        if (fig) {
          fig.near = true;
          fig.markDirty();
        }
      }
    },
    { rootMargin: "100% 0px 100% 0px" },
  );
  // …but redraw (camera moves, spin, animation) only while actually visible.
  screenObserver = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const fig = figures.get(entry.target);
      if (!fig) continue;
      fig.onScreen = entry.isIntersecting;
      if (fig.onScreen) fig.markDirty();
    }
    buildQueue.wake(); // the figures on the screen go first
  });
}

/** Start Python where the site starts it on interaction (`runtime: interaction`); idempotent. */
function wakeRuntime() {
  startIf("interaction", ASSETS_BASE);
}

/** Start Python where the site starts it with the first figure (`runtime: visible`); idempotent. */
function wakeVisible() {
  startIf("visible", ASSETS_BASE);
}

function isFigure(el) {
  return Boolean(el && el.nodeType === 1 && el.matches(SELECTOR));
}

/** Mount `el` now (idempotent). Returns its Figure, or null if `el` is not a placeholder. */
export function mount(el) {
  return mountAt(el, null);
}

/** mount(), knowing already whether `el` is near and on the screen (its scene's priority). */
function mountAt(el, where) {
  if (!isFigure(el)) return null;
  const existing = figures.get(el);
  if (existing) return existing;
  released.delete(el);
  ensureObservers();
  const fig = new Figure(el, {
    assetsBase: ASSETS_BASE,
    reducedMotion: prefersReducedMotion(),
    runtime: () => pageRuntime(ASSETS_BASE),
  });
  // `runtime: visible`: Python starts once a figure near the screen has drawn its first
  // frame (or failed), so its download and compile do not compete with that frame.
  el.addEventListener("mm:ready", wakeVisible);
  el.addEventListener("mm:error", wakeVisible);
  // `interaction`: once a reader points at or tabs to a figure: Python then starts in
  // the background, seconds before a first edit would otherwise have to wait for it.
  el.addEventListener("pointerenter", wakeRuntime);
  el.addEventListener("focusin", wakeRuntime);
  figures.set(el, fig);
  watched.add(el);
  followViewLinks();
  if (nearObserver) {
    nearObserver.observe(el); // no-op if already observed; its first report sets `near`
    screenObserver.observe(el);
  } else {
    fig.near = true;
    fig.onScreen = true;
  }
  if (where) Object.assign(fig, where);
  fig.start();
  return fig;
}

/** Unmount `el` (idempotent): free its GL objects and listeners, remove what was added. */
export function unmount(el) {
  if (el && el.isConnected) released.add(el); // still on the page: stay a poster until asked again
  const had = letGo(el);
  followViewLinks();
  return had;
}

/** Stop watching `el` and free its figure, if any (true if it had one). */
function letGo(el) {
  watched.delete(el);
  if (nearObserver) {
    nearObserver.unobserve(el);
    screenObserver.unobserve(el);
  }
  const fig = figures.get(el);
  if (!fig) return false;
  el.removeEventListener("mm:ready", wakeVisible);
  el.removeEventListener("mm:error", wakeVisible);
  el.removeEventListener("pointerenter", wakeRuntime);
  el.removeEventListener("focusin", wakeRuntime);
  figures.delete(el);
  fig.dispose();
  return true;
}

/**
 * Watch every placeholder under `root` (default: the document); each mounts when it
 * comes within a viewport of the screen.  Figures no longer in the document are
 * unmounted.  Idempotent.  Returns the number of placeholders found.
 */
export function mountAll(root = document) {
  return scan(root, true);
}

function scan(root, explicit) {
  sweep();
  const found = [];
  if (isFigure(root)) found.push(root);
  if (root && root.querySelectorAll) found.push(...root.querySelectorAll(SELECTOR));
  ensureObservers();
  for (const el of found) {
    if (explicit) released.delete(el);
    else if (released.has(el)) continue;
    if (figures.has(el) || watched.has(el)) continue;
    watched.add(el);
    if (nearObserver) nearObserver.observe(el);
    else mount(el);
  }
  followViewLinks();
  // Figures already near the screen start loading now rather than at the observer's
  // first report (a frame or more later: after the first paint); the observer keeps
  // watching them, and the rest, as before.
  for (const el of found) {
    if (watched.has(el) && !figures.has(el)) {
      const where = nearness(el);
      if (where.near) mountAt(el, where);
    }
  }
  return found.length;
}

/** Whether `el` is within a viewport of the screen (nearObserver's margin), and on it. */
function nearness(el) {
  const r = el.getBoundingClientRect();
  const h = window.innerHeight || 0;
  const w = window.innerWidth || 0;
  const across = r.right >= 0 && r.left <= w && r.width + r.height > 0;
  return { near: across && r.bottom >= -h && r.top <= 2 * h, onScreen: across && r.bottom >= 0 && r.top <= h };
}

/** Unmount figures (and forget placeholders) that have left the document. */
/**
 * Let go of the figures no longer in the document.  Only scan() sweeps, and it follows
 * view links (and holds the warm programs) once it has seen the new page's figures:
 * deciding here, between two pages (Material's instant navigation), would free the
 * programs and compile them again for the next page's first frames.
 */
function sweep() {
  for (const el of Array.from(watched)) if (!el.isConnected) letGo(el);
  for (const el of Array.from(figures.keys())) if (!el.isConnected) letGo(el);
}

export function liveContexts() {
  return contexts();
}

export function figure(el) {
  return figures.get(el) || null;
}

export function stats() {
  return Object.assign({ figures: figures.size, contexts: contexts() }, rendererInfo());
}

function queueRescan() {
  if (sweepQueued) return;
  sweepQueued = true;
  requestAnimationFrame(() => {
    sweepQueued = false;
    scan(document, false);
  });
}

function ours(node) {
  const el = node && node.nodeType === 1 ? node : node && node.parentElement;
  return Boolean(el && el.closest && el.closest(".mm-stage, .mm-notice"));
}

function autoStart() {
  if (typeof window === "undefined" || typeof document === "undefined") return;
  if (window.mmViewer && window.mmViewer.autoStarted) return; // bundle included twice
  window.mmViewer = api;
  const start = () => {
    startIf("eager", ASSETS_BASE);
    mountAll(document);
    if (location.hash) openView(location.hash); // a page opened at a named view
    if (typeof MutationObserver === "function" && document.body) {
      // Pages that swap content without document$ (other themes, htmx…).
      new MutationObserver((records) => {
        for (const r of records) {
          if (!ours(r.target)) {
            queueRescan();
            return;
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    }
    // mkdocs-material instant navigation: an RxJS subject emitting after each page swap.
    const doc$ = window.document$;
    if (doc$ && typeof doc$.subscribe === "function") {
      doc$.subscribe(() => {
        scan(document, false);
        if (location.hash) openView(location.hash); // a view link from another page
      });
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
}

/**
 * Switch the figure a fragment names to its view (`#FIGURE-ID:VIEW`): scroll it into
 * view, mount it if needed, and move once it is drawn.  Returns false when the
 * fragment names no figure on the page.
 */
export function openView(hash) {
  const target = parseViewHash(hash);
  const el = target && document.getElementById(target.figure);
  if (!isFigure(el)) return false;
  el.scrollIntoView({ behavior: prefersReducedMotion() ? "auto" : "smooth", block: "center" });
  el.focus({ preventScroll: true }); // keys now orbit this figure; it announces its label
  const fig = mount(el);
  if (fig.built) fig.showView(target.view);
  else el.addEventListener("mm:ready", () => fig.showView(target.view), { once: true });
  return true;
}

function onPopState() {
  openView(location.hash);
}

let linksFollowed = false;

/**
 * While the page has figures, hold the programs their first frames need, compiled as
 * soon as the first placeholder is seen (figure/warmup.js); a page without any keeps
 * no GL objects.
 */
function holdPrograms() {
  const want = figures.size + watched.size > 0;
  if (want && !warm) {
    try {
      warm = warmUp(sharedRenderer().renderer, pageTheme());
    } catch (err) {
      warm = null; // no WebGL 2: each figure says so itself (Figure.start)
    }
  } else if (!want && warm) {
    warm.dispose();
    warm = null;
  }
}

/**
 * Follow links to named views (#FIGURE-ID:VIEW) and Back/Forward between them while
 * the page has figures; a page without any keeps none of the viewer's listeners.
 */
function followViewLinks() {
  holdPrograms();
  const want = figures.size + watched.size > 0 && typeof window !== "undefined";
  if (want === linksFollowed) return;
  linksFollowed = want;
  const change = want ? "addEventListener" : "removeEventListener";
  window[change]("click", onViewLink, true);
  window[change]("popstate", onPopState);
}

/** A click on a link to a view of a figure on this page: switch, and record it in the URL. */
function onViewLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
  if (!a || a.origin !== location.origin || a.pathname !== location.pathname) return;
  const target = parseViewHash(a.hash);
  if (!target || !isFigure(document.getElementById(target.figure))) return;
  event.preventDefault();
  event.stopPropagation(); // instant navigation would look for an element with this id
  if (location.hash !== a.hash) history.pushState(history.state, "", a.hash);
  openView(a.hash);
}

/** The tab's Python runtime (live editing), or null where the site turned editing off. */
export function runtime() {
  return pageRuntime(ASSETS_BASE);
}

export const api = { mount, unmount, mountAll, liveContexts, figure, stats, runtime, openView, theme: pageTheme, autoStarted: true };

autoStart();
