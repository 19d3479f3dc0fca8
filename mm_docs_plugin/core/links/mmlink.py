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
import re
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, quote, urlsplit

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..inputs.inits import RANGE_INITS
from ..language import elemexpr
from ..language import epilog as ep
from ..language import expr as ex
from ..language import schema as sc
from ..spec.spec import Spec, parse_spec
from ..spec.tree import label_of

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
_EPILOG_TO_MM = {ep.parse_epilog(ours): mm for mm, ours in MM_EPILOGS.items()}

# The JS type of each mm key in mm's default params: how the compressed form is cast.
_MM_BOOL = {"matmul", "hide inputs", "shape", "interior spotlight", "axes", "compress"}
_MM_NUMBER = {
    "h", "w", "min", "max", "dropout", "speed", "spin", "i blocks", "j blocks", "k blocks",
    "gap", "scatter", "molecule", "blast", "legends", "spotlight", "row guides", "flow guides",
    "lens size", "magnification", "min size", "min light", "max light", "elem scale",
    "zero hue", "hue gap", "hue spread", "x", "y", "z",
}  # fmt: skip

_NAME = re.compile(r"[^\W\d]\w*\Z")
_VALUE_KEY = re.compile(r"\d+(\.\d+)?\Z")


# ---------------------------------------------------------------- URL forms


def mm_params_from_url(url: str, limits: Limits = DEFAULT_LIMITS) -> Dict[str, Any]:
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
        return mm_params_from_url(dict(pairs)["mm"], limits)
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
    try:
        params = json.loads(text)
    except ValueError as e:
        raise SpecError(
            "the mm link's params= is not valid JSON (%s)" % e,
            "copy the whole link",
            field="from_mm",
        ) from None
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


# ---------------------------------------------------------------- import


def import_mm_url(
    url: str, base_dir: Optional[str] = None, *, limits: Limits = DEFAULT_LIMITS
) -> Spec:
    """An mm link (either form) as a validated `Spec`."""
    return parse_spec(mm_url_to_dict(url, limits), base_dir, limits=limits)


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
    importer = _Importer()
    ast = importer.node(params, "root", depth=0)
    spec: Dict[str, Any] = {"expr": ex.print_expr(ast)}
    if importer.nodes:
        spec["nodes"] = importer.nodes
    anim = dict(params.get("anim") or {})
    if "spin" not in anim and isinstance(params.get("deco"), dict) and "spin" in params["deco"]:
        anim["spin"] = params["deco"]["spin"]  # mm's legacy deco.spin
    sections = {
        "anim": _section(sc.ANIM, anim, {"alg": ALG_FROM_MM}),
        "blocks": _section(sc.BLOCKS, params.get("block")),
        "layout": _section(sc.LAYOUT, params.get("layout")),
        "deco": _section(sc.DECO, params.get("deco")),
        "colors": _section(sc.COLORS, params.get("viz")),
        "camera": _camera(params.get("cam")),
    }
    spec.update({k: v for k, v in sections.items() if v})
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


def _lookup(table: Dict[str, str], value: Any, what: str) -> str:
    if value not in table:
        raise SpecError(
            "the mm link has %s = %r, which mm-docs does not know" % (what, value),
            "known values: " + ", ".join(sorted(table)),
            field="from_mm",
        )
    return table[value]


class _Importer:
    """Walks mm's tree, building our AST and per-node settings."""

    def __init__(self) -> None:
        self.nodes: Dict[str, Dict[str, Any]] = {}
        self.leaves: Dict[str, Dict[str, Any]] = {}  # matrix name -> settings, for shared identity
        self.products: set = set()
        self.taken: set = set()

    def node(self, mm: Dict[str, Any], path: str, depth: int) -> ex.Node:
        if depth > ex.MAX_HEIGHT // 2:
            raise SpecError("the mm state nests too deeply", field="from_mm")
        if mm.get("matmul") is False or (path != "root" and not isinstance(mm.get("left"), dict)):
            return self.leaf(mm, path)
        if not isinstance(mm.get("left"), dict) or not isinstance(mm.get("right"), dict):
            raise SpecError("%s is a matmul without left and right" % path, field="from_mm")
        left = self.node(mm["left"], path + ".left", depth + 1)
        right = self.node(mm["right"], path + ".right", depth + 1)
        product: ex.Node = ex.MatMul(left, right)
        epilog = _mm_epilog(mm.get("epilog", "none"), path)
        product = ep.wrap(epilog, product)
        mm_name = str(mm.get("name", ""))
        own_text = "%s @ %s" % (_mm_label(mm["left"]), _paren(_mm_label(mm["right"])))
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

    def matmul_settings(self, mm: Dict[str, Any], path: str) -> Dict[str, Any]:
        if path == "root":
            return {}  # the root's anim/blocks/layout are the global sections
        out: Dict[str, Any] = {}
        alg = _lookup(ALG_FROM_MM, (mm.get("anim") or {}).get("alg", "inherit"), path + ".anim.alg")
        if alg != "inherit":
            out["anim"] = alg
        k_blocks = (mm.get("block") or {}).get("k blocks", 1)
        if isinstance(k_blocks, (int, float)) and int(k_blocks) != 1:
            out["blocks"] = {"k": int(k_blocks)}
        layout = _section(sc.NODE_LAYOUT, mm.get("layout"))
        if layout:
            out["layout"] = layout
        colors = _section(sc.COLORS, mm.get("viz"))
        if colors:
            out["colors"] = colors
        return out

    def leaf(self, mm: Dict[str, Any], path: str) -> ex.Node:
        settings = self.leaf_settings(mm, path)
        base = _identifier(str(mm.get("name") or "X"))
        name = base
        n = 1
        # A name used twice is one matrix in mm-docs; mm keeps independent copies.
        # Same settings: share.  Different settings: keep them apart.
        while name in self.products or (name in self.leaves and self.leaves[name] != settings):
            n += 1
            name = "%s_%d" % (base, n)
        if name not in self.leaves:
            self.leaves[name] = settings
            self.taken.add(name)
            if settings:
                self.nodes[name] = settings
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
        colors = _section(sc.COLORS, mm.get("viz"))
        if colors:
            out["colors"] = colors
        return out

    def fresh(self, name: str) -> str:
        base, n = name, 1
        while name in self.taken or name in self.products:
            n += 1
            name = "%s_%d" % (base, n)
        self.taken.add(name)
        return name


def _mm_label(mm: Dict[str, Any]) -> str:
    return str(mm.get("name", ""))


def _paren(label: str) -> str:
    return "(%s)" % label if " " in label else label


def _identifier(name: str) -> str:
    """mm allows names like `x-1` or `2nd`; ours are identifiers."""
    name = name.strip()
    if _NAME.match(name):
        return name
    cleaned = re.sub(r"\W", "_", name) or "X"
    return cleaned if _NAME.match(cleaned) else "m_" + cleaned


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


# ---------------------------------------------------------------- export


def export_mm_params(spec: Spec) -> Dict[str, Any]:
    """Our spec as mm's params object (the JSON form), as faithfully as mm allows.

    mm cannot express transposes (``K.T`` becomes a leaf named ``K.T`` with
    K's settings), our extra inits (written as element expressions), local
    data files (written as ``url`` with the path), per-row layernorm or
    epilogs outside its menu (exported as the nearest it has, or none).
    """
    root = _export_node(spec, spec.tree)
    root.update(
        {
            "expr": _mm_expr(spec.tree),
            "anim": _export_section(sc.ANIM, spec.anim, {"alg": ALG_TO_MM}),
            "block": _export_section(sc.BLOCKS, spec.blocks),
            "layout": _export_section(sc.LAYOUT, spec.layout),
            "deco": _export_section(sc.DECO, spec.deco),
            "viz": _export_section(sc.COLORS, spec.colors),
        }
    )
    if spec.camera.position is not None:
        pos = spec.camera.position
        target = spec.camera.target or (0.0, 0.0, 0.0)
        root["cam"] = {"x": pos[0], "y": pos[1], "z": pos[2], "target": dict(zip("xyz", target))}
    return root


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


def _export_node(spec: Spec, t) -> Dict[str, Any]:
    settings = spec.nodes.get(t.matrix if t.kind == "leaf" else t.label)
    if t.kind == "leaf":
        return _export_leaf(t, settings)
    node: Dict[str, Any] = {
        "name": t.label if t.named else _mm_text(t),
        "matmul": True,
        "epilog": _EPILOG_TO_MM.get(t.epilog, "none"),
        "left": _export_node(spec, t.left),
        "right": _export_node(spec, t.right),
    }
    if t.path != "root":
        alg = settings.anim if settings is not None and settings.anim else "inherit"
        node["anim"] = {"alg": ALG_TO_MM[alg]}
        k = settings.blocks.k if settings is not None and settings.blocks is not None else 1
        node["block"] = {"k blocks": k}
        layout = settings.layout if settings is not None and settings.layout is not None else None
        source = layout if layout is not None else spec.layout
        node["layout"] = {f.mm: source[f.name] for f in sc.NODE_LAYOUT.fields}
        if settings is not None and settings.colors:
            node["viz"] = _colors_to_mm(settings.colors)
    return node


def _export_leaf(t, s) -> Dict[str, Any]:
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
        out["expr"] = elemexpr.parse_elem_expr(text).to_js()
    if s is not None and s.colors:
        out["viz"] = _colors_to_mm(s.colors)
    return out


def _colors_to_mm(colors: Dict[str, Any]) -> Dict[str, Any]:
    return {sc.COLORS.by_name[k].mm: v for k, v in colors.items()}


def _mm_text(t) -> str:
    """mm's name for an unnamed product: its children's names joined by @."""
    return "%s @ %s" % (_label(t.left), _paren(_label(t.right)))


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
