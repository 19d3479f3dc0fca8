"""mm's placement rules: where each matmul and each matrix sits (mm-geometry.md).

Everything is built as mm builds it.  A matrix of H×W (blocks of si×sj) lies in
its own plane z = 0 with element (r, c) at ``(g + c', g + r', 0)``, where
``c' = c + g·(block of c)`` and g is the gap: columns along +x, rows along +y,
and a margin of g from the box edge to the outermost element *centre*.

A matmul has its own frame too: x = j, y = i, z = k, and a box from the origin
to its extent ``E = (dispW, dispH, dispD) + 2g − 1`` (disp = size plus the gaps
between blocks).  Its result lies at z = 0 (``front``) or z = Ez (``back``),
not turned.  Its arguments are turned onto its sides, and a child matmul's
whole frame (its cube, its result, its own arguments) is turned the same way,
pushed out by its depth Ez (``cz``) and its scatter s:

- left (x side), negative polarity: turned +90° about y, at z = Ez and
  x = −(cz + s) (``left``) or Ex + s (``right``): column k at z = Ez − g − k';
- left, positive: turned −90° about y, at z = 0 and x = −s or Ex + cz + s:
  column k at z = g + k';
- right (y side), negative: turned −90° about x, at z = Ez and y = −(cz + s)
  (``top``) or Ey + s (``bottom``); positive: +90° about x, at z = 0 and
  y = −s or Ey + cz + s.

So k grows along +(ui × uj) with negative polarity and the other way with
positive, while the result's side does not depend on polarity.  A child's
result lands on its parent's face exactly when the scheme chose its result's
side for that (`spec.inherit.child_placement`); mm draws it where it lands and
never draws the parent's argument again.  The root is turned 180° about x
(rows run down the screen, the front result faces the viewer) and moved so
that the box around every matmul's box (not the matrices pushed out by
scatter, not the labels) is centred on the origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

from ..spec.inherit import Placement, resolve_placements
from ..spec.spec import Spec
from ..spec.tree import TreeNode
from .geometry import Vec3, add, bbox, scale
from .partition import resolve_blocks, splits
from .stacks import stack_slots

Splits = Tuple[int, ...]


@dataclass(frozen=True)
class Pose:
    """An axis-aligned placement: local ``(x, y, z)`` goes to ``origin + x·ex + y·ey + z·ez``."""

    origin: Vec3
    ex: Vec3
    ey: Vec3
    ez: Vec3

    def turn(self, v: Vec3) -> Vec3:
        # + 0.0 keeps -0.0 out of the output, so scene bytes are stable
        return tuple(
            v[0] * a + v[1] * b + v[2] * c + 0.0 for a, b, c in zip(self.ex, self.ey, self.ez)
        )

    def at(self, p: Vec3) -> Vec3:
        return add(self.origin, self.turn(p))

    def then(self, local: Pose) -> Pose:
        """The pose of something placed at ``local`` inside this frame."""
        return Pose(
            self.at(local.origin), self.turn(local.ex), self.turn(local.ey), self.turn(local.ez)
        )

    def moved(self, d: Vec3) -> Pose:
        return Pose(add(self.origin, d), self.ex, self.ey, self.ez)


_X, _Y, _Z = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)
_NX, _NY, _NZ = (-1.0, 0.0, 0.0), (0.0, -1.0, 0.0), (0.0, 0.0, -1.0)
# (side, polarity) -> the turn of an argument's frame: images of its x, y, z axes
_TURNS = {
    ("left", "negative"): (_NZ, _Y, _X),  # +90° about y
    ("left", "positive"): (_Z, _Y, _NX),  # -90° about y
    ("right", "negative"): (_X, _NZ, _Y),  # -90° about x
    ("right", "positive"): (_X, _Z, _NY),  # +90° about x
}
ROOT_TURN = Pose((0.0, 0.0, 0.0), _X, _NY, _NZ)  # 180° about x


@dataclass(frozen=True)
class Group:
    """One matmul as mm builds it: its frame in the world and its box."""

    node: TreeNode
    pose: Pose
    extent: Vec3  # (Ex, Ey, Ez): the box runs from the frame's origin to here
    splits: Tuple[Splits, Splits, Splits]  # block boundaries along i, j, k
    placement: Placement
    gap: float

    def box(self) -> Tuple[Vec3, Vec3]:
        return bbox([self.pose.at((0.0, 0.0, 0.0)), self.pose.at(self.extent)])


@dataclass(frozen=True)
class Face:
    """One drawn matrix: in its own plane z = 0 of ``pose``, as mm's ``Mat``."""

    node: TreeNode  # whose values it shows
    role: str  # "result" (of ``cube``), "left" or "right" (argument of ``cube``)
    cube: str  # path of the matmul whose face it is
    pose: Pose
    rows: Splits
    cols: Splits


def arrange(spec: Spec) -> Tuple[List[Group], List[Face]]:
    """Every matmul's group and every drawn matrix, in pre-order, centred as mm centres them.

    A matmul's result is its one face; a leaf's is the argument face it sits on.
    A child matmul's result stands for its parent's argument (drawn once).
    """
    blocks = resolve_blocks(spec)
    placements = resolve_placements(spec.tree, spec.layout, spec.nodes)
    gap = float(spec.layout.gap)
    total = _count(spec.tree)

    frames: Dict[str, Tuple[Tuple[Splits, Splits, Splits], Vec3]] = {}

    def depth(t: TreeNode) -> float:
        return frames[t.path][1][2] if t.kind != "leaf" else 0.0

    for t in spec.tree.post_order():  # children first: a stack's depth is its operands'
        if t.kind == "leaf":
            continue
        b = blocks[t.path]
        si, sj = splits(t.shape[0], b[0]), splits(t.shape[1], b[1])
        if t.kind == "elementwise":
            ez = stack_slots(t, gap, depth, placements[t.path].result)[0]
            frames[t.path] = (si, sj, (0,)), (_span(sj, gap), _span(si, gap), ez)
        else:
            sk = splits(t.depth, b[2])
            frames[t.path] = (si, sj, sk), (_span(sj, gap), _span(si, gap), _span(sk, gap))

    def frame(t: TreeNode) -> Tuple[Tuple[Splits, Splits, Splits], Vec3]:
        return frames[t.path]

    groups: Dict[str, Group] = {}
    faces: Dict[str, Face] = {}  # by the path of the node whose values it shows
    pending = [(spec.tree, ROOT_TURN)]
    while pending:  # without recursion: chains can be long
        t, pose = pending.pop()
        (si, sj, sk), extent = frame(t)
        g = groups[t.path] = Group(t, pose, extent, (si, sj, sk), placements[t.path], gap)
        if t.kind == "elementwise":
            faces.update(_stack_faces(g, blocks[t.path], depth, placements, pending))
            continue
        back = extent[2] if g.placement.result == "back" else 0.0
        faces[t.path] = Face(t, "result", t.path, pose.moved(pose.turn((0.0, 0.0, back))), si, sj)
        for role, child, rows, cols in (("left", t.left, si, sk), ("right", t.right, sk, sj)):
            local = _argument_pose(g, role, depth(child), _scatter(spec, child, total))
            if child.kind != "leaf":
                pending.append((child, pose.then(local)))
            else:
                faces[child.path] = Face(child, role, t.path, pose.then(local), rows, cols)
    lo, hi = bbox([p for g in groups.values() for p in g.box()])
    shift = scale(add(lo, hi), -0.5)
    nodes = list(spec.tree.walk())
    return (
        [_moved_group(groups[t.path], shift) for t in nodes if t.kind != "leaf"],
        [_moved_face(faces[t.path], shift) for t in nodes],
    )


def _stack_faces(g: Group, b, depth, placements, pending) -> Dict[str, Face]:
    """An element-wise node's result and leaf operands at their places in the stack
    (`stacks`); a computed operand's frame goes to ``pending``, its face on the slot."""
    t, pose = g.node, g.pose
    _, res, slots = stack_slots(t, g.gap, depth, g.placement.result)
    out = {t.path: Face(t, "result", t.path, pose.moved(pose.turn((0.0, 0.0, res))), *g.splits[:2])}
    for role, (child, z) in zip(("left", "right"), slots):
        if child.kind == "leaf":
            rows, cols = splits(child.shape[0], b[0]), splits(child.shape[1], b[1])
            out[child.path] = Face(
                child, role, t.path, pose.moved(pose.turn((0.0, 0.0, z))), rows, cols
            )
        else:  # its own result face lands on the slot
            own = depth(child) if placements[child.path].result == "back" else 0.0
            pending.append((child, pose.moved(pose.turn((0.0, 0.0, z - own)))))
    return out


def _moved_group(g: Group, d: Vec3) -> Group:
    return Group(g.node, g.pose.moved(d), g.extent, g.splits, g.placement, g.gap)


def _moved_face(f: Face, d: Vec3) -> Face:
    return Face(f.node, f.role, f.cube, f.pose.moved(d), f.rows, f.cols)


def _argument_pose(parent: Group, role: str, depth: float, scatter: float) -> Pose:
    """Where an argument's frame sits in its parent's: ``depth`` is a child matmul's Ez (0 for a matrix)."""
    p = parent.placement
    ex_, ey_, ez_ = parent.extent
    if role == "left":
        far = p.left == "right"
        side, size = 0, ex_
    else:
        far = p.right == "bottom"
        side, size = 1, ey_
    if p.polarity == "negative":
        offset = size + scatter if far else -(depth + scatter)
        z = ez_
    else:
        offset = size + depth + scatter if far else -scatter
        z = 0.0
    origin = [0.0, 0.0, z]
    origin[side] = offset
    return Pose(tuple(origin), *_TURNS[(role, p.polarity)])


def _span(s: Splits, gap: float) -> float:
    """A box's extent along one axis: the elements, the gaps between blocks, g − ½ either side."""
    return s[-1] + gap * (len(s) - 2) + 2 * gap - 1


def _count(t: TreeNode) -> int:
    return sum(1 for n in t.walk() if n.kind == "matmul")


def _scatter(spec: Spec, child: TreeNode, total: int) -> float:
    """mm's scatter: how far a child is pushed out from its parent's face.

    n, the matmuls in the child's subtree (0 for a matrix), must reach
    ``molecule``; the distance is ``scatter · n^blast`` (blast ≥ 0) or
    ``scatter · (total − n)^(−blast)``.
    """
    lay = spec.layout
    n = _count(child)
    if lay.scatter == 0 or n < lay.molecule:
        return 0.0
    factor = n**lay.blast if lay.blast >= 0 else (total - n) ** -lay.blast
    return float(lay.scatter) * factor
