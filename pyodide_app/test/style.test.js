// figure/style.js: colour ranges come from the scene header Python wrote
// (scripts/make_js_fixtures.py), never from a pass over the values.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeScene } from "../src/format/scenefile.js";
import { Style, colorRange, colorUniforms } from "../src/figure/style.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
if (!existsSync(new URL("expected.json", FIXTURES))) {
  throw new Error(
    "no JS test fixtures: run `make jstest` (or .venv/bin/python scripts/make_js_fixtures.py)",
  );
}
const EXPECTED = JSON.parse(readFileSync(new URL("expected.json", FIXTURES), "utf8"));
const MODES = ["global", "semilocal", "local", "superlocal"];

/** Decoded scene files of the fixtures that are figures (not the bare pack file). */
function scenes() {
  return Object.values(EXPECTED)
    .filter((want) => want.header.nodes)
    .map((want) => decodeScene(new Uint8Array(readFileSync(new URL(want.file, FIXTURES))).buffer));
}

test("the scene header carries every sensitivity's range for every node", () => {
  for (const { header } of scenes()) {
    assert.deepEqual(Object.keys(header.color_ranges).sort(), [...MODES].sort());
    for (const node of header.nodes) {
      for (const mode of MODES) {
        const r = colorRange(header, node.path, mode);
        assert.deepEqual(r, header.color_ranges[mode][node.path], `${node.path} ${mode}`);
        assert.ok(r[0] <= r[1], `${node.path} ${mode}`);
      }
      // Under the sensitivity it was built with, a node's range is the header's `ranges`.
      const built = header.settings.colors.sensitivity;
      assert.deepEqual(colorRange(header, node.path, built), header.ranges[node.path]);
    }
  }
});

test("a sensitivity switch reads the header's numbers, not the values", () => {
  const [{ header }] = scenes();
  const path = header.nodes[0].path;
  // Numbers no pass over the values could give: only the header can be their source.
  header.color_ranges.local[path] = [0, 123.5];
  header.color_ranges.superlocal[path] = [7, 8];
  assert.deepEqual(colorRange(header, path, "local"), [0, 123.5]);
  assert.deepEqual(colorRange(header, path, "superlocal"), [7, 8]);
  // No mode (or one the header lacks): the node's own range as built.
  assert.deepEqual(colorRange(header, path, undefined), header.ranges[path]);
  assert.deepEqual(colorRange(header, path, "sideways"), header.ranges[path]);
  assert.deepEqual(colorRange(header, "no.such.node", "local"), [0, 0]);
});

test("Style: a reader's sensitivity switch writes the header's ranges into the uniforms", () => {
  const [{ header }] = scenes();
  const paths = header.nodes.map((n) => n.path);
  header.color_ranges.local[paths[0]] = [0, 123.5]; // only the header can be the source
  const style = new Style();
  style.update(header);
  const uniforms = new Map(paths.map((p) => [p, colorUniforms()]));
  const ranges = () => paths.map((p) => uniforms.get(p).uRange.value.toArray());
  style.applyColors(uniforms);
  assert.deepEqual(ranges(), paths.map((p) => header.ranges[p]));
  style.setColors({ sensitivity: "local" });
  style.applyColors(uniforms);
  assert.deepEqual(ranges()[0], [0, 123.5]);
  assert.deepEqual(ranges(), paths.map((p) => header.color_ranges.local[p]));
  // One node on its own: the others keep the figure-wide choice.
  style.setColors({ sensitivity: "superlocal" }, paths[1]);
  style.applyColors(uniforms);
  assert.deepEqual(ranges()[1], header.color_ranges.superlocal[paths[1]]);
  assert.deepEqual(ranges()[0], [0, 123.5]);
  // The reader's choice outlives a rebuild (a new scene, e.g. after an edit).
  style.update(header);
  style.applyColors(uniforms);
  assert.deepEqual(ranges()[0], [0, 123.5]);
});

test("the sensitivities differ where the values say they should", () => {
  // The still figure's A holds i * 1000 + j: its own maximum is far above the product's.
  const still = scenes().find(({ header }) => header.nodes.some((n) => n.init === "expr"));
  assert.ok(still, "the fixtures include the still figure");
  const { header } = still;
  const a = header.nodes.find((n) => n.init === "expr").path;
  const [, whole] = colorRange(header, a, "global");
  const [, local] = colorRange(header, a, "local");
  const [lo, hi] = colorRange(header, a, "superlocal");
  assert.equal(hi, local);
  assert.ok(local < whole); // the product's values are larger still
  assert.equal(lo, 0); // A[0, 0] = 0
  assert.equal(hi, 2039); // A[2, 39]
});
