"""Screenshots of a built site's figures as a reader sees them on the page, for looking.

    python scripts/page_screenshots.py SITE_DIR OUT_DIR [--width 390] [--height 844]
                                       [--theme light|dark] [PAGE ...]

Serves SITE_DIR (a ``mkdocs build`` output) on 127.0.0.1, opens each PAGE (a path such
as ``explainers/lora/``; every page with figures when none is given) in Debian's
headless Chromium at the given viewport with reduced motion, switches Material's
palette to the theme (its toggle, as a reader would), scrolls to each figure in turn,
waits until it is ready and saves ``OUT_DIR/<page>-<n>.png`` (the figure with its view
links and read-out table), then ``OUT_DIR/<page>.png``: a contact sheet of them all
(laid out by Chromium), to open in one look.  Every request outside 127.0.0.1 is
blocked.  Prints each sheet and the figures that failed.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import threading
from pathlib import Path

from screenshot import ARGS, CHROMIUM, _Quiet

READY = "f => ['ready', 'error'].includes(f.dataset.mmState)"

# Material's palette toggle: the label that switches away from the scheme shown.
SET_THEME = """async (want) => {
    const scheme = () => document.body.getAttribute('data-md-color-scheme');
    const wanted = want === 'dark' ? 'slate' : 'default';
    for (let n = 0; n < 3 && scheme() !== wanted; n++) {
        const label = [...document.querySelectorAll('form[data-md-component=palette] label')]
            .find((l) => l.offsetParent !== null);
        if (!label) return scheme();
        label.click();
        await new Promise((r) => setTimeout(r, 100));
    }
    return scheme();
}"""


def pages_with_figures(site: Path):
    return sorted(
        str(p.parent.relative_to(site)) + "/"
        for p in site.rglob("index.html")
        if "mm-figure" in p.read_text("utf-8", errors="replace")
    )


def shoot(site: Path, out: Path, pages, width: int, height: int, theme: str):
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    sheets, failed = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(
                viewport={"width": width, "height": height}, reduced_motion="reduce"
            )
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith((base, "data:")) else r.abort(),
            )
            page = context.new_page()
            for path in pages:
                name = path.strip("./").replace("/", "-") or "index"
                page.goto(base + path.lstrip("/"))
                page.evaluate(SET_THEME, theme)
                shots = []
                for n, fig in enumerate(page.query_selector_all("figure.mm-figure")):
                    fig.scroll_into_view_if_needed()
                    page.wait_for_function(READY, arg=fig, timeout=120_000)
                    page.wait_for_timeout(250)
                    if fig.get_attribute("data-mm-state") == "error":
                        failed.append("%s figure %d" % (path, n))
                    shot = out / ("%s-%d.png" % (name, n))
                    # The figure and what belongs to it (view links, read-out table).
                    box = page.evaluate(
                        """f => { const r = f.getBoundingClientRect(); let b = r.bottom;
                        for (let e = f.nextElementSibling; e && e.matches('nav.mm-views, .mm-readouts');
                             e = e.nextElementSibling) b = e.getBoundingClientRect().bottom;
                        return {x: r.left, y: r.top + window.scrollY, width: r.width,
                                height: Math.min(b - r.top, 3 * window.innerHeight)}; }""",
                        fig,
                    )
                    page.screenshot(path=str(shot), clip=box, full_page=True)
                    shots.append(shot)
                if shots:
                    sheet = out / ("%s.png" % name)
                    _sheet(context, shots, sheet, per_row=3 if width < 600 else 2)
                    sheets.append(sheet)
            browser.close()
    finally:
        server.shutdown()
    return sheets, failed


def _sheet(context, shots, sheet: Path, per_row: int) -> None:
    """The shots in rows of ``per_row`` on a grey page, screenshot whole (Chromium lays it out)."""
    imgs = "".join(
        '<img src="data:image/png;base64,%s">' % base64.b64encode(s.read_bytes()).decode("ascii")
        for s in shots
    )
    style = (
        "body{margin:0;background:#888;display:grid;gap:8px;padding:8px;width:max-content;"
        "grid-template-columns:repeat(%d,max-content);align-items:start}" % per_row
    )
    page = context.new_page()
    page.set_content("<style>%s</style>%s" % (style, imgs))
    page.screenshot(path=str(sheet), full_page=True)
    page.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--width", type=int, default=390)
    ap.add_argument("--height", type=int, default=844)
    ap.add_argument("--theme", choices=("dark", "light"), default="dark")
    args = ap.parse_intermixed_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pages = args.pages or pages_with_figures(args.site)
    sheets, failed = shoot(args.site, args.out, pages, args.width, args.height, args.theme)
    for s in sheets:
        print(s)
    for f in failed:
        print("failed:", f)


if __name__ == "__main__":
    main()
