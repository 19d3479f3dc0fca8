"""Figures follow the page's light/dark palette without a rebuild (theme.js).

A page shaped like mkdocs-material's: the palette's scheme on <body
data-md-color-scheme>, the dark scheme names on the viewer's script tag.  Flipping
the attribute must restyle every figure (data-mm-theme, stage colour, element
colours with their hues kept, non-finite marks) with no scene file fetched again
and nothing rebuilt.
"""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.core.scene.colors import node_colors, vol_rgb, vol_size

from .conftest import start_server, wait_ready, write_site
from .project import project
from .test_viewer import BANDS, hue_near, is_positive_hue

# R is all +inf (1 / 0), so every element of L @ R is +inf: a face of non-finite marks.
INF = (
    'expr: L @ R\nnodes:\n  L: {shape: [8, 6], expr: "1"}\n  R: {shape: [6, 8], expr: "1 / (i - i)"}\n'
    "deco: {legends: 0, row_guides: 0, flow_guides: 0}\n"
)
LEGENDS = "expr: A @ B\nnodes: {A: {shape: [8, 4]}, B: {shape: [4, 6]}}\n"  # legends on
DARK_SCHEMES = "slate midnight"
PAPER = {"light": (250, 250, 250), "dark": (0, 0, 0)}


@pytest.fixture(scope="module")
def theme_page_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("theme-page")
    index = write_site(root / "site", [BANDS, INF, LEGENDS])
    html = index.read_text("utf-8")
    script = '<script type="module" src="mm-viewer.js">'
    assert html.count(script) == 1 and html.count("<body>") == 1
    html = html.replace(script, script[:-1] + ' data-mm-dark-schemes="%s">' % DARK_SCHEMES)
    html = html.replace("<body>", '<body data-md-color-scheme="default">')
    index.write_text(html, "utf-8")
    server = start_server(root)
    yield "http://127.0.0.1:%d/site/index.html" % server.server_address[1]
    server.shutdown()


def pixel(page, figure, x, y):
    """(r, g, b) of figure number ``figure``'s canvas at CSS point (x, y), from its 2D context."""
    return tuple(
        page.evaluate(
            """([n, x, y]) => {
                const c = document.querySelectorAll('figure.mm-figure canvas')[n];
                const sx = c.width / c.clientWidth, sy = c.height / c.clientHeight;
                const d = c.getContext('2d').getImageData(Math.round(x * sx), Math.round(y * sy), 1, 1).data;
                return [d[0], d[1], d[2]];
            }""",
            [figure, x, y],
        )
    )


def themes(page):
    return page.eval_on_selector_all("figure.mm-figure", "fs => fs.map(f => f.dataset.mmTheme)")


def set_scheme(page, scheme):
    """Set (or with None remove) body[data-md-color-scheme], as Material's palette toggle does."""
    page.evaluate(
        """s => s === null ? document.body.removeAttribute('data-md-color-scheme')
                           : document.body.setAttribute('data-md-color-scheme', s)""",
        scheme,
    )


def wait_theme(page, theme):
    page.wait_for_function(
        """t => [...document.querySelectorAll('figure.mm-figure')].every(f => f.dataset.mmTheme === t)""",
        arg=theme,
        timeout=5000,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def lightness(rgb):
    return colorsys.rgb_to_hls(*(v / 255.0 for v in rgb))[1]


def close(rgb, want, tol=3):
    return all(abs(a - b) <= tol for a, b in zip(rgb, want))


def test_scheme_switches_restyle_figures_without_refetch_or_rebuild(theme_page_url, page):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".mmsc") else None)
    page.goto(theme_page_url)
    wait_ready(page, 3)
    assert len(fetched) == 3

    bands = build(parse_spec(BANDS))
    cam = bands.camera
    box = page.locator("figure.mm-figure canvas").first.bounding_box()
    result = bands.matrices[bands.cubes[0].result]
    assert bands.root.values[3, 4] > 0  # a positive element of the largest |x|
    cell = project(result.element_center(3, 4), cam, box["width"], box["height"])
    inf = build(parse_spec(INF))
    inf_box = page.locator("figure.mm-figure canvas").nth(1).bounding_box()
    inf_face = inf.matrices[inf.cubes[0].result]
    inf_cell = project(
        inf_face.element_center(4, 4), inf.camera, inf_box["width"], inf_box["height"]
    )

    # What is built stays built: same scene objects, GL textures and geometries.
    page.evaluate(
        """() => { window.__scenes = [...document.querySelectorAll('figure.mm-figure')]
                     .map(el => window.mmViewer.figure(el).scene); }"""
    )
    built = page.evaluate("window.mmViewer.stats()")

    # default → light; slate and the custom midnight → dark; a scheme not listed → light.
    for scheme, theme in [
        ("default", "light"),
        ("slate", "dark"),
        ("default", "light"),
        ("midnight", "dark"),
        ("paper", "light"),
        ("slate", "dark"),
    ]:
        set_scheme(page, scheme)
        wait_theme(page, theme)
        assert themes(page) == [theme] * 3, scheme
        assert page.evaluate("window.mmViewer.theme()") == theme
        for n in (0, 1):  # on screen: redrawn at once
            corner = pixel(page, n, 3, 3)
            assert close(corner, PAPER[theme]), (scheme, n, corner)
        stage_bg = page.eval_on_selector(
            "figure.mm-figure .mm-stage", "s => getComputedStyle(s).backgroundColor"
        )
        assert stage_bg == "rgb(%d, %d, %d)" % PAPER[theme], (scheme, stage_bg)

        hue = hue_near(page, *cell)
        assert hue is not None and is_positive_hue(hue), (scheme, hue)
        centre = pixel(page, 0, *cell)
        if theme == "light":  # the largest |x| is deep on light paper…
            assert lightness(centre) < 0.5, (scheme, centre)
        else:  # …and bright on black
            assert lightness(centre) > 0.45, (scheme, centre)

        mark = pixel(page, 1, *inf_cell)  # +inf: white on black, black on light
        if theme == "light":
            assert max(mark) < 70, (scheme, mark)
        else:
            assert min(mark) > 185, (scheme, mark)

    # The third figure is off screen: restyled, and drawn so when it comes into view.
    page.locator("figure.mm-figure").nth(2).scroll_into_view_if_needed()
    page.wait_for_function(
        """() => { const c = document.querySelectorAll('figure.mm-figure canvas')[2];
                   return c.getContext('2d').getImageData(3, 3, 1, 1).data[0] === 0; }""",
        timeout=5000,
    )
    assert len(fetched) == 3, fetched
    # One program more: the other palette's (matrix.frag's LIGHT define), compiled at the
    # first switch and kept, not once per switch or per figure.
    assert page.evaluate("window.mmViewer.stats()") == dict(built, programs=built["programs"] + 1)
    same = page.evaluate(
        """() => [...document.querySelectorAll('figure.mm-figure')]
                   .every((el, n) => window.mmViewer.figure(el).scene === window.__scenes[n])"""
    )
    assert same
    assert page.errors == []


def test_overlays_follow_the_theme(theme_page_url, page):
    page.goto(theme_page_url)
    wait_ready(page, 3)
    styles = """() => {
        const fig = document.querySelectorAll('figure.mm-figure')[2];
        const legend = fig.querySelector('.mm-legend');
        const button = fig.querySelector('.mm-button');
        return {legend: getComputedStyle(legend).color,
                halo: getComputedStyle(legend).textShadow,
                button: getComputedStyle(button).backgroundColor,
                buttonText: getComputedStyle(button).color};
    }"""
    set_scheme(page, "default")
    wait_theme(page, "light")
    light = page.evaluate(styles)
    set_scheme(page, "midnight")
    wait_theme(page, "dark")
    dark = page.evaluate(styles)
    assert light["legend"] == "rgb(38, 38, 112)" and dark["legend"] == "rgb(204, 204, 255)"
    assert "rgb(250, 250, 250)" in light["halo"] and "rgb(0, 0, 0)" in dark["halo"]
    # Dark text on a light button, light text on a dark one.
    assert lightness(_rgb(light["buttonText"])) < 0.3 < 0.7 < lightness(_rgb(light["button"]))
    assert lightness(_rgb(dark["buttonText"])) > 0.7 > 0.3 > lightness(_rgb(dark["button"]))
    assert page.errors == []


def _rgb(css):
    return tuple(int(float(v)) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def test_without_a_material_scheme_the_reader_preference_decides(theme_page_url, page):
    page.emulate_media(color_scheme="dark")
    page.goto(theme_page_url)
    wait_ready(page, 3)
    wait_theme(page, "light")  # Material's "default" scheme wins over the preference
    set_scheme(page, None)
    wait_theme(page, "dark")
    assert close(pixel(page, 0, 3, 3), PAPER["dark"])
    page.emulate_media(color_scheme="light")
    wait_theme(page, "light")
    assert close(pixel(page, 0, 3, 3), PAPER["light"])
    page.emulate_media(color_scheme="dark")
    wait_theme(page, "dark")
    assert page.errors == []


def test_unmount_stops_watching_the_theme(theme_page_url, page):
    page.goto(theme_page_url)
    wait_ready(page, 3)
    page.evaluate(
        "() => document.querySelectorAll('figure.mm-figure').forEach(el => window.mmViewer.unmount(el))"
    )
    assert themes(page) == [None] * 3  # the attribute goes with the figure
    set_scheme(page, "slate")
    page.wait_for_timeout(100)
    assert themes(page) == [None] * 3
    el = page.query_selector("figure.mm-figure")
    page.evaluate("el => window.mmViewer.mount(el)", el)
    page.wait_for_function("el => el.dataset.mmState === 'ready'", arg=el, timeout=30_000)
    assert themes(page)[0] == "dark"
    assert page.errors == []


# Cells far under a pixel, so every element is a flat square (no disc shading).  Each
# node is normalised by its own largest |x| (local): L's ±1 have vol 0.5 (faded by their
# size), its ±2, R's ±1 and the result's ±96 vol 1.
FLAT = (
    "expr: L @ R\nnodes:\n"
    '  L: {shape: [512, 64], expr: "(1 + trunc(j / 32)) * (1 - 2 * trunc(i / 256))"}\n'
    '  R: {shape: [64, 512], expr: "1 - 2 * trunc(j / 256)"}\n'
    "colors: {sensitivity: local}\n"
    "deco: {legends: 0, row_guides: 0, flow_guides: 0}\n"
)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_shader_draws_the_python_mapping(serve, page, theme):
    """matrix.frag's colours are colors.vol_rgb's, faded as benchmarks/bench_legibility.py
    models them: the light mapping and its legibility numbers are the viewer's."""
    scene = build(parse_spec(FLAT))
    colors = node_colors(scene.spec, scene.root)
    vol = np.array([1.0, 0.5])
    diameter = np.minimum(1.0, colors.elem_scale * 0.72 * vol_size(vol, colors))
    fade = 0.3 + 0.7 * diameter**2 / min(1.0, colors.elem_scale * 0.72) ** 2
    want = [
        [round(float(c) * 255) for c in vol_rgb(sign, vol, colors, theme, fade)[n]]
        for sign in (1.0, -1.0)
        for n in (0, 1)
    ]
    page.emulate_media(color_scheme=theme)
    page.goto(serve([FLAT]))
    wait_ready(page)
    wait_theme(page, theme)
    counts = page.evaluate(
        """want => {
            const c = document.querySelector('figure.mm-figure canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return want.map(w => {
                let n = 0;
                for (let k = 0; k < d.length; k += 4) {
                    if (Math.abs(d[k] - w[0]) <= 3 && Math.abs(d[k + 1] - w[1]) <= 3
                        && Math.abs(d[k + 2] - w[2]) <= 3) n++;
                }
                return n;
            });
        }""",
        want,
    )
    # + and - at vol 1 and at vol 0.5, faded: each covers many pixels
    assert min(counts) > 1000, (theme, want, counts)
    assert page.errors == []
