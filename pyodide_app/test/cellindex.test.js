// input/inspector.js cellIndexText: the tooltip's index, by label where the scene header
// (written by Python: scripts/make_js_fixtures.py, "vocab") gives labels, else by number.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeScene } from "../src/format/scenefile.js";
import { cellIndexText } from "../src/input/inspector.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8"));

function vocabNodes() {
  const bytes = new Uint8Array(readFileSync(new URL(EXPECTED.vocab.file, FIXTURES)));
  const { header } = decodeScene(bytes.buffer);
  return new Map(header.nodes.map((n) => [n.name, n]));
}

test("labels from the header name a product's cell by its operands' labels", () => {
  const nodes = vocabNodes();
  // next = X @ T.T: rows from X (the one-hot words), columns from T.T (unlabelled: T's rows).
  assert.equal(cellIndexText(nodes.get("next"), 1, 2), '["<b>", 2]');
  assert.equal(cellIndexText(nodes.get("X"), 0, 2), '["cat", "say \\"hi\\""]');
  // T.T's rows are T's column labels.
  assert.equal(cellIndexText(nodes.get("T.T"), 3, 0), '["<b>", 0]');
});

test("without labels the index is numeric", () => {
  assert.equal(cellIndexText({}, 3, 4), "[3, 4]");
  assert.equal(cellIndexText(null, 0, 0), "[0, 0]");
  assert.equal(cellIndexText({ row_labels: ["a"], col_labels: null }, 0, 7), '["a", 7]');
});
