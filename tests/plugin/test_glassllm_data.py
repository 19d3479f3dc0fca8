"""The toy decoder's data (scripts/glassllm_data.py): causal maps, and the page's inputs
reproduce them."""

from __future__ import annotations

import importlib.util

import numpy as np

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "glassllm_data", ROOT / "scripts" / "glassllm_data.py"
)
gd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gd)


def test_maps_are_causal_and_rows_sum_to_one():
    tokens, layers = gd.trace(gd.SENTENCES["alice"])
    T = len(tokens)
    assert len(layers) == 4
    for layer in layers:
        a = layer["attn"]
        assert a.shape == (4, T, T)
        assert np.all(np.triu(a, 1) == 0)  # lower triangular: no token sees a later one
        np.testing.assert_allclose(a.sum(-1), 1.0, atol=1e-5)


def test_stored_queries_and_keys_give_the_maps(tmp_path):
    """softmax(tril(q kᵀ / √32)) from the stored float16 q and k, as the page's fence
    computes it, is the model's own map (heads sharing a key head get the same keys)."""
    assert gd.generate(tmp_path) is True
    assert gd.generate(tmp_path) is False
    with np.load(tmp_path / "alice-layer1.npz") as z:
        q, k, attn = (z[n].astype(np.float64) for n in ("q", "k", "attn"))
    np.testing.assert_array_equal(k[0], k[1])
    T = q.shape[1]
    s = q @ k.transpose(0, 2, 1) / np.sqrt(32)
    s = np.where(np.tril(np.ones((T, T))) > 0, s, -np.inf)
    e = np.exp(s - s.max(-1, keepdims=True))
    mine = e / e.sum(-1, keepdims=True)
    np.testing.assert_allclose(mine, attn, atol=0.02)


def test_the_page_labels_match_the_tokenizer():
    import json
    import re

    tokens, _ = gd.trace(gd.SENTENCES["alice"])
    page = (ROOT / "docs" / "explainers" / "attention-head.md").read_text("utf-8")
    lists = re.findall(r'^  tokens: (\["Alice".*\])$', page, re.M)
    assert len(lists) == 2
    for text in lists:
        assert json.loads(text) == tokens
