"""`Scene`: a built figure — its nodes and values, 3D layout, animation program and
colour ranges — and the scene file it reads from and writes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..spec.spec import Spec
from .anim import Animation
from .geometry import Camera, Cube, Legend, MatrixView, Vec3
from .nodes import NodeList, SceneNode
from .scenefile import read_scene_file, scene_to_bytes


@dataclass(eq=False)
class Scene:
    """A built figure: the spec and every node's values."""

    spec: Optional[Spec]  # None for scenes read from a file (see spec_dict)
    root: SceneNode
    nodes: NodeList
    inputs: Dict[str, np.ndarray] = field(default_factory=dict)  # input matrices by name
    warnings: Tuple[str, ...] = ()
    # Geometry (layout.py): every matrix as drawn, one cube per matmul, legends, view.
    matrices: Tuple[MatrixView, ...] = ()
    cubes: Tuple[Cube, ...] = ()
    legends: Tuple[Legend, ...] = ()
    camera: Optional[Camera] = None
    bbox: Optional[Tuple[Vec3, Vec3]] = None
    animation: Optional[Animation] = None
    ranges: Dict[str, Tuple[float, float]] = field(default_factory=dict)  # colour normalisation
    # The same under every sensitivity ({"local": {path: range}, ...}), for the viewer.
    color_ranges: Dict[str, Dict[str, Tuple[float, float]]] = field(default_factory=dict)
    settings: Dict[str, Any] = field(
        default_factory=dict
    )  # fully defaulted sections, for the viewer
    # Numbers about nodes that the spec's readouts: asks for (scene.readouts), plain data.
    readouts: List[Dict[str, Any]] = field(default_factory=list)
    # Named views with their cameras resolved (scene.views), plain data.
    views: List[Dict[str, Any]] = field(default_factory=list)
    _spec_dict: Optional[Dict[str, Any]] = field(default=None, repr=False)

    @property
    def spec_dict(self) -> Dict[str, Any]:
        """The spec as plain data (`Spec.to_dict`)."""
        return self.spec.to_dict() if self.spec is not None else dict(self._spec_dict or {})

    @spec_dict.setter
    def spec_dict(self, value: Dict[str, Any]) -> None:
        self._spec_dict = value

    def to_bytes(self) -> bytes:
        """The scene file: deterministic, versioned, typed-array friendly (`scenefile`)."""
        return scene_to_bytes(self)

    @staticmethod
    def from_bytes(data: bytes) -> Scene:
        """A scene read from a scene file (its ``spec`` is None; ``spec_dict`` holds it)."""
        fields = read_scene_file(data)
        spec_dict = fields.pop("spec_dict")
        scene = Scene(spec=None, **fields)
        scene.spec_dict = spec_dict
        return scene

    def node_at(self, path: str) -> SceneNode:
        """The node at a tree path ("root", "root.left", ...)."""
        for node in self.nodes:
            if node.path == path:
                return node
        raise KeyError(path)

    @property
    def elements(self) -> int:
        return sum(n.shape[0] * n.shape[1] for n in self.nodes)

    def __repr__(self) -> str:
        lines = [
            "Scene %r: %d nodes, %s elements"
            % (self.spec_dict.get("expr"), len(self.nodes), format(self.elements, ","))
        ]
        for n in self.nodes:
            lines.append(
                "  %-8s %-24s %5d×%-5d %s"
                % (
                    n.kind,
                    n.name,
                    n.shape[0],
                    n.shape[1],
                    n.init or ("" if n.epilog == "none" else n.epilog),
                )
            )
        lines.extend("  warning: " + w for w in self.warnings)
        return "\n".join(lines)
