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
