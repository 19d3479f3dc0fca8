// Light or dark figures, following the page's palette without a rebuild (issue 5).
//
// The page's theme is decided by `decideTheme` (pure, tested by node --test):
//   mkdocs-material  body[data-md-color-scheme] names the palette's scheme; it is
//                    dark iff listed in the viewer script's data-mm-dark-schemes
//                    (space-separated, the plugin's `dark_schemes`; default "slate")
//   MkDocs' theme    html[data-bs-theme] = light | dark ("auto": as below)
//   anything else    the reader's prefers-color-scheme
//
// One MutationObserver (those attributes, anywhere in the document) and one
// media-query listener exist while at least one figure listens, none otherwise.
// A figure follows the theme through `followTheme(fig)`: its scene's palette (the
// stage colour and matrix.frag's LIGHT define: SceneGraph.setTheme) and
// `data-mm-theme` on the figure element, which viewer.css keys its custom properties
// on.  A switch only updates those and redraws: nothing is refetched or rebuilt (the
// other palette's program is compiled at that first draw, once per page).

export const DEFAULT_DARK_SCHEMES = Object.freeze(["slate"]);

/** Per theme: the stage colour (scene background, matrix.frag's paper). */
export const THEMES = Object.freeze({
  dark: Object.freeze({ paper: 0x000000 }),
  light: Object.freeze({ paper: 0xfafafa }), // matrix.frag LIGHT_PAPER
});

const ATTRIBUTES = ["data-md-color-scheme", "data-bs-theme"];
const DARK_QUERY = "(prefers-color-scheme: dark)";

/** "slate midnight" → ["slate", "midnight"]; null/undefined (no attribute) → the default. */
export function parseSchemes(text) {
  if (text === null || text === undefined) return DEFAULT_DARK_SCHEMES.slice();
  return String(text).split(/\s+/).filter(Boolean);
}

/**
 * "dark" or "light" for a page whose body carries `scheme` (Material's
 * data-md-color-scheme, null when absent), whose <html> carries `bsTheme`
 * (MkDocs' data-bs-theme, null when absent), where the reader prefers dark
 * (`prefersDark`) and the site lists `darkSchemes` as dark.
 */
export function decideTheme({
  scheme = null,
  darkSchemes = DEFAULT_DARK_SCHEMES,
  bsTheme = null,
  prefersDark = false,
} = {}) {
  if (typeof scheme === "string" && scheme.trim() !== "") {
    return darkSchemes.includes(scheme.trim()) ? "dark" : "light";
  }
  if (bsTheme === "dark" || bsTheme === "light") return bsTheme;
  return prefersDark ? "dark" : "light";
}

function prefersDark() {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
}

/** What decideTheme needs, read from the document now. */
export function readPage(doc = document) {
  const body = doc.body;
  const script = doc.querySelector("script[data-mm-dark-schemes]");
  return {
    scheme: body ? body.getAttribute("data-md-color-scheme") : null,
    darkSchemes: parseSchemes(script ? script.getAttribute("data-mm-dark-schemes") : null),
    bsTheme: doc.documentElement ? doc.documentElement.getAttribute("data-bs-theme") : null,
    prefersDark: prefersDark(),
  };
}

/** The page's theme now: "dark" or "light". */
export function pageTheme() {
  return decideTheme(readPage());
}

// ------------------------------------------------------------------ watching

const subscribers = new Set();
let current = null;
let observer = null;
let media = null;

function refresh() {
  const next = pageTheme();
  if (next === current) return;
  current = next;
  for (const fn of Array.from(subscribers)) fn(next);
}

function startWatching() {
  if (typeof MutationObserver === "function" && document.documentElement) {
    observer = new MutationObserver(refresh);
    // Material sets the scheme on <body>, MkDocs' theme on <html>; subtree so a
    // replaced <body> is still seen.  The filter keeps it to these attributes.
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ATTRIBUTES, subtree: true });
  }
  if (typeof matchMedia === "function") {
    media = matchMedia(DARK_QUERY);
    if (media.addEventListener) media.addEventListener("change", refresh);
  }
}

function stopWatching() {
  if (observer) observer.disconnect();
  if (media && media.removeEventListener) media.removeEventListener("change", refresh);
  observer = null;
  media = null;
  current = null;
}

/** Watchers and subscribers alive now (tests: nothing leaks). */
export function watching() {
  return { subscribers: subscribers.size, observer: observer !== null, media: media !== null };
}

/**
 * Call fn(theme) now and whenever the page's theme changes; returns the
 * function that stops it (idempotent).
 */
export function onThemeChange(fn) {
  if (subscribers.size === 0) startWatching();
  subscribers.add(fn);
  current = pageTheme();
  fn(current);
  let live = true;
  return () => {
    if (!live) return;
    live = false;
    subscribers.delete(fn);
    if (subscribers.size === 0) stopWatching();
  };
}

// ------------------------------------------------------------------ figures

/**
 * Show `fig` in `theme`: its scene's palette (SceneGraph.setTheme), `data-mm-theme`
 * and a redraw.  Before its scene is built, build() picks up `fig.theme`.
 */
export function applyTheme(fig, theme) {
  const t = THEMES[theme] ? theme : "dark";
  fig.theme = t;
  fig.el.setAttribute("data-mm-theme", t);
  if (fig.graph) fig.graph.setTheme(t);
  fig.markDirty();
}

/** Make `fig` follow the page's theme; returns the function that stops it. */
export function followTheme(fig) {
  const stop = onThemeChange((theme) => applyTheme(fig, theme));
  return () => {
    stop();
    fig.el.removeAttribute("data-mm-theme");
  };
}
