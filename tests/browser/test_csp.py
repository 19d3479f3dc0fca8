"""The precomputed path under a strict Content-Security-Policy (docs/security.md).

A page with figures needs no inline script, no eval and no third-party origin to draw
them: the policy below (what docs/security.md recommends for sites without live
editing) lets every figure become ready with no violation reported.
"""

from __future__ import annotations

from .conftest import open_page, wait_ready

SPECS = [
    "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\nanim: vmprod\n",
    "expr: A @ B @ C\n",
]
# style-src-attr: each figure's placeholder carries its height as a style attribute
# (--mm-height), so the page keeps its layout before any script runs.
STRICT = (
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'"
)


def with_policy(page, url, policy: str) -> None:
    """Serve ``url`` with ``policy`` as a response header, as a host (or a reverse proxy)
    would, and record every violation in ``window.__csp``."""
    page.route(
        url,
        lambda route: route.fulfill(
            response=route.fetch(), headers={"content-security-policy": policy}
        ),
    )
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


def test_figures_draw_under_a_strict_policy(browser, serve):
    url = serve(SPECS, name="csp")
    page = open_page(browser, viewport={"width": 900, "height": 700})
    try:
        with_policy(page, url, STRICT)
        page.goto(url)
        wait_ready(page)
        assert page.evaluate("window.__csp") == []
        states = page.eval_on_selector_all(
            "figure.mm-figure", "fs => fs.map(f => f.dataset.mmState)"
        )
        assert states == ["ready", "ready"]
    finally:
        page.context.close()


# Live editing runs Pyodide in a worker: 0.17 compiles its WebAssembly with eval-like
# APIs, so the policy needs 'unsafe-eval' in script-src (docs/security.md).
LIVE = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; "
    "worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)


def test_live_editing_with_pyodide_017_under_the_documented_policy(browser, tmp_path_factory):
    from .test_live import PYODIDE, build_live_site, open_editor, wait_edit, wait_runtime

    url = build_live_site(tmp_path_factory.mktemp("csp-live"), PYODIDE / "0.17.1")
    page = open_page(browser, viewport={"width": 1000, "height": 800})
    try:
        with_policy(page, url, LIVE)
        open_editor(page, url)
        wait_runtime(page)
        page.fill("input[aria-label='A rows']", "5")
        wait_edit(page, "done")
        assert page.evaluate("window.__csp") == []
    finally:
        page.context.close()
