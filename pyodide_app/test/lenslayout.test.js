import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LENS_GAP,
  LENS_MARGIN,
  LENS_MIN,
  labelWidth,
  layoutLabels,
  lensRect,
  lensView,
  spotlightCells,
} from "../src/input/lenslayout.js";

const inside = (r, w, h) =>
  r.x >= LENS_MARGIN && r.y >= LENS_MARGIN && r.x + r.size <= w - LENS_MARGIN && r.y + r.size <= h - LENS_MARGIN;

test("the lens sits centred above the pointer, lens_size × the figure's height", () => {
  const r = lensRect(344, 300, 688, 420, 0.5);
  assert.deepEqual(r, { x: 344 - 105, y: 300 - LENS_GAP - 210, size: 210, side: "above" });
});

test("near the top edge it goes beside the pointer: right, or left near the right edge", () => {
  const right = lensRect(100, 40, 688, 420, 0.5);
  assert.equal(right.side, "right");
  assert.equal(right.x, 100 + LENS_GAP);
  assert.equal(right.y, LENS_MARGIN); // centred on the pointer, then clamped inside
  const left = lensRect(640, 150, 688, 420, 0.5);
  assert.equal(left.side, "left");
  assert.equal(left.x, 640 - LENS_GAP - 210);
  assert.equal(left.y, 150 - 105);
});

test("the lens keeps off the toolbar: the next side that is clear, else as before", () => {
  const toolbar = [{ x: 480, y: 6, w: 200, h: 28 }];
  // Above would cover the toolbar; no room on the right: on the left.
  const r = lensRect(560, 250, 688, 420, 0.5, toolbar);
  assert.deepEqual(r, { x: 560 - LENS_GAP - 210, y: 250 - 105, size: 210, side: "left" });
  // Above is clear of it further down.
  assert.equal(lensRect(560, 300, 688, 420, 0.5, toolbar).side, "above");
  // Near the top left: on the right, as without a toolbar; below when the right is taken.
  assert.equal(lensRect(100, 40, 688, 420, 0.5, toolbar).side, "right");
  assert.equal(lensRect(100, 40, 688, 420, 0.5, [{ x: 116, y: 0, w: 572, h: 50 }]).side, "below");
  // Nothing clear: above or beside anyway, inside the figure.
  const everywhere = [{ x: 0, y: 0, w: 688, h: 420 }];
  assert.equal(lensRect(344, 300, 688, 420, 0.5, everywhere).side, "above");
  assert.equal(lensRect(100, 40, 688, 420, 0.5, everywhere).side, "right");
});

test("the lens always stays inside the figure, whatever the pointer and size", () => {
  for (const [w, h] of [[688, 420], [300, 600], [120, 90]]) {
    for (const size of [0.2, 0.5, 1]) {
      for (let px = -20; px <= w + 20; px += 37) {
        for (let py = -20; py <= h + 20; py += 29) {
          const r = lensRect(px, py, w, h, size, [{ x: w - 200, y: 4, w: 196, h: 30 }]);
          if (r === null) continue;
          assert.ok(inside(r, w, h), JSON.stringify({ w, h, size, px, py, r }));
          assert.ok(r.size <= Math.min(w, h) - 2 * LENS_MARGIN);
        }
      }
    }
  }
  // A narrow figure: the side is limited by the width, not lens_size × height.
  assert.equal(lensRect(150, 500, 300, 600, 1).size, 300 - 2 * LENS_MARGIN);
});

test("lens_size 0, or a figure too small for a useful lens, gives no lens", () => {
  assert.equal(lensRect(100, 100, 688, 420, 0), null);
  assert.equal(LENS_MIN, 48);
  assert.equal(lensRect(30, 30, 60, 60, 1).size, 52); // 60 − 2 margins
  assert.equal(lensRect(25, 25, 50, 50, 1), null); // 42 px: too small
  assert.equal(lensRect(300, 300, 688, 420, 0.1), null); // 42 px
});

test("the view offset magnifies the square around the pointer: pointer at the lens centre", () => {
  const { offset, toLens } = lensView(300, 200, 688, 420, 210, 7);
  assert.deepEqual(offset, [688 * 7, 420 * 7, 300 * 7 - 105, 200 * 7 - 105, 210, 210]);
  assert.deepEqual(toLens(300, 200), [105, 105]);
  // One CSS px of the figure is `mag` px in the lens.
  assert.deepEqual(toLens(301, 199), [112, 98]);
  // The lens shows size/mag px of the figure: its corners map to the lens's corners.
  assert.deepEqual(toLens(300 - 15, 200 - 15), [0, 0]);
  assert.deepEqual(toLens(300 + 15, 200 + 15), [210, 210]);
});

// A 10 × 20 matrix in the z = 0 plane, rows down -y, columns along +x, seen from +z.
const v = (x, y, z) => ({ x, y, z });
const face = (blocks, visible = true) => ({
  visible,
  a0: v(0, -1, 0),
  a1: v(1, 0, 0),
  normal: v(0, 0, -1), // a0 × a1
  data: { blocks },
});
const whole = face([{ origin: [0, 0, 0], rows: [0, 10], cols: [0, 20] }]);

test("spotlight: the cells whose centre is within the radius of the ray, nearest first", () => {
  // The ray goes straight down the z axis through the centre of cell (3, 5): (5.5, -3.5).
  const cells = spotlightCells([whole], v(5.5, -3.5, 50), v(0, 0, -1), 1.2);
  // Radius 1.2 from a cell centre: the cell and its 4 neighbours (diagonals are √2 away).
  assert.deepEqual(
    cells.map((c) => [c.i, c.j]).sort(),
    [[2, 5], [3, 4], [3, 5], [3, 6], [4, 5]].sort(),
  );
  assert.deepEqual([cells[0].i, cells[0].j, cells[0].dist], [3, 5, 0]);
  assert.equal(cells[0].depth, 50);
  // Brute force over every cell agrees, for a slanted ray and a larger radius.
  const o = v(-7, 9, 30);
  const to = v(6.2, -4.1, 0);
  const d0 = v(to.x - o.x, to.y - o.y, to.z - o.z);
  const n = Math.hypot(d0.x, d0.y, d0.z);
  const dir = v(d0.x / n, d0.y / n, d0.z / n);
  const got = spotlightCells([whole], o, dir, 3).map((c) => `${c.i},${c.j}`).sort();
  const want = [];
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 20; j++) {
      const c = v(j + 0.5 - o.x, -(i + 0.5) - o.y, -o.z);
      const along = c.x * dir.x + c.y * dir.y + c.z * dir.z;
      if (c.x * c.x + c.y * c.y + c.z * c.z - along * along <= 9) want.push(`${i},${j}`);
    }
  }
  assert.ok(want.length > 20);
  assert.deepEqual(got, want.sort());
});

test("spotlight: blocks keep their global indices; hidden faces, faces behind and edge-on are skipped", () => {
  const split = face([
    { origin: [0, 0, 0], rows: [0, 10], cols: [0, 10] },
    { origin: [11, 0, 0], rows: [0, 10], cols: [10, 20] }, // a gap of one unit between blocks
  ]);
  const cells = spotlightCells([split], v(11.5, -0.5, 10), v(0, 0, -1), 0.5);
  assert.deepEqual(cells.map((c) => [c.view, c.i, c.j]), [[0, 0, 10]]);
  assert.deepEqual(spotlightCells([face(whole.data.blocks, false)], v(5.5, -3.5, 50), v(0, 0, -1), 3), []);
  assert.deepEqual(spotlightCells([whole], v(5.5, -3.5, 50), v(0, 0, 1), 3), []); // looking away
  assert.deepEqual(spotlightCells([whole], v(5.5, -3.5, 50), v(1, 0, 0), 3), []); // along the plane
  assert.deepEqual(spotlightCells([whole], v(5.5, -3.5, 50), v(0, 0, -1), 0), []); // spotlight 0
  // Two faces on the ray: both are returned (occlusion is the caller's: the pick).
  const behind = face([{ origin: [0, 0, -5], rows: [0, 10], cols: [0, 20] }]);
  const both = spotlightCells([whole, behind], v(5.5, -3.5, 50), v(0, 0, -1), 0.3);
  assert.deepEqual(both.map((c) => [c.view, c.depth]), [[0, 50], [1, 55]]);
});

test("spotlight: a grazing ray visits a bounded number of cells", () => {
  const big = face([{ origin: [0, 0, 0], rows: [0, 4096], cols: [0, 4096] }]);
  const dir = v(0, Math.sin(1.55), -Math.cos(1.55)); // 89° from the normal
  const cells = spotlightCells([big], v(2000, -2000, 1), dir, 10, 100000);
  assert.ok(cells.length > 0 && cells.length <= 129 * 129, String(cells.length));
  assert.equal(spotlightCells([big], v(2000, -2000, 1), dir, 10, 50).length, 50);
});

test("labels: nearest first, none overlapping, none leaving the lens", () => {
  const font = 11;
  const w = labelWidth("-1.2345", font);
  assert.equal(w, Math.ceil(7 * 0.6 * 11) + 6);
  const items = [
    { x: 100, y: 100, text: "-1.2345" }, // kept
    { x: 110, y: 104, text: "0.5" }, // overlaps the first: dropped
    { x: 100, y: 130, text: "2" }, // below it: kept
    { x: 5, y: 50, text: "123.45" }, // would stick out of the left edge: dropped
    { x: 100 + w, y: 100, text: "-1.2345" }, // touches the first edge to edge: kept
  ];
  const kept = layoutLabels(items, 200, font);
  assert.deepEqual(kept.map((k) => k.item), [items[0], items[2], items[4]]);
  for (const a of kept) {
    const [l, t, bw, bh] = a.box;
    assert.ok(l >= 0 && t >= 0 && l + bw <= 200 && t + bh <= 200);
    for (const b of kept) {
      if (a === b) continue;
      const sep = l >= b.box[0] + b.box[2] || b.box[0] >= l + bw || t >= b.box[1] + b.box[3] || b.box[1] >= t + bh;
      assert.ok(sep);
    }
  }
  assert.deepEqual(kept[0].box, [100 - w / 2, 100 - (Math.ceil(11 * 1.3) + 2) / 2, w, Math.ceil(11 * 1.3) + 2]);
});
