// views.js: which fragments name a view (the names core/spec/views.py accepts), and
// the eased camera path (starts and ends exactly, at rest).

import assert from "node:assert/strict";
import { test } from "node:test";
import { between, ease, parseViewHash } from "../src/figure/views.js";
import { tableRows } from "../src/figure/readouts.js";

test("a fragment #FIGURE-ID:VIEW names a figure and a view", () => {
  assert.deepEqual(parseViewHash("#qk-circuit:diagonal"), { figure: "qk-circuit", view: "diagonal" });
  assert.deepEqual(parseViewHash("#att:step_2"), { figure: "att", view: "step_2" });
  assert.deepEqual(parseViewHash("#a%3Ab"), { figure: "a", view: "b" }); // an escaped colon
  for (const hash of ["", "#", "#att", "#att:", "#:v", "#att:2x", "#att:a:b", "att:v", "#mm=abc", "#%E0%A4%A", null]) {
    assert.equal(parseViewHash(hash), null, String(hash));
  }
  assert.equal(parseViewHash("#a:" + "v".repeat(40)).view.length, 40);
  assert.equal(parseViewHash("#a:" + "v".repeat(41)), null);
});

test("the camera path starts and ends exactly, eased", () => {
  assert.deepEqual(between([0, 0, 0], [10, -4, 2], 0), [0, 0, 0]);
  assert.deepEqual(between([0, 0, 0], [10, -4, 2], 1), [10, -4, 2]);
  assert.deepEqual(between([0, 0, 0], [10, -4, 2], 7), [10, -4, 2]);
  assert.deepEqual(between([0, 0, 0], [10, -4, 2], 0.5), [5, -2, 1]);
  assert.ok(ease(0.1) < 0.1 && ease(0.9) > 0.9); // slow at both ends
});

test("the read-out table's rows come from the header as they are", () => {
  const readouts = [
    { node: "QK", rows: [{ ref: "QK.sv", label: "singular values σ1…σ2", text: "3, 1" }] },
    { node: "K", rows: [{ ref: "K.max", label: "largest value", text: "<b>" }] },
  ];
  assert.deepEqual(tableRows(readouts), [
    ["QK.sv", "QK", "singular values σ1…σ2", "3, 1"],
    ["K.max", "K", "largest value", "<b>"],
  ]);
  assert.deepEqual(tableRows(undefined), []);
});
