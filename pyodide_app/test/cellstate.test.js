// cellstate.js: what a hovered result cell shows at a step (the inspector's words),
// the CPU twin of matrix.frag's reveal and ACCUM choices; and the split-k face.

import assert from "node:assert/strict";
import { test } from "node:test";
import { REVEAL_NONE, faceBlock, trackUniforms } from "../src/anim/animstate.js";
import { EMPTY, FINAL, cellShown, kRangesText } from "../src/anim/cellstate.js";

/** A header track for a 4×3 result of depth K, one block along i and j. */
function track(alg, { K = 6, kSplits = [0, K], epilog = false } = {}) {
  const table = {
    vmprod: [["i"], "plane_kj", "row", [4]],
    mvprod: [["j"], "plane_ik", "col", [3]],
    dotprod_row_major: [["i", "j"], "vector_k", "element", [4, 3]],
    vvprod: [["k"], "plane_ij", "accumulate", [Math.max(...kSplits.slice(1).map((b, n) => b - kSplits[n]))]],
    axpy: [["j", "k"], "vector_i", "accumulate_col", [3, 3]],
  };
  const [sweep, shows, reveals, sizes] = table[alg];
  return {
    node: "root",
    alg,
    start: 0,
    steps: sizes.reduce((a, b) => a * b, 1),
    sweep,
    sizes,
    shows,
    reveals,
    splits: [[0, 4], [0, 3], kSplits],
    partial_sums: kSplits.length > 2 && !["vvprod", "axpy"].includes(alg),
    epilog_at_end: epilog,
    fused_with: null,
    partial_max: 1,
  };
}

const at = (index) => ({ index, done: false });
const sum = (ranges, complete = false) => ({ state: "sum", ranges, complete });

test("idle and done cells are final; before the start they are empty", () => {
  const t = track("vmprod");
  assert.deepEqual(cellShown(t, null, 3, 2, 0), FINAL);
  assert.deepEqual(cellShown(t, { index: null, done: true }, 3, 2, 0), FINAL);
  assert.deepEqual(cellShown(t, { index: null, done: false }, 0, 0, 0), EMPTY);
});

test("row, column and element sweeps: computed cells final, the rest empty", () => {
  assert.deepEqual(cellShown(track("vmprod"), at({ i: 1 }), 1, 2, 0), FINAL);
  assert.deepEqual(cellShown(track("vmprod"), at({ i: 1 }), 2, 0, 0), EMPTY);
  assert.deepEqual(cellShown(track("mvprod"), at({ j: 1 }), 3, 1, 0), FINAL);
  assert.deepEqual(cellShown(track("mvprod"), at({ j: 1 }), 0, 2, 0), EMPTY);
  const dot = track("dotprod_row_major");
  assert.deepEqual(cellShown(dot, at({ i: 1, j: 1 }), 1, 1, 0), FINAL);
  assert.deepEqual(cellShown(dot, at({ i: 1, j: 1 }), 1, 2, 0), EMPTY);
});

test("split-k: while the sweep runs a computed face cell shows its block's partial sum", () => {
  const t = track("vmprod", { K: 8, kSplits: [0, 3, 6, 8] });
  assert.deepEqual(cellShown(t, at({ i: 2 }), 1, 0, 0), sum([[0, 3]]));
  assert.deepEqual(cellShown(t, at({ i: 2 }), 1, 0, 2), sum([[6, 8]]));
  assert.deepEqual(cellShown(t, at({ i: 2 }), 3, 0, 0), EMPTY);
  assert.deepEqual(cellShown(t, null, 1, 0, 0), FINAL);
  // The face itself draws nothing then: the partial plane has its place.
  assert.deepEqual(trackUniforms(t, at({ i: 2 })).face, REVEAL_NONE);
  assert.deepEqual(trackUniforms(t, at({ i: 2 })).reveal, [3, 0, 0, 0]);
  assert.deepEqual(trackUniforms(track("vmprod"), at({ i: 2 })).face, [3, 0, 0, 0]);
});

test("vvprod: running sums over the first k of every block, final on the last step", () => {
  const t = track("vvprod", { K: 7, kSplits: [0, 4, 7] });
  assert.deepEqual(cellShown(t, at({ k: 1 }), 3, 2, 0), sum([[0, 2], [4, 6]]));
  assert.deepEqual(cellShown(t, at({ k: 2 }), 0, 0, 0), sum([[0, 3], [4, 7]]));
  assert.deepEqual(cellShown(t, at({ k: 3 }), 0, 0, 0), FINAL);
});

test("axpy: done columns final (raw while an epilog waits), the current one partial", () => {
  const t = track("axpy", { K: 3 });
  assert.deepEqual(cellShown(t, at({ j: 1, k: 0 }), 2, 0, 0), FINAL);
  assert.deepEqual(cellShown(t, at({ j: 1, k: 0 }), 2, 1, 0), sum([[0, 1]]));
  assert.deepEqual(cellShown(t, at({ j: 1, k: 0 }), 2, 2, 0), EMPTY);
  assert.deepEqual(cellShown(t, at({ j: 1, k: 2 }), 2, 1, 0), FINAL);
  const e = track("axpy", { K: 3, epilog: true });
  assert.deepEqual(cellShown(e, at({ j: 1, k: 0 }), 2, 0, 0), sum([[0, 3]], true));
  assert.deepEqual(cellShown(e, at({ j: 2, k: 2 }), 2, 0, 0), FINAL);
});

test("k ranges in words", () => {
  assert.equal(kRangesText([[0, 8]]), "k < 8");
  assert.equal(kRangesText([[8, 16]]), "8 ≤ k < 16");
  assert.equal(kRangesText([[0, 3], [8, 11], [16, 16]]), "k < 3, 8 ≤ k < 11");
});

test("the face's k block: the first if the face lies before k = 0, else the last", () => {
  const cube = { origin: [0, 0, 10], axes: [[0, -1, 0], [1, 0, 0], [0, 0, -1]], splits: [[0, 4], [0, 4], [0, 2, 4, 6]] };
  assert.equal(faceBlock(cube, [0, 0, 14]), 0);
  assert.equal(faceBlock(cube, [0, 0, -8]), 2);
});
