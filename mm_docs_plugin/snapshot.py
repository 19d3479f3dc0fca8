"""PNG pictures of figures as the viewer draws them, in headless Chromium.

Needs the ``playwright`` package and a Chromium (Debian's ``/usr/bin/chromium``, or
``MM_CHROMIUM``): neither is a dependency of mm-docs, so the error says what to install.
The page is self-contained (`Figure.html`), so nothing leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Optional

from .core import SpecError


def _chromium() -> str:
    found = (
        os.environ.get("MM_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not found:
        raise SpecError(
            "a PNG needs a Chromium to draw the figure, and none was found",
            "install one (Debian/Ubuntu: apt-get install chromium) or set MM_CHROMIUM",
        )
    return found


def png(figure, path: str, width: int = 688, height: Optional[int] = None) -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise SpecError(
            "a PNG needs the playwright package to drive Chromium", "pip install playwright"
        ) from None
    # Playwright's sync API refuses to run where an asyncio loop runs (Jupyter's kernel,
    # another Playwright session): draw from a thread of our own.
    done: dict = {}

    def work() -> None:
        try:
            done["path"] = _png(figure, path, width, height or figure.spec.figure.height or 480)
        except BaseException as e:  # re-raised in the caller's thread
            done["error"] = e

    thread = threading.Thread(target=work, name="mm-docs-png")
    thread.start()
    thread.join()
    if "error" in done:
        raise done["error"]
    return done["path"]


def _png(figure, path: str, width: int, height: int) -> str:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "figure.html"
        figure.save_html(str(page_file))
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=_chromium(),
                args=["--no-sandbox", "--enable-unsafe-swiftshader"],
            )
            try:
                # The page has the default 8 px body margin on each side.
                page = browser.new_page(viewport={"width": width + 16, "height": height + 60})
                page.route(
                    "**/*",
                    lambda r: (
                        r.continue_()
                        if r.request.url.startswith(("file:", "data:", "blob:"))
                        else r.abort()
                    ),
                )
                page.goto(page_file.as_uri())
                page.wait_for_function(
                    "() => ['ready', 'error'].includes(document.querySelector('figure.mm-figure')?.dataset.mmState)",
                    timeout=30_000,
                )
                if page.get_attribute("figure.mm-figure", "data-mm-state") != "ready":
                    raise SpecError("the viewer could not draw the figure in Chromium")
                page.locator("figure.mm-figure").screenshot(path=str(path))
            finally:
                browser.close()
    return str(path)
