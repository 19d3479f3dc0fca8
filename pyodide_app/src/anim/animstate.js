// What one animation step means for the GPU, as plain numbers: no DOM, no three.js.
//
// The player (player.js) says, per track, which within-block index each swept axis
// is at; this file turns that into the values of a handful of uniforms (animator.js
// copies them into three.js uniform objects; tests read them directly).  All of it
// is O(1) per track: a step never touches elements.
//
// Coordinates are *cube-local*: an index taken modulo the cube's block size along
// that axis.  Blocks are ceil-sized (partition.py: boundaries 0, s, 2s, …, n), so a
// view's row r lies in cube-local row r % s whatever face the view is on, and every
// block advances together (mm: "each step advances one index in every block").
//
// Uniform meanings (gl/shaders/matrix.frag):
//   reveal [major, minor, colMajor, 0]: a result cell with cube-local (a, b)
//     (swapped when colMajor) is drawn iff a < major, or a == major and b < minor.
//     `reveal` is what the sweep has computed (the partial-sum planes show it);
//     `face` is what the result face shows: the same, except during a split-k sweep,
//     when the face is left to the partial-sum plane of the k block next to it
//     (mm draws that block's partial sums in the result's place until the end).
//   rect [r0, c0, r1, c1]: cube-local rows [r0, r1) × cols [c0, c1) (empty: r0 >= r1).
//   accum [mode, jt, count, flags] (vvprod, axpy on the result face): mode 0 shows
//     stored values; mode 1: cells with cube-local column >= jt are "current" and
//     show Σ over the first `count` cube-local k (raw), earlier columns are complete;
//     flags: 1 complete columns as raw full sums (not the stored, epilog-applied
//     values), 2 current cells show stored values (the last step).

/** Far beyond any index (but exact in float32 and int32). */
export const BIG = 1 << 30;
export const REVEAL_ALL = Object.freeze([BIG, 0, 0, 0]);
export const REVEAL_NONE = Object.freeze([0, 0, 0, 0]);
export const NO_RECT = Object.freeze([0, 0, 0, 0]);
export const ACCUM_OFF = Object.freeze([0, 0, 0, 0]);
export const AXIS = Object.freeze({ i: 0, j: 1, k: 2 });

/** The largest block between consecutive boundaries (anim.py `block_size`). */
export function blockSize(bounds) {
  let s = 0;
  for (let n = 1; n < bounds.length; n++) s = Math.max(s, bounds[n] - bounds[n - 1]);
  return s;
}

/** Cube-local block sizes [si, sj, sk] of a track (from its splits). */
export function trackBlockSizes(track) {
  return track.splits.map(blockSize);
}

/**
 * How each `shows` is drawn inside the cube: the quad's row axis and column axis
 * (0 i, 1 j, 2 k), and `strip` (-1 a plane; 0 or 1: that axis spans only the
 * current cell, a vector).  A vector is a one-cell slice of its algorithm's plane:
 * dotprod (row major) is vmprod with a sweep, so its k-vector lies in the k×j plane;
 * dotprod (col major) is mvprod's i×k plane; axpy is vvprod's i×j plane.
 */
export function quadLayout(track) {
  switch (track.shows) {
    case "plane_kj":
      return { axes: [2, 1], strip: -1 };
    case "plane_ik":
      return { axes: [0, 2], strip: -1 };
    case "plane_ij":
      return { axes: [0, 1], strip: -1 };
    case "vector_k":
      return track.alg === "dotprod_col_major" ? { axes: [2, 0], strip: 1 } : { axes: [2, 1], strip: 1 };
    case "vector_i":
      return { axes: [0, 1], strip: 1 };
    default:
      throw new Error(`scene animation: unknown track.shows ${JSON.stringify(track.shows)}`);
  }
}

/**
 * The k block whose partial-sum plane takes the result face's place during a split-k
 * sweep: the block next to the face (the first if the face lies before k = 0, else the last).
 *
 * @param {{origin: number[], axes: number[][], splits: number[][]}} cube a header cube
 * @param {number[]} faceOrigin the result view's origin
 */
export function faceBlock(cube, faceOrigin) {
  const k = cube.axes[2];
  const along = [0, 1, 2].reduce((s, a) => s + (faceOrigin[a] - cube.origin[a]) * k[a], 0);
  return along < 0 ? 0 : cube.splits[2].length - 2;
}

/** Whether a track's result accumulates partial sums (vvprod, axpy). */
export function accumulates(track) {
  return track.reveals === "accumulate" || track.reveals === "accumulate_col";
}

/**
 * The uniform values of one track at one step.
 *
 * @param {object} track a header track (anim.py `Track.to_dict()`)
 * @param {{index: Object<string, number>|null, done: boolean}|null} entry the track's
 *   entry in `Player.state().tracks`; null: the animation is idle (shows the finished figure)
 * @returns {{running: boolean, local: number[], reveal: number[], face: number[],
 *   left: number[], right: number[], accum: number[]}} `local`: within-block index along
 *   i, j, k (0 where not swept); `reveal`/`face`: the computed region and the result
 *   face's (see above); `left`/`right`: highlight rects on the argument faces (left:
 *   rows i × cols k, right: rows k × cols j)
 */
export function trackUniforms(track, entry) {
  const out = sweepUniforms(track, entry);
  out.face = out.running && track.partial_sums ? REVEAL_NONE : out.reveal;
  return out;
}

function sweepUniforms(track, entry) {
  const idle = { running: false, local: [0, 0, 0], reveal: REVEAL_ALL, left: NO_RECT, right: NO_RECT, accum: ACCUM_OFF };
  if (entry === null || entry.done) return idle;
  if (entry.index === null) return Object.assign(idle, { reveal: REVEAL_NONE }); // not started
  const ix = entry.index;
  const li = ix.i ?? 0;
  const lj = ix.j ?? 0;
  const lk = ix.k ?? 0;
  const [, sj, sk] = trackBlockSizes(track);
  const row = (r) => [r, -BIG, r + 1, BIG];
  const col = (c) => [-BIG, c, BIG, c + 1];
  const out = { running: true, local: [li, lj, lk], reveal: REVEAL_ALL, left: NO_RECT, right: NO_RECT, accum: ACCUM_OFF };
  switch (track.alg) {
    case "vmprod":
      out.reveal = [li + 1, 0, 0, 0];
      out.left = row(li);
      break;
    case "mvprod":
      out.reveal = [lj + 1, 0, 1, 0];
      out.right = col(lj);
      break;
    case "dotprod_row_major":
      out.reveal = [li, lj + 1, 0, 0];
      out.left = row(li);
      out.right = col(lj);
      break;
    case "dotprod_col_major":
      out.reveal = [lj, li + 1, 1, 0];
      out.left = row(li);
      out.right = col(lj);
      break;
    case "vvprod": {
      const last = lk === sk - 1;
      out.reveal = REVEAL_ALL;
      out.left = col(lk);
      out.right = row(lk);
      out.accum = [1, 0, lk + 1, last ? 2 : 0];
      break;
    }
    case "axpy": {
      const last = lk === sk - 1;
      const final = last && lj === sj - 1;
      out.reveal = [lj + 1, 0, 1, 0];
      out.left = col(lk);
      out.right = [lk, lj, lk + 1, lj + 1];
      // Complete columns: stored values, or raw full sums while the epilog waits for the end.
      const flags = (track.epilog_at_end && !final ? 1 : 0) | (last && (final || !track.epilog_at_end) ? 2 : 0);
      out.accum = [1, lj, lk + 1, flags];
      break;
    }
    default:
      throw new Error(`scene animation: unknown track.alg ${JSON.stringify(track.alg)}`);
  }
  return out;
}
