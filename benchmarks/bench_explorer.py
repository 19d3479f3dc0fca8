"""The head explorer (docs/explainers/head-explorer.md, 216 figures) in headless Chromium.

    .venv/bin/python benchmarks/bench_explorer.py [SITE_DIR]   # builds the site when none is given

The real page behind benchmarks/bench_many.py's synthetic one: 72 heads of MiniLM, each
an attention map and its QK and OV cores.  Printed: the page's bytes (bench_site's
count); the first figure drawn from navigation (the viewer's ``mm:first-frame:ID``
mark), over FIRST_RUNS fresh loads; scrolled top to bottom at a reader's pace (half a
viewport every 120 ms), the gaps between animation frames and the long tasks (> 50 ms); then scrolled again a
viewport at a time, waiting at each stop for the figures in sight, the time until every
figure of the page has been ready.  1280×900, reduced motion.  Nothing is asserted:
the targets are bench_many's (first frame ≤ 500 ms); this page reports where it stands.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_site  # noqa: E402
from _browser import launch, new_page, serve, spread  # noqa: E402

PAGE = "explainers/head-explorer/"
WIDTH, HEIGHT = 1280, 900
FIRST_RUNS = 5

# Animation-frame gaps and long tasks, recorded from before the viewer runs.
PROBE = """
window.__mm = {gaps: [], long: []};
(() => {
  let last = 0;
  const frame = (t) => { if (last) __mm.gaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) __mm.long.push(e.duration); })
      .observe({entryTypes: ['longtask']});
  } catch (err) {}
})();
"""

IN_SIGHT_SETTLED = """() => [...document.querySelectorAll('figure.mm-figure')]
  .filter(f => { const r = f.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
  .every(f => ['ready', 'error'].includes(f.dataset.mmState))"""

READY_IDS = """() => [...document.querySelectorAll('figure.mm-figure')]
  .filter(f => f.dataset.mmState === 'ready').map(f => f.id)"""


def open_page(browser, url):
    """A fresh context's page at ``url`` (offline but for 127.0.0.1, reduced motion, PROBE)
    once its first figure has drawn: (page, ms of that first frame from navigation, the
    page's errors so far and to come)."""
    page = new_page(
        browser, init=[PROBE], viewport={"width": WIDTH, "height": HEIGHT}, reduced_motion="reduce"
    )
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function(
        "() => performance.getEntriesByType('mark').some(m => m.name.startsWith('mm:first-frame:'))",
        timeout=60_000,
    )
    first = page.evaluate(
        "() => Math.min(...performance.getEntriesByType('mark')"
        ".filter(m => m.name.startsWith('mm:first-frame:')).map(m => m.startTime))"
    )
    return page, first, errors


def measure(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    row = next(r for r in bench_site.measure(site) if r[0] == PAGE)
    server, root = serve(site)
    url = root + PAGE
    with sync_playwright() as p:
        browser = launch(p)
        firsts = []
        for _ in range(FIRST_RUNS - 1):
            page, first, _errors = open_page(browser, url)
            firsts.append(first)
            page.context.close()
        t0 = time.monotonic()
        page, first, errors = open_page(browser, url)
        firsts.append(first)
        context = page.context
        n = page.evaluate("document.querySelectorAll('figure.mm-figure').length")
        height = page.evaluate("document.documentElement.scrollHeight")

        # a reader's scroll: half a viewport every 120 ms
        page.evaluate("__mm.gaps = []; __mm.long = []")
        y = 0
        while y < height:
            y += HEIGHT // 2
            page.evaluate("y => window.scrollTo(0, y)", y)
            page.wait_for_timeout(120)
        seen = page.evaluate("__mm")

        # then every figure: a viewport at a time, waiting for those in sight
        ready = set()
        t1 = time.monotonic()
        y = 0
        while y < height + HEIGHT:
            page.evaluate("y => window.scrollTo(0, y)", y)
            page.wait_for_function(IN_SIGHT_SETTLED, timeout=60_000)
            ready |= set(page.evaluate(READY_IDS))
            y += HEIGHT
        all_ready = time.monotonic() - t1
        total = time.monotonic() - t0
        mounted = page.evaluate("window.mmViewer.stats()")
        context.close()
        browser.close()
    server.shutdown()

    gaps = sorted(seen["gaps"]) or [0]
    print(
        "%s: %d figures, %.2f MB (HTML %.0f KB + %d figure files), page %d px tall"
        % (PAGE, n, row[1] / 1e6, row[2] / 1e3, row[3], height)
    )
    print(
        "first figure drawn from navigation: min/median/max %s ms over %d loads"
        " (bench_many's target <= 500 ms)" % (spread(firsts), len(firsts))
    )
    print(
        "reader's scroll (%d px per 120 ms): frame gaps median %.0f ms, p95 %.0f ms, max %.0f ms;"
        " %d long tasks, longest %.0f ms"
        % (
            HEIGHT // 2,
            statistics.median(gaps),
            gaps[int(0.95 * (len(gaps) - 1))],
            gaps[-1],
            len(seen["long"]),
            max(seen["long"], default=0),
        )
    )
    print(
        "every figure ready, a viewport at a time: %d of %d in %.1f s (%.1f s since navigation);"
        " mounted at the end %d, contexts %d"
        % (len(ready), n, all_ready, total, mounted["figures"], mounted["contexts"])
    )
    if errors:
        print("page errors: %s" % errors[:3])


def main(argv) -> int:
    if argv:
        measure(Path(argv[0]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        bench_site.build(Path(tmp) / "site")
        measure(Path(tmp) / "site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
