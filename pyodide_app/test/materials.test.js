// The bundle leaves out the GLSL of three.js's built-in materials (build.mjs,
// `threeSource`): every object the viewer draws must use a RawShaderMaterial of our own
// shaders.  A MeshBasicMaterial or an AxesHelper would compile to an empty shader and
// draw nothing (with a console error), so no source may name one.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".js") ? [path] : [];
  });
}

/** Names of three.js materials, helpers and built-in drawables a source uses. */
function builtins(text) {
  const code = text.replace(/\/\/[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
  const found = new Set();
  for (const m of code.matchAll(/\bTHREE\.(\w+(?:Material|Helper)|Sprite|Points)\b/g)) found.add(m[1]);
  for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"three(?:\/[^"]*)?"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().split(/\s+as\s+/)[0])) {
      if (/(Material|Helper)$|^(Sprite|Points)$/.test(name)) found.add(name);
    }
  }
  found.delete("RawShaderMaterial");
  return [...found];
}

test("the viewer draws with RawShaderMaterial only", () => {
  const offenders = sources(SRC)
    .map((path) => [relative(SRC, path), builtins(readFileSync(path, "utf8"))])
    .filter(([, names]) => names.length);
  assert.deepEqual(offenders, []);
});

test("the check sees a built-in material or helper", () => {
  assert.deepEqual(builtins("const m = new THREE.MeshBasicMaterial({});"), ["MeshBasicMaterial"]);
  assert.deepEqual(builtins('import { AxesHelper, Vector3 } from "three";'), ["AxesHelper"]);
  assert.deepEqual(builtins("new THREE.RawShaderMaterial({}) // THREE.LineBasicMaterial"), []);
});
