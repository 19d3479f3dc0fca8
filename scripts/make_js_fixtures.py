"""Write the fixtures of the JavaScript tests: scene files, animations and URL states made by Python.

    python scripts/make_js_fixtures.py [OUT_DIR]     (default: pyodide_app/test/fixtures)

The JS decoder, player and URL-state code are twins of `core.scene.pack`, `core.scene.anim`
and `core.links.urlstate`; their tests (``pyodide_app/test/*.test.js``) compare them
with what the Python side actually writes, so the two cannot drift apart.
Written here:

- ``<name>.mmsc``: scene files (`build` + `Scene.to_bytes`), and ``raw.mmsc``, a
  bare `pack` file with every dtype and the special values (±0, subnormals, ±inf,
  NaN, 65504);
- ``expected.json``: per file, the header, each buffer's dtype/shape/offset and
  its values as Python reads them (after float16 rounding), and per scene
  ``value_at`` samples through each node's transposition;
- ``player.json``: per animated scene, ``Animation.at(step)`` for every step of
  two loops and a few negative ones;
- ``errors.json``: malformed files (base64) that `unpack` refuses, each with a
  fragment of the message that both readers must give;
- ``urlstate.json``: specs with their compact JSON and Python's ``#mm=`` payloads,
  and cap cases with Python's verdict;
- ``display8.mmsc`` + ``display8.json`` + ``display8.f2``: a ``precision: display8``
  scene, which buffers are 8-bit, and every value of those as Python decodes them,
  rounded to float16 (raw bits, little-endian); ``half.f4``/``half.f2``: float32
  values (ties, subnormals, overflow, NaN) and numpy's float16 bits for them.

Non-finite floats are written as the strings "nan", "inf", "-inf" (JSON has none).
The output is deterministic; the directory is git-ignored.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

from mm_docs_plugin.core import SpecError, build, decode_url_state, encode_url_state, parse_spec
from mm_docs_plugin.core.scene.pack import SceneFileError, pack, unpack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core"))
from forge import START, entry, forge  # noqa: E402  (shared with tests/core/test_pack.py)

DEFAULT_OUT = ROOT / "pyodide_app" / "test" / "fixtures"

# name -> spec; small, but covering what the JS side must replay.
SCENES = {
    # a left-associative fused chain: one row travels A -> out (vmprod, fuse)
    "chain": "expr: out = A @ B @ C\nanim: {alg: vmprod, fuse: sync}\n"
    "nodes:\n  A: {shape: [6, 5]}\n  B: {shape: [5, 4]}\n  C: {shape: [4, 3]}\n",
    # float32 values, a transposed leaf sharing its buffer, a 2-axis sweep over uneven blocks
    "exact_transposed": "expr: out = X @ X.T\nprecision: exact\n"
    "anim: {alg: dotprod_row_major}\nblocks: {i: 2, j: 3}\n"
    "nodes:\n  X: {shape: [7, 5], init: gaussian}\n",
    # independent subtrees in parallel, then the root after both (vvprod, no fusion)
    "tree": "expr: out = (A @ B) @ (C @ D)\nanim: {alg: vvprod}\n"
    "nodes:\n  A: {shape: [4, 5]}\n  B: {shape: [5, 6]}\n  C: {shape: [6, 3]}\n  D: {shape: [3, 2]}\n",
    # axpy: two swept axes (j, k) with k blocks
    "axpy_blocks": "expr: out = A @ B\nanim: {alg: axpy}\nblocks: {k: 3}\n"
    "nodes:\n  A: {shape: [5, 7]}\n  B: {shape: [7, 4]}\n",
    # async: the root is held back by CD (it sets its own algorithm), then follows AB
    # six rows behind (sync would wait for AB); the head's K_t-like branch appears complete
    "async": "expr: out = (AB = A @ B) @ (CD = C @ D) @ (W = E @ F)\n"
    "anim: {alg: vmprod, fuse: async}\nnodes:\n  A: {shape: [12, 3]}\n  B: {shape: [3, 6]}\n"
    "  C: {shape: [6, 2]}\n  D: {shape: [2, 4]}\n  E: {shape: [4, 3]}\n  CD: {anim: vmprod}\n",
    # mvprod fused along j with the right child
    "mv_chain": "expr: out = A @ (B @ C)\nanim: {alg: mvprod, fuse: sync}\n"
    "nodes:\n  A: {shape: [3, 4]}\n  B: {shape: [4, 5]}\n  C: {shape: [5, 6]}\n",
    # the attention head's shape at a small size: epilogs, names, a still node
    "attention": "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\nseed: 3\n"
    "nodes: {Q: {shape: [24, 8]}, V: {shape: [24, 8]}}\nanim: vmprod\n",
    # no animation; element expressions with large values
    "still": "expr: out = A @ B\n"
    "nodes:\n  A: {shape: [3, 40], expr: 'i * 1000 + j'}\n  B: {shape: [40, 2]}\n",
    # labels through a product and a transpose, one-hot rows, a carried highlight
    "vocab": "expr: next = X @ T.T\nlabels: {v: [the, cat, 'say \"hi\"', <b>]}\n"
    "nodes:\n  X: {onehot: [cat, <b>], labels: {cols: v}, highlight: {rows: [cat]}}\n"
    "  T: {labels: {cols: v}, shape: [3, 4], highlight: {rows: [2]}}\n",
}

# Specs for URL state (as fences); include non-ASCII text and floats.
URL_SPECS = [
    "expr: out = A @ B\n",
    "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\nseed: 7\n"
    "nodes: {Q: {shape: [48, 16], min: -0.25, max: 0.5}}\nanim: {alg: vmprod, speed: 12}\n"
    "caption: Attention — café ✓ 𝕄\n",
    "expr: out = X @ X.T\nprecision: exact\nblocks: {i: 2}\nnodes: {X: {shape: [9, 3]}}\n",
    # the vocabulary: named lists, labels (markup stays text), exact values, one-hot rows
    "expr: y = X @ W\nlabels: {v: [café, '<b>', the]}\n"
    "nodes:\n  X: {onehot: [the, 0], labels: {cols: v}, highlight: {cells: [[0, the]]}}\n"
    "  W: {values: [[0.5, -1.25], [1e-3, 2], [3, 0]]}\n",
]

SAMPLE_LIMIT = 4096  # buffers up to this many elements are exported whole


def number(x: float):
    """A float as JSON can carry it (non-finite as text)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def buffer_expect(header: dict, arrays: dict) -> dict:
    out = {}
    for buf in header["buffers"]:
        array = arrays[buf["name"]]
        flat = array.reshape(-1)
        if flat.size <= SAMPLE_LIMIT:
            picks = range(flat.size)
        else:  # first, last and a spread in between
            picks = sorted({0, flat.size - 1, *range(0, flat.size, flat.size // 97)})
        values = flat.astype(np.float64) if array.dtype.kind == "f" else flat
        out[buf["name"]] = {
            "dtype": buf["dtype"],
            "shape": buf["shape"],
            "offset": buf["offset"],
            "length": buf["length"],
            "samples": [[int(k), number(values[k])] for k in picks],
        }
    return out


def scene_fixture(out: Path, name: str, text: str) -> dict:
    scene = build(parse_spec(text))
    data = scene.to_bytes()
    (out / (name + ".mmsc")).write_bytes(data)
    header, arrays = unpack(data)
    reread = type(scene).from_bytes(data)  # values as the stored precision gives them
    value_at = []
    for node, described in zip(reread.nodes, header["nodes"]):
        rows, cols = node.values.shape
        for i, j in sorted({(0, 0), (rows - 1, cols - 1), (rows // 2, cols // 3), (0, cols - 1)}):
            value_at.append(
                [described["buffer"], i, j, described["transposed"], number(node.values[i, j])]
            )
    return {
        "file": name + ".mmsc",
        "bytes": len(data),
        "header": header,
        "buffers": buffer_expect(header, arrays),
        "value_at": value_at,
    }


def raw_fixture(out: Path) -> dict:
    """A bare pack file: every dtype, special values, empty and 0-d buffers, UTF-8 header."""
    f16_bits = [0x0000, 0x8000, 0x3C00, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x7C00, 0xFC00, 0x7E00]
    f16_bits += [0x3555, 0xC0E0, 0x8001]
    buffers = {
        "halves": np.array(f16_bits, dtype="<u2").view("<f2").reshape(13, 1),
        "singles": np.array([[1e30, -1e-30], [np.inf, np.nan], [-0.0, 3.25]], np.float32),
        "bytes": np.array([0, 1, 255], np.uint8),
        "shorts": np.array([[0, 65535]], np.uint16),
        "words": np.array([0, 4294967295, 7], np.uint32),
        "ints": np.array([[-2147483648, 2147483647], [-1, 0]], np.int32),
        "empty": np.zeros((0, 3), np.float32),
        "scalar": np.array(2.5, np.float32),
    }
    dtypes = {"singles": "f4", "empty": "f4", "scalar": "f4", "halves": "f2"}
    header = {"title": "café ✓ 𝕄", "nested": {"list": [1, 2.5, None, True]}}
    data = pack(header, buffers, dtypes)
    (out / "raw.mmsc").write_bytes(data)
    head, arrays = unpack(data)
    return {
        "file": "raw.mmsc",
        "bytes": len(data),
        "header": head,
        "buffers": buffer_expect(head, arrays),
        "value_at": [],
        "half_bits": f16_bits,
    }


def buffers(*entries) -> dict:
    return {"buffers": list(entries)}


def error_cases() -> list:
    """(name, bytes, message fragment) of files unpack refuses; checked against Python here."""
    body = np.array([1, 2, 3, 4], "<f2").tobytes()
    valid = pack({"t": "x"}, {"a": np.arange(6.0).reshape(2, 3), "b": np.arange(3, dtype="<i4")})
    cases = [
        ("bad magic", b"\x89PNG" + valid[4:], "not a scene file"),
        ("empty", b"", "not a scene file"),
        ("magic only", b"MMSC", "truncated"),
        ("short prefix", valid[:7], "truncated"),
        ("version 2", forge(buffers(), version=2), "version 2"),
        ("version 0", forge(buffers(), version=0), "version 0"),
        ("truncated header", valid[:40], "truncated"),
        ("cut by 8", valid[:-8], "past the end"),
        ("cut by 3", valid[:-3], "truncated"),
        ("padded by 8", valid + bytes(8), None),  # still valid: spare bytes at the end
        ("header length huge", valid[:8] + struct.pack("<I", 2**32 - 1) + valid[12:], "truncated"),
        ("json garbage", forge(None, text=b"{not json"), "not valid JSON"),
        ("json NaN", forge(None, text=b'{"buffers":[],"x":NaN}'), "not valid JSON"),
        ("json Infinity", forge(None, text=b'{"buffers":[],"x":-Infinity}'), "not valid JSON"),
        ("bad utf-8", forge(None, text=b'{"buffers":[],"x":"\xff"}'), "not valid JSON"),
        ("utf-8 BOM", forge(None, text=b'\xef\xbb\xbf{"buffers":[]}'), "not valid JSON"),
        ("deep json", forge(None, text=b"[" * 100004), "not valid JSON"),
        ("array header", forge([1]), "not an object"),
        ("null header", forge(None, text=b"null"), "not an object"),
        ("no buffers", forge({"x": 1}), '"buffers" list'),
        ("buffers not a list", forge({"buffers": {"a": 1}}), '"buffers" list'),
        ("entry not object", forge(buffers(3)), "not an object"),
        ("entry null", forge(buffers(None)), "not an object"),
        ("missing key", forge(buffers({"name": "a"})), "lacks dtype, shape, offset, length"),
        ("name not text", forge(buffers(entry(name=7)), body), "name"),
        ("empty name", forge(buffers(entry(name="")), body), "name"),
        ("unknown dtype", forge(buffers(entry(dtype="f8")), body), "unknown dtype"),
        ("big-endian dtype", forge(buffers(entry(dtype=">f2")), body), "unknown dtype"),
        ("negative dim", forge(buffers(entry(shape=[-1, 2])), body), "bad shape"),
        ("shape not list", forge(buffers(entry(shape=4)), body), "bad shape"),
        ("fractional dim", forge(buffers(entry(shape=[2.5, 2])), body), "bad shape"),
        ("33 dims", forge(buffers(entry(shape=[1] * 33, length=2)), body), "bad shape"),
        ("bool offset", forge(buffers(entry(offset=True)), body), "integers >= 0"),
        ("negative length", forge(buffers(entry(length=-8)), body), "integers >= 0"),
        ("string offset", forge(buffers(entry(offset="256")), body), "integers >= 0"),
        ("huge shape", forge(buffers(entry(shape=[0, 2**40], length=0))), "too large"),
        ("huge offset", forge(buffers(entry(offset=2**60)), body), "past the end"),
        ("shape mismatch", forge(buffers(entry(length=6)), body), "does not match shape"),
        ("offset past end", forge(buffers(entry(offset=START + 8)), body), "past the end"),
        ("misaligned", forge(buffers(entry(offset=START + 4)), body * 2), "multiple of 8"),
        ("offset in header", forge(buffers(entry(offset=8)), body), "into the header"),
        ("duplicate", forge(buffers(entry(), entry()), body), "duplicate buffer name"),
        (
            "overlap",
            forge(buffers(entry(), entry(name="b", shape=[2], length=4)), body),
            "overlap",
        ),
    ]
    for name, data, fragment in cases:  # the fragments must describe Python's own errors
        try:
            unpack(data)
        except SceneFileError as exc:
            assert fragment and fragment in exc.message, (name, exc.message)
        else:
            assert fragment is None, "unpack accepted %r" % name
    return [
        {"name": n, "data": base64.b64encode(d).decode("ascii"), "fragment": f} for n, d, f in cases
    ]


def player_fixture(name: str, text: str) -> dict:
    animation = build(parse_spec(text)).animation
    total = animation.total_steps
    steps = list(range(-3, 2 * total + 2)) if total else [0, 1, -1]
    return {
        "scene": name,
        "animation": animation.to_dict(),
        "at": [[s, animation.at(s)] for s in steps],
    }


def verdict(state: str):
    """Python's reading of a state: {"ok": spec dict} or {"error": message}."""
    try:
        return {"ok": decode_url_state(state).to_dict()}
    except SpecError as exc:
        return {"error": exc.message}


def raw_payload(text: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(text.encode("utf-8")) + packer.flush()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def urlstate_fixture() -> dict:
    specs = []
    for text in URL_SPECS:
        spec = parse_spec(text)
        payload = encode_url_state(spec)
        specs.append(
            {
                "dict": spec.to_dict(),
                "json": json.dumps(spec.to_dict(), separators=(",", ":"), ensure_ascii=False),
                "payload": payload,
            }
        )
    small = '{"expr":"out = A @ B"}'
    caps = {
        # exactly at the cap: accepted; one byte more: refused (the "zip bomb" guard)
        "at_cap": raw_payload(small + " " * (20000 - len(small))),
        "over_cap": raw_payload(small + " " * (20001 - len(small))),
        "bomb": raw_payload(" " * 5_000_000),
        # 5,000 brackets in 54 bytes: refused before JSON parsing recurses
        "deep": raw_payload("[" * 5000 + "]" * 5000),
        "at_depth": raw_payload('{"expr":"out = A @ B","x":' + "[" * 199 + "]" * 199 + "}"),
    }
    return {
        "specs": specs,
        "caps": {name: {"payload": p, "python": verdict(p)} for name, p in caps.items()},
    }


DISPLAY8 = """
expr: attn = softmax(tril(Q @ K.T / sqrt(k))) @ V
nodes:
  Q: {shape: [300, 16], init: gaussian}
  K: {shape: [300, 16], init: gaussian}
  V: {shape: [300, 240], init: gaussian}
precision: display8
"""


def display8_fixture(out: Path) -> None:
    """A display8 scene, and the half floats its 8-bit buffers must decode to."""
    scene = build(parse_spec(DISPLAY8))
    data = scene.to_bytes()
    (out / "display8.mmsc").write_bytes(data)
    header, _ = unpack(data)
    reread = type(scene).from_bytes(data)
    names, halves = [], []
    for node in reread.nodes:
        entry = next(e for e in header["nodes"] if e["path"] == node.path)
        name = entry["buffer"]
        if name in header["display8"] and name not in names:
            stored = node.values.T if entry["transposed"] else node.values
            names.append(name)
            halves.append(stored.astype("<f2").reshape(-1))
    (out / "display8.f2").write_bytes(np.concatenate(halves).view("<u2").tobytes())
    table = {"file": "display8.mmsc", "display8": header["display8"], "order": names}
    (out / "display8.json").write_text(json.dumps(table, sort_keys=True), encoding="utf-8")
    rng = np.random.default_rng(0)
    special = [0.0, -0.0, 1.0, 65504.0, 65519.99, 65520.0, 1e9, np.inf, -np.inf, np.nan]
    special += [2.0**-24, 2.0**-25, 2.0**-25 * 1.0001, 3 * 2.0**-26, 2.0**-14, 1.00048828125]
    special += [1.000732421875, 1.0002441406250, 2049.0, 2051.0]  # ties both ways
    floats = np.concatenate(
        [np.array(special), rng.standard_normal(4000) * 10.0 ** rng.uniform(-9, 6, 4000)]
    ).astype("<f4")
    (out / "half.f4").write_bytes(floats.tobytes())
    with np.errstate(over="ignore"):
        (out / "half.f2").write_bytes(floats.astype("<f2").view("<u2").tobytes())


def main(argv) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    files = {name: scene_fixture(out, name, text) for name, text in SCENES.items()}
    files["raw"] = raw_fixture(out)
    display8_fixture(out)
    players = [player_fixture(name, text) for name, text in SCENES.items()]
    dump = {"ensure_ascii": False, "sort_keys": True, "allow_nan": False}
    (out / "expected.json").write_text(json.dumps(files, **dump), encoding="utf-8")
    (out / "player.json").write_text(json.dumps(players, **dump), encoding="utf-8")
    (out / "errors.json").write_text(json.dumps(error_cases(), **dump), encoding="utf-8")
    # not sort_keys: the spec dicts' key order is part of what the JS side must match
    urls = json.dumps(urlstate_fixture(), ensure_ascii=False, allow_nan=False)
    (out / "urlstate.json").write_text(urls, encoding="utf-8")
    print("make_js_fixtures: %d scene files, %d animations in %s" % (len(files), len(players), out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
