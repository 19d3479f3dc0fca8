"""Real-browser fixtures: Debian's Chromium driven by Playwright, offline.

Every request that is not to 127.0.0.1 is blocked, so no test can pass by
reaching a CDN.  Pages are written by scripts/demo_site.py into a temporary
folder and served by a thread on a free local port.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ASSETS = ROOT / "mm_docs_plugin" / "assets" / "mm-viewer.js"
ARGS = [
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Offline at the network layer: every request that is not to the loopback (which
    # Chromium never proxies) goes to a proxy on a closed port and fails.  Pages also
    # route requests (open_page), but the benchmarks must not: a routed request waits
    # for a round trip through Playwright's driver (≈ 50–80 ms of a page's first frame).
    "--proxy-server=http://127.0.0.1:9",
]

sys.path.insert(0, str(ROOT / "scripts"))
from demo_site import write_site  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MM_SKIP_BROWSER") == "1":
        skip = pytest.mark.skip(reason="MM_SKIP_BROWSER=1")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_server(root: Path) -> http.server.ThreadingHTTPServer:
    """Serve ``root`` on a free port of 127.0.0.1 from a daemon thread."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """serve(specs) -> URL of a page with one figure per spec."""
    root = tmp_path_factory.mktemp("sites")
    server = start_server(root)
    count = [0]

    def make(specs, name=None):
        count[0] += 1
        folder = root / (name or "site%d" % count[0])
        write_site(folder, specs)
        return "http://127.0.0.1:%d/%s/index.html" % (server.server_address[1], folder.name)

    yield make
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make setup`"
    assert ASSETS.exists(), "the viewer is not built: run `make setup` (needs node and npm)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def failed_requests(page):
    """The URLs of ``page``'s requests that do not load, as they fail (a built site asks
    for web fonts outside 127.0.0.1, which open_page blocks)."""
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    return failed


def assert_loaded_cleanly(page, failed):
    """Nothing of the site itself failed to load and the console has no errors (the
    blocked outside requests' "Failed to load resource" aside)."""
    local = [u for u in failed if u.startswith("http://127.0.0.1")]
    assert not local, local
    errors = [e for e in page.errors if not (failed and e.startswith("Failed to load resource"))]
    assert not errors, errors


def open_page(browser, **context_options):
    """A page in a new context (``browser.new_context`` options) that blocks non-local
    requests and records console errors in ``page.errors``; close its ``context`` after."""
    context = browser.new_context(**context_options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else route.abort()
        ),
    )
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return pg


@pytest.fixture
def page(browser):
    """A page at 1280×720 (open_page)."""
    pg = open_page(browser, viewport={"width": 1280, "height": 720})
    yield pg
    pg.context.close()


def wait_ready(page, count=None, timeout=30_000):
    """Wait until every figure (or ``count`` of them) is ready; fail on an error state."""
    page.wait_for_function(
        """n => {
            const figs = [...document.querySelectorAll('figure.mm-figure')];
            if (figs.some(f => f.dataset.mmState === 'error')) return true;
            const ready = figs.filter(f => f.dataset.mmState === 'ready').length;
            return ready >= (n === null ? figs.length : n) && figs.length > 0;
        }""",
        arg=count,
        timeout=timeout,
    )
    errors = page.eval_on_selector_all(
        "figure.mm-figure[data-mm-state=error]", "fs => fs.map(f => f.textContent)"
    )
    assert not errors, errors


@pytest.fixture(scope="session")
def material_site(tmp_path_factory):
    """URL of the mkdocs-material site of tests/browser/sites.py (instant navigation,
    a custom dark scheme; pages A and B with figures, C without), built once and
    served from 127.0.0.1.  The server starts first: the site's URL, port included,
    is its site_url (Material's instant navigation needs it)."""
    pytest.importorskip("material", reason="mkdocs-material is a dev dependency")
    from .sites import build_material_site

    root = tmp_path_factory.mktemp("material")
    server = start_server(root)
    url = "http://127.0.0.1:%d/site/" % server.server_address[1]
    build_material_site(root, url)
    yield url
    server.shutdown()
