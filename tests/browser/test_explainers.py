"""Every explainer page of the built docs site, in Chromium: each of its figures reaches
``ready`` (none in ``error``), the page logs no console error, and its named views
switch: a link in the prose and the links under each figure set ``data-mm-view``.

The site is the project's own (mkdocs.yml + docs/), built with ``--strict`` into a
temporary folder and served from 127.0.0.1; the pages are every ``docs/explainers/*.md``,
so a new explainer is walked without touching this file.
"""

from __future__ import annotations

import re

import pytest

from mm_docs_plugin.sourcemap import fences
from tests.plugin.conftest import copy_docs_project, mkdocs_build

from .conftest import ROOT, assert_loaded_cleanly, failed_requests, open_page, start_server

PAGES = sorted(p.stem for p in (ROOT / "docs" / "explainers").glob("*.md"))


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory):
    """Base URL of the docs site, built --strict and served locally."""
    pytest.importorskip("material", reason="the docs use mkdocs-material (a dev dependency)")
    src = copy_docs_project(tmp_path_factory.mktemp("docs-site"))
    r = mkdocs_build(src, "--strict", "--verbose")
    assert r.returncode == 0, r.stdout + r.stderr
    # No figure of the stories, the gallery or the landing page shows stand-in values for
    # data the build could not fetch (fence.py logs each scene warning as "page: ...";
    # the reference shows one on purpose, to document it).
    shown = [
        line
        for line in (r.stdout + r.stderr).splitlines()
        if "placeholder values" in line and "reference/" not in line
    ]
    assert shown == [], shown
    server = start_server(src / "site")
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()


def wait_figure(page, fig, timeout=60_000):
    """Scroll ``fig`` into sight (figures mount near the viewport) and wait for it to settle."""
    fig.scroll_into_view_if_needed()
    page.wait_for_function(
        "f => ['ready', 'error'].includes(f.dataset.mmState)", arg=fig, timeout=timeout
    )
    return fig.get_attribute("data-mm-state")


def wait_view(page, fig_id, name):
    page.wait_for_function(
        """([id, name]) => {
            const el = document.getElementById(id);
            return el && el.dataset.mmView === name && !window.mmViewer.figure(el).viewMoving;
        }""",
        arg=[fig_id, name],
        timeout=15_000,
    )


@pytest.mark.parametrize("name", PAGES)
def test_explainer_page_figures_ready_and_views_switch(browser, docs_site, name):
    source = (ROOT / "docs" / "explainers" / (name + ".md")).read_text("utf-8")
    expected = len(fences(source))
    assert expected > 0, "an explainer without figures"
    page = open_page(browser, viewport={"width": 1000, "height": 800}, reduced_motion="reduce")
    failed = failed_requests(page)  # only the web fonts outside 127.0.0.1 may fail
    try:
        page.goto("%s/explainers/%s/" % (docs_site, name))
        figs = page.query_selector_all("figure.mm-figure")
        assert len(figs) == expected
        states = {fig.get_attribute("id"): wait_figure(page, fig) for fig in figs}
        broken = {k: v for k, v in states.items() if v != "ready"}
        assert not broken, broken

        # The views each figure lists under it: every one switches the figure.
        lists = page.evaluate(
            """() => [...document.querySelectorAll('nav.mm-views')].map(nav => ({
                 fig: nav.dataset.mmFor,
                 hrefs: [...nav.querySelectorAll('a')].map(a => a.getAttribute('href'))}))"""
        )
        assert lists, "no figure on %s has named views" % name
        for entry in lists:
            for href in entry["hrefs"]:
                fig_id, view = href[1:].split(":", 1)
                assert fig_id == entry["fig"]
                page.click('nav.mm-views[data-mm-for="%s"] a[href="%s"]' % (fig_id, href))
                wait_view(page, fig_id, view)
                assert page.evaluate("location.hash") == href

        # And a link in the prose does the same (the first view link of the article text).
        prose = page.evaluate(
            """() => [...document.querySelectorAll('article a[href^="#"]')]
                 .filter(a => !a.closest('nav.mm-views') && a.getAttribute('href').includes(':'))
                 .map(a => a.getAttribute('href'))"""
        )
        if prose:
            href = prose[0]
            fig_id, view = href[1:].split(":", 1)
            other = next(h for e in lists if e["fig"] == fig_id for h in e["hrefs"] if h != href)
            page.click('nav.mm-views[data-mm-for="%s"] a[href="%s"]' % (fig_id, other))
            wait_view(page, fig_id, other.split(":", 1)[1])
            page.click('article a[href="%s"]:not(nav.mm-views a)' % href)
            wait_view(page, fig_id, view)
        assert_loaded_cleanly(page, failed)
    finally:
        page.context.close()


def test_every_explainer_links_its_views_from_the_text():
    """Each page's prose switches views (what the walk above clicks), not only the lists."""
    for name in PAGES:
        text = (ROOT / "docs" / "explainers" / (name + ".md")).read_text("utf-8")
        assert re.search(r"\]\(#[A-Za-z][\w-]*:[A-Za-z][\w-]*\)", text), name
