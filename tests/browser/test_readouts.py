"""The read-out table in Chromium: in the DOM beside the figure with the build's
numbers, accessible (caption, scoped headers), and rebuilt from a new scene's header
(what a live edit brings)."""

from __future__ import annotations

from mm_docs_plugin.core import build

from .conftest import wait_ready

QK = """expr: QK = Q @ K.T
seed: 2
nodes: {Q: {shape: [10, 4]}, K: {shape: [8, 4]}}
readouts: {QK: [sv, rank, norm]}"""
OTHER = """expr: AB = A @ B
nodes: {A: {shape: [5, 3]}, B: {shape: [3, 4]}}
readouts: {A: [max, mean]}"""
PLAIN = "expr: C @ D\nnodes: {C: {shape: [4, 4]}}"

READ_TABLE = """el => {
  const box = document.getElementById(el.id + '-readouts');
  if (!box || box.hidden) return null;
  const t = box.querySelector('table');
  return {
    caption: t.caption.textContent,
    head: [...t.tHead.rows[0].cells].map(c => [c.tagName, c.scope, c.textContent]),
    rows: [...t.tBodies[0].rows].map(r => [r.dataset.mmRef, r.cells[0].tagName, r.cells[0].scope,
                                             ...[...r.cells].map(c => c.textContent)]),
    after: el.nextElementSibling === box,
  };
}"""


def expected(spec):
    return [
        [row["ref"], "TH", "row", r["node"], row["label"], row["text"]]
        for r in build(spec).readouts
        for row in r["rows"]
    ]


def test_table_has_the_builds_numbers_and_follows_a_new_scene(serve, page):
    page.goto(serve([QK, OTHER, PLAIN]))
    wait_ready(page)
    figs = page.query_selector_all("figure.mm-figure")
    table = figs[0].evaluate(READ_TABLE)
    assert table["after"]
    assert table["caption"] == "Read-outs of the figure above, computed from its values"
    assert table["head"] == [["TH", "col", h] for h in ("matrix", "read-out", "value")]
    assert table["rows"] == expected(QK)
    sv = build(QK).readouts[0]["items"][0]["texts"]
    assert table["rows"][0][5] == ", ".join(sv)
    assert figs[2].evaluate(READ_TABLE) is None  # no read-outs, no table
    # The figure points assistive technology at its numbers.
    details = "f => [f.getAttribute('aria-details'), f.id + '-readouts']"
    assert figs[0].evaluate(details)[0] == figs[0].evaluate(details)[1]
    assert figs[0].evaluate("f => !!document.getElementById(f.getAttribute('aria-details'))")
    assert figs[2].evaluate(details)[0] is None
    # A new scene (as a live edit brings) rebuilds the table from its header...
    page.evaluate(
        """async ([a, b]) => {
          const bytes = await (await fetch(b.dataset.mmScene)).arrayBuffer();
          window.mmViewer.figure(a).show(bytes);
        }""",
        [figs[0], figs[1]],
    )
    assert figs[0].evaluate(READ_TABLE)["rows"] == expected(OTHER)
    # ...and one without read-outs hides it; a figure without a table gets one.
    page.evaluate(
        """async ([a, c, q]) => {
          window.mmViewer.figure(a).show(await (await fetch(c.dataset.mmScene)).arrayBuffer());
          window.mmViewer.figure(c).show(await (await fetch(q.dataset.mmScene)).arrayBuffer());
        }""",
        [figs[0], figs[2], figs[0]],
    )
    assert figs[0].evaluate(READ_TABLE) is None
    assert figs[0].evaluate(details)[0] is None
    assert figs[2].evaluate(READ_TABLE)["rows"] == expected(QK)
    assert figs[2].evaluate(details)[0] == figs[2].evaluate(details)[1]
    assert page.errors == []
