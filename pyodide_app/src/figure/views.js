// Named views (core/scene/views.py ships each with a whole camera and an optional
// animation step): links in the page's prose, `[text](#FIGURE-ID:VIEW)`, switch a
// figure to one.  The link is an ordinary link (keyboard, screen readers, middle
// click), the fragment records the view (Back returns to the previous one), and the
// camera moves there in VIEW_MS, at once under prefers-reduced-motion.

export const VIEW_MS = 700;

/**
 * The figure id and view name a fragment names, or null: `#qk-circuit:diagonal`.
 * @param {string} hash e.g. `location.hash` or an anchor's `hash`
 */
export function parseViewHash(hash) {
  if (typeof hash !== "string" || !hash.startsWith("#")) return null;
  let text;
  try {
    text = decodeURIComponent(hash.slice(1));
  } catch {
    return null;
  }
  const m = /^([A-Za-z][\w-]*):([A-Za-z][\w-]{0,39})$/.exec(text);
  return m ? { figure: m[1], view: m[2] } : null;
}

/** Smoothstep: starts and ends at rest. */
export function ease(t) {
  const x = Math.min(1, Math.max(0, t));
  return x * x * (3 - 2 * x);
}

/** The point a fraction `t` of the way from `a` to `b` (eased), as [x, y, z]. */
export function between(a, b, t) {
  const e = ease(t);
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * e);
}

/**
 * Move `fig`'s camera to `view` over `ms` milliseconds (0: at once).  Returns a promise
 * that resolves when it is there.  Orbiting during the move stops it where it is.
 */
export function moveCamera(fig, view, ms) {
  const cam = fig.camera;
  const orbit = fig.controls && fig.controls.orbit;
  const from = { position: cam.position.toArray(), target: orbit ? orbit.target.toArray() : view.target };
  const place = (t) => {
    cam.position.fromArray(between(from.position, view.position, t));
    const target = between(from.target, view.target, t);
    if (view.up) cam.up.fromArray(view.up);
    if (orbit) {
      orbit.target.fromArray(target);
      orbit.update();
    }
    cam.lookAt(target[0], target[1], target[2]);
    fig.markDirty();
  };
  if (fig._stopView) fig._stopView();
  if (!(ms > 0)) {
    place(1);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let t0 = null;
    let remove = null;
    const stop = () => {
      if (remove) remove();
      fig._stopView = null;
      resolve();
    };
    fig._stopView = stop;
    remove = fig.addTicker((now) => {
      if (fig.controls && fig.controls.dragging) {
        stop();
        return false;
      }
      if (t0 === null) t0 = now;
      const t = (now - t0) / ms;
      place(t);
      if (t >= 1) {
        stop();
        return false;
      }
      return true;
    });
  });
}

/**
 * The links to `views` under the figure (readouts_html.py `views_html` writes the
 * page's): rebuilt after a live edit, hidden when a scene has none; the link of the
 * view shown carries aria-current.
 * @param {HTMLElement} figureEl
 * @param {Array<{name: string, label: string}>|undefined} views the header's `views`
 * @param {string|null} current the view shown, if any
 */
export function showViewLinks(figureEl, views, current = null) {
  const list = views || [];
  let nav = figureEl.parentNode ? figureEl.parentNode.querySelector(`nav.mm-views[data-mm-for="${CSS.escape(figureEl.id)}"]`) : null;
  if (!nav) {
    const next = figureEl.nextElementSibling;
    nav = next && next.matches("nav.mm-views") ? next : null;
  }
  if (!nav) {
    if (!list.length || !figureEl.id) return null;
    nav = document.createElement("nav");
    nav.className = "mm-views";
    nav.setAttribute("aria-label", "Views of the figure");
    figureEl.after(nav);
  }
  nav.setAttribute("data-mm-for", figureEl.id);
  nav.hidden = list.length === 0;
  const parts = [document.createTextNode("Views: ")];
  for (const v of list) {
    const a = document.createElement("a");
    a.href = `#${figureEl.id}:${v.name}`;
    a.textContent = v.label;
    if (v.name === current) a.setAttribute("aria-current", "true");
    parts.push(a, document.createTextNode(" "));
  }
  nav.replaceChildren(...parts);
  return nav;
}
