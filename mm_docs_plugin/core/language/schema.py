"""Typed settings: `Field`, `Schema` (a table of fields) and `Settings` (its values).

A `Field` has a type, a default, a range or choices, a one-line doc and the name mm
gives the same parameter.  `Schema.validate` turns a positioned YAML mapping into
immutable, fully defaulted `Settings`, with errors at the offending key or value.
The spec's sections are declared with these in `spec.sections`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

from ..errors import SpecError, did_you_mean
from .fence_yaml import YNode


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

    def given_dict(self) -> Dict[str, Any]:
        """The values the author set, defaults included (lists for vectors)."""
        return {
            f.name: list(self[f.name]) if isinstance(self[f.name], tuple) else self[f.name]
            for f in self._schema.fields
            if f.name in self.given
        }

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
