"""Readers of the stored formats: .npy, .npz, .safetensors and .csv.

Each reads from an open binary file of known size, never unpickles, checks dtypes
and sizes before allocating, and can stop after the header (``header_only``) where
the format has one.  Failures are `SpecError` s naming the file.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any, BinaryIO, List, Optional, Sequence, Tuple

import numpy as np

from ...errors import SpecError, did_you_mean
from ...language import json_text

_MAX_ST_HEADER = 100 * 2**20  # the safetensors reference implementation's own cap
# Safetensors dtype -> little-endian numpy dtype of the stored bytes (BF16 and BOOL
# are read as raw integers and decoded in `_st_read`).
_ST_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "u1",
}  # fmt: skip


# --------------------------------------------------------------------------- formats


def too_big(what: str, max_bytes: int) -> SpecError:
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


# A .npy header is a short Python-literal dict; numpy writes a few hundred bytes. The
# declared length is checked before reading it: a 16-byte file may declare 4 GiB.
_MAX_NPY_HEADER = 65536


def _npy_header(fp: BinaryIO, size: int, label: str) -> Tuple[tuple, np.dtype]:
    """Shape and dtype from a .npy header; checks the data fits in ``size`` bytes."""
    start = fp.tell()
    prefix = fp.read(8)
    if len(prefix) < 8 or prefix[:6] != b"\x93NUMPY":
        raise SpecError(f"{label} is not a .npy file (no NUMPY magic)", hint="check the file")
    version = (prefix[6], prefix[7])
    if version not in ((1, 0), (2, 0), (3, 0)):
        raise SpecError(
            f"{label} is a .npy file of version {version[0]}.{version[1]}, which is not supported",
            hint="save it with numpy.save (versions 1.0 to 3.0)",
        )
    width = 2 if version == (1, 0) else 4
    raw = fp.read(width)
    length = struct.unpack("<H" if width == 2 else "<I", raw)[0] if len(raw) == width else -1
    if length < 0 or length > _MAX_NPY_HEADER or start + 8 + width + length > size:
        raise SpecError(
            f"{label} declares a .npy header of {length} bytes"
            + ("" if length < 0 or length > _MAX_NPY_HEADER else " past the end of the file"),
            hint="the file is damaged or not a .npy file",
        )
    # numpy parses the header from exactly these bytes: it cannot read past them.
    header = io.BytesIO(prefix + raw + fp.read(length))
    header.seek(8)
    read = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, _fortran, dtype = read(header)
    if any(int(d) < 0 for d in shape):
        raise SpecError(
            f"{label} declares a negative shape {tuple(shape)}", hint="the file is damaged"
        )
    _check_dtype(dtype, label)
    if fp.tell() + _count(shape) * dtype.itemsize > size:
        raise SpecError(f"{label} is truncated (its header promises more data)")
    return tuple(shape), dtype


def read_npy(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """A .npy file (or .npz member): its shape, or its array."""
    start = fp.tell()
    shape = _npy_header(fp, size, label)[0]
    if header_only:
        return shape
    if size > max_bytes:
        raise too_big(label, max_bytes)
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


def read_npz(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """One .npy member of a zip: its header is read without inflating the rest."""
    with zipfile.ZipFile(fp) as zf:
        members = {i.filename[:-4]: i for i in zf.infolist() if i.filename.endswith(".npy")}
        if key is not None and key.endswith(".npy") and key not in members:
            key = key[:-4]
        info = members[_pick_key(sorted(members), key, label, "array")]
        with zf.open(info) as member:
            return read_npy(member, info.file_size, None, label, max_bytes, header_only)


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
        text = fp.read(n).decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{label}: safetensors header is not valid JSON") from None
    header = json_text.loads(
        text, f"{label}: safetensors header", hint="is this a safetensors file?"
    )
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


def read_safetensors(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    dtype, shape, begin, end = _st_entry(fp, size, key, label)
    if header_only:
        return shape
    if end - begin > max_bytes:
        raise too_big(f"{label}: tensor", max_bytes)
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


def read_csv(
    fp: BinaryIO, size: int, key: Optional[str], label: str, max_bytes: int, header_only: bool
) -> Any:
    """mm's headerless numpy-savetxt CSV, optionally with one header row (no cheap shape)."""
    if size > max_bytes:
        raise too_big(label, max_bytes)
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
