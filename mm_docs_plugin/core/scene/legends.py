"""Legends: each matrix's name, its dimension labels (``I = 256 / 8``), and its row and
column labels (``labels:``, carried to products: spec.vocab).

A name sits on its face, centred and reading along the face's columns, as mm writes
it; it also carries alternatives outside the face's free edges, for views where the
centre is taken (the renderers pick per view: `figure/labels.js`, `poster.py`).  A
dimension label goes outside an edge of its face that no other face lies beyond
(within reach, in or out of the face's plane), so it does not sit on other matrices.
"""

from __future__ import annotations

import math
from typing import List

import numpy as np

from ..spec.spec import Spec
from .geometry import Legend, MatrixView, add, bbox, neg, scale
from .stacks import GLYPHS


def place_legends(spec: Spec, views: List[MatrixView]) -> List[Legend]:
    """Names and dimension labels, each outside an edge no other face is beyond."""
    deco = spec.deco
    if deco.legends <= 0:
        return []
    by_path = {t.path: t for t in spec.tree.walk()}
    names = _names(spec)
    boxes = _BoxIndex([bbox(v.corners()) for v in views])
    out: List[Legend] = []
    for n, v in enumerate(views):
        stacked = by_path[v.cube].kind == "elementwise"
        h, w = by_path[v.cube].shape if stacked else v.shape  # a bias row: as its sum's names
        size = deco.legends * (h * w) ** (1 / 3) / 10
        if len(v.name) > 8:
            size *= 8 / len(v.name)  # mm shrinks long names
        reach = 2 * v.gap + 2 * size
        free = [e for e in _edges(v) if not _edge_taken(e, v, n, boxes, reach)]
        rows_free = [e for e in free if e[0].startswith("row")] or free or [_edges(v)[0]]
        name_edge = rows_free[0]
        node = by_path.get(v.node)
        shape = deco.shape and node is not None and (node.kind == "leaf" or node.path == "root")
        if shape:
            letters = ("I", "J") if stacked else _DIM_LETTERS[v.role]
            for edge in _shape_edges(free, v):
                axis = 1 if edge[0].startswith("row") else 0  # row edges run along columns
                splits_ = v.col_splits if axis == 1 else v.row_splits
                if stacked and splits_[-1] == 1 and v.shape != (1, 1):
                    continue  # a broadcast row (column): its one row needs no label
                text = "%s = %d" % (letters[axis], splits_[-1])
                if len(splits_) > 2:
                    text += " / %d" % (len(splits_) - 1)
                out.append(_edge_legend(text, edge, v, n, size * 0.6, 1.2, "shape"))
        shape_edges = _shape_edges(free, v) if shape else []
        # Outside the free edges first, then outside any edge, then a ring further out:
        # on screen another label may take every nearer place.
        edges = [name_edge] + [e for e in free if e is not name_edge]
        edges += [e for e in _edges(v) if e[0] not in {f[0] for f in edges}]
        around = [
            _edge_legend(
                names.get(v.node, v.name),
                e,
                v,
                n,
                size,
                ring + (1.4 if e in shape_edges else 0),
                "name",
            )
            for ring in (1.2, 3.2)
            for e in edges
        ]
        if node is not None:
            out += _edge_labels(node, _shown_elsewhere(v, by_path), v, n, free)
        c = v.corners()
        centre = scale(add(c[0], c[2]), 0.5)
        alternatives = tuple((a.anchor, a.direction) for a in around)
        text = names.get(v.node, v.name)
        out.append(Legend(text, centre, v.axes[1], v.normal, size, "name", n, alternatives))
    return out


def _names(spec: Spec):
    """The name written on each node's face: its label, and on the right operand of an
    element-wise node the operator before it (``+ b``, ``⊙ x @ V``), so that reading
    down the stack reads the sum (the faces themselves leave no room between them)."""
    out = {}
    for t in spec.tree.walk():
        if t.kind == "elementwise":
            out[t.right.path] = "%s %s" % (GLYPHS[t.op], t.right.label)
    return out


EDGE_SIZE = 0.8  # text height of a row or column label, in cells
EDGE_OFFSET = 0.6  # its near end's distance from the matrix edge, in cells
MAX_EDGE_LABELS = 256  # per side; longer lists are thinned (every n-th) here already


def _shown_elsewhere(v: MatrixView, by_path):
    """The sides of ``v`` whose labels another face of its cube shows along the same axis:
    a result's rows (its left argument's) and columns (its right argument's), a left
    argument's columns (the right argument's rows, k).  Each axis is labelled once."""
    cube = by_path.get(v.cube)
    if cube is None or cube.kind != "matmul":
        return ()
    left, right = cube.left, cube.right
    if v.role == "result":
        return tuple(
            side
            for side, mine, theirs in (
                ("row", cube.row_labels, left.row_labels),
                ("col", cube.col_labels, right.col_labels),
            )
            if mine is not None and mine == theirs
        )
    if v.role == "left" and right.row_labels is not None:
        return ("col",) if left.col_labels == right.row_labels else ()
    return ()


def _edge_labels(node, skip, v: MatrixView, n: int, free) -> List[Legend]:
    """A legend per row label and per column label: kind "row" / "col", its ``anchor``
    the near end of the text just outside the edge, reading outward (``direction``).

    Row labels go outside a column edge (j = 0 first, else j = w) and column labels
    outside a row edge (i = 0 first), a free one where there is one.  The renderers
    size them by the rows' spacing on screen and show every n-th where they would be
    too small (level of detail), dropping any that would cover another label.
    """
    out: List[Legend] = []
    names = {e[0]: e for e in _edges(v)}
    for kind, labels, sides in (
        ("row", node.row_labels, ("col-start", "col-end")),
        ("col", node.col_labels, ("row-start", "row-end")),
    ):
        if not labels or kind in skip:
            continue
        side = next((names[e] for e in sides if any(f[0] == e for f in free)), names[sides[0]])
        outward = side[3]
        far = side[0].endswith("end")
        stride = -(-len(labels) // MAX_EDGE_LABELS)
        for k in range(0, len(labels), stride):
            r, c = (
                (k, v.shape[1] - 1 if far else 0)
                if kind == "row"
                else (v.shape[0] - 1 if far else 0, k)
            )
            anchor = add(v.element_center(r, c), scale(outward, 0.5 + EDGE_OFFSET))
            out.append(Legend(labels[k], anchor, outward, v.normal, EDGE_SIZE, kind, n))
    return out


_DIM_LETTERS = {"result": ("I", "J"), "left": ("I", "K"), "right": ("K", "J")}


def _edges(v: MatrixView):
    """(name, start, end, outward) for the four edges of a view."""
    c = v.corners()
    a0, a1 = v.axes
    return [
        ("row-start", c[0], c[3], neg(a0)),
        ("row-end", c[1], c[2], a0),
        ("col-start", c[0], c[1], neg(a1)),
        ("col-end", c[3], c[2], a1),
    ]


class _BoxIndex:
    """The faces' bounding boxes, sorted along x, so that a query looks only at boxes
    that start before its own end: near-linear for figures spread out in space
    (a 128-matmul chain), where testing every box against every edge was quadratic."""

    def __init__(self, boxes) -> None:
        lo = np.array([b[0] for b in boxes], dtype=float).reshape(-1, 3)
        hi = np.array([b[1] for b in boxes], dtype=float).reshape(-1, 3)
        self.order = np.argsort(lo[:, 0], kind="stable")
        self.lo, self.hi = lo[self.order], hi[self.order]
        self.starts = self.lo[:, 0]

    def hits(self, lo, hi, skip: int) -> bool:
        """Whether a box other than number ``skip`` overlaps [lo, hi] (a flat box: when
        its plane lies strictly inside)."""
        end = int(np.searchsorted(self.starts, hi[0], side="left"))
        if end == 0:
            return False
        blo, bhi = self.lo[:end], self.hi[:end]
        qlo, qhi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        overlap = np.minimum(qhi, bhi) - np.maximum(qlo, blo) > 1e-6
        inside = (blo == bhi) & (qlo < blo) & (blo < qhi)
        found = np.all(overlap | inside, axis=1) & (self.order[:end] != skip)
        return bool(found.any())


def _edge_taken(edge, v: MatrixView, n: int, boxes: _BoxIndex, reach: float) -> bool:
    """Whether another face lies within ``reach`` beyond this edge (in or out of plane)."""
    _, a, b, out = edge
    normal = v.normal
    pts = [
        add(p, add(scale(out, d), scale(normal, e)))
        for p in (a, b)
        for d in (0.0, reach)
        for e in (-reach, reach)
    ]
    lo, hi = bbox(pts)
    return boxes.hits(lo, hi, n)


def _shape_edges(free, v: MatrixView):
    """One free edge per dimension: a row edge (labels columns), a column edge (labels rows)."""
    picks = []
    for kind in ("col", "row"):
        options = [e for e in free if e[0].startswith(kind)]
        if options:
            picks.append(options[-1])  # prefer the far (end) edge, away from the origin corner
    return picks


def _edge_legend(
    text: str, edge, v: MatrixView, n: int, size: float, offset: float, kind: str
) -> Legend:
    _, a, b, out = edge
    mid = scale(add(a, b), 0.5)
    along = tuple(bb - aa for aa, bb in zip(a, b))
    length = max(math.sqrt(sum(x * x for x in along)), 1e-9)
    direction = tuple(x / length for x in along)
    return Legend(text, add(mid, scale(out, size * offset)), direction, v.normal, size, kind, n)
