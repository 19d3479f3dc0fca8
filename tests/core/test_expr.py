"""The matrix expression language: parse, print, hostile input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core import SpecError
from mm_docs_plugin.core.language import expr as ex

GOOD = [
    "A @ B",
    "A @ B @ C",
    "A @ (B @ C)",
    "x = A @ (B @ C)",
    "(x1 = (x0 = batch @ w0) @ w1) @ w2",
    "out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V",
    "out = (attn = (Q = input @ wQ) @ (K_t = wK_t @ input.T)) @ (V = input @ wV) @ wO",
    "relu(x @ W1) @ W2",
    "A @ B * 0.5",
    "2 * A @ B",
    "A @ B / k",
    "layernorm(h @ W)",
    "α @ β",
    "softmax(s = Q @ K.T) @ V",
    "x + attn_out",
    "h = x @ W + b",
    "(x @ W) * (x @ V)",
    "out = relu(x @ W1 + b1) @ W2 + b2",
    "a - (b - c)",
    "(a + b) * c",
    "2 * (a + b) / 4",
    "softmax(S) @ V",
]


@pytest.mark.parametrize("text", GOOD)
def test_print_parse_round_trip(text):
    ast = ex.parse_expr(text)
    printed = ex.print_expr(ast)
    assert ex.parse_expr(printed) == ast
    assert ex.print_expr(ex.parse_expr(printed)) == printed


def test_at_is_left_associative():
    assert ex.parse_expr("A @ B @ C") == ex.MatMul(
        ex.MatMul(ex.Name("A"), ex.Name("B")), ex.Name("C")
    )


def test_scale_binds_like_python():
    # (Q @ K.T) / sqrt(k): the scale applies to the product, not to K.T.
    ast = ex.parse_expr("Q @ K.T / sqrt(k)")
    assert ast == ex.Scale(
        ex.MatMul(ex.Name("Q"), ex.Transpose(ex.Name("K"))), ex.Sqrt(ex.Depth()), "/"
    )


def test_elementwise_binds_like_python():
    # @ and * (one level, left to right) bind tighter than + and -; * by a number scales.
    a, b, c = ex.Name("a"), ex.Name("b"), ex.Name("c")
    assert ex.parse_expr("a + b @ c") == ex.Elementwise("+", a, ex.MatMul(b, c))
    assert ex.parse_expr("a * b @ c") == ex.MatMul(ex.Elementwise("*", a, b), c)
    assert ex.parse_expr("a - b - c") == ex.Elementwise("-", ex.Elementwise("-", a, b), c)
    assert ex.parse_expr("a * 2 + b") == ex.Elementwise("+", ex.Scale(a, ex.Number(2), "*"), b)
    assert ex.print_expr(ex.parse_expr("(a + b) * (c - a)")) == "(a + b) * (c - a)"


def test_k_is_a_matrix_outside_scale_position():
    assert ex.parse_expr("A @ k") == ex.MatMul(ex.Name("A"), ex.Name("k"))


def test_printer_uses_fewest_parentheses():
    assert ex.print_expr(ex.parse_expr("((A @ B) @ C)")) == "A @ B @ C"
    assert ex.print_expr(ex.parse_expr("(A @ (B @ C))")) == "A @ (B @ C)"


BAD = [
    # text, message fragment, column
    ("", "empty", 1),
    ("A", "no matrix multiplication", 1),
    ("A @", "missing operand after '@'", 3),
    ("@@", "expected a matrix name", 1),
    ("A @@ B", "missing operand after '@'", 3),
    ("A + B % C", "unexpected character '%'", 7),
    ("A + 2", "'+' adds matrices, not a number", 5),
    ("x @ W +", "missing operand after '+'", 7),
    ("A - - B", "missing operand after '-'", 3),
    ("A @ (B", "expected ')'", 7),
    ("A @ B)", "unmatched ')'", 6),
    ("A @ B = C", "'=' must follow a name", 7),
    ("softmx(A @ B)", "unknown function 'softmx'", 1),
    ("A @ B / C", "'/' needs a number or sqrt(k) on its right", 7),
    ("A / B", "'/' needs a number or sqrt(k) on its right", 3),
    ("A.T.T @ B", "X.T.T is just X", 4),
    ("(A @ B).T", ".T applies to a named input matrix", 8),
    ("A @ B / 0", "must be a positive finite number", 9),
    ("A @ B\x00", "unexpected character U+0000", 6),
    ("softmax() @ B", "softmax() needs an argument", 9),
    ("sqrt(A) @ B", "sqrt() takes a number or k", 6),
    ("x = ", "nothing after '='", 5),
]


@pytest.mark.parametrize("text,fragment,column", BAD)
def test_bad_expressions_give_positioned_errors(text, fragment, column):
    with pytest.raises(SpecError) as info:
        ex.parse_expr(text)
    assert fragment in info.value.message
    assert info.value.line == 1
    assert info.value.column == column
    assert info.value.hint


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("(" * 500 + "A @ B" + ")" * 500, "nested deeper than 64"),
        ("A @ " * 5000 + "A", "characters long"),
        (" @ ".join("A%d" % n for n in range(300)), "matmuls; the limit is 128"),
        ("x = " * 200 + "A @ B", "nests deeper than 64"),
        ("A @ B" + " / 2" * 400, "levels deep"),
    ],
)
def test_hostile_sizes_fail_fast(text, fragment):
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        ex.parse_expr(text)
    assert fragment in info.value.message
    assert time.perf_counter() - start < 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_raises_spec_error(text):
    start = time.perf_counter()
    try:
        ast = ex.parse_expr(text)
    except SpecError as e:
        assert e.line == 1 and e.column >= 1
    else:
        assert ex.parse_expr(ex.print_expr(ast)) == ast
    assert time.perf_counter() - start < 1.0


# Random well-formed expressions, generated as text from the grammar.
names = st.sampled_from(["A", "B", "W_q", "x0", "K"])
funcs = st.sampled_from(list(ex.EPILOG_NAMES))


def _exprs():
    operand = st.one_of(names, names.map(lambda n: n + ".T"))
    return st.recursive(
        operand,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: "(%s @ %s)" % p),
            st.tuples(funcs, inner, inner).map(lambda t: "%s(%s @ %s)" % t),
            st.tuples(inner, inner, st.sampled_from(["/ 8", "* 0.5", "/ sqrt(k)", "/ k"])).map(
                lambda t: "(%s @ %s %s)" % t
            ),
            st.tuples(st.sampled_from(["p", "q", "out"]), inner, inner).map(
                lambda t: "(%s = %s @ %s)" % t
            ),
        ),
        max_leaves=12,
    )


@settings(max_examples=300, deadline=None)
@given(_exprs())
def test_printer_round_trip_on_generated_expressions(text):
    try:
        ast = ex.parse_expr(text)
    except SpecError:
        return  # e.g. no matmul in a bare operand
    printed = ex.print_expr(ast)
    assert ex.parse_expr(printed) == ast
    assert ex.print_expr(ex.parse_expr(printed)) == printed
