"""The head explorer (docs/explainers/head-explorer.md) against its generator and the model.

The page is written by scripts/head_explorer_page.py from the data pipeline's files; it
must be what the generator writes now (a changed sentence, model or measurement fails
here until the page is regenerated), hold one attention figure and two core figures per
head under ids other pages can link, and its core figures' read-outs, computed by the
plugin's core from the float32 R factors, must be the singular values of the full
384×384 W_Q W_Kᵀ and W_V W_O of that head.  The heads the prose names must do what the
prose says they do.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.sourcemap import fences

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
_spec = importlib.util.spec_from_file_location(
    "head_explorer_page", ROOT / "scripts" / "head_explorer_page.py"
)
hep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hep)
md = hep.md

PAGE = ROOT / "docs" / "explainers" / "head-explorer.md"
DOCS = ROOT / "docs" / "explainers"


def test_the_committed_page_is_what_the_generator_writes():
    assert PAGE.read_text("utf-8") == hep.render(), (
        "docs/explainers/head-explorer.md is stale: run "
        "`cd scripts && ../.venv/bin/python head_explorer_page.py`"
    )


def test_every_head_has_its_three_figures_under_linkable_ids():
    text = PAGE.read_text("utf-8")
    ids = [
        line[len("```{.mm #") : -1] for line in text.splitlines() if line.startswith("```{.mm #")
    ]
    want = []
    for layer in range(6):
        for head in range(12):
            hid = "l%dh%d" % (layer, head)
            want += [hid, hid + "-qk", hid + "-ov"]
    assert ids == want
    assert len(fences(text)) == 216


def _readouts(body):
    scene = build(parse_spec(body, str(DOCS)))
    return {r["node"]: {i["kind"]: i for i in r["items"]} for r in scene.readouts}


def _fence_body(text, fig_id):
    start = text.index("```{.mm #%s}\n" % fig_id) + len("```{.mm #%s}\n" % fig_id)
    return text[start : text.index("\n```", start)]


@pytest.mark.parametrize("layer,head", [(0, 2), (3, 1), (5, 11)])
def test_core_readouts_are_the_full_products_singular_values(layer, head):
    model = md.load_weights(md.model_dir())
    hw = md.head_weights({k: v.astype(np.float64) for k, v in model.items()}, layer)
    text = PAGE.read_text("utf-8")
    for kind, name, full in (
        ("qk", "QK", hw["Wq"][head] @ hw["Wk"][head].T),
        ("ov", "OV", hw["Wv"][head] @ hw["Wo"][head]),
    ):
        got = _readouts(_fence_body(text, "l%dh%d-%s" % (layer, head, kind)))[name]
        s = np.linalg.svd(full, compute_uv=False)
        assert got["sv"]["values"] == pytest.approx(s[:4], rel=1e-4)
        p = s[:32] / s[:32].sum()
        assert got["rank"]["value"] == pytest.approx(np.exp(-(p * np.log(p)).sum()), rel=1e-4)


def test_the_heads_the_prose_names_do_what_it_says():
    stats = json.loads((md.OUT_DIR / "cat-stats.json").read_text("utf-8"))
    with np.load(md.OUT_DIR / "head-cores.npz") as z:
        qk, ov = z["qk"], z["ov"]
    picked = hep.pick(stats, qk)

    def st(hid):
        layer, head = hid[1:].split("h")
        return stats["%s.%s" % (layer, head)]

    # "puts nearly all of each row on the token before"
    assert st(picked["prev"])["prev"] > 0.9
    # a sink: most of the attention on [CLS] and [SEP]
    assert st(picked["sink"])["sink"] > 0.5
    # "sinks fill the middle layers": layers 1-4 put more on [CLS]/[SEP] than 0 and 5
    share = [np.mean([stats["%d.%d" % (i, h)]["sink"] for h in range(12)]) for i in range(6)]
    assert min(share[1:5]) > max(share[0], share[5]), share
    # spread: close to the ln T of uniform attention
    assert st(picked["spread"])["entropy"] > 0.9 * np.log(23)
    # the lowest QK effective rank, as the rank read-out computes it
    text = PAGE.read_text("utf-8")
    narrow = _readouts(_fence_body(text, picked["narrow"] + "-qk"))["QK"]["rank"]["value"]
    for layer in range(6):
        for head in range(12):
            assert hep.effective_rank(qk[layer, head]) >= narrow - 1e-3
    # "most cores use nearly all of their 32 directions"
    ranks = [hep.effective_rank(c[i, h]) for c in (qk, ov) for i in range(6) for h in range(12)]
    assert np.median(ranks) > 28
