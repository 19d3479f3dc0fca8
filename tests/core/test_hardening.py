"""Issue 14's ten causes, one test each: hostile input ends in a positioned SpecError."""

from __future__ import annotations

import base64
import json
import struct
import time
import tracemalloc
import zlib
from urllib.parse import quote

import pytest

from mm_docs_plugin.core import SpecError, build, decode_url_state, import_mm_url, live, parse_spec
from mm_docs_plugin.core.language.json_text import nesting

MM = "https://bhosmer.github.io/mm/index.html?params="
BASE = {
    "expr": "L @ R",
    "left": {"name": "L", "matmul": False, "h": 4, "w": 4},
    "right": {"name": "R", "matmul": False, "h": 4, "w": 4},
}


def raw_deflate_b64(text: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(text.encode()) + packer.flush()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "spec, where",
    [
        ("expr: A @ B\nseed: 0x" + "f" * 300 + "\n", (2, 7, None)),
        ({"expr": "A @ B", "seed": 10**400}, (None, None, "seed")),
        ({"expr": "A @ B", "nodes": {"A": {"min": -(10**400)}}}, (None, None, "nodes.A.min")),
    ],
)
def test_1_integers_beyond_float_range(spec, where):
    with pytest.raises(SpecError) as e:
        parse_spec(spec)
    assert e.value.message == "number too large (beyond 1e300)"
    assert (e.value.line, e.value.column, e.value.field) == where


def test_1_element_expression_literals_beyond_float_range():
    with pytest.raises(SpecError) as e:
        parse_spec({"expr": "A @ B", "nodes": {"A": {"init": "expr", "expr": "i + 1e400"}}})
    assert e.value.message == "the number 1e400 is too large"
    assert e.value.field == "nodes.A.expr" and e.value.column == 5


@pytest.mark.parametrize("epilog", [[1], {"a": 1}])
def test_2_mm_epilog_of_the_wrong_type(epilog):
    with pytest.raises(SpecError) as e:
        import_mm_url(MM + quote(json.dumps(dict(BASE, epilog=epilog))))
    assert e.value.message.startswith("the mm link has root.epilog = ")
    assert e.value.field == "from_mm"


@pytest.mark.parametrize("anim, shown", [("x", "'x'"), (3, "3")])
def test_3_mm_anim_of_the_wrong_type(anim, shown):
    with pytest.raises(SpecError) as e:
        import_mm_url(MM + quote(json.dumps(dict(BASE, anim=anim))))
    assert e.value.message == "the mm link has anim = %s where mm keeps a group of settings" % shown


def test_4_deep_json_in_url_state_live_requests_and_mm_links():
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(SpecError, match="nests deeper than 200 levels") as e:
        decode_url_state("#mm=" + raw_deflate_b64(deep))
    assert e.value.field == "mm"
    answer = json.loads(live.handle(deep))["error"]
    assert answer["message"] == "the request nests deeper than 200 levels"
    assert answer["field"] == "request"
    with pytest.raises(SpecError, match="nests deeper than 200 levels"):
        import_mm_url(MM + quote(deep))
    assert nesting('{"a": "[[[[", "b": [[1]]}') == 3  # brackets in strings do not count


def test_5_nested_ref_links_are_refused_not_recursed():
    link = "https://bhosmer.github.io/mm/ref.html?mm=" + "ref.html?mm=" * 3000
    with pytest.raises(SpecError) as e:
        import_mm_url(link)
    assert e.value.message == "the mm link nests a ref.html?mm= link inside another"


def npy(shape: str, version: int = 1, declared=None) -> bytes:
    header = ("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape).encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    n = len(header) if declared is None else declared
    size = struct.pack("<H" if version == 1 else "<I", n)
    return b"\x93NUMPY" + bytes([version, 0]) + size + header


def data_error(tmp_path, name: str, data: bytes) -> SpecError:
    (tmp_path / name).write_bytes(data)
    spec = {"expr": "A @ B", "nodes": {"A": {"init": "data", "data": {"path": name}}}}
    with pytest.raises(SpecError) as e:
        build(parse_spec(spec, str(tmp_path)))
    assert e.value.field == "nodes.A.data"
    return e.value


def test_6_npy_negative_shape(tmp_path):
    e = data_error(tmp_path, "neg.npy", npy("(-3, 4)"))
    assert e.message == "data file 'neg.npy' declares a negative shape (-3, 4)"


def test_7_npy_header_length_is_capped_before_reading(tmp_path):
    tracemalloc.start()
    e = data_error(tmp_path, "big.npy", npy("(4, 4)", version=2, declared=2**31)[:16])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.message == "data file 'big.npy' declares a .npy header of 2147483648 bytes"
    assert peak < 8 * 2**20


def test_8_the_128_matmul_chain_builds_fast():
    names = ["M%d" % i for i in range(129)]
    spec = parse_spec({"expr": " @ ".join(names), "nodes": {n: {"shape": [4, 4]} for n in names}})
    start = time.perf_counter()
    scene = build(spec)
    assert time.perf_counter() - start < 1.0
    assert len(scene.legends) > 128


def test_9_data_errors_found_only_at_build_name_their_node(tmp_path):
    e = data_error(tmp_path, "v9.npy", b"\x93NUMPY\x09\x00" + b"\x00" * 20)
    assert e.message == "data file 'v9.npy' is a .npy file of version 9.0, which is not supported"
    # live answers carry the field too
    answer = json.loads(live.handle(json.dumps({"spec": {"expr": 3}})))["error"]
    assert answer["field"] == "expr"


def test_10_live_text_requests_refuse_data_files_like_spec_requests():
    text = "expr: A @ B\nnodes: {A: {init: data, data: {path: /etc/passwd, format: csv}}}\n"
    for request in (
        {"text": text},
        {
            "spec": {
                "expr": "A @ B",
                "nodes": {"A": {"init": "data", "data": {"path": "/etc/passwd", "format": "csv"}}},
            }
        },
    ):
        answer = json.loads(live.handle(json.dumps(request)))["error"]
        assert answer["message"].startswith("A's values come from the data file '/etc/passwd'")
        assert answer["field"] == "nodes.A.data"
        assert "root:" not in json.dumps(answer)
