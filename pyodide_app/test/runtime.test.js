// runtime.js with a scripted stand-in for the worker: the queue (one build at a
// time, newer requests superseding older ones per key), timeouts that replace the
// worker, failed starts that answer every waiting request, and retry.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Runtime } from "../src/live/runtime.js";
import { generationOf, normalizeIndexURL, packagesFor, pythonErrorText } from "../src/live/pyloader.js";

/** A fake worker: records messages; the test answers with `reply`. */
class FakeWorker {
  constructor() {
    this.sent = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
  }
  postMessage(msg) {
    this.sent.push(msg);
  }
  reply(msg) {
    this.onmessage({ data: msg });
  }
  terminate() {
    this.terminated = true;
  }
  builds() {
    return this.sent.filter((m) => m.type === "build");
  }
}

function makeRuntime(options = {}) {
  const workers = [];
  const rt = new Runtime({
    workerURL: "mm-worker.js",
    indexURL: "pyodide/",
    coreURL: "mm-core.zip",
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    ...options,
  });
  return { rt, workers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test("one worker starts on the first build and receives init with the configured sources", async () => {
  const { rt, workers } = makeRuntime();
  assert.equal(workers.length, 0);
  const done = rt.build("a", { spec: { expr: "A @ B" } });
  assert.equal(workers.length, 1);
  assert.deepEqual(workers[0].sent[0], { type: "init", indexURL: "pyodide/", coreURL: "mm-core.zip" });
  assert.equal(workers[0].builds().length, 0, "nothing is sent before Python is ready");
  workers[0].reply({ type: "ready", version: "0.17.0", numpy: "1.17.5", generation: "classic", ms: 10 });
  const [build] = workers[0].builds();
  assert.deepEqual(build.request, { spec: { expr: "A @ B" } });
  const bytes = new ArrayBuffer(8);
  workers[0].reply({ type: "result", id: build.id, bytes, ms: 3 });
  assert.deepEqual(await done, { bytes, ms: 3 });
  assert.equal(rt.state, "ready");
  assert.equal(rt.info.numpy, "1.17.5");
  rt.build("b", {});
  assert.equal(workers.length, 1, "the worker is shared");
  rt.dispose();
});

test("a newer request for the same figure supersedes the waiting and the running one", async () => {
  const { rt, workers } = makeRuntime();
  const first = rt.build("fig", { n: 1 });
  const other = rt.build("other", { n: 9 });
  const second = rt.build("fig", { n: 2 });
  assert.deepEqual(await first, { cancelled: true }, "a waiting request is replaced at once");
  const w = workers[0];
  w.reply({ type: "ready", version: "x", numpy: "y", generation: "module", ms: 1 });
  // FIFO across figures: "other" was queued before the second "fig".
  assert.deepEqual(
    w.builds().map((b) => b.request),
    [{ n: 9 }],
  );
  const running = w.builds()[0];
  const third = rt.build("other", { n: 10 }); // supersedes the running "other"
  w.reply({ type: "result", id: running.id, bytes: new ArrayBuffer(1), ms: 1 });
  assert.deepEqual(await other, { cancelled: true }, "a superseded running build's answer is dropped");
  assert.deepEqual(
    w.builds().map((b) => b.request),
    [{ n: 9 }, { n: 2 }],
  );
  w.reply({ type: "error", id: w.builds()[1].id, error: { message: "bad", field: "expr" } });
  assert.deepEqual(await second, { error: { message: "bad", field: "expr" } });
  w.reply({ type: "result", id: w.builds()[2].id, bytes: new ArrayBuffer(2), ms: 1 });
  assert.equal((await third).bytes.byteLength, 2);
  rt.dispose();
});

test("a build past the time limit answers with a timeout error and the worker is replaced", async () => {
  const { rt, workers } = makeRuntime({ buildTimeoutMs: 20 });
  const slow = rt.build("fig", { slow: true });
  const next = rt.build("later", { n: 1 });
  workers[0].reply({ type: "ready", version: "x", numpy: "y", generation: "classic", ms: 1 });
  const answer = await slow;
  assert.equal(answer.error.message, "the figure took longer than 0 s to compute and was stopped");
  assert.equal(answer.error.hint, "use smaller shapes, or fewer matmuls");
  assert.ok(workers[0].terminated, "the stuck worker is terminated");
  assert.equal(workers.length, 2, "a fresh worker starts for the waiting request");
  assert.equal(rt.restarts, 1);
  workers[1].reply({ type: "ready", version: "x", numpy: "y", generation: "classic", ms: 1 });
  const [b] = workers[1].builds();
  assert.deepEqual(b.request, { n: 1 });
  workers[1].reply({ type: "result", id: b.id, bytes: new ArrayBuffer(4), ms: 1 });
  assert.equal((await next).bytes.byteLength, 4);
  // Late words from the terminated worker are ignored.
  workers[0].reply({ type: "result", id: 1, bytes: new ArrayBuffer(1), ms: 1 });
  rt.dispose();
});

test("a failed start answers every waiting request with the reason, and retry starts again", async () => {
  const { rt, workers } = makeRuntime();
  const statuses = [];
  rt.subscribe((s) => statuses.push(s.state + ": " + s.text));
  const a = rt.build("a", {});
  const b = rt.build("b", {});
  workers[0].reply({ type: "status", phase: "runtime", text: "loading Python (≈27 MB)…" });
  workers[0].reply({ type: "failed", message: "numpy could not be loaded from x/ (Failed to fetch)" });
  for (const p of [a, b]) {
    assert.deepEqual(await p, {
      error: { message: "numpy could not be loaded from x/ (Failed to fetch)", hint: "retry, or reload the page" },
    });
  }
  assert.deepEqual(statuses, [
    "idle: ",
    "starting: starting Python…",
    "starting: loading Python (≈27 MB)…",
    "failed: numpy could not be loaded from x/ (Failed to fetch)",
  ]);
  // While failed, builds answer at once without starting a worker.
  assert.equal((await rt.build("c", {})).error.hint, "retry, or reload the page");
  assert.equal(workers.length, 1);
  rt.retry();
  assert.equal(workers.length, 2);
  assert.equal(rt.state, "starting");
  rt.dispose();
});

test("a start that never finishes fails after the start limit", async () => {
  const { rt } = makeRuntime({ startTimeoutMs: 10 });
  const answer = await rt.build("a", {});
  assert.equal(answer.error.message, "Python did not start within 0 s");
  assert.equal(rt.state, "failed");
  rt.dispose();
});

test("a worker crash (script error) during a build answers it and restarts", async () => {
  const { rt, workers } = makeRuntime();
  const a = rt.build("a", {});
  workers[0].reply({ type: "ready", version: "x", numpy: "y", generation: "classic", ms: 1 });
  workers[0].onerror({ message: "out of memory", preventDefault() {} });
  assert.deepEqual(await a, { error: { message: "the Python worker failed: out of memory", hint: null } });
  assert.equal(workers.length, 1, "restarted lazily: nothing is waiting");
  rt.build("b", {});
  assert.equal(workers.length, 2);
  rt.dispose();
});

test("cancel(key) drops a figure's waiting request", async () => {
  const { rt } = makeRuntime();
  const a = rt.build("a", {});
  rt.cancel("a");
  assert.deepEqual(await a, { cancelled: true });
  rt.dispose();
});

test("the loader tells the two Pyodide generations apart by their pyodide.js", () => {
  assert.equal(generationOf('globalThis.loadPyodide = async function(config = {}) { importScripts(u) }'), "classic");
  assert.equal(generationOf('...e=`${t}pyodide.asm.mjs`...'), "module");
  assert.equal(generationOf('throw new Error("Classic web workers are not supported")'), "module");
});

test("PyYAML comes from the distribution where it has one (314), else from the core archive", () => {
  assert.deepEqual(packagesFor("module"), ["numpy", "pyyaml"]);
  assert.deepEqual(packagesFor("classic"), ["numpy"]);
});

test("Python errors are reduced to their exception line, on either generation", () => {
  const classic = new Error(
    'Traceback (most recent call last):\n  File "<exec>", line 1, in <module>\nModuleNotFoundError: No module named \'numpy\'\n',
  );
  assert.equal(pythonErrorText(classic), "ModuleNotFoundError: No module named 'numpy'");
  assert.equal(pythonErrorText(new Error("Failed to fetch")), "Failed to fetch");
  assert.equal(pythonErrorText(undefined), "unknown error");
});

test("indexURL gets a trailing slash and is made absolute", () => {
  assert.equal(normalizeIndexURL("https://cdn/x/full"), "https://cdn/x/full/");
  assert.equal(normalizeIndexURL("pyodide", "http://h/site/assets/mm/mm-worker.js"), "http://h/site/assets/mm/pyodide/");
});
