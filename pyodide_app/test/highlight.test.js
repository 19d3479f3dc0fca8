// figure/highlight.js: the spec's highlight from the scene header (written by Python:
// scripts/make_js_fixtures.py, "vocab") as matrix.frag's uniforms.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeScene } from "../src/format/scenefile.js";
import { highlightUniforms } from "../src/figure/highlight.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8"));

test("rows and columns are marked in one byte texture, cells listed", () => {
  const { texture, uniforms } = highlightUniforms({ highlight: { rows: [1], cols: [0, 3], cells: [[2, 3]] } }, [3, 4]);
  assert.deepEqual(uniforms.uMarkedInfo.value, [1, 3, 4, 7]);
  assert.deepEqual(Array.from(texture.image.data), [0, 255, 0, 255, 0, 0, 255]);
  assert.equal(uniforms.uMarkedCellCount.value, 1);
  assert.deepEqual(Array.from(uniforms.uMarkedCells.value.slice(0, 4)), [2, 3, -1, -1]);
});

test("a node without a highlight turns marking off", () => {
  const { texture, uniforms } = highlightUniforms({}, [5, 5]);
  assert.equal(texture, null);
  assert.equal(uniforms.uMarkedInfo.value[0], 0);
});

test("the carried highlight of the header's product is the one marked", () => {
  const bytes = new Uint8Array(readFileSync(new URL(EXPECTED.vocab.file, FIXTURES)));
  const { header } = decodeScene(bytes.buffer);
  const next = header.nodes.find((n) => n.name === "next");
  // X's row cat (0) and T.T's column 2 (T's row 2) carry into next = X @ T.T (2×3).
  assert.deepEqual(next.highlight, { rows: [0], cols: [2], cells: [] });
  const { texture } = highlightUniforms(next, next.shape);
  assert.deepEqual(Array.from(texture.image.data), [255, 0, 0, 0, 255]);
});

test("long masks wrap onto lines of 4096 texels", () => {
  const { texture, uniforms } = highlightUniforms({ highlight: { rows: [5000], cols: [], cells: [] } }, [6000, 10]);
  assert.deepEqual(uniforms.uMarkedInfo.value, [1, 6000, 10, 4096]);
  assert.equal(texture.image.height, 2);
  assert.equal(texture.image.data[5000], 255);
});
