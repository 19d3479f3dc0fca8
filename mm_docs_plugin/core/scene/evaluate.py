"""Evaluation: the values of every node of a spec.

`build` makes each input matrix once (a name used twice, or as ``X`` and
``X.T``, is one matrix), multiplies in float64, applies epilogs to complete
sums, and stores float32 values on a `Scene`.  Geometry, animation programs
and packing come later in the pipeline and read the same Scene.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from ..errors import SpecError
from ..inputs.data import RemoteDataDisabled, load_data
from ..inputs.inits import apply_dropout, make_values, matrix_rng, placeholder
from ..language import elemexpr
from ..language import epilog as ep
from ..spec.parse import parse_spec
from ..spec.spec import NodeSpec, Spec
from ..spec.tree import TreeNode
from .anim import Animation, build_animation
from .colors import node_colors, ranges_by_sensitivity, value_ranges
from .geometry import Camera, Cube, Legend, MatrixView, Vec3
from .layout import layout
from .scenefile import scene_from_bytes, scene_to_bytes


@dataclass(eq=False)
class SceneNode:
    """One node of the figure with its values.

    ``name`` is the label shown on the figure: a matrix (``Q``), a transposed
    view (``K.T``), a product's name (``attn``) or an unnamed product's text.
    """

    name: str
    shape: Tuple[int, int]
    kind: str  # "leaf" | "matmul"
    values: np.ndarray  # float32, ``shape``
    path: str  # "root", "root.left", ...
    left: Optional[SceneNode] = None
    right: Optional[SceneNode] = None
    epilog: Optional[str] = None  # matmuls: "softmax(tril(x / sqrt(k)))", or "none"
    epilog_ops: ep.Epilog = ()  # the same, as data (innermost first)
    matrix: Optional[str] = None  # leaves: the matrix shown (K for K.T)
    transposed: bool = False
    init: Optional[str] = None  # leaves: how the values were made

    @property
    def depth(self) -> int:
        """k: the inner dimension (0 for leaves)."""
        return self.left.shape[1] if self.kind == "matmul" else 0

    def __repr__(self) -> str:
        extra = " [%s]" % self.epilog if self.epilog_ops else ""
        return "<%s %s %d×%d%s>" % (self.kind, self.name, self.shape[0], self.shape[1], extra)


class NodeList(list):
    """Scene nodes in pre-order; also indexable by name (``scene.nodes["attn"]``)."""

    def __getitem__(self, key: Union[int, slice, str]):
        if isinstance(key, str):
            for node in self:
                if node.name == key:
                    return node
            raise KeyError(key)
        return super().__getitem__(key)

    def names(self) -> List[str]:
        return [n.name for n in self]


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
        return scene_from_bytes(data)

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
            % (self.spec.expr, len(self.nodes), format(self.elements, ","))
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


def build(spec: Union[Spec, str, dict], base_dir: Optional[str] = None) -> Scene:
    """Evaluate every node of ``spec`` (a Spec, or anything `parse_spec` takes)."""
    if not isinstance(spec, Spec):
        spec = parse_spec(spec, base_dir)
    warnings = list(spec.warnings)
    matrices: Dict[str, np.ndarray] = {}
    inits: Dict[str, str] = {}
    for t in spec.tree.walk():
        if t.kind == "leaf" and t.matrix not in matrices:
            shape = t.shape[::-1] if t.transposed else t.shape
            settings = spec.nodes.get(t.matrix) or NodeSpec(t.matrix, "leaf")
            matrices[t.matrix] = _leaf_values(spec, settings, shape, warnings)
            inits[t.matrix] = settings.effective_init
    values: Dict[int, np.ndarray] = {}
    for t in spec.tree.post_order():
        if t.kind == "leaf":
            m = matrices[t.matrix]
            values[id(t)] = m.T if t.transposed else m
        else:
            product = np.dot(values[id(t.left)], values[id(t.right)])
            values[id(t)] = ep.apply(t.epilog, product, t.depth)
    nodes = NodeList()
    root = _scene_node(spec.tree, values, inits, nodes)
    for node in nodes:
        if node.kind == "matmul" and np.isinf(node.values).any():
            exact = values[id(_tree_node(spec.tree, node.path))]
            if np.isfinite(exact).all():
                warnings.append(
                    "%s: values beyond float32 range (up to %.3g) are shown as ±inf"
                    % (node.name, np.abs(exact).max())
                )
    frozen = {}
    for name, m in matrices.items():
        frozen[name] = m.astype(np.float32)
        frozen[name].setflags(write=False)
    geo = layout(spec)
    scene = Scene(
        spec=spec,
        root=root,
        nodes=nodes,
        inputs=frozen,
        warnings=tuple(warnings) + geo.warnings,
        matrices=geo.matrices,
        cubes=geo.cubes,
        legends=geo.legends,
        camera=geo.camera,
        bbox=geo.bbox,
        settings=_settings(spec, nodes),
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


def _scene_node(t: TreeNode, values, inits, out: NodeList) -> SceneNode:
    # Pre-order: the node is listed before its children.
    with np.errstate(over="ignore"):  # overflow to ±inf is reported by build()
        v = np.ascontiguousarray(values[id(t)], dtype=np.float32)
    v.setflags(write=False)
    node = SceneNode(
        name=t.label,
        shape=tuple(t.shape),
        kind=t.kind,
        values=v,
        path=t.path,
        epilog=ep.epilog_text(t.epilog) if t.kind == "matmul" else None,
        epilog_ops=t.epilog,
        matrix=t.matrix,
        transposed=t.transposed,
        init=inits.get(t.matrix) if t.kind == "leaf" else None,
    )
    out.append(node)
    if t.kind == "matmul":
        node.left = _scene_node(t.left, values, inits, out)
        node.right = _scene_node(t.right, values, inits, out)
    return node


def _tree_node(root: TreeNode, path: str) -> TreeNode:
    return next(t for t in root.walk() if t.path == path)


def _leaf_values(
    spec: Spec, s: NodeSpec, shape: Tuple[int, int], warnings: List[str]
) -> np.ndarray:
    """float64 values of one input matrix, made once however often it is used."""
    init = s.effective_init
    kw = {"seed": spec.seed, "name": s.name}
    if init == "expr":
        # NaN and ±Inf from an expression are kept: the viewer marks them.
        x = elemexpr.parse_elem_expr(s.expr, spec.limits).evaluate(
            shape[0], shape[1], rng=matrix_rng(spec.seed, s.name)
        )
    elif init == "data":
        try:
            x = load_data(s.data, spec.base_dir, limits=spec.limits).astype(np.float64)
        except RemoteDataDisabled:
            x = placeholder(shape, spec.seed, s.name)
            warnings.append(
                "%s: placeholder values; the data at %s was not fetched" % (s.name, s.data.url)
            )
        if x.shape != tuple(shape):
            raise SpecError(
                "data for %s is %d×%d but the figure needs %d×%d"
                % (s.name, x.shape[0], x.shape[1], shape[0], shape[1]),
                "the file changed since the spec was checked; build again",
                field="nodes.%s.data" % s.name,
            )
    else:
        lo = s.min if s.min is not None else -1.0
        hi = s.max if s.max is not None else 1.0
        return make_values(
            init, shape, lo=lo, hi=hi, value=s.value or 0.0, dropout=s.dropout or 0.0, **kw
        )
    return apply_dropout(x, s.dropout or 0.0, spec.seed, s.name)
