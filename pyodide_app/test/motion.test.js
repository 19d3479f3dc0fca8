// motion.js: which figures drop resolution while the camera moves, and when a moving
// figure is drawn at full resolution again.

import assert from "node:assert/strict";
import { test, mock } from "node:test";
import { MOTION_MIN_ELEMENTS, MOTION_SCALE, Motion, SETTLE_MS, drawnElements, motionScaleFor } from "../src/figure/motion.js";

const header = (...shapes) => ({ matrices: shapes.map((shape) => ({ shape })) });

test("drawn elements add every matrix's rows × columns", () => {
  assert.equal(drawnElements(header([3, 4], [4, 5], [3, 5])), 12 + 20 + 15);
  assert.equal(drawnElements({}), 0);
});

test("only figures of MOTION_MIN_ELEMENTS or more drop resolution in motion", () => {
  assert.equal(MOTION_MIN_ELEMENTS, 1_000_000);
  assert.equal(motionScaleFor(header([1000, 999])), 1); // 999,000
  assert.equal(motionScaleFor(header([1000, 999], [1, 1000])), MOTION_SCALE); // 1,000,000
  assert.ok(MOTION_SCALE > 0 && MOTION_SCALE < 1);
  // the full GPT-2 layer's 17 matrices (examples/gpt2-layer.yaml): 13.3 M elements
  const layer = header(
    [1024, 768], [1024, 3072], [1024, 768], [1024, 64], [1024, 1024], [1024, 64], [1024, 768], [768, 64], [64, 1024],
    [64, 768], [768, 1024], [1024, 64], [1024, 768], [768, 64], [64, 768], [768, 3072], [3072, 768],
  );
  assert.equal(drawnElements(layer), 13_303_808);
  assert.equal(motionScaleFor(layer), MOTION_SCALE);
});

test("a move lowers the scale until SETTLE_MS of stillness, then one full frame is asked for", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let redraws = 0;
    const m = new Motion(() => redraws++, 0.5);
    assert.equal(m.scale, 1);
    m.moved();
    assert.equal(m.scale, 0.5);
    mock.timers.tick(SETTLE_MS - 1);
    m.moved(); // still moving: the settle time starts again
    mock.timers.tick(SETTLE_MS - 1);
    assert.equal(m.scale, 0.5);
    assert.equal(redraws, 0);
    mock.timers.tick(1);
    assert.equal(m.scale, 1);
    assert.equal(redraws, 1);
    m.dispose();
  } finally {
    mock.timers.reset();
  }
});

test("a figure whose scale is 1 never moves; dispose cancels the settle frame", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let redraws = 0;
    const still = new Motion(() => redraws++, 1);
    still.moved();
    assert.equal(still.moving, false);
    const m = new Motion(() => redraws++, 0.5);
    m.moved();
    m.dispose();
    mock.timers.tick(SETTLE_MS * 2);
    assert.equal(redraws, 0);
    assert.equal(m.scale, 1);
  } finally {
    mock.timers.reset();
  }
});
