// Builds the viewer assets that ship inside the Python package:
//
//   src/viewer.js      --esbuild-->  ../mm_docs_plugin/assets/mm-viewer.js (+ .LEGAL.txt)
//   src/viewer.css     --copy----->  ../mm_docs_plugin/assets/mm-viewer.css
//   src/app/app.js     --esbuild-->  ../mm_docs_plugin/assets/mm-app.js (the full-page view)
//   src/live/worker.js --esbuild-->  ../mm_docs_plugin/assets/mm-worker.js (the Python worker)
//   src/app/app.html   --copy----->  ../mm_docs_plugin/assets/app.html
//
// and prints the bundle's size raw and gzipped (budget: 300 KB gzipped, issue 4).
// Run by `make setup` (scripts/setup.sh) when a source is newer than the bundle.
// The outputs are never committed (DESIGN.md §4): they are rebuilt from npm's
// pinned three.js and the sources here.
//
//   node build.mjs            build
//   node build.mjs --entry X  bundle X instead of src/viewer.js (tests of the build)
//   node build.mjs --out D    write into D instead of ../mm_docs_plugin/assets

import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const BUDGET_GZIP = 300 * 1024;

// three.js from its modules (three/src), not its prebuilt bundle, with the GLSL of its
// built-in materials (ShaderChunk, ShaderLib: a quarter of the bundle) left out: the
// viewer draws every object with a RawShaderMaterial of its own shaders
// (gl/shaders/), which three.js compiles as written, never looking those up.
// test/materials.test.js holds the sources to that.  (Issue 15: ≤ 150 KB gzipped.)
const THREE_SRC = join(HERE, "node_modules", "three", "src", "Three.js");
const BUILTIN_GLSL = /three[\/\\]src[\/\\]renderers[\/\\]shaders[\/\\](ShaderChunk|ShaderLib)[\/\\][^\/\\]+\.glsl\.js$/;
const threeSource = {
  name: "three-source",
  setup(b) {
    b.onResolve({ filter: /^three$/ }, () => ({ path: THREE_SRC }));
    b.onLoad({ filter: BUILTIN_GLSL }, () => ({
      contents: 'export const vertex = "", fragment = "";\nexport default "";\n',
      loader: "js",
    }));
  },
};

// Our shaders as text, without their // comments (they explain; the GPU does not need
// them).  Lines are kept, so a compile error's line numbers are the source file's.
const shaderText = {
  name: "shader-text",
  setup(b) {
    b.onLoad({ filter: /\.(glsl|vert|frag)$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/[ \t]*\/\/[^\n]*/g, ""),
      loader: "text",
    }));
  },
};

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}

const entry = option("--entry", join(HERE, "src", "viewer.js"));
const outDir = option("--out", join(HERE, "..", "mm_docs_plugin", "assets"));
const bundle = join(outDir, "mm-viewer.js");

/** "123.4 KB" (1 KB = 1024 bytes, like the budget). */
function kb(bytes) {
  return (bytes / 1024).toFixed(1) + " KB";
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  if (!existsSync(entry)) {
    // The renderer is written separately; until it exists there is nothing to bundle,
    // and setup must still succeed (the Python side works without the viewer).
    console.log(`build.mjs: ${entry} does not exist yet; skipping the bundle`);
  } else {
    rmSync(bundle + ".LEGAL.txt", { force: true }); // esbuild writes none when it finds no licence comment
    await build({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      format: "esm",
      target: "es2020",
      platform: "browser",
      // Resolve npm packages from here even for an --entry outside this folder.
      nodePaths: [join(HERE, "node_modules")],
      minify: true,
      // Shaders live in small named files, imported as strings (STYLE.md habit 9).
      plugins: [threeSource, shaderText],
      // three.js is MIT: its licence must travel with the bundle, beside it rather
      // than inside it (keeps the bundle small, and the notice is still shipped).
      legalComments: "external",
      // Reproducible bytes: no absolute paths, no timestamps, no source maps.
      sourcemap: false,
      charset: "utf8",
      logLevel: "warning",
    });
    // three's modules carry no licence comment of their own: ship its LICENSE.
    const license = readFileSync(join(HERE, "node_modules", "three", "LICENSE"), "utf8");
    appendFileSync(bundle + ".LEGAL.txt", "three.js (node_modules/three/LICENSE):\n\n" + license);
    // The full-page view's own code (app.html loads it after mm-viewer.js), and the
    // Python worker (started by the viewer on a reader's first edit).
    for (const [source, target] of [
      ["app/app.js", "mm-app.js"],
      ["live/worker.js", "mm-worker.js"],
    ]) {
      const from = join(HERE, "src", source);
      if (!existsSync(from) || process.argv.includes("--entry")) continue;
      await build({
        entryPoints: [from],
        outfile: join(outDir, target),
        bundle: true,
        format: "esm",
        target: "es2020",
        platform: "browser",
        minify: true,
        legalComments: "none",
        sourcemap: false,
        charset: "utf8",
        logLevel: "warning",
      });
    }
    const raw = readFileSync(bundle);
    const gz = gzipSync(raw, { level: 9 }).length;
    const verdict = gz <= BUDGET_GZIP ? "within" : "OVER";
    console.log(
      `build.mjs: mm-viewer.js ${kb(raw.length)} raw, ${kb(gz)} gzipped ` +
        `(${verdict} the ${kb(BUDGET_GZIP)} budget)`,
    );
  }
  for (const [source, target] of [
    ["viewer.css", "mm-viewer.css"],
    ["app/app.html", "app.html"],
  ]) {
    const from = join(HERE, "src", source);
    if (existsSync(from)) {
      copyFileSync(from, join(outDir, target));
    } else {
      console.log(`build.mjs: src/${source} does not exist yet; skipping it`);
    }
  }
}

main().catch((err) => {
  // esbuild has already printed its diagnostics with file and line; just fail.
  console.error(`build.mjs: build failed: ${err.message}`);
  process.exit(1);
});
