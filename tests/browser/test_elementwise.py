"""Element-wise figures in a real browser: the stack drawn where the geometry says, and
hovering the result names what was added to what."""

from __future__ import annotations

import pytest

from mm_docs_plugin.core import build, parse_spec

from .conftest import wait_ready
from .project import project
from .test_viewer import canvas_box, hue_near, is_negative_hue, is_positive_hue

BIAS = (
    "expr: h = x @ W + b\n"
    "nodes: {x: {shape: [8, 12]}, W: {shape: [12, 16]}, b: {shape: [1, 16]}}\n"
    "deco: {legends: 0}\n"
)


def test_hover_on_an_elementwise_result_shows_its_operands(serve, page):
    page.goto(serve([BIAS]))
    wait_ready(page)
    scene = build(parse_spec(BIAS))
    box = canvas_box(page)
    result = next(v for v in scene.matrices if v.node == "root")
    xw, b = scene.node_at("root.left").values, scene.node_at("root.right").values
    for i, j in ((2, 5), (6, 13)):
        x, y = project(result.element_center(i, j), scene.camera, box["width"], box["height"])
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.locator(".mm-tooltip").first
        tip.wait_for(state="visible", timeout=5000)
        assert (tip.get_attribute("data-node"), tip.get_attribute("data-i")) == ("root", str(i))
        assert float(tip.get_attribute("data-value")) == pytest.approx(
            float(scene.root.values[i, j]),
            rel=1e-3,  # float16 in the scene file
        )
        note = page.locator(".mm-tooltip-note").first.text_content()
        assert note.startswith("x @ W[%d, %d] + b[0, %d] = " % (i, j, j)), note
        a, c = note.split(" = ")[1].split(" + ")
        assert float(a) == pytest.approx(float(xw[i, j]), rel=1e-3)
        assert float(c) == pytest.approx(float(b[0, j]), rel=1e-3)
    assert page.errors == []


def test_the_bias_row_is_drawn_where_the_geometry_says(serve, page):
    page.goto(serve([BIAS]))
    wait_ready(page)
    scene = build(parse_spec(BIAS))
    box = canvas_box(page)
    row = next(v for v in scene.matrices if v.node == "root.right")
    values = scene.node_at("root.right").values
    checked = 0
    for j in range(0, 16, 3):
        xy = project(row.element_center(0, j), scene.camera, box["width"], box["height"])
        hue = hue_near(page, *xy)
        if hue is None or abs(values[0, j]) < 0.3:
            continue  # small values are small discs
        want = is_positive_hue if values[0, j] > 0 else is_negative_hue
        assert want(hue), "b[0, %d] = %g drawn with hue %.2f" % (j, values[0, j], hue)
        checked += 1
    assert checked >= 2
