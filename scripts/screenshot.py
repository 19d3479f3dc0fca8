"""Screenshots of figures as a reader sees them, for looking and for before/after checks.

    python scripts/screenshot.py OUT_DIR [--width 688] [--height 480] [--theme light|dark]
                                 [--poster] [--step N ...] [--lens FX,FY] [SPEC.yaml ...]

Writes a demo page (scripts/demo_site.py) with one figure per spec (the demo gallery
when none is given), opens it in Debian's headless Chromium at Material's content width
(688 px by default) with reduced motion (no autoplay), waits until every figure is
ready and saves ``OUT_DIR/figN.png`` (the figure element) for each.  Every request
outside 127.0.0.1 is blocked.  ``--theme`` sets the reader's prefers-color-scheme (the
demo page has no palette of its own, so figures follow it; default dark); ``--poster``
blocks the viewer script and saves the posters instead; with ``--step``,
``OUT_DIR/figN-stepS.png`` for each animation step S (``fig.seek(S)``: planes, partial
sums and reveals as the player shows them).  With ``--lens FX,FY`` the pointer rests
at that fraction of each figure's width and height with Ctrl held: the magnifying lens
(input/lens.js) and its value labels are in the picture.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from demo_site import GALLERY, write_site

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking"]
ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


# The poster the page's palette shows (viewer.css) has loaded; the other is never fetched.
VISIBLE_POSTER_LOADED = """f => [...f.querySelectorAll('img.mm-poster')]
    .filter(i => i.getClientRects().length).every(i => i.complete && i.naturalWidth > 0)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def screenshots(
    out: Path,
    specs,
    width: int,
    height: int,
    theme: str = "dark",
    poster: bool = False,
    steps=(),
    lens=None,
) -> list:
    from playwright.sync_api import sync_playwright

    site = out / "site"
    write_site(site, specs)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/index.html" % server.server_address[1]
    saved = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(
                viewport={"width": width, "height": max(720, height + 40)},
                reduced_motion="reduce",
                color_scheme=theme,
            )
            local = "http://127.0.0.1"
            viewer = "/mm-viewer.js"  # blocked for --poster: the page as it is before JS
            context.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith(local)
                    and not (poster and r.request.url.endswith(viewer))
                    else r.abort()
                ),
            )
            page = context.new_page()
            page.goto(url)
            page.add_style_tag(
                content="body{margin:0} figure.mm-figure{margin:0 0 8px 0;--mm-height:%dpx}"
                % height
            )
            figures = page.query_selector_all("figure.mm-figure")
            for n, fig in enumerate(figures):
                fig.scroll_into_view_if_needed()
                if poster:
                    page.wait_for_function(VISIBLE_POSTER_LOADED, arg=fig, timeout=60_000)
                else:
                    page.wait_for_function(
                        "f => ['ready', 'error'].includes(f.dataset.mmState)",
                        arg=fig,
                        timeout=60_000,
                    )
                page.wait_for_timeout(300)
                for step in steps or [None]:
                    name = "fig%d.png" % n if step is None else "fig%d-step%d.png" % (n, step)
                    if step is not None:
                        page.evaluate("([f, s]) => mmViewer.figure(f).seek(s)", [fig, step])
                    if lens is not None:
                        box = fig.query_selector(".mm-stage").bounding_box()
                        page.mouse.move(
                            box["x"] + lens[0] * box["width"], box["y"] + lens[1] * box["height"]
                        )
                        page.keyboard.down("Control")
                        page.wait_for_timeout(300)
                    fig.screenshot(path=str(out / name))
                    if lens is not None:
                        page.keyboard.up("Control")
                    saved.append(out / name)
            browser.close()
    finally:
        server.shutdown()
    return saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--width", type=int, default=688)
    ap.add_argument("--height", type=int, default=480)
    ap.add_argument("--theme", choices=("dark", "light"), default="dark")
    ap.add_argument("--poster", action="store_true", help="the posters, viewer blocked")
    ap.add_argument("--step", type=int, action="append", default=[], help="animation step to show")
    ap.add_argument("--lens", help="FX,FY: hold Ctrl with the pointer there (fractions)")
    args = ap.parse_intermixed_args()
    lens = tuple(float(v) for v in args.lens.split(",")) if args.lens else None
    texts = [p.read_text("utf-8") for p in args.specs] or GALLERY
    args.out.mkdir(parents=True, exist_ok=True)
    shots = screenshots(
        args.out, texts, args.width, args.height, args.theme, args.poster, args.step, lens
    )
    for path in shots:
        print(path)


if __name__ == "__main__":
    main()
