"""Where the poster's legends go: the twin of the viewer's rules (pyodide_app/src/figure/
labels.js and placement.js), so the first paint reads like the live figure.

Names are placed before row and column labels, and those before dimension labels
(a row or column label may also be left out by the level of detail); each goes to the first of its places that
lies inside the picture and clear of every label placed before it; a dimension label
that fits nowhere is dropped; a name that fits nowhere goes where it collides least,
pulled inside the picture.  A label is an oriented box around its text.
"""

from __future__ import annotations

import math
from typing import List, NamedTuple, Optional, Sequence, Tuple

Quad = Tuple[Tuple[float, float], ...]
GAP = 4.0  # px kept between two labels' boxes
EDGE_GAP = 1.0  # ... by a row or column label (a side's labels sit like lines of text)


class Pose(NamedTuple):
    x: float  # centre, px
    y: float
    size: float  # font size, px
    angle: float  # degrees
    width: float  # text box, px
    height: float


def quad(p: Pose) -> Quad:
    """The four corners of the pose's box, turned about its centre."""
    a = math.radians(p.angle)
    c, s = math.cos(a), math.sin(a)
    hw, hh = p.width / 2, p.height / 2
    return tuple(
        (p.x + dx * c - dy * s, p.y + dx * s + dy * c)
        for dx, dy in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))
    )


def overlaps(a: Quad, b: Quad, slack: float = 0.5) -> bool:
    """Whether two convex quads overlap by more than ``slack`` px (separating axes)."""
    for q in (a, b):
        for n in range(4):
            (x0, y0), (x1, y1) = q[n], q[(n + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            length = math.hypot(nx, ny) or 1.0
            pa = [(x * nx + y * ny) / length for x, y in a]
            pb = [(x * nx + y * ny) / length for x, y in b]
            if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= slack:
                return False
    return True


def fits_inside(q: Quad, width: float, height: float, margin: float) -> bool:
    return all(margin <= x <= width - margin and margin <= y <= height - margin for x, y in q)


def clamp_inside(p: Pose, width: float, height: float, margin: float) -> Pose:
    """The pose moved so its box lies inside the frame, or centred where it is wider."""
    q = quad(p)
    shifts = []
    for axis, size in ((0, width), (1, height)):
        lo, hi = min(c[axis] for c in q), max(c[axis] for c in q)
        if hi - lo > size - 2 * margin:
            shifts.append(size / 2 - (lo + hi) / 2)
        elif lo < margin:
            shifts.append(margin - lo)
        elif hi > size - margin:
            shifts.append(size - margin - hi)
        else:
            shifts.append(0.0)
    return p._replace(x=p.x + shifts[0], y=p.y + shifts[1])


def place(
    labels: Sequence[Tuple[str, str, Sequence[Pose]]],
    width: float,
    height: float,
    smallest: float,
    margin: float = 2.0,
) -> List[Optional[Pose]]:
    """The pose chosen for each (text, kind, places) label, or None where it is dropped;
    a name that fits nowhere at its size is tried again at ``smallest``."""
    rank = {"name": 0, "row": 1, "col": 1}  # then dimension labels
    order = sorted(range(len(labels)), key=lambda n: rank.get(labels[n][1], 2))
    placed: List[Tuple[str, Pose, Quad]] = []
    chosen: List[Optional[Pose]] = [None] * len(labels)
    for n in order:
        text, kind, places = labels[n]
        pick, best, fewest = None, None, math.inf
        if kind == "name":  # each place again at the smallest name size
            places = [*places, *(_smaller(p, smallest) for p in places)]
        gap = EDGE_GAP if kind in ("row", "col") else GAP
        for p in places:
            q = quad(p._replace(width=p.width + gap, height=p.height + gap))
            hits = sum(overlaps(q, other) for _, _, other in placed)
            if hits == 0 and fits_inside(q, width, height, margin):
                pick = p
                break
            if kind == "name" and hits < fewest:
                best, fewest = p, hits
        if pick is None and best is not None:
            pick = clamp_inside(best, width, height, margin)
        if pick is None or any(
            t == text and math.hypot(pick.x - o.x, pick.y - o.y) < pick.size for t, o, _ in placed
        ):
            continue  # dropped, or the same text already shown next to it (a shared edge)
        chosen[n] = pick
        placed.append(
            (text, pick, quad(pick._replace(width=pick.width + gap, height=pick.height + gap)))
        )
    return chosen


def _smaller(p: Pose, size: float) -> Pose:
    k = size / p.size if p.size > size else 1.0
    return p._replace(size=p.size * k, width=p.width * k, height=p.height * k)
