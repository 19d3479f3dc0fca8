"""What the browser benchmarks share: headless Chromium as the browser tests drive it
(Debian's chromium, software WebGL, offline), pages at 1280×720, and the measurements
they take the same way.

- ``launch(p)``: the browser, with the tests' flags (tests/browser/conftest.py ``ARGS``);
- ``new_page(browser, style=..., init=...)``: a page in a fresh context that reaches
  127.0.0.1 only, with CSS applied before the viewer's first scan and init scripts;
- ``first_frame(page, fig)``: wait for the figure's first frame; the viewer's marks
  (figure.js: navigation -> scene bytes, decoded, built, first frame);
- ``orbit_frames(page, fig, n)``: orbit frames timed up to a one-pixel readback of the
  figure's canvas, so the GPU's work is in them (rAF rates would hide it);
- ``LONG_TASKS``, ``FRAME_GAPS``: init scripts recording main-thread long tasks (> 50 ms)
  and the gaps between animation frames from the start of the page, in ``window.__mm``;
- ``processes(browser)``: the browser's processes (type, pid, CPU time so far);
- ``process_memory(browser)``: resident memory of the renderer and GPU processes;
- ``spread(values)``: min/median/max, as every benchmark prints it.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import ARGS, ASSETS, CHROMIUM, start_server  # noqa: E402

__all__ = [
    "ASSETS",
    "FRAME_GAPS",
    "FULL",
    "LONG_TASKS",
    "first_frame",
    "launch",
    "new_page",
    "orbit_frames",
    "process_memory",
    "processes",
    "serve",
    "spread",
]

VIEWPORT = {"width": 1280, "height": 720}
# One figure filling the page (bench_viewer, bench_layer): no margins, 720 px high.
FULL = "body{margin:0} figure.mm-figure{--mm-height:720px !important;margin:0 !important} figcaption{display:none}"

# Init scripts, run before the viewer: main-thread long tasks ([start, duration] in ms)
# in window.__mm.long, and the gaps between animation frames in window.__mm.gaps (a
# requestAnimationFrame loop: only where frames are measured, it keeps the page busy).
LONG_TASKS = """
window.__mm = window.__mm || {gaps: [], long: []};
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) __mm.long.push([e.startTime, e.duration]); })
    .observe({type: 'longtask', buffered: true});
} catch (err) {}
"""
FRAME_GAPS = """
window.__mm = window.__mm || {gaps: [], long: []};
(() => {
  let last = 0;
  const frame = (t) => { if (last) __mm.gaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();
"""


def spread(values, fmt="%.0f", unit=""):
    """min/median/max of ``values``, each formatted with ``fmt``, then ``unit``."""
    return "/".join(fmt % v for v in (min(values), statistics.median(values), max(values))) + unit


def launch(playwright):
    """Headless Chromium with the browser tests' flags (software WebGL, no sandbox)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def serve(folder):
    """(server, base URL) for ``folder`` served from 127.0.0.1; ``server.shutdown()`` after."""
    server = start_server(Path(folder))
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


def new_page(browser, style=None, init=(), **options):
    """A page at 1280×720 in a new context (close it with ``page.context.close()``);
    ``style``, CSS, is added before the viewer's module runs (readyState "interactive"
    comes first: its first scan measures the styled page); ``init``, scripts run before
    the page's own; ``options``, the context's others (``browser.new_context``: another
    viewport, reduced_motion…).  It reaches 127.0.0.1 only through ``launch``'s flags
    (ARGS' proxy), not by routing requests: a routed request waits for Playwright's
    driver, and a page's timings would include those round trips."""
    context = browser.new_context(**dict({"viewport": VIEWPORT}, **options))
    if style:
        context.add_init_script(
            "document.addEventListener('readystatechange', () => {"
            " const s = document.createElement('style'); s.textContent = %s;"
            " document.head.appendChild(s); }, {once: true});" % json.dumps(style)
        )
    for script in init:
        context.add_init_script(script)
    return context.new_page()


def first_frame(page, fig, phases=("scene-bytes", "first-frame"), timeout=60_000):
    """Wait for ``fig``'s first frame; {phase: ms from navigation} for the viewer's marks
    ``mm:PHASE:ID`` (figure.js), and "dcl", DOMContentLoaded (the viewer module run)."""
    page.wait_for_function("el => el.dataset.mmState === 'ready'", arg=fig, timeout=timeout)
    return page.evaluate(
        """([el, phases]) => {
            const nav = performance.getEntriesByType('navigation')[0];
            const at = {dcl: nav.domContentLoadedEventStart};
            for (const p of phases) at[p] = performance.getEntriesByName('mm:' + p + ':' + el.id)[0].startTime;
            return at;
        }""",
        [fig, list(phases)],
    )


def orbit_frames(page, fig, n):
    """Milliseconds of ``n`` orbit frames of ``fig``, each up to a one-pixel readback.

    The controls' ``update()`` moves the camera (``rotateLeft`` alone only queues the
    turn), so each frame is a new view, and a big figure draws it in motion
    (figure/motion.js), as a reader's drag would."""
    return page.evaluate(
        """([el, n]) => {
            const fig = mmViewer.figure(el), out = [];
            fig.renderNow(); fig.ctx.getImageData(0, 0, 1, 1);
            for (let k = 0; k < n; k++) {
                const t0 = performance.now();
                fig.controls.orbit.rotateLeft(0.03);
                fig.controls.orbit.update();
                fig.renderNow();
                fig.ctx.getImageData(0, 0, 1, 1);
                out.push(performance.now() - t0);
            }
            return out;
        }""",
        [fig, n],
    )


def processes(browser):
    """The browser's processes now, from CDP's SystemInfo.getProcessInfo: a list of
    {"type": "browser" | "renderer" | "GPU" | a service's name, "id": pid, "cpuTime": s}."""
    cdp = browser.new_browser_cdp_session()
    try:
        return cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        cdp.detach()


def process_memory(browser):
    """{type: MB} resident memory of the largest of the browser's processes of each type
    ("renderer", "GPU"...): ids from ``processes``, VmRSS from /proc."""
    out = {}
    for info in processes(browser):
        try:
            status = Path("/proc/%d/status" % info["id"]).read_text()
        except OSError:
            continue
        rss = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")]
        if rss:  # the page's renderer is the largest; idle ones hold a few MB each
            out[info["type"]] = max(out.get(info["type"], 0.0), rss[0] / 1024)
    return out
