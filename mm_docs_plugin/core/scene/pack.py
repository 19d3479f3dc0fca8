"""The scene file: one figure's scene as a small JSON header + aligned value buffers.

The browser viewer fetches this file and reads it with typed-array views, so
the layout below is the contract for the JavaScript decoder.  All integers are
little-endian; all offsets are **absolute** byte offsets from the start of the
file.

======  ========  ==========================================================
bytes   type      meaning
======  ========  ==========================================================
0–3     4 bytes   magic ``MMSC`` (ASCII)
4–7     u32 LE    format version, currently ``1``; readers refuse others
8–11    u32 LE    N, the byte length of the JSON header (without padding)
12…     N bytes   the JSON header, UTF-8, no BOM
…       0–7       zero bytes, so the buffer area starts at a multiple of 8:
                  ``start = ceil((12 + N) / 8) * 8``
start…            the buffers, in the order of ``header.buffers``, each
                  followed by zero bytes up to the next multiple of 8 (so the
                  file length is a multiple of 8; readers refuse files whose
                  length is not: they were cut short)
======  ========  ==========================================================

The JSON header is an object: the caller's keys plus ``"buffers"``, a list of
``{"name", "dtype", "shape", "offset", "length"}`` sorted by name, where
``offset`` is absolute (a multiple of 8, at least ``start``), ``length`` is in
bytes and ``shape`` is a list of dimensions, C (row-major) order.  Keys are
sorted and the JSON has no whitespace and no NaN/Infinity.  ``dtype`` is one
of ``f2`` (IEEE float16), ``f4`` (float32), ``u1``, ``u2``, ``u4``, ``i4``,
always little-endian; ``length == product(shape) * itemsize``.

In JavaScript: ``new Float32Array(buf, offset, length / 4)`` for ``f4``,
``new Uint16Array(buf, offset, length / 2)`` for ``f2`` (raw half floats, for a
``HALF_FLOAT`` texture or a manual decode; ``Float16Array`` is not everywhere
yet), ``Uint8Array``/``Uint16Array``/``Uint32Array``/``Int32Array`` for the
rest.  The 8-byte alignment makes every such view legal.

Which dtype a buffer gets: ``pack(..., dtypes={name: "f4"})`` chooses; by
default floats become ``f2`` (display precision: the viewer draws colours and
sizes, where 3 significant digits are invisible), bools ``u1``, unsigned ints
``u1``/``u2``/``u4`` by width, signed ints ``i4``.  A float16 buffer whose
finite values exceed 65504 (float16's largest) is stored as ``f4`` instead,
requested or not, and the header records ``f4``: readers must always go by the
recorded dtype.  NaN and ±inf are stored as they are.  Values that do not fit
the chosen dtype (ints out of range, non-whole floats to an int dtype, finite
floats beyond float32) are refused, never wrapped or turned into inf.

The same inputs always give the same bytes (no timestamps, sorted keys), so
files can be named by their content hash.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..errors import SpecError, did_you_mean

MAGIC = b"MMSC"
VERSION = 1
ALIGN = 8  # the widest element is 4 bytes; 8 leaves room for a future f8/i8
DTYPES = {name: np.dtype("<" + name) for name in ("f2", "f4", "u1", "u2", "u4", "i4")}
_PREFIX = struct.Struct("<4sII")
_F16_MAX = float(np.finfo(np.float16).max)  # 65504
_F32_MAX = float(np.finfo(np.float32).max)
_MAX_NDIM = 32  # numpy 1.17's limit
_MAX_NOMINAL = 2**31 - 1  # Pyodide's numpy is wasm32: larger arrays cannot exist there


class SceneFileError(SpecError):
    """Bytes that are not a readable scene file (wrong magic, version, truncated, corrupt)."""


def _align(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


# ---------------------------------------------------------------------------
# writing


def pack(
    header: dict, buffers: Dict[str, np.ndarray], dtypes: Optional[Dict[str, str]] = None
) -> bytes:
    """The scene file for ``header`` (JSON-able) and the named value ``buffers``."""
    head = _plain(header, "header")
    if not isinstance(head, dict):
        raise TypeError("scene header must be a dict, not %s" % type(header).__name__)
    if "buffers" in head:
        raise ValueError('scene header key "buffers" is reserved for the buffer table')
    dtypes = dict(dtypes or {})
    unknown = sorted(map(repr, set(dtypes) - set(buffers)))
    if unknown:  # most likely a typo: say so rather than silently use the default
        raise ValueError("dtypes names %s, which are not buffers" % ", ".join(unknown))
    for name in buffers:
        if not isinstance(name, str) or not name:
            raise TypeError("buffer names must be non-empty strings, not %r" % (name,))
    arrays = [(name, _convert(name, buffers[name], dtypes.get(name))) for name in sorted(buffers)]

    # Offsets are absolute, so the header's length depends on the offsets' digits
    # and vice versa; both only grow, so iterating from the smallest start converges.
    start = _align(_PREFIX.size)
    while True:
        table, end = _table(arrays, start)
        text = _dumps(dict(head, buffers=table))
        if _align(_PREFIX.size + len(text)) == start:
            break
        start = _align(_PREFIX.size + len(text))
    out = bytearray(_PREFIX.pack(MAGIC, VERSION, len(text)) + text)
    for _, array in arrays:
        out += b"\0" * (_align(len(out)) - len(out))
        out += array.tobytes()
    out += b"\0" * (_align(len(out)) - len(out))
    assert len(out) == end
    return bytes(out)


def _dumps(head: dict) -> bytes:
    return json.dumps(
        head, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _table(arrays: List[Tuple[str, np.ndarray]], start: int) -> Tuple[List[dict], int]:
    """The "buffers" entries when the buffer area begins at ``start``, and the file's end."""
    table, offset = [], start
    for name, array in arrays:
        table.append(
            {
                "name": name,
                "dtype": array.dtype.str[1:],
                "shape": [int(n) for n in array.shape],
                "offset": offset,
                "length": array.nbytes,
            }
        )
        offset = _align(offset + array.nbytes)
    return table, offset


def _default_dtype(array: np.ndarray) -> str:
    kind = array.dtype.kind
    if kind == "f":
        return "f2"
    if kind == "b":
        return "u1"
    if kind == "u":
        return {1: "u1", 2: "u2"}.get(array.dtype.itemsize, "u4")
    return "i4"


def _finite_peak(array: np.ndarray) -> float:
    """The largest |x| over the finite entries (0.0 when there are none)."""
    if array.dtype.kind == "f":
        array = array[np.isfinite(array)]
    if array.size == 0:
        return 0.0
    return max(abs(float(array.max())), abs(float(array.min())))


def _convert(name: str, value: Any, want: Optional[str]) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError("buffer %r: cannot store %s values" % (name, array.dtype))
    if want is None:
        want = _default_dtype(array)
    elif want not in DTYPES:
        hint = did_you_mean(str(want), DTYPES)
        raise ValueError("buffer %r: unknown dtype %r (%s)" % (name, want, hint))
    if want[0] == "f":
        peak = _finite_peak(array)
        if want == "f2" and peak > _F16_MAX:
            want = "f4"  # would become inf in float16: keep the value, pay 2 more bytes
        if peak > _F32_MAX:
            raise ValueError("buffer %r: finite values up to %g do not fit float32" % (name, peak))
    else:
        _check_whole(name, array, DTYPES[want])
    with np.errstate(over="ignore", invalid="ignore"):  # checked above; NaN/inf cast as is
        return array.astype(DTYPES[want], order="C")


def _check_whole(name: str, array: np.ndarray, dtype: np.dtype) -> None:
    """Refuse values an integer ``dtype`` would wrap or truncate."""
    if array.size == 0:
        return
    if array.dtype.kind == "f" and not (
        np.all(np.isfinite(array)) and np.all(np.floor(array) == array)
    ):
        raise ValueError("buffer %r: %s needs whole, finite numbers" % (name, dtype.str[1:]))
    info = np.iinfo(dtype)
    low, high = array.min().item(), array.max().item()  # Python numbers compare exactly
    if low < info.min or high > info.max:
        raise ValueError(
            "buffer %r: values %s..%s do not fit %s" % (name, low, high, dtype.str[1:])
        )


def _plain(value: Any, path: str) -> Any:
    """``value`` as JSON types only: numpy scalars unwrapped, tuples as lists."""
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)  # np.str_ too
    if isinstance(value, (bool, np.bool_)):  # before int: bool is an int subclass
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("scene header: %s is %r; JSON has no NaN or infinity" % (path, number))
        return number
    if isinstance(value, (list, tuple)):
        return [_plain(item, "%s[%d]" % (path, i)) for i, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("scene header: key %r in %s is not a string" % (key, path))
            out[str(key)] = _plain(item, path + "." + key)
        return out
    raise TypeError(
        "scene header: cannot store %s at %s (JSON types, tuples and numpy scalars only)"
        % (type(value).__name__, path)
    )


# ---------------------------------------------------------------------------
# reading


def unpack(data: bytes) -> Tuple[dict, Dict[str, np.ndarray]]:
    """The header (``"buffers"`` included) and read-only arrays of a scene file."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("unpack needs bytes, not %s" % type(data).__name__)
    data = bytes(data)  # views of immutable bytes are read-only
    head, start = _read_header(data)
    entries = head.get("buffers")
    if not isinstance(entries, list):
        raise SceneFileError('scene file header has no "buffers" list', field="buffers")
    arrays, spans = {}, []
    for i, entry in enumerate(entries):
        name, dtype, shape, count, offset = _read_entry(entry, "buffers[%d]" % i)
        if name in arrays:
            raise SceneFileError("duplicate buffer name %r" % name, field="buffers[%d]" % i)
        length = count * dtype.itemsize
        _check_span(name, offset, length, start, len(data))
        spans.append((offset, offset + length, name))
        arrays[name] = _view(data, dtype, shape, count, offset)
    spans.sort()
    for (_, end, first), (begin, _, second) in zip(spans, spans[1:]):
        if begin < end:
            raise SceneFileError("buffers %r and %r overlap" % (first, second))
    return head, arrays


def _read_header(data: bytes) -> Tuple[dict, int]:
    """The parsed JSON header and the absolute offset where the buffer area starts."""
    if data[:4] != MAGIC:
        raise SceneFileError(
            "not a scene file: starts with %r, expected %r" % (data[:4], MAGIC),
            hint="was the file fetched whole, and is it a .mmsc scene file?",
        )
    if len(data) < _PREFIX.size:
        raise SceneFileError("truncated scene file: %d bytes, less than the prefix" % len(data))
    _, version, size = _PREFIX.unpack_from(data)
    if version != VERSION:
        raise SceneFileError(
            "unsupported scene file version %d (this reader knows version %d)" % (version, VERSION),
            hint="rebuild the site with the same mm-docs version as the viewer",
        )
    start = _align(_PREFIX.size + size)
    if start > len(data) or len(data) % ALIGN:  # pack always pads the end: this was cut
        raise SceneFileError(
            "truncated scene file: %d bytes, expected a multiple of %d and at least %d"
            % (len(data), ALIGN, start)
        )
    try:
        head = json.loads(
            data[_PREFIX.size : _PREFIX.size + size].decode("utf-8"),
            parse_constant=_refuse_constant,  # JavaScript's JSON.parse has no NaN either
        )
    except (ValueError, RecursionError) as exc:  # bad UTF-8 and JSON errors are ValueErrors
        raise SceneFileError("scene file header is not valid JSON: %s" % exc) from None
    if not isinstance(head, dict):
        raise SceneFileError("scene file header is a JSON %s, not an object" % type(head).__name__)
    return head, start


def _refuse_constant(name: str) -> None:
    raise ValueError("%s is not JSON" % name)


def _read_entry(entry: Any, field: str) -> Tuple[str, np.dtype, Tuple[int, ...], int, int]:
    """(name, dtype, shape, element count, offset) of one valid "buffers" entry."""
    if not isinstance(entry, dict):
        raise SceneFileError("buffer entry is not an object", field=field)
    missing = [key for key in ("name", "dtype", "shape", "offset", "length") if key not in entry]
    if missing:
        raise SceneFileError("buffer entry lacks %s" % ", ".join(missing), field=field)
    name, dtype, shape = entry["name"], entry["dtype"], entry["shape"]
    if not isinstance(name, str) or not name:
        raise SceneFileError("buffer name is not a non-empty string", field=field)
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise SceneFileError(
            "buffer %r has unknown dtype %r" % (name, dtype),
            hint=did_you_mean(str(dtype), DTYPES),
            field=field,
        )
    if not isinstance(shape, list) or len(shape) > _MAX_NDIM or not all(map(_is_count, shape)):
        raise SceneFileError("buffer %r has a bad shape %r" % (name, shape), field=field)
    offset, length = entry["offset"], entry["length"]
    if not _is_count(offset) or not _is_count(length):
        raise SceneFileError("buffer %r: offset and length must be integers >= 0" % name)
    itemsize, count, nominal = DTYPES[dtype].itemsize, 1, 1
    for n in shape:
        count *= n
        nominal *= max(n, 1)  # numpy refuses even empty arrays whose other sides overflow
    if nominal * itemsize > _MAX_NOMINAL:
        raise SceneFileError("buffer %r: shape %r is too large" % (name, shape), field=field)
    if count * itemsize != length:
        raise SceneFileError(
            "buffer %r: length %d does not match shape %r x %d bytes"
            % (name, length, shape, itemsize),
            field=field,
        )
    return name, DTYPES[dtype], tuple(shape), count, offset


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_span(name: str, offset: int, length: int, start: int, size: int) -> None:
    if offset % ALIGN:
        raise SceneFileError("buffer %r: offset %d is not a multiple of %d" % (name, offset, ALIGN))
    if offset < start:
        raise SceneFileError(
            "buffer %r: offset %d points into the header (buffers start at %d)"
            % (name, offset, start)
        )
    if offset + length > size:
        raise SceneFileError(
            "buffer %r runs past the end of the file (offset %d + length %d > %d bytes)"
            % (name, offset, length, size)
        )


def _view(
    data: bytes, dtype: np.dtype, shape: Tuple[int, ...], count: int, offset: int
) -> np.ndarray:
    if count == 0:  # np.frombuffer refuses empty buffers on old numpy
        array = np.zeros(shape, dtype)
        array.flags.writeable = False
        return array
    return np.frombuffer(data, dtype, count, offset).reshape(shape)


# ---------------------------------------------------------------------------
# inspection


def describe(data: bytes) -> str:
    """A short human report of a scene file: version, header size, buffers, total."""
    head, arrays = unpack(data)
    size = _PREFIX.unpack_from(data)[2]
    lines = [
        "scene file v%d: %d bytes, JSON header %d bytes, %d buffer(s)"
        % (VERSION, len(data), size, len(arrays)),
        "header keys: " + (", ".join(sorted(k for k in head if k != "buffers")) or "(none)"),
    ]
    width = max([len(name) for name in arrays] + [4])
    for e in head["buffers"]:
        shape = "x".join(map(str, e["shape"])) or "scalar"
        row = (width, e["name"], e["dtype"], shape, e["length"], e["offset"])
        lines.append("  %-*s  %s  %-16s %10d bytes @ %d" % row)
    total = sum(array.nbytes for array in arrays.values())
    lines.append("total: %d value bytes in %d bytes of file" % (total, len(data)))
    return "\n".join(lines)
