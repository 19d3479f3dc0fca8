"""Read-outs (`readouts:`): validation with exact messages and positions, and the
numbers against numpy (`numpy.linalg.svd`, `numpy.linalg.norm`)."""

from __future__ import annotations

import numpy as np
import pytest

from mm_docs_plugin.core import Limits, Scene, SpecError, build, parse_spec
from mm_docs_plugin.core.scene.readouts import effective_rank, node_readouts, number_text
from mm_docs_plugin.core.spec.readouts import NodeReadouts, Readout

QK = """expr: QK = Q @ K.T
seed: 3
nodes: {Q: {shape: [12, 5]}, K: {shape: [10, 5]}}
readouts:
  QK: [sv, rank, norm, {dirs: 2}]
  K: [min, max, mean, {sv: 3}]
"""


def items(readout):
    return {item["kind"]: item for item in readout["items"]}


def test_readouts_against_numpy():
    scene = build(QK)
    q = scene.inputs["Q"].astype(np.float64)
    k = scene.inputs["K"].astype(np.float64)
    qk = q @ k.T
    got = {r["node"]: items(r) for r in scene.readouts}
    s = np.linalg.svd(qk, compute_uv=False)
    # sv: the six largest (the default count), in order; rank 5, so σ6 is exactly 0.
    assert got["QK"]["sv"]["values"][:5] == pytest.approx(
        s[:5], rel=1e-5
    )  # inputs kept as float32; read-outs use float64
    assert got["QK"]["sv"]["values"][5] == 0.0
    assert got["QK"]["norm"]["value"] == pytest.approx(
        np.linalg.norm(qk), rel=1e-5
    )  # inputs kept as float32; read-outs use float64
    p = s[:5] / s[:5].sum()
    assert got["QK"]["rank"]["value"] == pytest.approx(
        np.exp(-(p * np.log(p)).sum()), rel=1e-5
    )  # inputs kept as float32; read-outs use float64
    # K is read as K (10×5), not as the K.T the expression shows.
    ks = np.linalg.svd(k, compute_uv=False)
    assert got["K"]["sv"]["values"] == pytest.approx(
        ks[:3], rel=1e-5
    )  # inputs kept as float32; read-outs use float64
    assert got["K"]["min"]["value"] == pytest.approx(k.min())
    assert got["K"]["max"]["value"] == pytest.approx(k.max())
    assert got["K"]["mean"]["value"] == pytest.approx(
        k.mean(), rel=1e-5
    )  # inputs kept as float32; read-outs use float64
    assert got["K"]["max"]["text"] == format(got["K"]["max"]["value"], ".4g")
    assert [r["path"] for r in scene.readouts] == ["root", "root.right"]


def test_directions_against_numpy():
    scene = build(QK)
    qk = scene.inputs["Q"].astype(np.float64) @ scene.inputs["K"].astype(np.float64).T
    u, s, vt = np.linalg.svd(qk)
    pairs = items(scene.readouts[0])["dirs"]["pairs"]
    assert len(pairs) == 2
    for i, pair in enumerate(pairs):
        ui, vi = u[:, i], vt[i]
        sign = np.sign(ui[np.argmax(np.abs(ui))])
        ui, vi = ui * sign, vi * sign
        assert pair["sv"] == pytest.approx(
            s[i], rel=1e-5
        )  # inputs kept as float32; read-outs use float64
        rows = np.argsort(-np.abs(ui))[:3]
        cols = np.argsort(-np.abs(vi))[:3]
        assert [r["index"] for r in pair["rows"]] == list(rows)
        assert [c["index"] for c in pair["cols"]] == list(cols)
        assert [r["weight"] for r in pair["rows"]] == pytest.approx(ui[rows], rel=1e-4)
        assert [c["weight"] for c in pair["cols"]] == pytest.approx(vi[cols], rel=1e-4)
        assert pair["rows"][0]["weight"] > 0  # the sign convention
        assert pair["rows"][0]["name"] == "row %d" % rows[0]


class Labelled:
    """A stand-in for a vocab-era SceneNode (row_labels / col_labels)."""

    def __init__(self, rows, cols):
        self.row_labels, self.col_labels = rows, cols


def test_directions_name_labels():
    # A rank-one matrix: u picks "drank" then "milk", v picks "cold" (and x rows, y cols).
    words = ("the", "milk", "drank", "cat")
    u = np.array([0.0, 0.6, 0.8, 0.0])
    v = np.array([0.0, 0.0, -1.0])
    x = np.outer(u, v) * 5
    request = NodeReadouts("M", (Readout("dirs", 1), Readout("rank"), Readout("sv", 2)))
    out = items(node_readouts(request, x, words, ("hot", "warm", "cold")))
    pair = out["dirs"]["pairs"][0]
    assert [r["name"] for r in pair["rows"]] == ["drank", "milk", "the"]
    assert [r["text"] for r in pair["rows"]] == ["+0.80", "+0.60", "+0.00"]
    assert pair["cols"][0] == {"index": 2, "name": "cold", "weight": -1.0, "text": "-1.00"}
    assert out["rank"]["value"] == 1.0
    assert out["sv"]["values"] == [5.0, 0.0]
    # The vocab branch's nodes carry labels as attributes; compute_readouts reads them so.
    from mm_docs_plugin.core.scene.readouts import _labels

    assert _labels(Labelled(words, None)) == (words, None)


def test_effective_rank_definition():
    assert effective_rank(np.array([3.0, 0, 0])) == 1.0
    assert effective_rank(np.array([2.0, 2, 2, 2])) == pytest.approx(4.0)
    assert effective_rank(np.zeros(3)) == 0.0


@pytest.mark.filterwarnings("ignore:invalid value")
def test_not_finite_values_have_no_readouts():
    scene = build(
        "expr: A @ B\nnodes: {A: {shape: [2, 2], init: expr, expr: 'i == 0 ? 1/0 : 1'}}\n"
        "readouts: {A: [sv, max, dirs]}"
    )
    got = items(scene.readouts[0])
    assert scene.readouts[0]["finite"] is False
    assert got["max"] == {"kind": "max", "value": None, "text": "not finite"}
    assert got["sv"]["texts"] == ["not finite", "not finite"]
    assert got["dirs"]["pairs"] == []


def test_scene_file_round_trip_and_spec_round_trip():
    scene = build(QK)
    again = Scene.from_bytes(scene.to_bytes())
    assert again.readouts == scene.readouts
    spec = parse_spec(QK)
    assert spec.to_dict()["readouts"] == {
        "QK": ["sv", "rank", "norm", {"dirs": 2}],
        "K": ["min", "max", "mean", {"sv": 3}],
    }
    assert parse_spec(spec.to_dict()) == spec
    assert number_text(-0.0) == "0" and number_text(1234567.0) == "1.235e+06"


BAD = [
    (
        "readouts: {QKK: [sv]}",
        "readouts has 'QKK', which is not in the expression",
        "did you mean 'QK'?",
        (2, 12),
    ),
    (
        "readouts: {QK: [svd]}",
        "unknown read-out 'svd' in readouts.QK[0]",
        "did you mean 'sv'?",
        (2, 17),
    ),
    (
        "readouts: {QK: sv}",
        "readouts.QK must be a list of read-outs, not 'sv'",
        "e.g. [sv, rank, norm]; kinds: min, max, mean, norm, sv, rank, dirs",
        (2, 16),
    ),
    (
        "readouts: {QK: [norm, norm]}",
        "readouts.QK lists norm twice",
        "keep one",
        (2, 23),
    ),
    (
        "readouts: {QK: [{norm: 2}]}",
        "norm takes no count",
        "write it bare: norm; counts apply to sv and dirs",
        (2, 24),
    ),
    (
        "readouts: {QK: [{sv: 9}]}",
        "readouts.QK[0]: sv = 9, but QK is 8×6 and has only 6 singular values",
        "use at most 6",
        (2, 22),
    ),
    (
        "readouts: {QK: [{sv: 17}]}",
        "readouts.QK[0].sv = 17 is out of range",
        "sv is between 1 and 16 (default 6)",
        (2, 22),
    ),
    (
        "readouts: [QK]",
        "readouts must be a mapping of node names, not a list",
        "e.g. readouts: {QK: [sv, rank]}",
        (2, 11),
    ),
]


@pytest.mark.parametrize("line, message, hint, where", BAD)
def test_errors(line, message, hint, where):
    text = "expr: QK = Q @ K.T\n%s\nnodes: {Q: {shape: [8, 3]}, K: {shape: [6, 3]}}" % line
    with pytest.raises(SpecError) as e:
        parse_spec(text)
    assert (e.value.message, e.value.hint) == (message, hint)
    assert (e.value.line, e.value.column) == where


def test_svd_is_capped_before_it_starts():
    text = "expr: A @ B\nnodes: {A: {shape: [30, 40]}}\nreadouts: {A: [max, rank]}"
    with pytest.raises(SpecError) as e:
        parse_spec(text, limits=Limits(max_svd_elements=1000))
    assert e.value.message == (
        "readouts.A[1]: rank needs the singular values of A, 30×40 = 1,200 elements; "
        "the limit is 1,000"
    )
    assert e.value.hint == (
        "sv and rank take up to 1,000 elements, dirs up to 250; min, max, mean and norm any size"
    )
    assert (e.value.line, e.value.column) == (3, 21)
    # min/max/mean/norm are not capped by it.
    parse_spec(text.replace(", rank", ""), limits=Limits(max_svd_elements=1000))
    # The default cap admits a 1024×768 attention matrix's values, and dirs up to 512×512.
    parse_spec("expr: A @ B\nnodes: {A: {shape: [1024, 768]}}\nreadouts: {A: [sv, rank]}")
    parse_spec("expr: A @ B\nnodes: {A: {shape: [512, 512]}}\nreadouts: {A: [dirs]}")
    with pytest.raises(SpecError) as e:
        parse_spec("expr: A @ B\nnodes: {A: {shape: [513, 512]}}\nreadouts: {A: [dirs]}")
    assert e.value.message == (
        "readouts.A[0]: dirs needs the singular vectors of A, 513×512 = 262,656 elements; "
        "the limit is 262,144"
    )


def test_a_mapping_spec_errors_name_the_field():
    with pytest.raises(SpecError) as e:
        parse_spec({"expr": "A @ B", "readouts": {"A": ["sv", "nope"]}})
    assert e.value.field == "readouts.A[1]"
    assert e.value.line is None


def test_compute_readouts_reads_labels_off_scene_nodes():
    """With the vocabulary's SceneNode.row_labels/col_labels (set here by hand), directions
    name them; a matrix shown transposed (K.T) is read as K, its labels swapped back."""
    from mm_docs_plugin.core.scene.evaluate import evaluate
    from mm_docs_plugin.core.scene.readouts import compute_readouts

    spec = parse_spec(
        "expr: QK = Q @ K.T\nnodes: {Q: {shape: [4, 3]}, K: {shape: [5, 3]}}\n"
        "readouts: {QK: [dirs], K: [dirs]}"
    )
    values = evaluate(spec)
    words = ("a", "b", "c", "d", "e")
    for node in values.nodes:
        if node.name == "QK":
            node.row_labels, node.col_labels = ("w", "x", "y", "z"), words
        if node.name == "K.T":  # as drawn: 3 rows (features), 5 columns (the words)
            node.row_labels, node.col_labels = ("f0", "f1", "f2"), words
    got = compute_readouts(spec, values.exact, values.nodes)
    qk_pair = got[0]["items"][0]["pairs"][0]
    assert {e["name"] for e in qk_pair["rows"]} <= {"w", "x", "y", "z"}
    assert {e["name"] for e in qk_pair["cols"]} <= set(words)
    k_pair = got[1]["items"][0]["pairs"][0]
    assert got[1]["shape"] == [5, 3]
    assert {e["name"] for e in k_pair["rows"]} <= set(words)  # K's rows are the words
    assert {e["name"] for e in k_pair["cols"]} <= {"f0", "f1", "f2"}
    u = np.linalg.svd(values.exact["root.right"].T)[0]
    assert [e["name"] for e in k_pair["rows"]] == [
        words[i] for i in np.argsort(-np.abs(u[:, 0]), kind="mergesort")[:3]
    ]
