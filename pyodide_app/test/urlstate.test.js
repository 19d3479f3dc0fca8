// urlstate.js against urlstate.py: JS reads the links Python writes, Python reads
// the links JS writes, and both refuse oversized, cut and corrupt links.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import {
  MAX_TEXT,
  MAX_URL,
  UrlStateError,
  decodeUrlState,
  encodeUrlState,
  urlFragment,
} from "../src/format/urlstate.js";

const FILE = new URL("./fixtures/urlstate.json", import.meta.url);
if (!existsSync(FILE)) {
  throw new Error(
    "no JS test fixtures: run `make jstest` (or .venv/bin/python scripts/make_js_fixtures.py)",
  );
}
const { specs, caps } = JSON.parse(readFileSync(FILE, "utf8"));
const PYTHON =
  process.env.MM_PYTHON || fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));

/** Raw-deflate and base64url `text` the way Python does (for hand-made payloads). */
async function payloadOf(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const raw = Buffer.from(await new Response(stream).arrayBuffer());
  return raw.toString("base64url");
}

async function rejects(state, pattern) {
  await assert.rejects(decodeUrlState(state), (err) => {
    assert.ok(err instanceof UrlStateError && err instanceof Error, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

test("decodes Python's payloads, fragments and URLs to Python's spec dicts", async () => {
  assert.ok(specs.length >= 3);
  for (const { dict, payload } of specs) {
    for (const state of [
      payload,
      "#mm=" + payload,
      `https://example.org/site/app.html#mm=${payload}`,
      `#cam=1,2,3&mm=${payload}&x=y`,
      "#mm=" + payload + "==", // padding is tolerated, as in Python
      ` ${payload}\n`,
    ]) {
      const got = await decodeUrlState(state);
      assert.deepEqual(got, dict);
      // key order too: re-encoding gives Python's JSON text
      assert.deepEqual(Object.keys(got), Object.keys(dict));
    }
  }
});

test("encodes Python's compact JSON; encode then decode is the identity", async () => {
  for (const { dict, json } of specs) {
    assert.equal(JSON.stringify(dict), json, "separators and non-ASCII text as Python writes them");
    const payload = await encodeUrlState(dict);
    assert.match(payload, /^[A-Za-z0-9_-]+$/, "base64url without padding");
    assert.deepEqual(await decodeUrlState(payload), dict);
    assert.equal(await urlFragment(dict), "#mm=" + payload);
  }
});

test("Python decodes what JS encodes", async (t) => {
  if (!existsSync(PYTHON)) {
    t.skip(`no Python at ${PYTHON} (set MM_PYTHON)`);
    return;
  }
  const payloads = await Promise.all(specs.map(({ dict }) => encodeUrlState(dict)));
  const script =
    "import json, sys\n" +
    "from mm_docs_plugin.core import decode_url_state\n" +
    "print(json.dumps([decode_url_state(p).to_dict() for p in json.load(sys.stdin)]))\n";
  const run = spawnSync(PYTHON, ["-c", script], {
    input: JSON.stringify(payloads),
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), specs.map((s) => s.dict));
});

test("the inflated size cap: at the cap decodes, past it is refused, as in Python", async () => {
  assert.deepEqual(caps.at_cap.python, { ok: { expr: "out = A @ B" } });
  assert.deepEqual(await decodeUrlState(caps.at_cap.payload), { expr: "out = A @ B" });
  for (const name of ["over_cap", "bomb"]) {
    assert.match(caps[name].python.error, /larger than 20000 characters/);
    await rejects(caps[name].payload, /the link's spec is larger than 20000 characters/);
  }
});

test("JSON nesting is capped before parsing, as in Python", async () => {
  assert.match(caps.deep.python.error, /nests deeper than 200 levels/);
  await rejects(caps.deep.payload, /the link's mm= state nests deeper than 200 levels/);
  // 200 levels (the mapping, then 199 lists) are decoded; the spec's own cap (64) refuses it.
  assert.deepEqual(Object.keys(await decodeUrlState(caps.at_depth.payload)), ["expr", "x"]);
  assert.match(caps.at_depth.python.error, /nesting deeper than 64 levels/);
});

test("a zip bomb is stopped early, not inflated whole", async () => {
  // 50 MB of spaces compress to ~50 KB; refusing must not take the time (or memory)
  // inflating all of it would.
  const bomb = await payloadOf(" ".repeat(50_000_000));
  assert.ok(bomb.length <= MAX_URL, `${bomb.length} characters`);
  const started = performance.now();
  await rejects(bomb, /larger than 20000/);
  assert.ok(performance.now() - started < 1000, "refused quickly");
});

test("the link length cap comes before any decoding", async () => {
  await rejects(
    "#mm=" + "A".repeat(MAX_URL),
    /the link is 65540 characters long; the limit is 65536/,
  );
});

test("links without our state, cut or changed are refused with clear errors", async () => {
  await rejects("https://example.org/page#section=3", /has no mm= state/);
  await rejects("#cam=1&x=2", /has no mm= state/);
  await rejects("#mm=", /not valid base64url/);
  await rejects("#mm=abc!def", /not valid base64url/);
  await rejects("#mm=%E0%A4%A", /not valid base64url/); // a malformed %-escape
  await rejects("#mm=A", /not valid base64url/); // 4n+1 characters cannot be base64
  await rejects("#mm=AAAA", /corrupt/); // a cut deflate stream
  await rejects("#mm=_____w", /corrupt/); // not deflate at all
  await rejects(await payloadOf("not json"), /not a JSON spec/);
  await rejects(await payloadOf("\uFEFF{}"), /not a JSON spec/);
  await rejects(await payloadOf("[1, 2]"), /must be a mapping/);
  await rejects(await payloadOf("null"), /must be a mapping/);
  await assert.rejects(decodeUrlState(42), /URL state must be text/);
});

test("encode refuses what a link cannot carry", async () => {
  for (const [value, pattern] of [
    [null, /needs a spec mapping/],
    [[1, 2], /needs a spec mapping/],
    [{ expr: "A @ B", seed: NaN }, /spec\.seed is NaN/],
    [{ nodes: { A: { max: Infinity } } }, /spec\.nodes\.A\.max is Infinity/],
    [{ expr: undefined }, /spec\.expr cannot be stored/],
    [{ when: new Date(0) }, /spec\.when cannot be stored/],
    [{ n: 10n }, /spec\.n cannot be stored/],
    [{ caption: "x".repeat(MAX_TEXT) }, /links carry at most 20000/],
  ]) {
    await assert.rejects(encodeUrlState(value), (err) => {
      assert.ok(err instanceof UrlStateError, String(err));
      assert.match(err.message, pattern);
      return true;
    });
  }
});
