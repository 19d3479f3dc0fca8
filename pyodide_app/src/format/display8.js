// precision: display8 — 8-bit buffers decoded to half floats as the scene file is read.
//
// The twin of mm_docs_plugin/core/scene/quantize.py `dequantize_rows`: each row of a
// "u1" buffer named in the header's `display8` table has a float32 (scale, zero) pair
// in its companion buffer, value = (code - zero) * scale (float32 arithmetic, as numpy
// does).  We decode to raw half floats so the rest of the viewer sees an ordinary "f2"
// buffer (HALF_FLOAT textures, the inspector, the animator): the same GPU and CPU
// memory as a float16 file, and no shader of its own.  A row costs 256 conversions
// (a table of its 256 possible values) plus one table look-up per element.
// Decoded buffers carry `approximate: true`, so hovering says "≈".

import { SceneFileError } from "./scenefile.js";

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The IEEE 754 binary16 bits nearest to `x` (as a float32), ties to even, as numpy's
 * `astype(np.float16)` rounds; beyond 65504 gives ±Infinity, NaN stays NaN.
 *
 * @param {number} x
 * @returns {number} 0..65535
 */
export function floatToHalf(x) {
  F32[0] = x;
  const b = U32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry rounds up the exponent
  return sign | half;
}

/**
 * Replace, in `buffers`, every 8-bit buffer the header's `display8` table names by its
 * decoded half floats (`{dtype: "f2", shape, data: Uint16Array, approximate: true}`).
 *
 * @param {object} header the scene file's header
 * @param {Object<string, {dtype: string, shape: number[], data: ArrayLike<number>}>} buffers
 * @throws {SceneFileError} for a table that names missing or ill-shaped buffers
 */
export function expandDisplay8(header, buffers) {
  const table = header.display8;
  if (table === undefined) return;
  if (typeof table !== "object" || table === null || Array.isArray(table)) {
    throw new SceneFileError("scene file header: display8 is not an object", { field: "display8" });
  }
  for (const name of Object.keys(table)) {
    const params = table[name];
    const codes = buffers[name];
    const scales = typeof params === "string" ? buffers[params] : undefined;
    if (
      !codes || !scales || codes.dtype !== "u1" || codes.shape.length !== 2 ||
      scales.dtype !== "f4" || scales.shape.length !== 2 ||
      scales.shape[0] !== codes.shape[0] || scales.shape[1] !== 2
    ) {
      throw new SceneFileError(
        `8-bit buffer ${JSON.stringify(name)} lacks its codes or its per-row scales ${JSON.stringify(params)}`,
        { field: "display8" },
      );
    }
    buffers[name] = { dtype: "f2", shape: codes.shape, data: decodeRows(codes, scales), approximate: true };
  }
}

function decodeRows(codes, scales) {
  const [rows, cols] = codes.shape;
  const src = codes.data;
  const p = scales.data;
  const out = new Uint16Array(rows * cols);
  const table = new Uint16Array(256);
  for (let r = 0; r < rows; r++) {
    const scale = p[2 * r];
    const zero = p[2 * r + 1];
    for (let c = 0; c < 256; c++) table[c] = floatToHalf(Math.fround(Math.fround(c - zero) * scale));
    const base = r * cols;
    for (let k = 0; k < cols; k++) out[base + k] = table[src[base + k]];
  }
  return out;
}
