"""Tests for mm_docs_plugin.core.inputs.data: every format, selection, limits, bad files, remote."""

from __future__ import annotations

import functools
import http.server
import json
import pickle
import struct
import threading
import time

import numpy as np
import pytest

from mm_docs_plugin.core.errors import Limits, SpecError
from mm_docs_plugin.core.inputs import data as D
from mm_docs_plugin.core.inputs.data import (
    DataSource,
    RemoteDataDisabled,
    data_shape,
    load_data,
    parse_slice,
)

RNG = np.random.RandomState(0)
A = RNG.standard_normal((6, 8)).astype(np.float32)
T3 = RNG.standard_normal((3, 4, 5)).astype(np.float32)


@pytest.fixture(autouse=True)
def _fresh_cache():
    D.clear_cache()
    yield
    D.clear_cache()


def load(tmp_path, **kw):
    return load_data(DataSource(**kw), str(tmp_path))


def shape(tmp_path, **kw):
    return data_shape(DataSource(**kw), str(tmp_path))


def both(tmp_path, **kw):
    """load_data and data_shape agree; returns the array."""
    arr = load(tmp_path, **kw)
    assert arr.dtype == np.float32 and arr.flags.c_contiguous and arr.ndim == 2
    D.clear_cache()
    assert shape(tmp_path, **kw) == arr.shape
    return arr


def err(fragment, fn, *args, **kw):
    with pytest.raises(SpecError) as info:
        fn(*args, **kw)
    assert fragment in str(info.value), str(info.value)
    return info.value


def write_st(path, tensors, metadata=None, header_override=None):
    """Write a safetensors file by hand: u64 header length, JSON header, data."""
    header, blobs, offset = {}, [], 0
    for name, (dtype, shape_, raw) in tensors.items():
        header[name] = {
            "dtype": dtype,
            "shape": list(shape_),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    if metadata is not None:
        header["__metadata__"] = metadata
    if header_override is not None:
        header = header_override
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)  # the spec pads the header to 8 bytes
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def bf16(arr):
    """float32 values with the low 16 bits cleared, and their bfloat16 bytes."""
    bits = arr.astype("<f4").view("<u4") & np.uint32(0xFFFF0000)
    return bits.view("<f4"), (bits >> 16).astype("<u2").tobytes()


# --------------------------------------------------------------------------- parse_slice


def test_parse_slice_forms():
    assert parse_slice("0:256, :", 2) == (slice(0, 256, None), slice(None))
    assert parse_slice("5, :, 0:64", 3) == (5, slice(None), slice(0, 64, None))
    assert parse_slice("::2, 10", 2) == (slice(None, None, 2), 10)
    assert parse_slice("[ -1 , 1:-1:3 ]", 2) == (-1, slice(1, -1, 3))
    assert parse_slice("..., 0", 3) == (Ellipsis, 0)
    assert parse_slice("None, :", 1) == (None, slice(None))
    assert parse_slice("3,", 2) == (3,)
    assert parse_slice("", 2) == () and parse_slice("  [ ] ", 2) == ()


@pytest.mark.parametrize(
    "text, ndim, fragment, column",
    [
        ("0, 1, 2", 2, "3 items but the array has 2", 7),
        ("0:x", 2, "expected an integer", 3),
        ("  a, :", 2, "expected an integer", 3),
        ("::0", 2, "step cannot be zero", 1),
        ("1:2:3:4", 2, "too many ':'", 1),
        (":, , 1", 3, "empty item", 4),
        ("..., ...", 2, "only one '...'", 6),
        ("[0, :", 2, "unclosed '['", 1),
        ("0, :]", 2, "unmatched ']'", 5),
        ("1.5", 2, "expected an integer", 1),
    ],
)
def test_parse_slice_errors(text, ndim, fragment, column):
    e = err(fragment, parse_slice, text, ndim)
    assert (e.line, e.column) == (1, column)


def test_parse_slice_index_range():
    e = err("index 4 is out of range for axis 1 of size 4", parse_slice, "0, 4", 2, (3, 4))
    assert e.column == 4
    assert parse_slice("-3, ..., -4", 3, (3, 9, 4)) == (-3, Ellipsis, -4)
    err("index -4 is out of range for axis 0", parse_slice, "-4", 2, (3, 4))


# --------------------------------------------------------------------------- formats


def test_npy_roundtrip_slice_transpose(tmp_path):
    np.save(str(tmp_path / "a.npy"), A)
    assert shape(tmp_path, path="a.npy") == A.shape
    assert not D.load._cache  # header only: nothing parsed or cached
    assert np.array_equal(both(tmp_path, path="a.npy"), A)
    got = both(tmp_path, path="a.npy", slice="1:5, ::2", transpose=True)
    assert np.array_equal(got, A[1:5, ::2].T)
    np.save(str(tmp_path / "t.npy"), T3)
    assert np.array_equal(both(tmp_path, path="t.npy", slice="[1, :, 0:4]"), T3[1, :, 0:4])
    assert np.array_equal(both(tmp_path, path="t.npy", slice="..., 2"), T3[..., 2])


def test_npy_dtypes_and_fortran_order(tmp_path):
    ints = np.arange(12, dtype=np.int64).reshape(3, 4)
    np.save(str(tmp_path / "i.npy"), ints)
    np.save(str(tmp_path / "b.npy"), ints % 2 == 0)
    np.save(str(tmp_path / "f.npy"), np.asfortranarray(A.astype(np.float64)))
    np.save(str(tmp_path / "h.npy"), A.astype(np.float16))
    assert np.array_equal(both(tmp_path, path="i.npy"), ints.astype(np.float32))
    assert np.array_equal(both(tmp_path, path="b.npy"), (ints % 2 == 0).astype(np.float32))
    assert np.array_equal(both(tmp_path, path="f.npy"), A)
    assert np.array_equal(both(tmp_path, path="h.npy"), A.astype(np.float16).astype(np.float32))


def test_npy_version_2_and_3_headers(tmp_path):
    for version in [(2, 0), (3, 0)]:
        with open(str(tmp_path / "v.npy"), "wb") as fp:
            np.lib.format.write_array(fp, A, version=version)
        D.clear_cache()
        assert np.array_equal(both(tmp_path, path="v.npy"), A)


def test_npz_keys(tmp_path):
    np.savez(str(tmp_path / "one.npz"), A)
    assert np.array_equal(both(tmp_path, path="one.npz"), A)  # key optional with one member
    np.savez_compressed(str(tmp_path / "m.npz"), wq=A, wk=A * 2, t=T3)
    assert np.array_equal(both(tmp_path, path="m.npz", key="wk"), A * 2)
    assert np.array_equal(both(tmp_path, path="m.npz", key="wk.npy"), A * 2)
    got = both(tmp_path, path="m.npz", key="t", slice="2, 1:3, :", transpose=True)
    assert np.array_equal(got, T3[2, 1:3, :].T)
    e = err("has no array 'wv'", load, tmp_path, path="m.npz", key="wv")
    assert "wk" in e.hint or "wq" in e.hint
    e = err("holds 3 arrays; choose one with `key`", shape, tmp_path, path="m.npz")
    assert "t, wk, wq" in e.hint


def test_csv_mm_style(tmp_path):
    big = RNG.standard_normal((256, 768)).astype(np.float32)
    np.savetxt(str(tmp_path / "x.csv"), big, fmt="%.18e", delimiter=",")
    start = time.perf_counter()
    assert data_shape(DataSource(path="x.csv"), str(tmp_path)) == (256, 768)
    got = load(tmp_path, path="x.csv")  # served from the cache
    assert time.perf_counter() - start < 1.0
    assert np.array_equal(got, big)
    got = both(tmp_path, path="x.csv", slice="0:4, 10:20", transpose=True)
    assert np.array_equal(got, big[0:4, 10:20].T)


def test_csv_header_blank_lines_whitespace(tmp_path):
    (tmp_path / "h.csv").write_text("a,b,c\r\n1,2,3\r\n\r\n4,5.5,-6e-1\r\n\r\n")
    assert np.array_equal(
        both(tmp_path, path="h.csv"), np.array([[1, 2, 3], [4, 5.5, -0.6]], np.float32)
    )
    np.savetxt(str(tmp_path / "w.csv"), A)  # savetxt's default: spaces
    assert np.array_equal(both(tmp_path, path="w.csv"), A)
    (tmp_path / "col.csv").write_text("1\n2\n3\n")
    assert both(tmp_path, path="col.csv").shape == (3, 1)
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf1,2\n3,4\n")
    assert both(tmp_path, path="bom.csv").tolist() == [[1, 2], [3, 4]]


def test_csv_errors(tmp_path):
    (tmp_path / "r.csv").write_text("1,2,3\n4,5,6\n7,8\n")
    err("data file 'r.csv', line 3: 2 values, but line 1 has 3", load, tmp_path, path="r.csv")
    (tmp_path / "n.csv").write_text("x,y\n1,2\n3,oops\n")
    e = err(
        "data file 'n.csv', line 3, cell 2: 'oops' is not a number", shape, tmp_path, path="n.csv"
    )
    assert e.hint
    (tmp_path / "e2.csv").write_text("1,2,3\n1,,2\n")
    err("line 2, cell 2: is empty", load, tmp_path, path="e2.csv")
    (tmp_path / "hdr.csv").write_text("just,a,header\n\n")
    err("holds no numeric rows", load, tmp_path, path="hdr.csv")
    (tmp_path / "empty.csv").write_text("")
    err("holds no numeric rows", load, tmp_path, path="empty.csv")


def test_safetensors_dtypes(tmp_path):
    vals16, raw16 = bf16(A)
    ints = np.arange(-6, 6).reshape(3, 4)
    write_st(
        tmp_path / "w.safetensors",
        {
            "f32": ("F32", A.shape, A.astype("<f4").tobytes()),
            "f64": ("F64", A.shape, A.astype("<f8").tobytes()),
            "f16": ("F16", A.shape, A.astype("<f2").tobytes()),
            "bf16": ("BF16", A.shape, raw16),
            "i64": ("I64", ints.shape, ints.astype("<i8").tobytes()),
            "i32": ("I32", ints.shape, ints.astype("<i4").tobytes()),
            "i16": ("I16", ints.shape, ints.astype("<i2").tobytes()),
            "i8": ("I8", ints.shape, ints.astype("i1").tobytes()),
            "u8": ("U8", ints.shape, (ints + 6).astype("u1").tobytes()),
            "bool": ("BOOL", ints.shape, (ints > 0).astype("u1").tobytes()),
            "t3": ("F32", T3.shape, T3.astype("<f4").tobytes()),
        },
        metadata={"format": "pt"},
    )
    kw = {"path": "w.safetensors"}
    assert np.array_equal(both(tmp_path, key="f32", **kw), A)
    assert np.array_equal(both(tmp_path, key="f64", **kw), A)
    assert np.array_equal(both(tmp_path, key="f16", **kw), A.astype(np.float16).astype(np.float32))
    assert np.array_equal(both(tmp_path, key="bf16", **kw), vals16)
    for name in ["i64", "i32", "i16", "i8"]:
        assert np.array_equal(both(tmp_path, key=name, **kw), ints.astype(np.float32))
    assert np.array_equal(both(tmp_path, key="u8", **kw), (ints + 6).astype(np.float32))
    assert np.array_equal(both(tmp_path, key="bool", **kw), (ints > 0).astype(np.float32))
    got = both(tmp_path, key="t3", slice="1, 0:3, ::2", transpose=True, **kw)
    assert np.array_equal(got, T3[1, 0:3, ::2].T)


def test_safetensors_keys_and_describe(tmp_path):
    name = "encoder.layer.0.attention.self.query.weight"
    w = RNG.standard_normal((64, 16)).astype(np.float32)
    write_st(tmp_path / "one.safetensors", {name: ("F32", w.shape, w.tobytes())})
    src = DataSource(path="one.safetensors", slice="0:32, :", transpose=True)
    assert np.array_equal(
        load_data(src, str(tmp_path)), w[0:32, :].T
    )  # single tensor: key optional
    src = DataSource(path="one.safetensors", key=name, slice="[0:32, :]", transpose=True)
    assert src.describe() == f"one.safetensors[{name}][0:32, :].T"
    assert DataSource(url="https://x.org/a.csv").describe() == "https://x.org/a.csv"
    names = {f"layer.{i}.weight": ("F32", w.shape, w.tobytes()) for i in range(12)}
    write_st(tmp_path / "many.safetensors", names)
    e = err("holds 12 tensors; choose one with `key`", load, tmp_path, path="many.safetensors")
    assert "layer.0.weight" in e.hint and "12 in all" in e.hint
    e = err(
        "has no tensor 'layer.3.wieght'",
        shape,
        tmp_path,
        path="many.safetensors",
        key="layer.3.wieght",
    )
    assert "did you mean 'layer.3.weight'" in e.hint


def test_safetensors_bad_headers(tmp_path):
    p = tmp_path / "b.safetensors"
    kw = {"path": "b.safetensors"}
    good = {"x": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
    cases = [
        (
            {"x": {"dtype": "F8_E4M3", "shape": [2, 2], "data_offsets": [0, 4]}},
            "unsupported dtype 'F8_E4M3'",
        ),
        (
            {"x": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 64]}},
            "data offsets out of range",
        ),
        (
            {"x": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 16]}},
            "does not match its shape [2, 3]",
        ),
        (
            {"x": {"dtype": "F32", "shape": "2x2", "data_offsets": [0, 16]}},
            "bad header entry (shape)",
        ),
        (
            {"x": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0]}},
            "bad header entry (data_offsets)",
        ),
        ({"x": [1, 2]}, "bad header entry"),
        ({"__metadata__": {}}, "holds no tensors"),
        ([1, 2], "not a JSON object"),
    ]
    for header, fragment in cases:
        write_st(p, {"x": ("F32", (2, 2), b"\0" * 16)}, header_override=header)
        D.clear_cache()
        err(fragment, load, tmp_path, **kw)
        err(fragment, shape, tmp_path, **kw)
    write_st(p, {}, header_override=good)  # header fine, data missing
    err("data offsets out of range", load, tmp_path, **kw)
    p.write_bytes(struct.pack("<Q", 200 * 2**20) + b"{}")
    err("header of 209715200 bytes is too big", load, tmp_path, **kw)
    p.write_bytes(struct.pack("<Q", 100) + b"{}")
    err("header runs past the end", load, tmp_path, **kw)
    p.write_bytes(struct.pack("<Q", 4) + b"{{{{")
    err("not valid JSON", load, tmp_path, **kw)
    p.write_bytes(b"\1\2")
    err("truncated (no safetensors header)", load, tmp_path, **kw)


@pytest.mark.parametrize("suffix", ["npy", "npz", "csv", "safetensors"])
def test_garbage_bytes_are_spec_errors(tmp_path, suffix):
    blobs = [
        b"",
        bytes(range(256)) * 8,
        b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'",  # truncated npy header
        b"PK\x03\x04garbage",
        struct.pack("<Q", 8) + b'{"a": 1}',
    ]
    p = tmp_path / ("g." + suffix)
    for blob in blobs:
        p.write_bytes(blob)
        for fn in (load, shape):
            D.clear_cache()
            e = err(f"data file 'g.{suffix}'", fn, tmp_path, path="g." + suffix)
            assert type(e) is SpecError


def test_truncated_npy_and_npz(tmp_path):
    np.save(str(tmp_path / "a.npy"), A)
    raw = (tmp_path / "a.npy").read_bytes()
    (tmp_path / "a.npy").write_bytes(raw[:-10])
    err("truncated", shape, tmp_path, path="a.npy")
    err("truncated", load, tmp_path, path="a.npy")
    np.savez(str(tmp_path / "z.npz"), a=A)
    raw = (tmp_path / "z.npz").read_bytes()
    (tmp_path / "z.npz").write_bytes(raw[: len(raw) // 2])
    err("data file 'z.npz' could not be read as npz", load, tmp_path, path="z.npz")


def test_pickles_and_odd_dtypes_refused(tmp_path):
    np.save(str(tmp_path / "o.npy"), np.array([[{"a": 1}]], dtype=object), allow_pickle=True)
    err("holds Python objects (a pickle); refused", load, tmp_path, path="o.npy")
    err("holds Python objects", shape, tmp_path, path="o.npy")
    np.savez(str(tmp_path / "o.npz"), o=np.array([[None]], dtype=object))
    err("holds Python objects", load, tmp_path, path="o.npz")
    np.save(str(tmp_path / "c.npy"), np.ones((2, 2), dtype=np.complex64))
    err("only real numbers are supported", load, tmp_path, path="c.npy")
    np.save(str(tmp_path / "s.npy"), np.array([["a", "b"]]))
    err("only real numbers are supported", load, tmp_path, path="s.npy")
    (tmp_path / "p.npy").write_bytes(pickle.dumps([[1.0, 2.0]]))
    err("is not a .npy file (no NUMPY magic)", load, tmp_path, path="p.npy")


# --------------------------------------------------------------------------- selection and limits


def test_selection_must_be_2d(tmp_path):
    np.save(str(tmp_path / "v.npy"), np.arange(5.0))
    e = err("selection has shape (5,); a matrix needs 2 dimensions", load, tmp_path, path="v.npy")
    assert "None, :" in e.hint
    assert np.array_equal(both(tmp_path, path="v.npy", slice="None, 1:4"), [[1, 2, 3]])
    assert both(tmp_path, path="v.npy", slice=":, None").shape == (5, 1)
    np.save(str(tmp_path / "t.npy"), T3)
    e = err("selection has shape (3, 4, 5)", shape, tmp_path, path="t.npy")
    assert "0, :, :" in e.hint
    err("selection has shape (5,)", load, tmp_path, path="t.npy", slice="0, 0")
    err("selection is empty (0 x 5)", shape, tmp_path, path="t.npy", slice="0, 2:2")


def test_slice_errors_name_file_and_column(tmp_path):
    np.save(str(tmp_path / "a.npy"), A)
    e = err(
        "data file 'a.npy', slice '0, 9': index 9 is out of range for axis 1 of size 8",
        load,
        tmp_path,
        path="a.npy",
        slice="0, 9",
    )
    assert (e.line, e.column) == (1, 4)
    err(
        "slice has 3 items but the array has 2 dimensions",
        shape,
        tmp_path,
        path="a.npy",
        slice="0, 1, 2",
    )
    err("expected an integer", load, tmp_path, path="a.npy", slice="a:b")


def test_limits(tmp_path):
    np.save(str(tmp_path / "a.npy"), A)
    src = DataSource(path="a.npy")
    for fn in (load_data, data_shape):
        err("above the max_dim limit of 7", fn, src, str(tmp_path), limits=Limits(max_dim=7))
        err(
            "48 values is above the max_elements limit of 40",
            fn,
            src,
            str(tmp_path),
            limits=Limits(max_elements=40),
        )
    assert load_data(
        DataSource(path="a.npy", slice=":5"), str(tmp_path), limits=Limits(max_elements=40)
    ).shape == (5, 8)
    D.clear_cache()  # max_bytes guards reading; a cached array is not read again
    err("is larger than 100 bytes", load_data, src, str(tmp_path), max_bytes=100)


# --------------------------------------------------------------------------- paths, sources, cache


def test_paths(tmp_path):
    sub = tmp_path / "docs" / "page"
    sub.mkdir(parents=True)
    np.save(str(tmp_path / "w.npy"), A)
    assert np.array_equal(load_data(DataSource(path="../../w.npy"), str(sub)), A)  # '..' is allowed
    assert np.array_equal(load_data(DataSource(path=str(tmp_path / "w.npy")), str(sub)), A)
    e = err(
        f"data file 'x.npy' not found (looked in {sub})",
        load_data,
        DataSource(path="x.npy"),
        str(sub),
    )
    assert "relative to" in e.hint
    e = err("data file 'v.npy' not found", load_data, DataSource(path="v.npy"), str(tmp_path))
    assert "w.npy" in e.hint
    err("is not a regular file", load_data, DataSource(path="docs"), str(tmp_path))
    (tmp_path / "w.bin").write_bytes(b"x")
    e = err("data file 'w.bin': unknown file type '.bin'", load, tmp_path, path="w.bin")
    assert "npy, npz, csv, safetensors" in e.hint
    (tmp_path / "w.dat").write_text("1,2\n3,4\n")
    assert both(tmp_path, path="w.dat", format="CSV").tolist() == [[1, 2], [3, 4]]
    err("`key` applies only to .npz and .safetensors", load, tmp_path, path="w.npy", key="a")


def test_data_source_validation():
    err("exactly one of `path` or `url`", DataSource)
    err("exactly one of `path` or `url`", DataSource, path="a.npy", url="http://x/a.csv")
    err("`path` is empty", DataSource, path="  ")
    e = err("unknown data format 'safetensor'", DataSource, path="a", format="safetensor")
    assert "did you mean 'safetensors'" in e.hint
    err("`key` must be text", DataSource, path="a.npz", key=3)


def test_cache_returns_private_copies(tmp_path):
    np.save(str(tmp_path / "a.npy"), A)
    first = load(tmp_path, path="a.npy")
    first[:] = 0
    second = load(tmp_path, path="a.npy")
    assert np.array_equal(second, A) and second.flags.writeable
    np.save(str(tmp_path / "a.npy"), A * 3)  # a rewritten file is read again (size/mtime key)
    (tmp_path / "a.npy").touch()
    assert np.array_equal(load(tmp_path, path="a.npy"), A * 3)
    for i in range(40):
        np.save(str(tmp_path / f"c{i}.npy"), A)
        load(tmp_path, path=f"c{i}.npy")
    assert len(D.load._cache) <= 16


# --------------------------------------------------------------------------- remote


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path, monkeypatch):
    for name in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_remote_csv(tmp_path, server):
    np.savetxt(str(tmp_path / "layer0_wq0_768_64.csv"), A, fmt="%.18e", delimiter=",")
    src = DataSource(url=server + "/layer0_wq0_768_64.csv", slice="0:3, :")
    assert data_shape(src, allow_remote=True) == (3, 8)
    assert np.array_equal(load_data(src, allow_remote=True), A[0:3])
    np.save(str(tmp_path / "a.npy"), A)
    assert np.array_equal(load_data(DataSource(url=server + "/a.npy?x=1"), allow_remote=True), A)
    err(
        "is larger than 100 bytes",
        load_data,
        DataSource(url=server + "/a.npy"),
        allow_remote=True,
        max_bytes=100,
    )


def test_remote_errors(tmp_path, server):
    e = err("HTTP 404", load_data, DataSource(url=server + "/missing.csv"), allow_remote=True)
    assert "missing.csv" in str(e)
    with pytest.raises(RemoteDataDisabled) as info:
        data_shape(DataSource(url=server + "/a.csv"))
    assert "remote data is disabled" in str(info.value)
    assert "data: {path: ...}" in info.value.hint
    assert isinstance(info.value, SpecError)
    assert type(pickle.loads(pickle.dumps(info.value))) is RemoteDataDisabled
    for url in ["file:///etc/passwd", "ftp://h/a.csv", "http://[::1/a.csv", "a.csv"]:
        err("only http:// and https://", load_data, DataSource(url=url), allow_remote=True)
    err(
        "unknown file type '.html'",
        load_data,
        DataSource(url=server + "/index.html"),
        allow_remote=True,
    )
    err(
        "could not be fetched",
        load_data,
        DataSource(url="http://127.0.0.1:9/a.csv"),
        allow_remote=True,
    )
