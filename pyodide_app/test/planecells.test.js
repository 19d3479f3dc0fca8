import { test } from "node:test";
import assert from "node:assert/strict";
import { faceCellCentre, productFaces, productIndex } from "../src/anim/planecells.js";
import { spotlightCells } from "../src/input/lenslayout.js";

// A cube 10 (i) × 8 (j) × 6 (k), i split 4 + 4 + 2 (a short last block), gap 2; i runs
// down -y, j along +x, k along -z (an orthonormal frame, as the layout's cubes).
const cube = {
  origin: [1, 2, 3],
  axes: [
    [0, -1, 0],
    [1, 0, 0],
    [0, 0, -1],
  ],
  splits: [[0, 4, 8, 10], [0, 8], [0, 6]],
  gap: 2,
};
const VMPROD = { axes: [2, 1], strip: -1 }; // plane_kj: a k × j plane at the current row i

/** matrix.vert's plane placement of cube cell c (from block corner) in block (bi, bj, bk), written out. */
function world(blockStarts, blockIndex, c) {
  return [0, 1, 2].map((d) =>
    [0, 1, 2].reduce(
      (s, a) => s + cube.axes[a][d] * (blockStarts[a] + cube.gap * blockIndex[a] + c[a]),
      cube.origin[d],
    ),
  );
}

test("vmprod's plane: one face per i block, a k × j plane at the current row's centre", () => {
  const faces = productFaces(cube, VMPROD, "i", [1, 0, 0]);
  assert.equal(faces.length, 3);
  const f = faces[1]; // the second i block (rows 4..7): its row 4 + 1 = 5
  assert.deepEqual(f.data.blocks[0].rows, [0, 6]); // k
  assert.deepEqual(f.data.blocks[0].cols, [0, 8]); // j
  assert.equal(f.fixed, 5);
  assert.deepEqual(productIndex(f, 2, 7), [5, 7, 2]); // [i, j, k]
  const got = faceCellCentre(f, 2, 7);
  const want = world([4, 0, 0], [1, 0, 0], [1.5, 7.5, 2.5]);
  got.forEach((v, d) => assert.ok(Math.abs(v - want[d]) < 1e-12, `${got} vs ${want}`));
  // The plane's normal is the fixed axis (i), either way round.
  assert.ok(Math.abs(Math.abs(f.normal.y) - 1) < 1e-12);
});

test("a short block past its size draws nothing; a vector spans one cell", () => {
  // Row 3 of each i block: the last block has only 2 rows.
  assert.equal(productFaces(cube, VMPROD, "i", [3, 0, 0]).length, 2);
  // dotprod (row major): the k-vector at (i, j) = (local i, local j): strip along j.
  const faces = productFaces(cube, { axes: [2, 1], strip: 1 }, "ij", [0, 5, 0]);
  assert.equal(faces.length, 3);
  assert.deepEqual(faces[2].data.blocks[0].cols, [5, 6]);
  assert.deepEqual(productIndex(faces[2], 4, 5), [8, 5, 4]);
  const got = faceCellCentre(faces[2], 4, 5);
  const want = world([8, 0, 0], [2, 0, 0], [0.5, 5.5, 4.5]);
  got.forEach((v, d) => assert.ok(Math.abs(v - want[d]) < 1e-12));
});

test("the lens finds the product under its ray, and its cube index", () => {
  const faces = productFaces(cube, VMPROD, "i", [2, 0, 0]);
  // Aim straight down (-y) at the product (i, j, k) = (2, 3, 4) in the first i block.
  const target = world([0, 0, 0], [0, 0, 0], [2.5, 3.5, 4.5]);
  const cells = spotlightCells(faces, { x: target[0], y: target[1] + 40, z: target[2] }, { x: 0, y: -1, z: 0 }, 0.4);
  // The planes of the i blocks lie on the ray, one under the other, nearest first; the
  // last block (2 rows) has no row 2.
  assert.equal(faces.length, 2);
  assert.deepEqual(
    cells.map((c) => productIndex(faces[c.view], c.i, c.j)),
    [
      [2, 3, 4],
      [6, 3, 4],
    ],
  );
  assert.deepEqual(
    cells.map((c) => c.depth),
    [40, 40 + 4 + cube.gap],
  );
});
