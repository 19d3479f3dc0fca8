"""The project's own docs site under Material's instant navigation, in Chromium.

mkdocs.yml sets ``site_url``, which is what turns Material's instant navigation on: a
click on an in-site link swaps the page's content without reloading the document or its
scripts, so the viewer (loaded once) must find and mount the new page's figures and let
the old page's go.  Here a reader goes from the landing page to the attention-head page
and on to the head explorer through the navigation: the document must stay the same
(a marker set on the first load survives, so the navigation really was instant), every
figure of each page must reach ``ready`` as it is scrolled to, the viewer must hold no
figure of a page that is gone, and the console must stay free of errors.
"""

from __future__ import annotations

import pytest

from tests.plugin.conftest import copy_docs_project, mkdocs_build, serve_docs_at

from .conftest import assert_loaded_cleanly, failed_requests, open_page, start_server


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory):
    """Base URL of the docs site, built --strict and served locally.

    Material keeps only the scheme and host of the sitemap's URLs when it matches links
    against them (its port and path must be the served ones), so the copy's site_url is
    the local server's URL, as a published site's is where it is published."""
    pytest.importorskip("material", reason="the docs use mkdocs-material (a dev dependency)")
    src = copy_docs_project(tmp_path_factory.mktemp("docs-nav"))
    (src / "site").mkdir()
    server = start_server(src / "site")
    url = "http://127.0.0.1:%d/" % server.server_address[1]
    serve_docs_at(src, url)
    r = mkdocs_build(src, "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    yield url
    server.shutdown()


def figure_ids(page):
    return page.evaluate("[...document.querySelectorAll('figure.mm-figure')].map(f => f.id)")


def all_ready(page, limit=None):
    """Scroll to each figure of the page (they mount near the viewport) until it is ready."""
    ids = figure_ids(page)[:limit]
    for fid in ids:
        page.evaluate("id => document.getElementById(id).scrollIntoView({block: 'center'})", fid)
        page.wait_for_function(
            "id => ['ready', 'error'].includes(document.getElementById(id).dataset.mmState)",
            arg=fid,
            timeout=30_000,
        )
    states = page.evaluate("ids => ids.map(id => document.getElementById(id).dataset.mmState)", ids)
    assert states == ["ready"] * len(ids), dict(zip(ids, states))
    return ids


def follow(page, title):
    """Click the primary navigation's link to ``title``; wait for the new page's h1."""
    page.evaluate("window.scrollTo(0, 0)")
    # a click event on the link, as a reader's (the Explainers section may be folded away)
    page.evaluate(
        """t => [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link')]
             .find(a => a.textContent.trim() === t).click()""",
        title,
    )
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === t",
        arg=title,
        timeout=15_000,
    )


# Every program linked in the page, by what it is: matrix.frag (with its defines among
# LIGHT, HIGHLIGHT, PARTIAL, ACCUM) or another (the arrows').
COUNT_LINKS = """
window.__links = [];
const link = WebGL2RenderingContext.prototype.linkProgram;
WebGL2RenderingContext.prototype.linkProgram = function (program) {
  const sources = this.getAttachedShaders(program).map((s) => this.getShaderSource(s));
  const frag = sources.find((src) => src.includes('uProduct'));
  const defines = ['LIGHT', 'HIGHLIGHT', 'PARTIAL', 'ACCUM'].filter((d) => frag && frag.includes('#define ' + d));
  __links.push(frag ? ['matrix'].concat(defines).join(' ') : 'other');
  return link.call(this, program);
};
"""


def test_figures_mount_across_instant_navigation(browser, docs_site):
    page = open_page(browser, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page.add_init_script(COUNT_LINKS)
    failed = failed_requests(page)  # only the web fonts outside 127.0.0.1 may fail
    loads = []
    page.on("load", lambda: loads.append(page.url))
    try:
        page.goto(docs_site)
        first = all_ready(page)
        assert first, "the landing page has no figure"
        page.evaluate("window.__mmMarker = 'first load'")

        follow(page, "Inside an attention head")
        assert page.evaluate("window.__mmMarker") == "first load", "not an instant navigation"
        assert page.url.endswith("/explainers/attention-head/")
        second = all_ready(page)
        assert not set(first) & set(second)
        # the landing page's figures were let go: the viewer holds this page's only
        page.wait_for_function(
            "n => window.mmViewer.stats().figures <= n", arg=len(second), timeout=10_000
        )

        follow(page, "Head explorer")
        assert page.evaluate("window.__mmMarker") == "first load", "not an instant navigation"
        third = all_ready(page, limit=9)  # the first three heads: the page has 216 figures
        assert third[:3] == ["l0h0", "l0h0-qk", "l0h0-ov"]
        page.wait_for_function(
            "n => window.mmViewer.stats().figures <= n", arg=len(figure_ids(page)), timeout=10_000
        )
        assert len(loads) == 1, loads  # one document load: every later page came instantly
        # Each program once for the whole visit: the page's first frames find the warm
        # ones compiled, not freed between two pages and compiled again.
        links = page.evaluate("__links")
        assert "matrix LIGHT" in links, links
        assert sorted(links) == sorted(set(links)), links

        assert_loaded_cleanly(page, failed)
    finally:
        page.context.close()
