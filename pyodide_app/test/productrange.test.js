// anim/productrange.js: the animation's product range from the argument buffers,
// against a plain scan of every element (fixture scenes from the Python core, and
// hand-made buffers with the values a scan must skip).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeScene, valueAt } from "../src/format/scenefile.js";
import { maxAlongK, productMax } from "../src/anim/productrange.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
if (!existsSync(new URL("expected.json", FIXTURES))) {
  throw new Error(
    "no JS test fixtures: run `make jstest` (or .venv/bin/python scripts/make_js_fixtures.py)",
  );
}
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8"));

/** Per k, max finite |x| by reading every element through valueAt. */
function scan(buf, kIsCol) {
  const [rows, cols] = buf.shape.length === 2 ? buf.shape : [1, buf.shape[0]];
  const out = new Array(kIsCol ? cols : rows).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const a = Math.abs(valueAt(buf, r, c));
      const k = kIsCol ? c : r;
      if (Number.isFinite(a) && a > out[k]) out[k] = a;
    }
  }
  return out;
}

test("maxAlongK matches a scan of every element, for half and float buffers", () => {
  const dtypes = new Set();
  for (const want of Object.values(EXPECTED)) {
    if (!want.header.nodes) continue;
    const { buffers } = decodeScene(new Uint8Array(readFileSync(new URL(want.file, FIXTURES))).buffer);
    for (const [name, buf] of Object.entries(buffers)) {
      if (buf.shape.length !== 2) continue;
      dtypes.add(buf.dtype);
      for (const kIsCol of [true, false]) {
        const got = Array.from(maxAlongK(buf, kIsCol));
        const expected = scan(buf, kIsCol).map(Math.fround);
        assert.deepEqual(got, expected, `${want.file} ${name} ${kIsCol ? "columns" : "rows"}`);
      }
    }
  }
  assert.ok(dtypes.has("f2") && dtypes.has("f4"), [...dtypes].join(", "));
});

test("maxAlongK skips NaN and infinities", () => {
  const f4 = { dtype: "f4", shape: [2, 3], data: new Float32Array([1, NaN, -Infinity, -4, 0.5, 2]) };
  assert.deepEqual(Array.from(maxAlongK(f4, true)), [4, 0.5, 2]);
  assert.deepEqual(Array.from(maxAlongK(f4, false)), [1, 4]);
  // halves: 0x3c00 = 1, 0xc400 = -4, 0x7c00 = +Inf, 0x7e00 = NaN, 0xfc00 = -Inf
  const f2 = { dtype: "f2", shape: [2, 2], data: new Uint16Array([0x3c00, 0x7c00, 0xfc00, 0xc400]) };
  assert.deepEqual(Array.from(maxAlongK(f2, true)), [1, 4]);
  assert.deepEqual(Array.from(maxAlongK(f2, false)), [1, 4]);
});

test("productMax: the largest product of the per-k maxima; 0 if it is not finite", () => {
  const l = new Float32Array([1, 3, 2]);
  const r = new Float32Array([5, 1, 2]);
  assert.equal(productMax(l, r, 3), 5);
  assert.equal(productMax(l, r, 2), 5);
  assert.equal(productMax(new Float32Array([Infinity]), new Float32Array([2]), 1), 0);
});
