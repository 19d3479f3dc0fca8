"""Validation of a spec's YAML tree: keys, values, node settings, data shapes, blocks.

`Validator` walks the positioned tree (`language.fence_yaml.YNode`) once, checks every
key and value against the declarations (`spec.spec` keys and `language.schema`
sections), infers shapes (`spec.tree`), and gives a `Spec`.  Errors carry the line
and column of the offending key or value, or its field path when the spec came
without text (a mapping or a URL).
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Tuple

from ..errors import Limits, SpecError, did_you_mean
from ..inputs.data import RemoteDataDisabled, data_shape
from ..inputs.inits import INITS, RANGE_INITS
from ..language import elemexpr
from ..language import epilog as ep
from ..language import expr as ex
from ..language import schema as sc
from ..language.fence_yaml import YNode
from . import inherit, sections, vocab
from .data_key import read_data
from .readouts import read_readouts
from .spec import (
    ELEMENTWISE_KEYS,
    FIGURE,
    LEAF_KEYS,
    MATMUL_KEYS,
    TOP_KEYS,
    NodeSpec,
    Spec,
)
from .tree import Given, TreeNode, infer_shapes, leaf_label, lower
from .views import read_views


class Validator:
    def __init__(self, root: YNode, base_dir, limits: Limits, allow_remote: bool, text) -> None:
        self.root = root
        self.base_dir = base_dir
        self.limits = limits
        self.allow_remote = allow_remote
        self.text = text
        self.warnings = []
        self.node_blocks: Dict[str, YNode] = {}  # product name -> its `blocks:` mapping
        self.node_settings: Dict[str, YNode] = {}  # node name -> its settings mapping
        self.named: Dict[str, vocab.Labels] = {}  # the top-level labels: lists

    def build(self) -> Spec:
        top = self.root.value
        for key in top:
            if key not in TOP_KEYS:
                raise sc.unknown_key(self.root, key, "", TOP_KEYS)
        if "expr" not in top:
            raise SpecError(
                "the spec has no expr",
                "add the expression to draw, e.g. `expr: out = A @ B`",
                self.root.line,
                self.root.column,
                field="expr",
            )
        ast, tree, locate = self._expression(top["expr"])
        figure = FIGURE.defaults()
        for key in ("seed", "height", "caption", "alt", "precision"):
            if key in top:
                figure = figure.replace(**{key: sc.check_value(FIGURE.by_name[key], top[key], key)})
        settings = {
            name: schema.validate(top[name], name) if name in top else schema.defaults()
            for name, schema in sections.SECTIONS.items()
        }
        if "labels" in top:
            self.named = vocab.read_named_labels(top["labels"])
        nodes, given = self._nodes(top.get("nodes"), tree)
        try:
            infer_shapes(tree, given, locate, self.limits)
        except SpecError as e:  # a spec given as a mapping has no lines: name the expression
            raise (e if e.line is not None else e.with_field("expr")) from None
        vocab.resolve_tree(tree, nodes, self.named, self.node_settings)
        self._check_blocks(tree, settings["blocks"], nodes, top)
        _show_labels(tree, nodes)
        readouts = read_readouts(top.get("readouts"), tree, self.limits)
        animated = settings["anim"].alg != "none" or any(
            n.anim not in (None, "inherit", "none") for n in nodes.values()
        )
        views = read_views(top.get("views"), tree, animated)
        return Spec(
            ast=ast,
            tree=tree,
            nodes=nodes,
            figure=figure,
            base_dir=self.base_dir,
            limits=self.limits,
            warnings=tuple(self.warnings),
            text=self.text,
            readouts=readouts,
            views=views,
            labels=self.named,
            **settings,
        )

    # -- expr
    def _expression(self, node: YNode):
        if not isinstance(node.value, str) or not node.value.strip():
            raise sc.type_error(node, "expr", "an expression", "e.g. expr: out = A @ B")
        line, col = _content_origin(node)
        one_line = "\n" not in node.value

        def locate(pos: int) -> Tuple[int, int]:
            if line is None:
                return (None, None)
            return (line, col + pos) if one_line else (line, col)

        try:
            ast = ex.parse_expr(node.value, self.limits)
        except SpecError as e:
            raise self._rebase(e, node, "expr") from None
        try:
            tree = lower(ast, locate)  # raises in fence coordinates already
        except SpecError as e:
            raise e.with_field("expr") from None
        return ast, tree, locate

    def _rebase(self, e: SpecError, node: YNode, path: str) -> SpecError:
        line, col = _content_origin(node)
        if line is None:
            # A mapping has no text positions: the column stays, relative to the field's text.
            return SpecError(e.message, e.hint, None, e.column, e.length, e.field or path)
        if e.line is not None and e.line != 1:
            return e.with_field(path)  # already in fence coordinates
        return e.at_offset(line, col, path)

    # -- nodes
    def _nodes(self, node: Optional[YNode], tree: TreeNode):
        labels: Dict[str, TreeNode] = {}
        for t in tree.walk():
            labels.setdefault(t.matrix if t.kind == "leaf" else t.label, t)
        nodes: Dict[str, NodeSpec] = {}
        given: Dict[str, Tuple[Optional[Given], Optional[Given]]] = {}
        if node is None or node.value is None:
            return nodes, given
        if not node.is_map():
            raise sc.type_error(
                node, "nodes", "a mapping of node names", "e.g. nodes: {Q: {shape: [256, 64]}}"
            )
        for name, settings in node.value.items():
            t = labels.get(name)
            path = "nodes." + name
            if t is None:
                line, col = sc.key_where(node, name)
                raise SpecError(
                    "nodes has settings for %r, which is not in the expression" % name,
                    did_you_mean(name, list(labels))
                    or "names in the expression: " + ", ".join(labels),
                    line,
                    col,
                    len(name),
                    path,
                )
            if settings.value is None:
                continue
            if not settings.is_map():
                raise sc.type_error(settings, path, "a mapping", "e.g. %s: {shape: [4, 8]}" % name)
            self.node_settings[name] = settings
            if t.kind == "leaf":
                spec, shape = self._leaf(name, settings, path)
            elif t.kind == "elementwise":
                self._keys(settings, path, ELEMENTWISE_KEYS, MATMUL_KEYS + LEAF_KEYS, "")
                spec, shape = self._matmul(name, settings, path, t)
            else:
                spec, shape = self._matmul(name, settings, path, t)
            nodes[name] = spec
            given[name] = shape
        return nodes, given

    def _keys(self, settings: YNode, path: str, allowed, other, what: str) -> None:
        for key in settings.value:
            if key in allowed:
                continue
            if key in other and not what:
                line, col = sc.key_where(settings, key)
                raise SpecError(
                    "%s is an element-wise result; %s does not apply to it" % (path[6:], key),
                    "settings for an element-wise result: " + ", ".join(allowed),
                    line,
                    col,
                    len(key),
                    path + "." + key,
                )
            if key in other:
                line, col = sc.key_where(settings, key)
                raise SpecError(
                    "%s applies to %s; %s is %s"
                    % (
                        key,
                        "products" if what == "an input matrix" else "input matrices",
                        path[6:],
                        what,
                    ),
                    "settings for %s: %s" % (what, ", ".join(allowed)),
                    line,
                    col,
                    len(key),
                    path + "." + key,
                )
            raise sc.unknown_key(settings, key, path, allowed)

    def _leaf(self, name: str, settings: YNode, path: str):
        self._keys(settings, path, LEAF_KEYS, MATMUL_KEYS, "an input matrix")
        s = settings.value
        kw: Dict[str, Any] = {}
        shape = self._shape(s.get("shape"), path + ".shape")
        if "init" in s:
            kw["init"] = sc.check_value(
                sc.Field("init", "choice", None, "", choices=tuple(INITS)),
                s["init"],
                path + ".init",
            )
        for key, lo, hi in (
            ("min", -1e30, 1e30),
            ("max", -1e30, 1e30),
            ("dropout", 0, 1),
            ("value", -1e30, 1e30),
        ):
            if key in s:
                kw[key] = sc.check_value(
                    sc.Field(key, "float", None, "", lo=lo, hi=hi), s[key], path + "." + key
                )
        if "expr" in s:
            kw["expr"] = self._elem_expr(s["expr"], path + ".expr")
        if "data" in s:
            kw["data"] = read_data(s["data"], path + ".data")
        if "colors" in s:
            kw["colors"] = self._colors(s["colors"], path + ".colors")
        if "label" in s:
            kw["label"] = sc.check_value(
                sc.Field("label", "str", None, "the name shown", hi=200),
                s["label"],
                path + ".label",
            )
            if not kw["label"].strip():
                raise sc.type_error(s["label"], path + ".label", "a name", "e.g. label: x")
        kw.update(vocab.read_node(s, path, self.named, leaf=True))
        spec = NodeSpec(name, "leaf", tuple(g.value if g else None for g in shape), **kw)
        self._check_init(spec, settings, path)
        if spec.data is not None:
            shape = self._data_shape(spec, shape, s["data"], path + ".data")
        return spec, vocab.merge_given(shape, vocab.given_sizes(settings, path, spec, self.named))

    def _check_init(self, spec: NodeSpec, settings: YNode, path: str) -> None:
        init = spec.effective_init
        owners = (("expr", "expr"), ("data", "data"), ("value", "constant"))
        owners += (("values", "values"), ("onehot", "onehot"))
        needs = {owner: key for key, owner in owners}
        for key, owner in owners:
            if getattr(spec, key) is not None and init != owner:
                raise self._misplaced(
                    settings,
                    key,
                    path,
                    "%s is used only with init: %s (init is %s)" % (key, owner, init),
                )
        if init in needs and getattr(spec, needs[init]) is None:
            raise self._misplaced(
                settings, "init", path, "init: %s needs a `%s:` setting" % (init, needs[init])
            )
        for key in ("min", "max"):
            if getattr(spec, key) is not None and init not in RANGE_INITS:
                raise self._misplaced(
                    settings,
                    key,
                    path,
                    "%s applies to the inits %s, not %s" % (key, ", ".join(RANGE_INITS), init),
                )
        if spec.min is not None and spec.max is not None and spec.max < spec.min:
            raise self._misplaced(
                settings, "max", path, "max (%g) is below min (%g)" % (spec.max, spec.min)
            )

    def _misplaced(self, settings: YNode, key: str, path: str, message: str) -> SpecError:
        line, col = sc.key_where(settings, key)
        return SpecError(
            message, "see the init table in the docs", line, col, len(key), path + "." + key
        )

    def _matmul(self, name: str, settings: YNode, path: str, t: TreeNode):
        self._keys(settings, path, MATMUL_KEYS, LEAF_KEYS, "a product")
        s = settings.value
        kw: Dict[str, Any] = {}
        shape = self._shape(s.get("shape"), path + ".shape")
        if "epilog" in s:
            node = s["epilog"]
            if not isinstance(node.value, str):
                raise sc.type_error(
                    node, path + ".epilog", "text", "e.g. epilog: softmax(x / sqrt(k))"
                )
            try:
                kw["epilog"] = ep.parse_epilog(node.value)
            except SpecError as e:
                raise self._rebase(e, node, path + ".epilog") from None
            if t.epilog and kw["epilog"]:
                raise SpecError(
                    "%s has an epilog in the expression (%s) and in its settings"
                    % (name, ep.epilog_text(t.epilog)),
                    "keep one of them",
                    node.line,
                    node.column,
                    field=path + ".epilog",
                )
            if kw["epilog"]:
                t.epilog = kw["epilog"]
        if "anim" in s:
            kw["anim"] = sections.NODE_ANIM.validate(s["anim"], path + ".anim").alg
        if "blocks" in s:
            kw["blocks"] = sections.BLOCKS.validate(s["blocks"], path + ".blocks")
            self.node_blocks[name] = s["blocks"]
        if "layout" in s:
            kw["layout"] = sections.NODE_LAYOUT.validate(s["layout"], path + ".layout")
        if "colors" in s:
            kw["colors"] = self._colors(s["colors"], path + ".colors")
        kw.update(vocab.read_node(s, path, self.named, leaf=False))
        return NodeSpec(name, "matmul", tuple(g.value if g else None for g in shape), **kw), shape

    def _colors(self, node: YNode, path: str) -> Dict[str, Any]:
        settings = sections.COLORS.validate(node, path)
        return {k: settings[k] for k in settings.given}

    def _shape(self, node: Optional[YNode], path: str) -> Tuple[Optional[Given], Optional[Given]]:
        if node is None or node.value is None:
            return (None, None)
        items = None
        if node.is_seq() and len(node.value) == 2:
            items = [c.value for c in node.value]
        elif isinstance(node.value, str):
            parts = node.value.replace("×", "x").replace("*", "x").split("x")
            if len(parts) == 2:
                items = [
                    None if p.strip() in ("", "_", "?") else _int_or_text(p.strip()) for p in parts
                ]
        if items is None:
            raise sc.type_error(
                node,
                path,
                "[rows, columns]",
                "e.g. shape: [256, 64] or 256x64; null (or _) leaves a side to be inferred",
            )
        out = []
        for axis, v in enumerate(items):
            if v is None:
                out.append(None)
                continue
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise SpecError(
                    "%s has %s %r; sides are positive whole numbers"
                    % (path, ("rows", "columns")[axis], v),
                    "e.g. shape: [256, 64]; null (or _) leaves a side to be inferred",
                    **sc.where(node, path),
                )
            if v > self.limits.max_dim:
                raise SpecError(
                    "%s has a side of %d; the limit is %d" % (path, v, self.limits.max_dim),
                    "use a smaller shape",
                    **sc.where(node, path),
                )
            where = "%s%s" % (path, " (line %d)" % node.line if node.line else "")
            out.append(Given(v, where, node.line, node.column))
        return (out[0], out[1])

    def _elem_expr(self, node: YNode, path: str) -> str:
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return ex.format_number(float(node.value)) if math.isfinite(node.value) else "0"
        if not isinstance(node.value, str):
            raise sc.type_error(node, path, "an element expression", "e.g. expr: i == j ? 1 : 0")
        try:
            return str(elemexpr.parse_elem_expr(node.value, self.limits))
        except SpecError as e:
            raise self._rebase(e, node, path) from None

    def _data_shape(self, spec: NodeSpec, shape, node: YNode, path: str):
        try:
            rows, cols = data_shape(
                spec.data, self.base_dir, allow_remote=self.allow_remote, limits=self.limits
            )
        except RemoteDataDisabled:
            self.warnings.append(
                "%s: remote data %s is not fetched at build time; placeholder values are shown"
                % (path, spec.data.url)
            )
            return shape
        except SpecError as e:
            raise self._rebase(e, node, path) from None
        where = "data %s" % spec.data.describe()
        for axis, size in enumerate((rows, cols)):
            g = shape[axis]
            if g is not None and g.value != size:
                raise SpecError(
                    "%s gives %s %d, but %s has %d"
                    % (g.where, ("rows", "columns")[axis], g.value, where, size),
                    "leave shape out when the data sets it, or slice the data",
                    g.line,
                    g.column,
                    field=path,
                )
        return (
            Given(rows, where, node.line, node.column),
            Given(cols, where, node.line, node.column),
        )

    # -- cross checks
    def _check_blocks(
        self, tree: TreeNode, blocks: sc.Settings, nodes: Dict[str, NodeSpec], top
    ) -> None:
        checks = [(tree, blocks, top.get("blocks"), "blocks")]
        for t in tree.walk():
            n = nodes.get(t.label) if t.kind == "matmul" else None
            if n is not None and n.blocks is not None:
                checks.append((t, n.blocks, None, "nodes.%s.blocks" % t.label))
        for t, b, node, path in checks:
            for axis, size in (("i", t.shape[0]), ("j", t.shape[1]), ("k", t.depth)):
                if axis == "k" and t.kind != "matmul":
                    continue  # an element-wise root has no depth to split
                if b[axis] > size:
                    raise SpecError(
                        "%s.%s = %d, but %s has only %d along %s"
                        % (path, axis, b[axis], t.label, size, axis),
                        "use at most %d blocks along %s" % (size, axis),
                        node.line if node is not None else None,
                        node.column if node is not None else None,
                        field=path + "." + axis,
                    )
        self._check_inherited_blocks(tree, blocks, nodes)

    def _check_inherited_blocks(
        self, tree: TreeNode, blocks: sc.Settings, nodes: Dict[str, NodeSpec]
    ) -> None:
        """Below the root, a product's i and j blocks are its parent's (mm's rule)."""
        resolved = inherit.resolve_blocks(tree, blocks, nodes)
        for parent in tree.walk():
            for t, side in ((parent.left, "left"), (parent.right, "right")):
                matmul = t is not None and t.kind == "matmul" and t.label in nodes
                own = nodes[t.label].blocks if matmul else None
                for axis, value in zip("ij", resolved[t.path][:2] if own else ()):
                    if axis not in own.given or own[axis] == value:
                        continue
                    yaml = self.node_blocks[t.label]
                    node = yaml.value[axis] if yaml.is_map() else yaml
                    from_axis = {"i": "ik", "j": "kj"}[axis][side == "right"]
                    raise SpecError(
                        "nodes.%s.blocks.%s = %d, but %s, the %s argument of %s, takes its %s "
                        "blocks from %s's %s: %d"
                        % (t.label, axis, own[axis], t.label, side, parent.label, axis,
                           parent.label, from_axis, value),
                        "leave %s out: below the root only k is a product's own" % axis,
                        node.line,
                        node.column,
                        field="nodes.%s.blocks.%s" % (t.label, axis),
                    )  # fmt: skip


def _show_labels(tree: TreeNode, nodes: Dict[str, NodeSpec]) -> None:
    """Show each matrix under its ``label`` (mm shows two different matrices by one name)."""
    for t in tree.walk():
        spec = nodes.get(t.matrix) if t.kind == "leaf" else None
        if spec is not None and spec.label is not None:
            t.label = leaf_label(spec.label + (".T" if t.transposed else ""), t.epilog)


def _content_origin(node: YNode) -> Tuple[Optional[int], Optional[int]]:
    line = getattr(node, "content_line", None) or node.line
    col = getattr(node, "content_column", None) or node.column
    return line, col


def _int_or_text(text: str) -> Any:
    return int(text) if text.isdigit() else text
