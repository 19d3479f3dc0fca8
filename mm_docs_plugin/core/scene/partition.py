"""Per-matmul partitions and animation algorithms, resolved over the tree.

mm's propagation rules: a matmul's ``i`` blocks split its rows, ``j`` its
columns and ``k`` its depth.  Its left child (which computes the I×K left
argument) inherits ``i`` and takes the parent's ``k`` as its ``j``; its right
child (K×J) takes the parent's ``k`` as its ``i`` and inherits ``j``.  Only
``k`` is a child's own (``nodes.<name>.blocks.k``).  Blocks are ceil-sized, so
the last one may be short and an empty final block is dropped.

Algorithms: the root's ``anim.alg`` applies to every matmul whose own
``nodes.<name>.anim`` is ``inherit`` (the default); ``none`` on the root stops
all animation and ``none`` on a child stops its subtree.
"""

from __future__ import annotations

from typing import Dict, Tuple

from ..spec.spec import Spec
from ..spec.tree import TreeNode

Blocks = Tuple[int, int, int]  # i, j, k


def splits(n: int, blocks: int) -> Tuple[int, ...]:
    """Block boundaries of ``n`` elements in ``blocks`` ceil-sized blocks: (0, s, 2s, ..., n)."""
    size = -(-n // max(1, blocks))
    return tuple(range(0, n, size)) + (n,)


def resolve_blocks(spec: Spec) -> Dict[str, Blocks]:
    """(i, j, k) blocks of every matmul, by tree path."""
    out: Dict[str, Blocks] = {}
    root = spec.tree
    own = _node_blocks(spec, root)
    out[root.path] = (
        own.get("i", spec.blocks.i),
        own.get("j", spec.blocks.j),
        own.get("k", spec.blocks.k),
    )
    for t in root.walk():
        if t.kind != "matmul":
            continue
        bi, bj, bk = out[t.path]
        for child, (ci, cj) in ((t.left, (bi, bk)), (t.right, (bk, bj))):
            if child.kind == "matmul":
                out[child.path] = (ci, cj, _node_blocks(spec, child).get("k", 1))
    return out


def _node_blocks(spec: Spec, t: TreeNode) -> Dict[str, int]:
    settings = spec.nodes.get(t.label)
    if settings is None or settings.blocks is None:
        return {}
    return {axis: settings.blocks[axis] for axis in settings.blocks.given}


def resolve_algs(spec: Spec) -> Dict[str, str]:
    """The animation algorithm of every matmul, by tree path (``none`` when still)."""
    out: Dict[str, str] = {}
    for t in spec.tree.walk():  # pre-order: parents before children
        if t.kind != "matmul":
            continue
        settings = spec.nodes.get(t.label)
        own = settings.anim if settings is not None and settings.anim else "inherit"
        if t is spec.tree:  # the root's own setting, if any, wins over anim.alg
            out[t.path] = spec.anim.alg if own == "inherit" else own
            continue
        parent = out[t.path.rsplit(".", 1)[0]]
        # `none` above (the root's, or a child's) stills the whole subtree.
        out[t.path] = "none" if parent == "none" else parent if own == "inherit" else own
    return out
