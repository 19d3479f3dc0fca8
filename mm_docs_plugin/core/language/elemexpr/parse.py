"""Tokenizer and parser of element expressions, in Python's or JavaScript's reading.

Depth and length caps come first; every failure is a `SpecError` with a column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import List, Optional

from ...errors import Limits, SpecError, did_you_mean
from .nodes import (
    ADD,
    AND,
    ARITY,
    BOOLEANS,
    CMP,
    CONSTANTS,
    EQ,
    KEYWORDS,
    MUL,
    NOT,
    OR,
    SPELLINGS,
    VARIABLES,
    Binary,
    Call,
    Cond,
    Name,
    Node,
    Num,
    Unary,
    draws,
    key_of,
)

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


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "…"


def error(message: str, hint: Optional[str], pos: int, length: int = 1) -> SpecError:
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
        raise error(f"malformed number '{bad}'", hint, m.start(), len(bad))
    digits = re.split("[.eE]", m.group())[0]
    if len(digits) > 1 and digits[0] == "0":
        hint = f"write {digits.lstrip('0') or '0'}; JavaScript reads {digits} as octal"
        raise error("numbers may not start with 0", hint, m.start(), len(m.group()))
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
        raise error(
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
        raise error(f"unexpected character {text[k]!r}", _CHAR_HINT, k)
    reason = _JS_COMMENT if op == "//" and js else _REJECTED.get(op)
    if reason:
        raise error(reason[0], reason[1], k, len(op))
    return _Tok("op", op, k)


# ------------------------------------------------------------ normal forms


def _undo_js_mod(a: Node, b: Node) -> Optional[Node]:
    """x when ``a`` is ``fmod(x, b) + b`` and b draws no random numbers."""
    if not (isinstance(a, Binary) and a.op == "+" and isinstance(a.left, Call)):
        return None
    if a.left.func != "fmod" or key_of(a.left.args[1]) != key_of(b) or key_of(a.right) != key_of(b):
        return None
    return None if draws(b) else a.left.args[0]


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
            raise error(msg, "simplify it, or raise the max_depth limit", tok.pos, len(tok.text))

    def operand_next(self) -> bool:
        tok = self.peek()
        return (
            tok.kind == "num"
            or tok.text == "("
            or (tok.kind == "word" and tok.text not in KEYWORDS)
        )

    def missing_operator(self) -> SpecError:
        prev, tok = self.toks[self.k - 1].text, self.peek()
        msg = f"expected an operator between '{prev}' and '{tok.text}'"
        return error(msg, f"e.g. '{prev} * {tok.text}'", tok.pos, len(tok.text))

    def expect(self, text: str, opener: _Tok, usage: str) -> None:
        tok = self.peek()
        if tok.text == text and tok.kind == ("word" if text == "else" else "op"):
            self.take()
        elif tok.kind == "end":
            hint = f"the '{opener.text}' at column {opener.pos + 1} needs it: {usage}"
            raise error(f"missing '{text}'", hint, tok.pos)
        elif self.operand_next():
            raise self.missing_operator()
        else:
            raise error(f"expected '{text}' but found '{tok.text}'", usage, tok.pos, len(tok.text))

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise error("empty expression", "write a formula over i, j, h, w, e.g. i * w + j", 0)
        node = self.conditional()
        tok = self.peek()
        if tok.kind == "end":
            return node
        if self.operand_next():
            raise self.missing_operator()
        if tok.text == ")":
            raise error("unmatched ')'", "remove it or add a '(' before it", tok.pos)
        hint = _TRAILING.get(tok.text, "remove it, or join the parts with an operator")
        raise error(f"unexpected '{tok.text}'", hint, tok.pos, len(tok.text))

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
                raise error(msg, hint, tok.pos, len(tok.text))
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
            value = float(self.take().text)
            if not math.isfinite(value):  # 1e400, or 400 digits: beyond float range
                raise error(
                    "the number %s is too large" % _short(tok.text),
                    "numbers are floats: use one below 1e308",
                    tok.pos,
                    len(tok.text),
                )
            return Num(value)
        if tok.kind == "op" and tok.text == "(":
            self.nest(self.take())
            node = self.conditional()
            self.expect(")", tok, "close every '('")
            self.depth -= 1
            return node
        if tok.kind == "word" and tok.text not in KEYWORDS:
            self.take()
            return self.call(tok) if self.at("(") else self.name(tok)
        if tok.kind == "end":
            prev = self.toks[self.k - 1].text
            raise error("unexpected end of expression", f"complete it after '{prev}'", tok.pos)
        if tok.text == "not":
            raise error("'not' must be in parentheses here", "e.g. -(not x)", tok.pos, 3)
        raise error(f"unexpected '{tok.text}'", _OPERAND, tok.pos, len(tok.text))

    def name(self, tok: _Tok) -> Node:
        word = tok.text
        if word in VARIABLES or word in CONSTANTS:
            return Name(CONSTANTS.get(word, word))
        if word in BOOLEANS:
            return Num(BOOLEANS[word])
        if _bare(word) in ARITY:
            hint = "call it: " + ARITY[_bare(word)][2]
            raise error(f"'{word}' is a function", hint, tok.pos, len(word))
        names = list(VARIABLES) + list(CONSTANTS)
        hint = (
            did_you_mean(word.lower(), names)
            if word.lower() in names
            else did_you_mean(word, names)
        )
        raise error(f"unknown name '{word}'", hint, tok.pos, len(word))

    def call(self, tok: _Tok) -> Node:
        name = _bare(tok.text)
        if name not in ARITY:
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
        lo, hi, usage = ARITY[name]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo} argument{'' if lo == 1 else 's'}"
            want = "no arguments" if hi == 0 else want if hi == lo else "at least " + want
            msg = f"{tok.text}() takes {want}, got {len(args)}"
            raise error(msg, "usage: " + usage, tok.pos, len(tok.text))
        return _make_call(name, args)

    def not_a_function(self, tok: _Tok) -> SpecError:
        word = tok.text
        if word in VARIABLES or word in CONSTANTS or word in BOOLEANS:
            hint = f"use '*' to multiply: {word} * (...)"
            return error(f"'{word}' is not a function", hint, tok.pos, len(word))
        hint = did_you_mean(word, SPELLINGS) or "functions: " + ", ".join(sorted(ARITY))
        return error(f"unknown function '{word}'", hint, tok.pos, len(word))


def _bare(word: str) -> str:
    return word[5:] if word.startswith("Math.") else word


def parse_text(text: str, limits: Limits, js: bool) -> Node:
    if not isinstance(text, str):
        raise SpecError("an element expression must be a string", "e.g. i == j ? 1 : 0")
    if len(text) > limits.max_elem_expr:
        msg = f"element expression is too long ({len(text)} characters; the limit is {limits.max_elem_expr})"
        raise error(msg, "shorten it, or raise the max_elem_expr limit", limits.max_elem_expr)
    try:
        return _Parser(text, limits, js).parse()
    except RecursionError:  # only with a huge max_depth: the depth check comes first
        raise error("expression is nested too deeply", "simplify it", 0) from None
