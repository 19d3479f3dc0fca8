"""The figure's controls as a reader meets them: the animation bar under the drawing,
a page that does not move when figures mount, the help overlay, the figure's label.

Measured in the page: DOM rectangles, the page's layout shifts, pixels.
"""

from __future__ import annotations

from .conftest import wait_ready

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
    page.evaluate("() => document.querySelectorAll('figure.mm-figure').forEach(f => mmViewer.unmount(f))")
    posters = page.evaluate(LAYOUT)
    assert [p["state"] for p in posters] == ["poster"] * 3
    assert [p["after"] for p in posters] == [m["after"] for m in mounted]
    page.evaluate("() => document.querySelectorAll('figure.mm-figure').forEach(f => mmViewer.mount(f))")
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
    assert page.evaluate(
        "() => mmViewer.figure(document.querySelector('figure.mm-figure')).player.playing"
    ) is False
