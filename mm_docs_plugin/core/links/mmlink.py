"""Links to the mm tool (bhosmer.github.io/mm): import to our spec, export back.

mm keeps its whole state in one ``params`` object, carried in a URL as

- ``?params=<JSON>`` (the JSON form), or
- the compressed numbered-key form: ``?0=L+%40+R&3.5=32&…&expr=0&left=3&h=5…``,
  where each value key ``C.L`` names a container path and a leaf key through
  a dictionary appended to the query (mm-reference.md §3.3).

mm's tree is authoritative (its ``expr`` is regenerated from the tree), so the
importer walks the tree: matmul nodes become ``@`` with ``name = `` where mm's
name is not just the node's own text, epilogs are written into the
expression, JavaScript element expressions are translated (`elemexpr.from_js`),
``url`` inits become remote data sources, and the sections map field by field
through the ``mm`` names in `schema`.  Nothing in a link is executed.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional
from urllib.parse import quote

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..inputs.inits import RANGE_INITS
from ..language import elemexpr
from ..language import expr as ex
from ..language import schema as sc
from ..spec import sections, vocab
from ..spec.inherit import Placement, resolve_placements
from ..spec.mm_import import mm_url_to_dict
from ..spec.mm_params import ALG_TO_MM, EPILOG_TO_MM, INIT_TO_MM, MM_APP
from ..spec.parse import parse_spec
from ..spec.spec import Spec
from ..spec.tree import product_label


def import_mm_url(
    url: str, base_dir: Optional[str] = None, *, limits: Limits = DEFAULT_LIMITS
) -> Spec:
    """An mm link (either form) as a validated `Spec`."""
    return parse_spec(mm_url_to_dict(url, limits), base_dir, limits=limits)


# ---------------------------------------------------------------- export


def export_mm_params(spec: Spec) -> Dict[str, Any]:
    """Our spec as mm's params object (the JSON form), as faithfully as mm allows.

    mm cannot express transposes (``K.T`` becomes a leaf named ``K.T`` with
    K's settings), our extra inits (written as element expressions), local
    data files (written as ``url`` with the path), per-row layernorm or
    epilogs outside its menu (exported as the nearest it has, or none).  Exact
    ``values`` and ``onehot`` rows become an element expression while it is short
    enough (else a SpecError says so); labels and highlights, which mm cannot show,
    are left out.
    """
    _check_exportable(spec)
    placements = resolve_placements(spec.tree, spec.layout, spec.nodes)
    root = _export_node(spec, spec.tree, placements)
    root.update(
        {
            "expr": _mm_expr(spec.tree),
            "anim": _export_section(sections.ANIM, spec.anim, {"alg": ALG_TO_MM}),
            "block": _export_section(sections.BLOCKS, spec.blocks),
            "layout": _export_section(sections.LAYOUT, spec.layout),
            "deco": _export_section(sections.DECO, spec.deco),
            "viz": _export_section(sections.COLORS, spec.colors),
        }
    )
    if spec.camera.position is not None:
        pos = spec.camera.position
        target = spec.camera.target or (0.0, 0.0, 0.0)
        root["cam"] = {"x": pos[0], "y": pos[1], "z": pos[2], "target": dict(zip("xyz", target))}
    return root


def _check_exportable(spec: Spec) -> None:
    """mm draws products of plain matrices only: refuse what it cannot show at all."""
    for t in spec.tree.walk():
        if t.kind == "elementwise":
            raise SpecError(
                "mm has no element-wise operations: `%s` in %s" % (t.op, t.label),
                "export the products alone (e.g. %s) and leave the %s out"
                % (t.left.label if t.left.kind == "matmul" else "x @ W", t.op),
                field="expr",
            )
        if t.kind == "leaf" and t.epilog:
            raise SpecError(
                "mm cannot apply an epilog to an input matrix: %s" % t.label,
                "compute %s outside the figure and give it as data, or drop the epilog" % t.label,
                field="expr",
            )


def mm_link(spec: Spec, app: str = MM_APP) -> str:
    """A ``?params=`` link that opens ``spec`` in mm."""
    text = json.dumps(export_mm_params(spec), separators=(",", ":"))
    return app + "?params=" + quote(text, safe="")


def _export_section(schema: sc.Schema, settings: sc.Settings, maps=None) -> Dict[str, Any]:
    out = {}
    for f in schema.fields:
        if f.mm is None:
            continue
        value = settings[f.name]
        if maps and f.name in maps:
            value = maps[f.name][value]
        out[f.mm] = value
    return out


def _export_node(spec: Spec, t, placements: Dict[str, Placement]) -> Dict[str, Any]:
    settings = spec.nodes.get(t.matrix if t.kind == "leaf" else t.label)
    if t.kind == "leaf":
        return _export_leaf(t, settings, spec.labels)
    node: Dict[str, Any] = {
        "name": t.label if t.named else _mm_text(t),
        "matmul": True,
        "epilog": EPILOG_TO_MM.get(t.epilog, "none"),
        "left": _export_node(spec, t.left, placements),
        "right": _export_node(spec, t.right, placements),
    }
    if t.path != "root":
        alg = settings.anim if settings is not None and settings.anim else "inherit"
        node["anim"] = {"alg": ALG_TO_MM[alg]}
        k = settings.blocks.k if settings is not None and settings.blocks is not None else 1
        node["block"] = {"k blocks": k}
        # mm draws each child's stored layout: store the one we draw
        placement = placements[t.path].as_dict()
        node["layout"] = {f.mm: placement[f.name] for f in sections.NODE_LAYOUT.fields}
        if settings is not None and settings.colors:
            node["viz"] = _colors_to_mm(settings.colors)
    return node


def _export_leaf(t, s, named) -> Dict[str, Any]:
    h, w = t.shape
    out: Dict[str, Any] = {
        "name": t.label,
        "matmul": False,
        "h": h,
        "w": w,
        "url": "",
        "min": -1,
        "max": 1,
        "dropout": 0,
    }
    init = s.effective_init if s is not None else "gaussian"
    if init in INIT_TO_MM:
        out["init"] = INIT_TO_MM[init]
        if s is not None and init in RANGE_INITS:
            out["min"] = s.min if s.min is not None else -1
            out["max"] = s.max if s.max is not None else 1
        if s is not None and s.dropout:
            out["dropout"] = s.dropout
    elif init == "data":
        out["init"] = "url"
        out["url"] = s.data.url or s.data.path
    else:
        out["init"] = "expr"
        text = {"zeros": "0", "ones": "1", "arange": "i * w + j"}.get(init)
        if init == "constant":
            text = ex.format_number(s.value)
        elif init == "expr":
            text = s.expr
        elif init in ("values", "onehot"):
            text = _exact_expr(s, named, t.transposed)
        out["expr"] = elemexpr.parse_elem_expr(text).to_js()
    if s is not None and s.colors:
        out["viz"] = _colors_to_mm(s.colors)
    return out


def _exact_expr(s, named, transposed: bool) -> str:
    """Exact values (``values``/``onehot``) as mm's expr init: a conditional per nonzero.

    mm has no init for given numbers (nor labels); an element expression carries them
    while it is short enough to parse (``max_elem_expr``), otherwise export refuses.
    """
    if s.values is not None:
        cells = {(i, j): v for i, row in enumerate(s.values) for j, v in enumerate(row) if v}
    else:
        columns = vocab.onehot_columns(s, vocab.matrix_labels(s, named)[1])
        cells = {(i, c): 1 for i, c in enumerate(columns)}
    if transposed:  # mm shows K.T as a matrix of its own
        cells = {(j, i): v for (i, j), v in cells.items()}
    rows = sorted({i for i, _ in cells})
    text = "0"
    for i in reversed(rows):
        inner = "0"
        for j in sorted((j for r, j in cells if r == i), reverse=True):
            inner = "j == %d ? %s : %s" % (j, ex.format_number(float(cells[i, j])), inner)
        text = "i == %d ? (%s) : %s" % (i, inner, text)
    limit = DEFAULT_LIMITS.max_elem_expr
    if len(text) > limit:
        raise SpecError(
            "nodes.%s.%s: mm has no init for exact values, and as an element expression "
            "these take %d characters, past the %d an mm link carries"
            % (s.name, s.effective_init, len(text), limit),
            "share this site's own link (#mm=) instead, or use fewer nonzero values",
            field="nodes.%s.%s" % (s.name, s.effective_init),
        )
    return text


def _colors_to_mm(colors: Dict[str, Any]) -> Dict[str, Any]:
    return {sections.COLORS.by_name[k].mm: v for k, v in colors.items()}


def _mm_text(t) -> str:
    """mm's name for an unnamed product: its children's names joined by @."""
    return product_label(_label(t.left), _label(t.right))


def _label(t) -> str:
    return t.label if t.kind == "leaf" or t.named else _mm_text(t)


def _mm_expr(t) -> str:
    """mm's genExpr: names as assignments, right matmul operands parenthesised."""
    if t.kind == "leaf":
        return t.label
    left = _mm_expr(t.left)
    if t.left.kind == "matmul" and t.left.named:
        left = "(%s)" % left
    right = _mm_expr(t.right)
    if t.right.kind == "matmul":
        right = "(%s)" % right
    text = "%s @ %s" % (left, right)
    return "%s = %s" % (t.label, text) if t.named else text
