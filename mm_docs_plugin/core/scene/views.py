"""Named views resolved to cameras: what the viewer moves to when a link names a view.

Each view ships with a whole camera (position, target, up, fov), so the viewer computes
nothing: ``position``/``target`` as written (a missing one keeps the figure camera's
offset), ``focus`` framing the named node's face from the figure camera's direction,
or the figure's camera itself.  The animation step ships as written (None: leave it).
"""

from __future__ import annotations

import math
from typing import List

from ..spec.readouts import named_nodes
from ..spec.spec import Spec
from ..spec.views import CAMERA_FIELDS, FIELDS
from .geometry import Camera, MatrixView, Vec3, add, cross, dot, scale, sub, unit

FILL = 0.8  # a focused face fills this much of the (16:9) view: room for its legends
ASPECT = 16 / 9


def view_cameras(spec: Spec, home: Camera, matrices) -> List[dict]:
    """Every view of ``spec`` as plain data for the scene header."""
    names = named_nodes(spec.tree)
    out = []
    for v in spec.views:
        if v.focus is not None:
            path = names[v.focus].path
            faces = [m for m in matrices if m.node == path]
            cam = focus_camera(home, faces) if faces else home
        elif v.position is not None or v.target is not None:
            offset = sub(home.position, home.target)
            target = v.target if v.target is not None else home.target
            position = v.position if v.position is not None else add(target, offset)
            cam = Camera(tuple(position), tuple(target), home.up, home.fov)
        else:
            cam = home
        entry = {key: getattr(v, key) for key in FIELDS if key not in CAMERA_FIELDS}
        entry.pop("highlight")  # as written; the viewer needs what each node shows:
        if v.shown is not None:
            entry["highlight"] = v.shown  # node path -> rows, cols, cells (indices)
        entry.update(
            name=v.name,
            label=v.label if v.label is not None else v.name,
            position=[_r(x) for x in cam.position],
            target=[_r(x) for x in cam.target],
            up=list(cam.up),
            fov=cam.fov,
        )
        out.append(entry)
    return out


def _r(x: float) -> float:
    return float("%.9g" % x)


def focus_camera(home: Camera, faces: List[MatrixView]) -> Camera:
    """A camera looking along the home direction at ``faces``, as close as frames them."""
    corners: List[Vec3] = [c for f in faces for c in f.corners()]
    n = float(len(corners))
    target = tuple(sum(c[i] for c in corners) / n for i in range(3))
    back = unit(sub(home.position, home.target))
    right = unit(cross(home.up, back))
    up = cross(back, right)
    tan_y = math.tan(math.radians(home.fov / 2)) * FILL
    tan_x = tan_y * ASPECT
    distance = 1.0
    for p in corners:
        c = sub(p, target)
        toward = dot(c, back)
        distance = max(
            distance, toward + abs(dot(c, right)) / tan_x, toward + abs(dot(c, up)) / tan_y
        )
    return Camera(add(target, scale(back, distance)), target, home.up, home.fov)
