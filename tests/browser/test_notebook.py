"""Figures in a notebook: executed by a Jupyter kernel (nbclient), exported by nbconvert
to HTML, opened in Chromium with every request outside 127.0.0.1 and file: blocked —
each figure becomes ready, drawn by one viewer on one WebGL context."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import open_page, wait_ready

CELLS = [
    "import numpy as np\nfrom mm_docs_plugin import Figure\nrng = np.random.default_rng(0)",
    "Figure('out = (h = relu(x @ W1)) @ W2', x=rng.normal(size=(16, 24)),\n"
    "       W1=rng.normal(size=(24, 32)), W2=rng.normal(size=(32, 8)), anim='vmprod')",
    "Figure('A @ B @ C', seed=1)",
    "fig = Figure('attn = softmax(Q @ K.T / sqrt(k))', Q=rng.normal(size=(12, 8)), K=rng.normal(size=(12, 8)))\nfig",
]


def test_a_notebook_exported_to_html_shows_every_figure(browser, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells for o in c.outputs if "text/html" in o.get("data", {})]
    assert len(outputs) == 3
    # The viewer travels in the first output only; the others are mounted by it.
    assert [o["data"]["text/html"].count('<script type="module">') for o in outputs] == [1, 0, 0]
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    page_file = tmp_path / "notebook.html"
    page_file.write_text(html, encoding="utf-8")
    page = open_page(browser, viewport={"width": 1000, "height": 900})
    try:
        page.context.unroute("**/*")
        page.context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:", "blob:"))
                else route.abort()
            ),
        )
        page.goto(page_file.as_uri())
        for n in range(3):
            page.locator("figure.mm-figure").nth(n).scroll_into_view_if_needed()
        wait_ready(page, 3, timeout=60_000)
        assert page.evaluate("mmViewer.liveContexts()") == 1
        assert page.evaluate("mmViewer.stats().figures") == 3
    finally:
        page.context.close()


def test_png_is_the_viewers_drawing(tmp_path):
    import struct

    import numpy as np

    from mm_docs_plugin import Figure

    fig = Figure("out = A @ B", A=np.eye(16), B=np.ones((16, 8)))
    data = Path(fig.png(str(tmp_path / "f.png"))).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 688 and height >= 480
    # drawn, not a blank stage: a flat 688×480 PNG is a few KB
    assert len(data) > 20_000, len(data)
