"""Evaluation: the values of every node of a spec.

Each input matrix is made once (a name used twice, or as ``X`` and ``X.T``, is one
matrix); products are multiplied in float64, epilogs apply to complete sums, and
nodes keep float32 values.  Products beyond float32's range are reported.
"""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Tuple

import numpy as np

from ..errors import SpecError
from ..inputs.data import RemoteDataDisabled, load_data
from ..inputs.inits import apply_dropout, make_values, matrix_rng, placeholder
from ..language import elemexpr
from ..language import epilog as ep
from ..spec import vocab
from ..spec.spec import NodeSpec, Spec
from ..spec.tree import TreeNode
from .nodes import NodeList, SceneNode

# An element-wise node's operation; numpy broadcasts a 1×n row or an n×1 column.
ELEMENTWISE = {"+": np.add, "-": np.subtract, "*": np.multiply}


class Values(NamedTuple):
    """What evaluation gives a scene."""

    root: SceneNode
    nodes: NodeList  # pre-order
    inputs: Dict[str, np.ndarray]  # input matrices by name, float32, read-only
    warnings: Tuple[str, ...]
    exact: Dict[str, np.ndarray]  # tree path -> float64 values as computed (for read-outs)


def evaluate(spec: Spec) -> Values:
    """Every node's values (the spec's shapes are already inferred)."""
    warnings = list(spec.warnings)
    matrices: Dict[str, np.ndarray] = {}
    inits: Dict[str, str] = {}
    for t in spec.tree.walk():
        if t.kind == "leaf" and t.matrix not in matrices:
            shape = t.shape[::-1] if t.transposed else t.shape
            settings = spec.nodes.get(t.matrix) or NodeSpec(t.matrix, "leaf")
            matrices[t.matrix] = _leaf_values(spec, settings, shape, warnings)
            inits[t.matrix] = settings.effective_init
    values: Dict[int, np.ndarray] = {}
    for t in spec.tree.post_order():
        if t.kind == "leaf":
            m = matrices[t.matrix]
            # An epilog on an input (softmax(S)) applies to this occurrence only.
            values[id(t)] = ep.apply(t.epilog, m.T if t.transposed else m, 0)
        elif t.kind == "elementwise":
            with np.errstate(all="ignore"):  # inf - inf is NaN, and shown as such
                result = ELEMENTWISE[t.op](values[id(t.left)], values[id(t.right)])
            values[id(t)] = ep.apply(t.epilog, result, 0)
        else:
            product = np.dot(values[id(t.left)], values[id(t.right)])
            values[id(t)] = ep.apply(t.epilog, product, t.depth)
    nodes = NodeList()
    root = _scene_node(spec.tree, values, inits, nodes)
    for node in nodes:
        if node.kind != "leaf" and np.isinf(node.values).any():
            exact = values[id(_tree_node(spec.tree, node.path))]
            if np.isfinite(exact).all():
                warnings.append(
                    "%s: values beyond float32 range (up to %.3g) are shown as ±inf"
                    % (node.name, np.abs(exact).max())
                )
    frozen = {}
    for name, m in matrices.items():
        frozen[name] = m.astype(np.float32)
    exact = {t.path: values[id(t)] for t in spec.tree.walk()}
    return Values(root, nodes, frozen, tuple(warnings), exact)


def _scene_node(t: TreeNode, values, inits, out: NodeList) -> SceneNode:
    # Pre-order: the node is listed before its children.
    with np.errstate(over="ignore"):  # overflow to ±inf is reported by build()
        v = np.ascontiguousarray(values[id(t)], dtype=np.float32)
    v.setflags(write=False)
    node = SceneNode(
        name=t.label,
        shape=tuple(t.shape),
        kind=t.kind,
        values=v,
        path=t.path,
        epilog=ep.epilog_text(t.epilog) if t.kind != "leaf" or t.epilog else None,
        epilog_ops=t.epilog,
        matrix=t.matrix,
        transposed=t.transposed,
        init=inits.get(t.matrix) if t.kind == "leaf" else None,
        op=t.op,
        row_labels=t.row_labels,
        col_labels=t.col_labels,
        highlight=t.highlight,
    )
    out.append(node)
    if t.left is not None:
        node.left = _scene_node(t.left, values, inits, out)
        node.right = _scene_node(t.right, values, inits, out)
    return node


def _tree_node(root: TreeNode, path: str) -> TreeNode:
    return next(t for t in root.walk() if t.path == path)


def _leaf_values(
    spec: Spec, s: NodeSpec, shape: Tuple[int, int], warnings: List[str]
) -> np.ndarray:
    """float64 values of one input matrix, made once however often it is used."""
    init = s.effective_init
    kw = {"seed": spec.seed, "name": s.name}
    if init == "expr":
        # NaN and ±Inf from an expression are kept: the viewer marks them.
        x = elemexpr.parse_elem_expr(s.expr, spec.limits).evaluate(
            shape[0], shape[1], rng=matrix_rng(spec.seed, s.name)
        )
    elif init == "values":
        x = np.array(s.values, dtype=np.float64)
    elif init == "onehot":
        x = np.zeros(shape)
        columns = vocab.onehot_columns(s, vocab.matrix_labels(s, spec.labels)[1])
        x[np.arange(shape[0]), columns] = 1.0
    elif init == "data":
        try:
            x = load_data(s.data, spec.base_dir, limits=spec.limits).astype(np.float64)
        except RemoteDataDisabled:
            x = placeholder(shape, spec.seed, s.name)
            warnings.append(
                "%s: placeholder values; the data at %s was not fetched" % (s.name, s.data.url)
            )
        except SpecError as e:  # read only now (validation read headers): say which node
            if e.line is not None or e.field is not None:
                raise
            raise SpecError(e.message, e.hint, field="nodes.%s.data" % s.name) from None
        if x.shape != tuple(shape):
            raise SpecError(
                "data for %s is %d×%d but the figure needs %d×%d"
                % (s.name, x.shape[0], x.shape[1], shape[0], shape[1]),
                "the file changed since the spec was checked; build again",
                field="nodes.%s.data" % s.name,
            )
    else:
        lo = s.min if s.min is not None else -1.0
        hi = s.max if s.max is not None else 1.0
        return make_values(
            init, shape, lo=lo, hi=hi, value=s.value or 0.0, dropout=s.dropout or 0.0, **kw
        )
    return apply_dropout(x, s.dropout or 0.0, spec.seed, s.name)
