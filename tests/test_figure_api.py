"""`from mm_docs_plugin import Figure`: numpy in, the same core and errors as a fence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mm_docs_plugin import Figure
from mm_docs_plugin.core import SpecError, build, decode_url_state, parse_spec

RNG = np.random.default_rng(7)
X, W1, W2 = RNG.normal(size=(8, 16)), RNG.normal(size=(16, 32)), RNG.normal(size=(32, 4))


def test_arrays_round_trip_exactly_as_float32():
    fig = Figure("out = (h = relu(x @ W1)) @ W2", x=X, W1=W1, W2=W2, anim="vmprod")
    nodes = fig.scene.nodes
    for name, array in (("x", X), ("W1", W1), ("W2", W2)):
        np.testing.assert_array_equal(nodes[name].values, array.astype(np.float32))
    h = np.maximum(X.astype(np.float32).astype(np.float64) @ W1.astype(np.float32), 0)
    np.testing.assert_allclose(nodes["h"].values, h, rtol=1e-5, atol=1e-6)
    assert fig.spec.anim.alg == "vmprod"


def test_lists_and_ints_are_arrays_too():
    fig = Figure("A @ B", A=[[1, 2], [3, 4]], B=np.eye(2, dtype=np.int64))
    np.testing.assert_array_equal(fig.scene.root.values, [[1, 2], [3, 4]])


@pytest.mark.parametrize(
    "kwargs, message, field",
    [
        ({"A": np.ones(3)}, "A is 1-D; a matrix is 2-D", "A"),
        ({"A": np.array([["a"]])}, "A holds <U1 values; a figure shows real numbers", "A"),
        (
            {"A": np.ones((2, 3)), "B": np.ones((4, 2))},
            "inner dimensions differ in `A @ B`: A is 2×3 and B is 4×2",
            "expr",
        ),
        ({"anim": "sideways"}, None, "anim"),
    ],
)
def test_bad_input_is_a_spec_error(kwargs, message, field):
    with pytest.raises(SpecError) as e:
        Figure("A @ B", **kwargs)
    if message:
        assert e.value.message == message
    if field:
        assert e.value.field == field
    assert e.value.line is not None or e.value.field is not None


@pytest.mark.parametrize("rows, files", [(8, 0), (80, 1)])
def test_fence_inlines_small_arrays_writes_large_ones_and_builds_the_same(tmp_path, rows, files):
    x = RNG.normal(size=(rows, 16))
    fig = Figure("out = x @ W", x=x, W=W1, seed=3)
    text = fig.fence(str(tmp_path / "page.md"))
    assert text.startswith("```mm\nexpr: out = x @ W\nseed: 3\n") and text.endswith("```\n")
    body = text[len("```mm\n") : -len("```\n")]
    again = build(parse_spec(body, str(tmp_path)))
    np.testing.assert_array_equal(again.root.values, fig.scene.root.values)
    assert len(list(tmp_path.glob("*.npy"))) == files  # W (16×32) is always inline


def test_url_carries_small_specs_and_refuses_arrays_too_big_for_a_link():
    assert decode_url_state(Figure("A @ B", seed=5).url()) == Figure("A @ B", seed=5).spec
    big = Figure("A @ B", A=np.ones((80, 80)), B=np.ones((80, 2)))
    with pytest.raises(SpecError, match="too many to write into a link"):
        big.url()


def test_html_is_self_contained_and_ids_are_unique():
    fig = Figure("A @ B", A=X, B=W1)
    first, second = fig._repr_html_(), fig._repr_html_()
    for html in (first, second):
        assert 'data-mm-scene="data:application/octet-stream;base64,' in html
        assert (
            "http://" not in html.split("<figure", 1)[1]
            and "https://" not in html.split("<figure", 1)[1]
        )
    ids = [h.split(' id="', 1)[1].split('"', 1)[0] for h in (first, second)]
    assert ids[0] != ids[1]
    assert json.dumps(first).count("<script") <= 1 and "<script" not in second
