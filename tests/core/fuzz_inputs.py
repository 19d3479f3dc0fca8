"""Hostile inputs for the core, as hypothesis strategies, and the one rule they must obey.

Every input that comes from outside — fence text, spec mappings, ``#mm=`` payloads,
mm links in both URL forms, data-file bytes, live-editing requests — either gives a
result or a `SpecError` that says where (a line or a field), in under a second and
256 MB. `attempt` runs one input and measures it; `tests/core/test_fuzz.py` runs a
fixed, seeded budget of each kind in `make test`, `benchmarks/bench_fuzz.py` a larger
corpus. Keys come from the schema, so new keys are fuzzed as they are added.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import quote

import numpy as np
from hypothesis import strategies as st

from mm_docs_plugin.core import SpecError, build, decode_url_state, import_mm_url, live, parse_spec
from mm_docs_plugin.core.spec import sections
from mm_docs_plugin.core.spec.spec import DATA_KEYS, LEAF_KEYS, MATMUL_KEYS, TOP_KEYS

MAX_SECONDS = 1.0
MAX_BYTES = 256 * 2**20
MM = "https://bhosmer.github.io/mm/index.html"


class Outcome(NamedTuple):
    kind: str  # "ok" or "error"
    seconds: float
    peak: int  # bytes, tracemalloc (numpy's buffers included)
    error: Optional[SpecError]


def attempt(run: Callable[[], Any]) -> Outcome:
    """Run one input. Anything but a result or a SpecError propagates (the test fails)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run()
        kind, error = "ok", None
    except SpecError as e:
        kind, error = "error", e
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Outcome(kind, seconds, peak, error)


def check(outcome: Outcome, what: str) -> None:
    assert outcome.seconds < MAX_SECONDS, "%s took %.2f s" % (what, outcome.seconds)
    assert outcome.peak < MAX_BYTES, "%s peaked at %d MB" % (what, outcome.peak >> 20)
    e = outcome.error
    if e is not None:
        assert e.line is not None or e.field is not None, "%s: no line or field: %s" % (what, e)
        assert e.message and len(e.message) < 2000, what


# -- values: every type, and the edges of each ------------------------------------

HOSTILE_SCALARS = st.sampled_from(
    [
        None, True, False, 0, -1, 1, 2, 3, 7, 64, 4096, 10**6, 2**31, 2**63, 10**400,
        -(10**400), 0.5, -0.0, 1e308, 1e-320, float("inf"), float("-inf"), float("nan"),
        "", " ", "A @ B", "none", "gaussian", "x" * 300, "é∑\u202e", "<script>", "%s%n",
        "../../etc/passwd", "/etc/passwd", "http://127.0.0.1/x.csv", "0:4, :", "1e400",
        "[" * 50, "{" * 50, "__import__('os')", "10**400",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    HOSTILE_SCALARS,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
)


def values(depth: int = 3):
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


def deep(n: int) -> Any:
    out: Any = 1
    for _ in range(n):
        out = [out]
    return out


EXPRS = st.one_of(
    st.sampled_from(
        [
            "A @ B", "out = A @ B @ C", "A @ (B @ C)", "softmax(A @ B.T / sqrt(k))",
            "out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V", "A @ A", "A.T @ A",
            "(" * 80 + "A @ B" + ")" * 80, " @ ".join("M%d" % i for i in range(140)),
            "A @", "@ B", "A @@ B", "A = A @ B", "relu(relu(relu(A @ B)))", "A @ B / 0",
            "A @ B * 1e400", "x + y", "A @ B\x00",
        ]
    ),
    st.text(alphabet="AB@()=.T +*/ksqrtfmx_0123456789", max_size=60),
)  # fmt: skip
SECTIONS = {s.name: [f.name for f in s.fields] for s in sections.SECTIONS.values()}


@st.composite
def spec_mappings(draw):
    """A spec with the right keys and values of any type at any of them."""
    spec = {"expr": draw(st.one_of(EXPRS, values()))}
    for key in draw(st.lists(st.sampled_from(TOP_KEYS), max_size=4, unique=True)):
        if key == "nodes":
            continue
        if key in SECTIONS and draw(st.booleans()):
            fields = draw(st.lists(st.sampled_from(SECTIONS[key] or ["x"]), max_size=3))
            spec[key] = {f: draw(values()) for f in fields}
        else:
            spec[key] = draw(values())
    nodes = {}
    for name in draw(
        st.lists(
            st.sampled_from(["A", "B", "C", "Q", "K", "V", "out", "A @ B"]), max_size=3, unique=True
        )
    ):
        keys = draw(st.lists(st.sampled_from(LEAF_KEYS + MATMUL_KEYS), max_size=3, unique=True))
        node = {}
        for k in keys:
            if k == "data" and draw(st.booleans()):
                node[k] = {
                    d: draw(values())
                    for d in draw(st.lists(st.sampled_from(DATA_KEYS), max_size=3))
                }
            else:
                node[k] = draw(values())
        nodes[name] = node
    if nodes:
        spec["nodes"] = nodes
    if draw(st.integers(0, 9)) == 0:
        spec[draw(st.sampled_from(TOP_KEYS))] = deep(draw(st.sampled_from([70, 500, 900])))
    return spec


@st.composite
def spec_texts(draw):
    """Fence text: a mapping written as YAML or JSON, then perhaps cut or spliced."""
    mapping = draw(spec_mappings())
    try:
        text = json.dumps(mapping, allow_nan=True)
    except (ValueError, OverflowError):
        text = "expr: A @ B"
    if draw(st.booleans()):
        text = _yamlish(mapping)
    cut = draw(st.integers(0, len(text)))
    splice = draw(
        st.sampled_from(
            [
                "", "\n", ": :", "&a [*a, *a]", "!!python/object:os.system", "<<: {x: 1}",
                "\t", "'", '"', "- ", "{", "[", "0x" + "f" * 300, "9" * 5000, "\x00",
                "\ufeff", "? x", "|\n  y",
            ]
        )
    )  # fmt: skip
    return text[:cut] + splice + text[cut:] if draw(st.booleans()) else text


def _yamlish(mapping: dict) -> str:
    """Block style at the top (``key: <flow value>``), as authors write fences."""
    return "\n".join("%s: %s" % (k, json.dumps(v, allow_nan=True)) for k, v in mapping.items())


def raw_deflate_b64(data: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


@st.composite
def url_states(draw):
    """``#mm=`` payloads: specs, deep or huge JSON, bombs, and base64 noise."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return "#mm=" + draw(st.text(alphabet="ABCDabcd0123456789-_=%#&", max_size=80))
    if kind == 1:
        return raw_deflate_b64(("[" * draw(st.sampled_from([100, 250, 5000]))).encode())
    if kind == 2:
        return raw_deflate_b64(b" " * draw(st.sampled_from([19_000, 21_000, 3_000_000])))
    mapping = draw(spec_mappings())
    try:
        text = json.dumps(mapping, allow_nan=True)
    except (ValueError, OverflowError):
        text = "{}"
    return "#mm=" + raw_deflate_b64(text.encode())


MM_PARAM_KEYS = [
    "expr", "name", "epilog", "left", "right", "matmul", "h", "w", "init", "url", "min", "max",
    "dropout", "anim", "alg", "fuse", "block", "k blocks", "layout", "scheme", "deco", "viz",
    "cam", "x", "y", "z", "target", "folder", "compress",
]  # fmt: skip


@st.composite
def mm_trees(draw, depth=0):
    node = {k: draw(values()) for k in draw(st.lists(st.sampled_from(MM_PARAM_KEYS), max_size=5))}
    if depth < 3 and draw(st.booleans()):
        node["left"] = draw(mm_trees(depth=depth + 1))
        node["right"] = draw(mm_trees(depth=depth + 1))
    return node


@st.composite
def mm_links(draw):
    """mm links: params= JSON, the compressed numbered-key form, ref.html, noise."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.text(max_size=100))
    if kind == 1:
        pairs = draw(
            st.lists(
                st.tuples(st.text(alphabet="0123456789.", max_size=5), st.text(max_size=12)),
                max_size=8,
            )
        )
        names = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(MM_PARAM_KEYS), st.text(alphabet="0123456789.", max_size=4)
                ),
                max_size=8,
            )
        )
        query = "&".join("%s=%s" % (quote(k), quote(v)) for k, v in pairs + names)
        return MM + "?" + query
    if kind == 2:
        return "https://bhosmer.github.io/mm/ref.html?mm=" + "ref.html?mm=" * draw(
            st.integers(1, 3000)
        )
    try:
        text = json.dumps(draw(mm_trees()), allow_nan=True)
    except (ValueError, OverflowError):
        text = "{}"
    if kind == 3:
        text = "[" * draw(st.sampled_from([10, 300, 4000])) + text
    return MM + "?params=" + quote(text)


# -- data files with lying headers ----------------------------------------------------


def _npy(
    shape_text: str,
    descr: str = "<f4",
    version: int = 1,
    declared: Optional[int] = None,
    body: bytes = b"",
) -> bytes:
    header = (
        "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    ).encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    length = len(header) if declared is None else declared
    size = struct.pack("<H", min(length, 65535)) if version == 1 else struct.pack("<I", length)
    return b"\x93NUMPY" + bytes([version, 0]) + size + header + body


@st.composite
def data_files(draw):
    """(suffix, bytes, key): .npy, .npz, .csv and .safetensors with lying headers."""
    kind = draw(st.sampled_from(["npy", "npz", "csv", "safetensors"]))
    shape = draw(
        st.sampled_from(
            [
                "(4, 4)",
                "(-3, 4)",
                "(2**40, 2**40)",
                "(4,)",
                "(1, 1, 1, 1, 1)",
                "()",
                "(4, 4, 'x')",
                "[4, 4]",
            ]
        )
    )
    body = draw(st.binary(max_size=80))
    if kind == "npy":
        data = _npy(
            shape,
            draw(st.sampled_from(["<f4", "<f8", "|O", "<c8", "<U4", "V8", "<i8", "bogus"])),
            draw(st.sampled_from([1, 2, 3, 9])),
            draw(st.sampled_from([None, 0, 8, 65_535, 2**31, 2**32 - 1])),
            body,
        )
        return "npy", data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data, None
    if kind == "npz":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("a.npy", _npy(shape, body=body))
            if draw(st.booleans()):
                z.writestr("b.npy", b"\x00" * draw(st.integers(0, 3000)))
        return "npz", out.getvalue(), draw(st.sampled_from([None, "a", "b", "c", "a.npy"]))
    if kind == "csv":
        rows = draw(
            st.lists(
                st.lists(
                    st.sampled_from(["1", "-2.5", "nan", "inf", "x", "", "1e400", '"3"', "0x10"]),
                    max_size=6,
                ),
                max_size=6,
            )
        )
        return "csv", "\n".join(",".join(r) for r in rows).encode(), None
    header = draw(values())
    if draw(st.booleans()):
        header = {
            "t": {
                "dtype": draw(st.sampled_from(["F32", "F16", "BF16", "I64", "X"])),
                "shape": draw(values()),
                "data_offsets": draw(values()),
            }
        }
    try:
        text = json.dumps(header, allow_nan=True).encode()
    except (ValueError, OverflowError):
        text = b"{}"
    n = draw(st.sampled_from([len(text), 0, 7, 2**40, 2**64 - 1]))
    return (
        "safetensors",
        struct.pack("<Q", n) + text + body,
        draw(st.sampled_from([None, "t", "u"])),
    )


def data_spec(suffix: str, data: bytes, key: Optional[str], folder: str) -> Callable[[], Any]:
    path = os.path.join(folder, "m." + suffix)
    with open(path, "wb") as f:
        f.write(data)
    source = {"path": "m." + suffix}
    if key is not None:
        source["key"] = key
    spec = {"expr": "A @ B", "nodes": {"A": {"init": "data", "data": source}}}
    return lambda: build(parse_spec(spec, folder))


@st.composite
def live_requests(draw):
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.text(max_size=60))
    if kind == 1:
        return "[" * draw(st.sampled_from([10, 5000])) + "]" * 10
    if kind == 2:
        return json.dumps({"text": draw(spec_texts())})
    if kind == 3:
        try:
            return json.dumps(
                {"spec": draw(spec_mappings()), "max_elements": draw(values())}, allow_nan=True
            )
        except (ValueError, OverflowError):
            return "{}"
    return json.dumps({"mm_link": draw(mm_links())})


def run_live(request: str) -> Callable[[], Any]:
    """live.handle never raises: scene bytes or a JSON error with a line or field."""

    def run():
        out = live.handle(request)
        if isinstance(out, str):
            error = json.loads(out)["error"]
            raise SpecError(
                error["message"],
                error["hint"],
                error["line"],
                error["column"],
                field=error["field"],
            )
        assert isinstance(out, bytes)

    return run


def build_text(text: str) -> Callable[[], Any]:
    return lambda: build(parse_spec(text))


def build_mapping(mapping: Any) -> Callable[[], Any]:
    return lambda: build(parse_spec(mapping))


def build_url_state(state: str) -> Callable[[], Any]:
    return lambda: build(decode_url_state(state))


def build_mm_link(url: str) -> Callable[[], Any]:
    return lambda: build(import_mm_url(url))


def scratch_folder() -> str:
    return tempfile.mkdtemp(prefix="mm-fuzz-")


__all__ = [
    "attempt",
    "build_mapping",
    "build_mm_link",
    "build_text",
    "build_url_state",
    "check",
    "data_files",
    "data_spec",
    "live_requests",
    "mm_links",
    "np",
    "run_live",
    "scratch_folder",
    "spec_mappings",
    "spec_texts",
    "url_states",
]  # fmt: skip
