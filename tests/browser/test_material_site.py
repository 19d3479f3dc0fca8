"""A real mkdocs-material site (tests/browser/sites.py) with instant navigation.

Round trips between pages with figures (A, B) and one without (C) must keep one
WebGL context, exactly the current page's figures and their GL objects, and the
viewer's listeners at a fixed count; the palette toggle in Material's header must
restyle the figures (a custom scheme name that the plugin's dark_schemes lists).
"""

from __future__ import annotations

import base64

from .probes import LISTENER_PROBE, viewer_listeners
from .sites import DARK_SCHEME, figure_counts

COUNTS = figure_counts()  # nav title -> figures on that page
ALL_READY = """n => {
    const figs = [...document.querySelectorAll('figure.mm-figure')];
    return figs.length === n && figs.every(f => f.dataset.mmState === 'ready');
}"""


def go(page, title):
    """Click the nav link to ``title`` and wait until the page's figures are all ready."""
    page.locator("nav.md-nav--primary a.md-nav__link:visible", has_text=title).first.click()
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === t",
        arg=title,
        timeout=15_000,
    )
    if COUNTS[title]:
        page.wait_for_function(ALL_READY, arg=COUNTS[title], timeout=30_000)
    # Figures that left the document are unmounted on Material's document$ (or the next frame).
    page.wait_for_function(
        "n => window.mmViewer.stats().figures === n", arg=COUNTS[title], timeout=10_000
    )


def instant(page):
    """Still the same document: the marker set after the first load survives."""
    return page.evaluate("window.__mmMarker === 'first load' && window.mmViewer === window.__mmApi")


def gl_stats(page):
    return page.evaluate("window.mmViewer.stats()")


def test_instant_navigation_keeps_one_context_and_leaks_nothing(material_site, page):
    page.context.add_init_script(LISTENER_PROBE)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".mmsc") else None)
    page.goto(material_site)
    page.wait_for_function(ALL_READY, arg=COUNTS["Page A"], timeout=30_000)
    page.evaluate("() => { window.__mmMarker = 'first load'; window.__mmApi = window.mmViewer; }")
    assert page.evaluate("window.mmViewer.liveContexts()") == 1

    seen = {}  # title -> (stats, listeners) on the first visit
    for round_trip in range(4):
        for title in ("Page B", "Page A"):
            go(page, title)
            assert instant(page), "navigation to %s reloaded the page" % title
            assert page.evaluate("window.mmViewer.liveContexts()") == 1
            stats = gl_stats(page)
            assert stats["figures"] == COUNTS[title] and stats["contexts"] == 1, stats
            listeners = viewer_listeners(page)
            assert listeners.get("media:change") == 1, listeners  # one theme watcher per page
            state = (stats, listeners)
            if title in seen:
                assert state == seen[title], (round_trip, title)
            seen[title] = state

    # A page without figures: nothing of the viewer's left but its context.
    go(page, "Page C")
    assert instant(page)
    assert page.evaluate("window.mmViewer.liveContexts()") == 1
    stats = gl_stats(page)
    assert stats == {"figures": 0, "contexts": 1, "geometries": 0, "textures": 0, "programs": 0}
    assert viewer_listeners(page) == {}
    go(page, "Page A")
    assert instant(page)
    assert (gl_stats(page), viewer_listeners(page)) == seen["Page A"]
    go(page, "Page B")
    assert (gl_stats(page), viewer_listeners(page)) == seen["Page B"]
    assert page.evaluate("window.mmViewer.liveContexts()") == 1
    assert all(url.startswith(material_site) for url in fetched), fetched
    assert page.errors == []


def palette_toggle(page):
    page.locator("[data-md-component=palette] label:visible").first.click()


def wait_theme(page, theme):
    page.wait_for_function(
        """t => { const f = [...document.querySelectorAll('figure.mm-figure')];
                  return f.length > 0 && f.every(x => x.dataset.mmTheme === t); }""",
        arg=theme,
        timeout=5000,
    )


def corner_pixel(page):
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(
        """() => Array.from(document.querySelector('figure.mm-figure canvas')
                   .getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3))"""
    )


def test_palette_toggle_restyles_figures(material_site, page):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".mmsc") else None)
    page.goto(material_site)
    page.wait_for_function(ALL_READY, arg=COUNTS["Page A"], timeout=30_000)
    page.evaluate("() => { window.__mmMarker = 'first load'; window.__mmApi = window.mmViewer; }")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    wait_theme(page, "light")
    assert corner_pixel(page) == [250, 250, 250]
    loaded = len(fetched)
    built = gl_stats(page)

    palette_toggle(page)  # Material's header toggle: to the custom dark scheme
    assert page.evaluate("document.body.dataset.mdColorScheme") == DARK_SCHEME
    wait_theme(page, "dark")
    assert corner_pixel(page) == [0, 0, 0]
    # Restyled, not refetched or rebuilt: one program more, the dark palette's variant of
    # matrix.frag (compiled at the switch, once for the page).
    assert len(fetched) == loaded
    assert gl_stats(page) == dict(built, programs=built["programs"] + 1)

    go(page, "Page B")  # the scheme stays; B's figures start dark
    assert instant(page)
    wait_theme(page, "dark")
    assert corner_pixel(page) == [0, 0, 0]
    palette_toggle(page)
    wait_theme(page, "light")
    assert corner_pixel(page) == [250, 250, 250]

    go(page, "Page C")
    palette_toggle(page)  # toggled where there is no figure…
    go(page, "Page A")
    assert instant(page)
    wait_theme(page, "dark")  # …A's figures come back in the new scheme
    assert corner_pixel(page) == [0, 0, 0]
    assert page.errors == []


TOP_AT_TOOLBAR = """() => {
    const t = document.querySelector('figure.mm-figure .mm-toolbar').getBoundingClientRect();
    const top = document.elementFromPoint(t.left + t.width / 2, t.top + t.height / 2);
    return top.closest('.md-header') ? 'header' : top.closest('.mm-toolbar') ? 'toolbar' : top.tagName;
}"""


def test_a_figure_scrolled_under_the_sticky_header_paints_beneath_it(material_site, page):
    page.set_viewport_size({"width": 1280, "height": 360})  # short: the page scrolls far enough
    page.goto(material_site)
    page.wait_for_function(ALL_READY, arg=COUNTS["Page A"], timeout=30_000)
    assert page.evaluate(TOP_AT_TOOLBAR) == "toolbar"  # in view, the toolbar is the reader's
    # Scroll the first figure's top edge to the top of the viewport: its toolbar is then
    # behind Material's header (sticky, z-index 4), which must stay on top.
    page.evaluate(
        "() => scrollBy(0, document.querySelector('figure.mm-figure').getBoundingClientRect().top)"
    )
    boxes = page.evaluate(
        """() => [document.querySelector('.md-header'), document.querySelector('.mm-toolbar')]
                  .map(e => e.getBoundingClientRect().toJSON())"""
    )
    header, toolbar = boxes
    assert toolbar["bottom"] <= header["bottom"] and toolbar["top"] >= header["top"], boxes
    assert page.evaluate(TOP_AT_TOOLBAR) == "header"


def search_open(page):
    return page.evaluate(
        """() => document.querySelector('[data-md-toggle=search]').checked
                 || document.activeElement.matches('.md-search__input')"""
    )


def test_keys_a_focused_figure_handles_never_reach_materials_shortcuts(material_site, page):
    page.goto(material_site)
    page.wait_for_function(ALL_READY, arg=COUNTS["Page A"], timeout=30_000)
    go(page, "Page B")  # B has a previous (A) and a next (C) page: `,` and `.` would go there
    url = page.url
    figures = page.locator("figure.mm-figure")
    still, animated = figures.nth(0), figures.nth(1)
    step = "el => mmViewer.figure(el).player.step"
    assert page.evaluate("el => mmViewer.figure(el).player", still.element_handle()) is None
    page.evaluate("el => mmViewer.figure(el).player.pause()", animated.element_handle())
    for fig in (still, animated):
        fig.focus()
        before = page.evaluate(step, animated.element_handle())
        for key in (".", ".", ","):
            page.keyboard.press(key)
        page.wait_for_timeout(400)  # instant navigation would have fetched the page by now
        assert page.url == url and page.text_content("h1").strip() == "Page B"
        if fig is animated:  # the figure had the keys: one step forward, net
            assert page.evaluate(step, animated.element_handle()) == before + 1
        # Material's search keys: `f` fits, `s` saves a PNG, `/` toggles the help.
        page.keyboard.press("f")
        with page.expect_download() as download:
            page.keyboard.press("s")
        assert download.value.suggested_filename.endswith(".png")
        page.keyboard.press("/")
        page.wait_for_timeout(200)
        assert not search_open(page)
        assert fig.locator(".mm-help").is_visible()
        page.keyboard.press("Escape")
        assert not fig.locator(".mm-help").is_visible()
        assert page.evaluate("el => document.activeElement === el", fig.element_handle())
    # Keys the figure does not use still work: Tab leaves it for its toolbar, `n` is
    # Material's next page.
    still.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('.mm-toolbar .mm-button')")
    still.focus()
    page.keyboard.press("n")
    page.wait_for_function("() => location.href.endsWith('/c/')", timeout=10_000)
    assert page.errors == []


POSTERS_LOADED = """() => {
    const shown = [...document.querySelectorAll('figure.mm-figure > img.mm-poster')]
        .filter(i => i.getClientRects().length);
    return shown.length > 0 && shown.every(i => i.complete && i.naturalWidth > 0);
}"""


def poster_pixels(page):
    """(r, g, b) of the first figure's poster as shown: at its box's corner (the
    img's CSS background) and at its top centre (the SVG's own stage), read back
    from a screenshot of the page."""
    box = page.locator("figure.mm-figure").first.bounding_box()
    shot = page.screenshot(clip=box)
    return page.evaluate(
        """async b64 => {
            const img = new Image();
            img.src = 'data:image/png;base64,' + b64;
            await img.decode();
            const c = document.createElement('canvas');
            c.width = img.width; c.height = img.height;
            const g = c.getContext('2d');
            g.drawImage(img, 0, 0);
            return [[3, 3], [Math.floor(img.width / 2), 3]].map(
                ([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)));
        }""",
        base64.b64encode(shot).decode("ascii"),
    )


def test_the_poster_follows_the_palette_before_the_viewer_runs(material_site, page):
    """No viewer at all (its script blocked): the page's CSS alone shows the poster of
    the palette, fetches only that one, and swaps it on Material's toggle."""
    page.route("**/mm-viewer.js", lambda route: route.abort())
    posters = []
    page.on("request", lambda r: posters.append(r.url) if r.url.endswith(".svg") else None)
    page.goto(material_site)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.wait_for_function(POSTERS_LOADED, timeout=15_000)
    states = page.eval_on_selector_all("figure.mm-figure", "fs => fs.map(f => f.dataset.mmState)")
    assert states == ["poster"] * COUNTS["Page A"]  # nothing mounted: the poster is all there is
    for rgb in poster_pixels(page):
        assert min(rgb) >= 245, rgb  # the light stage
    light = page.eval_on_selector_all(".mm-poster-light", "ps => ps.map(p => p.src)")
    assert sorted(posters) == sorted(light)  # the dark ones are not fetched

    palette_toggle(page)  # to the custom dark scheme (dark_schemes lists it)
    assert page.evaluate("document.body.dataset.mdColorScheme") == DARK_SCHEME
    page.wait_for_function(POSTERS_LOADED, timeout=15_000)
    for rgb in poster_pixels(page):
        assert max(rgb) <= 10, rgb  # the black stage
    dark = page.eval_on_selector_all(".mm-poster-dark", "ps => ps.map(p => p.src)")
    assert sorted(posters) == sorted(light + dark)

    palette_toggle(page)  # back: shown at once, nothing fetched again
    page.wait_for_function(POSTERS_LOADED, timeout=15_000)
    for rgb in poster_pixels(page):
        assert min(rgb) >= 245, rgb
    assert sorted(posters) == sorted(light + dark)
