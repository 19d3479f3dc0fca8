"""Per-matmul partitions and animation algorithms, resolved over the tree.

A matmul's ``i`` blocks split its rows, ``j`` its columns and ``k`` its depth;
children inherit theirs as mm passes them down (`spec.inherit`).  Blocks are
ceil-sized, so the last one may be short and an empty final block is dropped.

Algorithms: the root's ``anim.alg`` applies to every matmul whose own
``nodes.<name>.anim`` is ``inherit`` (the default); ``none`` on the root stops
all animation and ``none`` on a child stops its subtree.
"""

from __future__ import annotations

from typing import Dict, Tuple

from ..spec import inherit
from ..spec.inherit import Blocks
from ..spec.spec import Spec


def splits(n: int, blocks: int) -> Tuple[int, ...]:
    """Block boundaries of ``n`` elements in ``blocks`` ceil-sized blocks: (0, s, 2s, ..., n)."""
    size = -(-n // max(1, blocks))
    return tuple(range(0, n, size)) + (n,)


def resolve_blocks(spec: Spec) -> Dict[str, Blocks]:
    """(i, j, k) blocks of every matmul, by tree path (mm's propagation, `spec.inherit`)."""
    return inherit.resolve_blocks(spec.tree, spec.blocks, spec.nodes)


def resolve_algs(spec: Spec) -> Dict[str, str]:
    """The animation algorithm of every matmul, by tree path (``none`` when still)."""
    out: Dict[str, str] = {}
    for t in spec.tree.walk():  # pre-order: parents before children
        if t.kind == "leaf":
            continue
        # an element-wise node has no sweep of its own (it appears complete) but
        # passes its parent's algorithm down to the products it adds or multiplies
        settings = spec.nodes.get(t.label) if t.kind == "matmul" else None
        own = settings.anim if settings is not None and settings.anim else "inherit"
        if t is spec.tree:  # the root's own setting, if any, wins over anim.alg
            out[t.path] = spec.anim.alg if own == "inherit" else own
            continue
        parent = out[t.path.rsplit(".", 1)[0]]
        # `none` above (the root's, or a child's) stills the whole subtree.
        out[t.path] = "none" if parent == "none" else parent if own == "inherit" else own
    return out
