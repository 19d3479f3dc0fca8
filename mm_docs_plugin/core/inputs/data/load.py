"""Locating, reading (memoised) and selecting a data source's 2-D block.

Parsed arrays are kept in a small bounded cache, so a `data_shape` followed by
`load_data` parses a large CSV once.
"""

from __future__ import annotations

import io
import os
import threading
from collections import OrderedDict
from typing import Any, BinaryIO, Callable, NamedTuple, Optional, Tuple

import numpy as np

from ...errors import DEFAULT_LIMITS, Limits, SpecError, did_you_mean
from .readers import read_csv, read_npy, read_npz, read_safetensors, too_big
from .slices import parse_slice
from .source import FORMATS, SUFFIXES, DataSource, RemoteDataDisabled, norm_format

_DEFAULT_MAX_BYTES = 256 * 2**20
_URL_TIMEOUT = 20.0  # seconds; a docs build should fail, not hang, on a dead host
_CACHE_ENTRIES = 16
_CACHE_BYTES = 512 * 2**20

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
            names = [n for n in os.listdir(folder) if os.path.splitext(n)[1].lower() in SUFFIXES]
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
    fmt = norm_format(src.format) if src.format is not None else SUFFIXES.get(suffix)
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

    refused = too_big(where.label, max_bytes)
    request = urllib.request.Request(where.url, headers={"User-Agent": "mm-docs"})
    try:
        with urllib.request.urlopen(request, timeout=_URL_TIMEOUT) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise refused
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
        raise refused
    return data


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


_READERS = {"npy": read_npy, "npz": read_npz, "safetensors": read_safetensors, "csv": read_csv}


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
