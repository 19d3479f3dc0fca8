// The animation player's logic: which step is shown, when the next one is due,
// and what every matmul draws at that step. No DOM, no three.js, no GL: the
// renderer asks `state()` after a step changes and turns it into uniforms.
//
// The program itself is computed by Python (mm_docs_plugin/core/anim.py) and
// stored in the scene header as `Animation.to_dict()`; this file only replays it.
// `indexAt` and `animationAt` mirror `Track.index_at` and `Animation.at` exactly
// (the JS tests compare them with Python's output for every step).

/**
 * Within-block index of each swept axis at a track's local step (anim.py `Track.index_at`).
 * The last axis of `sweep` runs fastest. A block whose size is at most the returned
 * index is done for that step (the renderer skips it).
 *
 * @param {{sweep: string[], sizes: number[], steps: number}} track a header animation track
 * @param {number} local the step counted from the track's start
 * @returns {Object<string, number> | null} e.g. `{i: 3}` or `{j: 1, i: 0}` (in sweep order);
 *   null outside [0, steps)
 */
export function indexAt(track, local) {
  if (!(local >= 0 && local < track.steps)) return null;
  const out = {};
  let rest = local;
  const counts = new Array(track.sweep.length);
  for (let a = track.sweep.length - 1; a >= 0; a--) {
    counts[a] = rest % track.sizes[a];
    rest = Math.floor(rest / track.sizes[a]);
  }
  track.sweep.forEach((axis, a) => {
    out[axis] = counts[a];
  });
  return out;
}

/** `step` modulo `total`, never negative (Python's %). */
function wrap(step, total) {
  return ((step % total) + total) % total;
}

/**
 * `{node path: indices}` of the tracks running at global `step`, looping
 * (anim.py `Animation.at`).
 *
 * @param {{total_steps: number, tracks: object[]}} animation `header.animation`
 * @param {number} step any integer; it is taken modulo `total_steps`
 * @returns {Object<string, Object<string, number>>} a prototype-less object
 */
export function animationAt(animation, step) {
  const out = Object.create(null); // keyed by node paths from the file: no prototype to hit
  if (!(animation.total_steps > 0)) return out;
  const s = wrap(step, animation.total_steps);
  for (const track of animation.tracks) {
    const index = indexAt(track, s - track.start);
    if (index !== null) out[track.node] = index;
  }
  return out;
}

const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

/** Throw a clear Error if `animation` is not a usable `Animation.to_dict()`. */
function checkAnimation(animation) {
  const bad = (what) => {
    throw new Error("scene animation: " + what);
  };
  if (typeof animation !== "object" || animation === null) bad("missing");
  if (!isCount(animation.total_steps)) bad("total_steps must be an integer >= 0");
  if (!Array.isArray(animation.tracks)) bad("tracks must be a list");
  animation.tracks.forEach((t, n) => {
    const where = `tracks[${n}]`;
    if (typeof t !== "object" || t === null) bad(where + " is not an object");
    if (typeof t.node !== "string") bad(where + ".node must be a node path");
    if (!isCount(t.start) || !isCount(t.steps)) {
      bad(where + ": start and steps must be integers >= 0");
    }
    if (!Array.isArray(t.sweep) || !t.sweep.every((a) => a === "i" || a === "j" || a === "k")) {
      bad(where + ".sweep must list axes i, j, k");
    }
    if (
      !Array.isArray(t.sizes) ||
      t.sizes.length !== t.sweep.length ||
      !t.sizes.every((v) => isCount(v) && v > 0)
    ) {
      bad(where + ".sizes must give one positive size per swept axis");
    }
  });
}

/** Plays one figure's animation on a looping clock of `total_steps` steps. */
export class Player {
  /**
   * @param {object} animation `header.animation` of a decoded scene (anim.py `Animation.to_dict()`)
   * @param {{reducedMotion?: boolean}} [options] reducedMotion: the reader prefers reduced
   *   motion (`matchMedia('(prefers-reduced-motion: reduce)')`): start paused, no spin
   * @throws {Error} if `animation` is malformed
   */
  constructor(animation, { reducedMotion = false } = {}) {
    checkAnimation(animation);
    /** The program, as stored in the scene header. */
    this.animation = animation;
    this._total = animation.total_steps;
    this._step = 0;
    this._speed = Number(animation.speed) > 0 ? Number(animation.speed) : 20;
    this._reducedMotion = Boolean(reducedMotion);
    this._playing = !this._reducedMotion && this._total > 0;
    this._last = null; // time of the last step (ms); null: the next tick starts the clock
  }

  /** Steps in one loop (0: nothing animates). */
  get total() {
    return this._total;
  }

  /** The current global step, in [0, total). Setting it seeks. */
  get step() {
    return this._step;
  }

  set step(value) {
    this.seek(value);
  }

  /** Whether `tick` advances the clock. */
  get playing() {
    return this._playing;
  }

  /** Steps per second, at most (mm's `speed`): one step per 1000/speed ms. */
  get speed() {
    return this._speed;
  }

  set speed(value) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(
        `animation speed must be a positive number of steps per second, not ${value}`,
      );
    }
    this._speed = value;
  }

  /** Spin in the program's unit, 0 when the reader prefers reduced motion. */
  get spin() {
    return this._reducedMotion ? 0 : Number(this.animation.spin) || 0;
  }

  /** Start (or resume) playing; a figure without steps stays paused. */
  play() {
    this._playing = this._total > 0;
    this._last = null;
  }

  /** Stop advancing; the current step stays shown. */
  pause() {
    this._playing = false;
  }

  /**
   * Pause and show the next step (the first after the last).
   * @returns {boolean} whether the step changed
   */
  stepForward() {
    this.pause();
    return this.seek(this._step + 1);
  }

  /**
   * Pause and show the previous step (the last before the first).
   * @returns {boolean} whether the step changed
   */
  stepBack() {
    this.pause();
    return this.seek(this._step - 1);
  }

  /**
   * Show global step `step` (taken modulo `total`, like `Animation.at`).
   * @param {number} step an integer
   * @returns {boolean} whether the step changed
   */
  seek(step) {
    if (this._total === 0) return false;
    if (!Number.isInteger(step)) {
      throw new RangeError(`animation step must be an integer, not ${step}`);
    }
    const next = wrap(step, this._total);
    const changed = next !== this._step;
    this._step = next;
    this._last = null; // a scrub restarts the interval, so the next step is not instant
    return changed;
  }

  /**
   * Advance the clock to `nowMs` (e.g. the rAF timestamp): at most one step per
   * 1000/speed ms and at most one step per call, so a slow frame never skips steps.
   * Allocates nothing.
   *
   * @param {number} nowMs a monotonic time in milliseconds (`performance.now()`)
   * @returns {boolean} whether the step changed (then call `state()` and redraw)
   */
  tick(nowMs) {
    if (!this._playing) return false;
    if (this._last === null || nowMs < this._last) {
      this._last = nowMs; // first tick after play/seek, or a clock that went back
      return false;
    }
    const interval = 1000 / this._speed;
    const elapsed = nowMs - this._last;
    if (elapsed < interval) return false;
    // On time: keep the cadence. Late (hidden tab, slow frame): restart from now rather
    // than replay the missed steps in a burst.
    this._last = elapsed < 2 * interval ? this._last + interval : nowMs;
    const previous = this._step;
    this._step = (this._step + 1) % this._total;
    return this._step !== previous;
  }

  /**
   * What every track shows at the current step.
   *
   * @returns {{step: number, total: number, playing: boolean,
   *   tracks: Object<string,
   *     {index: Object<string, number> | null, done: boolean, track: object}>}}
   *   one entry per track (node path): `index` as `indexAt` (null when the track is not
   *   running: not started yet, or `done`); `done` once the track has finished in this
   *   loop (its result is complete); `track` the header's track.
   */
  state() {
    const tracks = Object.create(null);
    for (const track of this.animation.tracks) {
      tracks[track.node] = {
        index: indexAt(track, this._step - track.start),
        done: this._step >= track.start + track.steps,
        track,
      };
    }
    return { step: this._step, total: this._total, playing: this._playing, tracks };
  }
}
