"""The viewer in a real browser: pixels where the geometry says, values on hover,
one WebGL context for many figures, lifecycle, no console errors."""

from __future__ import annotations

import colorsys

import pytest

from mm_docs_plugin.core import build, parse_spec

from .conftest import wait_ready
from .project import project

BANDS = (
    'expr: L @ R\nnodes:\n  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}\n'
    '  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}\n'
    "deco: {legends: 0, row_guides: 0, flow_guides: 0}\n"
)


def canvas_box(page):
    return page.locator("figure.mm-figure canvas").first.bounding_box()


def hue_near(page, x, y, radius=1):
    """Hue of the most colourful pixel near CSS point (x, y) of the first figure's canvas,
    read from its 2D context (the pixels a reader sees), or None if nothing there has
    colour: a stage, black or near-white, or a grey guide.  (Colourfulness, not
    brightness: on the light stage the largest |x| are deep.)"""
    pixels = page.evaluate(
        """([x, y, r]) => {
            const c = document.querySelector('figure.mm-figure canvas');
            const sx = c.width / c.clientWidth, sy = c.height / c.clientHeight;
            const px = Math.round(x * sx), py = Math.round(y * sy), n = 2 * r + 1;
            return Array.from(c.getContext('2d').getImageData(px - r, py - r, n, n).data);
        }""",
        [x, y, radius],
    )
    best, best_c = None, 0.0
    for k in range(0, len(pixels), 4):
        rgb = [v / 255.0 for v in pixels[k : k + 3]]
        chroma = max(rgb) - min(rgb)
        hue, _, sat = colorsys.rgb_to_hls(*rgb)
        if chroma > best_c and sat > 0.3:
            best, best_c = hue, chroma
    return best if best_c > 0.1 else None


def is_positive_hue(h):  # mm defaults: positives ≈ 0.51–0.55 (cyan/blue), negatives ≈ 0.03 (red)
    return 0.42 < h < 0.65


def is_negative_hue(h):
    return h < 0.1 or h > 0.93


def test_band_figure_draws_signs_where_the_geometry_says(serve, page):
    page.goto(serve([BANDS]))
    wait_ready(page)
    scene = build(parse_spec(BANDS))
    box = canvas_box(page)
    result = scene.matrices[scene.cubes[0].result]
    values = scene.root.values
    checked = 0
    for i in range(2, 32, 5):
        for j in range(2, 32, 5):
            xy = project(result.element_center(i, j), scene.camera, box["width"], box["height"])
            hue = hue_near(page, *xy)
            assert hue is not None, "nothing drawn at cell (%d, %d)" % (i, j)
            want = is_positive_hue if values[i, j] > 0 else is_negative_hue
            assert want(hue), "cell (%d, %d) = %g drawn with hue %.2f" % (i, j, values[i, j], hue)
            checked += 1
    assert checked == 36
    assert page.errors == []


def test_hover_shows_the_value_of_the_cell_under_the_pointer(serve, page):
    page.goto(serve([BANDS]))
    wait_ready(page)
    scene = build(parse_spec(BANDS))
    box = canvas_box(page)
    result = scene.matrices[scene.cubes[0].result]
    for i, j in ((3, 4), (12, 27), (30, 9)):
        x, y = project(result.element_center(i, j), scene.camera, box["width"], box["height"])
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.locator(".mm-tooltip").first
        tip.wait_for(state="visible", timeout=5000)
        assert tip.get_attribute("data-name") == "L @ R"
        assert (int(tip.get_attribute("data-i")), int(tip.get_attribute("data-j"))) == (i, j)
        assert float(tip.get_attribute("data-value")) == pytest.approx(
            float(scene.root.values[i, j])
        )
        assert "L @ R" in tip.text_content()


def test_thirty_figures_share_one_webgl_context(serve, page):
    specs = [BANDS, "expr: A @ B @ C\n", "expr: out = softmax(Q @ K.T) @ V\n"] * 10
    page.goto(serve(specs))
    figures = page.locator("figure.mm-figure")
    assert figures.count() == 30
    for n in range(30):  # figures mount as they come near the viewport
        figures.nth(n).scroll_into_view_if_needed()
        page.wait_for_function(
            "el => el.dataset.mmState === 'ready'",
            arg=figures.nth(n).element_handle(),
            timeout=30_000,
        )
    assert page.evaluate("window.mmViewer.liveContexts()") == 1
    assert page.errors == []


def test_mount_is_idempotent_and_unmount_restores_the_poster(serve, page):
    page.goto(serve([BANDS]))
    wait_ready(page)
    state = page.evaluate(
        """() => {
            const el = document.querySelector('figure.mm-figure');
            window.mmViewer.mount(el); window.mmViewer.mount(el);
            const canvases = el.querySelectorAll('canvas').length;
            window.mmViewer.unmount(el); window.mmViewer.unmount(el);
            const posters = [...el.querySelectorAll('img.mm-poster')];  // the palette's is shown
            return {canvases, after: el.querySelectorAll('canvas').length, state: el.dataset.mmState,
                    poster: posters.some(p => getComputedStyle(p).display !== 'none')};
        }"""
    )
    assert state == {"canvases": 1, "after": 0, "state": "poster", "poster": True}


def test_ready_event_and_first_frame_mark(serve, page):
    page.goto(serve([BANDS]))
    wait_ready(page)
    fid = page.get_attribute("figure.mm-figure", "id")
    marks = page.evaluate("id => performance.getEntriesByName('mm:first-frame:' + id).length", fid)
    assert marks == 1


def test_a_missing_scene_file_is_an_error_state_with_the_poster_kept(serve, page):
    url = serve([BANDS])
    page.route("**/fig0.mmsc", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(url)
    page.wait_for_function("document.querySelector('figure.mm-figure').dataset.mmState === 'error'")
    assert page.locator("img.mm-poster >> visible=true").count() == 1  # the palette's
    assert page.locator("figure.mm-figure").first.text_content().strip() != ""
