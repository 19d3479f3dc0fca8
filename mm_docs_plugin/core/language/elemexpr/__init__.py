"""Element expressions: the per-element formula of a leaf with ``init: expr``.

An element expression gives every element of a matrix a value from its
position.  mm runs these strings through JavaScript ``eval``; here a small
whitelisted parser reads them and numpy evaluates them over whole index grids,
so nothing in a spec or URL is ever executed.

Names
    ``i``, ``j``        row and column index, from 0
    ``h``, ``w``        height and width of the matrix
    ``pi``, ``e``       constants (also ``Math.PI``, ``Math.E``)
    ``true``, ``false`` 1 and 0 (also ``True``, ``False``)

Numbers are decimal: ``3``, ``0.5``, ``.5``, ``5.``, ``1e-3``.  A leading zero
(``012``) is an error, because JavaScript would read it as octal.

Operators, loosest first (Python's precedence; both spellings are accepted)
    ``a if c else b``, ``c ? a : b``  conditional, right-associative
    ``or``, ``||``; ``and``, ``&&``   return one of their operands, as in both languages
    ``not x``                         Python's ``not``: looser than comparisons
    ``<  <=  >  >=  ==  !=``          also ``===`` and ``!==``; the result is 1 or 0
    ``+  -``;  ``*  /  //  %``
    ``-x  +x  !x``                    JavaScript's ``!`` binds like unary minus, so
                                      ``!i == j`` is ``(not i) == j``
    ``**``                            right-associative; ``-2 ** 2`` is -4, ``2 ** -1`` is 0.5

Chained comparisons (``a < b < c``) are an error, since Python and JavaScript
read them differently: write ``(a < b) and (b < c)``, or ``(a < b) < c``.
``%`` is the floored remainder of Python and numpy (it takes the sign of the
divisor); ``fmod(a, b)`` is the remainder of C and JavaScript (the sign of the
dividend).  ``a // b`` is ``floor(a / b)``.  0 and NaN are false (as in
JavaScript), every other value is true.

Functions (each may also be written ``Math.name``)
    ``abs sign floor ceil trunc round sqrt cbrt exp expm1 log log2 log10 log1p``
    ``sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh``  one argument;
    ``round`` rounds halves up, like JavaScript's ``Math.round``: ``floor(x + 0.5)``
    ``atan2(y, x)  pow(a, b)  fmod(a, b)  where(c, a, b)  clip(x, lo, hi)``
    ``min(a, ...)  max(a, ...)  hypot(a, ...)``  one argument or more
    ``random()``  uniform in [0, 1), drawn per element from the figure's seed;
                  each ``random()`` in the text is an independent draw

Division by zero and the like give inf or NaN, never an error.  The canonical
form (``str``) spells sugar out: ``a // b`` is printed ``floor(a / b)``,
``where`` as a conditional, ``clip`` as ``min(max(x, lo), hi)``, ``pow`` as ``**``.
An expression may have ``max_elem_expr`` characters, in the canonical form
too, and ``max_depth`` levels of nesting (parentheses, calls, unary operators,
``**`` and conditionals each count one).

JavaScript: `from_js` reads mm's expressions with their JavaScript meaning
(``%`` is ``fmod``; ``a < b < c`` is ``(a < b) < c``; ``==`` is looser than
``<``; ``//`` starts a comment there and is rejected; ``===`` is ``==`` since
every value is a number).  `ElemExpr.to_js` writes what mm can evaluate:
``a % b`` becomes ``(a % b + b) % b``, which `from_js` reads back as ``a % b``
(equal up to floating-point rounding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np

from ...errors import DEFAULT_LIMITS, Limits, SpecError
from .nodes import N_ARGS, ONE_ARG, TWO_ARGS, Binary, Cond, Name, Node, Num, Unary, fold, key_of
from .parse import error, parse_text
from .printing import Part, print_js, print_py

# --------------------------------------------------------------- evaluation

_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide, "%": np.mod}
_ARITH["**"] = np.power  # a ufunc: float overflow gives inf, never OverflowError
_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}
_COMPARE.update({"==": np.equal, "!=": np.not_equal})


def _truth(x):
    """JavaScript's truthiness: 0 and NaN are false."""
    return np.logical_and(np.not_equal(x, 0.0), np.equal(x, x))


def _floats(x):
    return np.asarray(x, dtype=np.float64)


def _apply(node: Node, kids: list, env: Dict[str, object], draw: Callable):
    if isinstance(node, Num):
        return np.float64(node.value)
    if isinstance(node, Name):
        return env[node.name]
    if isinstance(node, Unary):
        return np.negative(kids[0]) if node.op == "-" else _floats(np.logical_not(_truth(kids[0])))
    if isinstance(node, Cond):
        return np.where(_truth(kids[0]), kids[1], kids[2])
    if isinstance(node, Binary):
        a, b = kids
        if node.op in ("and", "or"):
            first = _truth(a) if node.op == "or" else np.logical_not(_truth(a))
            return np.where(first, a, b)
        if node.op in _COMPARE:
            return _floats(_COMPARE[node.op](a, b))
        return _ARITH[node.op](a, b)
    if node.func == "random":
        return draw()
    if node.func in ONE_ARG:
        return ONE_ARG[node.func](kids[0])
    if node.func in TWO_ARGS:
        return TWO_ARGS[node.func](kids[0], kids[1])
    out = np.abs(kids[0]) if node.func == "hypot" else kids[0]  # hypot(x) is |x|
    for x in kids[1:]:
        out = N_ARGS[node.func](out, x)
    return out


# ---------------------------------------------------------------------- API


@dataclass(frozen=True)
class ElemExpr:
    """A parsed element expression: print it, translate it, evaluate it."""

    text: str
    node: Optional[Node] = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.node is None:
            object.__setattr__(self, "node", parse_text(self.text, DEFAULT_LIMITS, js=False))

    @property
    def key(self) -> tuple:
        """A flat description of the tree: equal keys mean the same expression."""
        return key_of(self.node)

    def __str__(self) -> str:
        return fold(self.node, print_py)[0]

    def to_js(self) -> str:
        """JavaScript with the same meaning, for mm's ``eval``; `from_js` reads it back."""
        cap = DEFAULT_LIMITS.max_url

        def combine(node: Node, kids: List[Part]) -> Part:
            part = print_js(node, kids)
            if len(part[0]) > cap:  # x % b repeats b: nested % grows exponentially
                msg = f"the expression is too large to write as JavaScript (over {cap} characters)"
                raise SpecError(msg, "nested '%' repeats its divisor; use fmod(a, b)")
            return part

        return fold(self.node, combine)[0]

    def evaluate(self, h: int, w: int, rng: Optional[np.random.Generator] = None) -> np.ndarray:
        """The values of an ``h`` × ``w`` matrix, as a new float64 array.

        Each ``random()`` draws one ``h`` × ``w`` block from ``rng`` (a fresh
        ``default_rng(0)`` when None), in a fixed order, so a seed fixes the result.
        """
        if not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0 for n in (h, w)
        ):
            raise SpecError(f"a matrix shape is two non-negative integers, not {(h, w)!r}")
        gen = rng if rng is not None else np.random.default_rng(0)
        env = {
            "i": np.arange(h, dtype=np.float64)[:, None],  # broadcasts like np.indices
            "j": np.arange(w, dtype=np.float64)[None, :],
            "h": np.float64(h),
            "w": np.float64(w),
            "pi": np.float64(np.pi),
            "e": np.float64(np.e),
        }
        with np.errstate(all="ignore"):  # inf and NaN are values; the caller decides
            value = fold(self.node, lambda n, k: _apply(n, k, env, lambda: gen.random((h, w))))
        return np.array(np.broadcast_to(_floats(value), (h, w)), dtype=np.float64)


def parse_elem_expr(text: str, limits: Limits = DEFAULT_LIMITS) -> ElemExpr:
    """Parse an element expression; every problem is a `SpecError` with a column."""
    return _checked(ElemExpr(text, parse_text(text, limits, js=False)), limits)


def from_js(text: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The canonical text of mm's JavaScript expression ``text``, meaning kept."""
    return str(_checked(ElemExpr(text, parse_text(text, limits, js=True)), limits))


def _checked(e: ElemExpr, limits: Limits) -> ElemExpr:
    # Specs keep the canonical text and parse it again, so it must fit as well;
    # spaces around operators and spelt-out sugar can make it longer.
    n = len(str(e))
    if n > limits.max_elem_expr:
        msg = f"element expression is too long written out ({n} characters; the limit is {limits.max_elem_expr})"
        raise error(msg, "shorten it, or raise the max_elem_expr limit", 0)
    return e
