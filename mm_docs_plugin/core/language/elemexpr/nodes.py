"""Element expressions' tree, vocabulary (names, functions and their arities) and
precedence levels: what the parser, the printers and the evaluator share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np

# --------------------------------------------------------------------- tree


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    name: str  # i, j, h, w, pi or e


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "not"
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # arithmetic, a comparison, "and" or "or", in the canonical spelling
    left: Node
    right: Node


@dataclass(frozen=True)
class Cond:
    test: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Call:
    func: str  # canonical name, without "Math."
    args: Tuple[Node, ...]


Node = Union[Num, Name, Unary, Binary, Cond, Call]
_LABEL = {Num: "value", Name: "name", Unary: "op", Binary: "op", Call: "func"}


def children(node: Node) -> tuple:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Cond):
        return (node.test, node.then, node.other)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return (node.operand,) if isinstance(node, Unary) else ()


def fold(root: Node, combine: Callable) -> object:
    """``combine(node, results of its children)`` bottom-up, without recursion.

    A sum of 500 terms is a tree 500 deep: an explicit stack keeps printing and
    evaluation clear of Python's recursion limit.
    """
    stack: List[Tuple[Node, bool]] = [(root, False)]
    done: list = []
    while stack:
        node, ready = stack.pop()
        n = len(children(node))
        if ready:
            args = done[len(done) - n :]
            del done[len(done) - n :]
            done.append(combine(node, args))
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(children(node)))
    return done[0]


def key_of(root: Node) -> tuple:
    """A flat pre-order description of a tree (equal keys, equal trees)."""
    out: list = []
    stack = [root]
    while stack:
        n = stack.pop()
        label = getattr(n, _LABEL[type(n)]) if type(n) in _LABEL else None
        out.append((type(n).__name__, label, len(children(n))))
        stack.extend(reversed(children(n)))
    return tuple(out)


# --------------------------------------------------------------- vocabulary

VARIABLES = ("i", "j", "h", "w")
CONSTANTS = {"pi": "pi", "e": "e", "Math.PI": "pi", "Math.E": "e"}
BOOLEANS = {"true": 1.0, "false": 0.0, "True": 1.0, "False": 0.0}
KEYWORDS = ("and", "or", "not", "if", "else")

ONE_ARG = {
    "abs": np.abs, "sign": np.sign, "floor": np.floor, "ceil": np.ceil, "trunc": np.trunc,
    "round": lambda x: np.floor(np.add(x, 0.5)),  # JavaScript's Math.round: halves go up
    "sqrt": np.sqrt, "cbrt": np.cbrt, "exp": np.exp, "expm1": np.expm1, "log": np.log,
    "log2": np.log2, "log10": np.log10, "log1p": np.log1p, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh,
}  # fmt: skip
TWO_ARGS = {"atan2": np.arctan2, "fmod": np.fmod}
N_ARGS = {"min": np.minimum, "max": np.maximum, "hypot": np.hypot}
# name: (fewest arguments, most (None: no limit), usage)
ARITY: Dict[str, Tuple[int, Optional[int], str]] = {n: (1, 1, n + "(x)") for n in ONE_ARG}
ARITY.update(
    atan2=(2, 2, "atan2(y, x)"), fmod=(2, 2, "fmod(a, b)"), pow=(2, 2, "pow(a, b)"),
    where=(3, 3, "where(cond, a, b)"), clip=(3, 3, "clip(x, lo, hi)"),
    min=(1, None, "min(a, b, ...)"), max=(1, None, "max(a, b, ...)"),
    hypot=(1, None, "hypot(a, b, ...)"), random=(0, 0, "random()"),
)  # fmt: skip
SPELLINGS = sorted(ARITY) + ["Math." + n for n in sorted(ARITY)]


# Precedence levels, loosest first.  NOT is Python's `not`; JavaScript's ! is
# UNARY.  EQ is used only by JavaScript, where == is looser than <.
COND, OR, AND, NOT, EQ, CMP, ADD, MUL, UNARY, POW, ATOM = range(11)


def draws(node: Node) -> bool:
    """Whether the expression calls random()."""
    return any(k[:2] == ("Call", "random") for k in key_of(node))
