import { test } from "node:test";
import assert from "node:assert/strict";
import { clampInside, collisions, fitsInside, overlaps, setQuad } from "../src/figure/placement.js";

const quad = (x, y, angle, w = 40, h = 10) => setQuad(new Float64Array(8), { x, y, angle }, w, h);

test("a quad is the text's box turned about its centre", () => {
  assert.deepEqual(Array.from(quad(50, 50, 0)), [30, 45, 70, 45, 70, 55, 30, 55]);
  const q = quad(0, 0, 90);
  assert.ok(Math.abs(q[0] - 5) < 1e-9 && Math.abs(q[1] + 20) < 1e-9);
});

test("overlap is found between turned boxes and not between separated ones", () => {
  assert.ok(overlaps(quad(50, 50, 0), quad(50, 58, 0)));
  assert.ok(!overlaps(quad(50, 50, 0), quad(50, 62, 0)));
  assert.ok(overlaps(quad(50, 50, 0), quad(50, 50, 90))); // a plus sign
  assert.ok(!overlaps(quad(50, 50, 0), quad(50, 80, 45)));
  // Bounding boxes would meet here; the turned boxes do not.
  assert.ok(!overlaps(quad(0, 0, 45, 100, 4), quad(30, -30, 45, 100, 4)));
  assert.equal(collisions(quad(50, 50, 0), [quad(50, 58, 0), quad(50, 90, 0), quad(60, 50, 0)]), 2);
});

test("a box is pulled inside the frame, or centred when it is wider", () => {
  const pose = { x: 5, y: 50, angle: 0 };
  const q = setQuad(new Float64Array(8), pose, 40, 10);
  assert.ok(!fitsInside(q, 100, 100, 2));
  clampInside(q, pose, 100, 100, 2);
  assert.ok(fitsInside(q, 100, 100, 2));
  assert.equal(pose.x, 22);
  const wide = { x: 10, y: 50, angle: 0 };
  const w = setQuad(new Float64Array(8), wide, 200, 10);
  clampInside(w, wide, 100, 100, 2);
  assert.equal(wide.x, 50);
});
