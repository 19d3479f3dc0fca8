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

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np

from ..errors import DEFAULT_LIMITS, Limits, SpecError, did_you_mean

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


def _children(node: Node) -> tuple:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Cond):
        return (node.test, node.then, node.other)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return (node.operand,) if isinstance(node, Unary) else ()


def _fold(root: Node, combine: Callable) -> object:
    """``combine(node, results of its children)`` bottom-up, without recursion.

    A sum of 500 terms is a tree 500 deep: an explicit stack keeps printing and
    evaluation clear of Python's recursion limit.
    """
    stack: List[Tuple[Node, bool]] = [(root, False)]
    done: list = []
    while stack:
        node, ready = stack.pop()
        n = len(_children(node))
        if ready:
            args = done[len(done) - n :]
            del done[len(done) - n :]
            done.append(combine(node, args))
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(_children(node)))
    return done[0]


def _key(root: Node) -> tuple:
    """A flat pre-order description of a tree (equal keys, equal trees)."""
    out: list = []
    stack = [root]
    while stack:
        n = stack.pop()
        label = getattr(n, _LABEL[type(n)]) if type(n) in _LABEL else None
        out.append((type(n).__name__, label, len(_children(n))))
        stack.extend(reversed(_children(n)))
    return tuple(out)


# --------------------------------------------------------------- vocabulary

_VARIABLES = ("i", "j", "h", "w")
_CONSTANTS = {"pi": "pi", "e": "e", "Math.PI": "pi", "Math.E": "e"}
_BOOLEANS = {"true": 1.0, "false": 0.0, "True": 1.0, "False": 0.0}
_KEYWORDS = ("and", "or", "not", "if", "else")

_ONE_ARG = {
    "abs": np.abs, "sign": np.sign, "floor": np.floor, "ceil": np.ceil, "trunc": np.trunc,
    "round": lambda x: np.floor(np.add(x, 0.5)),  # JavaScript's Math.round: halves go up
    "sqrt": np.sqrt, "cbrt": np.cbrt, "exp": np.exp, "expm1": np.expm1, "log": np.log,
    "log2": np.log2, "log10": np.log10, "log1p": np.log1p, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh,
}  # fmt: skip
_TWO_ARGS = {"atan2": np.arctan2, "fmod": np.fmod}
_N_ARGS = {"min": np.minimum, "max": np.maximum, "hypot": np.hypot}
# name: (fewest arguments, most (None: no limit), usage)
_ARITY: Dict[str, Tuple[int, Optional[int], str]] = {n: (1, 1, n + "(x)") for n in _ONE_ARG}
_ARITY.update(
    atan2=(2, 2, "atan2(y, x)"), fmod=(2, 2, "fmod(a, b)"), pow=(2, 2, "pow(a, b)"),
    where=(3, 3, "where(cond, a, b)"), clip=(3, 3, "clip(x, lo, hi)"),
    min=(1, None, "min(a, b, ...)"), max=(1, None, "max(a, b, ...)"),
    hypot=(1, None, "hypot(a, b, ...)"), random=(0, 0, "random()"),
)  # fmt: skip
_SPELLINGS = sorted(_ARITY) + ["Math." + n for n in sorted(_ARITY)]

# ---------------------------------------------------------------- tokenizer


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num", "word", "op" or "end"
    text: str
    pos: int  # 0-based offset into the expression


_NUM = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RUN = re.compile(r"[A-Za-z0-9_.]*")  # what a malformed number runs on with
_OPS = (
    "===", "!==", ">>>", "**", "//", "/*", "<=", ">=", "==", "!=", "&&", "||", "=>", "<<",
    ">>", "??", "?.", "++", "--", "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", "(",
    ")", ",", "=", "&", "|", "^", "~", "[", "]", "{", "}", ";", "`", "'", '"',
)  # fmt: skip
_CHAR_HINT = "use numbers, i, j, h, w, pi, e, operators and functions such as sin(x)"

# Constructs rejected on purpose (mm's eval accepts them): (message, hint).
_REJECTED = {
    "=": ("assignment is not supported", "use '==' to compare"),
    "=>": ("arrow functions are not supported", "write only the formula over i, j, h, w"),
    "[": ("arrays and indexing are not supported", "use the indices i and j directly"),
    "{": ("blocks and objects are not supported", "write a single expression"),
    ";": ("';' is not supported", "write a single expression"),
    "`": ("template strings are not supported", "expressions compute numbers only"),
    "'": ("strings are not supported", "expressions compute numbers only"),
    "/*": ("comments are not supported", "remove the comment"),
    "&": ("bitwise '&' is not supported", "use 'and' (or '&&') for logic"),
    "|": ("bitwise '|' is not supported", "use 'or' (or '||'); for 'x | 0' use trunc(x)"),
    "^": ("bitwise '^' is not supported", "use '**' or pow(a, b) for powers"),
    "~": ("bitwise '~' is not supported", "use 'not x', or trunc(x) for '~~x'"),
    "<<": ("bitwise '<<' is not supported", "multiply by 2 ** n"),
    ">>": ("bitwise '>>' is not supported", "use floor(x / 2 ** n)"),
    "??": ("'??' is not supported", "values are never null here"),
    "?.": ("optional chaining '?.' is not supported", "write a single expression"),
    "++": ("'++' is not supported (JavaScript increment)", "write x + 1, or + (+x)"),
    "--": ("'--' is not supported (JavaScript decrement)", "write x - 1, or -(-x)"),
}
_REJECTED.update({"]": _REJECTED["["], "}": _REJECTED["{"], '"': _REJECTED["'"]})
_REJECTED[">>>"] = _REJECTED[">>"]
_JS_COMMENT = ("'//' starts a comment in JavaScript", "use Math.floor(a / b)")


def _error(message: str, hint: Optional[str], pos: int, length: int = 1) -> SpecError:
    return SpecError(message, hint, line=1, column=pos + 1, length=length)


def _tokenize(text: str, js: bool) -> List[_Tok]:
    toks: List[_Tok] = []
    k = 0
    while k < len(text):
        if text[k] in " \t\r\n":
            k += 1
            continue
        m = _NUM.match(text, k)
        if m:
            toks.append(_number(text, m))
        elif _WORD.match(text, k):
            toks.append(_word(text, k))
        else:
            toks.append(_operator(text, k, js))
        k = toks[-1].pos + len(toks[-1].text)
    toks.append(_Tok("end", "", len(text.rstrip())))
    return toks


def _number(text: str, m) -> _Tok:
    run = _RUN.match(text, m.end()).group()
    if run:
        bad = m.group() + run
        hint = "numbers are decimal; put an operator between a number and a name (2 * i)"
        raise _error(f"malformed number '{bad}'", hint, m.start(), len(bad))
    digits = re.split("[.eE]", m.group())[0]
    if len(digits) > 1 and digits[0] == "0":
        hint = f"write {digits.lstrip('0') or '0'}; JavaScript reads {digits} as octal"
        raise _error("numbers may not start with 0", hint, m.start(), len(m.group()))
    return _Tok("num", m.group(), m.start())


def _word(text: str, k: int) -> _Tok:
    word = _WORD.match(text, k).group()
    attr = _WORD.match(text, k + len(word) + 1)
    if word == "Math" and text[k + 4 : k + 5] == "." and attr:
        word = "Math." + attr.group()
    _no_attribute(text, k + len(word))
    return _Tok("word", word, k)


def _no_attribute(text: str, k: int) -> None:
    # `x.constructor` is where mm's eval escapes start: refuse any attribute.
    attr = _WORD.match(text, k + 1) if text[k : k + 1] == "." else None
    if attr:
        raise _error(
            f"property access '.{attr.group()}' is not supported",
            _CHAR_HINT,
            k,
            1 + len(attr.group()),
        )


def _operator(text: str, k: int, js: bool) -> _Tok:
    if text[k] == ".":
        _no_attribute(text, k)
    op = next((o for o in _OPS if text.startswith(o, k)), None)
    if op == "?." and text[k + 2 : k + 3].isdigit():
        op = "?"  # `c?.5:1` is a conditional in JavaScript too
    if op is None:
        raise _error(f"unexpected character {text[k]!r}", _CHAR_HINT, k)
    reason = _JS_COMMENT if op == "//" and js else _REJECTED.get(op)
    if reason:
        raise _error(reason[0], reason[1], k, len(op))
    return _Tok("op", op, k)


# ------------------------------------------------------------ normal forms


def _draws(node: Node) -> bool:
    return any(k[:2] == ("Call", "random") for k in _key(node))


def _undo_js_mod(a: Node, b: Node) -> Optional[Node]:
    """x when ``a`` is ``fmod(x, b) + b`` and b draws no random numbers."""
    if not (isinstance(a, Binary) and a.op == "+" and isinstance(a.left, Call)):
        return None
    if a.left.func != "fmod" or _key(a.left.args[1]) != _key(b) or _key(a.right) != _key(b):
        return None
    return None if _draws(b) else a.left.args[0]


def _mod(a: Node, b: Node) -> Node:
    # (fmod(x, b) + b) % b is x % b; dropping the detour keeps to_js's form of
    # x % b (below) reading back as itself even when x is such a sum.
    x = _undo_js_mod(a, b)
    while x is not None:
        a, x = x, _undo_js_mod(x, b)
    return Binary("%", a, b)


def _fmod(a: Node, b: Node) -> Node:
    x = _undo_js_mod(a, b)  # fmod(fmod(x, b) + b, b) is how to_js writes x % b
    return _mod(x, b) if x is not None else Call("fmod", (a, b))


def _make_call(name: str, args: List[Node]) -> Node:
    """A call with its sugar spelt out, so that one meaning has one tree."""
    if name == "pow":
        return Binary("**", args[0], args[1])
    if name == "where":
        return Cond(args[0], args[1], args[2])
    if name == "clip":
        return Call("min", (Call("max", (args[0], args[1])), args[2]))
    if name == "fmod":
        return _fmod(args[0], args[1])
    return Call(name, tuple(args))


# ------------------------------------------------------------------- parser

# Precedence levels, loosest first.  NOT is Python's `not`; JavaScript's ! is
# UNARY.  EQ is used only by JavaScript, where == is looser than <.
COND, OR, AND, NOT, EQ, CMP, ADD, MUL, UNARY, POW, ATOM = range(11)
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=", "===", "!==")
_INFIX = {"or": OR, "||": OR, "and": AND, "&&": AND, "+": ADD, "-": ADD}
_INFIX.update({**dict.fromkeys(_COMPARISONS, CMP), **dict.fromkeys(("*", "/", "//", "%"), MUL)})
_JS_INFIX = {**_INFIX, **dict.fromkeys(("==", "!=", "===", "!=="), EQ)}
_CANON = {"||": "or", "&&": "and", "===": "==", "!==": "!="}
_OPERAND = "expected a number, a name, a function call or '('"
_TRAILING = {
    ",": "commas only separate function arguments",
    ":": "':' only follows 'cond ? a'",
    "else": "'else' only follows 'a if cond'",
}


class _Parser:
    """Precedence climbing for infix operators, recursive descent for the rest.

    Every recursion that input can repeat passes `nest`, so the depth limit,
    not Python's stack, runs out first (a nesting level costs about 6 frames).
    """

    def __init__(self, text: str, limits: Limits, js: bool) -> None:
        self.toks = _tokenize(text, js)
        self.k = 0
        self.depth = 0
        self.limits = limits
        self.js = js
        self.infix = _JS_INFIX if js else _INFIX

    def peek(self) -> _Tok:
        return self.toks[self.k]

    def take(self) -> _Tok:
        self.k += 1
        return self.toks[self.k - 1]

    def at(self, *texts: str) -> bool:
        tok = self.toks[self.k]
        return tok.kind in ("op", "word") and tok.text in texts

    def nest(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            msg = f"expression is nested too deeply (more than {self.limits.max_depth} levels)"
            raise _error(msg, "simplify it, or raise the max_depth limit", tok.pos, len(tok.text))

    def operand_next(self) -> bool:
        tok = self.peek()
        return (
            tok.kind == "num"
            or tok.text == "("
            or (tok.kind == "word" and tok.text not in _KEYWORDS)
        )

    def missing_operator(self) -> SpecError:
        prev, tok = self.toks[self.k - 1].text, self.peek()
        msg = f"expected an operator between '{prev}' and '{tok.text}'"
        return _error(msg, f"e.g. '{prev} * {tok.text}'", tok.pos, len(tok.text))

    def expect(self, text: str, opener: _Tok, usage: str) -> None:
        tok = self.peek()
        if tok.text == text and tok.kind == ("word" if text == "else" else "op"):
            self.take()
        elif tok.kind == "end":
            hint = f"the '{opener.text}' at column {opener.pos + 1} needs it: {usage}"
            raise _error(f"missing '{text}'", hint, tok.pos)
        elif self.operand_next():
            raise self.missing_operator()
        else:
            raise _error(f"expected '{text}' but found '{tok.text}'", usage, tok.pos, len(tok.text))

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise _error("empty expression", "write a formula over i, j, h, w, e.g. i * w + j", 0)
        node = self.conditional()
        tok = self.peek()
        if tok.kind == "end":
            return node
        if self.operand_next():
            raise self.missing_operator()
        if tok.text == ")":
            raise _error("unmatched ')'", "remove it or add a '(' before it", tok.pos)
        hint = _TRAILING.get(tok.text, "remove it, or join the parts with an operator")
        raise _error(f"unexpected '{tok.text}'", hint, tok.pos, len(tok.text))

    def conditional(self) -> Node:
        node = self.binary(OR)
        if not self.at("if", "?"):
            return node
        tok = self.take()
        self.nest(tok)
        if tok.text == "if":
            test = self.binary(OR)
            self.expect("else", tok, "a if cond else b")
            node = Cond(test, node, self.conditional())
        else:
            then = self.conditional()
            self.expect(":", tok, "cond ? a : b")
            node = Cond(node, then, self.conditional())
        self.depth -= 1
        return node

    def binary(self, floor: int) -> Node:
        """The longest run of infix operators binding at least as tightly as ``floor``."""
        node, last = self.negation() if floor <= NOT and self.at("not") else self.unary(), None
        while True:
            tok = self.peek()
            level = self.infix.get(tok.text) if tok.kind in ("op", "word") else None
            if level is None or level < floor:
                return node
            if level == last == CMP and not self.js:
                hint = "write (a < b) and (b < c), or (a < b) < c to compare the 0/1 result"
                msg = "chained comparisons like 'a < b < c' are not supported"
                raise _error(msg, hint, tok.pos, len(tok.text))
            self.take()
            node, last = self.infix_node(tok.text, node, self.binary(level + 1)), level

    def infix_node(self, op: str, left: Node, right: Node) -> Node:
        if op == "//":
            return Call("floor", (Binary("/", left, right),))
        if op == "%":  # JavaScript's % is fmod
            return _fmod(left, right) if self.js else _mod(left, right)
        return Binary(_CANON.get(op, op), left, right)

    def negation(self) -> Node:  # Python's `not`: its operand may hold comparisons
        self.nest(self.take())
        node = Unary("not", self.binary(NOT))
        self.depth -= 1
        return node

    def unary(self) -> Node:
        if not self.at("-", "+", "!"):
            return self.power()
        tok = self.take()
        self.nest(tok)
        operand = self.unary()
        self.depth -= 1
        if tok.text == "+":
            return operand  # +x is x for numbers, in both languages
        return Unary("-" if tok.text == "-" else "not", operand)

    def power(self) -> Node:
        base = self.atom()
        if not self.at("**"):
            return base
        self.nest(self.take())
        exponent = self.unary()  # 2 ** -1, as in Python
        self.depth -= 1
        return Binary("**", base, exponent)

    def atom(self) -> Node:
        tok = self.peek()
        if tok.kind == "num":
            return Num(float(self.take().text))
        if tok.kind == "op" and tok.text == "(":
            self.nest(self.take())
            node = self.conditional()
            self.expect(")", tok, "close every '('")
            self.depth -= 1
            return node
        if tok.kind == "word" and tok.text not in _KEYWORDS:
            self.take()
            return self.call(tok) if self.at("(") else self.name(tok)
        if tok.kind == "end":
            prev = self.toks[self.k - 1].text
            raise _error("unexpected end of expression", f"complete it after '{prev}'", tok.pos)
        if tok.text == "not":
            raise _error("'not' must be in parentheses here", "e.g. -(not x)", tok.pos, 3)
        raise _error(f"unexpected '{tok.text}'", _OPERAND, tok.pos, len(tok.text))

    def name(self, tok: _Tok) -> Node:
        word = tok.text
        if word in _VARIABLES or word in _CONSTANTS:
            return Name(_CONSTANTS.get(word, word))
        if word in _BOOLEANS:
            return Num(_BOOLEANS[word])
        if _bare(word) in _ARITY:
            hint = "call it: " + _ARITY[_bare(word)][2]
            raise _error(f"'{word}' is a function", hint, tok.pos, len(word))
        names = list(_VARIABLES) + list(_CONSTANTS)
        hint = (
            did_you_mean(word.lower(), names)
            if word.lower() in names
            else did_you_mean(word, names)
        )
        raise _error(f"unknown name '{word}'", hint, tok.pos, len(word))

    def call(self, tok: _Tok) -> Node:
        name = _bare(tok.text)
        if name not in _ARITY:
            raise self.not_a_function(tok)
        opener = self.take()
        self.nest(opener)
        args: List[Node] = []
        while not self.at(")"):
            args.append(self.conditional())
            if not self.at(","):
                break
            self.take()
        self.expect(")", opener, "separate arguments with ','")
        self.depth -= 1
        lo, hi, usage = _ARITY[name]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo} argument{'' if lo == 1 else 's'}"
            want = "no arguments" if hi == 0 else want if hi == lo else "at least " + want
            msg = f"{tok.text}() takes {want}, got {len(args)}"
            raise _error(msg, "usage: " + usage, tok.pos, len(tok.text))
        return _make_call(name, args)

    def not_a_function(self, tok: _Tok) -> SpecError:
        word = tok.text
        if word in _VARIABLES or word in _CONSTANTS or word in _BOOLEANS:
            hint = f"use '*' to multiply: {word} * (...)"
            return _error(f"'{word}' is not a function", hint, tok.pos, len(word))
        hint = did_you_mean(word, _SPELLINGS) or "functions: " + ", ".join(sorted(_ARITY))
        return _error(f"unknown function '{word}'", hint, tok.pos, len(word))


def _bare(word: str) -> str:
    return word[5:] if word.startswith("Math.") else word


def _parse(text: str, limits: Limits, js: bool) -> Node:
    if not isinstance(text, str):
        raise SpecError("an element expression must be a string", "e.g. i == j ? 1 : 0")
    if len(text) > limits.max_elem_expr:
        msg = f"element expression is too long ({len(text)} characters; the limit is {limits.max_elem_expr})"
        raise _error(msg, "shorten it, or raise the max_elem_expr limit", limits.max_elem_expr)
    try:
        return _Parser(text, limits, js).parse()
    except RecursionError:  # only with a huge max_depth: the depth check comes first
        raise _error("expression is nested too deeply", "simplify it", 0) from None


# ----------------------------------------------------------------- printing

_LEVEL = {"or": OR, "and": AND, "+": ADD, "-": ADD, "*": MUL, "/": MUL, "%": MUL, "**": POW}
_LEVEL.update(dict.fromkeys(("<", "<=", ">", ">=", "==", "!="), CMP))
_JS_LEVEL = dict(_LEVEL, **{"==": EQ, "!=": EQ})
_JS_OP = {"or": "||", "and": "&&"}
Part = Tuple[str, int]  # printed text and its precedence level


def _wrap(part: Part, paren: bool) -> str:
    return f"({part[0]})" if paren else part[0]


def _number_text(v: float) -> str:
    if v == float("inf"):
        return "1e309"  # reads back as inf in both languages
    return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)


def _binary(op: str, level: int, left: Part, right: Part, js: bool) -> Part:
    if level == POW:  # right-associative; a signed base needs parentheses
        lp, rp = left[1] <= POW, right[1] < (POW if js else UNARY)
    elif level in (EQ, CMP):  # never print a chain: the two languages disagree
        lp, rp = left[1] <= CMP, right[1] <= CMP
    else:
        lp, rp = left[1] < level, right[1] <= level
    return f"{_wrap(left, lp)} {op} {_wrap(right, rp)}", level


def _print_py(node: Node, kids: List[Part]) -> Part:
    if isinstance(node, Num):
        return _number_text(node.value), ATOM
    if isinstance(node, Name):
        return node.name, ATOM
    if isinstance(node, Unary) and node.op == "-":
        return "-" + _wrap(kids[0], kids[0][1] <= UNARY), UNARY  # -(-x), never --x
    if isinstance(node, Unary):
        return "not " + _wrap(kids[0], kids[0][1] < NOT), NOT
    if isinstance(node, Binary):
        return _binary(node.op, _LEVEL[node.op], kids[0], kids[1], js=False)
    if isinstance(node, Cond):
        test, then, other = kids
        return (
            f"{_wrap(then, then[1] <= COND)} if {_wrap(test, test[1] <= COND)} else {other[0]}",
            COND,
        )
    return f"{node.func}({', '.join(k[0] for k in kids)})", ATOM


def _print_js(node: Node, kids: List[Part]) -> Part:
    if isinstance(node, Name):
        return {"pi": "Math.PI", "e": "Math.E"}.get(node.name, node.name), ATOM
    if isinstance(node, Unary):  # JavaScript rejects -x ** 2 and reads --x as decrement
        return ("-" if node.op == "-" else "!") + _wrap(kids[0], kids[0][1] <= POW), UNARY
    if isinstance(node, Binary) and node.op == "%":
        if _draws(node.right):
            hint = "JavaScript repeats the divisor; use fmod(a, b) or draw it once"
            raise SpecError(
                "'%' with random() in the divisor cannot be written in JavaScript", hint
            )
        a, b = kids
        inner = _binary("%", MUL, a, b, js=True)
        return _binary("%", MUL, _binary("+", ADD, inner, b, js=True), b, js=True)
    if isinstance(node, Binary):
        return _binary(_JS_OP.get(node.op, node.op), _JS_LEVEL[node.op], kids[0], kids[1], js=True)
    if isinstance(node, Call) and node.func == "fmod":
        return _binary("%", MUL, kids[0], kids[1], js=True)
    if isinstance(node, Call):
        return f"Math.{node.func}({', '.join(k[0] for k in kids)})", ATOM
    if isinstance(node, Cond):
        test, then, other = kids
        return f"{_wrap(test, test[1] <= COND)} ? {then[0]} : {other[0]}", COND
    return _print_py(node, kids)


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
    if node.func in _ONE_ARG:
        return _ONE_ARG[node.func](kids[0])
    if node.func in _TWO_ARGS:
        return _TWO_ARGS[node.func](kids[0], kids[1])
    out = np.abs(kids[0]) if node.func == "hypot" else kids[0]  # hypot(x) is |x|
    for x in kids[1:]:
        out = _N_ARGS[node.func](out, x)
    return out


# ---------------------------------------------------------------------- API


@dataclass(frozen=True)
class ElemExpr:
    """A parsed element expression: print it, translate it, evaluate it."""

    text: str
    node: Optional[Node] = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.node is None:
            object.__setattr__(self, "node", _parse(self.text, DEFAULT_LIMITS, js=False))

    @property
    def key(self) -> tuple:
        """A flat description of the tree: equal keys mean the same expression."""
        return _key(self.node)

    def __str__(self) -> str:
        return _fold(self.node, _print_py)[0]

    def to_js(self) -> str:
        """JavaScript with the same meaning, for mm's ``eval``; `from_js` reads it back."""
        cap = DEFAULT_LIMITS.max_url

        def combine(node: Node, kids: List[Part]) -> Part:
            part = _print_js(node, kids)
            if len(part[0]) > cap:  # x % b repeats b: nested % grows exponentially
                msg = f"the expression is too large to write as JavaScript (over {cap} characters)"
                raise SpecError(msg, "nested '%' repeats its divisor; use fmod(a, b)")
            return part

        return _fold(self.node, combine)[0]

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
            value = _fold(self.node, lambda n, k: _apply(n, k, env, lambda: gen.random((h, w))))
        return np.array(np.broadcast_to(_floats(value), (h, w)), dtype=np.float64)


def parse_elem_expr(text: str, limits: Limits = DEFAULT_LIMITS) -> ElemExpr:
    """Parse an element expression; every problem is a `SpecError` with a column."""
    return _checked(ElemExpr(text, _parse(text, limits, js=False)), limits)


def from_js(text: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The canonical text of mm's JavaScript expression ``text``, meaning kept."""
    return str(_checked(ElemExpr(text, _parse(text, limits, js=True)), limits))


def _checked(e: ElemExpr, limits: Limits) -> ElemExpr:
    # Specs keep the canonical text and parse it again, so it must fit as well;
    # spaces around operators and spelt-out sugar can make it longer.
    n = len(str(e))
    if n > limits.max_elem_expr:
        msg = f"element expression is too long written out ({n} characters; the limit is {limits.max_elem_expr})"
        raise _error(msg, "shorten it, or raise the max_elem_expr limit", 0)
    return e
