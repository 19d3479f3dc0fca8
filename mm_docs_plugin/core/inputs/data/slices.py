"""The ``slice:`` of a data source: numpy-style text such as ``"0, :32, None"``,
parsed (never evaluated) and checked against the stored shape."""

from __future__ import annotations

import re
from typing import Any, List, Optional, Sequence, Tuple

from ...errors import SpecError

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
