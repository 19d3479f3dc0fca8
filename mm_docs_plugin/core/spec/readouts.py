"""The ``readouts:`` key: which numbers the core computes about which nodes.

    readouts:
      QK: [sv, rank, norm]          # top singular values, effective rank, Frobenius norm
      OV: [{sv: 3}, {dirs: 2}, max]

Keys are node names as in ``nodes:`` (a matrix, or a product's name); each value is a
list of read-out kinds, a kind either bare or as a one-key mapping giving its count.
The numbers are computed at build time by `scene.readouts` and shipped in the scene
file; the plugin shows them in a table beside the figure and cites them in the prose.
Shapes are known here (inferred before this check), so sizes are refused before any
singular value decomposition starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from ..errors import Limits, SpecError, did_you_mean
from ..language import schema as sc
from ..language.fence_yaml import YNode
from .tree import TreeNode

# kind -> (what it is, default count, largest count); count None: not countable.
KINDS: Dict[str, Tuple[str, Optional[int], Optional[int]]] = {
    "min": ("smallest value", None, None),
    "max": ("largest value", None, None),
    "mean": ("mean value", None, None),
    "norm": ("Frobenius norm, sqrt of the sum of squares", None, None),
    "sv": ("largest singular values, σ1 ≥ σ2 ≥ …", 6, 16),
    "rank": ("effective rank exp(H(p)), p = σ / Σσ (Roy & Vetterli)", None, None),
    "dirs": ("top singular directions: strongest rows and columns of u_i and v_i", 1, 4),
}
SVD_KINDS = ("sv", "rank", "dirs")
# The singular vectors cost several times the values alone (≈1.6 s against 0.5 s for a
# 768×768 matrix on a busy build machine, more in the reader's Pyodide): dirs gets a
# quarter of the elements (512×512) that sv and rank get (1024×1024).
DIRS_SHARE = 4


def svd_cap(kind: str, limits: Limits) -> Optional[int]:
    """Most elements a matrix may have for this read-out (None: no cap)."""
    if kind == "dirs":
        return limits.max_svd_elements // DIRS_SHARE
    return limits.max_svd_elements if kind in SVD_KINDS else None


MAX_NODES = 16  # nodes with read-outs in one figure


@dataclass(frozen=True)
class Readout:
    """One read-out of a node: its kind and, for ``sv`` and ``dirs``, how many."""

    kind: str
    count: Optional[int] = None
    given: bool = False  # the count was written ({sv: 4}), not defaulted

    def to_data(self) -> Any:
        return {self.kind: self.count} if self.given else self.kind


@dataclass(frozen=True)
class NodeReadouts:
    node: str  # the name as written under readouts: (a matrix or a product's name)
    items: Tuple[Readout, ...]


def to_dict(readouts: Tuple[NodeReadouts, ...]) -> Dict[str, List[Any]]:
    return {r.node: [item.to_data() for item in r.items] for r in readouts}


def named_nodes(tree: TreeNode) -> Dict[str, TreeNode]:
    """Name -> the first tree node of that name (leaves by their matrix, as in nodes:)."""
    names: Dict[str, TreeNode] = {}
    for t in tree.walk():
        names.setdefault(t.matrix if t.kind == "leaf" else t.label, t)
    return names


def matrix_shape(t: TreeNode) -> Tuple[int, int]:
    """The shape of the matrix a name stands for (``K``'s, where the expression has K.T)."""
    return tuple(t.shape[::-1]) if t.kind == "leaf" and t.transposed else tuple(t.shape)


def read_readouts(
    node: Optional[YNode], tree: TreeNode, limits: Limits
) -> Tuple[NodeReadouts, ...]:
    """The validated ``readouts:`` section (shapes in ``tree`` already inferred)."""
    if node is None or node.value is None:
        return ()
    if not node.is_map():
        raise sc.type_error(
            node, "readouts", "a mapping of node names", "e.g. readouts: {QK: [sv, rank]}"
        )
    if len(node.value) > MAX_NODES:
        raise SpecError(
            "readouts names %d nodes; the limit is %d" % (len(node.value), MAX_NODES),
            "keep the read-outs the text needs",
            **sc.where(node, "readouts"),
        )
    names = named_nodes(tree)
    out = []
    for name, items in node.value.items():
        path = "readouts." + name
        t = names.get(name)
        if t is None:
            line, col = sc.key_where(node, name)
            raise SpecError(
                "readouts has %r, which is not in the expression" % name,
                did_you_mean(name, list(names)) or "names in the expression: " + ", ".join(names),
                line,
                col,
                len(name),
                path,
            )
        out.append(NodeReadouts(name, _items(items, path, matrix_shape(t), limits)))
    return tuple(out)


def _items(node: YNode, path: str, shape: Tuple[int, int], limits: Limits) -> Tuple[Readout, ...]:
    if not node.is_seq() or not node.value:
        raise sc.type_error(
            node, path, "a list of read-outs", "e.g. [sv, rank, norm]; kinds: " + ", ".join(KINDS)
        )
    seen = set()
    out = []
    for n, item in enumerate(node.value):
        where = "%s[%d]" % (path, n)
        kind, count_node = _kind(item, where)
        if kind in seen:
            raise SpecError("%s lists %s twice" % (path, kind), "keep one", **sc.where(item, where))
        seen.add(kind)
        _, default, most = KINDS[kind]
        count = default
        if count_node is not None:
            if most is None:
                raise SpecError(
                    "%s takes no count" % kind,
                    "write it bare: %s; counts apply to sv and dirs" % kind,
                    **sc.where(count_node, where),
                )
            f = sc.Field(kind, "int", default, KINDS[kind][0], lo=1, hi=most)
            count = sc.check_value(f, count_node, where + "." + kind)
        if count is not None:
            count = min(count, min(shape)) if count_node is None else count
            if count > min(shape):
                raise SpecError(
                    "%s: %s = %d, but %s is %d×%d and has only %d singular values"
                    % (where, kind, count, path[9:], shape[0], shape[1], min(shape)),
                    "use at most %d" % min(shape),
                    **sc.where(count_node, where),
                )
        cap = svd_cap(kind, limits)
        if cap is not None and shape[0] * shape[1] > cap:
            vectors = "the singular vectors" if kind == "dirs" else "the singular values"
            raise SpecError(
                "%s: %s needs %s of %s, %d×%d = %s elements; the limit is %s"
                % (where, kind, vectors, path[9:], shape[0], shape[1],
                   format(shape[0] * shape[1], ","), format(cap, ",")),
                "sv and rank take up to %s elements, dirs up to %s; min, max, mean and "
                "norm any size" % (format(limits.max_svd_elements, ","),
                                   format(svd_cap("dirs", limits), ",")),
                **sc.where(item, where),
            )  # fmt: skip
        out.append(Readout(kind, count, count_node is not None))
    return tuple(out)


def _kind(item: YNode, where: str) -> Tuple[str, Optional[YNode]]:
    """(kind, the count's node or None) of one list item: ``sv`` or ``{sv: 4}``."""
    hint = "kinds: %s; e.g. sv, or {sv: 4} for a count" % ", ".join(KINDS)
    if item.is_map() and len(item.value) == 1:
        (kind, count), = item.value.items()  # fmt: skip
        line, col = sc.key_where(item, kind)
    elif isinstance(item.value, str):
        kind, count, line, col = item.value, None, item.line, item.column
    else:
        raise sc.type_error(item, where, "a read-out kind", hint)
    if kind not in KINDS:
        raise SpecError(
            "unknown read-out %r in %s" % (kind, where),
            did_you_mean(kind, list(KINDS)) or hint,
            line,
            col,
            len(str(kind)),
            where,
        )
    return kind, count
