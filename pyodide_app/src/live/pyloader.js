// Loads Pyodide, numpy and the compute core inside the worker (worker.js), for
// both API generations a site may point at (testing-offline.md has the facts):
//
//   classic (0.17):  pyodide.js is a classic script that defines loadPyodide and
//                    loads pyodide.asm.js with importScripts(); one instance.
//   module  (314):   pyodide.mjs exports loadPyodide; pyodide.asm.mjs is imported;
//                    it refuses classic workers.
//
// The worker is a module worker (314 needs one), where importScripts() throws; for
// the classic generation we install a stand-in that fetches synchronously and
// evaluates in global scope, which is what importScripts does.  Only the Pyodide
// runtime from the site's configured source is ever evaluated, never anything from
// a spec or a URL.  The generation is read from pyodide.js itself (both releases
// ship one), so no request is made to a file that might not exist.

/** "module" if this pyodide.js belongs to a release that ships pyodide.mjs, else "classic". */
export function generationOf(pyodideJs) {
  return /pyodide\.asm\.mjs|Classic web workers are not supported/.test(pyodideJs) ? "module" : "classic";
}

/** Rough download of a cold start, for the "loading Python (≈N MB)…" status. */
export const DOWNLOAD_MB = { classic: 27, module: 17 };

/** The Python exception line of a Pyodide error ("ValueError: …"), from either generation. */
export function pythonErrorText(err) {
  const message = String((err && err.message) || err || "");
  const lines = message.trim().split("\n").filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(lines[i])) return lines[i].trim();
  }
  return lines.length ? lines[lines.length - 1].trim() : "unknown error";
}

/** indexURL made absolute (import() needs it), with the trailing slash both generations need. */
export function normalizeIndexURL(url, base) {
  let s = String(url || "");
  if (base) s = new URL(s, base).href;
  return s.endsWith("/") ? s : s + "/";
}

function classicImport(url) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false); // synchronous, as importScripts is
  xhr.send();
  if (xhr.status !== 200 && xhr.status !== 0) throw new Error(`could not load ${url} (HTTP ${xhr.status})`);
  (0, eval)(xhr.responseText + "\n//# sourceURL=" + url);
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`${what} could not be fetched from ${url} (${(err && err.message) || err})`);
  }
  if (!response.ok) throw new Error(`${what} could not be fetched from ${url} (HTTP ${response.status})`);
  return response;
}

/**
 * The packages to load from the Pyodide distribution itself: numpy always, and PyYAML
 * (the fence's YAML) where the distribution has it — 314's lock file does, 0.17 has none.
 */
export function packagesFor(generation) {
  return generation === "module" ? ["numpy", "pyyaml"] : ["numpy"];
}

/**
 * Start Pyodide from `indexURL`, load numpy, install the core archive at `coreURL`.
 * `status(phase, text)` reports progress.  Resolves to {py, version, numpy, handle}
 * where handle(requestJson) runs mm_docs_plugin.core.live.handle.
 */
export async function loadCore({ indexURL, coreURL, status = () => {} }) {
  const index = normalizeIndexURL(indexURL, self.location.href);
  const script = await (await fetchOk(index + "pyodide.js", "Pyodide")).text();
  const generation = generationOf(script);
  status("runtime", `loading Python (≈${DOWNLOAD_MB[generation]} MB)…`);
  let py;
  try {
    if (generation === "module") {
      const mod = await import(/* webpackIgnore: true */ index + "pyodide.mjs");
      py = await mod.loadPyodide({ indexURL: index });
    } else {
      self.importScripts = classicImport;
      (0, eval)(script + "\n//# sourceURL=" + index + "pyodide.js");
      py = await self.loadPyodide({ indexURL: index });
    }
  } catch (err) {
    throw new Error(`Python (Pyodide) could not start from ${index}: ${pythonErrorText(err)}`);
  }
  status("numpy", "loading numpy…");
  const problems = [];
  try {
    const packages = packagesFor(generation);
    if (generation === "module") {
      await py.loadPackage(packages, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
    } else {
      await py.loadPackage(packages, () => {}, (m) => problems.push(m));
    }
  } catch (err) {
    problems.push(pythonErrorText(err));
  }
  // 314's loadPackage resolves even when the download failed: only an import tells.
  let numpy;
  try {
    numpy = py.runPython("import numpy\nnumpy.__version__");
  } catch (err) {
    const why = problems.length ? problems[problems.length - 1] : pythonErrorText(err);
    throw new Error(`numpy could not be loaded from ${index} (${why})`);
  }
  status("core", "loading the figure code…");
  const archive = new Uint8Array(await (await fetchOk(coreURL, "The figure code (mm-core.zip)")).arrayBuffer());
  const FS = py.FS || py._module.FS;
  FS.writeFile("/mm-core.zip", archive);
  // Last on sys.path: Pyodide's own PyYAML (314) comes first; the archive's copy is
  // there for 0.17, which has none, and for a 314 whose pyyaml could not be fetched.
  const handle = py.runPython(
    "import sys\n" +
      "if '/mm-core.zip' not in sys.path: sys.path.append('/mm-core.zip')\n" +
      "from mm_docs_plugin.core.live import handle\n" +
      "handle",
  );
  return { py, version: String(py.version), numpy: String(numpy), generation, handle };
}

/** Call the core: scene bytes (a fresh Uint8Array) or an error object {message, hint, …}. */
export function runBuild(core, request) {
  const out = core.handle(JSON.stringify(request));
  if (typeof out === "string") return { error: JSON.parse(out).error };
  try {
    const buffer = out.getBuffer("u8");
    try {
      return { bytes: buffer.data.slice() }; // a copy: the view points into the wasm heap
    } finally {
      buffer.release();
    }
  } finally {
    out.destroy();
  }
}
