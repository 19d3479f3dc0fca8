"""The nodes of a built figure: every matrix with its values, in tree order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

import numpy as np

from ..language import epilog as ep
from ..spec.vocab import Highlight


@dataclass(eq=False)
class SceneNode:
    """One node of the figure with its values.

    ``name`` is the label shown on the figure: a matrix (``Q``), a transposed
    view (``K.T``), a product's name (``attn``) or an unnamed product's text.
    """

    name: str
    shape: Tuple[int, int]
    kind: str  # "leaf" | "matmul" | "elementwise"
    values: np.ndarray  # float32, ``shape``
    path: str  # "root", "root.left", ...
    left: Optional[SceneNode] = None
    right: Optional[SceneNode] = None
    epilog: Optional[str] = None  # matmuls: "softmax(tril(x / sqrt(k)))", or "none"
    epilog_ops: ep.Epilog = ()  # the same, as data (innermost first)
    matrix: Optional[str] = None  # leaves: the matrix shown (K for K.T)
    transposed: bool = False
    init: Optional[str] = None  # leaves: how the values were made
    op: str = ""  # element-wise: "+", "-" or "*"
    # Row and column labels (a product's from its operands; None when absent) and the
    # highlight shown, its own and what its operands carry (spec.vocab).
    row_labels: Optional[Tuple[str, ...]] = None
    col_labels: Optional[Tuple[str, ...]] = None
    highlight: Optional[Highlight] = None

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
