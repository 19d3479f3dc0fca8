"""build(): every node's values against a float64 numpy reference."""

from __future__ import annotations

import numpy as np
import pytest

from mm_docs_plugin.core import build, parse_spec

HEAD = """
expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) @ (V = input @ wV) @ wO
seed: 5
nodes:
  input: {shape: [24, 40]}
  wQ: {shape: [40, 8], init: pt_linear}
  wK_t: {init: pt_linear}
  wV: {init: pt_linear}
  wO: {init: pt_linear}
"""


def reference(scene):
    m = {name: v.astype(np.float64) for name, v in scene.inputs.items()}
    q = m["input"] @ m["wQ"]
    kt = m["wK_t"] @ m["input"].T
    s = (q @ kt) / np.sqrt(8)
    s = np.where(np.tril(np.ones_like(s)) > 0, s, -np.inf)
    attn = np.exp(s - s.max(1, keepdims=True))
    attn /= attn.sum(1, keepdims=True)
    v = m["input"] @ m["wV"]
    av = attn @ v
    return {"Q": q, "K_t": kt, "attn": attn, "V": v, "attn @ V": av, "out": av @ m["wO"]}


def test_attention_head_matches_float64_reference():
    scene = build(parse_spec(HEAD))
    for name, want in reference(scene).items():
        got = scene.nodes[name].values
        assert got.dtype == np.float32 and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * np.abs(want).max())


def test_scene_nodes_have_the_public_fields():
    scene = build(parse_spec(HEAD))
    root = scene.root
    assert root.name == "out" and root.kind == "matmul" and root.shape == (24, 32)
    assert scene.nodes[0] is root
    attn = scene.nodes["attn"]
    assert attn.epilog == "softmax(tril(x / sqrt(k)))"
    assert [op.kind for op in attn.epilog_ops] == ["scale", "tril", "softmax"]
    assert scene.nodes["Q"].epilog == "none" and scene.nodes["wQ"].epilog is None
    assert attn.left.name == "Q" and attn.right.name == "K_t"
    leaves = [n for n in scene.nodes if n.kind == "leaf"]
    assert {n.name for n in leaves} == {"input", "input.T", "wQ", "wK_t", "wV", "wO"}
    assert all(n.left is None and n.right is None for n in leaves)


def test_same_spec_same_values_and_seed_changes_them():
    a = build(parse_spec(HEAD))
    b = build(parse_spec(HEAD))
    c = build(parse_spec(HEAD.replace("seed: 5", "seed: 6")))
    assert np.array_equal(a.nodes["out"].values, b.nodes["out"].values)
    assert not np.array_equal(a.nodes["out"].values, c.nodes["out"].values)


def test_adding_a_leaf_does_not_change_the_others():
    a = build(parse_spec("expr: A @ B"))
    b = build(parse_spec("expr: A @ B @ C"))
    assert np.array_equal(a.inputs["A"], b.inputs["A"])
    assert np.array_equal(a.inputs["B"], b.inputs["B"])


def test_element_expression_init_and_bands():
    # mm's cube-idiom figure: ±1 row bands times ±1 column bands; results are ±24.
    scene = build(
        parse_spec(
            """
expr: L @ R
nodes:
  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}
  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}
"""
        )
    )
    i, j = np.indices((32, 32))
    want = 24 * (-2 * ((i // 8) % 2) + 1) * (-2 * ((j // 8) % 2) + 1)
    np.testing.assert_array_equal(scene.root.values, want)


def test_data_source_values(tmp_path):
    w = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.save(tmp_path / "w.npy", w)
    scene = build(
        parse_spec("expr: x @ W\nnodes: {W: {data: w.npy}, x: {init: ones}}", str(tmp_path))
    )
    assert scene.nodes["W"].shape == (3, 4) and scene.nodes["x"].shape == (32, 3)
    np.testing.assert_array_equal(scene.nodes["W"].values, w)
    np.testing.assert_allclose(scene.root.values, np.ones((32, 3)) @ w)


def test_remote_data_becomes_a_marked_placeholder():
    spec = parse_spec(
        "expr: A @ B\nnodes: {A: {shape: [4, 4], data: {url: 'https://example.org/a.csv'}}}"
    )
    scene = build(spec)
    assert scene.nodes["A"].shape == (4, 4)
    assert any("placeholder" in w for w in scene.warnings)


@pytest.mark.parametrize(
    "expr,ref",
    [
        ("relu(A @ B) @ C", lambda a, b, c: np.maximum(a @ b, 0) @ c),
        ("A @ (B @ C)", lambda a, b, c: a @ (b @ c)),
        ("square(A @ B / 8) @ C", lambda a, b, c: ((a @ b) / 8) ** 2 @ c),
        (
            "layernorm(A @ B) @ C",
            lambda a, b, c: (
                (
                    (a @ b - (a @ b).mean(1, keepdims=True))
                    / np.sqrt((a @ b).var(1, keepdims=True) + 1e-5)
                )
                @ c
            ),
        ),
    ],
)
def test_compositions(expr, ref):
    scene = build(
        parse_spec({"expr": expr, "nodes": {"A": {"shape": [6, 5]}, "C": {"shape": [7, 3]}}})
    )
    m = {k: v.astype(np.float64) for k, v in scene.inputs.items()}
    want = ref(m["A"], m["B"], m["C"])
    np.testing.assert_allclose(scene.root.values, want, rtol=1e-5, atol=1e-6 * np.abs(want).max())


def test_associativity_equivalence():
    spec = {"nodes": {"A": {"shape": [5, 6]}, "B": {"shape": [6, 7]}, "C": {"shape": [7, 4]}}}
    left = build(parse_spec(dict(spec, expr="A @ B @ C"))).root.values
    right = build(parse_spec(dict(spec, expr="A @ (B @ C)"))).root.values
    np.testing.assert_allclose(left, right, rtol=1e-5, atol=1e-5)
