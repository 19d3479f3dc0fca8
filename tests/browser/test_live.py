"""Live editing in a real browser, offline: the page's Python worker on Pyodide
0.17.1 (numpy 1.17, served from the site as a self-hosted copy) recomputes a
figure the reader edits, and its values are CPython's; Pyodide 314 without numpy
fails with a clear status while the figure keeps its precomputed scene.

Distributions: scripts/fetch-pyodide.sh (run by `make setup`) puts them under
.cache/pyodide/.  Starting Pyodide takes a few seconds here, so each site's
page is opened once per test and the waits are generous.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mm_docs_plugin.core import build, decode_url_state, encode_url_state, import_mm_url, parse_spec
from mm_docs_plugin.core.scene.describe import figure_alt
from tests.plugin.conftest import mkdocs_build, write_site

from .conftest import start_server

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / ".cache" / "pyodide"
LINKS = ROOT / "tests" / "fixtures" / "mm-links.txt"
START_MS = 90_000  # a cold Pyodide start on a busy 2-core machine

FENCE = (
    "```mm\nexpr: out = (h = relu(A @ B)) @ C\n"
    "nodes: {A: {shape: [8, 6], init: gaussian}, B: {shape: [6, 10]}, C: {shape: [10, 4]}}\n"
    "precision: exact\nseed: 11\nheight: 300\n```\n"
)


def build_live_site(root: Path, pyodide: Path, runtime: str = "interaction") -> str:
    """A one-page site whose figures may be edited, with ``pyodide`` self-hosted and
    started at ``runtime``; its URL."""
    if not (pyodide / ".complete").exists():
        pytest.fail("%s is missing: run `make setup` (scripts/fetch-pyodide.sh)" % pyodide)
    write_site(
        root,
        {"index.md": "# Live\n\n" + FENCE},
        theme={"name": "material", "font": False},  # no request leaves 127.0.0.1
        plugins=[{"mm": {"pyodide": str(pyodide), "runtime": runtime}}],
    )
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    server = start_server(root / "site")
    return "http://127.0.0.1:%d/" % server.server_address[1]


@pytest.fixture(scope="module")
def site17(tmp_path_factory):
    return build_live_site(tmp_path_factory.mktemp("live17"), PYODIDE / "0.17.1")


@pytest.fixture(scope="module")
def site17_visible(tmp_path_factory):
    return build_live_site(tmp_path_factory.mktemp("live17v"), PYODIDE / "0.17.1", "visible")


@pytest.fixture(scope="module")
def site314(tmp_path_factory):
    return build_live_site(tmp_path_factory.mktemp("live314"), PYODIDE / "314.0.7")


def open_editor(page, url):
    page.goto(url)
    page.wait_for_function(
        "document.querySelector('figure.mm-figure')?.dataset.mmState === 'ready'"
    )
    page.click("button[aria-label='Edit this figure']")
    page.wait_for_selector("section.mm-editor")


def wait_runtime(page, state="ready"):
    page.wait_for_function(
        "s => document.querySelector('section.mm-editor')?.dataset.mmRuntime === s",
        arg=state,
        timeout=START_MS,
    )


def wait_edit(page, outcome):
    page.wait_for_function(
        "o => document.querySelector('section.mm-editor')?.dataset.mmEdit === o",
        arg=outcome,
        timeout=START_MS,
    )


SHOWN = """() => {
  const f = mmViewer.figure(document.querySelector('figure.mm-figure'));
  const out = {spec: f.header.spec, edited: f.edited, link: f.linkHref(), nodes: {}};
  for (const n of f.header.nodes) {
    const b = f.buffers[n.buffer];
    out.nodes[n.name] = {dtype: b.dtype, shape: n.shape, transposed: n.transposed, values: Array.from(b.data)};
  }
  return out;
}"""


def assert_matches_cpython(shown):
    """Every node the browser computed equals CPython's build of the same spec (float32)."""
    want = build(parse_spec(shown["spec"]))
    assert set(shown["nodes"]) == {n.name for n in want.nodes}
    for node in want.nodes:
        got = shown["nodes"][node.name]
        assert got["dtype"] == "f4"  # precision: exact
        values = np.asarray(got["values"], dtype=np.float64).reshape(
            got["shape"][::-1] if got["transposed"] else got["shape"]
        )
        expect = node.values.T if got["transposed"] else node.values
        np.testing.assert_allclose(values, expect.astype(np.float32), rtol=1e-6, atol=1e-6)


def test_an_edit_is_recomputed_in_the_browser_with_cpythons_values(site17, page):
    open_editor(page, site17)
    status = page.text_content(".mm-edit-status")
    assert status.startswith(
        ("starting Python", "loading Python (≈27 MB)", "loading numpy", "loading the figure")
    )
    wait_runtime(page)
    assert page.text_content(".mm-edit-status") == "ready (Pyodide 0.17.0, numpy 1.17.5)"
    label = page.get_attribute("figure.mm-figure", "aria-label")
    assert label == figure_alt(build(parse_spec(page.evaluate(SHOWN)["spec"])))
    page.fill("input[aria-label='A rows']", "12")
    wait_edit(page, "done")
    shown = page.evaluate(SHOWN)
    # The figure is announced as what it now shows (the poster's alt too).
    new_label = figure_alt(build(parse_spec(shown["spec"])))
    assert new_label != label
    assert page.get_attribute("figure.mm-figure", "aria-label") == new_label
    assert page.get_attribute("img.mm-poster", "alt") == new_label
    assert shown["spec"]["nodes"]["A"]["shape"] == [12, 6]
    assert shown["nodes"]["out"]["shape"] == [12, 4]
    assert shown["edited"] is True
    assert (
        "scene=" not in shown["link"]
    )  # no file holds the edited scene: the link carries the spec
    assert_matches_cpython(shown)
    # The expression too: a new product, new names.
    page.fill("input[aria-label='Expression']", "y = (A @ B) @ (D @ C)")
    wait_edit(page, "done")
    shown = page.evaluate(SHOWN)
    assert shown["spec"]["expr"] == "y = A @ B @ (D @ C)"  # the core prints it canonically
    assert "D" in shown["nodes"]
    assert_matches_cpython(shown)
    assert page.get_attribute("figure.mm-figure", "data-mm-state") == "ready"
    assert page.errors == [], page.errors


EDITOR_LOOK = """() => {
    const style = (sel) => getComputedStyle(document.querySelector(sel));
    const link = document.createElement('a');
    link.href = '#';
    document.querySelector('.md-typeset').append(link);
    const look = {
        field: style("input[aria-label='Expression']").backgroundColor,
        text: style("input[aria-label='Expression']").color,
        button: style('.mm-edit-button').color,
        page: style('body').backgroundColor,
        typeset: style('.md-typeset').color,
        link: getComputedStyle(link).color,
    };
    link.remove();
    return look;
}"""


def test_the_editor_wears_the_themes_colours(site17, page):
    open_editor(page, site17)
    look = page.evaluate(EDITOR_LOOK)
    assert look["field"] == look["page"]  # Material's --md-default-bg-color
    assert look["text"] == look["typeset"]
    assert look["button"] == look["link"]  # outlined in the theme's link colour
    # The copied fence's box is hidden until there is a fence (Material's `pre` rule
    # would show it empty otherwise).
    assert page.locator(".mm-edit-fence").bounding_box() is None


def test_errors_show_inline_where_they_are_and_the_figure_stays(site17, page):
    open_editor(page, site17)
    wait_runtime(page)
    before = page.evaluate(SHOWN)
    page.fill("input[aria-label='Expression']", "out = A @@ B")
    wait_edit(page, "error")
    assert (
        page.text_content(".mm-edit-caret") == "out = A @@ B\n        ^"
    )  # under the first @, as CPython says (column 9)
    assert page.get_attribute("input[aria-label='Expression']", "aria-invalid") == "true"
    assert page.text_content(".mm-edit-message") == "missing operand after '@'"
    assert page.text_content(".mm-edit-hint") == (
        "hint: an operator needs a matrix (or, for * and /, a number) on both sides"
    )
    assert page.evaluate(SHOWN)["nodes"] == before["nodes"]  # the figure is untouched
    # Shapes that cannot multiply: CPython's message, word for word.
    page.fill("input[aria-label='Expression']", "out = (h = relu(A @ B)) @ C")
    page.fill("input[aria-label='C rows']", "7")
    wait_edit(page, "error")
    spec = dict(before["spec"], nodes=dict(before["spec"]["nodes"], C={"shape": [7, 4]}))
    with pytest.raises(Exception) as err:
        parse_spec(spec)
    assert page.text_content(".mm-edit-message") == err.value.message
    # Fixing it clears the error and redraws.
    page.fill("input[aria-label='C rows']", "")
    wait_edit(page, "done")
    assert page.locator(".mm-edit-error:not([hidden])").count() == 0
    assert page.errors == [], page.errors


def test_fence_text_is_read_by_the_archives_pyyaml(site17, page):
    # Pyodide 0.17 has no PyYAML: the worker reads fences with mm-core.zip's copy.
    open_editor(page, site17)
    wait_runtime(page)
    answers = page.evaluate(
        """async () => {
          const rt = mmViewer.runtime();
          const text = (t) => rt.build('fence', {text: t});
          const ok = await text('expr: out = A @ B  # a comment\\nnodes:\\n  A: {shape: [3, 4]}\\n');
          const bad = await text('expr: A @ B\\nnodes: &n {}\\n');
          return {ok: Boolean(ok.bytes), bad: bad.error};
        }"""
    )
    assert answers["ok"]
    bad = answers["bad"]
    assert (bad["message"], bad["line"], bad["column"]) == (
        "anchors ('&name') are not supported",
        2,
        8,
    )


def test_newer_requests_supersede_older_ones_and_a_runaway_build_restarts_the_worker(site17, page):
    open_editor(page, site17)
    wait_runtime(page)
    answers = page.evaluate(
        """async () => {
          const rt = mmViewer.runtime();
          const spec = (n) => ({spec: {expr: 'A @ B', nodes: {A: {shape: [n, 3]}}}});
          const all = await Promise.all([1, 2, 3].map((n) => rt.build('k', spec(n))));
          return all.map((a) => a.cancelled ? 'cancelled' : a.bytes ? 'bytes' : 'error');
        }"""
    )
    # The first may already be running when the others arrive; either way only the newest is drawn.
    assert answers[1:] == ["cancelled", "bytes"]
    assert answers[0] in ("cancelled", "bytes")
    answer = page.evaluate(
        """async () => {
          const rt = mmViewer.runtime();
          rt.options.buildTimeoutMs = 200;
          const big = {spec: {expr: 'A @ B @ C @ D', nodes: {A: {shape: [600, 600]}, B: {shape: [600, 600]},
                                                         C: {shape: [600, 600]}, D: {shape: [600, 600]}}}};
          const a = await rt.build('big', big);
          rt.options.buildTimeoutMs = 30000;
          return {error: a.error, restarts: rt.restarts, state: rt.state};
        }"""
    )
    assert (
        answer["error"]["message"] == "the figure took longer than 0.2 s to compute and was stopped"
    )
    assert answer["restarts"] == 1
    # The next request gets a fresh worker and an answer.
    page.fill("input[aria-label='A rows']", "5")
    wait_edit(page, "done")
    assert page.evaluate(SHOWN)["nodes"]["A"]["shape"] == [5, 6]


def test_the_full_view_computes_spec_only_and_mm_links(site17, page):
    spec = parse_spec(FENCE.split("\n", 1)[1].rsplit("```", 1)[0])
    page.goto(site17 + "assets/mm/app.html#mm=" + encode_url_state(spec))
    page.wait_for_function(
        "document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'", timeout=START_MS
    )
    shown = page.evaluate(SHOWN.replace("figure.mm-figure", "#mm-app-figure"))
    assert shown["spec"] == spec.to_dict()
    assert_matches_cpython(shown)
    link = next(x for x in LINKS.read_text().splitlines() if x.startswith("http"))
    query = link.split("?", 1)[1]
    page.goto(site17 + "assets/mm/app.html?" + query)
    page.wait_for_function(
        "document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'", timeout=START_MS
    )
    fragment = page.evaluate("location.hash")
    assert fragment.startswith("#mm=")  # the mm link became our own link
    assert decode_url_state(fragment) == import_mm_url(link)
    assert page.errors == [], page.errors


VOCAB = """\
expr: next = X @ T.T
labels: {words: [the, cat, drank, milk]}
nodes:
  X: {onehot: [cat, milk], labels: {cols: words}, highlight: {rows: [cat]}}
  T: {values: [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]], labels: {rows: words}}
precision: exact
"""


def test_the_full_view_computes_labels_values_and_highlights_on_pyodide_017(site17, page):
    spec = parse_spec(VOCAB)
    page.goto(site17 + "assets/mm/app.html#mm=" + encode_url_state(spec))
    page.wait_for_function(
        "document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'", timeout=START_MS
    )
    shown = page.evaluate(SHOWN.replace("figure.mm-figure", "#mm-app-figure"))
    assert shown["spec"] == spec.to_dict()
    assert_matches_cpython(shown)
    # The labels and the carried highlight come from the browser's own build (numpy 1.17).
    header = page.evaluate(
        "() => mmViewer.figure(document.querySelector('#mm-app-figure')).header.nodes"
    )
    want = {n.name: n for n in build(spec).nodes}
    for node in header:
        w = want[node["name"]]
        assert node.get("row_labels") == (list(w.row_labels) if w.row_labels else None)
        assert node.get("col_labels") == (list(w.col_labels) if w.col_labels else None)
        assert node.get("highlight") == (w.highlight.to_dict() if w.highlight else None)
    assert want["next"].highlight.rows == (0,) and want["next"].col_labels == (
        "the", "cat", "drank", "milk"
    )  # fmt: skip
    assert page.errors == [], page.errors


def test_pyodide_314_without_numpy_says_why_and_the_figure_keeps_working(site314, page):
    wheels = []
    page.on(
        "request", lambda r: wheels.append(r.url.rsplit("/", 1)[1]) if ".whl" in r.url else None
    )
    open_editor(page, site314)
    wait_runtime(page, "failed")
    status = page.text_content(".mm-edit-status")
    index = site314 + "assets/mm/pyodide/"
    assert status.startswith(
        "Python could not load: numpy could not be loaded from %s (" % index
    ), status
    assert status.endswith("The figure keeps its precomputed values.")
    assert page.is_visible("section.mm-editor button:text('Retry')")
    assert page.get_attribute("figure.mm-figure", "data-mm-state") == "ready"
    # An edit while failed answers at once with the reason; nothing is redrawn.
    page.fill("input[aria-label='A rows']", "3")
    wait_edit(page, "error")
    assert page.text_content(".mm-edit-message").startswith("numpy could not be loaded from")
    info = json.dumps(page.evaluate("mmViewer.runtime().state"))
    assert info == '"failed"'
    # 314 takes PyYAML from its own package set (the offline copy has no wheels to give).
    assert any(w.startswith("pyyaml-") for w in wheels), wheels
    assert any(w.startswith("numpy-") for w in wheels), wheels


RUNTIME_STATE = "() => { const rt = mmViewer.runtime(); return rt ? rt.state : null; }"


def test_runtime_visible_warms_python_before_any_edit(site17_visible, page):
    page.goto(site17_visible)
    # No click, no key: the figure near the screen started Python, which built once to warm up.
    page.wait_for_function(
        "() => mmViewer.runtime() && mmViewer.runtime().state === 'ready'", timeout=START_MS
    )
    info = page.evaluate("mmViewer.runtime().info")
    assert info["version"] == "0.17.0" and info["warmMs"] > 0, info
    page.click("button[aria-label='Edit this figure']")
    assert page.get_attribute("section.mm-editor", "data-mm-runtime") == "ready"
    assert page.errors == []


def test_runtime_interaction_starts_python_when_a_reader_points_at_a_figure(site17, page):
    page.goto(site17)
    page.wait_for_function(
        "document.querySelector('figure.mm-figure')?.dataset.mmState === 'ready'"
    )
    page.mouse.move(1, 1)
    page.wait_for_timeout(200)
    assert page.evaluate(RUNTIME_STATE) == "idle"
    page.hover("figure.mm-figure")
    page.wait_for_function(RUNTIME_STATE.replace("rt.state", "rt.state !== 'idle'"))
    assert page.evaluate(RUNTIME_STATE) in ("starting", "ready")
