// The Python worker: one per tab (runtime.js starts it), shared by every figure.
// Bundled to mm-worker.js and started as a module worker.
//
// Messages in:  {type: "init", indexURL, coreURL}
//               {type: "build", id, request}      request: see core/live.py
// Messages out: {type: "status", phase, text}     while starting
//               {type: "ready", version, numpy, generation, ms, warmMs}  (after a warm-up build)
//               {type: "failed", message}         the runtime could not start
//               {type: "result", id, bytes, ms}   bytes: ArrayBuffer, transferred
//               {type: "error", id, error}        the spec is wrong (SpecError)
//               {type: "crash", id, message}      a bug in the core
//
// runtime.js sends one build at a time and enforces timeouts (a build cannot be
// interrupted from inside: the page terminates this worker and starts another).

import { loadCore, pythonErrorText, runBuild } from "./pyloader.js";

let core = null;
let starting = null;

// Built once before "ready": the first build runs code paths (and lazy imports) that
// later ones find warm, so the reader's first edit costs what their edit costs.
// Small, but with the steps a figure's build usually takes (a product, an epilog,
// element-wise work, an animation program).
const WARM_REQUEST = {
  text: "expr: out = softmax(A @ B / 2) + 1\nnodes: {A: {shape: [4, 3]}, B: {shape: [3, 5]}}\nanim: vmprod\n",
};

function post(message, transfer) {
  self.postMessage(message, transfer || []);
}

async function init({ indexURL, coreURL }) {
  const t0 = performance.now();
  try {
    core = await loadCore({ indexURL, coreURL, status: (phase, text) => post({ type: "status", phase, text }) });
    const w0 = performance.now();
    try {
      runBuild(core, WARM_REQUEST);
    } catch (err) {
      // Only a warm-up: the reader's own builds report their errors.
    }
    post({
      type: "ready",
      version: core.version,
      numpy: core.numpy,
      generation: core.generation,
      ms: performance.now() - t0,
      warmMs: performance.now() - w0,
    });
  } catch (err) {
    post({ type: "failed", message: String((err && err.message) || err) });
  }
}

function build({ id, request }) {
  if (!core) {
    post({ type: "crash", id, message: "Python is not running" });
    return;
  }
  const t0 = performance.now();
  let out;
  try {
    out = runBuild(core, request);
  } catch (err) {
    post({ type: "crash", id, message: pythonErrorText(err) });
    return;
  }
  if (out.error) post({ type: "error", id, error: out.error });
  else post({ type: "result", id, bytes: out.bytes.buffer, ms: performance.now() - t0 }, [out.bytes.buffer]);
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === "init") {
    if (!starting) starting = init(msg);
    await starting;
  } else if (msg.type === "build") {
    if (starting) await starting;
    build(msg);
  }
};
