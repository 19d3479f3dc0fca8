// What one result cell shows at the current step, in words and numbers, for the
// inspector: the CPU twin of matrix.frag's `revealed` and of its value choice on a
// result face (ACCUM running sums, and a split-k face left to its nearest block's
// partial sums), read from the same uniform values (animstate.js).  No DOM, no GL.

import { trackBlockSizes, trackUniforms } from "./animstate.js";

/** A result cell showing its stored value (complete, epilog applied). */
export const FINAL = Object.freeze({ state: "final" });
/** A result cell the animation has not computed yet: nothing is drawn there. */
export const EMPTY = Object.freeze({ state: "empty" });

/** matrix.frag `revealed` for cube-local cell (a, b). */
function revealed([major, minor, colMajor], a, b) {
  const [x, y] = colMajor > 0.5 ? [b, a] : [a, b];
  return x < major || (x === major && y < minor);
}

/** The first `count` k of every k block (matrix.frag `partialSum`): [[k0, k1), …]. */
function firstOfEachBlock(K, sk, count) {
  const out = [];
  for (let k0 = 0; k0 < K; k0 += sk) out.push([k0, Math.min(k0 + count, K)]);
  return out;
}

/**
 * What result cell (i, j) of a track's cube shows now.
 *
 * @param {object} track a header track (anim.py `Track.to_dict()`)
 * @param {{index: object|null, done: boolean}|null} entry the track's `Player.state()`
 *   entry; null while the animation is idle (the finished figure)
 * @param {number} i the cell's row in the result
 * @param {number} j its column
 * @param {number} nearest the k block drawn on the face during a split-k sweep (`faceBlock`)
 * @returns {{state: "final"} | {state: "empty"} |
 *   {state: "sum", ranges: number[][], complete: boolean}} `sum`: Σ L[i,k]·R[k,j] over k
 *   in `ranges` (half-open, raw: no epilog); `complete` when the ranges cover every k
 *   and only the epilog is still to come
 */
export function cellShown(track, entry, i, j, nearest) {
  const u = trackUniforms(track, entry);
  const [si, sj, sk] = trackBlockSizes(track);
  const kBounds = track.splits[2];
  const K = kBounds[kBounds.length - 1];
  const b = j % sj;
  if (!revealed(u.reveal, i % si, b)) return EMPTY;
  if (u.running && track.partial_sums) {
    return { state: "sum", ranges: [[kBounds[nearest], kBounds[nearest + 1]]], complete: false };
  }
  const [mode, firstCurrent, count, flags] = u.accum;
  if (mode < 0.5) return FINAL;
  if (b >= firstCurrent) {
    return flags & 2 ? FINAL : { state: "sum", ranges: firstOfEachBlock(K, sk, count), complete: false };
  }
  return flags & 1 ? { state: "sum", ranges: [[0, K]], complete: true } : FINAL;
}

/**
 * The k ranges of a sum in words: "k < 8", "8 ≤ k < 16", "k < 3, 8 ≤ k < 11".
 * @param {number[][]} ranges half-open [k0, k1) ranges, in order
 */
export function kRangesText(ranges) {
  return ranges
    .filter(([a, b]) => b > a)
    .map(([a, b]) => (a === 0 ? `k < ${b}` : `${a} ≤ k < ${b}`))
    .join(", ");
}
