"""mm's params as our spec's plain data: the import half of mm links.

mm's tree is authoritative (its ``expr`` is regenerated from the tree), so the
importer walks the tree: matmul nodes become ``@`` with ``name = `` where mm's
name is not just the node's own text, epilogs are written into the expression,
JavaScript element expressions are translated (`elemexpr.from_js`), ``url``
inits become remote data sources, and the sections map field by field through
the ``mm`` names in `schema`.  The result is validated by `spec.parse_spec`.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..inputs.inits import RANDOM_INITS, RANGE_INITS
from ..language import elemexpr
from ..language import epilog as ep
from ..language import expr as ex
from ..language import schema as sc
from . import sections
from .inherit import PLACEMENT_FIELDS, Placement, child_placement
from .mm_params import (
    ALG_FROM_MM,
    IDENTIFIER,
    INIT_FROM_MM,
    MM_DROPOUT_INITS,
    MM_EPILOGS,
    mm_params_from_url,
)
from .tree import label_of, product_label


def mm_url_to_dict(url: str, limits: Limits = DEFAULT_LIMITS) -> Dict[str, Any]:
    """An mm link as our spec's plain data (before validation)."""
    return mm_params_to_dict(mm_params_from_url(url, limits))


def mm_params_to_dict(params: Dict[str, Any]) -> Dict[str, Any]:
    """mm's params object as our spec's plain data."""
    if not isinstance(params.get("left"), dict) or not isinstance(params.get("right"), dict):
        raise SpecError(
            "the mm state has no left and right matrices",
            "copy the link again from mm",
            field="from_mm",
        )
    importer = _Importer(params)
    ast = importer.node(params, "root", depth=0)
    spec: Dict[str, Any] = {"expr": ex.print_expr(ast)}

    if importer.nodes:
        spec["nodes"] = importer.nodes
    anim = dict(_mapping(params.get("anim"), "anim"))
    if "spin" not in anim and isinstance(params.get("deco"), dict) and "spin" in params["deco"]:
        anim["spin"] = params["deco"]["spin"]  # mm's legacy deco.spin
    settings = {
        "anim": _section(sections.ANIM, anim, {"alg": ALG_FROM_MM}),
        "blocks": _section(sections.BLOCKS, params.get("block")),
        "layout": _section(sections.LAYOUT, params.get("layout")),
        "deco": _section(sections.DECO, params.get("deco")),
        "colors": _section(sections.COLORS, params.get("viz")),
        "camera": _camera(params.get("cam")),
    }
    spec.update({k: v for k, v in settings.items() if v})
    return spec


def _section(
    schema: sc.Schema, mm: Any, maps: Optional[Dict[str, Dict[str, str]]] = None
) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if not isinstance(mm, dict):
        return out
    for f in schema.fields:
        if f.mm is None or f.mm not in mm:
            continue
        value = mm[f.mm]
        if maps and f.name in maps:
            value = _lookup(maps[f.name], value, "%s.%s" % (schema.name, f.mm))
        elif f.kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = round(value)
        elif f.kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
        if value != f.default:
            out[f.name] = value
    return out


def _camera(cam: Any) -> Dict[str, Any]:
    if not isinstance(cam, dict):
        return {}
    target = cam.get("target") if isinstance(cam.get("target"), dict) else {}
    try:
        position = [float(cam[a]) for a in "xyz"]
        look = [float(target.get(a, 0)) for a in "xyz"]
    except (KeyError, TypeError, ValueError):
        return {}
    return {"position": position, "target": look}


def _mapping(value: Any, what: str) -> Dict[str, Any]:
    """mm's group of settings ``what`` (absent: none), or a SpecError for another type."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SpecError(
            "the mm link has %s = %s where mm keeps a group of settings" % (what, _brief(value)),
            "copy the link again from mm",
            field="from_mm",
        )
    return value


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lookup(table: Dict[str, str], value: Any, what: str) -> str:
    if not isinstance(value, str) or value not in table:
        raise SpecError(
            "the mm link has %s = %s, which mm-docs does not know" % (what, _brief(value)),
            "known values: " + ", ".join(sorted(table)),
            field="from_mm",
        )
    return table[value]


class _Importer:
    """Walks mm's tree, building our AST and per-node settings."""

    def __init__(self, params: Dict[str, Any]) -> None:
        self.nodes: Dict[str, Dict[str, Any]] = {}
        self.leaves: Dict[str, Dict[str, Any]] = {}  # matrix name -> settings, for shared identity
        self.products: set = set()
        self.taken: set = set()
        layout = params.get("layout") if isinstance(params.get("layout"), dict) else {}
        self.scheme = layout.get("scheme", sections.LAYOUT.by_name["scheme"].default)
        self.placements: Dict[str, Placement] = {}  # path -> mm's placement of that matmul
        self.k_blocks: Dict[str, int] = {}  # path -> mm's k blocks of that matmul
        self.mm_leaves = _leaves_by_name(params)  # mm name -> its leaves' mm params

    def node(self, mm: Dict[str, Any], path: str, depth: int) -> ex.Node:
        if depth > ex.MAX_HEIGHT // 2:
            raise SpecError("the mm state nests too deeply", field="from_mm")
        if mm.get("matmul") is False or (path != "root" and not isinstance(mm.get("left"), dict)):
            return self.leaf(mm, path)
        if not isinstance(mm.get("left"), dict) or not isinstance(mm.get("right"), dict):
            raise SpecError("%s is a matmul without left and right" % path, field="from_mm")
        self.inherit(mm, path)
        left = self.node(mm["left"], path + ".left", depth + 1)
        right = self.node(mm["right"], path + ".right", depth + 1)
        product: ex.Node = ex.MatMul(left, right)
        epilog = _mm_epilog(mm.get("epilog", "none"), path)
        product = ep.wrap(epilog, product)
        mm_name = str(mm.get("name", ""))
        own_text = product_label(_mm_label(mm["left"]), _mm_label(mm["right"]))
        settings = self.matmul_settings(mm, path)
        if mm_name and mm_name != own_text:
            name = self.fresh(_identifier(mm_name))
            self.products.add(name)
            product = ex.Assign(name, product)
            key = name
        else:
            key = label_of(ex.MatMul(left, right))
        if settings:
            self.nodes.setdefault(key, {}).update(settings)
        return product

    def inherit(self, mm: Dict[str, Any], path: str) -> None:
        """mm's placement and k blocks of this matmul: its own, merged over its parent's.

        mm merges a parent's ``layout`` and ``block`` under each child's (the
        root's under nothing but mm's defaults), then overwrites only i and j.
        """
        parent = path.rsplit(".", 1)[0] if path != "root" else None
        layout = mm.get("layout") if isinstance(mm.get("layout"), dict) else {}
        values = (
            self.placements[parent].as_dict()
            if parent
            else {f: sections.LAYOUT.by_name[f].default for f in PLACEMENT_FIELDS}
        )
        for f in sections.NODE_LAYOUT.fields:
            if f.mm in layout:
                choices = {c: c for c in f.choices}
                values[f.name] = _lookup(choices, layout[f.mm], "%s.layout.%s" % (path, f.mm))
        self.placements[path] = Placement.of(values)
        k = _mapping(mm.get("block"), path + ".block").get("k blocks")
        number = isinstance(k, (int, float)) and not isinstance(k, bool)
        self.k_blocks[path] = round(k) if number else self.k_blocks.get(parent, 1)

    def matmul_settings(self, mm: Dict[str, Any], path: str) -> Dict[str, Any]:
        if path == "root":
            return {}  # the root's anim/blocks/layout are the global sections
        out: Dict[str, Any] = {}
        anim = _mapping(mm.get("anim"), path + ".anim")
        alg = _lookup(ALG_FROM_MM, anim.get("alg", "inherit"), path + ".anim.alg")
        if alg != "inherit":
            out["anim"] = alg
        if self.k_blocks[path] != 1:
            out["blocks"] = {"k": self.k_blocks[path]}
        # mm draws the layout it stores: write what differs from what the scheme derives
        parent, side = path.rsplit(".", 1)
        derived = child_placement(self.scheme, self.placements[parent], side == "left").as_dict()
        layout = {k: v for k, v in self.placements[path].as_dict().items() if derived[k] != v}
        if layout:
            out["layout"] = layout
        colors = _section(sections.COLORS, mm.get("viz"))
        if colors:
            out["colors"] = colors
        return out

    def leaf(self, mm: Dict[str, Any], path: str) -> ex.Node:
        settings = self.leaf_settings(mm, path)
        shown = str(mm.get("name") or "X").strip()
        of = self.transpose_of(shown, settings, path)
        if of is not None:
            return ex.Transpose(self.leaf(of, path))
        base = _identifier(shown)
        name = base
        n = 1
        # A name used twice is one matrix in mm-docs; mm keeps independent copies.
        # Same settings: share.  Different settings: keep them apart, under mm's name.
        while name in self.products or (name in self.leaves and self.leaves[name] != settings):
            n += 1
            name = "%s_%d" % (base, n)
        if name not in self.leaves:
            self.leaves[name] = settings
            self.taken.add(name)
            self.nodes[name] = dict(settings, label=shown) if name != shown else settings
        return ex.Name(name)

    def leaf_settings(self, mm: Dict[str, Any], path: str) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "shape": [_dim(mm.get("h", 32), path + ".h"), _dim(mm.get("w", 32), path + ".w")]
        }
        init = mm.get("init", "row major")
        if init == "url":
            out["data"] = {"url": str(mm.get("url", ""))}
            return out
        if init == "expr":
            out["init"] = "expr"
            text = str(mm.get("expr", "")) or "0"
            try:
                out["expr"] = elemexpr.from_js(text)
            except SpecError as e:
                raise SpecError(
                    "%s.expr %r: %s" % (path, text, e.message), e.hint, field="from_mm"
                ) from None
            return out
        ours = _lookup(INIT_FROM_MM, init, path + ".init")
        out["init"] = ours
        if ours in RANGE_INITS:
            lo, hi = _number(mm.get("min", -1)), _number(mm.get("max", 1))
            if (lo, hi) != (-1.0, 1.0):
                out["min"], out["max"] = lo, hi
        dropout = _number(mm.get("dropout", 0))
        if dropout and ours in MM_DROPOUT_INITS:
            out["dropout"] = dropout
        colors = _section(sections.COLORS, mm.get("viz"))
        if colors:
            out["colors"] = colors
        return out

    def transpose_of(self, shown: str, settings: Dict[str, Any], path: str):
        """X's mm params when mm's ``shown`` is X's transpose under another name.

        The article names them ``input`` and ``input_t`` (our export, ``input.T``). They are one matrix when the
        shapes are transposed and both come from data files (the files hold a matrix
        and its transpose) or from the same random init (mm draws the two
        independently, which no figure means to show; ours are seeded anyway).
        """
        m = re.match(r"^(.+)[_.][tT]$", shown)
        if m is None or not self.mm_leaves.get(m.group(1)):
            return None
        other = self.mm_leaves[m.group(1)][0]
        theirs = self.leaf_settings(other, path)
        if theirs["shape"] != settings["shape"][::-1]:
            return None
        same_source = "data" in theirs and "data" in settings
        same_random = theirs.get("init") in RANDOM_INITS and {
            k: v for k, v in theirs.items() if k != "shape"
        } == {k: v for k, v in settings.items() if k != "shape"}
        return other if same_source or same_random else None

    def fresh(self, name: str) -> str:
        base, n = name, 1
        while name in self.taken or name in self.products:
            n += 1
            name = "%s_%d" % (base, n)
        self.taken.add(name)
        return name


def _leaves_by_name(params: Dict[str, Any]) -> Dict[str, list]:
    """mm's leaves by name, in tree order (the importer's depth cap bounds the walk)."""
    out: Dict[str, list] = {}
    todo = [(params, 0)]
    while todo:
        mm, depth = todo.pop()
        left, right = mm.get("left"), mm.get("right")
        if mm.get("matmul") is not False and isinstance(left, dict) and isinstance(right, dict):
            if depth <= ex.MAX_HEIGHT // 2:
                todo += [(right, depth + 1), (left, depth + 1)]
        else:
            out.setdefault(str(mm.get("name") or "X").strip(), []).append(mm)
    return out


def _mm_label(mm: Dict[str, Any]) -> str:
    return str(mm.get("name", ""))


def _identifier(name: str) -> str:
    """mm allows names like `x-1` or `2nd`; ours are identifiers."""
    name = name.strip()
    if IDENTIFIER.match(name):
        return name
    cleaned = re.sub(r"\W", "_", name) or "X"
    return cleaned if IDENTIFIER.match(cleaned) else "m_" + cleaned


def _dim(value: Any, path: str) -> int:
    v = _number(value)
    if not v.is_integer() or v < 1:
        raise SpecError("%s = %r is not a positive whole number" % (path, value), field="from_mm")
    return int(v)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SpecError(
            "the mm link has %r where a number belongs" % (value,), field="from_mm"
        ) from None


def _mm_epilog(name: Any, path: str) -> ep.Epilog:
    return ep.parse_epilog(_lookup(MM_EPILOGS, name, path + ".epilog"))
