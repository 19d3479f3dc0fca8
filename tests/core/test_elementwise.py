"""Epilogs on inputs (``softmax(S) @ V``) and element-wise operations, against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, SpecError, build, export_mm_params, parse_spec


def f64(scene, name):
    return scene.inputs[name].astype(np.float64)


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- epilogs on inputs


def test_an_epilog_on_an_input_applies_to_its_values():
    scene = build("expr: out = softmax(S) @ V\nnodes: {S: {shape: [6, 6]}, V: {shape: [6, 4]}}")
    p = softmax(f64(scene, "S"))
    node = scene.nodes["softmax(S)"]
    assert node.kind == "leaf" and node.matrix == "S" and node.epilog == "softmax(x)"
    np.testing.assert_allclose(node.values, p, rtol=1e-6)
    np.testing.assert_allclose(node.values.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(scene.root.values, p @ f64(scene, "V"), rtol=1e-5, atol=1e-7)


def test_an_input_with_and_without_an_epilog_is_one_matrix():
    scene = build("expr: out = relu(X.T * 2) @ X\nnodes: {X: {shape: [5, 3]}}")
    x = f64(scene, "X")
    shown = scene.nodes["relu(X.T * 2)"]
    np.testing.assert_allclose(shown.values, np.maximum(x.T * 2, 0), rtol=1e-6)
    np.testing.assert_allclose(scene.root.values, np.maximum(x.T * 2, 0) @ x, rtol=1e-5)
    assert scene.nodes["X"].values is not shown.values


def test_a_scene_file_keeps_an_inputs_epilog_and_its_raw_matrix_apart():
    scene = build("expr: out = tril(S) @ S\nnodes: {S: {shape: [4, 4]}}")
    back = Scene.from_bytes(scene.to_bytes())
    assert back.nodes.names() == ["out", "tril(S)", "S"]
    np.testing.assert_array_equal(back.nodes["tril(S)"].values, np.tril(back.inputs["S"]))
    assert back.to_bytes() == Scene.from_bytes(back.to_bytes()).to_bytes()


def test_a_label_keeps_the_inputs_epilog():
    spec = parse_spec("expr: softmax(S) @ V\nnodes: {S: {label: scores}}")
    assert [t.label for t in spec.tree.walk()] == ["softmax(S) @ V", "softmax(scores)", "V"]


def test_k_cannot_scale_an_input():
    with pytest.raises(SpecError) as info:
        parse_spec("expr: out = softmax(S / sqrt(k)) @ V")
    e = info.value
    assert e.message == "k is the depth of a product, but 'S' is an input matrix"
    assert (e.line, e.column) == (1, 23) and e.hint == "scale an input by a number, e.g. S / 8"


def test_mm_has_no_epilogs_on_inputs():
    with pytest.raises(SpecError) as info:
        export_mm_params(parse_spec("expr: softmax(S) @ V"))
    assert info.value.message == "mm cannot apply an epilog to an input matrix: softmax(S)"


# ---------------------------------------------------------------- element-wise operations

RESIDUAL = "expr: out = x + attn_out\nnodes: {x: {shape: [8, 12]}}"
BIAS = "expr: h = x @ W + b\nnodes: {x: {shape: [6, 5]}, W: {shape: [5, 7]}, b: {shape: [1, 7]}}"
GATING = "expr: g = (x @ W) * (x @ V)\nnodes: {x: {shape: [6, 5]}, W: {shape: [5, 4]}}"
MLP = (
    "expr: out = relu(x @ W1 + b1) @ W2 + b2\n"
    "nodes: {x: {shape: [4, 6]}, b1: {shape: [1, 10]}, b2: {shape: [1, 6]}}\n"
    "anim: {alg: vmprod}"
)


@pytest.mark.parametrize(
    "text,reference",
    [
        (RESIDUAL, lambda m: m["x"] + m["attn_out"]),
        (BIAS, lambda m: m["x"] @ m["W"] + m["b"]),
        (GATING, lambda m: (m["x"] @ m["W"]) * (m["x"] @ m["V"])),
        (
            "expr: d = a - c\nnodes: {a: {shape: [3, 4]}, c: {shape: [3, 1]}}",
            lambda m: m["a"] - m["c"],
        ),
        (
            "expr: y = b + x\nnodes: {b: {shape: [1, 5]}, x: {shape: [4, 5]}}",
            lambda m: m["b"] + m["x"],
        ),
        (
            MLP,
            lambda m: np.maximum(m["x"] @ m["W1"] + m["b1"], 0) @ m["W2"] + m["b2"],
        ),
        (
            "expr: y = softmax(S + M) @ V\nnodes: {S: {shape: [5, 5]}}",
            lambda m: softmax(m["S"] + m["M"]) @ m["V"],
        ),
        ("expr: y = (a - c) * 0.5\nnodes: {a: {shape: [3, 4]}}", lambda m: (m["a"] - m["c"]) * 0.5),
    ],
)
def test_elementwise_values_match_numpy(text, reference):
    scene = build(text)
    m = {name: f64(scene, name) for name in scene.inputs}
    expected = reference(m)
    assert scene.root.shape == expected.shape
    np.testing.assert_allclose(scene.root.values, expected, rtol=1e-5, atol=1e-6)


def test_the_tree_keeps_operands_and_shapes():
    spec = parse_spec(MLP)
    assert [(t.label, t.kind, t.op, t.shape) for t in spec.tree.walk()] == [
        ("out", "elementwise", "+", (4, 6)),
        ("(x @ W1 + b1) @ W2", "matmul", "", (4, 6)),
        ("x @ W1 + b1", "elementwise", "+", (4, 10)),
        ("x @ W1", "matmul", "", (4, 10)),
        ("x", "leaf", "", (4, 6)),
        ("W1", "leaf", "", (6, 10)),
        ("b1", "leaf", "", (1, 10)),
        ("W2", "leaf", "", (10, 6)),
        ("b2", "leaf", "", (1, 6)),
    ]
    assert parse_spec(GATING).tree.label == "g"
    assert parse_spec("expr: (x @ W) * (x @ V)").tree.label == "(x @ W) * (x @ V)"


BAD = [
    (
        "expr: out = x + attn_out\nnodes: {x: {shape: [8, 64]}, attn_out: {shape: [8, 32]}}",
        "x is 8×64 but attn_out is 8×32: `+` needs the same shape, or a 1×64 row or a 8×1 column",
        1,
        15,
    ),
    (
        "expr: y = x * z\nnodes: {x: {shape: [3, 4]}, z: {shape: [2, 4]}}",
        "x is 3×4 but z is 2×4: `*` needs the same shape, or a 1×4 row or a 3×1 column",
        1,
        13,
    ),
    ("expr: y = x + 1", "'+' adds matrices, not a number", 1, 15),
    (
        "expr: y = x + z\nnodes: {y: {anim: vmprod}}",
        "y is an element-wise result; anim does not apply to it",
        2,
        13,
    ),
    (
        "expr: y = x + z\nnodes: {y: {init: ones}}",
        "y is an element-wise result; init does not apply to it",
        2,
        13,
    ),
    ("expr: y = (x + z) / k", "k is the depth of a product, but 'x + z' is element-wise", 1, 19),
    (
        "expr: y = x + z\nnodes: {y: {shape: [4, 5]}, x: {shape: [4, 6]}}",
        "`y` is 4×6, but nodes.y.shape (line 2) gives columns 5",
        1,
        13,
    ),
]


@pytest.mark.parametrize("text,message,line,column", BAD)
def test_elementwise_misuse_is_a_positioned_error(text, message, line, column):
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    e = info.value
    assert message in e.message
    assert (e.line, e.column) == (line, column)
    assert e.hint


def test_mm_has_no_elementwise_operations():
    with pytest.raises(SpecError) as info:
        export_mm_params(parse_spec(BIAS))
    assert info.value.message == "mm has no element-wise operations: `+` in h"


# ---------------------------------------------------------------- the stack


def _centre(view, r, c):
    return np.array(view.element_center(r, c))


@pytest.mark.parametrize("text", [RESIDUAL, BIAS, GATING, MLP])
def test_operands_line_up_with_the_result_along_the_stack(text):
    scene = build(text)
    views = {v.node: v for v in scene.matrices}
    assert len(views) == len(scene.matrices)  # every node is drawn once
    for node in scene.nodes:
        if node.kind != "elementwise":
            continue
        out = views[node.path]
        normal = np.array(out.normal)
        for operand in (node.left, node.right):
            v = views[operand.path]
            assert np.allclose(np.cross(normal, v.normal), 0)  # parallel faces
            rows, cols = operand.shape
            for r, c in [(0, 0), (node.shape[0] - 1, node.shape[1] - 1), (1, 2)]:
                # a broadcast row (column) stands at the result's first row (column)
                r, c = min(r, rows - 1), min(c, cols - 1)
                d = _centre(v, r, c) - _centre(out, r, c)
                assert np.allclose(d - np.dot(d, normal) * normal, 0), (operand.name, r, c)
                assert abs(np.dot(d, normal)) > 2  # a pitch apart, never on the result


def test_a_computed_operand_is_its_own_result_face_and_its_cube_lies_beyond():
    scene = build(BIAS)
    h, xw, b = (
        next(v for v in scene.matrices if v.node == p) for p in ("root", "root.left", "root.right")
    )
    assert (xw.role, xw.cube) == ("result", "root.left") and (b.role, b.cube) == ("right", "root")
    # from the result (front, facing the viewer at +z) back: b, then x @ W, then its cube
    assert h.origin[2] > b.origin[2] > xw.origin[2]
    cube = next(c for c in scene.cubes if c.node == "root.left")
    assert cube.bbox[1][2] <= xw.origin[2] + 1e-9
    assert len(scene.cubes) == 1  # the element-wise node has no cube


def test_two_computed_operands_put_the_result_between_them():
    scene = build(GATING)
    z = {v.node: v.origin[2] for v in scene.matrices}
    assert z["root.left"] < z["root"] < z["root.right"]
    cubes = {c.node: c for c in scene.cubes}
    assert cubes["root.left"].bbox[1][2] <= z["root.left"] + 1e-9  # behind, away from g
    assert cubes["root.right"].bbox[0][2] >= z["root.right"] - 1e-9  # in front, away from g


def test_the_operator_is_written_before_the_right_operands_name():
    names = [g.text for g in build(RESIDUAL).legends if g.kind == "name"]
    assert names == ["out", "x", "+ attn_out"]
    names = [g.text for g in build(GATING).legends if g.kind == "name"]
    assert names == ["g", "x @ W", "x", "W", "⊙ x @ V", "x", "V"]
    d = "expr: d = a - c\nnodes: {c: {shape: [32, 1]}}"
    assert [g.text for g in build(d).legends if g.kind == "name"] == ["d", "a", "− c"]


def test_elementwise_nodes_appear_complete_and_products_under_them_animate_first():
    scene = build(MLP)
    tracks = {t.node: t for t in scene.animation.tracks}
    assert set(tracks) == {"root.left", "root.left.left.left"}
    # (x @ W1 + b1) @ W2 waits for x @ W1 under the element-wise node
    assert tracks["root.left"].start == tracks["root.left.left.left"].finish


def test_an_elementwise_scene_file_round_trips():
    scene = build(MLP)
    back = Scene.from_bytes(scene.to_bytes())
    assert [(n.kind, n.op) for n in back.nodes] == [(n.kind, n.op) for n in scene.nodes]
    assert back.root.left.left.op == "+" and back.root.right.name == "b2"
    assert back.to_bytes() == Scene.from_bytes(back.to_bytes()).to_bytes()


def test_url_state_carries_an_elementwise_fence():
    from mm_docs_plugin.core import decode_url_state, encode_url_state

    spec = parse_spec(MLP)
    back = parse_spec(decode_url_state(encode_url_state(spec)))
    assert back == spec and back.expr == "out = relu(x @ W1 + b1) @ W2 + b2"
    np.testing.assert_array_equal(build(back).root.values, build(spec).root.values)


def test_an_elementwise_result_takes_settings_as_a_product_does():
    scene = build(
        "expr: h = x * x\nnodes: {x: {shape: [3, 4]}, h: {epilog: relu, colors: {sensitivity: local}}}"
    )
    x = f64(scene, "x")
    np.testing.assert_allclose(scene.root.values, np.maximum(x * x, 0), rtol=1e-6)
    assert (
        scene.root.epilog == "relu(x)"
        and scene.settings["node_colors"]["root"]["sensitivity"] == "local"
    )
    assert [v.node for v in scene.matrices] == ["root", "root.left", "root.right"]  # x twice
