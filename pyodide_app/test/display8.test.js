// format/display8.js against Python (scripts/make_js_fixtures.py): every value of a
// precision: display8 scene's 8-bit buffers decodes to the float16 of what
// core/scene/quantize.py dequantize_rows gives, and floatToHalf rounds as numpy does.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { floatToHalf } from "../src/format/display8.js";
import { SceneFileError, decodeScene, valueAt } from "../src/format/scenefile.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const read = (file) => new Uint8Array(readFileSync(new URL(file, FIXTURES))).buffer;

test("floatToHalf rounds every float32 as numpy's astype(float16) does", () => {
  const floats = new Float32Array(read("half.f4"));
  const halves = new Uint16Array(read("half.f2"));
  assert.equal(floats.length, halves.length);
  for (let k = 0; k < floats.length; k++) {
    const got = floatToHalf(floats[k]);
    const want = halves[k];
    const nan = (h) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    if (nan(want)) assert.ok(nan(got), `NaN at ${k}`);
    else assert.equal(got, want, `float32 ${floats[k]} (index ${k}): ${got.toString(16)} != ${want.toString(16)}`);
  }
});

test("8-bit buffers decode to Python's values, as half floats marked approximate", () => {
  const table = JSON.parse(readFileSync(new URL("display8.json", FIXTURES), "utf8"));
  const { header, buffers } = decodeScene(read("display8.mmsc"));
  assert.deepEqual(header.display8, table.display8);
  assert.ok(table.order.length >= 2, "the fixture quantises attn and V at least");
  const want = new Uint16Array(read("display8.f2"));
  let at = 0;
  for (const name of table.order) {
    const buf = buffers[name];
    assert.equal(buf.dtype, "f2");
    assert.equal(buf.approximate, true);
    assert.ok(buf.data instanceof Uint16Array);
    const n = buf.shape[0] * buf.shape[1];
    assert.deepEqual(Array.from(buf.data), Array.from(want.subarray(at, at + n)), name);
    at += n;
  }
  assert.equal(at, want.length);
  // float16 buffers are untouched views, not marked
  assert.equal(buffers["m:Q"].approximate, undefined);
  assert.equal(buffers["m:Q"].dtype, "f2");
  // the causal mask's zeros stay zeros
  assert.equal(valueAt(buffers["n:root.left"], 0, 299), 0);
});

test("a display8 table naming a missing buffer is a SceneFileError", () => {
  const bytes = new Uint8Array(read("display8.mmsc"));
  const text = new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
  const i = text.indexOf('"display8":{') + '"display8":{'.length;
  const broken = text.slice(0, i) + text.slice(i).replace('"n:', '"x:'); // rename one entry
  assert.equal(broken.length, text.length);
  bytes.set(new TextEncoder().encode(broken), 12);
  assert.throws(() => decodeScene(bytes.buffer), (err) => err instanceof SceneFileError && /8-bit buffer "x:.*" lacks its codes or its per-row scales/.test(err.message));
});
