"""3D layout: every matrix, cube, flow arrow and label of a figure, in world space.

`frames.arrange` places every matmul and matrix by mm's rules; this module turns
them into what the viewer and the poster draw (`geometry`): a `MatrixView` per
drawn matrix (element centres and blocks), a `Cube` per matmul (its interior
cells, its three faces, its flow arrow), the legends (`legends`), the camera
(`camera`), the bounding box, and a warning when faces overlap.

Each matmul's cube has the unit steps ``ui`` (rows, i), ``uj`` (columns, j)
and ``uk`` (depth, k).  As in mm, ``uk = +(ui × uj)`` with ``negative``
polarity and ``−(ui × uj)`` with ``positive``; at the root (``ui = −y``,
``uj = +x``) negative polarity makes k run towards the viewer, from the back
of the cube to the front result face.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Tuple

from ..spec.spec import Spec
from .camera import frame_camera
from .frames import Face, Group, arrange
from .geometry import Arrow, Block, Camera, Cube, Legend, MatrixView, Vec3, add, bbox, neg, scale
from .legends import place_legends


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
    groups, faces = arrange(spec)
    views = [_view(f, spec.layout.gap) for f in faces]
    index = {(f.cube, f.role): n for n, f in enumerate(faces)}
    for g in groups:  # an argument computed by a child matmul is drawn as that child's result
        for role, child in (("left", g.node.left), ("right", g.node.right)):
            index.setdefault((g.node.path, role), index.get((child.path, "result")))
    cubes = [_cube(g, index, views, spec.deco.flow_guides) for g in groups if g.node.depth]
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
    box = bbox(points[: 4 * len(views)] + [p for c in cubes for p in c.bbox])
    return Layout(tuple(views), tuple(cubes), tuple(legends), camera, box, warnings)


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


# ---------------------------------------------------------------- faces


def _view(f: Face, gap: float) -> MatrixView:
    """A matrix in its plane: element (r, c) centred at (g + c', g + r', 0) of its pose."""
    rows, cols, pose = f.rows, f.cols, f.pose

    def corner(r: int, c: int, br: int, bc: int) -> Vec3:  # outer corner of element (r, c)
        return pose.at((gap + c + gap * bc - 0.5, gap + r + gap * br - 0.5, 0.0))

    blocks = tuple(
        Block((rows[a], rows[a + 1]), (cols[b], cols[b + 1]), corner(rows[a], cols[b], a, b))
        for a in range(len(rows) - 1)
        for b in range(len(cols) - 1)
    )
    return MatrixView(
        name=f.node.label,
        node=f.node.path,
        role=f.role,
        cube=f.cube,
        shape=(rows[-1], cols[-1]),
        origin=corner(0, 0, 0, 0),
        axes=(pose.ey, pose.ex),
        blocks=blocks,
        row_splits=rows,
        col_splits=cols,
        gap=gap,
    )


# ---------------------------------------------------------------- cubes


def _cube(g: Group, index: Dict[Tuple[str, str], int], views, flow: float) -> Cube:
    """A matmul's cube: cell (i, j, k) centred where its left, right and result elements line up."""
    t, pose, gap = g.node, g.pose, g.gap
    left, right, result = (index[(t.path, r)] for r in ("left", "right", "result"))
    negative = g.placement.polarity == "negative"
    # k runs from Ez − g down to g (negative) or from g up (positive), in the frame's z
    origin = pose.at((gap - 0.5, gap - 0.5, g.extent[2] - gap + 0.5 if negative else gap - 0.5))
    uk = neg(pose.ez) if negative else pose.ez
    corners = [c for i in (left, right, result) for c in views[i].corners()]
    cube = Cube(
        node=t.path,
        name=t.label,
        origin=origin,
        axes=(pose.ey, pose.ex, uk),
        size=(t.shape[0], t.shape[1], t.depth),
        splits=g.splits,
        gap=gap,
        left=left,
        right=right,
        result=result,
        bbox=bbox(corners + list(g.box())),
    )
    return replace(cube, arrow=_arrow(g, flow)) if flow > 0 else cube


def _arrow(g: Group, flow: float) -> Arrow:
    """Two vanes, from the middle of each argument side of the box to a tip near the result."""
    p, (ex_, ey_, ez_) = g.placement, g.extent
    lc = g.pose.at((ex_ if p.left == "right" else 0.0, ey_ / 2, ez_ / 2))
    rc = g.pose.at((ex_ / 2, ey_ if p.right == "bottom" else 0.0, ez_ / 2))
    oc = g.pose.at((ex_ / 2, ey_ / 2, ez_ if p.result == "back" else 0.0))
    mid = scale(add(add(lc, rc), oc), 1 / 3)
    tip = add(mid, scale(add(oc, neg(mid)), 0.5))
    ui, uj = g.pose.ey, g.pose.ex
    t = g.node
    half = flow * 0.25 * min(d for d in (t.shape[0], t.shape[1], t.depth) if d > 0)
    return Arrow(
        tip=tip,
        left_vane=(add(lc, scale(ui, half)), add(lc, scale(ui, -half)), tip),
        right_vane=(add(rc, scale(uj, half)), add(rc, scale(uj, -half)), tip),
    )
