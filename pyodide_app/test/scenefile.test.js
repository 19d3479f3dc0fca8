// format/scenefile.js against scene files written by Python (scripts/make_js_fixtures.py):
// the header, every dtype's values, views without copies, and the same refusals
// as pack.py's unpack for every malformed file.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import {
  DTYPES,
  SceneFileError,
  decodeScene,
  halfArrayToFloat32,
  halfToFloat,
  valueAt,
} from "../src/format/scenefile.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
if (!existsSync(new URL("expected.json", FIXTURES))) {
  throw new Error(
    "no JS test fixtures: run `make jstest` (or .venv/bin/python scripts/make_js_fixtures.py)",
  );
}
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8"));
const ERRORS = JSON.parse(readFileSync(new URL("errors.json", FIXTURES), "utf8"));

/** A fresh ArrayBuffer holding exactly `bytes` (Node's Buffers share pooled memory). */
function arrayBufferOf(bytes) {
  return new Uint8Array(bytes).buffer;
}

function load(file) {
  return arrayBufferOf(readFileSync(new URL(file, FIXTURES)));
}

/** Python's number as the fixture wrote it (non-finite as text). */
function num(x) {
  return { nan: NaN, inf: Infinity, "-inf": -Infinity }[x] ?? x;
}

function element(buffer, k) {
  return buffer.dtype === "f2" ? halfToFloat(buffer.data[k]) : buffer.data[k];
}

for (const [name, want] of Object.entries(EXPECTED)) {
  test(`decodes ${want.file} exactly as Python's unpack`, () => {
    const bytes = load(want.file);
    assert.equal(bytes.byteLength, want.bytes);
    const { header, buffers } = decodeScene(bytes);
    assert.deepEqual(header, want.header);
    assert.deepEqual(Object.keys(buffers).sort(), Object.keys(want.buffers).sort());
    for (const [bufName, b] of Object.entries(want.buffers)) {
      const got = buffers[bufName];
      assert.equal(got.dtype, b.dtype, bufName);
      assert.deepEqual(got.shape, b.shape, bufName);
      // a view on the input, not a copy, of the right type and place
      assert.ok(got.data instanceof DTYPES[b.dtype][0], bufName);
      assert.equal(got.data.buffer, bytes, bufName);
      assert.equal(got.data.byteOffset, b.offset, bufName);
      assert.equal(got.data.byteLength, b.length, bufName);
      for (const [k, value] of b.samples) {
        // strict equality (Object.is): -0 is not 0, NaN is NaN
        assert.equal(element(got, k), num(value), `${name} ${bufName}[${k}]`);
      }
    }
  });
}

test("valueAt reads each node through its transposition, as Python shows it", () => {
  let transposed = 0;
  for (const want of Object.values(EXPECTED)) {
    const { buffers } = decodeScene(load(want.file));
    for (const [buf, i, j, isT, value] of want.value_at) {
      assert.equal(valueAt(buffers[buf], i, j, isT), num(value), `${want.file} ${buf}[${i},${j}]`);
      transposed += isT ? 1 : 0;
    }
  }
  assert.ok(transposed > 0, "the fixtures include a transposed node");
});

test("valueAt refuses indices outside the matrix", () => {
  const { buffers } = decodeScene(load("exact_transposed.mmsc"));
  const x = buffers["m:X"]; // stored 7x5
  assert.equal(valueAt(x, 6, 4), x.data[34]);
  assert.equal(valueAt(x, 4, 6, true), x.data[34]);
  assert.throws(() => valueAt(x, 7, 0), RangeError);
  assert.throws(() => valueAt(x, 0, 5), /outside a 7x5 matrix/);
  assert.throws(() => valueAt(x, 5, 0, true), /outside a 5x7 matrix/);
  assert.equal(valueAt(x, 0, 5, true), x.data[25]); // shown 5x7: (0, 5) is stored (5, 0)
  assert.throws(() => valueAt(x, -1, 0), RangeError);
  assert.throws(() => valueAt(x, 0.5, 0), RangeError);
});

test("halfToFloat: the IEEE binary16 table", () => {
  const table = [
    [0x0000, 0],
    [0x8000, -0],
    [0x3c00, 1],
    [0xbc00, -1],
    [0x3800, 0.5],
    [0x7bff, 65504],
    [0xfbff, -65504],
    [0x0001, 2 ** -24], // smallest subnormal
    [0x8001, -(2 ** -24)],
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x0400, 2 ** -14], // smallest normal
    [0x3555, 0.333251953125],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
    [0x7e00, NaN],
    [0x7c01, NaN], // signalling NaN is NaN too
    [0xfe00, NaN],
  ];
  for (const [bits, value] of table) {
    assert.equal(halfToFloat(bits), value, "0x" + bits.toString(16));
  }
});

test("halfArrayToFloat32 widens every half exactly", () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const wide = halfArrayToFloat32(all);
  assert.equal(wide.length, 65536);
  for (let h = 0; h < 65536; h++) {
    // every half is exactly a float32, so the float32 holds the exact value
    assert.equal(wide[h], halfToFloat(h));
  }
  const out = new Float32Array(4).fill(7);
  assert.equal(halfArrayToFloat32(new Uint16Array([0x3c00, 0xc000]), out), out);
  assert.deepEqual([...out], [1, -2, 7, 7]);
});

test("accepts typed-array views, aligned or not", () => {
  const file = new Uint8Array(load("chain.mmsc"));
  const want = decodeScene(file.buffer.slice(0));
  const big = new Uint8Array(file.length + 16);
  for (const shift of [8, 3]) {
    big.set(file, shift);
    const got = decodeScene(big.subarray(shift, shift + file.length));
    assert.deepEqual(got.header, want.header);
    for (const name of Object.keys(want.buffers)) {
      assert.deepEqual([...got.buffers[name].data], [...want.buffers[name].data]);
    }
    // aligned: views on the caller's memory; unaligned: one copy, realigned
    assert.equal(got.buffers["m:A"].data.buffer === big.buffer, shift % 8 === 0);
  }
});

test("buffers is a prototype-less map: any name is a safe key", () => {
  const { buffers } = decodeScene(load("chain.mmsc"));
  assert.equal(Object.getPrototypeOf(buffers), null);
});

for (const { name, data, fragment } of ERRORS) {
  test(`refuses like unpack: ${name}`, () => {
    const bytes = arrayBufferOf(Buffer.from(data, "base64"));
    if (fragment === null) {
      decodeScene(bytes); // Python accepts it: so must we
      return;
    }
    assert.throws(
      () => decodeScene(bytes),
      (err) => err instanceof SceneFileError && err.message.includes(fragment),
      `expected a SceneFileError containing ${JSON.stringify(fragment)}`,
    );
  });
}

test("refuses what is not bytes, with a SceneFileError", () => {
  for (const input of [undefined, null, "MMSC", 42, {}, [77, 77, 83, 67]]) {
    assert.throws(() => decodeScene(input), SceneFileError);
  }
});

test("every truncation of a valid file is refused", () => {
  const file = new Uint8Array(load("raw.mmsc"));
  for (let end = 0; end < file.length; end++) {
    assert.throws(() => decodeScene(file.slice(0, end).buffer), SceneFileError, `cut at ${end}`);
  }
});

test("random byte mutations give a scene or a SceneFileError, nothing else", () => {
  const file = new Uint8Array(load("raw.mmsc"));
  let seed = 12345; // a fixed LCG: the same mutations every run
  const rand = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  let refused = 0;
  for (let trial = 0; trial < 3000; trial++) {
    const copy = file.slice();
    const where = trial % 2 ? rand(copy.length) : rand(Math.min(copy.length, 700));
    copy[where] = rand(256);
    try {
      decodeScene(copy.buffer);
    } catch (err) {
      assert.ok(err instanceof SceneFileError, `${err.name}: ${err.message}`);
      refused++;
    }
  }
  assert.ok(refused > 100, "mutations in the header are refused");
});
