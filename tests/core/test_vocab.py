"""The vocabulary keys: exact values, one-hot rows, row/column labels and highlights.

Numbers against numpy, labels and highlights through products, transposes and
epilogs, and every misuse as a SpecError at its line and column.
"""

from __future__ import annotations

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, SpecError, build, parse_spec
from mm_docs_plugin.core.links.mmlink import export_mm_params, import_mm_url, mm_link
from mm_docs_plugin.core.links.urlstate import decode_url_state, encode_url_state
from mm_docs_plugin.core.spec import vocab

VOCAB = ["the", "cat", "dog", "drank", "milk"]
# A first-order transition matrix over VOCAB: each row sums to 1.
T = [
    [0, 0.5, 0.5, 0, 0],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0.75, 0.25],
    [0.5, 0, 0, 0, 0.5],
    [1, 0, 0, 0, 0],
]

LOOKUP = """\
expr: next = X @ T
labels:
  vocab: [the, cat, dog, drank, milk]
nodes:
  X: {onehot: [cat, drank, milk], labels: {cols: vocab}, highlight: {rows: [cat]}}
  T:
    values: %s
    labels: {rows: vocab, cols: vocab}
""" % (T,)


def test_values_are_the_numbers_given():
    scene = build("expr: A @ B\nnodes:\n  A: {values: [[1, 2.5], [-3, 0.125]]}\n  B: {init: eye}")
    a = scene.nodes["A"]
    assert a.shape == (2, 2) and a.init == "values"
    assert a.values.tolist() == [[1, 2.5], [-3, 0.125]]
    assert scene.nodes["B"].shape == (2, 32)  # the inner dimension follows from values


def test_onehot_rows_select_rows_of_the_product():
    scene = build(LOOKUP)
    x = scene.nodes["X"].values
    expected = np.zeros((3, 5))
    expected[[0, 1, 2], [1, 3, 4]] = 1
    assert x.tolist() == expected.tolist()
    out = scene.nodes["next"]
    np.testing.assert_array_equal(out.values, np.asarray(T, np.float32)[[1, 3, 4]])
    np.testing.assert_allclose(out.values.sum(axis=1), 1)


def test_onehot_takes_indices_and_labels_its_rows_by_the_word_picked():
    scene = build(
        "expr: X @ E\nlabels: {v: [a, b, c, d]}\n"
        "nodes:\n  X: {onehot: [3, b, 0], labels: {cols: v}}\n  E: {shape: [4, 2]}"
    )
    x = scene.nodes["X"]
    assert x.row_labels == ("d", "b", "a")
    assert np.argmax(x.values, axis=1).tolist() == [3, 1, 0]
    # Without column labels, integer entries only; the width comes from the expression.
    scene = build("expr: X @ E\nnodes:\n  X: {onehot: [2, 0]}\n  E: {shape: [3, 2]}")
    assert scene.nodes["X"].values.tolist() == [[0, 0, 1], [1, 0, 0]]
    assert scene.nodes["X"].row_labels is None


def test_labels_flow_through_products_transposes_and_epilogs():
    scene = build(
        "expr: out = (s = softmax(Q @ K.T)) @ V\n"
        "labels: {tokens: [the, cat, drank, milk], dims: [d0, d1]}\n"
        "nodes:\n"
        "  Q: {labels: {rows: tokens, cols: dims}}\n"
        "  K: {labels: {rows: tokens}}\n"
        "  V: {labels: {cols: [v0, v1, v2]}}\n"
    )
    tokens = ("the", "cat", "drank", "milk")
    n = scene.nodes
    assert n["Q"].shape == (4, 2) and n["V"].shape == (4, 3)  # shapes from label counts
    assert (n["K.T"].row_labels, n["K.T"].col_labels) == (None, tokens)
    assert (n["s"].row_labels, n["s"].col_labels) == (tokens, tokens)
    assert (n["out"].row_labels, n["out"].col_labels) == (tokens, ("v0", "v1", "v2"))
    assert n["V"].row_labels is None


def test_highlights_carry_rows_from_the_left_and_columns_from_the_right():
    scene = build(
        LOOKUP.replace("labels: {rows: vocab, cols: vocab}", "labels: {rows: vocab, cols: vocab}\n"
                       "    highlight: {cols: [milk], cells: [[dog, 4]]}")
    )  # fmt: skip
    n = scene.nodes
    assert n["X"].highlight == vocab.Highlight(rows=(0,))
    assert n["T"].highlight == vocab.Highlight(cols=(4,), cells=((2, 4),))
    # The product shows row cat (from X) and column milk (from T); cells stay put.
    assert n["next"].highlight == vocab.Highlight(rows=(0,), cols=(4,))


def test_a_transposed_highlight_swaps_rows_and_columns():
    scene = build(
        "expr: out = A @ B.T\nnodes:\n"
        "  A: {shape: [2, 3]}\n"
        "  B: {shape: [4, 3], highlight: {rows: [1], cells: [[3, 0]]}}\n"
        "  out: {highlight: {rows: [0]}}\n"
    )
    n = scene.nodes
    assert n["B.T"].highlight == vocab.Highlight(cols=(1,), cells=((0, 3),))
    assert n["out"].highlight == vocab.Highlight(rows=(0,), cols=(1,))
    assert n["A"].highlight is None


def test_a_chain_carries_a_row_all_the_way():
    scene = build(
        "expr: X @ A @ B\nnodes:\n  X: {onehot: [1, 0], highlight: {rows: [1]}}\n"
        "  A: {shape: [3, 3]}\n  B: {shape: [3, 2]}"
    )
    assert [n.highlight.rows for n in scene.nodes if n.kind == "matmul"] == [(1,), (1,)]


def test_round_trips_spec_url_scene_file():
    spec = parse_spec(LOOKUP)
    assert parse_spec(spec.to_dict()) == spec
    assert decode_url_state(encode_url_state(spec)) == spec
    scene = build(spec)
    back = Scene.from_bytes(scene.to_bytes())
    for a in scene.nodes:
        b = back.nodes[a.name]
        assert (a.row_labels, a.col_labels, a.highlight) == (
            b.row_labels,
            b.col_labels,
            b.highlight,
        )
    assert back.to_bytes() == scene.to_bytes()


def test_mm_export_writes_exact_values_as_an_element_expression():
    spec = parse_spec(LOOKUP.replace("next = X @ T", "next = X @ T.T"))
    back = build(import_mm_url(mm_link(spec)))
    scene = build(spec)
    for node in scene.nodes:
        np.testing.assert_array_equal(back.nodes[node.name].values, node.values)
    assert export_mm_params(spec)["left"]["init"] == "expr"


def test_mm_export_refuses_values_too_long_for_an_expression():
    rows = [[(i * 7 + j) % 5 + 1 for j in range(20)] for i in range(20)]
    spec = parse_spec({"expr": "A @ B", "nodes": {"A": {"values": rows}}})
    with pytest.raises(SpecError) as info:
        export_mm_params(spec)
    assert info.value.field == "nodes.A.values"
    assert "mm has no init for exact values" in info.value.message


@pytest.mark.parametrize(
    "nodes, fragment, line, column",
    [
        ("  A: {values: [[1, 2], [3]]}", "nodes.A.values[1] has 1 numbers, but row 0 has 2", 4, 24),
        ("  A: {values: [[1, x]]}", "nodes.A.values[0][1] must be a finite number, not 'x'", 4, 20),
        ("  A: {values: [[1, .nan]]}", "must be a finite number", 4, 20),
        ("  A: {values: 3}", "nodes.A.values must be a list of rows", 4, 15),
        ("  A: {values: [[1, 2]], shape: [3, 2]}",
         "nodes.A.values (line 4) gives rows 1, but nodes.A.shape (line 4) gives 3", 4, 15),
        ("  A: {values: [[1]], init: eye}", "values is used only with init: values (init is eye)",
         4, 7),
        ("  A: {init: onehot}", "init: onehot needs a `onehot:` setting", 4, 7),
        ("  A: {onehot: [cat]}", "nodes.A.onehot[0] names the column 'cat', but the columns of A "
         "have no labels", 4, 16),
        ("  A: {onehot: [kat], labels: {cols: v}}", "names the column 'kat', which is not among "
         "the column labels of A", 4, 16),
        ("  A: {onehot: [3], labels: {cols: v}}", "nodes.A.onehot[0] is column 3, but A has 3 "
         "columns (0 to 2)", 4, 16),
        ("  A: {onehot: [-1]}", "nodes.A.onehot[0] is -1; indices count from 0", 4, 16),
        ("  A: {labels: {rows: w}}", "nodes.A.labels.rows names the list 'w', which labels: does "
         "not define", 4, 22),
        ("  A: {labels: {row: v}}", "unknown key 'row' in nodes.A.labels", 4, 16),
        ("  A: {labels: {rows: [a, 1.5]}}", "nodes.A.labels.rows[1] must be a label (text)", 4, 26),
        ("  A: {labels: {rows: v}, shape: [4, 2]}",
         "nodes.A.labels.rows (line 4) gives rows 3, but nodes.A.shape (line 4) gives 4", 4, 22),
        ("  A: {highlight: {rows: [dog]}, labels: {rows: v}}", "names the row 'dog', which is not "
         "among the row labels of A", 4, 26),
        ("  A: {highlight: {cols: [9]}, shape: [3, 3]}", "nodes.A.highlight.cols[0] is column 9, "
         "but A has 3 columns (0 to 2)", 4, 26),
        ("  A: {highlight: {cells: [[0]]}}", "nodes.A.highlight.cells[0] must be a [row, column] "
         "pair", 4, 27),
        ("  A: {highlight: {lines: [0]}}", "unknown key 'lines' in nodes.A.highlight", 4, 19),
        ("  A @ B: {labels: {rows: v}}", "labels applies to input matrices", 4, 11),
        ("  A: {labels: {rows: [a, b, a]}, highlight: {rows: [a]}}", "names the row 'a', which "
         "labels 2 rows of A (0, 2)", 4, 53),
    ],
)  # fmt: skip
def test_misuse_is_an_error_at_its_place(nodes, fragment, line, column):
    text = "expr: A @ B\nlabels: {v: [a, b, c]}\nnodes:\n" + nodes + "\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    e = info.value
    assert fragment in e.message, e.message
    assert (e.line, e.column) == (line, column), (e.line, e.column)
    assert e.hint


def test_product_labels_on_highlight_are_the_carried_ones():
    text = LOOKUP + "  next: {highlight: {cols: [drank], cells: [[milk, the]]}}\n"
    node = build(text).nodes["next"]
    assert node.highlight == vocab.Highlight(rows=(0,), cols=(3,), cells=((2, 0),))
    with pytest.raises(SpecError) as info:
        parse_spec(LOOKUP + "  next: {highlight: {rows: [dog]}}\n")
    assert "names the row 'dog', which is not among the row labels of next" in info.value.message
    assert "did you mean" in info.value.hint or "expected one of" in info.value.hint


def test_caps_come_before_the_work():
    big = [[0] * 65]
    with pytest.raises(SpecError, match=r"is 1×65; values: gives at most 64×64"):
        parse_spec({"expr": "A @ B", "nodes": {"A": {"values": big}}})
    with pytest.raises(SpecError, match="a label has at most 40"):
        parse_spec({"expr": "A @ B", "labels": {"v": ["x" * 41]}})
    with pytest.raises(SpecError, match="has 4097 labels; the limit is 4096"):
        parse_spec({"expr": "A @ B", "labels": {"v": ["x"] * 4097}})
    cells = [[0, 0]] * 33
    with pytest.raises(SpecError, match=r"highlight\.cells has 33 cells; the limit is 32"):
        parse_spec({"expr": "A @ B", "nodes": {"A": {"highlight": {"cells": cells}}}})
    with pytest.raises(SpecError, match="labels has 65 named lists; the limit is 64"):
        parse_spec({"expr": "A @ B", "labels": {"v%d" % n: ["x"] for n in range(65)}})


def test_labels_are_kept_as_text():
    scene = build({"expr": "A @ B", "nodes": {"A": {"labels": {"rows": ["<b>x</b>", 7]}}}})
    assert scene.nodes["A"].row_labels == ("<b>x</b>", "7")


def edge_legends(scene, kind):
    return [(scene.matrices[lg.view].name, lg.text) for lg in scene.legends if lg.kind == kind]


def test_edge_labels_label_each_axis_once_beside_its_rows():
    scene = build(LOOKUP)
    # i on X, k and j on T; the product's rows and columns are X's and T's, not repeated.
    assert edge_legends(scene, "row") == [("X", w) for w in ("cat", "drank", "milk")] + [
        ("T", w) for w in VOCAB
    ]
    assert edge_legends(scene, "col") == [("T", w) for w in VOCAB]
    for lg in scene.legends:
        if lg.kind not in ("row", "col"):
            continue
        view = scene.matrices[lg.view]
        k = (["cat", "drank", "milk"] if view.name == "X" else VOCAB).index(lg.text)
        # The anchor is outside the edge, level with its row (column) centre.
        rows_along, cols_along = view.axes
        axis = rows_along if lg.kind == "row" else cols_along
        centre = view.element_center(k, 0) if lg.kind == "row" else view.element_center(0, k)
        along = sum((a - c) * x for a, c, x in zip(lg.anchor, centre, axis))
        assert abs(along) < 1e-9
        # ... and beyond the face across the other axis (outside an edge, not on the face).
        other = cols_along if lg.kind == "row" else rows_along
        extent = view.extent()[1 if lg.kind == "row" else 0]
        across = sum((a - o) * x for a, o, x in zip(lg.anchor, view.origin, other))
        assert across < 0 or across > extent
        assert abs(sum(d * d for d in lg.direction) - 1) < 1e-9


def test_long_label_lists_are_thinned_to_256_per_side():
    words = ["w%d" % n for n in range(1000)]
    scene = build({"expr": "A @ B", "nodes": {"A": {"labels": {"rows": words}}}})
    shown = [t for _, t in edge_legends(scene, "row")]
    assert len(shown) == 250 and shown[:3] == ["w0", "w4", "w8"]


def test_the_description_reads_labels_and_highlights_out():
    from mm_docs_plugin.core.scene.describe import describe

    text = describe(build(LOOKUP + "  next: {highlight: {cells: [[milk, the]]}}\n"))
    assert text.startswith(
        "X (3×5; rows cat, drank, milk; columns the, cat, dog, drank, milk; "
        "highlighted rows cat) @ T (5×5; rows and columns the, cat, dog, drank, milk) → "
        "next (3×5; rows cat, drank, milk; columns the, cat, dog, drank, milk; "
        "highlighted rows cat and cells [milk, the])"
    ), text
    many = build({"expr": "A @ B", "nodes": {"A": {"labels": {"rows": list("abcdefgh")}}}})
    assert "rows a, b, c, d, e, …, h (8)" in describe(many)
