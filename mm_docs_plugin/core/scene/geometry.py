"""The 3D data a renderer needs, as plain frozen values (no numpy in the fields).

World coordinates: right-handed, y up, one unit = one element pitch.  Every
face is axis-aligned, so every axis vector below is ± a unit basis vector.

- A `MatrixView` is one matrix drawn on one face of a cube: the element in row
  ``r`` and column ``c`` has its centre at
  ``block.origin + (r - block.rows[0] + 0.5) * axes[0] + (c - block.cols[0] + 0.5) * axes[1]``
  for the block holding it (`MatrixView.element_center`).
- A `Cube` is one matmul: its interior cell ``(i, j, k)`` (where the product
  ``L[i, k] * R[k, j]`` lives during animations) is centred at
  ``origin + ci * axes[0] + cj * axes[1] + ck * axes[2]`` with
  ``ci = i + 0.5 + gap * (block of i)`` and likewise for j and k.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Tuple

Vec3 = Tuple[float, float, float]


def add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec3, s: float) -> Vec3:
    return (a[0] * s, a[1] * s, a[2] * s)


def neg(a: Vec3) -> Vec3:
    return (0.0 - a[0], 0.0 - a[1], 0.0 - a[2])  # 0.0 - x: never -0.0, so output bytes are stable


def cross(a: Vec3, b: Vec3) -> Vec3:
    return (
        a[1] * b[2] - a[2] * b[1] + 0.0,
        a[2] * b[0] - a[0] * b[2] + 0.0,
        a[0] * b[1] - a[1] * b[0] + 0.0,
    )


def unit(v: Vec3) -> Vec3:
    n = math.sqrt(sum(x * x for x in v))
    return (v[0] / n, v[1] / n, v[2] / n)


def bbox(points) -> Tuple[Vec3, Vec3]:
    """(min corner, max corner) of some points."""
    xs, ys, zs = zip(*points)
    return (min(xs), min(ys), min(zs)), (max(xs), max(ys), max(zs))


def dot(a: Vec3, b: Vec3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@dataclass(frozen=True)
class Block:
    """One partition block of a matrix: element ranges and where they start."""

    rows: Tuple[int, int]  # half-open [r0, r1)
    cols: Tuple[int, int]  # half-open [c0, c1)
    origin: Vec3  # outer corner of element (r0, c0)


@dataclass(frozen=True)
class MatrixView:
    """A matrix drawn on a face: values come from the scene node at ``node``."""

    name: str  # label shown (the node's name)
    node: str  # SceneNode.path of the values shown
    role: str  # "result" (of the cube ``cube``), "left" or "right" (argument of ``cube``)
    cube: str  # path of the matmul whose face this is
    shape: Tuple[int, int]
    origin: Vec3  # outer corner of element (0, 0)
    axes: Tuple[Vec3, Vec3]  # one step along rows (i), one along columns (j)
    blocks: Tuple[Block, ...]
    row_splits: Tuple[int, ...]  # block boundaries along rows, e.g. (0, 32, 64)
    col_splits: Tuple[int, ...]
    gap: float  # space between blocks, in elements

    @property
    def normal(self) -> Vec3:
        return cross(self.axes[0], self.axes[1])

    def block_of(self, r: int, c: int) -> Block:
        for b in self.blocks:
            if b.rows[0] <= r < b.rows[1] and b.cols[0] <= c < b.cols[1]:
                return b
        raise IndexError("element (%d, %d) is outside %s %r" % (r, c, self.name, self.shape))

    def element_center(self, r: int, c: int) -> Vec3:
        b = self.block_of(r, c)
        return add(
            b.origin,
            add(
                scale(self.axes[0], r - b.rows[0] + 0.5),
                scale(self.axes[1], c - b.cols[0] + 0.5),
            ),
        )

    def extent(self) -> Tuple[float, float]:
        """Size along rows and columns in world units, gaps between blocks included."""
        return (
            self.row_splits[-1] + self.gap * (len(self.row_splits) - 2),
            self.col_splits[-1] + self.gap * (len(self.col_splits) - 2),
        )

    def corners(self) -> Tuple[Vec3, Vec3, Vec3, Vec3]:
        """The outer corners: origin, end of rows, far corner, end of columns."""
        h, w = self.extent()
        o, a, b = self.origin, scale(self.axes[0], h), scale(self.axes[1], w)
        return (o, add(o, a), add(add(o, a), b), add(o, b))


@dataclass(frozen=True)
class Arrow:
    """The flow guide inside a cube: a blue vane from the left argument and a red
    vane from the right one, meeting at the tip on the result face."""

    tip: Vec3
    left_vane: Tuple[Vec3, Vec3, Vec3]
    right_vane: Tuple[Vec3, Vec3, Vec3]


@dataclass(frozen=True)
class Legend:
    """A text label: a matrix name, or a dimension such as ``I = 256 / 8``."""

    text: str
    anchor: Vec3  # where the text is centred
    direction: Vec3  # the text's baseline direction (along the edge it labels)
    normal: Vec3  # the face it belongs to faces this way
    size: float  # text height in world units
    kind: str  # "name" | "shape" | "row" | "col" (a row or column label: anchor at its near end)
    view: int  # index of the MatrixView it labels
    # Where else the text may go when its place is taken by another label, a control,
    # or the figure's edge (names: outside each free edge), as (anchor, direction)
    # pairs in order of preference; the renderers choose among them per view.
    alternatives: Tuple[Tuple[Vec3, Vec3], ...] = ()


@dataclass(frozen=True)
class Cube:
    """One matmul's cube."""

    node: str  # SceneNode.path
    name: str
    origin: Vec3  # outer corner of interior cell (0, 0, 0)
    axes: Tuple[Vec3, Vec3, Vec3]  # unit steps along i, j, k
    size: Tuple[int, int, int]  # I, J, K
    splits: Tuple[
        Tuple[int, ...], Tuple[int, ...], Tuple[int, ...]
    ]  # block boundaries along i, j, k
    gap: float  # between blocks inside the cube and between the cube and its faces
    left: int  # index of the MatrixView of the left argument
    right: int
    result: int
    bbox: Tuple[Vec3, Vec3]  # min and max corner, faces included
    arrow: Optional[Arrow] = None

    def coord(self, axis: int, index: int) -> float:
        """Distance from the origin to the centre of cell ``index`` along ``axis``."""
        splits = self.splits[axis]
        block = 0
        while block + 1 < len(splits) - 1 and index >= splits[block + 1]:
            block += 1
        return index + 0.5 + self.gap * block

    def cell_center(self, i: int, j: int, k: int) -> Vec3:
        ci, cj, ck = self.coord(0, i), self.coord(1, j), self.coord(2, k)
        ui, uj, uk = self.axes
        return add(self.origin, add(scale(ui, ci), add(scale(uj, cj), scale(uk, ck))))


@dataclass(frozen=True)
class Camera:
    position: Vec3
    target: Vec3
    up: Vec3 = (0.0, 1.0, 0.0)
    fov: float = 45.0  # vertical, degrees
    # Set when the core framed the figure (camera.py): tan of the half-angles, across
    # and up, the view must cover to show the whole figure with its margin.  A stage
    # narrower than the nominal aspect widens its fov to keep covering them
    # (figure/framing.js); an author's or mm's camera is kept exactly (None).
    cover: Optional[Tuple[float, float]] = None
