"""Adaptive resolution while the camera moves (figure/motion.js).

A big figure's frames in motion are drawn at MOTION_SCALE of its pixel size and
stretched; once the camera is still for SETTLE_MS, one full-resolution frame is drawn,
and it must be the very pixels of a still frame (screenshots and PNG exports are
unchanged).  A small figure never drops resolution.
"""

from __future__ import annotations

import numpy as np

from .conftest import wait_ready

SMALL = """expr: out = L @ R
nodes:
  L: {shape: [48, 40], init: gaussian}
  R: {shape: [40, 56], init: gaussian}
deco: {legends: 0}
height: 300
"""

# 2,097,152 drawn elements: over motion.js's MOTION_MIN_ELEMENTS
BIG = """expr: out = L @ R
nodes:
  L: {shape: [1024, 512], init: gaussian}
  R: {shape: [512, 1024], init: gaussian}
deco: {legends: 0}
height: 300
"""


def pixels(page, n=0, before=""):
    """The n-th figure's canvas as an (h, w, 3) array, read in the same task as the
    JavaScript ``before`` (with ``fig`` in scope), so no frame comes between."""
    w, h, px = page.evaluate(
        """([n, before]) => {
            const c = document.querySelectorAll('figure.mm-figure canvas')[n];
            const fig = mmViewer.figure(document.querySelectorAll('figure.mm-figure')[n]);
            eval(before);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
            return [c.width, c.height, Array.from(d.data)];
        }""",
        [n, before],
    )
    return np.array(px, dtype=np.int16).reshape(h, w, 4)[:, :, :3]


def settled(page, n=0):
    page.wait_for_function(
        """n => {
            const fig = mmViewer.figure(document.querySelectorAll('figure.mm-figure')[n]);
            return !fig.motion.moving && fig.frameScale === 1;
        }""",
        arg=n,
    )


def test_only_big_figures_drop_resolution_in_motion(serve, page):
    page.goto(serve([SMALL, BIG]))
    wait_ready(page, 2)
    scales = page.evaluate(
        "() => [...document.querySelectorAll('figure.mm-figure')]"
        ".map(el => mmViewer.figure(el).motion.motionScale)"
    )
    assert scales == [1, 0.5]
    assert page.errors == []


def test_a_frame_in_motion_is_coarser_and_the_still_frame_after_it_is_unchanged(serve, page):
    page.goto(serve([SMALL]))
    wait_ready(page, 1)
    page.evaluate(
        "() => { const f = mmViewer.figure(document.querySelector('figure.mm-figure'));"
        " f.motion.motionScale = 0.5; f.renderNow(); }"
    )
    still = pixels(page)
    drawn = np.abs(still - still[0, 0]).max(axis=2) > 0
    assert drawn.mean() > 0.02, "the figure should cover part of its canvas"
    # the orbit controls' change event, without moving the camera: only the scale differs
    moving = pixels(
        page, 0, "fig.onCameraChange(); fig.renderNow(); if (fig.frameScale !== 0.5) throw 1;"
    )
    assert moving.shape == still.shape
    diff = np.abs(moving - still).max(axis=2)[drawn]
    print(
        "moving vs still: mean %.1f levels, %.2f of drawn pixels differ"
        % (diff.mean(), (diff > 8).mean())
    )
    assert (diff > 8).mean() > 0.2, "a half-resolution frame looks coarser"
    settled(page)
    assert np.array_equal(pixels(page), still)
    assert page.errors == []


def test_dragging_draws_in_motion_and_settles_at_full_resolution(serve, page):
    page.goto(serve([BIG]))
    wait_ready(page, 1)
    box = page.query_selector("figure.mm-figure canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 10, steps=4)
    scale = page.evaluate(
        """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
            done(mmViewer.figure(document.querySelector('figure.mm-figure')).frameScale))))"""
    )
    assert scale == 0.5
    page.mouse.up()
    settled(page)
    assert page.errors == []


def test_a_png_export_in_motion_is_drawn_at_full_resolution(serve, page):
    page.goto(serve([SMALL]))
    wait_ready(page, 1)
    still = pixels(page, 0, "fig.motion.motionScale = 0.5; fig.renderNow();")
    # an export while the camera moves (the download itself is left to the browser)
    exported = pixels(
        page,
        0,
        "fig.onCameraChange(); fig.renderNow(); if (fig.frameScale !== 0.5) throw 1;"
        " fig.savePng(); if (fig.frameScale !== 1 || fig.motion.moving) throw 2;",
    )
    assert np.array_equal(exported, still)
    assert page.errors == []
