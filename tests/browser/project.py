"""Where a world point lands on screen under three.js's PerspectiveCamera.

The oracle for pixel tests: computed from the scene file's camera alone, so a
viewer that draws an element anywhere else fails.
"""

from __future__ import annotations

import math

import numpy as np


def look_at(position, target, up):
    eye, at, up = (np.asarray(v, dtype=float) for v in (position, target, up))
    z = eye - at
    z /= np.linalg.norm(z)
    x = np.cross(up, z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    view = np.eye(4)
    view[0, :3], view[1, :3], view[2, :3] = x, y, z
    view[:3, 3] = -view[:3, :3] @ eye
    return view


def project(point, camera, width, height):
    """Pixel (x, y) of ``point`` in a ``width``×``height`` view, y down; None if behind."""
    view = look_at(camera.position, camera.target, camera.up)
    p = view @ np.array([*point, 1.0])
    if p[2] >= 0:
        return None
    f = 1.0 / math.tan(math.radians(camera.fov) / 2)
    aspect = width / height
    ndc_x = (f / aspect) * p[0] / -p[2]
    ndc_y = f * p[1] / -p[2]
    return ((ndc_x + 1) / 2 * width, (1 - ndc_y) / 2 * height)
