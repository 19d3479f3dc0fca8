"""Printing element expressions: the canonical Python form and mm's JavaScript."""

from __future__ import annotations

from typing import List, Tuple

from ...errors import SpecError
from .nodes import (
    ADD,
    AND,
    ATOM,
    CMP,
    COND,
    EQ,
    MUL,
    NOT,
    OR,
    POW,
    UNARY,
    Binary,
    Call,
    Cond,
    Name,
    Node,
    Num,
    Unary,
    draws,
)

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


def print_py(node: Node, kids: List[Part]) -> Part:
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


def print_js(node: Node, kids: List[Part]) -> Part:
    if isinstance(node, Name):
        return {"pi": "Math.PI", "e": "Math.E"}.get(node.name, node.name), ATOM
    if isinstance(node, Unary):  # JavaScript rejects -x ** 2 and reads --x as decrement
        return ("-" if node.op == "-" else "!") + _wrap(kids[0], kids[0][1] <= POW), UNARY
    if isinstance(node, Binary) and node.op == "%":
        if draws(node.right):
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
    return print_py(node, kids)
