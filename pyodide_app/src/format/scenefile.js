// Reads scene files: the JavaScript twin of mm_docs_plugin/core/pack.py `unpack`.
//
// Layout (pack.py's docstring is the contract): "MMSC", u32 LE version (1),
// u32 LE N, N bytes of UTF-8 JSON, zero padding to a multiple of 8, then the
// buffers at the absolute, 8-aligned offsets the header's "buffers" table gives.
// Values are not copied: every buffer is a typed-array view on the fetched
// bytes, so decoding a 2 MB scene costs the JSON parse and nothing per element.
//
// Every way a file can be wrong throws SceneFileError (and nothing else), with
// the same checks, in the same order, as unpack: a truncated download or a
// stale cache must give the reader a message, not a garbled figure.
// One difference JSON.parse forces: it reads `8.0` as the integer 8, which
// Python refuses as an offset; the value is the same, so nothing is misread.

import { expandDisplay8 } from "./display8.js";

const MAGIC = "MMSC";
/** The scene file format version this reader knows (pack.py VERSION). */
export const SCENE_VERSION = 1;
const ALIGN = 8;
const PREFIX = 12;
const MAX_NDIM = 32; // numpy 1.17's limit, as in pack.py
const MAX_NOMINAL = 2 ** 31 - 1; // pack.py refuses larger buffers; so do we

/** dtype -> [typed-array class, bytes per element]. "f2" stays raw: WebGL2 uploads HALF_FLOAT. */
export const DTYPES = Object.freeze({
  f2: [Uint16Array, 2],
  f4: [Float32Array, 4],
  u1: [Uint8Array, 1],
  u2: [Uint16Array, 2],
  u4: [Uint32Array, 4],
  i4: [Int32Array, 4],
});

// Typed arrays use the platform's byte order; the file is little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes that are not a readable scene file (wrong magic, version, truncated, corrupt). */
export class SceneFileError extends Error {
  /**
   * @param {string} message what is wrong
   * @param {{hint?: string, field?: string}} [where] how to fix it; the header field
   */
  constructor(message, { hint, field } = {}) {
    super((field ? field + ": " : "") + message + (hint ? "\nhint: " + hint : ""));
    this.name = "SceneFileError";
    this.hint = hint ?? null;
    this.field = field ?? null;
  }
}

const align = (n) => Math.ceil(n / ALIGN) * ALIGN;
// Object.hasOwn is newer than some of the browsers es2020 targets.
const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);
// Any integer: one beyond 2**53 cannot be exact, but it fails the size checks below anyway.
const isCount = (v) => Number.isInteger(v) && v >= 0;
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const repr = (v) => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v); // BigInt and other things JSON cannot show
  }
};

/**
 * Decode a scene file.
 *
 * @param {ArrayBuffer | ArrayBufferView} input the whole file, e.g. `await response.arrayBuffer()`
 * @returns {{header: object,
 *   buffers: Object<string, {dtype: string, shape: number[], data: ArrayLike<number>}>}}
 *   `header` is the parsed JSON header ("buffers" table included); `buffers` maps each
 *   buffer name to its dtype, shape (row-major) and a typed-array view on `input`
 *   (`Uint16Array` of raw half floats for "f2": see `halfToFloat`). `buffers` has no
 *   prototype, so any name is safe as a key.
 * @throws {SceneFileError} for anything that is not a valid scene file
 */
export function decodeScene(input) {
  try {
    return decode(input);
  } catch (err) {
    if (err instanceof SceneFileError) throw err;
    // A check this file forgot must still surface as the one documented error type.
    throw new SceneFileError("unreadable scene file: " + (err && err.message));
  }
}

function decode(input) {
  const [buffer, base, size] = bytesOf(input);
  const bytes = new Uint8Array(buffer, base, size);
  const head = readHeader(bytes);
  const start = align(PREFIX + new DataView(buffer, base, size).getUint32(8, true));
  const entries = head.buffers;
  if (!Array.isArray(entries)) {
    throw new SceneFileError('scene file header has no "buffers" list', { field: "buffers" });
  }
  const out = Object.create(null);
  const spans = [];
  entries.forEach((entry, i) => {
    const field = `buffers[${i}]`;
    const { name, dtype, shape, count, offset } = readEntry(entry, field);
    if (has(out, name)) {
      throw new SceneFileError(`duplicate buffer name ${repr(name)}`, { field });
    }
    const [ArrayType, itemsize] = DTYPES[dtype];
    const length = count * itemsize;
    checkSpan(name, offset, length, start, size);
    spans.push([offset, offset + length, name]);
    out[name] = { dtype, shape, data: new ArrayType(buffer, base + offset, count) };
  });
  // Python sorts (begin, end, name) tuples: the same order, so the same pair is named.
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) {
      throw new SceneFileError(
        `buffers ${repr(spans[i - 1][2])} and ${repr(spans[i][2])} overlap`,
      );
    }
  }
  expandDisplay8(head, out); // precision: display8 — 8-bit rows decoded to half floats
  return { header: head, buffers: out };
}

/** [ArrayBuffer, byte offset, byte length] of the input, with the offset 8-aligned. */
function bytesOf(input) {
  if (!LITTLE_ENDIAN) {
    throw new SceneFileError("this platform is big-endian; scene files are little-endian");
  }
  if (input instanceof ArrayBuffer) return [input, 0, input.byteLength];
  if (ArrayBuffer.isView(input) && input.buffer instanceof ArrayBuffer) {
    if (input.byteOffset % ALIGN === 0) return [input.buffer, input.byteOffset, input.byteLength];
    // Views need aligned offsets in the underlying buffer: copy once to realign.
    const copy = new Uint8Array(input.byteLength);
    copy.set(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    return [copy.buffer, 0, copy.byteLength];
  }
  throw new SceneFileError(
    `a scene file must be an ArrayBuffer, not ${input === null ? "null" : typeof input}`,
    { hint: "pass `await response.arrayBuffer()`" },
  );
}

/** The parsed JSON header, after the prefix checks (pack.py `_read_header`). */
function readHeader(bytes) {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== MAGIC) {
    throw new SceneFileError(`not a scene file: starts with ${repr(magic)}, expected "MMSC"`, {
      hint: "was the file fetched whole, and is it a .mmsc scene file?",
    });
  }
  if (bytes.length < PREFIX) {
    throw new SceneFileError(
      `truncated scene file: ${bytes.length} bytes, less than the prefix`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  const size = view.getUint32(8, true);
  if (version !== SCENE_VERSION) {
    throw new SceneFileError(
      `unsupported scene file version ${version} (this reader knows version ${SCENE_VERSION})`,
      { hint: "rebuild the site with the same mm-docs version as the viewer" },
    );
  }
  const start = align(PREFIX + size);
  if (start > bytes.length || bytes.length % ALIGN) {
    // pack always pads the end to a multiple of 8: a file that is not was cut short.
    throw new SceneFileError(
      `truncated scene file: ${bytes.length} bytes, expected a multiple of ${ALIGN} ` +
        `and at least ${start}`,
    );
  }
  let head;
  try {
    // fatal: bad UTF-8 is an error, as in Python; ignoreBOM keeps a BOM so JSON.parse
    // refuses it, as json.loads does.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(PREFIX, PREFIX + size),
    );
    head = JSON.parse(text);
  } catch (err) {
    throw new SceneFileError(`scene file header is not valid JSON: ${err.message}`);
  }
  if (!isObject(head)) {
    const kind = head === null ? "null" : Array.isArray(head) ? "array" : typeof head;
    throw new SceneFileError(`scene file header is a JSON ${kind}, not an object`);
  }
  return head;
}

/** {name, dtype, shape, count, offset} of one valid "buffers" entry (pack.py `_read_entry`). */
function readEntry(entry, field) {
  if (!isObject(entry)) throw new SceneFileError("buffer entry is not an object", { field });
  const missing = ["name", "dtype", "shape", "offset", "length"].filter(
    (key) => !has(entry, key),
  );
  if (missing.length) {
    throw new SceneFileError(`buffer entry lacks ${missing.join(", ")}`, { field });
  }
  const { name, dtype, shape, offset, length } = entry;
  if (typeof name !== "string" || !name) {
    throw new SceneFileError("buffer name is not a non-empty string", { field });
  }
  if (typeof dtype !== "string" || !has(DTYPES, dtype)) {
    throw new SceneFileError(`buffer ${repr(name)} has unknown dtype ${repr(dtype)}`, {
      hint: "valid dtypes: " + Object.keys(DTYPES).join(", "),
      field,
    });
  }
  if (!Array.isArray(shape) || shape.length > MAX_NDIM || !shape.every(isCount)) {
    throw new SceneFileError(`buffer ${repr(name)} has a bad shape ${repr(shape)}`, { field });
  }
  if (!isCount(offset) || !isCount(length)) {
    throw new SceneFileError(`buffer ${repr(name)}: offset and length must be integers >= 0`);
  }
  const itemsize = DTYPES[dtype][1];
  let count = 1;
  let nominal = 1;
  for (const n of shape) {
    count *= n;
    nominal *= Math.max(n, 1); // numpy refuses even empty arrays whose other sides overflow
  }
  if (nominal * itemsize > MAX_NOMINAL) {
    throw new SceneFileError(`buffer ${repr(name)}: shape ${repr(shape)} is too large`, {
      field,
    });
  }
  if (count * itemsize !== length) {
    throw new SceneFileError(
      `buffer ${repr(name)}: length ${length} does not match shape ${repr(shape)} ` +
        `x ${itemsize} bytes`,
      { field },
    );
  }
  return { name, dtype, shape: shape.slice(), count, offset };
}

/** Refuse a buffer misaligned, inside the header or past the end (pack.py `_check_span`). */
function checkSpan(name, offset, length, start, size) {
  if (offset % ALIGN) {
    throw new SceneFileError(
      `buffer ${repr(name)}: offset ${offset} is not a multiple of ${ALIGN}`,
    );
  }
  if (offset < start) {
    throw new SceneFileError(
      `buffer ${repr(name)}: offset ${offset} points into the header (buffers start at ${start})`,
    );
  }
  if (offset + length > size) {
    throw new SceneFileError(
      `buffer ${repr(name)} runs past the end of the file ` +
        `(offset ${offset} + length ${length} > ${size} bytes)`,
    );
  }
}

// ---------------------------------------------------------------------------
// half floats

/**
 * The value of one IEEE 754 binary16 number given by its 16 bits: exact, including
 * subnormals, signed zeros, ±Infinity and NaN.
 *
 * @param {number} h the raw bits, 0..65535 (an element of an "f2" buffer)
 * @returns {number}
 */
export function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

let HALF_TABLE = null; // all 65536 halves as float32: 256 KB, built on first use

/**
 * Widen raw half floats to float32 (exact: every half is a float32), for code that
 * cannot sample HALF_FLOAT textures or needs numbers on the CPU.
 *
 * @param {Uint16Array} halves raw binary16 bits
 * @param {Float32Array} [out] where to write (length >= halves.length); a new array if absent
 * @returns {Float32Array}
 */
export function halfArrayToFloat32(halves, out = new Float32Array(halves.length)) {
  if (HALF_TABLE === null) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  for (let i = 0; i < halves.length; i++) out[i] = HALF_TABLE[halves[i]];
  return out;
}

/**
 * One element of a decoded 2-D buffer, as a number.
 *
 * Leaf matrices are stored untransposed; a node shown transposed (`node.transposed`
 * in the header, e.g. `X.T`) reads element [i, j] of what is drawn from [j, i] of
 * what is stored.
 *
 * @param {{dtype: string, shape: number[], data: ArrayLike<number>}} buffer from `decodeScene`
 * @param {number} i row of the matrix as drawn
 * @param {number} j column of the matrix as drawn
 * @param {boolean} [transposed] whether the drawn matrix is the stored one transposed
 * @returns {number}
 * @throws {RangeError} when (i, j) is outside the matrix
 */
export function valueAt(buffer, i, j, transposed = false) {
  const { shape, data, dtype } = buffer;
  const rows = shape.length === 2 ? shape[0] : 1; // a 1-D buffer reads as one row
  const cols = shape.length === 2 ? shape[1] : shape[0];
  const [r, c] = transposed ? [j, i] : [i, j];
  if (!(Number.isInteger(r) && Number.isInteger(c) && r >= 0 && r < rows && c >= 0 && c < cols)) {
    const shown = transposed ? `${cols}x${rows}` : `${rows}x${cols}`;
    throw new RangeError(`index (${i}, ${j}) is outside a ${shown} matrix`);
  }
  const raw = data[r * cols + c];
  return dtype === "f2" ? halfToFloat(raw) : raw;
}
