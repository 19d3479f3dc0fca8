"""Epilogs: what happens to a matmul's result after the sum over k.

An epilog is written around the product in the expression
(``softmax(tril(Q @ K.T / sqrt(k)))``) or, for imports and per-node settings,
as text over a placeholder ``x`` (``epilog: softmax(tril(x / sqrt(k)))``).  It
is a tuple of `EpilogOp`, innermost first, applied to the *complete* sum only
(mm applies nonlinear epilogs to split-k partial sums; we never do).

Masks are causal: ``tril`` keeps ``j <= i``, ``triu`` keeps ``j >= i``.  Masked
entries are excluded from a following softmax or layernorm (so a causal softmax
has exact zeros above the diagonal and each row sums to 1 over ``j <= i``) and
are shown as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from ..errors import SpecError, did_you_mean
from . import expr as ex

LAYERNORM_EPS = 1e-5

# name -> one-line meaning (docs, hints and the viewer's aria-label read this)
EPILOG_FUNCTIONS = {
    "softmax": "row softmax (max-subtracted; masked entries excluded)",
    "tril": "causal mask keeping j <= i",
    "triu": "mask keeping j >= i",
    "relu": "max(x, 0)",
    "gelu": "x * Φ(x), exact erf form",
    "silu": "x * sigmoid(x)",
    "sigmoid": "1 / (1 + exp(-x))",
    "tanh": "hyperbolic tangent",
    "layernorm": "per-row (x - mean) / sqrt(var + 1e-5), no affine",
    "layernorm_matrix": "mm's matrix-wide layernorm: one mean and variance for the whole matrix",
    "square": "x ** 2",
}
assert set(EPILOG_FUNCTIONS) == set(ex.EPILOG_NAMES)


@dataclass(frozen=True)
class EpilogOp:
    """One step: a function name, or ``scale`` with its operator and factor."""

    kind: str  # a key of EPILOG_FUNCTIONS, or "scale"
    op: str = ""  # scale only: "*" or "/"
    factor: Optional[ex.Node] = None  # scale only: Number, Depth or Sqrt

    def factor_value(self, depth: int) -> float:
        """The multiplier this scale applies for a matmul of depth ``depth``."""
        value = _factor(self.factor, depth)
        return value if self.op == "*" else 1.0 / value


def _factor(node: Optional[ex.Node], depth: int) -> float:
    if isinstance(node, ex.Number):
        return node.value
    if isinstance(node, ex.Depth):
        return float(depth)
    if isinstance(node, ex.Sqrt):
        return math.sqrt(_factor(node.arg, depth))
    raise TypeError("not a scale factor: %r" % (node,))


Epilog = Tuple[EpilogOp, ...]
NONE: Epilog = ()


def wrap(epilog: Epilog, inner: ex.Node) -> ex.Node:
    """The expression AST of ``epilog`` applied to ``inner``."""
    node = inner
    for op in epilog:
        node = ex.Scale(node, op.factor, op.op) if op.kind == "scale" else ex.Call(op.kind, node)
    return node


def epilog_text(epilog: Epilog) -> str:
    """``softmax(tril(x / sqrt(k)))``; ``none`` for no epilog."""
    return ex.print_expr(wrap(epilog, ex.Name("x"))) if epilog else "none"


def peel(node: ex.Node) -> Tuple[ex.Node, Epilog]:
    """Split ``softmax(A @ B / 8)`` into the operand and its epilog (innermost first).

    Names given inside the wrapping (``softmax(s = A @ B)``) are not peeled;
    the caller handles `Assign` nodes.
    """
    ops = []
    while isinstance(node, (ex.Call, ex.Scale)):
        if isinstance(node, ex.Call):
            ops.append(EpilogOp(node.func))
            node = node.arg
        else:
            ops.append(EpilogOp("scale", node.op, node.factor))
            node = node.operand
    return node, tuple(reversed(ops))


def parse_epilog(text: str) -> Epilog:
    """Parse an epilog written over ``x``: ``softmax(tril(x / sqrt(k)))``, ``relu``, ``none``.

    A bare function name means that function of ``x``.  Errors are SpecErrors
    with a column inside ``text``.
    """
    stripped = text.strip()
    if stripped in ("", "none"):
        return NONE
    if stripped in EPILOG_FUNCTIONS:
        return (EpilogOp(stripped),)
    node = ex.parse_fragment(text)
    inner, epilog = peel(node)
    if not (isinstance(inner, ex.Name) and inner.name == "x"):
        raise SpecError(
            "an epilog is written over x, the matmul's result",
            "e.g. softmax(x / sqrt(k)), relu, or tril(x); known functions: "
            + ", ".join(EPILOG_FUNCTIONS),
            1,
            getattr(inner, "pos", 0) + 1,
        )
    return epilog


def check_function(name: str) -> None:
    if name not in EPILOG_FUNCTIONS:
        raise SpecError("unknown epilog %r" % name, did_you_mean(name, list(EPILOG_FUNCTIONS)))


# ---------------------------------------------------------------- numerics


def apply(epilog: Epilog, x: np.ndarray, depth: int) -> np.ndarray:
    """Apply ``epilog`` to the complete float64 result ``x`` of a matmul of depth ``depth``.

    Returns a new float64 array; masked entries come out as exact zeros.
    """
    if not epilog:
        return x
    x = np.array(x, dtype=np.float64)
    mask = None  # True where an entry is masked out
    with np.errstate(all="ignore"):
        for op in epilog:
            kind = op.kind
            if kind == "scale":
                x *= op.factor_value(depth)
            elif kind in ("tril", "triu"):
                i, j = np.indices(x.shape)
                drop = (j > i) if kind == "tril" else (j < i)
                mask = drop if mask is None else (mask | drop)
            elif kind == "softmax":
                x = _softmax(x, mask)
            elif kind == "layernorm":
                x = _layernorm(x, mask, axis=1)
            elif kind == "layernorm_matrix":
                x = _layernorm(x, mask, axis=None)
            else:
                x = _POINTWISE[kind](x)
    if mask is not None:
        x[mask] = 0.0
    return x


def _softmax(x: np.ndarray, mask: Optional[np.ndarray]) -> np.ndarray:
    if mask is not None:
        x = np.where(mask, -np.inf, x)
    row_max = np.max(x, axis=1, keepdims=True)
    # A fully masked row has max -inf; give it 0 so it becomes a row of zeros
    # instead of NaN.  Subtracting the true max (not 0, as mm does) avoids overflow.
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    e = np.exp(x - row_max)
    total = np.sum(e, axis=1, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)


def _layernorm(x: np.ndarray, mask: Optional[np.ndarray], axis: Optional[int]) -> np.ndarray:
    keep = np.ones(x.shape, dtype=bool) if mask is None else ~mask
    keepdims = axis is not None
    count = np.maximum(np.sum(keep, axis=axis, keepdims=keepdims), 1)
    mean = np.sum(np.where(keep, x, 0.0), axis=axis, keepdims=keepdims) / count
    var = np.sum(np.where(keep, (x - mean) ** 2, 0.0), axis=axis, keepdims=keepdims) / count
    return (x - mean) / np.sqrt(var + LAYERNORM_EPS)


_erf = np.frompyfunc(math.erf, 1, 1)


def _gelu(x: np.ndarray) -> np.ndarray:
    # Exact erf form (PyTorch's default), not mm's Abramowitz–Stegun approximation.
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of a non-positive number only: no overflow for large |x|.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_POINTWISE = {
    "relu": lambda x: np.maximum(x, 0.0),
    "gelu": _gelu,
    "silu": lambda x: x * _sigmoid(x),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "square": lambda x: x * x,
}
