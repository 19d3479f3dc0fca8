"""The scene file: round trips, the documented byte layout, determinism, and a reader
that refuses every malformed input with a SceneFileError."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core.errors import SpecError
from mm_docs_plugin.core.scene.pack import (
    DTYPES,
    MAGIC,
    VERSION,
    SceneFileError,
    describe,
    pack,
    unpack,
)

from .forge import START, entry, forge

BODY = np.array([1, 2, 3, 4], "<f2").tobytes()


def sample():
    rng = np.random.default_rng(3)
    header = {"title": "A @ B", "size": (4, 3), "nested": {"k": [1, 2.5, None, True]}}
    buffers = {
        "A": rng.standard_normal((4, 3)),
        "B": rng.standard_normal(5).astype(np.float32),
        "idx": np.arange(7, dtype=np.int64),
        "mask": np.array([True, False, True]),
        "small": np.arange(3, dtype=np.uint8),
        "mid": np.arange(3, dtype=np.uint16) * 1000,
        "wide": np.arange(3, dtype=np.uint64) * 10**9,
    }
    return header, buffers


def check_reader(data):
    """unpack either succeeds with read-only arrays or raises SceneFileError."""
    try:
        head, arrays = unpack(data)
    except SceneFileError:
        return
    assert isinstance(head, dict) and isinstance(head["buffers"], list)
    for array in arrays.values():
        assert not array.flags.writeable


# --- round trip and dtypes ----------------------------------------------------


def test_round_trip_keeps_header_and_values():
    header, buffers = sample()
    head, arrays = unpack(pack(header, buffers, {"B": "f4"}))
    assert {k: v for k, v in head.items() if k != "buffers"} == {
        "title": "A @ B",
        "size": [4, 3],
        "nested": {"k": [1, 2.5, None, True]},
    }
    assert sorted(arrays) == sorted(buffers)
    np.testing.assert_array_equal(arrays["A"], buffers["A"].astype(np.float16))
    np.testing.assert_allclose(arrays["A"], buffers["A"], rtol=1e-3, atol=1e-4)
    np.testing.assert_array_equal(arrays["B"], buffers["B"])  # f4: exact
    for name in ("idx", "mask", "small", "mid", "wide"):
        np.testing.assert_array_equal(arrays[name], buffers[name])
        assert arrays[name].shape == buffers[name].shape


@pytest.mark.parametrize(
    "array, dtype",
    [
        (np.zeros(2), "f2"),
        (np.zeros(2, np.float32), "f2"),
        (np.zeros(2, bool), "u1"),
        (np.zeros(2, np.uint8), "u1"),
        (np.zeros(2, np.uint16), "u2"),
        (np.zeros(2, np.uint32), "u4"),
        (np.zeros(2, np.uint64), "u4"),
        (np.zeros(2, np.int8), "i4"),
        (np.zeros(2, np.int64), "i4"),
        (np.zeros(2, ">f8"), "f2"),
    ],
)
def test_default_dtypes(array, dtype):
    head, arrays = unpack(pack({}, {"x": array}))
    assert head["buffers"][0]["dtype"] == dtype
    assert arrays["x"].dtype == np.dtype("<" + dtype)


@pytest.mark.parametrize("dtype", sorted(DTYPES))
def test_explicit_dtypes_round_trip_whole_numbers(dtype):
    values = np.array([[0, 1, 7], [200, 3, 255]])
    head, arrays = unpack(pack({}, {"x": values}, {"x": dtype}))
    assert arrays["x"].dtype == DTYPES[dtype] and head["buffers"][0]["dtype"] == dtype
    np.testing.assert_array_equal(arrays["x"], values)


def test_scalars_and_empty_arrays():
    _, arrays = unpack(pack({}, {"s": np.float32(2.5), "e": np.zeros((0, 4), np.int32)}))
    assert arrays["s"].shape == () and arrays["s"] == 2.5
    assert arrays["e"].shape == (0, 4) and arrays["e"].dtype == np.dtype("<i4")


@given(
    st.lists(st.floats(allow_nan=False, width=32), min_size=1, max_size=50),
    st.sampled_from(["f2", "f4", None]),
)
@settings(max_examples=60, deadline=None)
def test_float_round_trip_property(values, dtype):
    array = np.array(values, np.float32)
    dtypes = {"x": dtype} if dtype else None
    head, arrays = unpack(pack({}, {"x": array}, dtypes))
    if head["buffers"][0]["dtype"] == "f4":
        np.testing.assert_array_equal(arrays["x"], array)
    else:
        np.testing.assert_array_equal(arrays["x"], array.astype(np.float16))


# --- the documented layout ----------------------------------------------------


def test_layout_matches_the_docstring_byte_for_byte():
    data = pack({"k": 1}, {"b": np.array([1.0, -2.0]), "a": np.array([1, 2], np.uint8)})
    table = (
        '{"buffers":[{"dtype":"u1","length":2,"name":"a","offset":%d,"shape":[2]},'
        '{"dtype":"f2","length":4,"name":"b","offset":%d,"shape":[2]}],"k":1}'
    )
    text = (table % (160, 168)).encode()  # 12 + 143 bytes of JSON, padded to 160
    assert len(text) == 143
    expected = (
        b"MMSC"
        + struct.pack("<II", 1, len(text))
        + text
        + b"\0" * 5
        + b"\x01\x02"
        + b"\0" * 6
        + np.array([1.0, -2.0], "<f2").tobytes()
        + b"\0" * 4
    )
    assert data == expected


def test_every_buffer_is_aligned_absolute_and_in_name_order():
    header, buffers = sample()
    data = pack(header, buffers)
    (size,) = struct.unpack_from("<I", data, 8)
    head, arrays = unpack(data)
    table = head["buffers"]
    assert [e["name"] for e in table] == sorted(buffers)
    assert table[0]["offset"] == -(-(12 + size) // 8) * 8
    assert len(data) % 8 == 0
    for e in table:
        assert e["offset"] % 8 == 0
        assert data[e["offset"] : e["offset"] + e["length"]] == arrays[e["name"]].tobytes()
        assert arrays[e["name"]].ctypes.data % 8 == np.frombuffer(data, np.uint8).ctypes.data % 8


def test_views_are_read_only_for_any_bytes_like_input():
    data = pack({}, {"x": np.arange(4.0)})
    for raw in (data, bytearray(data), memoryview(data)):
        _, arrays = unpack(raw)
        assert not arrays["x"].flags.writeable
    with pytest.raises(TypeError):
        unpack("MMSC")


# --- determinism and size -----------------------------------------------------


def test_same_inputs_same_bytes_whatever_the_insertion_order():
    header, buffers = sample()
    first = pack(header, buffers, {"B": "f4", "A": "f2"})
    assert pack(header, buffers, {"B": "f4", "A": "f2"}) == first
    flipped_header = dict(reversed(list(header.items())))
    flipped_buffers = dict(reversed(list(buffers.items())))
    assert pack(flipped_header, flipped_buffers, {"A": "f2", "B": "f4"}) == first


def test_a_gpt2_sized_head_packs_to_two_bytes_per_value():
    rng = np.random.default_rng(0)
    buffers = {
        "scores": rng.standard_normal((1024, 1024)),
        "q": rng.standard_normal((1024, 64)),
        "k": rng.standard_normal((64, 1024)),
    }
    values = sum(a.size for a in buffers.values())
    assert 1_100_000 <= values <= 1_200_000
    data = pack({"expr": "softmax(q @ k)"}, buffers)
    assert 0 < len(data) - 2 * values < 1024


# --- float16 overflow, NaN and infinity ---------------------------------------


@pytest.mark.parametrize("dtypes", [None, {"x": "f2"}])
def test_finite_values_beyond_float16_upgrade_to_f4(dtypes):
    values = np.array([1.0, -70000.0, 3.0e5])
    head, arrays = unpack(pack({}, {"x": values}, dtypes))
    assert head["buffers"][0]["dtype"] == "f4"
    np.testing.assert_array_equal(arrays["x"], values.astype(np.float32))
    assert np.all(np.isfinite(arrays["x"]))


def test_float16_limit_itself_and_non_finite_values_stay_f2():
    values = np.array([65504.0, -65504.0, np.nan, np.inf, -np.inf])
    head, arrays = unpack(pack({}, {"x": values}))
    assert head["buffers"][0]["dtype"] == "f2"
    np.testing.assert_array_equal(arrays["x"], values.astype(np.float16))


@pytest.mark.parametrize("dtype", ["f2", "f4"])
def test_nan_and_inf_survive(dtype):
    values = np.array([np.nan, np.inf, -np.inf, 0.5])
    _, arrays = unpack(pack({}, {"x": values}, {"x": dtype}))
    x = arrays["x"]
    assert np.isnan(x[0]) and x[1] == np.inf and x[2] == -np.inf and x[3] == 0.5


# --- what pack refuses --------------------------------------------------------


def test_header_numpy_scalars_and_tuples_become_json():
    header = {"n": np.int64(3), "f": np.float32(0.5), "b": np.bool_(False), "t": (1, (2,))}
    head, _ = unpack(pack(header, {}))
    assert head == {"n": 3, "f": 0.5, "b": False, "t": [1, [2]], "buffers": []}
    assert type(head["n"]) is int and type(head["b"]) is bool


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.float32("-inf")])
def test_header_refuses_non_finite_floats(bad):
    with pytest.raises(ValueError, match=r"header\.cam\.pos\[1\].*JSON has no NaN"):
        pack({"cam": {"pos": [0.0, bad]}}, {})


@pytest.mark.parametrize(
    "header, fragment",
    [
        ({"a": [np.zeros(2)]}, r"ndarray at header\.a\[0\]"),
        ({"a": {1: 2}}, r"key 1 in header\.a is not a string"),
        ({"a": {1, 2}}, r"set at header\.a"),
        ([1], "must be a dict"),
    ],
)
def test_header_refuses_non_json_types(header, fragment):
    with pytest.raises(TypeError, match=fragment):
        pack(header, {})


@pytest.mark.parametrize(
    "buffers, dtypes, error, fragment",
    [
        ({"x": np.array([2**40])}, None, ValueError, "do not fit i4"),
        ({"x": np.array([-1])}, {"x": "u2"}, ValueError, "do not fit u2"),
        ({"x": np.array([0.5])}, {"x": "i4"}, ValueError, "whole, finite"),
        ({"x": np.array([np.nan])}, {"x": "u1"}, ValueError, "whole, finite"),
        ({"x": np.array([1e300])}, None, ValueError, "do not fit float32"),
        ({"x": np.zeros(2)}, {"x": "f8"}, ValueError, "unknown dtype 'f8'"),
        ({"x": np.zeros(2)}, {"y": "f4"}, ValueError, "'y', which are not buffers"),
        ({"x": np.zeros(2, complex)}, None, TypeError, "complex"),
        ({"x": np.array(["a"])}, None, TypeError, "cannot store"),
        ({"": np.zeros(2)}, None, TypeError, "non-empty strings"),
    ],
)
def test_pack_refuses_values_it_cannot_store_faithfully(buffers, dtypes, error, fragment):
    with pytest.raises(error, match=fragment):
        pack({}, buffers, dtypes)


def test_buffers_key_is_reserved():
    with pytest.raises(ValueError, match="reserved"):
        pack({"buffers": 1}, {})


# --- what unpack refuses ------------------------------------------------------


def test_forged_file_is_valid():
    _, arrays = unpack(forge({"buffers": [entry()]}, BODY))
    np.testing.assert_array_equal(arrays["a"], [[1, 2], [3, 4]])


VALID = pack({"t": "x"}, {"a": np.arange(6.0).reshape(2, 3), "b": np.arange(3, dtype=np.int32)})

ERRORS = [
    ("bad magic", b"\x89PNG" + VALID[4:], "not a scene file"),
    ("empty", b"", "not a scene file"),
    ("short prefix", VALID[:7], "truncated"),
    ("version 2", forge({"buffers": []}, version=2), "version 2"),
    ("truncated header", VALID[:40], "truncated"),
    ("json garbage", forge(None, text=b"{not json"), "not valid JSON"),
    ("json NaN", forge(None, text=b'{"buffers":[],"x":NaN}'), "not valid JSON"),
    ("bad utf-8", forge(None, text=b'{"buffers":[],"x":"\xff"}'), "not valid JSON"),
    ("deep json", forge(None, text=b"[" * 100004), "not valid JSON"),
    ("not an object", forge([1]), "not an object"),
    ("no buffers", forge({"x": 1}), '"buffers" list'),
    ("entry not object", forge({"buffers": [3]}), "not an object"),
    ("missing key", forge({"buffers": [{"name": "a"}]}), "lacks dtype, shape, offset, length"),
    ("bad name", forge({"buffers": [entry(name=7)]}, BODY), "name"),
    ("unknown dtype", forge({"buffers": [entry(dtype="f8")]}, BODY), "unknown dtype 'f8'"),
    ("bad shape", forge({"buffers": [entry(shape=[-1, 2])]}, BODY), "bad shape"),
    ("bool offset", forge({"buffers": [entry(offset=True)]}, BODY), "integers >= 0"),
    ("huge shape", forge({"buffers": [entry(shape=[0, 2**40], length=0)]}), "too large"),
    ("shape mismatch", forge({"buffers": [entry(length=6)]}, BODY), "does not match shape"),
    ("offset past end", forge({"buffers": [entry(offset=START + 8)]}, BODY), "past the end"),
    ("misaligned", forge({"buffers": [entry(offset=START + 4)]}, BODY * 2), "multiple of 8"),
    ("offset in header", forge({"buffers": [entry(offset=8)]}, BODY), "into the header"),
    ("duplicate", forge({"buffers": [entry(), entry()]}, BODY), "duplicate buffer name"),
    (
        "overlap",
        forge({"buffers": [entry(), entry(name="b", shape=[2], length=4)]}, BODY),
        "overlap",
    ),
]


@pytest.mark.parametrize("data, fragment", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_unpack_error_table(data, fragment):
    with pytest.raises(SceneFileError, match=fragment):
        unpack(data)


def test_scene_file_error_is_a_spec_error():
    assert issubclass(SceneFileError, SpecError) and issubclass(SceneFileError, ValueError)


# --- fuzzing the reader -------------------------------------------------------


def test_every_truncation_is_refused():
    for end in range(len(VALID)):
        with pytest.raises(SceneFileError):
            unpack(VALID[:end])


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_random_bytes(data):
    check_reader(data)
    check_reader(MAGIC + struct.pack("<I", VERSION) + data)


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_single_byte_mutations(data):
    i = data.draw(st.integers(0, len(VALID) - 1))
    byte = data.draw(st.integers(0, 255))
    check_reader(VALID[:i] + bytes([byte]) + VALID[i + 1 :])


_ANY = st.one_of(
    st.integers(-3, 300), st.integers(), st.booleans(), st.none(), st.floats(), st.text(max_size=3)
)
_ENTRY = st.fixed_dictionaries(
    {
        "name": st.one_of(st.sampled_from(["a", "b"]), _ANY),
        "dtype": st.one_of(st.sampled_from(sorted(DTYPES)), _ANY),
        "shape": st.one_of(st.lists(st.one_of(st.integers(0, 4), _ANY), max_size=3), _ANY),
        "offset": st.one_of(st.sampled_from([START, START + 8, START + 16]), _ANY),
        "length": st.one_of(st.sampled_from([0, 1, 2, 4, 8, 16]), _ANY),
    }
)


@given(st.lists(_ENTRY, max_size=3), st.binary(max_size=40))
@settings(max_examples=300, deadline=None)
def test_random_buffer_tables(entries, body):
    check_reader(forge({"buffers": entries}, body))


# --- describe -----------------------------------------------------------------


def test_describe_reports_each_buffer_and_the_total():
    text = describe(VALID)
    assert "scene file v1: %d bytes" % len(VALID) in text
    assert "header keys: t" in text
    assert "a     f2  2x3" in text and "12 bytes" in text
    assert "b     i4  3" in text
    assert "total: 24 value bytes" in text
    with pytest.raises(SceneFileError):
        describe(b"nope")
