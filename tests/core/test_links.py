"""mm links (import, export, round trip) and our own #mm= URL state."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

from mm_docs_plugin.core import (
    SpecError,
    build,
    decode_url_state,
    encode_url_state,
    export_mm_params,
    import_mm_url,
    parse_spec,
)
from mm_docs_plugin.core.links.mmlink import MM_APP, mm_link
from mm_docs_plugin.core.spec.inherit import Placement, resolve_placements
from mm_docs_plugin.core.spec.mm_params import mm_params_from_url

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mm-links.txt"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "mm-links.txt"
LINKS = [line.strip() for line in FIXTURE.read_text().splitlines() if line.startswith("http")]


def test_fixture_matches_the_shared_examples():
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    assert FIXTURE.read_text() == SHARED.read_text()


@pytest.mark.parametrize("link", LINKS, ids=lambda link: str(LINKS.index(link)))
def test_every_link_imports_builds_and_round_trips(link):
    spec = import_mm_url(link)
    scene = build(spec)
    assert scene.root.values.shape == scene.root.shape
    params = export_mm_params(spec)
    again = import_mm_url(MM_APP + "?params=" + quote(json.dumps(params)))
    assert again == spec
    assert again.to_dict() == spec.to_dict()


def test_first_link_keeps_shapes_inits_and_settings():
    spec = import_mm_url(LINKS[0])
    scene = build(spec)
    assert scene.nodes["L"].shape == (32, 24) and scene.nodes["R"].shape == (24, 32)
    assert spec.anim.alg == "dotprod_row_major" and spec.anim.speed == 48
    assert spec.colors.sensitivity == "semilocal" and spec.deco.row_guides == 1.0
    assert spec.layout.gap == 5.0 and spec.deco.magnification == 10.0
    np.testing.assert_allclose(
        spec.camera.position, [-54.145594172414235, 48.55110882721702, 37.42031544768185]
    )
    # The figure of "Inside the Matrix" §1: ±1 bands make every result ±24.
    assert set(np.unique(scene.root.values)) == {-24.0, 24.0}


def test_compressed_chain_link_keeps_structure_and_child_settings():
    spec = import_mm_url(LINKS[2])
    assert spec.expr == "A @ B @ C"
    shapes = {n.label: n.shape for n in spec.tree.walk()}
    assert shapes["A"] == (64, 32) and shapes["B"] == (32, 96) and shapes["C"] == (96, 32)
    assert spec.nodes["A"].expr == "-2 * fmod(trunc(i / 8), 2) + 1"
    assert spec.nodes["C"].init == "col_major"
    assert spec.deco.row_guides == 1.0 and spec.colors.elem_scale == 1.25


def test_attention_head_link_writes_epilog_and_names_into_the_expression():
    spec = import_mm_url(LINKS[4])
    assert spec.expr == (
        "out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) "
        "@ (V = input @ wV) @ wO"
    )
    # mm's input_t (768×256, its own data file) is input's transpose: one matrix here.
    assert "input_t" not in spec.nodes
    assert spec.nodes["input"].data.url.endswith("layer5_input0_256_768.csv")
    assert spec.anim.alg == "none" and spec.anim.fuse == "sync"
    assert spec.nodes["Q"].anim == "vmprod"
    scene = build(spec)
    assert scene.nodes["attn"].shape == (256, 256)
    assert any("placeholder" in w for w in scene.warnings)
    # all three uses of `input` (one transposed) are one matrix
    assert sum(1 for n in scene.nodes if n.name == "input") == 2
    assert len(scene.inputs) == 5


def _head(left_init, right_init):
    """A @ X_t in mm's params form: X_t's init set apart from X's."""
    leaf = {"matmul": False, "h": 4, "w": 6}
    return {
        "expr": "X @ X_t",
        "left": dict(leaf, name="X", **left_init),
        "right": dict(leaf, name="X_t", h=6, w=4, **right_init),
    }


@pytest.mark.parametrize(
    "left, right, transposed",
    [
        ({"init": "gaussian"}, {"init": "gaussian"}, True),
        ({"init": "url", "url": "x.csv"}, {"init": "url", "url": "x_t.csv"}, True),
        ({"init": "gaussian"}, {"init": "uniform"}, False),
        ({"init": "gaussian", "min": -2}, {"init": "gaussian"}, False),
        ({"init": "row major"}, {"init": "row major"}, False),  # values differ from X.T
    ],
)
def test_mm_x_t_is_read_as_x_transposed_only_when_it_is_the_same_matrix(left, right, transposed):
    params = _head(left, right)
    spec = import_mm_url(MM_APP + "?params=" + quote(json.dumps(params)))
    assert spec.expr == ("X @ X.T" if transposed else "X @ X_t")
    if transposed and left["init"] == "gaussian":
        scene = build(spec)
        x = scene.nodes["X"].values.astype(np.float64)  # the core multiplies in float64
        np.testing.assert_allclose(scene.root.values, x @ x.T, rtol=1e-6)


def test_partial_compressed_link_with_js_is_never_executed():
    # mm runs marker() 1024 times for this link; we refuse the unknown function.
    with pytest.raises(SpecError, match="marker"):
        import_mm_url(MM_APP + "?3.7=expr&3.0=marker()&left=3&init=7&expr=0")


def test_partial_compressed_link_merges_into_mm_defaults():
    spec = import_mm_url(MM_APP + "?3.5=8&left=3&h=5")
    assert {n.label: n.shape for n in spec.tree.walk()}["L"] == (8, 32)
    assert spec.nodes["L"].init == "row_major" and spec.nodes["R"].init == "col_major"


@pytest.mark.parametrize(
    "url,fragment",
    [
        (MM_APP + "?params=%7Bnot json", "not valid JSON"),
        (MM_APP + "?config=https://evil.example/x.json", "config= links"),
        (MM_APP + "?params=%7B%7D&utm_source=x", "params= and other query keys"),
        (MM_APP, "carries no state"),
        (MM_APP + "?3.5=8&left=3", "does not define it"),
        (
            MM_APP + "?params=" + quote(json.dumps({"left": {"init": "sphere"}, "right": {}})),
            "init = 'sphere'",
        ),
        ("x" * 70000, "characters long"),
    ],
)
def test_bad_links_give_clear_errors(url, fragment):
    with pytest.raises(SpecError) as info:
        import_mm_url(url)
    assert fragment in info.value.message


def test_from_mm_in_a_fence_is_overridden_by_its_keys():
    fence = "from_mm: %s\nanim: {alg: vmprod}\nnodes: {L: {shape: [16, 24]}}\n" % LINKS[0]
    spec = parse_spec(fence)
    assert spec.anim.alg == "vmprod" and spec.anim.speed == 48
    assert {n.label: n.shape for n in spec.tree.walk()}["L"] == (16, 24)
    assert spec.nodes["L"].init == "expr"  # kept from the link


def test_from_mm_with_a_new_expression_drops_the_links_node_settings():
    spec = parse_spec("from_mm: %s\nexpr: X @ Y\n" % LINKS[0])
    assert spec.expr == "X @ Y" and spec.colors.sensitivity == "semilocal"


def test_mm_link_opens_in_mm_form():
    link = mm_link(parse_spec("expr: out = relu(A @ B)"))
    params = mm_params_from_url(link)
    assert params["name"] == "out" and params["epilog"] == "relu"
    assert params["left"]["init"] == "gaussian"


# ---------------------------------------------------------------- our URL state


def test_url_state_round_trips():
    spec = parse_spec(
        "expr: out = (attn = softmax(Q @ K.T)) @ V\nseed: 4\nanim: vmprod\nnodes: {Q: {shape: 8x4}}"
    )
    state = encode_url_state(spec)
    assert set(state) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_url_state(state) == spec
    assert decode_url_state("https://example.org/app.html#mm=" + state) == spec
    assert encode_url_state(spec) == state  # deterministic


def _pack(obj) -> str:
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = raw.compress(json.dumps(obj).encode()) + raw.flush()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "state,fragment",
    [
        ("#mm=%%%", "not valid base64url"),
        ("#mm=A", "not valid base64url"),
        ("#mm=AAAAA", "not valid base64url"),
        ("#mm=" + base64.urlsafe_b64encode(b"garbage!").decode(), "corrupt"),
        ("#mm=" + _pack([1, 2]), "must be a mapping"),
        ("#mm=" + _pack({"expr": "A @ B", "anim": {"alg": "spin"}}), "anim.alg must be one of"),
        ("#mm=" + _pack({"expr": "A @ B", "caption": "x" * 30000}), "larger than"),
        ("#other=1", "no mm= state"),
    ],
)
def test_bad_url_state_is_rejected_like_a_bad_fence(state, fragment):
    with pytest.raises(SpecError) as info:
        decode_url_state(state)
    assert fragment in info.value.message


def test_url_state_cannot_inflate_a_bomb():
    bomb = _pack({"expr": "A @ B", "caption": " " * 10_000_000})
    assert len(bomb) < 20_000
    with pytest.raises(SpecError, match="larger than"):
        decode_url_state(bomb)


def _chain_params(child: dict) -> dict:
    """mm's params for A @ B @ C whose left child (A @ B) has ``child``'s settings."""
    leaf = {"matmul": False, "h": 8, "w": 8, "init": "gaussian"}
    inner = dict({"name": "A @ B", "matmul": True, "left": dict(leaf, name="A")}, **child)
    inner["right"] = dict(leaf, name="B")
    return {
        "name": "A @ B @ C",
        "left": inner,
        "right": dict(leaf, name="C"),
        "block": {"i blocks": 1, "j blocks": 1, "k blocks": 2},
        "layout": {"scheme": "blocks"},
    }


def test_a_childs_stored_layout_is_drawn_as_mm_draws_it():
    # the blocks rule makes A @ B +LBB; mm draws what the link stores, defaults included
    stored = {"polarity": "negative", "left placement": "left", "right placement": "top"}
    params = _chain_params({"layout": dict(stored, **{"result placement": "back"})})
    spec = import_mm_url(MM_APP + "?params=" + quote(json.dumps(params)))
    assert spec.nodes["A @ B"].layout.given_dict() == {
        "polarity": "negative",
        "right_placement": "top",
    }  # only what differs from the rule is written
    placements = resolve_placements(spec.tree, spec.layout, spec.nodes)
    assert placements["root.left"] == Placement("negative", "left", "top", "back")
    again = import_mm_url(mm_link(spec))  # exported as drawn
    assert resolve_placements(again.tree, again.layout, again.nodes) == placements


def test_a_child_without_k_blocks_takes_its_parents_as_mm_merges_them():
    spec = import_mm_url(MM_APP + "?params=" + quote(json.dumps(_chain_params({}))))
    assert spec.nodes["A @ B"].blocks.k == 2
    params = _chain_params({"block": {"k blocks": 1}})
    spec = import_mm_url(MM_APP + "?params=" + quote(json.dumps(params)))
    assert spec.nodes["A @ B"].blocks is None
    # and a child without a stored layout takes its parent's, as mm merges it (not the rule's)
    assert spec.nodes["A @ B"].layout.given_dict() == {
        "polarity": "negative",
        "right_placement": "top",
        "result_placement": "front",
    }


def test_a_name_mm_uses_for_two_different_matrices_is_kept_as_their_label():
    # mm keeps independent copies of a name; here one name is one matrix, so the
    # second X gets its own name and shows mm's (the article's input_0_5, 1 row and 256)
    leaf = {"matmul": False, "name": "X", "h": 8, "w": 8, "init": "gaussian"}
    params = {
        "name": "X @ W @ X",
        "left": {"name": "X @ W", "matmul": True, "left": leaf, "right": dict(leaf, name="W")},
        "right": dict(leaf, init="uniform"),
    }
    spec = import_mm_url(MM_APP + "?params=" + quote(json.dumps(params)))
    assert spec.expr == "X @ W @ X_2" and spec.nodes["X_2"].label == "X"
    assert [v.name for v in build(spec).matrices if v.role != "result"] == ["X", "W", "X"]
    again = import_mm_url(mm_link(spec))  # exported under mm's name, read back the same
    assert again == spec
