"""`build`: a spec in, a `Scene` out — values, layout, animation, colour ranges."""

from __future__ import annotations

from typing import Any, Dict, Optional, Union

from ..spec.parse import parse_spec
from ..spec.spec import Spec
from .anim import build_animation
from .colors import node_colors, ranges_by_sensitivity, value_ranges
from .evaluate import evaluate
from .layout import layout
from .nodes import NodeList
from .readouts import compute_readouts
from .scene import Scene
from .views import view_cameras


def build(spec: Union[Spec, str, dict], base_dir: Optional[str] = None) -> Scene:
    """Evaluate every node of ``spec`` (a Spec, or anything `parse_spec` takes)."""
    if not isinstance(spec, Spec):
        spec = parse_spec(spec, base_dir)
    values = evaluate(spec)
    geo = layout(spec)
    scene = Scene(
        spec=spec,
        root=values.root,
        nodes=values.nodes,
        inputs=values.inputs,
        warnings=values.warnings + geo.warnings,
        matrices=geo.matrices,
        cubes=geo.cubes,
        legends=geo.legends,
        camera=geo.camera,
        bbox=geo.bbox,
        settings=_settings(spec, values.nodes),
        readouts=compute_readouts(spec, values.exact, values.nodes),
        views=view_cameras(spec, geo.camera, geo.matrices),
    )
    scene.animation = build_animation(scene)
    scene.color_ranges = ranges_by_sensitivity(scene)
    scene.ranges = value_ranges(scene, scene.color_ranges)
    return scene


def _settings(spec: Spec, nodes: NodeList) -> Dict[str, Any]:
    """Every section with its defaults, and per-node colour overrides, as plain data."""
    out: Dict[str, Any] = {
        name: dict(getattr(spec, name)) for name in ("figure", "anim", "layout", "deco", "colors")
    }
    out["node_colors"] = {
        n.path: dict(c) for n in nodes for c in [node_colors(spec, n)] if c != spec.colors
    }
    return out
