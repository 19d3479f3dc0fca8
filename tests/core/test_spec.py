"""Spec validation: shapes, names, settings and the errors authors see."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core import Limits, SpecError, build, parse_spec


def shapes(spec):
    return {n.label: n.shape for n in spec.tree.walk()}


def test_defaults_fill_unimplied_dimensions():
    spec = parse_spec("expr: out = A @ B")
    assert shapes(spec) == {"out": (32, 32), "A": (32, 32), "B": (32, 32)}


def test_shapes_propagate_through_the_expression():
    spec = parse_spec(
        """
expr: out = (attn = softmax(Q @ K.T / sqrt(k))) @ V
nodes:
  Q: {shape: [256, 64]}
  V: {shape: [null, 48]}
"""
    )
    s = shapes(spec)
    assert s["Q"] == (256, 64)
    assert s["K.T"] == (64, 32)  # K's rows are not implied: default 32
    assert s["attn"] == (256, 32)
    assert s["V"] == (32, 48)
    assert s["out"] == (256, 48)


def test_transpose_and_repeated_names_share_one_matrix():
    spec = parse_spec("expr: S = X @ X.T\nnodes: {X: {shape: 5x3}}")
    scene = build(spec)
    x = scene.nodes["X"].values
    np.testing.assert_array_equal(scene.nodes["X.T"].values, x.T)
    want = x.astype(float) @ x.T.astype(float)
    np.testing.assert_allclose(
        scene.nodes["S"].values, want, rtol=1e-5, atol=1e-6 * np.abs(want).max()
    )


def test_shape_of_a_product_constrains_its_operands():
    spec = parse_spec("expr: C = A @ B\nnodes: {C: {shape: [10, 20]}}")
    assert shapes(spec)["A"] == (10, 32) and shapes(spec)["B"] == (32, 20)


def test_shape_conflict_names_both_sides_and_shapes():
    text = "expr: Q @ K.T\nnodes:\n  Q: {shape: [256, 64]}\n  K: {shape: [256, 32]}\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    e = info.value
    assert "inner dimensions differ in `Q @ K.T`: Q is 256×64 and K.T is 32×256" in e.message
    assert "nodes.Q.shape (line 3)" in e.hint and "nodes.K.shape (line 4)" in e.hint
    assert (e.line, e.column) == (1, 9)  # the '@'


BAD = [
    # fence text, message fragment, line, column
    ("", "the spec is empty", 1, 1),
    ("- A @ B", "a spec is a mapping", 1, 1),
    ("nodes: {}", "the spec has no expr", 1, 1),
    ("expr: A @ B\nanmi: vmprod", "unknown key 'anmi'", 2, 1),
    ("expr: A @ B\nanim: vmprd", "anim must be one of", 2, 7),
    ("expr: A @ B\nanim: {speed: 500}", "anim.speed = 500 is out of range", 2, 15),
    ("expr: A @ B\nanim: {speed: fast}", "anim.speed must be a whole number", 2, 15),
    ("expr: A @ B\nlayout: {gap: true}", "layout.gap must be a number", 2, 15),
    ("expr: A @ B\nnodes: {C: {shape: [1, 2]}}", "'C', which is not in the expression", 2, 9),
    ("expr: A @ B\nnodes: {A: {shpe: [1, 2]}}", "unknown key 'shpe' in nodes.A", 2, 13),
    ("expr: A @ B\nnodes: {A: {shape: [0, 2]}}", "sides are positive whole numbers", 2, 20),
    ("expr: A @ B\nnodes: {A: {shape: [1, 2, 3]}}", "must be [rows, columns]", 2, 20),
    ("expr: A @ B\nnodes: {A: {epilog: relu}}", "epilog applies to products", 2, 13),
    ("expr: C = A @ B\nnodes: {C: {init: eye}}", "init applies to input matrices", 2, 13),
    ("expr: A @ B\nnodes: {A: {init: gausian}}", "must be one of", 2, 19),
    ("expr: A @ B\nnodes: {A: {init: eye, min: 0}}", "min applies to the inits", 2, 24),
    ("expr: A @ B\nnodes: {A: {init: expr}}", "init: expr needs a `expr:` setting", 2, 13),
    (
        "expr: A @ B\nnodes: {A: {init: gaussian, expr: i}}",
        "expr is used only with init: expr",
        2,
        29,
    ),
    ("expr: A @ B\nnodes: {A: {expr: 'i +'}}", "unexpected end", 2, 23),
    ("expr: A @ (B", "expected ')'", 1, 13),
    ("expr: x = A\n", "names an input matrix", 1, 7),
    ("expr: (x = A @ B) @ (x = C @ D)", "the name 'x' is already used for a product", 1, 22),
    ("expr: (A = B @ C) @ A", "the name 'A' is already used", 1, 21),
    ("expr: A / k @ B", "k is the depth of a product, but 'A' is an input matrix", 1, 9),
    ("expr: A @ B\nblocks: {i: 40}", "blocks.i = 40, but A @ B has only 32 along i", 2, 9),
    (
        "expr: out = (h = A @ B) @ C\nblocks: {k: 2}\nnodes: {h: {blocks: {i: 1, j: 3}}}",
        "nodes.h.blocks.j = 3, but h, the left argument of out, takes its j blocks from out's k: 2",
        3,
        31,
    ),
    ("expr: A @ B\nnodes: {A: {label: ' '}}", "nodes.A.label must be a name", 2, 20),
    ("expr: A @ B\nseed: -1", "seed = -1 is out of range", 2, 7),
    (
        "expr: A @ B\ncamera: {position: [1, 2]}",
        "camera.position must be a list of three numbers",
        2,
        20,
    ),
    (
        "expr: C = softmax(A @ B)\nnodes: {C: {epilog: relu}}",
        "has an epilog in the expression",
        2,
        21,
    ),
    ("expr: A @ B\nnodes: {A: {data: nothere.npy}}", "not found", 2, 19),
    ("expr: A @ B\nexpr: A @ C", "duplicate key", 2, 1),
]


@pytest.mark.parametrize("text,fragment,line,column", BAD)
def test_bad_specs_give_positioned_errors(text, fragment, line, column, tmp_path):
    with pytest.raises(SpecError) as info:
        parse_spec(text, str(tmp_path))
    e = info.value
    assert fragment in e.message
    assert (e.line, e.column) == (line, column), str(e)
    assert e.hint


def test_errors_inside_element_expressions_point_into_the_fence():
    text = "expr: A @ B\nnodes:\n  A: {init: expr, expr: 'i + foo'}\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    assert info.value.line == 3
    assert info.value.column == len("  A: {init: expr, expr: 'i + ") + 1


def test_mapping_specs_name_the_field():
    with pytest.raises(SpecError) as info:
        parse_spec({"expr": "A @ B", "anim": {"alg": "nope"}})
    assert info.value.field == "anim.alg" and info.value.line is None


def test_element_limit_is_configurable():
    text = "expr: A @ B\nnodes: {A: {shape: [2000, 2000]}, B: {shape: [2000, 2000]}}"
    with pytest.raises(SpecError, match="elements; the limit is 4,000,000"):
        parse_spec(text)
    parse_spec(text, limits=Limits(max_elements=13_000_000))


def test_sixty_four_matmuls_are_supported():
    chain = " @ ".join("M%d" % n for n in range(65))
    scene = build(parse_spec({"expr": chain, "nodes": {"M0": {"shape": [4, 4]}}}))
    assert sum(n.kind == "matmul" for n in scene.nodes) == 64
    # 64 products of N(0, 1) 32×32 matrices leave float32's range: said, not hidden.
    assert np.isinf(scene.root.values).all()
    assert any("beyond float32 range" in w for w in scene.warnings)


def test_to_dict_round_trips():
    text = """
expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V
seed: 3
caption: A head
nodes:
  Q: {shape: [8, 4], init: uniform, min: 0, max: 2}
  V: {init: expr, expr: "i == j ? 1 : 0"}
  attn: {blocks: {k: 2}, anim: mvprod, layout: {polarity: negative}}
anim: {alg: vmprod, fuse: sync}
colors: {sensitivity: local}
camera: {position: [-48, 48, 48]}
"""
    spec = parse_spec(text)
    again = parse_spec(spec.to_dict())
    assert again == spec
    # a product's settings are kept as given, defaults included: they override what
    # its parent passes down (here the blocks scheme would make attn positive)
    assert again.nodes["attn"].layout.polarity == "negative"
    assert again.nodes["attn"].layout.given == {"polarity"}
    assert again.to_dict() == spec.to_dict()
    assert (
        spec.to_dict()["nodes"]["V"]["expr"] == "where(i == j, 1, 0)"
        or "?" not in spec.to_dict()["nodes"]["V"]["expr"]
    )


# Any text: a Spec or a SpecError, quickly.
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_spec_or_spec_error(text):
    start = time.perf_counter()
    try:
        parse_spec(text)
    except SpecError:
        pass
    assert time.perf_counter() - start < 1.0


yaml_ish = st.text(alphabet="expr: A@B()=.T\n {}[],-#'\"0123456789nodesshape", max_size=120)


@settings(max_examples=300, deadline=None)
@given(yaml_ish)
def test_spec_like_text_gives_spec_or_spec_error(text):
    try:
        spec = parse_spec("expr: A @ B\n" + text)
    except SpecError:
        return
    for node in spec.tree.walk():  # shapes are always consistent
        if node.kind == "matmul":
            assert node.left.shape[1] == node.right.shape[0]
            assert node.shape == (node.left.shape[0], node.right.shape[1])


operands = st.sampled_from(["A", "B", "C", "A.T", "B.T", "C.T"])


@st.composite
def random_spec(draw):
    expr = draw(operands)
    for _ in range(draw(st.integers(1, 5))):
        other = draw(operands)
        expr = "(%s @ %s)" % ((expr, other) if draw(st.booleans()) else (other, expr))
    nodes = {}
    for name in "ABC":
        if draw(st.booleans()):
            nodes[name] = {"shape": [draw(st.sampled_from([None, 1, 2, 3, 4])) for _ in range(2)]}
    return {"expr": expr, "nodes": nodes}


@settings(max_examples=300, deadline=None)
@given(random_spec())
def test_shapes_of_results_are_always_consistent(data):
    try:
        spec = parse_spec(data)
    except SpecError as e:
        assert (
            "inner dimensions differ" in e.message
            or "no matrix" in e.message
            or "not in the expression" in e.message
        )
        return
    scene = build(spec)
    for node in scene.nodes:
        assert node.values.shape == node.shape
        if node.kind == "matmul":
            assert node.left.shape[1] == node.right.shape[0]
            assert node.shape == (node.left.shape[0], node.right.shape[1])


def test_a_label_is_shown_for_every_occurrence_and_round_trips():
    spec = parse_spec("expr: out = (x_row @ x.T) @ x\nnodes: {x_row: {shape: [1, 8], label: x}}")
    assert [t.label for t in spec.tree.walk() if t.kind == "leaf"] == ["x", "x.T", "x"]
    assert [t.matrix for t in spec.tree.walk() if t.kind == "leaf"] == ["x_row", "x", "x"]
    assert parse_spec(spec.to_dict()) == spec and spec.nodes["x_row"].label == "x"
