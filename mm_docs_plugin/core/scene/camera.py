"""The default camera: mm's view from front-left-top, framing the whole figure."""

from __future__ import annotations

import math
from typing import List

from ..spec.spec import Spec
from .geometry import Camera, Vec3, add, cross, scale, unit

NOMINAL_ASPECT = 16 / 9  # framing assumes at least this width:height; narrower views widen the fov
FILL = 0.92  # fraction of the view the figure may fill


def frame_camera(spec: Spec, points: List[Vec3]) -> Camera:
    """The author's camera, or one from front-left-top (mm's view) that frames the figure.

    The distance is the smallest at which every face corner projects inside
    ``FILL`` of a ``NOMINAL_ASPECT`` view: much tighter than fitting a sphere or
    the bounding box around an X-shaped figure such as an attention head.
    """
    cam = spec.camera
    target = tuple(cam.target) if cam.target is not None else (0.0, 0.0, 0.0)
    if cam.position is not None:
        return Camera(tuple(cam.position), target)
    fov = 45.0
    back = (-1 / math.sqrt(3), 1 / math.sqrt(3), 1 / math.sqrt(3))  # from target towards the camera
    right = unit(cross((0.0, 1.0, 0.0), back))
    up = cross(back, right)
    tan_y = math.tan(math.radians(fov / 2)) * FILL
    tan_x = tan_y * NOMINAL_ASPECT
    distance = 1.0
    for point in points:
        c = tuple(a - b for a, b in zip(point, target))
        toward = sum(a * b for a, b in zip(c, back))  # how far the corner sticks out towards us
        x = abs(sum(a * b for a, b in zip(c, right)))
        y = abs(sum(a * b for a, b in zip(c, up)))
        distance = max(distance, toward + x / tan_x, toward + y / tan_y)
    # What the view must cover from there, so a narrower stage can keep it all in view.
    cover_x = cover_y = 0.0
    for point in points:
        c = tuple(a - b for a, b in zip(point, target))
        depth = distance - sum(a * b for a, b in zip(c, back))
        if depth > 0:
            cover_x = max(cover_x, abs(sum(a * b for a, b in zip(c, right))) / depth)
            cover_y = max(cover_y, abs(sum(a * b for a, b in zip(c, up))) / depth)
    cover = (round(cover_x / FILL, 9), round(cover_y / FILL, 9))
    return Camera(add(target, scale(back, distance)), target, fov=fov, cover=cover)
