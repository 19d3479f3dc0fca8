"""3D layout: where every matrix of a figure sits.

Each matmul is a cube with a frame: an origin and three unit axes ``ui``
(rows, i), ``uj`` (columns, j) and ``uk`` (depth, k).  Its interior holds the
I×J×K products; its three faces sit ``gap`` outside the interior:

- the result (I×J) on a k-side: ``front`` (before k = 0) or ``back``;
- the left argument (I×K) on a j-side: ``left`` (before j = 0) or ``right``;
- the right argument (K×J) on an i-side: ``top`` (before i = 0) or ``bottom``.

So the left argument and the result share the i edge, the right argument and
the result share j, and the two arguments share k.  ``polarity`` orients the
depth: ``negative`` makes ``uk = -(ui × uj)``, ``positive`` its opposite.

A child matmul computes its parent's argument, so its result face *is* that
argument face: the child's frame is the parent's turned onto that face, its
depth pointing away from the parent (that fixes which side its result is on).
The layout ``scheme`` chooses a child's polarity and argument sides from its
parent's: ``blocks`` flips polarity and the side of the argument facing the
parent's other argument (alternating convex and concave cubes), ``zigzag``
only flips polarity, ``wheel`` copies the parent (each child turned 90°), and
``custom`` uses each node's own ``layout`` settings.

The root's rows run down the screen (``ui = -y``), its columns to the right
(``uj = +x``), and everything is centred on its bounding box.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from ..spec import sections
from ..spec.spec import Spec
from ..spec.tree import TreeNode
from .camera import frame_camera
from .geometry import (
    Arrow,
    Block,
    Camera,
    Cube,
    Legend,
    MatrixView,
    Vec3,
    add,
    bbox,
    cross,
    neg,
    scale,
)
from .legends import place_legends
from .partition import resolve_blocks, splits

Splits = Tuple[int, ...]


@dataclass(frozen=True)
class Placement:
    polarity: str  # "negative" | "positive"
    left: str  # side of the left argument: "left" | "right"
    right: str  # side of the right argument: "top" | "bottom"
    result: str  # side of the result: "front" | "back"


@dataclass(frozen=True)
class Frame:
    """A cube in world space, before centring."""

    origin: Vec3
    axes: Tuple[Vec3, Vec3, Vec3]
    splits: Tuple[Splits, Splits, Splits]
    placement: Placement
    gap: float

    def extent(self, axis: int) -> float:
        s = self.splits[axis]
        return s[-1] + self.gap * (len(s) - 2)

    def side(self, axis: int, first: bool) -> float:
        """Coordinate along ``axis`` of a face placed before (first) or after the interior."""
        return -self.gap if first else self.extent(axis) + self.gap


@dataclass(frozen=True)
class Layout:
    matrices: Tuple[MatrixView, ...]
    cubes: Tuple[Cube, ...]
    legends: Tuple[Legend, ...]
    camera: Camera
    bbox: Tuple[Vec3, Vec3]
    warnings: Tuple[str, ...] = ()


def layout(spec: Spec) -> Layout:
    """Place every matrix of ``spec``'s tree (shapes must be inferred)."""
    blocks = resolve_blocks(spec)
    gap = float(spec.layout.gap)
    frames = _frames(spec, blocks, gap)
    views: List[MatrixView] = []
    index: Dict[Tuple[str, str], int] = {}  # (cube path, role) -> view index
    for t in spec.tree.walk():
        if t.kind != "matmul":
            continue
        f = frames[t.path]
        for role, child in (("result", t), ("left", t.left), ("right", t.right)):
            if (
                role != "result"
                and child.kind == "matmul"
                and _coincide(f, role, frames[child.path])
            ):
                continue  # drawn once, as the child's result
            index[(t.path, role)] = len(views)
            views.append(_face(f, role, t if role == "result" else child, t.path))
    for t in spec.tree.walk():  # arguments computed by children are their results
        if t.kind == "matmul":
            for role, child in (("left", t.left), ("right", t.right)):
                if (t.path, role) not in index:
                    index[(t.path, role)] = index[(child.path, "result")]

    lo, hi = bbox([c for v in views for c in v.corners()])
    centre = scale(add(lo, hi), -0.5)
    views = [_moved_view(v, centre) for v in views]
    cubes = [
        _cube(t, frames[t.path], index, views, centre, spec.deco.flow_guides)
        for t in spec.tree.walk()
        if t.kind == "matmul"
    ]
    lo, hi = add(lo, centre), add(hi, centre)
    legends = place_legends(spec, views)
    warnings = tuple(
        "layout: %s and %s overlap (scheme %s); try layout.scatter, or scheme blocks"
        % (views[m].name, views[n].name, spec.layout.scheme)
        for m, n in overlaps(views)[:3]
    )
    # Frame the faces and the labels around them (a label's anchor plus its size).
    points = [c for v in views for c in v.corners()]
    points += [
        add(g.anchor, scale(g.direction, d * g.size * len(g.text) * 0.3))
        for g in legends
        for d in (-1, 1)
    ]
    camera = frame_camera(spec, points)
    return Layout(tuple(views), tuple(cubes), tuple(legends), camera, (lo, hi), warnings)


def overlaps(views: List[MatrixView], eps: float = 1e-6) -> List[Tuple[int, int]]:
    """Pairs of views whose faces intersect (touching at an edge does not count)."""
    boxes = [bbox(v.corners()) for v in views]
    found = []
    for m in range(len(boxes)):
        for n in range(m + 1, len(boxes)):
            if _boxes_meet(boxes[m], boxes[n], eps):
                found.append((m, n))
    return found


def _boxes_meet(a, b, eps: float) -> bool:
    for axis in range(3):
        a0, a1, b0, b1 = a[0][axis], a[1][axis], b[0][axis], b[1][axis]
        if a1 - a0 < eps and b1 - b0 < eps:  # both flat here: only the same plane meets
            if abs(a0 - b0) > eps:
                return False
        elif min(a1, b1) - max(a0, b0) <= eps:
            return False
    return True


# ---------------------------------------------------------------- frames


def _frames(spec: Spec, blocks, gap: float) -> Dict[str, Frame]:
    root = spec.tree
    lay = spec.layout
    placement = Placement(
        lay.polarity, lay.left_placement, lay.right_placement, lay.result_placement
    )
    ui, uj = (0.0, -1.0, 0.0), (1.0, 0.0, 0.0)
    frames = {
        root.path: Frame(
            (0.0, 0.0, 0.0),
            (ui, uj, _depth(ui, uj, placement.polarity)),
            _splits(root, blocks[root.path]),
            placement,
            gap,
        )
    }
    total = sum(1 for t in root.walk() if t.kind == "matmul")
    for t in root.walk():  # pre-order: a parent's frame exists before its children's
        if t.kind != "matmul":
            continue
        parent = frames[t.path]
        for role, child in (("left", t.left), ("right", t.right)):
            if child.kind == "matmul":
                own = _child_placement(spec, parent.placement, role, child)
                frames[child.path] = _child_frame(
                    parent, role, child, own, blocks[child.path], _scatter(spec, child, total)
                )
    return frames


def _depth(ui: Vec3, uj: Vec3, polarity: str) -> Vec3:
    n = cross(ui, uj)
    return neg(n) if polarity == "negative" else n


def _splits(t: TreeNode, b) -> Tuple[Splits, Splits, Splits]:
    return (splits(t.shape[0], b[0]), splits(t.shape[1], b[1]), splits(t.depth, b[2]))


def _flip(value: str, a: str, b: str) -> str:
    return b if value == a else a


def _child_placement(spec: Spec, p: Placement, role: str, child: TreeNode) -> Placement:
    scheme = spec.layout.scheme
    if scheme == "custom":
        settings = spec.nodes.get(child.label)
        own = (
            settings.layout
            if settings is not None and settings.layout is not None
            else sections.NODE_LAYOUT.defaults()
        )
        return Placement(
            own.polarity, own.left_placement, own.right_placement, own.result_placement
        )
    if scheme == "wheel":
        return p
    polarity = _flip(p.polarity, "negative", "positive")
    if scheme == "zigzag":
        return Placement(polarity, p.left, p.right, p.result)
    # blocks: the side facing the parent's other argument flips too
    if role == "left":
        return Placement(polarity, p.left, _flip(p.right, "top", "bottom"), p.result)
    return Placement(polarity, _flip(p.left, "left", "right"), p.right, p.result)


def _scatter(spec: Spec, child: TreeNode, total: int) -> float:
    """mm's scatter: extra distance of a child matmul from its parent's face."""
    lay = spec.layout
    count = sum(1 for t in child.walk() if t.kind == "matmul")
    if lay.scatter == 0 or count < lay.molecule:
        return 0.0
    factor = count**lay.blast if lay.blast >= 0 else max(total - count, 1) ** -lay.blast
    return float(lay.scatter) * factor


def _child_frame(
    parent: Frame, role: str, child: TreeNode, own: Placement, b, scatter: float
) -> Frame:
    ui, uj, uk = parent.axes
    if role == "left":
        # The child's result is the parent's left face: rows along ui, columns along uk.
        c_ui, c_uj = ui, uk
        first = parent.placement.left == "left"
        face = scale(uj, parent.side(1, first))
        away = neg(uj) if first else uj
    else:
        # The child's result is the parent's right face: rows along uk, columns along uj.
        c_ui, c_uj = uk, uj
        first = parent.placement.right == "top"
        face = scale(ui, parent.side(0, first))
        away = neg(ui) if first else ui
    c_uk = _depth(c_ui, c_uj, own.polarity)
    # The child's interior lies beyond the face, away from the parent: its result
    # is at the front of its own depth when its depth points away, else at the back.
    result = "front" if c_uk == away else "back"
    frame = Frame(
        (0.0, 0.0, 0.0),
        (c_ui, c_uj, c_uk),
        _splits(child, b),
        replace(own, result=result),
        parent.gap,
    )
    depth_of_face = frame.side(2, result == "front")
    origin = add(add(parent.origin, face), add(scale(c_uk, -depth_of_face), scale(away, scatter)))
    return replace(frame, origin=origin)


def _coincide(parent: Frame, role: str, child: Frame) -> bool:
    """Whether a child's result face lies exactly on its parent's argument face."""
    a = _face(parent, role, None, "").origin
    b = _face(child, "result", None, "").origin
    return max(abs(x - y) for x, y in zip(a, b)) < 1e-9


# ---------------------------------------------------------------- faces


def _face(f: Frame, role: str, node: Optional[TreeNode], cube: str) -> MatrixView:
    ui, uj, uk = f.axes
    p = f.placement
    if role == "result":
        origin = add(f.origin, scale(uk, f.side(2, p.result == "front")))
        axes, rows, cols = (ui, uj), f.splits[0], f.splits[1]
    elif role == "left":
        origin = add(f.origin, scale(uj, f.side(1, p.left == "left")))
        axes, rows, cols = (ui, uk), f.splits[0], f.splits[2]
    else:
        origin = add(f.origin, scale(ui, f.side(0, p.right == "top")))
        axes, rows, cols = (uk, uj), f.splits[2], f.splits[1]
    blocks = tuple(
        Block(
            (rows[a], rows[a + 1]),
            (cols[b], cols[b + 1]),
            add(
                origin,
                add(scale(axes[0], rows[a] + f.gap * a), scale(axes[1], cols[b] + f.gap * b)),
            ),
        )
        for a in range(len(rows) - 1)
        for b in range(len(cols) - 1)
    )
    return MatrixView(
        name=node.label if node is not None else "",
        node=node.path if node is not None else "",
        role=role,
        cube=cube,
        shape=(rows[-1], cols[-1]),
        origin=origin,
        axes=axes,
        blocks=blocks,
        row_splits=rows,
        col_splits=cols,
        gap=f.gap,
    )


def _moved_view(v: MatrixView, d: Vec3) -> MatrixView:
    blocks = tuple(replace(b, origin=add(b.origin, d)) for b in v.blocks)
    return replace(v, origin=add(v.origin, d), blocks=blocks)


# ---------------------------------------------------------------- cubes


def _cube(t: TreeNode, f: Frame, index, views, d: Vec3, flow: float) -> Cube:
    left, right, result = (index[(t.path, r)] for r in ("left", "right", "result"))
    corners = [c for i in (left, right, result) for c in views[i].corners()]
    origin = add(f.origin, d)
    size = (t.shape[0], t.shape[1], t.depth)
    cube = Cube(
        node=t.path,
        name=t.label,
        origin=origin,
        axes=f.axes,
        size=size,
        splits=f.splits,
        gap=f.gap,
        left=left,
        right=right,
        result=result,
        bbox=bbox(corners),
    )
    return replace(cube, arrow=_arrow(cube, views, flow)) if flow > 0 else cube


def _arrow(c: Cube, views, flow: float) -> Arrow:
    """Two vanes, from the middle of each argument face to a tip near the result."""
    centre = lambda v: scale(add(v.corners()[0], v.corners()[2]), 0.5)  # noqa: E731
    lc, rc, oc = centre(views[c.left]), centre(views[c.right]), centre(views[c.result])
    mid = scale(add(add(lc, rc), oc), 1 / 3)
    tip = add(mid, scale(add(oc, neg(mid)), 0.5))
    ui, uj, _ = c.axes
    half = flow * 0.25 * min(d for d in c.size if d > 0)
    return Arrow(
        tip=tip,
        left_vane=(add(lc, scale(ui, half)), add(lc, scale(ui, -half)), tip),
        right_vane=(add(rc, scale(uj, half)), add(rc, scale(uj, -half)), tip),
    )
