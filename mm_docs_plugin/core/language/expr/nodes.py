"""The expression language's tree: AST nodes, walks over them, and the printer.

`print_expr` writes a tree back with the fewest parentheses, so
``parse(print(parse(t))) == parse(t)``; nodes compare equal regardless of positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Tuple, Union

# Epilog functions the expression may call (their meaning lives in epilog.py).
EPILOG_NAMES = (
    "softmax",
    "tril",
    "triu",
    "relu",
    "gelu",
    "silu",
    "sigmoid",
    "tanh",
    "layernorm",
    "layernorm_matrix",
    "square",
)
SCALE_FUNCTIONS = ("sqrt",)
ELEMENTWISE_OPS = ("+", "-", "*")  # element-wise; "*" between two matrices (by a number it scales)
DEPTH = "k"  # in a scale factor, the depth of the matmul being scaled
# Trees are walked recursively by the printer and the lowering; this keeps them
# far from Python's recursion limit whatever the text (a long left-assoc chain
# of the maximum number of matmuls is well inside it).
MAX_HEIGHT = 300


# ---------------------------------------------------------------- AST nodes
# `pos` is the 0-based offset of the node's first character (or its operator)
# in the source; it is excluded from comparison so reparsed trees compare equal.


@dataclass(frozen=True)
class Name:
    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Transpose:
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MatMul:
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Elementwise:
    """``left + right``, ``left - right`` or ``left * right`` between two matrices."""

    op: str  # one of ELEMENTWISE_OPS
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Number:
    value: float
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Depth:
    """``k``: the depth of the matmul a scale factor applies to."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Sqrt:
    arg: Node  # Number or Depth
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Scale:
    """``operand * factor``, ``operand / factor`` or ``factor * operand``."""

    operand: Node
    factor: Node  # Number, Depth or Sqrt
    op: str  # "*" or "/"
    factor_first: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    func: str
    arg: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Assign:
    name: str
    value: Node
    pos: int = field(default=0, compare=False)


Node = Union[Name, Transpose, MatMul, Elementwise, Number, Depth, Sqrt, Scale, Call, Assign]


def count_matmuls(node: Node) -> int:
    """How many ``@`` the tree holds (iteratively: trees can be long chains)."""
    return _count(node, MatMul)


def count_elementwise(node: Node) -> int:
    """How many element-wise ``+``, ``-`` and ``*`` the tree holds."""
    return _count(node, Elementwise)


def _count(node: Node, kind: type) -> int:
    count, stack = 0, [node]
    while stack:
        n = stack.pop()
        if isinstance(n, kind):
            count += 1
        stack.extend(children(n))
    return count


def children(node: Node) -> Tuple[Node, ...]:
    if isinstance(node, (MatMul, Elementwise)):
        return (node.left, node.right)
    if isinstance(node, Scale):
        return (node.operand, node.factor)
    if isinstance(node, Transpose):
        return (node.operand,)
    if isinstance(node, (Call, Sqrt)):
        return (node.arg,)
    if isinstance(node, Assign):
        return (node.value,)
    return ()


def height(node: Node) -> int:
    """Depth of the tree, computed without recursion."""
    best, stack = 0, [(node, 1)]
    while stack:
        n, h = stack.pop()
        best = max(best, h)
        stack.extend((c, h + 1) for c in children(n))
    return best


# ---------------------------------------------------------------- printer

# Binding strength: higher binds tighter (as Python: @ and * above + and -).
_ASSIGN, _SUM, _CHAIN, _POSTFIX = 0, 1, 2, 3


def _strength(node: Node) -> int:
    if isinstance(node, Assign):
        return _ASSIGN
    if isinstance(node, Elementwise):
        return _CHAIN if node.op == "*" else _SUM
    if isinstance(node, (MatMul, Scale)):
        return _CHAIN
    return _POSTFIX


def format_number(value: float) -> str:
    """Shortest text that parses back to ``value`` (8, not 8.0)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def print_expr(node: Node) -> str:
    """Canonical text with the fewest parentheses; parses back to an equal tree."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Transpose):
        return print_expr(node.operand) + ".T"
    if isinstance(node, Number):
        return format_number(node.value)
    if isinstance(node, Depth):
        return DEPTH
    if isinstance(node, Sqrt):
        return "sqrt(%s)" % print_expr(node.arg)
    if isinstance(node, Call):
        return "%s(%s)" % (node.func, print_expr(node.arg))
    if isinstance(node, Assign):
        return "%s = %s" % (node.name, print_expr(node.value))
    if isinstance(node, MatMul):
        return "%s @ %s" % (_left(node.left), _right(node.right))
    if isinstance(node, Elementwise):
        level = _strength(node)
        return "%s %s %s" % (_left(node.left, level), node.op, _right(node.right, level))
    if isinstance(node, Scale):
        if node.factor_first:
            return "%s * %s" % (print_expr(node.factor), _right(node.operand))
        return "%s %s %s" % (_left(node.operand), node.op, print_expr(node.factor))
    raise TypeError("not an expression node: %r" % (node,))


def _left(node: Node, level: int = _CHAIN) -> str:
    text = print_expr(node)
    return "(%s)" % text if _strength(node) < level else text


def _right(node: Node, level: int = _CHAIN) -> str:
    text = print_expr(node)
    return "(%s)" % text if _strength(node) <= level else text
