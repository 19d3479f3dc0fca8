// figure/buildqueue.js: one build per animation frame, figures on the screen first.
import { test } from "node:test";
import assert from "node:assert/strict";

// A viewport 720 px high and animation frames we run by hand.
const frames = [];
globalThis.window = { innerHeight: 720 };
globalThis.requestAnimationFrame = (fn) => frames.push(fn);
const { enqueue, expect, forget, waitingCount } = await import("../src/figure/buildqueue.js");

/** A figure-like object `top` px below the viewport's top, 100 px high. */
function fig(name, top, onScreen) {
  return { name, onScreen, disposed: false, el: { getBoundingClientRect: () => ({ top, bottom: top + 100 }) } };
}

/** Run the animation frames queued so far; the names built, one list per frame. */
function runFrames(built) {
  const out = [];
  while (frames.length) {
    const before = built.length;
    frames.shift()();
    out.push(built.slice(before));
  }
  return out;
}

test("figures on the screen are built first, nearest the middle first, one a frame", () => {
  const built = [];
  const figs = [fig("below", 900, false), fig("far", 2000, false), fig("edge", 600, true), fig("middle", 300, true)];
  for (const f of figs) enqueue(f, () => built.push(f.name));
  assert.deepEqual(runFrames(built), [["middle"], ["edge"], ["below"], ["far"]]);
  assert.equal(waitingCount(), 0);
});

test("figures off the screen wait while one on it is still fetching its scene", () => {
  const built = [];
  const reader = fig("reader", 100, true);
  const below = fig("below", 900, false);
  expect(reader);
  expect(below);
  enqueue(below, () => built.push("below"));
  assert.deepEqual(runFrames(built), [[]]); // a frame goes by: nothing built
  enqueue(reader, () => built.push("reader"));
  assert.deepEqual(runFrames(built), [["reader"], ["below"]]);
});

test("a figure on the screen that fails or leaves lets the others go", () => {
  const built = [];
  const reader = fig("reader", 100, true);
  const below = fig("below", 900, false);
  expect(reader);
  enqueue(below, () => built.push("below"));
  assert.deepEqual(runFrames(built), [[]]);
  forget(reader); // its fetch failed, or it was unmounted
  assert.deepEqual(runFrames(built), [["below"]]);
});
