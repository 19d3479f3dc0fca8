// The colour range of the animation's products L[i,k]·R[k,j] (and so their disc
// size): [0, max |L[i,k]·R[k,j]|] over a whole cube, exact and computed once on
// load as max over k of (max_i |L[i,k]|)·(max_j |R[k,j]|), in O(|L| + |R|).  The
// products have their own scale: a single product is usually far smaller than the
// sums on the result face, so the result's range would draw them as dots.

import { halfToFloat } from "../format/scenefile.js";

/**
 * Per k, the largest finite |x| of a stored buffer along k.
 *
 * @param {{dtype: string, shape: number[], data: ArrayLike<number>}} buf from decodeScene
 * @param {boolean} kIsCol whether k runs along the buffer's columns (else its rows)
 * @returns {Float32Array} one maximum per k (0 where every value is 0 or not finite)
 */
export function maxAlongK(buf, kIsCol) {
  const rows = buf.shape.length === 2 ? buf.shape[0] : 1;
  const cols = buf.shape.length === 2 ? buf.shape[1] : buf.shape[0];
  const data = buf.data;
  const n = kIsCol ? cols : rows;
  const out = new Float32Array(n);
  if (buf.dtype === "f2") {
    // Finite halves order by magnitude like their bits without the sign: scan integers,
    // convert the n maxima once.  (0x7c00 and up: ±Inf and NaN, drawn apart.)
    const bits = new Uint16Array(n);
    for (let r = 0, p = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, p++) {
        const a = data[p] & 0x7fff;
        const at = kIsCol ? c : r;
        if (a < 0x7c00 && a > bits[at]) bits[at] = a;
      }
    }
    for (let k = 0; k < n; k++) out[k] = halfToFloat(bits[k]);
  } else {
    for (let r = 0, p = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, p++) {
        const a = Math.abs(data[p]);
        const at = kIsCol ? c : r;
        if (a < Infinity && a > out[at]) out[at] = a; // NaN fails both tests
      }
    }
  }
  return out;
}

/**
 * max |L[i,k]·R[k,j]| over a cube of depth `depth`, from `maxAlongK` of its arguments.
 *
 * @param {Float32Array} left per k, the left argument's largest |x| in column k
 * @param {Float32Array} right per k, the right argument's largest |x| in row k
 * @param {number} depth the cube's size along k
 * @returns {number} 0 if it is not finite
 */
export function productMax(left, right, depth) {
  let m = 0;
  for (let k = 0; k < depth; k++) m = Math.max(m, left[k] * right[k]);
  return Number.isFinite(m) ? m : 0;
}
