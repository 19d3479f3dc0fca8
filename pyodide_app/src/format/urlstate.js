// Our URL state in the browser: a spec in a URL fragment, `#mm=<base64url(deflate-raw(json))>`.
//
// The twin of mm_docs_plugin/core/urlstate.py: each side decodes what the other
// encodes (the bytes of the deflate stream may differ; the JSON text does not, for
// specs that Python wrote). Decoding only unpacks the spec *mapping*; validating it
// is Python's job (`parse_spec`, in the worker), so a link can carry no more than a
// fence. Links come from anyone: the input is capped before inflating and the
// inflated text while inflating, so a small link cannot expand into a huge spec.

/** The fragment key of our state. */
export const PREFIX = "mm=";
/** Longest link or fragment accepted, in characters (Limits.max_url). */
export const MAX_URL = 65536;
/** Longest spec JSON accepted, in UTF-8 bytes (Limits.max_text). */
export const MAX_TEXT = 20000;
/** Deepest bracket nesting accepted (core/language/json_text.py MAX_JSON_DEPTH): deeper
 * JSON would overflow the stack of JSON.parse or of postMessage's structured clone. */
export const MAX_JSON_DEPTH = 200;

/** The deepest nesting of brackets in JSON text, strings skipped (no recursion). */
export function jsonNesting(text) {
  let depth = 0;
  let deepest = 0;
  for (const m of text.replace(/"(?:[^"\\]|\\.)*"/gs, '""').matchAll(/[[\]{}]/g)) {
    depth += m[0] === "[" || m[0] === "{" ? 1 : -1;
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SLICE = 1024; // deflate input per write: at most ~1 MB of output before the cap check

/** A link or spec that cannot be turned into (or from) URL state; `hint` says what to do. */
export class UrlStateError extends Error {
  constructor(message, hint = null) {
    super(hint ? `${message}\nhint: ${hint}` : message);
    this.name = "UrlStateError";
    this.hint = hint;
  }
}

/**
 * The spec mapping carried by a payload, a `#mm=...` fragment or a whole URL with one.
 * Same rules and caps as urlstate.py `decode_url_state`, without the validation
 * (`parse_spec`) that follows it there.
 *
 * @param {string} state e.g. `location.hash`, `location.href` or the bare payload
 * @returns {Promise<object>} the spec as a plain object (what Python's `Spec.to_dict()` gave)
 * @throws {UrlStateError} (an Error) for links that are too long, cut, corrupt or too large
 */
export async function decodeUrlState(state) {
  if (typeof state !== "string") throw new UrlStateError("URL state must be text");
  if (state.length > MAX_URL) {
    throw new UrlStateError(
      `the link is ${state.length} characters long; the limit is ${MAX_URL}`,
      "shorten the figure's spec",
    );
  }
  let payload = state.includes("#") ? state.slice(state.indexOf("#") + 1) : state;
  if (payload.includes("=")) {
    // A fragment with keys (ours among others, e.g. `#mm=...&cam=...`): take ours.
    const ours = payload.split("&").filter((part) => part.startsWith(PREFIX));
    if (!ours.length) {
      throw new UrlStateError(
        "the link has no mm= state",
        "copy the whole link, including #mm=...",
      );
    }
    payload = ours[0].slice(PREFIX.length);
  }
  const cut = "the link may have been cut or changed; copy it again";
  try {
    payload = decodeURIComponent(payload);
  } catch {
    payload = "%"; // malformed %-escapes: not base64url either (Python keeps them as text)
  }
  payload = payload.trim().replace(/=+$/, "");
  const raw = BASE64URL.test(payload) ? fromBase64url(payload) : null;
  if (raw === null) throw new UrlStateError("the link's mm= state is not valid base64url", cut);
  const data = await inflateCapped(raw, MAX_TEXT);
  if (data === null) {
    throw new UrlStateError(
      `the link's spec is larger than ${MAX_TEXT} characters`,
      "links carry small specs; put large figures in a page",
    );
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new UrlStateError("the link's mm= state is not a JSON spec");
  }
  if (jsonNesting(text) > MAX_JSON_DEPTH) {
    throw new UrlStateError(
      `the link's mm= state nests deeper than ${MAX_JSON_DEPTH} levels`,
      "a real one nests a few levels; copy it again",
    );
  }
  let mapping;
  try {
    mapping = JSON.parse(text);
  } catch {
    throw new UrlStateError("the link's mm= state is not a JSON spec");
  }
  if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping)) {
    throw new UrlStateError("the link's spec must be a mapping");
  }
  return mapping;
}

/**
 * The fragment payload (without `#mm=`) for a spec mapping: compact JSON, raw deflate,
 * base64url without padding, as urlstate.py `encode_url_state`. Give it the mapping in
 * `Spec.to_dict()`'s key order (e.g. one that `decodeUrlState` returned) to get
 * Python's JSON text exactly.
 *
 * @param {object} spec a plain object of JSON values (no NaN, Infinity or undefined)
 * @returns {Promise<string>}
 * @throws {UrlStateError} for values JSON cannot carry, or a spec over the size cap
 */
export async function encodeUrlState(spec) {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new UrlStateError("URL state needs a spec mapping");
  }
  checkJson(spec, "spec");
  // JSON.stringify's compact form is Python's separators=(",", ":"), ensure_ascii=False.
  const bytes = new TextEncoder().encode(JSON.stringify(spec));
  if (bytes.length > MAX_TEXT) {
    throw new UrlStateError(
      `the spec is ${bytes.length} characters of JSON; links carry at most ${MAX_TEXT}`,
      "links carry small specs; put large figures in a page",
    );
  }
  return toBase64url(await drain(bytes, new CompressionStream("deflate-raw"), Infinity));
}

/**
 * `#mm=...` for a spec mapping.
 * @param {object} spec
 * @returns {Promise<string>}
 */
export async function urlFragment(spec) {
  return "#" + PREFIX + (await encodeUrlState(spec));
}

/** Refuse what JSON.stringify would silently drop or turn into null. */
function checkJson(value, path) {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new UrlStateError(`${path} is ${value}; JSON has no NaN or infinity`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${path}[${i}]`));
    return;
  }
  const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(value)) checkJson(value[key], `${path}.${key}`);
    return;
  }
  throw new UrlStateError(`${path} cannot be stored in a link (${typeof value}); use JSON values`);
}

/** Bytes of unpadded base64url text, or null if it is not valid (e.g. length 4n+1). */
function fromBase64url(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat(-text.length & 3);
  let binary;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Raw-inflate `raw`, or null as soon as the output passes `cap` bytes (the rest is
 * never produced). Throws UrlStateError if the data does not inflate.
 */
async function inflateCapped(raw, cap) {
  try {
    return await drain(raw, new DecompressionStream("deflate-raw"), cap);
  } catch {
    throw new UrlStateError(
      "the link's mm= state is corrupt (it does not inflate)",
      "the link may have been cut or changed; copy it again",
    );
  }
}

/** Feed `input` to `stream` in slices and collect its output; null past `cap` bytes. */
async function drain(input, stream, cap) {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Feeding in slices keeps a zip bomb from inflating in one go: the reader below
  // stops it after the first slice whose output passes the cap.
  const feeding = (async () => {
    for (let at = 0; at < input.length; at += SLICE) {
      await writer.write(input.subarray(at, at + SLICE));
    }
    await writer.close();
  })().catch(() => {}); // a feeding failure also fails reader.read(), which reports it
  const chunks = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      await feeding;
      return null;
    }
    chunks.push(value);
  }
  await feeding;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
