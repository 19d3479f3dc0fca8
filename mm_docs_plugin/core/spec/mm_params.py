"""mm's state (``params``): its names for our settings, and its two URL forms.

mm keeps its whole state in one ``params`` object, carried in a URL as

- ``?params=<JSON>`` (the JSON form), or
- the compressed numbered-key form: ``?0=L+%40+R&3.5=32&…&expr=0&left=3&h=5…``,
  where each value key ``C.L`` names a container path and a leaf key through
  a dictionary appended to the query (mm-reference.md §3.3).

`mm_params_from_url` reads either form into the params object; nothing in a link
is executed.  The tables map mm's names to ours both ways (import and export).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple
from urllib.parse import parse_qsl, urlsplit

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..language import epilog as ep
from ..language import json_text

MM_APP = "https://bhosmer.github.io/mm/index.html"

# mm init name -> ours (url and expr are handled on their own)
INIT_FROM_MM = {
    "rows": "rows",
    "cols": "cols",
    "row major": "row_major",
    "col major": "col_major",
    "pt linear": "pt_linear",
    "uniform": "uniform",
    "gaussian": "gaussian",
    "tril mask": "tril",
    "triu mask": "triu",
    "eye": "eye",
    "diff": "diff",
}
INIT_TO_MM = {v: k for k, v in INIT_FROM_MM.items()}
# Inits mm applies dropout to (it ignores dropout for masks, url and expr).
MM_DROPOUT_INITS = ("rows", "cols", "row_major", "col_major", "pt_linear", "uniform", "gaussian")

ALG_FROM_MM = {
    "none": "none",
    "dotprod (row major)": "dotprod_row_major",
    "dotprod (col major)": "dotprod_col_major",
    "axpy": "axpy",
    "mvprod": "mvprod",
    "vmprod": "vmprod",
    "vvprod": "vvprod",
    "inherit": "inherit",
}
ALG_TO_MM = {v: k for k, v in ALG_FROM_MM.items()}

# mm's epilog menu; each parses with our epilog language once mapped.
MM_EPILOGS = {
    "none": "none",
    "relu": "relu(x)",
    "gelu": "gelu(x)",
    "sigmoid": "sigmoid(x)",
    "silu": "silu(x)",
    "tanh": "tanh(x)",
    "layernorm": "layernorm_matrix(x)",  # mm's layernorm is matrix-wide
    "softmax": "softmax(x)",
    "softmax(x/sqrt(k))": "softmax(x / sqrt(k))",
    "softmax(tril(x/sqrt(k)))": "softmax(tril(x / sqrt(k)))",
    "softmax(tril(x/8))": "softmax(tril(x / 8))",
    "x/k": "x / k",
    "x/sqrt(k)": "x / sqrt(k)",
    "x**2": "square(x)",
}
EPILOG_TO_MM = {ep.parse_epilog(ours): mm for mm, ours in MM_EPILOGS.items()}

# The JS type of each mm key in mm's default params: how the compressed form is cast.
_MM_BOOL = {"matmul", "hide inputs", "shape", "interior spotlight", "axes", "compress"}
_MM_NUMBER = {
    "h", "w", "min", "max", "dropout", "speed", "spin", "i blocks", "j blocks", "k blocks",
    "gap", "scatter", "molecule", "blast", "legends", "spotlight", "row guides", "flow guides",
    "lens size", "magnification", "min size", "min light", "max light", "elem scale",
    "zero hue", "hue gap", "hue spread", "x", "y", "z",
}  # fmt: skip

IDENTIFIER = re.compile(r"[^\W\d]\w*\Z")
_VALUE_KEY = re.compile(r"\d+(\.\d+)?\Z")


# ---------------------------------------------------------------- URL forms


def mm_params_from_url(
    url: str, limits: Limits = DEFAULT_LIMITS, *, _inside_ref: bool = False
) -> Dict[str, Any]:
    """mm's params object from either URL form (or a JSON text, or ref.html's ?mm=)."""
    if not isinstance(url, str):
        raise SpecError("an mm link is text", field="from_mm")
    url = url.strip()
    if len(url) > limits.max_url:
        raise SpecError(
            "the mm link is %d characters long; the limit is %d" % (len(url), limits.max_url),
            "check that only one link was pasted",
            field="from_mm",
        )
    if url.startswith("{"):
        return _json_params(url)
    query = urlsplit(url).query if "?" in url or "://" in url else url
    pairs = parse_qsl(query, keep_blank_values=True)
    keys = [k for k, _ in pairs]
    if keys == ["params"]:
        return _json_params(pairs[0][1])
    if "mm" in keys:  # ref.html?mm=<inner query>&doc=...
        if _inside_ref:  # ref.html wraps one mm query, never another ref.html link
            raise SpecError(
                "the mm link nests a ref.html?mm= link inside another",
                "copy the link from mm's own page (index.html?...)",
                field="from_mm",
            )
        return mm_params_from_url(dict(pairs)["mm"], limits, _inside_ref=True)
    if "config" in keys:
        raise SpecError(
            "mm's config= links load their state from another site",
            "open the link in mm, then copy the link it shows (params=...)",
            field="from_mm",
        )
    if "params" in keys:
        raise SpecError(
            "the mm link has params= and other query keys (%s)"
            % ", ".join(k for k in keys if k != "params"),
            "remove the extra keys (mm itself would misread them)",
            field="from_mm",
        )
    if not pairs:
        raise SpecError(
            "the mm link carries no state",
            "copy the link from mm's address bar after changing something",
            field="from_mm",
        )
    return _compressed_params(pairs)


def _json_params(text: str) -> Dict[str, Any]:
    params = json_text.loads(text, "the mm link's params=", "from_mm", hint="copy the whole link")
    if not isinstance(params, dict):
        raise SpecError("the mm link's params= is not an object", field="from_mm")
    return params


def _compressed_params(pairs: List[Tuple[str, str]]) -> Dict[str, Any]:
    names: Dict[str, str] = {}
    values: List[Tuple[str, str]] = []
    for key, value in pairs:
        if _VALUE_KEY.match(key):
            values.append((key, value))
        else:
            names[value] = key
    flat: Dict[str, Any] = dict(_flatten(MM_DEFAULTS))
    for key, value in values:
        parts = key.split(".")
        try:
            words = [names[p] for p in parts]
        except KeyError as e:
            raise SpecError(
                "the mm link uses key number %s but does not define it" % e.args[0],
                "the link was probably cut short; copy it again",
                field="from_mm",
            ) from None
        leaf = words[-1]
        flat[".".join(words)] = _cast(leaf, value)
    return _unflatten(flat)


def _cast(key: str, value: str) -> Any:
    if key in _MM_BOOL:
        return value == "true"
    if key in _MM_NUMBER:
        try:
            return float(value) if value.strip() else 0.0
        except ValueError:
            raise SpecError(
                "the mm link gives %s = %r, which is not a number" % (key, value), field="from_mm"
            ) from None
    return value


def _flatten(obj: Dict[str, Any], prefix: str = ""):
    for key, value in obj.items():
        path = prefix + key
        if isinstance(value, dict):
            yield from _flatten(value, path + ".")
        else:
            yield path, value


def _unflatten(flat: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        *heads, last = path.split(".")
        for head in heads:
            child = node.get(head)
            if not isinstance(child, dict):
                child = node[head] = {}
            node = child
        node[last] = value
    return out


# mm's default state (index.html), which the compressed form is merged into.
MM_DEFAULTS: Dict[str, Any] = {
    "expr": "L @ R",
    "name": "L @ R",
    "epilog": "none",
    "left": {"name": "L", "matmul": False, "h": 32, "w": 32, "init": "row major", "url": "", "min": -1, "max": 1, "dropout": 0},
    "right": {"name": "R", "matmul": False, "h": 32, "w": 32, "init": "col major", "url": "", "min": -1, "max": 1, "dropout": 0},
    "anim": {"fuse": "none", "speed": 20, "hide inputs": False, "alg": "none", "spin": 0},
    "block": {"i blocks": 1, "k blocks": 1, "j blocks": 1},
    "layout": {"scheme": "blocks", "gap": 4, "scatter": 0, "molecule": 1, "blast": 0, "polarity": "negative",
               "left placement": "left", "right placement": "top", "result placement": "front"},
    "deco": {"legends": 6, "shape": True, "spotlight": 2, "row guides": 0.6, "flow guides": 0.5,
             "lens size": 0.5, "magnification": 7, "interior spotlight": False, "axes": False},
    "viz": {"sensitivity": "global", "min size": 0.2, "min light": 0.4, "max light": 0.7,
            "elem scale": 1.25, "zero hue": 0.77, "hue gap": 0.74, "hue spread": 0.04},
    "cam": {"x": -48, "y": 48, "z": 48, "target": {"x": 0, "y": 0, "z": 0}},
}  # fmt: skip
