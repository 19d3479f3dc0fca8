// Scenes that arrived wait here for their turn to be built: one figure per animation
// frame, the figures on the screen first.
//
// On a page of many figures (a head explorer: 72 heads) several scene files arrive in
// the same few milliseconds.  Built as they arrive, each decode + build + first frame
// (40–100 ms in software WebGL) ran back to back in one task: the figure the reader
// looks at waited behind figures below the fold, and scrolling stuttered.  Here:
//
// - a turn is one animation frame, and builds at most one figure;
// - it takes the waiting figure on the screen (Figure.onScreen) nearest the viewport's
//   middle, else the nearest one within the loading margin;
// - a figure off the screen waits while a figure on the screen is still fetching its
//   scene (`expect`): the reader's figure is built first even when its file comes last.
//
// The figure's own `show` does the work (figure.js); nothing here touches GL.

const waiting = new Map(); // Figure -> () => void: its build, when its turn comes
const expected = new Set(); // figures whose scene file is on its way
let rafId = 0;

/** `fig` has asked for its scene file: while it is on the screen, off-screen builds wait. */
export function expect(fig) {
  expected.add(fig);
}

/** `fig`'s scene arrived: run `build` at its turn (replacing a build it had waiting). */
export function enqueue(fig, build) {
  expected.delete(fig);
  waiting.set(fig, build);
  wake();
}

/** `fig` will not be built (disposed, failed): take it out of the queue. */
export function forget(fig) {
  expected.delete(fig);
  waiting.delete(fig);
  wake(); // figures it held back may go now
}

/** Look again at the next frame (a figure came onto the screen or left it). */
export function wake() {
  if (!rafId && waiting.size && typeof requestAnimationFrame === "function") rafId = requestAnimationFrame(turn);
}

/** Figures waiting for their turn (tests, stats). */
export function waitingCount() {
  return waiting.size;
}

/** How far `fig` is from the viewport's middle, in CSS pixels (0 on the line). */
function distance(fig) {
  const r = fig.el.getBoundingClientRect();
  const middle = (window.innerHeight || 0) / 2;
  return r.top > middle ? r.top - middle : r.bottom < middle ? middle - r.bottom : 0;
}

/** The next figure to build, or null while the ones that may go first are still loading. */
export function next() {
  let best = null;
  let bestRank = Infinity;
  for (const fig of waiting.keys()) {
    // On the screen before near it; then the nearest to the middle of the viewport.
    const rank = (fig.onScreen ? 0 : 1e7) + Math.min(distance(fig), 1e7 - 1);
    if (rank < bestRank) {
      best = fig;
      bestRank = rank;
    }
  }
  if (best && !best.onScreen) {
    for (const fig of expected) if (fig.onScreen && !fig.disposed) return null; // forget() wakes us
  }
  return best;
}

function turn() {
  rafId = 0;
  const fig = next();
  if (fig) {
    const build = waiting.get(fig);
    waiting.delete(fig);
    build();
  }
  if (fig && waiting.size) wake();
}
