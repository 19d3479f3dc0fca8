"""Framing on stages narrower than 16:9: a figure the core framed stays whole in a
688-px column and on a phone; an author's camera is drawn exactly as written."""

from __future__ import annotations

import pytest

from .conftest import open_page, wait_ready

# Four cubes in a row: wider than tall, so a 16:9 framing loses its ends on a 688×480
# or 390×480 stage unless the viewer widens its view.
CHAIN = (
    "expr: y = x @ A @ B @ C @ D\n"
    "nodes: {x: {shape: [16, 16]}, A: {shape: [16, 16]}, B: {shape: [16, 16]},"
    " C: {shape: [16, 16]}, D: {shape: [16, 16]}}\n"
    "deco: {legends: 0}\n"
    "height: 480\n"
)

# How many canvas pixels in the outermost columns and rows differ from the stage.
EDGE_INK = """() => {
    const c = document.querySelector('figure.mm-figure canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const stage = d.slice(4 * (c.width * Math.floor(c.height / 2) + 1), 4 * (c.width * Math.floor(c.height / 2) + 1) + 3);
    let ink = 0;
    const at = (x, y) => {
        const k = 4 * (y * c.width + x);
        if (Math.abs(d[k] - stage[0]) + Math.abs(d[k + 1] - stage[1]) + Math.abs(d[k + 2] - stage[2]) > 60) ink++;
    };
    for (let y = 0; y < c.height; y++) for (const x of [0, 1, 2, c.width - 3, c.width - 2, c.width - 1]) at(x, y);
    for (let x = 0; x < c.width; x++) for (const y of [0, 1, 2, c.height - 3, c.height - 2, c.height - 1]) at(x, y);
    return {ink, width: c.clientWidth, height: c.clientHeight};
}"""


@pytest.mark.parametrize("width", [1280, 688, 390])
def test_a_framed_figure_is_whole_on_narrow_stages(serve, browser, width):
    page = open_page(browser, viewport={"width": width, "height": 900})
    try:
        page.goto(serve([CHAIN]))
        wait_ready(page)
        edge = page.evaluate(EDGE_INK)
        assert edge["width"] <= width and edge["height"] == pytest.approx(480, abs=60)
        # Nothing of the figure touches the stage's edges: the left argument's face and
        # the last result (cut off before, at 688 and 390 px) are inside.
        assert edge["ink"] == 0, edge
        assert page.errors == []
    finally:
        page.context.close()


def test_an_author_camera_is_kept_on_a_narrow_stage(serve, browser):
    spec = CHAIN + "camera: {position: [-30, 30, 30], target: [0, 0, 0]}\n"
    page = open_page(browser, viewport={"width": 688, "height": 900})
    try:
        page.goto(serve([spec]))
        wait_ready(page)
        # The camera as written, 45° vertical field of view, even though it cuts the figure.
        fov = page.evaluate(
            "() => window.mmViewer.figure(document.querySelector('figure.mm-figure')).camera.fov"
        )
        assert fov == pytest.approx(45.0)
        assert page.evaluate(EDGE_INK)["ink"] > 0
    finally:
        page.context.close()
