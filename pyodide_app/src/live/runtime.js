// The page's side of the Python worker: one Runtime per tab, shared by every
// figure and kept across mkdocs-material instant navigation (the module lives as
// long as the document).
//
//   runtime.build(key, request) → Promise of one of
//     {bytes: ArrayBuffer, ms}      the scene file, transferred from the worker
//     {error: {message, hint, line, column, length, field}}   the spec is wrong
//     {cancelled: true}             a newer request for the same key superseded it
//
// One build runs at a time; at most one waits per key (a newer edit replaces the
// waiting one, and the answer of a running one that was superseded is dropped).
// Python cannot be interrupted from outside, so a build that runs past
// `buildTimeoutMs` costs the worker: it is terminated, the request answers with a
// timeout error, and a fresh worker is started for whatever comes next.
//
// Status (for the editors): subscribe(fn) → fn({state, text}); state is
// idle | starting | ready | failed.  A failed start is kept (no retry storm)
// until retry().

export const DEFAULT_BUILD_TIMEOUT_MS = 30000;
export const DEFAULT_START_TIMEOUT_MS = 120000;

/** 30000 → "30", 200 → "0.2": limits as a reader would write them. */
function seconds(ms) {
  return String(Math.round(ms / 100) / 10);
}

function mark(name) {
  if (typeof performance !== "undefined" && performance.mark) performance.mark(name);
}

export class Runtime {
  /**
   * @param {{workerURL: string, indexURL: string, coreURL: string,
   *          buildTimeoutMs?: number, startTimeoutMs?: number,
   *          createWorker?: (url: string) => Worker}} options
   */
  constructor(options) {
    this.options = Object.assign(
      { buildTimeoutMs: DEFAULT_BUILD_TIMEOUT_MS, startTimeoutMs: DEFAULT_START_TIMEOUT_MS },
      options,
    );
    this.createWorker = options.createWorker || ((url) => new Worker(url, { type: "module" }));
    this.state = "idle";
    this.text = "";
    this.info = null; // {version, numpy, generation, ms} once ready
    this.worker = null;
    this.queue = []; // [{key, request, resolve}]
    this.current = null; // the request the worker is computing
    this.listeners = new Set();
    this.nextId = 1;
    this.restarts = 0;
    this._started = null;
    this._startTimer = 0;
    this._buildTimer = 0;
  }

  subscribe(fn) {
    this.listeners.add(fn);
    fn({ state: this.state, text: this.text, info: this.info });
    return () => this.listeners.delete(fn);
  }

  setStatus(state, text) {
    this.state = state;
    this.text = text;
    for (const fn of Array.from(this.listeners)) fn({ state, text, info: this.info });
  }

  /** Start the worker if it is not running (idempotent); resolves when Python is ready. */
  start() {
    if (this._started) return this._started;
    this._started = new Promise((resolve, reject) => {
      this._onReady = resolve;
      this._onFailed = reject;
    });
    this._started.catch(() => {}); // reported through status; callers may ignore it
    mark("mm:python-start"); // bench_live.py: long tasks while Python loads
    this.setStatus("starting", "starting Python…");
    let worker;
    try {
      worker = this.createWorker(this.options.workerURL);
    } catch (err) {
      this.failStart("the Python worker could not start: " + ((err && err.message) || err));
      return this._started;
    }
    this.worker = worker;
    worker.onmessage = (event) => this.onMessage(worker, event.data || {});
    worker.onerror = (event) => {
      if (event && event.preventDefault) event.preventDefault();
      if (worker !== this.worker) return;
      const why = (event && event.message) || "the worker script could not run";
      if (this.state === "starting") this.failStart("the Python worker failed: " + why);
      else this.crash("the Python worker failed: " + why);
    };
    this._startTimer = setTimeout(() => {
      if (this.state === "starting" && worker === this.worker) {
        this.failStart(`Python did not start within ${seconds(this.options.startTimeoutMs)} s`);
      }
    }, this.options.startTimeoutMs);
    worker.postMessage({ type: "init", indexURL: this.options.indexURL, coreURL: this.options.coreURL });
    return this._started;
  }

  /** After a failed start: forget it and start again. */
  retry() {
    if (this.state !== "failed") return this.start();
    this.stopWorker();
    this._started = null;
    return this.start();
  }

  build(key, request) {
    return new Promise((resolve) => {
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].key === key) {
          this.queue[i].resolve({ cancelled: true });
          this.queue.splice(i, 1);
        }
      }
      if (this.current && this.current.key === key) this.current.superseded = true;
      this.queue.push({ key, request, resolve });
      if (this.state === "failed") {
        this.flushFailed();
        return;
      }
      this.start();
      this.pump();
    });
  }

  /** Drop what is waiting for `key` (a figure unmounted): it answers {cancelled: true}. */
  cancel(key) {
    this.queue = this.queue.filter((item) => {
      if (item.key === key) item.resolve({ cancelled: true });
      return item.key !== key;
    });
    if (this.current && this.current.key === key) this.current.superseded = true;
  }

  pump() {
    if (this.current || this.state !== "ready" || !this.queue.length) return;
    const item = this.queue.shift();
    item.id = this.nextId++;
    this.current = item;
    const limit = this.options.buildTimeoutMs;
    this._buildTimer = setTimeout(() => this.timeout(item, limit), limit);
    this.worker.postMessage({ type: "build", id: item.id, request: item.request });
  }

  onMessage(worker, msg) {
    if (worker !== this.worker) return; // a terminated worker's last words
    if (msg.type === "status") {
      this.setStatus("starting", msg.text || "starting Python…");
    } else if (msg.type === "ready") {
      clearTimeout(this._startTimer);
      // ms: from the start to ready; warmMs: of which the warm-up build (worker.js)
      this.info = { version: msg.version, numpy: msg.numpy, generation: msg.generation, ms: msg.ms, warmMs: msg.warmMs };
      mark("mm:python-ready");
      this.setStatus("ready", "ready");
      this._onReady(this.info);
      this.pump();
    } else if (msg.type === "failed") {
      this.failStart(msg.message || "Python could not start");
    } else if (this.current && msg.id === this.current.id) {
      const item = this.current;
      this.current = null;
      clearTimeout(this._buildTimer);
      if (item.superseded) item.resolve({ cancelled: true });
      else if (msg.type === "result") item.resolve({ bytes: msg.bytes, ms: msg.ms });
      else if (msg.type === "error") item.resolve({ error: msg.error });
      else item.resolve({ error: { message: "the figure code failed: " + msg.message, hint: null } });
      this.pump();
    }
  }

  timeout(item, limit) {
    if (this.current !== item) return;
    this.current = null;
    item.resolve({
      error: {
        message: `the figure took longer than ${seconds(limit)} s to compute and was stopped`,
        hint: "use smaller shapes, or fewer matmuls",
      },
    });
    this.restart();
  }

  /** Replace the worker (after a timeout or a crash); waiting requests go to the new one. */
  restart() {
    this.restarts += 1;
    this.stopWorker();
    this._started = null;
    this.setStatus("idle", "restarting Python…");
    if (this.queue.length) {
      this.start();
    }
  }

  crash(message) {
    const item = this.current;
    this.current = null;
    clearTimeout(this._buildTimer);
    if (item) item.resolve({ error: { message, hint: null } });
    this.restart();
  }

  failStart(message) {
    clearTimeout(this._startTimer);
    this.stopWorker();
    this.setStatus("failed", message);
    if (this._onFailed) this._onFailed(new Error(message));
    this.flushFailed();
  }

  flushFailed() {
    const waiting = this.queue;
    this.queue = [];
    for (const item of waiting) item.resolve({ error: { message: this.text, hint: "retry, or reload the page" } });
  }

  stopWorker() {
    clearTimeout(this._startTimer);
    clearTimeout(this._buildTimer);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.current = null;
  }

  dispose() {
    this.cancelAll();
    this.stopWorker();
    this.listeners.clear();
  }

  cancelAll() {
    for (const item of this.queue) item.resolve({ cancelled: true });
    this.queue = [];
  }
}
