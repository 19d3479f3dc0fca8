"""The magnifying lens (input/lens.js) as a reader meets it: hold Ctrl over a dense
figure, long-press, or `z`.

Measured in the page: the lens's DOM rectangle against the figure's, its pixels against
the figure's (the colour under the pointer, cell sizes from runs of one sign), the
labels' numbers against numpy, and the key events the page sees.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import open_page, wait_ready

# Rows of alternating sign, with magnitudes that differ per cell: runs of one colour
# down a column measure the rows' height on screen, and every label is checkable.
STRIPES = "(1 - 2 * (i % 2)) * (1 + (i * 64 + j) / 8192)"
# No flow arrows: nothing is seen through the gaps between the lens's discs.
DENSE = (
    "expr: out = A @ B\n"
    'nodes: {A: {shape: [96, 64], expr: "%s"}, B: {shape: [64, 96]}}\n'
    "deco: {flow_guides: 0}\n"
    "height: 420\n" % STRIPES
)
OFF = DENSE.replace("flow_guides: 0", "flow_guides: 0, lens_size: 0")
CELL = (48, 32)  # the cell of A the pointer rests on

FIG = "mmViewer.figure(document.querySelector('figure.mm-figure'))"


def a_value(i, j):
    """A[i, j] as the scene file holds it (float16) and the spec defines it."""
    v = (1 - 2 * (i % 2)) * (1 + (i * 64 + j) / 8192)
    return float(np.float16(v))


@pytest.fixture
def page(browser):
    pg = open_page(browser, viewport={"width": 900, "height": 720}, device_scale_factor=1)
    yield pg
    pg.context.close()


def record_page_keys(page):
    """Every key event that reaches the page's own listeners (window and document)."""
    page.evaluate(
        """() => { window.pageKeys = [];
            for (const t of [window, document]) for (const type of ['keydown', 'keyup'])
                t.addEventListener(type, e => pageKeys.push(type + ':' + e.key)); }"""
    )


def stage_box(page):
    return page.locator("figure.mm-figure .mm-stage").first.bounding_box()


def cell_point(page, i, j):
    """Stage CSS point of the centre of A's cell (i, j), and what the figure picks there."""
    return page.evaluate(
        """([i, j]) => { const f = %s, v = f.views.findIndex(v => v.data.name === 'A');
            const at = f.inspector.cellScreen(v, i, j);
            const hit = f.inspector.pick(at.x, at.y);
            return {x: at.x, y: at.y, cellPx: at.cellPx, hit: [f.views[hit.view].data.name, hit.i, hit.j]}; }"""
        % FIG,
        [i, j],
    )


def lens_state(page):
    return page.evaluate(
        """() => { const f = %s, l = f.lens, s = f.stage.getBoundingClientRect();
            if (!l.el) return {open: l.isOpen, shown: false, labels: [], camera: f.camera.position.toArray()};
            const r = l.el.getBoundingClientRect(), c = l.canvas.getBoundingClientRect();
            const labels = [...l.el.querySelectorAll('.mm-lens-label')].filter(e => !e.hidden)
                .map(e => { const b = e.getBoundingClientRect();
                    return {text: e.textContent, name: e.dataset.name, i: +e.dataset.i, j: +e.dataset.j,
                            box: [b.left, b.top, b.right, b.bottom]}; });
            return {open: l.isOpen, shown: !l.el.hidden && r.width > 0, mag: l.magnification,
                    stage: [s.left, s.top, s.right, s.bottom], canvas: [c.left, c.top, c.right, c.bottom],
                    pos: l.pos, labels, camera: f.camera.position.toArray()}; }"""
        % FIG
    )


# Pixels of a 2D canvas, read in the page: the figure's (`fig.ctx`) or the lens's.
PIXELS = (
    """([which, x0, y0, w, h]) => { const f = %s;
    const ctx = which === 'lens' ? f.lens.ctx : f.ctx;
    return Array.from(ctx.getImageData(x0, y0, w, h).data); }"""
    % FIG
)


def pixels(page, which, x0, y0, w, h):
    flat = page.evaluate(PIXELS, [which, int(x0), int(y0), int(w), int(h)])
    return np.array(flat, dtype=float).reshape(int(h), int(w), 4)[..., :3]


def signs(line):
    """+1 (cyan), −1 (red) or 0 (grey: the paper, in either theme, or a guide line) per pixel."""
    out = []
    for r, g, b in line:
        out.append(0 if max(r, g, b) - min(r, g, b) < 60 else (1 if b > r else -1))
    return out


def sign_runs(band):
    """Mean length of the runs of one sign down a band of pixels (rows × a few columns):
    each pixel row's sign is its band's majority, grey rows (gaps between discs) are
    skipped; the rows' height along the band, in pixels."""
    seq = []
    for line in band:
        total = sum(signs(line))
        if total:
            seq.append(1 if total > 0 else -1)
    changes = sum(1 for a, b in zip(seq, seq[1:]) if a != b)
    return len(band) / max(1, changes)


def test_holding_ctrl_shows_a_magnified_lens_with_exact_values(serve, page):
    page.goto(serve([DENSE]))
    wait_ready(page)
    record_page_keys(page)
    box = stage_box(page)
    at = cell_point(page, *CELL)
    assert at["hit"] == ["A", *CELL]
    assert at["cellPx"] < 6  # a dense figure: cells a few pixels wide
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    before = lens_state(page)
    assert not before["shown"]

    page.keyboard.down("Control")
    page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
    state = lens_state(page)
    assert state["open"] and state["shown"]
    # The square is inside the figure, above the pointer.
    left, top, right, bottom = state["canvas"]
    s_left, s_top, s_right, s_bottom = state["stage"]
    assert s_left <= left and right <= s_right and s_top <= top and bottom <= s_bottom
    assert right - left == pytest.approx(bottom - top) == pytest.approx(0.5 * 420, abs=1)
    assert bottom <= box["y"] + at["y"]
    assert left < box["x"] + at["x"] < right

    # Its centre shows the cell under the pointer: the same hue as the figure there.
    size = int(right - left)
    centre = pixels(page, "lens", size // 2 - 1, size // 2 - 1, 3, 3).mean(axis=(0, 1))
    under = pixels(page, "fig", at["x"] - 0.5, at["y"] - 0.5, 1, 1)[0, 0]
    sign = np.sign(a_value(*CELL))
    for rgb in (centre, under):
        assert max(rgb) > 60  # an element, not the paper
        assert np.sign(rgb[2] - rgb[0]) == sign  # cyan for +, red for −
    # Fewer, bigger cells: a line down the lens crosses rows `mag` times taller than the
    # same line down the figure around the pointer.
    mag = state["mag"]
    assert mag == 7
    half = size / (2 * mag)
    inside = sign_runs(pixels(page, "lens", size // 2 - mag, 0, 2 * mag, size))
    outside = sign_runs(pixels(page, "fig", at["x"] - 1, at["y"] - half, 2, 2 * half))
    assert 2 <= outside <= 6  # a few pixels per row
    assert inside == pytest.approx(mag * outside, rel=0.25), (inside, outside)
    # Pixel for pixel: the lens is the figure around the pointer, scaled `mag` times.
    # Each lens pixel that shows an element has the sign of the figure's pixel it maps to.
    lens_px = pixels(page, "lens", 0, 0, size, size)
    x0, y0 = int(at["x"] - half - 2), int(at["y"] - half - 2)
    fig_px = pixels(page, "fig", x0, y0, 2 * half + 4, 2 * half + 4)
    agree = total = 0
    for ly in range(1, size, 3):
        row = signs(lens_px[ly])
        for lx in range(1, size, 3):
            fx = at["x"] + (lx + 0.5 - size / 2) / mag - x0
            fy = at["y"] + (ly + 0.5 - size / 2) / mag - y0
            want = signs([fig_px[int(fy), int(fx)]])[0]
            if row[lx] and want:
                total += 1
                agree += row[lx] == want
    assert total > 200 and agree / total > 0.85, (agree, total)

    # The labels: the exact stored values of cells around the pointer, inside the lens,
    # never overlapping, the nearest one (the cell under the pointer) among them.
    labels = state["labels"]
    assert labels and all(lb["name"] == "A" for lb in labels)
    assert any((lb["i"], lb["j"]) == CELL for lb in labels)
    for lb in labels:
        assert abs(lb["i"] - CELL[0]) <= 3 and abs(lb["j"] - CELL[1]) <= 3
        assert float(lb["text"]) == float("%.5g" % a_value(lb["i"], lb["j"]))
        l0, t0, r0, b0 = lb["box"]
        assert left <= l0 and r0 <= right and top <= t0 and b0 <= bottom
        for other in labels:
            if other is lb:
                continue
            l1, t1, r1, b1 = other["box"]
            assert r0 <= l1 or r1 <= l0 or b0 <= t1 or b1 <= t0
    assert not page.is_visible(".mm-tooltip")  # the lens shows the values now

    # It follows the pointer; the camera stays (no orbit while it is up).
    nxt = cell_point(page, CELL[0] + 6, CELL[1] + 4)
    page.mouse.move(box["x"] + nxt["x"], box["y"] + nxt["y"])
    page.wait_for_function(
        "([x, y]) => { const p = %s.lens.pos; return Math.hypot(p.x - x, p.y - y) < 1.5; }" % FIG,
        arg=[nxt["x"], nxt["y"]],
    )
    moved = lens_state(page)
    assert moved["camera"] == before["camera"]
    assert any((lb["i"], lb["j"]) == (CELL[0] + 6, CELL[1] + 4) for lb in moved["labels"])

    # Ctrl+wheel still zooms the figure (how an unfocused figure zooms); the lens stays.
    distance = page.evaluate(
        "() => %s.camera.position.distanceTo(%s.controls.orbit.target)" % (FIG, FIG)
    )
    page.mouse.wheel(0, -200)
    page.wait_for_function(
        "(d) => %s.camera.position.distanceTo(%s.controls.orbit.target) < 0.95 * d" % (FIG, FIG),
        arg=distance,
    )
    assert lens_state(page)["open"] and page.evaluate("scrollY") == 0

    # Released: gone.  The page saw neither the key going down nor up.
    page.keyboard.up("Control")
    page.wait_for_function("() => !%s.lens.isOpen" % FIG)
    assert not lens_state(page)["shown"]
    assert page.evaluate("pageKeys") == []
    # Again, without moving: it opens where it was; Esc closes it (the figure is not focused).
    page.keyboard.down("Control")
    page.wait_for_function("() => %s.lens.labelCount > 0 && !%s.lens.el.hidden" % (FIG, FIG))
    page.keyboard.press("Escape")
    assert not lens_state(page)["open"]
    page.keyboard.up("Control")
    assert page.evaluate("pageKeys") == ["keyup:Escape", "keyup:Escape"]  # (keyups are not handled)
    page.evaluate("() => { pageKeys.length = 0; }")
    # A key the figure does not handle still reaches the page.
    page.keyboard.press("n")
    assert page.evaluate("pageKeys") == ["keydown:n", "keydown:n", "keyup:n", "keyup:n"]
    assert page.errors == []


def test_z_and_escape_and_long_press(serve, page):
    page.goto(serve([DENSE]))
    wait_ready(page)
    box = stage_box(page)
    at = cell_point(page, *CELL)
    page.focus("figure.mm-figure")
    page.keyboard.press("?")
    assert "hold Ctrl · long-press · z" in page.text_content(".mm-help")
    page.keyboard.press("?")
    record_page_keys(page)
    # `z` opens it at the keyboard probe once there is one, and it follows the probe.
    page.keyboard.press("m")  # the probe, on the first matrix (A)
    probe = page.evaluate("() => %s.inspector.probe" % FIG)
    page.keyboard.press("z")
    page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
    labels = lens_state(page)["labels"]
    assert any((lb["i"], lb["j"]) == (probe["i"], probe["j"]) for lb in labels)
    page.keyboard.press("k")
    page.wait_for_function(
        "(i) => [...document.querySelectorAll('.mm-lens-label')].some(e => !e.hidden && +e.dataset.i === i + 1"
        " && +e.dataset.j === %d)" % probe["j"],
        arg=probe["i"],
    )
    page.keyboard.press("Escape")
    assert not lens_state(page)["open"]
    page.keyboard.press("z")
    assert lens_state(page)["open"]
    page.keyboard.press("z")
    assert not lens_state(page)["open"]
    # The figure's keys stop at the figure (keyups are not handled: they go on, as before).
    assert [k for k in page.evaluate("pageKeys") if k.startswith("keydown")] == []

    # A long press (500 ms still) opens it; dragging then moves the lens, not the camera.
    home = lens_state(page)["camera"]
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.mouse.down()
    page.wait_for_timeout(250)
    assert not lens_state(page)["open"]  # not yet
    page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
    page.mouse.move(box["x"] + at["x"] + 40, box["y"] + at["y"] + 30, steps=5)
    state = lens_state(page)
    assert state["open"] and state["camera"] == home
    assert state["pos"]["x"] == pytest.approx(at["x"] + 40, abs=1)
    page.mouse.up()
    assert not lens_state(page)["open"]
    # A drag that moves at once is an orbit, never a lens.
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + at["x"] + 60, box["y"] + at["y"], steps=5)
    page.wait_for_timeout(700)
    assert not lens_state(page)["open"]
    page.mouse.up()
    assert lens_state(page)["camera"] != home
    assert page.errors == []


def test_the_lens_in_both_themes_and_off_with_lens_size_0(serve, page):
    url = serve([DENSE, OFF])
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(url)
        wait_ready(page)
        box = stage_box(page)
        at = cell_point(page, *CELL)
        page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
        page.keyboard.down("Control")
        page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
        # The labels are legible on the page's palette: ink on the panel colour.
        colours = page.evaluate(
            """() => { const e = document.querySelector('.mm-lens-label:not([hidden])');
                const s = getComputedStyle(e);
                return [s.color, s.backgroundColor].map(c => c.match(/[\\d.]+/g).slice(0, 3).map(Number)); }"""
        )
        ink, panel = (np.array(c) for c in colours)
        assert abs(ink.mean() - panel.mean()) > 150, scheme
        # Under the toolbar the lens keeps clear of it (above would cover it).
        bar = page.locator(".mm-toolbar").first.bounding_box()
        page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] + 150)
        page.wait_for_function(
            "(y) => Math.abs(%s.lens.pos.y - y) < 1.5" % FIG,
            arg=bar["y"] + bar["height"] + 150 - box["y"],
        )
        left, top, right, bottom = lens_state(page)["canvas"]
        clear = (right <= bar["x"] or bar["x"] + bar["width"] <= left or bottom <= bar["y"]) or bar[
            "y"
        ] + bar["height"] <= top
        assert clear, (left, top, right, bottom, bar)
        assert box["x"] <= left and right <= box["x"] + box["width"]
        page.keyboard.up("Control")
    # lens_size: 0: Ctrl and `z` do nothing (the tooltip still shows values).
    figs = page.locator("figure.mm-figure")
    second = figs.nth(1)
    second.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('figure.mm-figure')[1].dataset.mmState === 'ready'"
    )
    b = second.locator(".mm-stage").bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] * 0.6)
    page.keyboard.down("Control")
    page.keyboard.up("Control")
    second.focus()
    page.keyboard.press("z")
    off = page.evaluate(
        "() => { const l = mmViewer.figure(document.querySelectorAll('figure.mm-figure')[1]).lens;"
        " return [l.enabled, l.isOpen, l.el]; }"
    )
    assert off == [False, False, None]  # never opened: no lens elements at all
    assert page.errors == []


# Values numpy can check: A[i, k] = (i − k) / 8, B[k, j] = (k + 2j) / 16 − 1.
ANIMATED = (
    "expr: out = A @ B\n"
    'nodes: {A: {shape: [24, 16], expr: "(i - j) / 8"}, B: {shape: [16, 24], expr: "(i + 2 * j) / 16 - 1"}}\n'
    "anim: vmprod\n"
    "deco: {interior_spotlight: true, spotlight: 3, flow_guides: 0}\n"
    "height: 420\n"
)

# The screen point of cell (r, c) of the first product face the current step shows.
PRODUCT_AT = (
    """([r, c]) => { const f = %s, face = f.anim.productFaces()[0], b = face.data.blocks[0];
    const u = r - b.rows[0] + 0.5, v = c - b.cols[0] + 0.5;
    const p = f.camera.position.clone().set(
        b.origin[0] + u * face.a0.x + v * face.a1.x, b.origin[1] + u * face.a0.y + v * face.a1.y,
        b.origin[2] + u * face.a0.z + v * face.a1.z);
    const dist = p.distanceTo(f.camera.position);
    p.project(f.camera);
    const [w, h] = f.cssSize, x = (p.x + 1) / 2 * w, y = (1 - p.y) / 2 * h;
    const front = f.inspector.pick(x, y);
    return {x, y, hidden: Boolean(front && front.t < dist), axes: face.axes, fixed: face.fixed}; }"""
    % FIG
)


def test_interior_spotlight_labels_the_products_inside_the_cube(serve, page):
    page.emulate_media(reduced_motion="reduce")
    page.goto(serve([ANIMATED]))
    wait_ready(page)
    page.evaluate("() => %s.seek(8)" % FIG)  # vmprod at row i = 8: the k × j plane of products
    box = stage_box(page)
    k, j = 8, 12
    at = page.evaluate(PRODUCT_AT, [k, j])
    assert at["axes"] == [2, 1, 0] and at["fixed"] == 8 and not at["hidden"]
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.keyboard.down("Control")
    page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
    products = page.evaluate(
        """() => [...document.querySelectorAll('.mm-lens-label')]
            .filter(e => !e.hidden && e.dataset.state === 'product')
            .map(e => [e.textContent, +e.dataset.i, +e.dataset.j, +e.dataset.k])"""
    )
    assert products, "no product labelled"
    assert any((pi, pj, pk) == (8, j, k) for _, pi, pj, pk in products)

    def stored(v):
        return float(np.float16(v))

    for text, pi, pj, pk in products:
        assert pi == 8 and abs(pj - j) <= 3 and abs(pk - k) <= 3
        want = stored((pi - pk) / 8) * stored((pk + 2 * pj) / 16 - 1)
        assert float(text) == float("%.5g" % want), (text, pi, pj, pk)
    page.keyboard.up("Control")
    # Without interior_spotlight the same lens labels no product.
    page.evaluate("() => %s.setDeco({interior_spotlight: false})" % FIG)
    page.keyboard.down("Control")
    page.wait_for_function("() => %s.lens.isOpen" % FIG)
    page.wait_for_timeout(100)
    states = page.evaluate(
        "() => [...document.querySelectorAll('.mm-lens-label')].filter(e => !e.hidden).map(e => e.dataset.state)"
    )
    assert "product" not in states
    page.keyboard.up("Control")
    assert page.errors == []


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


def finger(page, kind, x, y):
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 0}]
    page.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_long_press_opens_the_lens_and_leaves_the_value_shown(serve, phone):
    page = phone
    page.goto(serve([DENSE]))
    wait_ready(page)
    box = stage_box(page)
    at = cell_point(page, *CELL)
    x, y = box["x"] + at["x"], box["y"] + at["y"]
    home = lens_state(page)["camera"]
    # The figure is not active yet (fingers scroll the page): a still finger still opens it.
    finger(page, "touchStart", x, y)
    page.wait_for_timeout(300)
    assert not lens_state(page)["open"]
    page.wait_for_function("() => %s.lens.labelCount > 0" % FIG)
    assert any((lb["i"], lb["j"]) == CELL for lb in lens_state(page)["labels"])
    finger(page, "touchEnd", x, y)
    assert not lens_state(page)["open"]
    tip = page.evaluate(
        "() => { const t = document.querySelector('.mm-tooltip');"
        " return t.hidden ? null : [t.dataset.name, +t.dataset.i, +t.dataset.j]; }"
    )
    assert tip == ["A", *CELL]  # the value stays, as a long-press showed it before
    # Active now: a long-press then a slide moves the lens; the figure does not turn.
    finger(page, "touchStart", x, y)
    page.wait_for_function("() => %s.lens.isOpen" % FIG)
    for n in range(1, 6):
        finger(page, "touchMove", x + 6 * n, y + 4 * n)
    page.wait_for_function("(x) => Math.abs(%s.lens.pos.x - x) < 1.5" % FIG, arg=at["x"] + 30)
    assert lens_state(page)["camera"] == home
    finger(page, "touchEnd", x + 30, y + 20)
    assert not lens_state(page)["open"]
    assert page.evaluate("scrollY") == 0
    assert page.errors == []
