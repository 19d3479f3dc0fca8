"""The ``data:`` key of an input: where its values come from, read from the fence's YAML."""

from __future__ import annotations

from typing import Any, Dict

from ..errors import SpecError
from ..inputs.data import DataSource
from ..language import schema as sc
from ..language.fence_yaml import YNode
from .spec import DATA_KEYS


def read_data(node: YNode, path: str) -> DataSource:
    """A leaf's ``data:``: a path, or a mapping of `DATA_KEYS`, checked at its position."""
    if isinstance(node.value, str):
        return DataSource(path=node.value)
    if not node.is_map():
        raise sc.type_error(
            node,
            path,
            "a file path or a mapping",
            "e.g. data: weights/wq.npy, or data: {path: w.safetensors, key: ...}",
        )
    kw: Dict[str, Any] = {}
    for key, child in node.value.items():
        if key not in DATA_KEYS:
            raise sc.unknown_key(node, key, path, DATA_KEYS)
        if key == "transpose":
            kw[key] = sc.check_value(
                sc.Field(key, "bool", False, "transpose after slicing"), child, path + "." + key
            )
        elif key == "format":
            kw[key] = sc.check_value(
                sc.Field(key, "choice", None, "", choices=("npy", "npz", "csv", "safetensors")),
                child,
                path + "." + key,
            )
        else:
            kw[key] = sc.check_value(
                sc.Field(key, "str", None, "", hi=4096), child, path + "." + key
            )
    if ("path" in kw) == ("url" in kw):
        raise SpecError(
            "%s needs exactly one of path or url" % path,
            "e.g. data: {path: weights.npz, key: wq}",
            **sc.where(node, path),
        )
    return DataSource(**kw)
