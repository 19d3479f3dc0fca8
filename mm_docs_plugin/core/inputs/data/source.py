"""What a leaf's ``data:`` names: a file or URL, a key, a slice, a transpose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...errors import SpecError, did_you_mean

FORMATS = ("npy", "npz", "csv", "safetensors")
SUFFIXES = {".npy": "npy", ".npz": "npz", ".csv": "csv", ".safetensors": "safetensors"}


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
        if self.format is not None and norm_format(self.format) not in FORMATS:
            raise SpecError(
                f"unknown data format {self.format!r}",
                hint=did_you_mean(norm_format(self.format), FORMATS),
            )

    def describe(self) -> str:
        """Short text such as ``w.safetensors[layer.0.weight][0:32, :].T``."""
        text = str(self.path if self.path is not None else self.url)
        if self.key:
            text += f"[{self.key}]"
        if self.slice is not None and str(self.slice).strip():
            text += "[" + str(self.slice).strip().lstrip("[").rstrip("]").strip() + "]"
        return text + (".T" if self.transpose else "")


def norm_format(fmt: str) -> str:
    return str(fmt).strip().lower().lstrip(".")
