"""The settings sections of a spec, declared once.

Each section (``anim``, ``blocks``, ``layout``, ``deco``, ``colors``,
``camera``) is a `Schema`: a table of `Field` s with type, default, range and
a one-line doc, and the name mm gives the same parameter (for mm-link import
and export).  Validation, defaults, error hints, the reference docs and the mm
mapping all read these tables, so a setting is declared in exactly one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

from ..errors import SpecError, did_you_mean
from .fence_yaml import YNode

ALGS = (
    "none",
    "dotprod_row_major",
    "dotprod_col_major",
    "axpy",
    "mvprod",
    "vmprod",
    "vvprod",
)
CHILD_ALGS = ALGS + ("inherit",)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "int" | "float" | "bool" | "str" | "choice" | "vec3"
    default: Any
    doc: str
    lo: Optional[float] = None
    hi: Optional[float] = None
    choices: Tuple[str, ...] = ()
    nullable: bool = False
    mm: Optional[str] = None  # mm's key for this parameter, if it has one


class Settings(Mapping):
    """An immutable, fully defaulted section; read as ``anim.alg`` or ``anim["alg"]``.

    ``given`` holds the names the author set, so `to_dict` can write back only
    what differs from the defaults.
    """

    def __init__(self, schema: Schema, values: Dict[str, Any], given=()) -> None:
        object.__setattr__(self, "_schema", schema)
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "given", frozenset(given))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("settings are immutable")

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def __repr__(self) -> str:
        return "%s(%s)" % (
            self._schema.name,
            ", ".join("%s=%r" % kv for kv in self.to_dict().items()),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The values that differ from the defaults (lists for vectors)."""
        out = {}
        for f in self._schema.fields:
            v = self._values[f.name]
            if v != f.default:
                out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    def replace(self, **changes: Any) -> Settings:
        values = dict(self._values)
        values.update(changes)
        return Settings(self._schema, values, self.given | set(changes))


class Schema:
    """A named table of fields; `validate` turns a YAML mapping into Settings."""

    def __init__(self, name: str, doc: str, fields, shorthand: Optional[str] = None) -> None:
        self.name = name
        self.doc = doc
        self.fields = tuple(fields)
        self.by_name = {f.name: f for f in self.fields}
        self.shorthand = shorthand  # field that a bare scalar sets: `anim: vmprod`

    def defaults(self) -> Settings:
        return Settings(self, {f.name: f.default for f in self.fields})

    def validate(self, node: YNode, path: str, base: Optional[Settings] = None) -> Settings:
        """Check ``node`` (a mapping, or a scalar for the shorthand field) over ``base``."""
        base = base or self.defaults()
        if self.shorthand and node.is_scalar() and node.value is not None:
            value = check_value(self.by_name[self.shorthand], node, path)
            return base.replace(**{self.shorthand: value})
        if node.value is None:
            return base
        if not node.is_map():
            raise type_error(
                node,
                path,
                "a mapping",
                "e.g. %s: {%s: ...}" % (path.split(".")[-1], self.fields[0].name),
            )
        changes = {}
        for key, child in node.value.items():
            f = self.by_name.get(key)
            if f is None:
                raise unknown_key(node, key, path, list(self.by_name))
            changes[key] = check_value(f, child, path + "." + key)
        return base.replace(**changes)


# ---------------------------------------------------------------- value checks


def where(node: YNode, path: str):
    return {"line": node.line, "column": node.column, "field": path}


def type_error(node: YNode, path: str, expected: str, hint: str) -> SpecError:
    shown = node.value if node.is_scalar() else ("a list" if node.is_seq() else "a mapping")
    return SpecError(
        "%s must be %s, not %s" % (path, expected, _show(shown)), hint, **where(node, path)
    )


def _show(value: Any) -> str:
    if isinstance(value, str) and value.startswith("a "):
        return value
    return repr(value)


def key_where(node: YNode, key: str) -> Tuple[Optional[int], Optional[int]]:
    """(line, column) of ``key`` in the mapping ``node`` (None, None without positions)."""
    return (node.key_pos or {}).get(key, (node.line, node.column))


def unknown_key(node: YNode, key: str, path: str, known) -> SpecError:
    line, col = key_where(node, key)
    return SpecError(
        "unknown key %r in %s" % (key, path or "the spec"),
        did_you_mean(key, known),
        line,
        col,
        len(key),
        (path + "." + key) if path else key,
    )


def check_value(f: Field, node: YNode, path: str) -> Any:
    v = node.value
    if v is None and f.nullable:
        return None
    k = f.kind
    if k == "bool":
        if not isinstance(v, bool):
            raise type_error(node, path, "true or false", f.doc)
        return v
    if k == "choice":
        if not isinstance(v, str) or v not in f.choices:
            raise SpecError(
                "%s must be one of %s, not %s" % (path, ", ".join(f.choices), _show(v)),
                did_you_mean(str(v), f.choices) if isinstance(v, str) else None,
                **where(node, path),
            )
        return v
    if k == "str":
        if not isinstance(v, str):
            raise type_error(node, path, "text", f.doc)
        if f.hi is not None and len(v) > f.hi:
            raise SpecError(
                "%s is %d characters long; the limit is %d" % (path, len(v), f.hi),
                "shorten it",
                **where(node, path),
            )
        return v
    if k == "vec3":
        if not node.is_seq() or len(v) != 3 or not all(_is_number(c.value) for c in v):
            raise type_error(node, path, "a list of three numbers", "e.g. [-48, 48, 48]")
        return tuple(float(c.value) for c in v)
    if k in ("int", "float"):
        if not _is_number(v) or (k == "int" and not float(v).is_integer()):
            expected = "a whole number" if k == "int" else "a number"
            raise type_error(node, path, expected, _range_text(f))
        value = int(v) if k == "int" else float(v)
        if (f.lo is not None and value < f.lo) or (f.hi is not None and value > f.hi):
            raise SpecError(
                "%s = %s is out of range" % (path, _show(v)), _range_text(f), **where(node, path)
            )
        return value
    raise AssertionError("unknown field kind %r" % k)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _range_text(f: Field) -> str:
    if f.lo is not None and f.hi is not None:
        return "%s is between %s and %s (default %s)" % (f.name, _n(f.lo), _n(f.hi), f.default)
    if f.lo is not None:
        return "%s is at least %s (default %s)" % (f.name, _n(f.lo), f.default)
    return f.doc


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# ---------------------------------------------------------------- the sections

ANIM = Schema(
    "anim",
    "Animation of the matmuls: which decomposition plays, how fast, how chains join.",
    [
        Field("alg", "choice", "none", "algorithm to animate", choices=ALGS, mm="alg"),
        Field("speed", "int", 20, "steps per second, at most", lo=1, hi=100, mm="speed"),
        Field(
            "fuse",
            "choice",
            "none",
            "run a parent in step with its children when their planes line up",
            choices=("none", "sync", "async"),
            mm="fuse",
        ),
        Field(
            "hide_inputs", "bool", False, "hide input matrices while animating", mm="hide inputs"
        ),
        Field(
            "spin",
            "float",
            0.0,
            "turn the camera about the vertical axis",
            lo=-10,
            hi=10,
            mm="spin",
        ),
    ],
    shorthand="alg",
)
# A child matmul's own animation: only the algorithm, which may inherit.
NODE_ANIM = Schema(
    "anim",
    "Animation algorithm of this matmul and its subtree.",
    [Field("alg", "choice", "inherit", "algorithm for this subtree", choices=CHILD_ALGS, mm="alg")],
    shorthand="alg",
)

BLOCKS = Schema(
    "blocks",
    "Partitions of a matmul along i (rows), j (columns) and k (depth), for parallelism.",
    [
        Field("i", "int", 1, "blocks along i", lo=1, hi=256, mm="i blocks"),
        Field("j", "int", 1, "blocks along j", lo=1, hi=256, mm="j blocks"),
        Field("k", "int", 1, "blocks along k", lo=1, hi=256, mm="k blocks"),
    ],
)

_PLACEMENT = [
    Field(
        "polarity",
        "choice",
        "negative",
        "which way the argument faces point",
        choices=("negative", "positive"),
        mm="polarity",
    ),
    Field(
        "left_placement",
        "choice",
        "left",
        "face holding the left argument",
        choices=("left", "right"),
        mm="left placement",
    ),
    Field(
        "right_placement",
        "choice",
        "top",
        "face holding the right argument",
        choices=("top", "bottom"),
        mm="right placement",
    ),
    Field(
        "result_placement",
        "choice",
        "front",
        "face holding the result",
        choices=("front", "back"),
        mm="result placement",
    ),
]

LAYOUT = Schema(
    "layout",
    "Where the cubes sit: the scheme that places children, spacing, and the root's faces.",
    [
        Field(
            "scheme",
            "choice",
            "blocks",
            "rule placing each child from its parent",
            choices=("blocks", "zigzag", "wheel", "custom"),
            mm="scheme",
        ),
        Field(
            "gap",
            "float",
            4.0,
            "space between faces and between blocks, in elements",
            lo=0,
            hi=64,
            mm="gap",
        ),
        Field(
            "scatter",
            "float",
            0.0,
            "extra distance of child matmuls from their parent",
            lo=0,
            hi=128,
            mm="scatter",
        ),
        Field(
            "molecule",
            "int",
            1,
            "scatter only children with at least this many matmuls",
            lo=1,
            hi=8,
            mm="molecule",
        ),
        Field("blast", "float", 0.0, "scatter multiplier exponent", lo=-2, hi=2, mm="blast"),
    ]
    + _PLACEMENT,
)
# A child matmul's placement (used when layout.scheme is custom).
NODE_LAYOUT = Schema("layout", "Faces of this matmul's cube (scheme custom).", _PLACEMENT)

DECO = Schema(
    "deco",
    "Decoration: legends, guides, the magnifying lens.",
    [
        Field(
            "legends",
            "float",
            6.0,
            "size of name and shape labels (0 hides them)",
            lo=0,
            hi=10,
            mm="legends",
        ),
        Field("shape", "bool", True, "show dimension legends (I = 256 / 8)", mm="shape"),
        Field(
            "spotlight",
            "float",
            2.0,
            "radius of value labels around the lens",
            lo=0,
            hi=10,
            mm="spotlight",
        ),
        Field(
            "row_guides", "float", 0.6, "brightness of row guide lines", lo=0, hi=1, mm="row guides"
        ),
        Field(
            "flow_guides",
            "float",
            0.5,
            "size of the flow arrow in each cube",
            lo=0,
            hi=1,
            mm="flow guides",
        ),
        Field(
            "lens_size",
            "float",
            0.5,
            "lens size, as a fraction of the figure height",
            lo=0,
            hi=1,
            mm="lens size",
        ),
        Field("magnification", "float", 7.0, "lens zoom", lo=1, hi=25, mm="magnification"),
        Field(
            "interior_spotlight",
            "bool",
            False,
            "also label animation planes",
            mm="interior spotlight",
        ),
        Field("axes", "bool", False, "draw x/y/z axes", mm="axes"),
    ],
)

COLORS = Schema(
    "colors",
    "How values map to colour and size (mm's 'colors and sizes').",
    [
        Field(
            "sensitivity",
            "choice",
            "global",
            "range used to normalise |x|",
            choices=("global", "semilocal", "local", "superlocal"),
            mm="sensitivity",
        ),
        Field("min_size", "float", 0.2, "size of the smallest |x|", lo=0, hi=1, mm="min size"),
        Field(
            "min_light", "float", 0.4, "lightness of the smallest |x|", lo=0, hi=1, mm="min light"
        ),
        Field(
            "max_light", "float", 0.7, "lightness of the largest |x|", lo=0, hi=1, mm="max light"
        ),
        Field("elem_scale", "float", 1.25, "element size factor", lo=0.1, hi=2, mm="elem scale"),
        Field("zero_hue", "float", 0.77, "centre hue", lo=0, hi=1, mm="zero hue"),
        Field("hue_gap", "float", 0.74, "hue offset by sign", lo=0, hi=1, mm="hue gap"),
        Field(
            "hue_spread",
            "float",
            0.04,
            "hue change with the signed value",
            lo=0,
            hi=1,
            mm="hue spread",
        ),
    ],
)

CAMERA = Schema(
    "camera",
    "Initial view; leave out to frame the whole figure.",
    [
        Field("position", "vec3", None, "camera position [x, y, z]", nullable=True),
        Field("target", "vec3", None, "point looked at [x, y, z]", nullable=True),
    ],
)

SECTIONS = {s.name: s for s in (ANIM, BLOCKS, LAYOUT, DECO, COLORS, CAMERA)}
