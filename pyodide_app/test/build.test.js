// build.mjs: bundles an entry with three.js and text-loaded shaders into one
// minified ESM file, byte for byte the same every time, with the licences beside
// it; skips quietly until the viewer's entry exists; and the built bundle (when
// `make setup` has built it) stays within the 300 KB gzipped budget.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { after, test } from "node:test";

const APP = fileURLToPath(new URL("..", import.meta.url));
const BUNDLE = join(APP, "..", "mm_docs_plugin", "assets", "mm-viewer.js");
const work = mkdtempSync(join(tmpdir(), "mm-build-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

function build(...args) {
  return execFileSync(process.execPath, [join(APP, "build.mjs"), ...args], { encoding: "utf8" });
}

test("bundles three.js, our modules and shaders; deterministic; licences shipped", async () => {
  const entry = join(work, "entry.js");
  writeFileSync(join(work, "probe.frag"), "void main() { /* probe shader */ }\n");
  writeFileSync(
    entry,
    `import { Vector3 } from "three";\n` +
      `import { decodeScene } from ${JSON.stringify(join(APP, "src", "format", "scenefile.js"))};\n` +
      `import frag from "./probe.frag";\n` +
      `export const length = new Vector3(3, 4, 0).length();\n` +
      `export { decodeScene, frag };\n`,
  );
  const outputs = [];
  for (const out of ["a", "b"]) {
    const log = build("--entry", entry, "--out", join(work, out));
    assert.match(
      log,
      /mm-viewer\.js [\d.]+ KB raw, [\d.]+ KB gzipped \(within the 300\.0 KB budget\)/,
    );
    outputs.push(readFileSync(join(work, out, "mm-viewer.js")));
  }
  assert.ok(outputs[0].equals(outputs[1]), "the same sources give the same bytes");
  const text = outputs[0].toString("utf8");
  assert.ok(!text.includes(work), "no absolute paths in the bundle");
  assert.ok(!/^\s*\/\*\*? ?@license/m.test(text), "licences beside the bundle, not in it");
  const legal = readFileSync(join(work, "a", "mm-viewer.js.LEGAL.txt"), "utf8");
  assert.match(legal, /three\.js/i);
  assert.match(legal, /MIT/);
  const mod = await import(pathToFileURL(join(work, "a", "mm-viewer.js")).href);
  assert.equal(mod.length, 5);
  assert.equal(mod.frag, "void main() { /* probe shader */ }\n");
  assert.equal(typeof mod.decodeScene, "function");
});

test("without the viewer's entry: skips the bundle and still succeeds", () => {
  const log = build("--entry", join(work, "missing.js"), "--out", join(work, "c"));
  assert.match(log, /does not exist yet; skipping the bundle/);
  assert.ok(!existsSync(join(work, "c", "mm-viewer.js")));
});

test("the built viewer bundle is within 300 KB gzipped", (t) => {
  if (!existsSync(BUNDLE)) {
    t.skip("no built bundle yet (pyodide_app/src/viewer.js does not exist)");
    return;
  }
  const gz = gzipSync(readFileSync(BUNDLE), { level: 9 }).length;
  assert.ok(gz <= 300 * 1024, `mm-viewer.js is ${(gz / 1024).toFixed(1)} KB gzipped`);
});
