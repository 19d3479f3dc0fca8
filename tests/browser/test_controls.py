"""The figure's controls as a reader meets them: the animation bar under the drawing,
a page that does not move when figures mount, the help overlay, fingers on a phone.

Measured in the page: DOM rectangles, the page's layout shifts, pixels.
"""

from __future__ import annotations

import pytest

from .conftest import open_page, wait_ready

ANIMATED = (
    "expr: A @ B @ C\nnodes: {A: {shape: [12, 8]}, C: {shape: [10, 6]}}\nanim: vmprod\n"
    "height: 320\n"
)
STILL = "expr: A @ B\nnodes: {A: {shape: [8, 4]}, B: {shape: [4, 6]}}\nheight: 300\n"

# Every layout shift since the page started (Chromium's Layout Instability API).
SHIFTS = """() => new Promise(resolve => {
    const seen = [];
    new PerformanceObserver(list => seen.push(...list.getEntries()))
        .observe({type: 'layout-shift', buffered: true});
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(seen.map(e => e.value))));
})"""

# Document y of each figure's box and of what follows it, and its parts' rectangles.
LAYOUT = """() => [...document.querySelectorAll('figure.mm-figure')].map(f => {
    const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
        return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; };
    return {figure: box(f), stage: box(f.querySelector(':scope > .mm-stage')),
            bar: box(f.querySelector(':scope > .mm-playbar')), poster: box(f.querySelector('.mm-poster')),
            after: box(f.nextElementSibling), state: f.dataset.mmState};
})"""


def test_the_animation_bar_is_a_strip_under_the_stage_and_mounting_moves_nothing(serve, page):
    page.goto(serve([ANIMATED, STILL, STILL]))
    wait_ready(page)
    assert sum(page.evaluate(SHIFTS)) == 0  # the posters held the live figures' places
    animated, still = page.evaluate(LAYOUT)[:2]
    # The declared heights hold, bar included.
    assert animated["figure"]["bottom"] - animated["figure"]["top"] == 320
    assert still["figure"]["bottom"] - still["figure"]["top"] == 300
    # The bar: under the stage, the figure's width, inside the figure; stills have none.
    bar, stage = animated["bar"], animated["stage"]
    assert bar["top"] >= stage["bottom"] - 0.01
    assert bar["bottom"] == animated["figure"]["bottom"]
    assert (bar["left"], bar["right"]) == (stage["left"], stage["right"])
    assert still["bar"] is None and still["stage"] == still["figure"]
    # Nothing of the bar's is over the drawing: the stage's lowest row is the stage's.
    at = page.evaluate(
        """() => { const s = document.querySelector('.mm-stage').getBoundingClientRect();
                   return document.elementFromPoint(s.left + s.width / 2, s.bottom - 1)
                       .closest('.mm-stage, .mm-playbar').className; }"""
    )
    assert at.startswith("mm-stage")
    # Back to posters and mounted again: everything below stays where it was.
    mounted = page.evaluate(LAYOUT)
    page.evaluate(
        "() => document.querySelectorAll('figure.mm-figure').forEach(f => mmViewer.unmount(f))"
    )
    posters = page.evaluate(LAYOUT)
    assert [p["state"] for p in posters] == ["poster"] * 3
    assert [p["after"] for p in posters] == [m["after"] for m in mounted]
    page.evaluate(
        "() => document.querySelectorAll('figure.mm-figure').forEach(f => mmViewer.mount(f))"
    )
    wait_ready(page)
    assert page.evaluate(LAYOUT) == mounted
    assert page.errors == []


def test_the_animation_bar_is_reached_with_tab_from_its_figure(serve, page):
    page.goto(serve([ANIMATED]))
    wait_ready(page)
    page.focus("figure.mm-figure")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.getAttribute('aria-label')"))
        if page.evaluate("() => Boolean(document.activeElement.closest('.mm-playbar'))"):
            break
    assert reached[-1] == "Step back", reached
    page.keyboard.press("Enter")  # the bar's button, not the figure's keys
    assert (
        page.evaluate(
            "() => mmViewer.figure(document.querySelector('figure.mm-figure')).player.playing"
        )
        is False
    )


# The screen's pixels in a CSS-pixel rectangle of the page, as [[r, g, b], ...]: a
# screenshot decoded by the page itself (an <img> drawn on a 2D canvas).
def screen_pixels(page, box):
    import base64

    png = page.screenshot(clip=box)
    return page.evaluate(
        """async (src) => {
            const img = new Image(); img.src = src; await img.decode();
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const g = c.getContext('2d'); g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data, out = [];
            for (let k = 0; k < d.length; k += 4) out.push([d[k], d[k + 1], d[k + 2]]);
            return out;
        }""",
        "data:image/png;base64," + base64.b64encode(png).decode(),
    )


BUSY = "expr: out = A @ B\nnodes: {A: {shape: [32, 24]}, B: {shape: [24, 32]}}\n"


def test_the_help_overlay_hides_the_figure_behind_it(serve, page):
    url = serve([BUSY])
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(url)
        wait_ready(page)
        assert page.get_attribute("figure.mm-figure", "data-mm-theme") == scheme
        page.focus("figure.mm-figure")
        page.keyboard.press("?")
        help_box = page.locator(".mm-help").bounding_box()
        inset = 6  # inside the border and the rounded corners
        box = {
            "x": help_box["x"] + inset,
            "y": help_box["y"] + inset,
            "width": help_box["width"] - 2 * inset,
            "height": help_box["height"] - 2 * inset,
        }
        background = page.evaluate(
            """() => getComputedStyle(document.querySelector('.mm-help')).backgroundColor
                     .match(/[\\d.]+/g).slice(0, 3).map(Number)"""
        )
        paper = page.evaluate(
            """() => getComputedStyle(document.querySelector('.mm-stage')).backgroundColor
                     .match(/[\\d.]+/g).slice(0, 3).map(Number)"""
        )
        # Its text made invisible, the overlay is its background colour, pixel for pixel…
        page.add_style_tag(content=".mm-help * { color: transparent !important; }")
        pixels = screen_pixels(page, box)
        assert sum(p != background for p in pixels) == 0, scheme
        # …over a part of the figure with plenty drawn in it.
        page.keyboard.press("?")
        behind = screen_pixels(page, box)
        assert sum(p != paper for p in behind) > len(behind) // 20, scheme
    assert page.errors == []


# ---------------------------------------------------------------------- touch

FIG = "mmViewer.figure(document.querySelector('figure.mm-figure'))"


@pytest.fixture
def phone(browser):
    """A phone-sized touch page; ``phone.cdp`` sends raw touch events."""
    pg = open_page(
        browser,
        viewport={"width": 390, "height": 700},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=1,
    )
    pg.cdp = pg.context.new_cdp_session(pg)
    yield pg
    pg.context.close()


def touch(page, *strokes, steps=10):
    """Fingers down at once, each along its stroke ((x0, y0), (x1, y1)) in viewport px, then up."""

    def points(t):
        return [
            {"x": x0 + (x1 - x0) * t, "y": y0 + (y1 - y0) * t, "id": n}
            for n, ((x0, y0), (x1, y1)) in enumerate(strokes)
        ]

    send = page.cdp.send
    send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for k in range(1, steps + 1):
        send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(k / steps)})
    send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def scroll_top(page):
    """Back to the top once a fling from the last swipe has ended."""
    page.evaluate(
        """() => new Promise(done => { let last = -1, still = 0;
            const look = () => { still = scrollY === last ? still + 1 : 0; last = scrollY;
                                 if (still < 10) requestAnimationFrame(look); else done(); };
            look(); })"""
    )
    page.evaluate("() => scrollTo(0, 0)")
    assert page.evaluate("scrollY") == 0


def camera(page):
    return page.evaluate(
        "() => { const f = %s; return {position: f.camera.position.toArray(),"
        " distance: f.camera.position.distanceTo(f.controls.orbit.target)}; }" % FIG
    )


def focused(page):
    return page.evaluate(
        "() => document.querySelector('figure.mm-figure').contains(document.activeElement)"
    )


def tooltip(page):
    return page.evaluate(
        """() => { const t = document.querySelector('.mm-tooltip');
                   return t.hidden ? null : [t.dataset.name, +t.dataset.i, +t.dataset.j]; }"""
    )


def test_fingers_scroll_the_page_until_a_tap_then_turn_zoom_and_inspect(serve, phone):
    page = phone
    page.goto(serve([BUSY, STILL, STILL]))
    page.wait_for_function(
        "() => document.querySelector('figure.mm-figure').dataset.mmState === 'ready'"
    )
    page.evaluate(
        "() => document.body.insertAdjacentHTML('afterbegin', '<p id=lead>Some text.</p>')"
    )
    box = page.locator("figure.mm-figure canvas").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    home = camera(page)

    # Not active: a finger dragged up over the figure scrolls the page, the figure stays.
    touch(page, ((cx, cy + 150), (cx, cy - 150)))
    page.wait_for_function("() => scrollY > 100")
    assert camera(page) == home and not focused(page)
    scroll_top(page)
    # Sideways (the browser leaves it to the page): still no turn, a hint says how.
    touch(page, ((cx - 100, cy), (cx + 100, cy)))
    assert camera(page) == home
    assert page.text_content(".mm-hint") == "Tap the figure, then drag to turn it"

    # A tap on a cell: the figure is active and shows that cell's value.
    cell = page.evaluate(
        """() => { const f = %s, v = f.views.findIndex(v => v.data.name === 'out');
                   return f.inspector.cellScreen(v, 20, 9); }"""
        % FIG
    )
    page.touchscreen.tap(box["x"] + cell["x"], box["y"] + cell["y"])
    assert tooltip(page) == ["out", 20, 9]
    assert focused(page) and camera(page) == home
    assert not page.is_visible(".mm-hint")  # done what it said
    # A tap on empty space hides it.
    corner = (4, box["height"] - 4)
    assert page.evaluate("([x, y]) => %s.inspector.pick(x, y)" % FIG, corner) is None
    page.touchscreen.tap(box["x"] + corner[0], box["y"] + corner[1])
    assert tooltip(page) is None

    # Active: one finger turns the figure (the page stays), two fingers apart zoom in.
    touch(page, ((cx - 80, cy), (cx + 80, cy)))
    turned = camera(page)
    assert turned["position"] != home["position"]
    assert turned["distance"] == pytest.approx(home["distance"])
    assert page.evaluate("scrollY") == 0
    touch(page, ((cx - 20, cy), (cx - 120, cy)), ((cx + 20, cy), (cx + 120, cy)))
    assert camera(page)["distance"] < 0.6 * turned["distance"]

    # A tap elsewhere on the page: the figure lets go, its tapped value goes, and a
    # finger over it scrolls the page again.
    spot = page.evaluate(
        """([w, h]) => { const f = %s;
            for (let y = 20; y < h; y += 20) for (let x = 20; x < w; x += 20) {
                const hit = f.inspector.pick(x, y);
                if (hit) return {x, y, i: hit.i, j: hit.j, name: f.views[hit.view].data.name};
            } }"""
        % FIG,
        [box["width"], box["height"]],
    )
    page.touchscreen.tap(box["x"] + spot["x"], box["y"] + spot["y"])
    assert tooltip(page) == [spot["name"], spot["i"], spot["j"]]
    lead = page.locator("#lead").bounding_box()
    page.touchscreen.tap(lead["x"] + 20, lead["y"] + lead["height"] / 2)  # the text above
    assert tooltip(page) is None and not focused(page)
    zoomed = camera(page)
    touch(page, ((cx, cy + 150), (cx, cy - 150)))
    page.wait_for_function("() => scrollY > 100")
    assert camera(page) == zoomed
    assert page.errors == []


# The toolbar buttons a reader can see, by their labels, left to right.
TOOLBAR = """() => [...document.querySelectorAll('figure.mm-figure .mm-toolbar > *')]
    .filter(b => b.getClientRects().length)
    .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
    .map(b => b.getAttribute('aria-label'))"""

ALL_BUTTONS = [
    "Reset view",
    "Fit in view",
    "Save as PNG",
    "Copy a link to this figure",
    "Open in full view",
    "Keyboard and mouse help",
]


def test_a_narrow_figure_folds_its_toolbar_and_more_shows_the_rest(serve, browser):
    page = open_page(browser, viewport={"width": 390, "height": 844})
    try:
        page.goto(serve([STILL]))
        wait_ready(page)
        assert page.evaluate(TOOLBAR) == ["Open in full view", "More controls"]
        # The width of the rectangle labels keep off (a quad: x0, y0, x1, y0, x1, y1, ...).
        reserved = "() => (q => q[2] - q[0])(mmViewer.figure(document.querySelector('figure')).labels.reserved[0])"
        folded = page.evaluate(reserved)
        assert folded == pytest.approx(page.locator(".mm-toolbar").bounding_box()["width"], abs=1)
        more = page.get_by_role("button", name="More controls")
        assert more.get_attribute("aria-expanded") == "false"
        more.click()
        assert page.evaluate(TOOLBAR) == ALL_BUTTONS + ["More controls"]
        assert more.get_attribute("aria-expanded") == "true"
        # Labels keep off the toolbar as it is now: the reserved rectangle grew with it.
        assert page.evaluate(reserved) > 3 * folded
        page.keyboard.press("Escape")
        assert page.evaluate(TOOLBAR) == ["Open in full view", "More controls"]
        assert page.errors == []
    finally:
        page.context.close()


def test_a_wide_figure_shows_its_whole_toolbar(serve, page):
    page.goto(serve([STILL]))
    wait_ready(page)
    assert page.evaluate(TOOLBAR) == ALL_BUTTONS


def test_the_step_count_is_written_as_a_reader_would(serve, browser):
    one = "expr: x @ W\nnodes: {x: {shape: [1, 8]}, W: {shape: [8, 6]}}\nanim: vmprod\n"
    page = open_page(browser, viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    try:
        page.goto(serve([one, ANIMATED]))  # reduced motion: no autoplay, the count shows
        wait_ready(page)
        counts = page.locator("figure.mm-figure .mm-playbar").all_inner_texts()
        assert "1 step\n" in counts[0] + "\n" and "1 steps" not in counts[0], counts
        assert " steps" in counts[1], counts
    finally:
        page.context.close()
