"""precision: display8 in the browser: the same picture as float16, and hover says ≈.

Two figures of the same spec, float16 and 8-bit, must draw the same pixels within a
tolerance (the values move by at most 1/510 of a row's range; the colour ranges come
from the exact values); a third with other values must not, so the comparison can
fail.  Hovering an 8-bit matrix shows its value marked approximate.
"""

from __future__ import annotations

import numpy as np

from mm_docs_plugin.core import build, parse_spec

from .conftest import wait_ready

# every matrix over 65,536 values: all three are stored as 8 bits
SPEC = """expr: out = L @ R
nodes:
  L: {shape: [272, 256], init: gaussian}
  R: {shape: [256, 272], init: gaussian}
deco: {legends: 0}
height: 220
seed: %d
precision: %s
"""


def canvas_rgb(page, n):
    """The n-th figure's canvas pixels as an (h, w, 3) array."""
    data = page.evaluate(
        """n => {
            const c = document.querySelectorAll('figure.mm-figure canvas')[n];
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
            return [c.width, c.height, Array.from(d.data)];
        }""",
        n,
    )
    w, h, px = data
    return np.array(px, dtype=np.int16).reshape(h, w, 4)[:, :, :3]


def test_display8_draws_the_colours_of_float16(serve, page):
    page.goto(serve([SPEC % (0, "display"), SPEC % (0, "display8"), SPEC % (1, "display")]))
    wait_ready(page, 3)
    f16, q8, other = (canvas_rgb(page, n) for n in range(3))
    assert f16.shape == q8.shape == other.shape
    drawn = np.abs(f16 - f16[0, 0]).max(axis=2) > 0  # not the stage
    assert drawn.mean() > 0.04, "the figure should cover a good part of its canvas"
    diff = np.abs(f16 - q8).max(axis=2)[drawn]
    control = np.abs(f16 - other).max(axis=2)[drawn]
    # Measured (1264×220 canvas, 272×272 cells of about a pixel): 99.7 % of drawn
    # pixels within 1 level of 255, mean 0.84.  The rest are whole-pixel flips where a
    # cell's disc edge crosses a pixel centre (its size moved by < 0.2 %): few, not a
    # shift of colour.
    assert (diff <= 3).mean() >= 0.99, "%.4f of pixels within 3 levels" % (diff <= 3).mean()
    assert diff.mean() < 2.0, "mean difference %.2f levels" % diff.mean()
    # other values: a visibly different picture, so the comparison above can fail
    assert control.mean() > 10 * diff.mean() and (control <= 3).mean() < 0.5
    assert page.errors == []


def test_hover_marks_8_bit_values_as_approximate(serve, page):
    page.goto(serve([SPEC % (0, "display"), SPEC % (0, "display8")]))
    wait_ready(page, 2)
    exact = build(parse_spec(SPEC % (0, "display8"))).root.values
    texts = page.evaluate(
        """() => [...document.querySelectorAll('figure.mm-figure')].map(el => {
            const fig = mmViewer.figure(el), ins = fig.inspector;
            const vi = fig.views.findIndex(v => v.data.node === 'root');
            const hit = Object.assign({view: vi, i: 5, j: 7}, ins.reading(vi, 5, 7));
            ins.setText(hit);
            return [ins.tipValue.textContent, ins.tipNote.textContent,
                    ins.tip.dataset.approximate, hit.value];
        })"""
    )
    (v16, note16, approx16, x16), (v8, note8, approx8, x8) = texts
    assert v16.startswith("= ") and approx16 == "false" and "8-bit" not in note16
    assert v8.startswith("≈ ") and approx8 == "true" and "(8-bit display value)" in note8
    row = exact[5].astype(np.float64)
    step = (max(row.max(), 0) - min(row.min(), 0)) / 255
    assert abs(x8 - exact[5, 7]) <= step / 2 * 1.001 + abs(exact[5, 7]) * 1e-3  # + float16
    assert abs(x16 - exact[5, 7]) <= abs(exact[5, 7]) * 1e-3
    assert page.errors == []
