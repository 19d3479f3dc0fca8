"""The spec: what a fence (or a URL, or a Python mapping) says a figure is.

`Spec` is immutable, fully defaulted and validated (by `spec.parse.parse_spec`);
`NodeSpec` holds what an author set for one node.  ``Spec.to_dict`` gives plain data
that parses back to an equal spec.  The keys and the figure options are declared
here once; the sections' fields live in `language.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from ..errors import DEFAULT_LIMITS, Limits
from ..inputs.data import DataSource
from ..language import epilog as ep
from ..language import expr as ex
from ..language import schema as sc
from . import readouts as ro
from . import sections
from . import views as vw
from .tree import TreeNode

TOP_KEYS = (
    "expr",
    "from_mm",
    "seed",
    "height",
    "caption",
    "alt",
    "precision",
    "labels",
    "nodes",
    "readouts",
    "views",
)
TOP_KEYS += tuple(sections.SECTIONS)
LEAF_KEYS = ("shape", "init", "min", "max", "dropout", "value", "expr", "data", "colors", "label")
LEAF_KEYS += ("values", "onehot", "labels", "highlight")
MATMUL_KEYS = ("shape", "epilog", "anim", "blocks", "layout", "colors", "highlight")
ELEMENTWISE_KEYS = (
    "shape",
    "epilog",
    "colors",
    "highlight",
)  # `x + b`: no depth, so no anim, blocks, layout
DATA_KEYS = ("path", "url", "key", "slice", "transpose", "format")

FIGURE = sc.Schema(
    "figure",
    "Figure options.",
    [
        sc.Field("seed", "int", 0, "seed of every random init", lo=0, hi=2**63 - 1),
        sc.Field(
            "height", "int", None, "figure height in CSS pixels", lo=80, hi=4000, nullable=True
        ),
        sc.Field(
            "caption",
            "str",
            None,
            "caption under the figure (plain text, shown as written)",
            hi=2000,
            nullable=True,
        ),
        sc.Field(
            "alt",
            "str",
            None,
            "text alternative; generated from the spec if absent",
            hi=2000,
            nullable=True,
        ),
        sc.Field(
            "precision",
            "choice",
            "display",
            "values in the scene file: float16 (display), float32 (exact, for cited values)"
            " or 8 bits with a scale per row for matrices over 65,536 values (display8)",
            choices=("display", "exact", "display8"),
        ),
    ],
)


@dataclass(frozen=True)
class NodeSpec:
    """Settings an author gave for one node; None means not given (defaulted later)."""

    name: str
    kind: str  # "leaf" | "matmul"
    shape: Tuple[Optional[int], Optional[int]] = (None, None)
    init: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    dropout: Optional[float] = None
    value: Optional[float] = None
    expr: Optional[str] = None  # canonical element expression
    data: Optional[DataSource] = None
    epilog: Optional[ep.Epilog] = None
    anim: Optional[str] = None  # this subtree's algorithm
    blocks: Optional[sc.Settings] = None
    layout: Optional[sc.Settings] = None
    colors: Optional[Dict[str, Any]] = None  # overrides of the figure's colors
    label: Optional[str] = None  # inputs: the name shown, if not the matrix's own
    # spec.vocab: exact numbers, one-hot columns, row/column labels, highlight (as given)
    values: Optional[Tuple[Tuple[float, ...], ...]] = None
    onehot: Optional[Tuple[Any, ...]] = None
    labels: Optional[Dict[str, Any]] = None  # "rows"/"cols" -> a top-level name or a list
    highlight: Optional[Dict[str, Tuple[Any, ...]]] = None  # "rows"/"cols"/"cells" -> entries

    @property
    def effective_init(self) -> str:
        if self.init:
            return self.init
        if self.values is not None:
            return "values"
        if self.onehot is not None:
            return "onehot"
        if self.data is not None:
            return "data"
        if self.expr is not None:
            return "expr"
        if self.value is not None:
            return "constant"
        return "gaussian"

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.shape != (None, None):
            out["shape"] = list(self.shape)
        for key in ("init", "min", "max", "dropout", "value", "expr", "anim", "label"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.data is not None:
            out["data"] = _data_dict(self.data)
        if self.values is not None:
            out["values"] = [list(row) for row in self.values]
        if self.onehot is not None:
            out["onehot"] = list(self.onehot)
        if self.labels is not None:
            out["labels"] = {
                k: v if isinstance(v, str) else list(v) for k, v in self.labels.items()
            }
        if self.highlight is not None:
            out["highlight"] = {
                k: [list(c) if isinstance(c, tuple) else c for c in v]
                for k, v in self.highlight.items()
            }
        if self.epilog is not None:
            out["epilog"] = ep.epilog_text(self.epilog)
        # As given, defaults included: a product's own setting overrides what its parent
        # passes down (spec.inherit), even where it equals the section's default.
        for key in ("blocks", "layout"):
            if getattr(self, key) is not None and getattr(self, key).given_dict():
                out[key] = getattr(self, key).given_dict()
        if self.colors:
            out["colors"] = dict(self.colors)
        return out


def _data_dict(src: DataSource) -> Dict[str, Any]:
    out = {k: getattr(src, k) for k in DATA_KEYS if getattr(src, k) not in (None, False)}
    return out


@dataclass(frozen=True, eq=False)
class Spec:
    """A validated figure.  Compare specs with ``==`` (by `to_dict`)."""

    ast: ex.Node
    tree: TreeNode  # shapes inferred; treat as read-only
    nodes: Dict[str, NodeSpec]
    figure: sc.Settings
    anim: sc.Settings
    blocks: sc.Settings
    layout: sc.Settings
    deco: sc.Settings
    colors: sc.Settings
    camera: sc.Settings
    base_dir: Optional[str] = None
    limits: Limits = DEFAULT_LIMITS
    warnings: Tuple[str, ...] = ()
    text: Optional[str] = field(default=None, repr=False)  # the fence text, for rendering errors
    readouts: Tuple[ro.NodeReadouts, ...] = ()  # numbers computed about nodes (spec.readouts)
    views: Tuple[vw.View, ...] = ()  # named states the prose links to (spec.views)
    labels: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  # top-level named lists

    @property
    def expr(self) -> str:
        return ex.print_expr(self.ast)

    @property
    def seed(self) -> int:
        return self.figure.seed

    def to_dict(self) -> Dict[str, Any]:
        """Plain data that `parse_spec` turns back into an equal spec (defaults left out)."""
        out: Dict[str, Any] = {"expr": self.expr}
        out.update(self.figure.to_dict())
        if self.labels:
            out["labels"] = {name: list(v) for name, v in self.labels.items()}
        nodes = {name: n.to_dict() for name, n in self.nodes.items() if n.to_dict()}
        if nodes:
            out["nodes"] = nodes
        if self.readouts:
            out["readouts"] = ro.to_dict(self.readouts)
        if self.views:
            out["views"] = vw.to_dict(self.views)
        for name in sections.SECTIONS:
            d = getattr(self, name).to_dict()
            if d:
                out[name] = d
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.expr)

    def __repr__(self) -> str:
        shapes = ", ".join(
            "%s %d×%d" % (n.label, n.shape[0], n.shape[1])
            for n in self.tree.walk()
            if n.kind == "leaf"
        )
        return "Spec(%r; %s)" % (self.expr, shapes)
