"""Leaf-matrix values from data files: .npy, .npz, .csv, .safetensors, or a URL.

A figure's leaf can say ``data: {path: weights.safetensors, key: ..., slice: "0:32, :",
transpose: true}``.  This module turns such a `DataSource` into a 2-D float32 array
(`load_data`) or just its shape (`data_shape`, cheap: headers only where the format
allows it), using only numpy and the standard library so it runs unchanged in
Pyodide (Python 3.8, numpy 1.17) and on current CPython/numpy.

Every bad file (missing, truncated, garbage, pickles, wrong dtype, ragged CSV) and
every bad selection is a `SpecError` naming the file or URL; remote data is off
unless the caller enables it (`RemoteDataDisabled` lets callers fall back to
placeholder values).  Parsed arrays are memoised in a small bounded cache so a
`data_shape` followed by `load_data` parses a large CSV once.
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from ..errors import DEFAULT_LIMITS, Limits, SpecError, did_you_mean

FORMATS = ("npy", "npz", "csv", "safetensors")
_SUFFIXES = {".npy": "npy", ".npz": "npz", ".csv": "csv", ".safetensors": "safetensors"}
_DEFAULT_MAX_BYTES = 256 * 2**20
_URL_TIMEOUT = 20.0  # seconds; a docs build should fail, not hang, on a dead host
_MAX_ST_HEADER = 100 * 2**20  # the safetensors reference implementation's own cap
_CACHE_ENTRIES = 16
_CACHE_BYTES = 512 * 2**20
# Safetensors dtype -> little-endian numpy dtype of the stored bytes (BF16 and BOOL
# are read as raw integers and decoded in `_st_read`).
_ST_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "u1",
}  # fmt: skip


class RemoteDataDisabled(SpecError):
    """A `url` source was used while remote data is disabled (callers may fall back)."""

    def __reduce__(self):
        args = (self.message, self.hint, self.line, self.column, self.length, self.field)
        return (RemoteDataDisabled, args)


@dataclass(frozen=True)
class DataSource:
    """Where a leaf's values come from and which 2-D block of them to use."""

    path: Optional[str] = None
    url: Optional[str] = None
    key: Optional[str] = None
    slice: Optional[str] = None
    transpose: bool = False
    format: Optional[str] = None

    def __post_init__(self) -> None:
        if (self.path is None) == (self.url is None):
            raise SpecError(
                "data needs exactly one of `path` or `url`", hint="e.g. data: {path: weights.npy}"
            )
        if self.path is not None and not str(self.path).strip():
            raise SpecError("data `path` is empty", hint="e.g. data: {path: weights.npy}")
        if self.key is not None and not isinstance(self.key, str):
            raise SpecError(f"data `key` must be text, got {self.key!r}")
        if self.format is not None and _norm_format(self.format) not in FORMATS:
            raise SpecError(
                f"unknown data format {self.format!r}",
                hint=did_you_mean(_norm_format(self.format), FORMATS),
            )

    def describe(self) -> str:
        """Short text such as ``w.safetensors[layer.0.weight][0:32, :].T``."""
        text = str(self.path if self.path is not None else self.url)
        if self.key:
            text += f"[{self.key}]"
        if self.slice is not None and str(self.slice).strip():
            text += "[" + str(self.slice).strip().lstrip("[").rstrip("]").strip() + "]"
        return text + (".T" if self.transpose else "")


def _norm_format(fmt: str) -> str:
    return str(fmt).strip().lower().lstrip(".")


# --------------------------------------------------------------------------- slices

_INT = re.compile(r"\s*[+-]?\d+\s*\Z")


def parse_slice(text: str, ndim: int, shape: Optional[Sequence[int]] = None) -> tuple:
    """Parse numpy-style selection text (``"0:256, :"``, ``"[5, ..., ::2]"``).

    Returns an index tuple of ints, slices, ``Ellipsis`` and ``None`` (new axis)
    for an array of ``ndim`` dimensions.  With ``shape``, integer indices are
    checked against it.  Errors carry line 1 and the 1-based column in ``text``.
    """
    items = [(_parse_item(item, col), col) for item, col in _split_items(str(text))]
    _check_items(items, ndim, shape)
    return tuple(index for index, _ in items)


def _split_items(text: str) -> List[Tuple[str, int]]:
    """Comma-separated items, stripped, with the 1-based column where each starts."""
    lead = len(text) - len(text.lstrip())
    core = text.strip()
    body, offset = text, 0
    if core.startswith("["):
        if not core.endswith("]"):
            raise SpecError("unclosed '[' in slice", line=1, column=lead + 1)
        body, offset = core[1:-1], lead + 1
    elif core.endswith("]"):
        raise SpecError("unmatched ']' in slice", line=1, column=lead + len(core))
    if not body.strip():
        return []  # an empty selection means "all of it"
    items, pos = [], offset
    for part in body.split(","):
        items.append((part.strip(), pos + 1 + len(part) - len(part.lstrip())))
        pos += len(part) + 1
    if len(items) > 1 and not items[-1][0]:
        items.pop()  # numpy allows one trailing comma ("5,")
    return items


def _parse_item(word: str, col: int) -> Any:
    if not word:
        raise SpecError(
            "empty item in slice", hint="write ':' to keep a whole axis", line=1, column=col
        )
    if word == "...":
        return Ellipsis
    if word == "None":
        return None
    if ":" not in word:
        return _int(word, col)
    parts, bounds, pos = word.split(":"), [], col
    if len(parts) > 3:
        raise SpecError(
            f"too many ':' in slice item {word!r}", line=1, column=col, length=len(word)
        )
    for part in parts:
        bounds.append(_int(part, pos) if part.strip() else None)
        pos += len(part) + 1
    bounds += [None] * (3 - len(bounds))
    if bounds[2] == 0:
        raise SpecError(
            "slice step cannot be zero",
            hint="use 1 (or leave it out)",
            line=1,
            column=col,
            length=len(word),
        )
    return slice(*bounds)


def _int(word: str, col: int) -> int:
    if not _INT.match(word):
        raise SpecError(
            f"expected an integer in slice, got {word.strip()!r}",
            hint="items look like 5, -1, 0:32, ::2, : or ...",
            line=1,
            column=col + len(word) - len(word.lstrip()),
            length=len(word.strip()),
        )
    return int(word)


def _check_items(items: list, ndim: int, shape: Optional[Sequence[int]]) -> None:
    """Item count against ``ndim``; integer indices against ``shape``."""
    real = [(i, c) for i, c in items if i is not None and i is not Ellipsis]
    ellipses = [c for i, c in items if i is Ellipsis]
    if len(ellipses) > 1:
        raise SpecError("a slice can hold only one '...'", line=1, column=ellipses[1], length=3)
    if len(real) > ndim:
        raise SpecError(
            f"slice has {len(real)} items but the array has {ndim} dimension"
            + ("" if ndim == 1 else "s"),
            line=1,
            column=real[ndim][1],
        )
    axis = 0
    for index, col in items:
        if index is Ellipsis:
            axis += ndim - len(real)
        elif isinstance(index, int):
            size = shape[axis] if shape is not None else None
            if size is not None and not -size <= index < size:
                raise SpecError(
                    f"index {index} is out of range for axis {axis} of size {size}",
                    line=1,
                    column=col,
                )
            axis += 1
        elif index is not None:
            axis += 1


# --------------------------------------------------------------------------- cache

_cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every memoised array (tests, or after files changed in place)."""
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple, read: Callable[[], np.ndarray]) -> np.ndarray:
    """The array for ``key``, read once; stored read-only so callers cannot corrupt it."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    arr = read()
    arr.setflags(write=False)
    if arr.nbytes <= _CACHE_BYTES // 4:
        with _cache_lock:
            _cache[key] = arr
            while (
                len(_cache) > _CACHE_ENTRIES
                or sum(a.nbytes for a in _cache.values()) > _CACHE_BYTES
            ):
                _cache.popitem(last=False)
    return arr


# --------------------------------------------------------------------------- locating


class _Where(NamedTuple):
    label: str  # "data file 'w.npy'" / "data URL 'https://...'", for messages
    fmt: str
    path: Optional[str]  # absolute path, or None for a URL
    url: Optional[str]
    size: int  # file size (0 for URLs, known after download)
    cache_key: tuple


def _locate(src: DataSource, base_dir: Optional[str], allow_remote: bool) -> _Where:
    if src.url is not None:
        return _locate_url(src, allow_remote)
    label = f"data file {src.path!r}"
    base = os.path.abspath(base_dir if base_dir is not None else os.getcwd())
    full = os.path.normpath(os.path.join(base, str(src.path)))  # '..' allowed: authors' own repo
    if not os.path.exists(full):
        folder = os.path.dirname(full)
        hint = f"paths are relative to {base}"
        try:  # a near miss in the same folder ("w_q.npy" for "wq.npy") makes a better hint
            names = [n for n in os.listdir(folder) if os.path.splitext(n)[1].lower() in _SUFFIXES]
        except OSError:
            names = []
        close = did_you_mean(os.path.basename(full), names) if names else None
        hint = close + "; " + hint if close else hint
        raise SpecError(f"{label} not found (looked in {folder})", hint=hint)
    if not os.path.isfile(full):
        raise SpecError(f"{label} is not a regular file", hint="point `path` at a data file")
    fmt = _format_for(src, os.path.splitext(full)[1].lower(), label)
    st = os.stat(full)
    key = ("file", full, st.st_mtime_ns, st.st_size, src.key, fmt)
    return _Where(label, fmt, full, None, st.st_size, key)


def _locate_url(src: DataSource, allow_remote: bool) -> _Where:
    from urllib.parse import urlsplit

    url = str(src.url).strip()
    label = f"data URL {url!r}"
    if not allow_remote:
        raise RemoteDataDisabled(
            f"remote data is disabled: {label} was not fetched",
            hint="download the file next to the page and use `data: {path: ...}`, or enable remote data",
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed '[' in an IPv6 host
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SpecError(f"{label}: only http:// and https:// URLs are supported")
    suffix = os.path.splitext(parts.path)[1].lower()
    fmt = _format_for(src, suffix or ".csv", label)  # mm's URLs are headerless CSV
    return _Where(label, fmt, None, url, 0, ("url", url, src.key, fmt))


def _format_for(src: DataSource, suffix: str, label: str) -> str:
    fmt = _norm_format(src.format) if src.format is not None else _SUFFIXES.get(suffix)
    if fmt is None:
        raise SpecError(
            f"{label}: unknown file type {suffix or '(no suffix)'!r}",
            hint=f"supported formats: {', '.join(FORMATS)}; or set `format:`",
        )
    if src.key is not None and fmt not in ("npz", "safetensors"):
        # A key on a single-array file is a slip (wrong file?), not something to ignore.
        raise SpecError(f"{label}: `key` applies only to .npz and .safetensors files")
    return fmt


def _download(where: _Where, max_bytes: int) -> bytes:
    import http.client
    import urllib.error
    import urllib.request

    too_big = _too_big(where.label, max_bytes)
    request = urllib.request.Request(where.url, headers={"User-Agent": "mm-docs"})
    try:
        with urllib.request.urlopen(request, timeout=_URL_TIMEOUT) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise too_big
            chunks, total = [], 0
            while total <= max_bytes:  # chunked: never allocate max_bytes up front
                chunk = resp.read(min(2**20, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except SpecError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        raise SpecError(
            f"{where.label}: HTTP {exc.code} {exc.reason}", hint="check the URL in a browser"
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SpecError(f"{where.label} could not be fetched: {reason}") from None
    if len(data) > max_bytes:
        raise too_big
    return data


# --------------------------------------------------------------------------- formats


def _too_big(what: str, max_bytes: int) -> SpecError:
    return SpecError(
        f"{what} is larger than {max_bytes} bytes", hint="use a smaller file, or raise max_bytes"
    )


def _check_dtype(dtype: np.dtype, label: str) -> None:
    if dtype.hasobject:
        raise SpecError(
            f"{label} holds Python objects (a pickle); refused", hint="save plain numbers"
        )
    if dtype.kind not in "biuf" or dtype.fields is not None:
        raise SpecError(
            f"{label} holds {dtype} values; only real numbers are supported",
            hint="save float, int or bool values",
        )


def _count(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= int(d)  # Python ints: no overflow for absurd headers
    return n


def _npy_header(fp: BinaryIO, size: int, label: str) -> Tuple[tuple, np.dtype]:
    """Shape and dtype from a .npy header; checks the data fits in ``size`` bytes."""
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, _fortran, dtype = np.lib.format.read_array_header_1_0(fp)
    else:  # 2.0 and 3.0 share the layout; 3.0 only allows UTF-8 field names
        shape, _fortran, dtype = np.lib.format.read_array_header_2_0(fp)
    _check_dtype(dtype, label)
    if fp.tell() + _count(shape) * dtype.itemsize > size:
        raise SpecError(f"{label} is truncated (its header promises more data)")
    return tuple(shape), dtype


def _npy(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """A .npy file (or .npz member): its shape, or its array."""
    start = fp.tell()
    shape = _npy_header(fp, size, label)[0]
    if header_only:
        return shape
    if size > max_bytes:
        raise _too_big(label, max_bytes)
    fp.seek(start)
    return np.lib.format.read_array(fp, allow_pickle=False)


def _pick_key(names: Sequence[str], key: Optional[str], label: str, what: str) -> str:
    """The member ``key`` names, or the only one when ``key`` is not given."""
    listing = ", ".join(names[:8]) + (f", … ({len(names)} in all)" if len(names) > 8 else "")
    if key is None:
        if len(names) == 1:
            return names[0]
        if not names:
            raise SpecError(f"{label} holds no {what}s")
        raise SpecError(
            f"{label} holds {len(names)} {what}s; choose one with `key`",
            hint="it holds: " + listing,
        )
    if key not in names:
        close = did_you_mean(key, names) if names else None
        raise SpecError(f"{label} has no {what} {key!r}", hint=close or "it holds: " + listing)
    return key


def _npz(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """One .npy member of a zip: its header is read without inflating the rest."""
    with zipfile.ZipFile(fp) as zf:
        members = {i.filename[:-4]: i for i in zf.infolist() if i.filename.endswith(".npy")}
        if key is not None and key.endswith(".npy") and key not in members:
            key = key[:-4]
        info = members[_pick_key(sorted(members), key, label, "array")]
        with zf.open(info) as member:
            return _npy(member, info.file_size, None, label, max_bytes, header_only)


def _st_entry(
    fp: BinaryIO, size: int, key: Optional[str], label: str
) -> Tuple[str, tuple, int, int]:
    """(dtype, shape, absolute begin, end) of one tensor, from the JSON header only."""
    head = fp.read(8)
    if len(head) < 8:
        raise SpecError(f"{label} is truncated (no safetensors header)")
    (n,) = struct.unpack("<Q", head)
    if n > _MAX_ST_HEADER:
        raise SpecError(
            f"{label}: safetensors header of {n} bytes is too big",
            hint="is this a safetensors file?",
        )
    if 8 + n > size:
        raise SpecError(f"{label} is truncated (header runs past the end of the file)")
    try:
        header = json.loads(fp.read(n).decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        raise SpecError(f"{label}: safetensors header is not valid JSON") from None
    if not isinstance(header, dict):
        raise SpecError(f"{label}: safetensors header is not a JSON object")
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    name = _pick_key(sorted(tensors), key, label, "tensor")
    info, bad = tensors[name], f"{label}: tensor {name!r} has a bad header entry"
    if not isinstance(info, dict):
        raise SpecError(bad)
    dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
    if dtype not in _ST_DTYPES:
        raise SpecError(
            f"{label}: tensor {name!r} has unsupported dtype {dtype!r}",
            hint="supported: " + ", ".join(sorted(_ST_DTYPES)),
        )
    ints = (list, tuple)
    if not isinstance(shape, ints) or not all(type(d) is int and d >= 0 for d in shape):
        raise SpecError(bad + " (shape)")
    if (
        not isinstance(offsets, ints)
        or len(offsets) != 2
        or not all(type(o) is int for o in offsets)
    ):
        raise SpecError(bad + " (data_offsets)")
    begin, end = offsets
    if not 0 <= begin <= end <= size - 8 - n:
        raise SpecError(f"{label}: tensor {name!r} has data offsets out of range (truncated file?)")
    if end - begin != _count(shape) * np.dtype(_ST_DTYPES[dtype]).itemsize:
        raise SpecError(
            f"{label}: tensor {name!r} byte size does not match its shape {list(shape)}"
        )
    return dtype, tuple(shape), 8 + n + begin, 8 + n + end


def _safetensors(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    dtype, shape, begin, end = _st_entry(fp, size, key, label)
    if header_only:
        return shape
    if end - begin > max_bytes:
        raise _too_big(f"{label}: tensor", max_bytes)
    fp.seek(begin)  # read only this tensor's bytes, not the whole checkpoint
    buf = fp.read(end - begin)
    if len(buf) != end - begin:
        raise SpecError(f"{label} is truncated")
    raw = np.frombuffer(buf, dtype=_ST_DTYPES[dtype])
    if dtype == "BF16":  # bfloat16 is the top half of a float32
        raw = (raw.astype("<u4") << 16).view("<f4")
    elif dtype == "BOOL":
        raw = raw != 0
    return raw.reshape(shape)


def _csv(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """mm's headerless numpy-savetxt CSV, optionally with one header row (no cheap shape)."""
    if size > max_bytes:
        raise _too_big(label, max_bytes)
    return _csv_rows(fp.read(), label)


def _csv_rows(data: bytes, label: str) -> np.ndarray:
    if b"\0" in data:
        raise SpecError(
            f"{label} is not a text file", hint="CSV data is numbers separated by commas"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{label} is not UTF-8 text (bad byte at offset {exc.start})") from None
    rows: List[List[float]] = []
    width, first, seen = 0, 0, False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue  # savetxt's trailing newline, blank separator lines
        cells = line.split(",") if "," in line else line.split()
        try:
            values = list(map(float, cells))  # C-speed per row: 256x768 parses in ~0.1 s
        except ValueError:
            if not seen:  # a first row that is not all numbers is a header
                seen = True
                continue
            bad = next(i for i, c in enumerate(cells) if not _is_float(c))
            what = (
                "is empty"
                if not cells[bad].strip()
                else f"{cells[bad].strip()[:40]!r} is not a number"
            )
            raise SpecError(
                f"{label}, line {number}, cell {bad + 1}: {what}",
                hint="data files hold numbers only; a header may be the first line",
            ) from None
        seen = True
        if not rows:
            width, first = len(values), number
        elif len(values) != width:
            raise SpecError(
                f"{label}, line {number}: {len(values)} values, but line {first} has {width}",
                hint="every row of a matrix needs the same number of values",
            )
        rows.append(values)
    if not rows:
        raise SpecError(f"{label} holds no numeric rows")
    return np.array(rows, dtype=np.float32)


def _is_float(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- reading


def _guard(where: _Where, work: Callable[[], Any]) -> Any:
    """Run ``work``; any failure on untrusted bytes becomes a SpecError naming the file."""
    try:
        return work()
    except SpecError:
        raise
    except Exception as exc:
        raise SpecError(
            f"{where.label} could not be read as {where.fmt}: {exc}",
            hint=f"check that it is a valid .{where.fmt} file (or set `format:`)",
        ) from exc


def _with_file(where: _Where, max_bytes: int, use: Callable[[BinaryIO, int], Any]) -> Any:
    if where.url is not None:
        data = _download(where, max_bytes)
        return use(io.BytesIO(data), len(data))
    with open(where.path, "rb") as fp:
        return use(fp, where.size)


_READERS = {"npy": _npy, "npz": _npz, "safetensors": _safetensors, "csv": _csv}


def _read(where: _Where, key: Optional[str], max_bytes: int, header_only: bool) -> Any:
    def use(fp: BinaryIO, size: int) -> Any:
        return _READERS[where.fmt](fp, size, key, where.label, max_bytes, header_only)

    return _guard(where, lambda: _with_file(where, max_bytes, use))


def _raw_array(where: _Where, key: Optional[str], max_bytes: int) -> np.ndarray:
    """The whole stored array (memoised), before slicing and conversion."""
    return _cached(where.cache_key, lambda: _read(where, key, max_bytes, False))


def _raw_shape(where: _Where, key: Optional[str], max_bytes: int) -> tuple:
    """The stored shape, from headers alone where the format has them."""
    if where.url is not None or where.fmt == "csv":  # no header: parse (and cache) it all
        return _raw_array(where, key, max_bytes).shape
    return tuple(_read(where, key, max_bytes, True))


def _select(arr: np.ndarray, src: DataSource, where: _Where, limits: Limits) -> np.ndarray:
    """Apply slice, check 2-D and limits, transpose; returns a view."""
    text = "" if src.slice is None else str(src.slice)
    try:
        index = parse_slice(text, arr.ndim, arr.shape)
    except SpecError as exc:
        raise SpecError(
            f"{where.label}, slice {text!r}: {exc.message}",
            exc.hint,
            exc.line,
            exc.column,
            exc.length,
        ) from None
    block = arr[index]
    if block.ndim != 2:
        if arr.ndim == 1:
            hint = "a 1-D array becomes a row with slice 'None, :' or a column with ':, None'"
        elif block.ndim < 2:
            hint = "keep two axes as ranges, e.g. ':' instead of an index"
        else:
            example = ", ".join(["0"] * (arr.ndim - 2) + [":", ":"])
            hint = f"select a 2-D block, e.g. slice: '{example}'"
        raise SpecError(
            f"{where.label}: selection has shape {block.shape}; a matrix needs 2 dimensions",
            hint=hint,
        )
    rows, cols = block.shape
    if rows == 0 or cols == 0:
        raise SpecError(
            f"{where.label}: selection is empty ({rows} x {cols})", hint="check the slice bounds"
        )
    if max(rows, cols) > limits.max_dim:
        raise SpecError(
            f"{where.label}: {rows} x {cols} is above the max_dim limit of {limits.max_dim}",
            hint="slice a smaller block, or raise the max_dim limit",
        )
    if rows * cols > limits.max_elements:
        raise SpecError(
            f"{where.label}: {rows} x {cols} = {rows * cols} values is above the"
            f" max_elements limit of {limits.max_elements}",
            hint="slice a smaller block, or raise the max_elements limit",
        )
    return block.T if src.transpose else block


def load_data(
    src: DataSource,
    base_dir: Optional[str] = None,
    *,
    allow_remote: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    max_bytes: int = _DEFAULT_MAX_BYTES,
) -> np.ndarray:
    """The 2-D float32, C-contiguous (and writable, never shared) block ``src`` names.

    ``base_dir`` is where relative paths start (default: the current directory);
    ``max_bytes`` caps the bytes read for one array (file, member, tensor or download).
    """
    where = _locate(src, base_dir, allow_remote)
    block = _select(_raw_array(where, src.key, max_bytes), src, where, limits)
    return np.array(block, dtype=np.float32, order="C")  # always a copy: the cache stays intact


def data_shape(
    src: DataSource,
    base_dir: Optional[str] = None,
    *,
    allow_remote: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    max_bytes: int = _DEFAULT_MAX_BYTES,
) -> Tuple[int, int]:
    """The (rows, cols) `load_data` would return, reading headers only where possible."""
    where = _locate(src, base_dir, allow_remote)
    shape = _raw_shape(where, src.key, max_bytes)
    # A zero-stride stand-in of the stored shape runs the same selection code as the data.
    dummy = np.broadcast_to(np.zeros((), dtype=np.uint8), shape)
    rows, cols = _select(dummy, src, where, limits).shape
    return int(rows), int(cols)
