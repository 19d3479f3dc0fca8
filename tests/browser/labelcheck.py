"""Legends as a reader sees them: their screen rectangles, measured in the browser, and
what is wrong with them (clipped, overlapping another legend or a control, a matrix
whose name is nowhere to be read).

`measure(page, figure)` reads every shown legend of one figure as an oriented
rectangle (centre, size, angle, from the DOM: the span's layout box and the viewer's
placement) plus the drawing area and the toolbar; `problems(measured)` lists the faults.
Used by tests/browser/test_labels.py and by ``scripts/label_report.py``.
"""

from __future__ import annotations

import math
from typing import Dict, List, Sequence, Tuple

MIN_FONT_PX = 10  # smaller text is not readable on a page
Point = Tuple[float, float]

MEASURE = """fig => {
  const f = mmViewer.figure(fig);
  const stage = f.stage.getBoundingClientRect();
  const bar = fig.querySelector('.mm-toolbar');
  const tb = bar ? bar.getBoundingClientRect() : null;
  const names = f.header.legends.filter(l => l.kind === 'name').map(l => l.text);
  const items = f.labels.items.filter(it => it.shown).map(it => ({
    text: it.legend.text, kind: it.legend.kind, x: it.x, y: it.y, angle: it.angle,
    w: it.span.offsetWidth, h: it.span.offsetHeight,
    size: parseFloat(getComputedStyle(it.span).fontSize)}));
  return {stage: {w: stage.width, h: stage.height},
          toolbar: tb && {x: tb.left - stage.left, y: tb.top - stage.top, w: tb.width, h: tb.height},
          names, items};
}"""


def measure(page, figure) -> dict:
    """The legends of ``figure`` (an element handle of a ready figure.mm-figure)."""
    return figure.evaluate(MEASURE)


def corners(item: dict) -> List[Point]:
    """The four corners of a legend's oriented rectangle, in stage pixels."""
    a = math.radians(item["angle"])
    c, s = math.cos(a), math.sin(a)
    hw, hh = item["w"] / 2, item["h"] / 2
    return [
        (item["x"] + dx * c - dy * s, item["y"] + dx * s + dy * c)
        for dx, dy in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))
    ]


def overlap(a: Sequence[Point], b: Sequence[Point], slack: float = 1.0) -> bool:
    """Whether two convex quads overlap by more than ``slack`` px (separating axes)."""
    for quad in (a, b):
        for n in range(4):
            (x0, y0), (x1, y1) = quad[n], quad[(n + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            length = math.hypot(nx, ny) or 1.0
            pa = [(x * nx + y * ny) / length for x, y in a]
            pb = [(x * nx + y * ny) / length for x, y in b]
            if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= slack:
                return False
    return True


def _box(r: dict) -> List[Point]:
    return [
        (r["x"], r["y"]),
        (r["x"] + r["w"], r["y"]),
        (r["x"] + r["w"], r["y"] + r["h"]),
        (r["x"], r["y"] + r["h"]),
    ]


def problems(m: dict) -> List[str]:
    """Every fault of one figure's legends, as short sentences."""
    out = []
    quads = [(item, corners(item)) for item in m["items"]]
    w, h = m["stage"]["w"], m["stage"]["h"]
    for item, quad in quads:
        if any(x < -0.5 or x > w + 0.5 or y < -0.5 or y > h + 0.5 for x, y in quad):
            out.append("%r is cut at the figure's edge" % item["text"])
        if m["toolbar"] and overlap(quad, _box(m["toolbar"])):
            out.append("%r is under the toolbar" % item["text"])
        if item["size"] < MIN_FONT_PX:
            out.append("%r is %.1f px high" % (item["text"], item["size"]))
    for n, (a, qa) in enumerate(quads):
        for b, qb in quads[n + 1 :]:
            if overlap(qa, qb):
                out.append("%r overlaps %r" % (a["text"], b["text"]))
    shown = {item["text"] for item in m["items"] if item["kind"] == "name"}
    out.extend("the name %r is not shown" % name for name in sorted(set(m["names"]) - shown))
    return out


def summary(results: Dict[str, List[str]]) -> str:
    bad = {k: v for k, v in results.items() if v}
    lines = ["%d of %d figures have label problems" % (len(bad), len(results))]
    for key, faults in bad.items():
        lines.append("%s: %s" % (key, "; ".join(faults[:6]) + (" …" if len(faults) > 6 else "")))
    return "\n".join(lines)


# -- the figures to check, and the pages that show them -----------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
WIDTH = 688  # Material's content column


def docs_and_link_figures() -> List[Tuple[str, str, str]]:
    """(key, spec text, base dir) of every docs fence and of every mm link we test with."""
    from mm_docs_plugin.sourcemap import fences
    from tests.plugin.conftest import ensure_explainer_data

    ensure_explainer_data()
    out = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        rel = page.relative_to(ROOT / "docs").as_posix()
        for f in fences(page.read_text("utf-8")):
            out.append(("%s:%d" % (rel, f.line), f.body, str(page.parent)))
    links = (ROOT / "tests" / "fixtures" / "mm-links.txt").read_text("utf-8").splitlines()
    for n, url in enumerate(u for u in links if u.strip() and not u.startswith("#")):
        out.append(("mm-links.txt #%d" % (n + 1), "from_mm: %s\n" % url, str(ROOT)))
    return out


def check_pages(
    browser, serve_dir, base_url: str, figures, batch: int = 12
) -> Dict[str, List[str]]:
    """Lay the figures out in pages of ``batch`` at page width and measure each one's legends."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from demo_site import write_site

    from tests.plugin.conftest import docs_limits

    limits = docs_limits()  # the docs site's caps: its full-size GPT-2 layer is 13.3 M elements

    results: Dict[str, List[str]] = {}
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, reduced_motion="reduce")
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort(),
    )
    try:
        for start in range(0, len(figures), batch):
            group = figures[start : start + batch]
            name = "labels%d" % start
            by_dir: Dict[str, list] = {}
            for key, text, base in group:
                by_dir.setdefault(base, []).append((key, text))
            for n, (base, items) in enumerate(by_dir.items()):
                folder = "%s-%d" % (name, n)
                write_site(serve_dir / folder, [t for _, t in items], base_dir=base, limits=limits)
                page = context.new_page()
                page.goto("%s/%s/index.html" % (base_url, folder))
                page.add_style_tag(content="body{margin:0} figure.mm-figure{margin:0 0 8px 0}")
                for (key, _), fig in zip(items, page.query_selector_all("figure.mm-figure")):
                    fig.scroll_into_view_if_needed()
                    page.wait_for_function(
                        "f => ['ready', 'error'].includes(f.dataset.mmState)",
                        arg=fig,
                        timeout=60_000,
                    )
                    if fig.get_attribute("data-mm-state") != "ready":
                        results[key] = ["the figure did not draw"]
                        continue
                    fig.evaluate("f => mmViewer.figure(f).renderNow()")
                    results[key] = problems(measure(page, fig))
                page.close()
    finally:
        context.close()
    return results
