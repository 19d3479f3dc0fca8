"""Labels and highlights as a reader sees them: the tooltip names cells by label, row and
column labels sit along their edges (every n-th when the rows are too close), legible
and clear of each other at page width."""

from __future__ import annotations

import pytest

from mm_docs_plugin.core import build, parse_spec

from .conftest import open_page, wait_ready
from .labelcheck import WIDTH, measure, problems
from .project import project

VOCAB = ["the", "cat", "dog", "drank", "milk", "<i>x</i>"]
LOOKUP = """\
expr: next = X @ T
labels: {vocab: [the, cat, dog, drank, milk, '<i>x</i>']}
nodes:
  X: {onehot: [cat, drank], labels: {cols: vocab}}
  T: {labels: {rows: vocab, cols: vocab}, init: eye}
camera: {position: [-8, 7, 12], target: [0, 0, 0]}
height: 420
"""


@pytest.fixture
def wide(browser):
    page = open_page(browser, viewport={"width": WIDTH, "height": 900})
    yield page
    page.close()


def test_the_tooltip_names_a_cell_by_its_row_and_column_labels(serve, wide):
    wide.goto(serve([LOOKUP]))
    wait_ready(wide)
    scene = build(parse_spec(LOOKUP))
    box = wide.locator("figure.mm-figure canvas").first.bounding_box()
    result = scene.matrices[scene.cubes[0].result]
    for i, j in ((0, 1), (1, 3), (1, 5)):
        x, y = project(result.element_center(i, j), scene.camera, box["width"], box["height"])
        wide.mouse.move(box["x"] + x, box["y"] + y)
        tip = wide.locator(".mm-tooltip").first
        tip.wait_for(state="visible", timeout=5000)
        row, col = ("cat", "drank")[i], VOCAB[j]
        assert (tip.get_attribute("data-row"), tip.get_attribute("data-col")) == (row, col)
        text = tip.text_content()
        assert text.startswith("next") and '["%s", "%s"]' % (row, col) in text, text
        assert float(tip.get_attribute("data-value")) == float(scene.root.values[i, j])
    # Markup in a label stays text: no <i> element in the tooltip.
    assert wide.locator(".mm-tooltip i").count() == 0


GROUPS = """f => { const v = mmViewer.figure(f); v.renderNow();
  return [...v.labels.groups.entries()].map(([key, g]) =>
    ({key, stride: g.stride, size: g.size, shown: g.items.filter(it => it.shown).map(it => it.index),
      texts: g.items.map(it => it.legend.text)})); }"""


def test_edge_labels_are_legible_apart_and_thinned_by_a_stride(serve, wide):
    wide.goto(serve([LOOKUP]))
    wait_ready(wide)
    fig = wide.query_selector("figure.mm-figure")
    near = fig.evaluate(GROUPS)
    m = measure(wide, fig)
    assert problems(m) == []
    # X's rows, T's rows and T's columns (the product's are X's and T's: labelled once).
    assert [(g["key"], g["texts"]) for g in near] == [
        ("1:row", ["cat", "drank"]),
        ("2:row", VOCAB),
        ("2:col", VOCAB),
    ]
    for g in near:
        assert g["shown"] and all(k % g["stride"] == 0 for k in g["shown"]), g
        assert g["size"] >= 10
    shown = [it["text"] for it in m["items"] if it["kind"] in ("row", "col")]
    assert len(shown) == sum(len(g["shown"]) for g in near)
    assert wide.locator(".mm-legend-edge i").count() == 0  # text, never markup
    # Zoomed out the rows crowd together: every n-th label (n larger), never overlapping.
    fig.evaluate(
        """f => { const v = mmViewer.figure(f); v.camera.position.multiplyScalar(6);
                  v.camera.updateMatrixWorld(); }"""
    )
    far = fig.evaluate(GROUPS)
    assert problems(measure(wide, fig)) == []
    assert all(b["stride"] >= a["stride"] for a, b in zip(near, far))
    assert any(b["stride"] > a["stride"] for a, b in zip(near, far)), (near, far)
    for g in far:
        assert all(k % g["stride"] == 0 for k in g["shown"]), g


# Every element of A @ B is 1 (B is the identity), so highlighted and dimmed cells differ
# only by the highlight. Row 2 of A is highlighted and carries to row 2 of the product.
MARKED = """\
expr: A @ B
nodes:
  A: {shape: [8, 8], init: ones, highlight: {rows: [2]}}
  B: {init: eye}
deco: {legends: 0, row_guides: 0, flow_guides: 0}
"""


@pytest.fixture(scope="module")
def marked_url(tmp_path_factory):
    from .conftest import start_server, write_site

    root = tmp_path_factory.mktemp("marked")
    index = write_site(root / "site", [MARKED])
    html = index.read_text("utf-8")
    script = '<script type="module" src="mm-viewer.js">'
    html = html.replace(script, script[:-1] + ' data-mm-dark-schemes="slate">')
    index.write_text(html.replace("<body>", '<body data-md-color-scheme="default">'), "utf-8")
    server = start_server(root)
    yield "http://127.0.0.1:%d/site/index.html" % server.server_address[1]
    server.shutdown()


@pytest.mark.parametrize("scheme, theme", [("slate", "dark"), ("default", "light")])
def test_highlighted_cells_stand_out_and_are_framed_in_both_themes(marked_url, page, scheme, theme):
    from .test_theme import PAPER, pixel, set_scheme, wait_theme

    page.goto(marked_url)
    wait_ready(page)
    set_scheme(page, scheme)
    wait_theme(page, theme)
    scene = build(parse_spec(MARKED))
    box = page.locator("figure.mm-figure canvas").first.bounding_box()
    result = scene.matrices[scene.cubes[0].result]
    paper = PAPER[theme]

    def at(i, j, di=0.0):
        centre = result.element_center(i, j)
        point = tuple(c + di * a for c, a in zip(centre, result.axes[0]))
        return pixel(page, 0, *project(point, scene.camera, box["width"], box["height"]))

    def contrast(rgb):  # distance from the paper: colour or brightness, not hue alone
        return sum(abs(a - b) for a, b in zip(rgb, paper))

    for j in (1, 4, 6):
        lit, dim = at(2, j), at(5, j)
        assert contrast(lit) > 3 * contrast(dim), (j, lit, dim)
        assert contrast(dim) > 0  # dimmed, still there
        # The frame: just inside row 2's upper edge, between the discs, the ink colour
        # (white on the dark stage, black on paper), where row 1 has only the stage.
        frame, outside = at(2, j, -0.47), at(1, j, 0.3)
        ink = 255 if theme == "dark" else 0
        assert all(abs(v - ink) < 90 for v in frame), (j, frame)
        assert contrast(outside) < contrast(frame) / 3, (j, outside, frame)
