"""A reader's next page on the docs site (Material's instant navigation), in Chromium.

bench_viewer times a reader's first page: the viewer's module, its programs and the
scene, all from nothing.  Most pages a reader sees come after that one, through the
site's navigation: the viewer and its compiled programs are already there (the warm
programs are kept from one page to the next: viewer.js `sweep`), and a click swaps the
page's content.  Printed: from the click on "Inside an attention head" (from the landing
page, once its figures are drawn) to the first frame of a figure of the new page,
min/median/max over RUNS fresh visits; 1280×900, reduced motion; the docs site built
with its ``site_url`` set to the local server, as Material needs for instant navigation.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _browser import launch, new_page, serve, spread

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.plugin.conftest import copy_docs_project, mkdocs_build, serve_docs_at  # noqa: E402

RUNS = 7
TITLE = "Inside an attention head"

CLICK = """t => {
  window.__t0 = performance.now();
  [...document.querySelectorAll('nav.md-nav--primary a.md-nav__link')]
    .find(a => a.textContent.trim() === t).click();
}"""
# a figure of the new page (its h1 shown) drawn after the click
ARRIVED = """t => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === t
  && [...document.querySelectorAll('figure.mm-figure')].some(f =>
       performance.getEntriesByName('mm:first-frame:' + f.id).some(m => m.startTime > window.__t0))"""
FIRST = """() => Math.min(...[...document.querySelectorAll('figure.mm-figure')].flatMap(f =>
  performance.getEntriesByName('mm:first-frame:' + f.id).map(m => m.startTime))
  .filter(t => t > window.__t0)) - window.__t0"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src = copy_docs_project(Path(tmp))
        (src / "site").mkdir()
        server, url = serve(src / "site")
        serve_docs_at(src, url)
        result = mkdocs_build(src)
        if result.returncode:
            sys.exit(result.stderr)
        times = []
        with sync_playwright() as p:
            browser = launch(p)
            for _ in range(RUNS):
                page = new_page(
                    browser, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
                )
                page.goto(url)
                page.wait_for_function(
                    "[...document.querySelectorAll('figure.mm-figure')]"
                    ".some(f => f.dataset.mmState === 'ready')",
                    timeout=60_000,
                )
                page.wait_for_timeout(1000)  # the landing page settled, as a reader reads it
                page.evaluate(CLICK, TITLE)
                page.wait_for_function(ARRIVED, arg=TITLE, timeout=60_000)
                times.append(page.evaluate(FIRST))
                page.context.close()
            browser.close()
        server.shutdown()
    print(
        "next page by the site's navigation (landing -> %s): click -> first frame"
        " min/median/max %s ms over %d visits" % (TITLE, spread(times), len(times))
    )


if __name__ == "__main__":
    main()
