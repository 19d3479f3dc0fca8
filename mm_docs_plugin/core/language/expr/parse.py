"""Tokenizer and recursive-descent parser of the expression language.

Depth, length and matmul caps are checked before recursion; every failure is a
`SpecError` with line 1 and a column in the expression text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from ...errors import DEFAULT_LIMITS, Limits, SpecError, did_you_mean
from .nodes import (
    DEPTH,
    EPILOG_NAMES,
    MAX_HEIGHT,
    SCALE_FUNCTIONS,
    Assign,
    Call,
    Depth,
    Elementwise,
    MatMul,
    Name,
    Node,
    Number,
    Scale,
    Sqrt,
    Transpose,
    count_elementwise,
    count_matmuls,
    height,
    print_expr,
)

# ---------------------------------------------------------------- tokenizer

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<dot_t>\.T\b)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>[@*/=(),+\-])
    """,
    re.VERBOSE | re.UNICODE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, dot_t, end
    text: str
    pos: int


def tokenize(text: str, limits: Limits = DEFAULT_LIMITS) -> List[Token]:
    """Split ``text`` into tokens; an unknown character is a SpecError at its column."""
    if len(text) > limits.max_expr:
        raise SpecError(
            "the expression is %d characters long; the limit is %d" % (len(text), limits.max_expr),
            "split the figure into smaller ones, or raise the limit (max_expr)",
            1,
            1,
        )
    tokens = []
    depth = 0
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _bad_char(text, pos)
        kind = m.lastgroup
        if kind != "ws":
            tok = Token(kind, m.group(), pos)
            if tok.text == "(":
                depth += 1
                # Checked here, before any recursion, so 500 nested parentheses
                # cost a linear scan and never reach Python's recursion limit.
                if depth > limits.max_depth:
                    raise SpecError(
                        "parentheses nested deeper than %d" % limits.max_depth,
                        "flatten the expression: name intermediate results with `name = ...`",
                        1,
                        pos + 1,
                    )
            elif tok.text == ")":
                depth -= 1
            tokens.append(tok)
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


_HINTS = {
    "[": "use parentheses ( ) for grouping",
    ".": "the only attribute is .T (transpose), as in K.T",
}


def _bad_char(text: str, pos: int) -> SpecError:
    ch = text[pos]
    shown = "'%s'" % ch if ch.isprintable() else "U+%04X" % ord(ch)
    return SpecError(
        "unexpected character %s in the expression" % shown,
        _HINTS.get(
            ch, "names are letters, digits and _; operators are @, +, -, * and /, e.g. A @ B + C"
        ),
        1,
        pos + 1,
    )


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.tokens = tokenize(text, limits)
        self.i = 0
        self.nest = 0

    # -- token helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, n: int = 1) -> Token:
        return self.tokens[min(self.i + n, len(self.tokens) - 1)]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, hint: Optional[str], tok: Optional[Token] = None) -> SpecError:
        tok = tok or self.tok
        return SpecError(message, hint, 1, tok.pos + 1, max(1, len(tok.text)))

    def expect(self, text: str, hint: str) -> Token:
        if self.tok.text != text:
            raise self.error("expected %r, found %s" % (text, _describe(self.tok)), hint)
        return self.take()

    # -- grammar
    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error(
                "the expression is empty", "write a matrix product, e.g. `out = A @ B`"
            )
        node = self.expr()
        if self.tok.kind != "end":
            raise self._unexpected_after_operand()
        return node

    def expr(self) -> Node:
        tok = self.tok
        self.nest += 1
        if self.nest > self.limits.max_depth:
            raise self.error(
                "the expression nests deeper than %d levels" % self.limits.max_depth,
                "name intermediate results, e.g. `x = A @ B`, and use them in fewer levels",
            )
        try:
            return self._expr(tok)
        finally:
            self.nest -= 1

    def _expr(self, tok: Token) -> Node:
        if tok.kind == "name" and self.peek().text == "=":
            self._check_name(tok)
            self.take()
            self.take()
            if self.tok.kind == "end":
                raise self.error(
                    "nothing after '=' in the assignment to %r" % tok.text,
                    "write the product being named, e.g. `%s = A @ B`" % tok.text,
                )
            return Assign(tok.text, self.expr(), tok.pos)
        return self.sum()

    def sum(self) -> Node:
        node = self.chain()
        while self.tok.text in ("+", "-"):
            op = self.take()
            self._operand_follows(op)
            right = self.chain()
            for side in (node, right):
                if _is_factor(side):
                    raise SpecError(
                        "%r adds matrices, not a number" % op.text,
                        "add a matrix of the same shape or a 1×n row, e.g. x @ W + b",
                        1,
                        getattr(side, "pos", op.pos) + 1,
                    )
            node = Elementwise(op.text, node, right, op.pos)
        return node

    def _operand_follows(self, op: Token) -> None:
        if self.tok.kind == "end" or self.tok.text in ("@", "*", "/", "+", "-", ")", ",", "="):
            raise self.error(
                "missing operand after %r" % op.text,
                "an operator needs a matrix (or, for * and /, a number) on both sides",
                op,
            )

    def chain(self) -> Node:
        node = self.postfix()
        while self.tok.text in ("@", "*", "/"):
            op = self.take()
            self._operand_follows(op)
            right = self.postfix()
            if op.text == "@":
                node = MatMul(node, right, op.pos)
            elif _is_factor(right):
                node = Scale(node, right, op.text, False, op.pos)
            elif op.text == "*" and _is_factor(node):
                node = Scale(right, node, "*", True, op.pos)
            elif op.text == "*":  # between two matrices: element-wise, as numpy's *
                node = Elementwise("*", node, right, op.pos)
            else:
                raise SpecError(
                    "'/' needs a number or sqrt(k) on its right",
                    "matrices are multiplied with @ (or * element-wise); scale with `/ 8` or `/ sqrt(k)`",
                    1,
                    op.pos + 1,
                )
        return node

    def postfix(self) -> Node:
        node = self.atom()
        while self.tok.kind == "dot_t":
            tok = self.take()
            if not isinstance(node, Name):
                raise self.error(
                    ".T applies to a named input matrix, not to a product or number",
                    "transpose the inputs instead: (A @ B).T is B.T @ A.T",
                    tok,
                )
            node = Transpose(node, tok.pos)
            if self.tok.kind == "dot_t":
                raise self.error("X.T.T is just X", "drop the double transpose")
        return node

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            value = float(tok.text)
            if not (0 < value < 1e300):
                raise self.error(
                    "scale factor %s must be a positive finite number" % tok.text,
                    "e.g. / 8 or * 0.125",
                    tok,
                )
            return Number(value, tok.pos)
        if tok.kind == "name":
            if self.peek().text == "(":
                return self.call()
            self._check_name(tok)
            self.take()
            return (
                Depth(tok.pos)
                if tok.text == DEPTH and self._in_scale_position()
                else Name(tok.text, tok.pos)
            )
        if tok.text == "(":
            self.take()
            if self.tok.text == ")":
                raise self.error("empty parentheses", "put a matrix product inside, e.g. (A @ B)")
            node = self.expr()
            self.expect(")", "close the parenthesis opened at column %d" % (tok.pos + 1))
            return node
        if tok.kind == "end":
            raise self.error(
                "the expression ends where a matrix was expected",
                "finish the expression, e.g. `A @ B`",
            )
        if tok.text == "=":
            raise self.error(
                "'=' must follow a name",
                "name a product as `name = A @ B` (in parentheses when it is an operand)",
            )
        raise self.error(
            "expected a matrix name, found %s" % _describe(tok),
            "operands are names (A, W_q), parenthesised products or epilogs like softmax(...)",
        )

    def call(self) -> Node:
        tok = self.take()
        self.take()  # "("
        func = tok.text
        if func in SCALE_FUNCTIONS:
            arg_tok = self.tok
            arg = self.atom()
            if isinstance(arg, Name) and arg.name == DEPTH:
                arg = Depth(arg.pos)
            if not isinstance(arg, (Number, Depth)):
                raise self.error(
                    "sqrt() takes a number or k (the matmul's depth)",
                    "e.g. Q @ K.T / sqrt(k) or / sqrt(64)",
                    arg_tok,
                )
            self.expect(")", "sqrt takes one argument, e.g. sqrt(k)")
            return Sqrt(arg, tok.pos)
        if func not in EPILOG_NAMES:
            raise SpecError(
                "unknown function %r" % func,
                did_you_mean(func, EPILOG_NAMES + SCALE_FUNCTIONS),
                1,
                tok.pos + 1,
                len(func),
            )
        if self.tok.text == ")":
            raise self.error(
                "%s() needs an argument" % func, "apply it to a product, e.g. %s(A @ B)" % func
            )
        arg = self.expr()
        if self.tok.text == ",":
            raise self.error(
                "%s takes one argument" % func, "apply it to one product, e.g. %s(A @ B)" % func
            )
        self.expect(")", "close the call to %s opened at column %d" % (func, tok.pos + 1))
        return Call(func, arg, tok.pos)

    def _in_scale_position(self) -> bool:
        prev = self.tokens[self.i - 2] if self.i >= 2 else None
        return prev is not None and prev.text in ("*", "/")

    def _check_name(self, tok: Token) -> None:
        if len(tok.text) > self.limits.max_name:
            raise self.error(
                "name %r… is longer than %d characters" % (tok.text[:16], self.limits.max_name),
                "use a shorter name; put long descriptions in the caption",
                tok,
            )

    def _unexpected_after_operand(self) -> SpecError:
        tok = self.tok
        if tok.text == ")":
            return self.error("unmatched ')'", "remove it or add the matching '('")
        if tok.text == "=":
            return self.error(
                "'=' must follow a name",
                "to name a product used as an operand, parenthesise it: (x = A @ B) @ C",
            )
        return self.error(
            "expected an operator (@, +, -, * or /) before %s" % _describe(tok),
            "matrices are multiplied with @, e.g. A @ B",
        )


def _is_factor(node: Node) -> bool:
    return isinstance(node, (Number, Depth, Sqrt))


def _describe(tok: Token) -> str:
    return "the end of the expression" if tok.kind == "end" else repr(tok.text)


def parse_fragment(text: str, limits: Limits = DEFAULT_LIMITS) -> Node:
    """Parse any well-formed expression, with or without a matmul (epilogs use it)."""
    if not isinstance(text, str):
        raise SpecError("the expression must be text", "e.g. expr: out = A @ B", 1, 1)
    node = _Parser(text, limits).parse()
    if height(node) > MAX_HEIGHT:
        raise SpecError(
            "the expression nests %d levels deep; the limit is %d" % (height(node), MAX_HEIGHT),
            "name intermediate results and split the figure",
            1,
            1,
        )
    return node


def parse_expr(text: str, limits: Limits = DEFAULT_LIMITS) -> Node:
    """Parse an expression; every failure is a SpecError with line 1 and a column."""
    node = parse_fragment(text, limits)
    count = count_matmuls(node)
    if count > limits.max_matmuls:
        raise SpecError(
            "the expression has %d matmuls; the limit is %d" % (count, limits.max_matmuls),
            "split it into several figures, or raise the limit (max_matmuls)",
            1,
            1,
        )
    sums = count_elementwise(node)
    if sums > limits.max_matmuls:
        raise SpecError(
            "the expression has %d element-wise operations; the limit is %d"
            % (sums, limits.max_matmuls),
            "split it into several figures, or raise the limit (max_matmuls)",
            1,
            1,
        )
    count += sums
    if count == 0 and isinstance(node, Assign):
        raise SpecError(
            "'%s = %s' names an input matrix; names label products"
            % (node.name, print_expr(node.value)),
            "name a product instead, e.g. `%s = A @ B`" % node.name,
            1,
            node.pos + 1,
        )
    if count == 0:
        raise SpecError(
            "the expression has no matrix multiplication or element-wise operation",
            "a figure shows at least one, e.g. `A @ B` or `x + y`",
            1,
            1,
            len(text),
        )
    return node
