"""The animation in a real browser: a step changes exactly the expected region, the
plane of products sits inside the cube at the current index, vvprod shows running
partial sums, the controls drive the player, fused chains move together, reduced
motion does not autoplay, off-screen figures do no work, no console errors.

Expectations come from the Python core (`build`): geometry from ``scene.cubes`` and
``scene.matrices``, values from ``scene.inputs``, pixels projected with the scene's
camera.  Steps are set with ``fig.seek``, which redraws synchronously.
"""

from __future__ import annotations

import math

import numpy as np

from mm_docs_plugin.core import build, parse_spec

from .conftest import wait_ready
from .project import project
from .test_viewer import canvas_box, hue_near, is_negative_hue, is_positive_hue

FIG = "mmViewer.figure(document.querySelector('figure.mm-figure'))"

# L[i,k] and R[k,j] are ±1 in bands, so every product is ±1 and its sign varies with
# i, j and k; every element of L @ R is ±2 (nothing is zero, so everything revealed
# is drawn).  Inputs are hidden (hide_inputs) and discs small, so the plane inside
# the cube can be seen between the result's discs.
VMPROD = (
    "expr: L @ R\nnodes:\n"
    '  L: {shape: [8, 6], expr: "(-2 * (trunc(i / 2) % 2) + 1) * (-2 * trunc(j / 4) + 1)"}\n'
    '  R: {shape: [6, 8], expr: "-2 * (trunc(j / 3) % 2) + 1"}\n'
    "anim: {alg: vmprod, hide_inputs: true}\n"
    "colors: {elem_scale: 0.6}\n"
    "deco: {legends: 0, flow_guides: 0, row_guides: 0}\n"
)


def fig_eval(page, body, arg=None):
    """Evaluate `body` (a function body using `fig` and `arg`) on the first figure."""
    return page.evaluate("arg => { const fig = %s; %s }" % (FIG, body), arg)


def seek(page, step):
    fig_eval(page, "fig.player.pause(); fig.setDeco({grid: 0}); fig.seek(arg);", step)


def xy(scene, point, box):
    return project(point, scene.camera, box["width"], box["height"])


def crossing(camera, point, origin, a0, a1):
    """Where the segment from the camera to `point` crosses the plane through `origin`
    spanned by unit axes a0, a1, in cells along (a0, a1); None if it does not, before `point`."""
    c = np.asarray(camera.position, float)
    d = np.asarray(point, float) - c
    o, a0, a1 = (np.asarray(v, float) for v in (origin, a0, a1))
    normal = np.cross(a0, a1)
    denom = d @ normal
    if abs(denom) < 1e-12:
        return None
    t = ((o - c) @ normal) / denom
    if not 0 < t < 1 - 1e-6:
        return None
    hit = c + t * d - o
    return hit @ a0, hit @ a1


def near_disc(uv, rows, cols, shown=lambda r, c: True, radius=0.35):
    """Whether a crossing (u, v) lies within `radius` cells of a drawn element's centre."""
    if uv is None:
        return False
    u, v = uv
    if not (0 <= u < rows and 0 <= v < cols):
        return False
    r, c = math.floor(u), math.floor(v)
    return shown(r, c) and math.hypot(u - r - 0.5, v - c - 0.5) < radius


def hue_sign(hue):
    if hue is None:
        return None
    if is_positive_hue(hue):
        return 1
    if is_negative_hue(hue):
        return -1
    return 0


def test_a_vmprod_step_reveals_rows_up_to_i_and_draws_the_plane_of_row_i(serve, page):
    page.goto(serve([VMPROD]))
    wait_ready(page)
    scene = build(parse_spec(VMPROD))
    cube = scene.cubes[0]
    result = scene.matrices[cube.result]
    L, R = scene.inputs["L"], scene.inputs["R"]
    values = L @ R
    box = canvas_box(page)
    I, J, K = cube.size
    for s in (2, 5):
        seek(page, s)
        assert fig_eval(page, "return fig.player.step;") == s
        # The result: rows 0..s drawn with their signs, rows below s not drawn.
        for i in range(I):
            for j in range(J):
                sign = hue_sign(hue_near(page, *xy(scene, result.element_center(i, j), box)))
                if i <= s:
                    assert sign == np.sign(values[i, j]), "result (%d, %d) at step %d" % (i, j, s)
                else:
                    assert sign is None, "result (%d, %d) drawn at step %d" % (i, j, s)

        def hidden_by_result(point, s=s):
            uv = crossing(scene.camera, point, result.origin, *result.axes)
            return near_disc(uv, I, J, shown=lambda r, c: r <= s)

        # The plane: interior cell (s, j, k) shows the sign of L[s,k]·R[k,j] …
        ui, uj, uk = cube.axes
        plane_origin = np.add(cube.origin, np.multiply(ui, cube.coord(0, s)))
        drawn = 0
        for j in range(J):
            for k in range(K):
                p = cube.cell_center(s, j, k)
                if hidden_by_result(p):
                    continue
                sign = hue_sign(hue_near(page, *xy(scene, p, box)))
                assert sign == np.sign(L[s, k] * R[k, j]), "plane cell (%d, %d, %d)" % (s, j, k)
                drawn += 1
        # … and two rows further down there is no plane (unless row s's plane is in front).
        empty = 0
        for j in range(J):
            for k in range(K):
                p = cube.cell_center(s + 2, j, k)
                in_front = crossing(scene.camera, p, plane_origin, uj, uk)
                if hidden_by_result(p) or near_disc(in_front, J, K, radius=0.5):
                    continue
                assert hue_near(page, *xy(scene, p, box)) is None, "a plane at (%d, %d, %d)" % (
                    s + 2,
                    j,
                    k,
                )
                empty += 1
        assert drawn >= 12 and empty >= 6, (drawn, empty)
    # hide_inputs: the leaf faces draw no elements.
    left = scene.matrices[cube.left]
    assert hue_near(page, *xy(scene, left.element_center(0, 0), box)) is None
    assert page.errors == []


def partial_sums(L, R, k_splits, t):
    """Σ over the first t+1 cube-local k of every k block of L[i,k]·R[k,j]."""
    out = np.zeros((L.shape[0], R.shape[1]))
    for a, b in zip(k_splits, k_splits[1:]):
        for k in range(a, min(b, a + t + 1)):
            out += np.outer(L[:, k], R[k, :])
    return out


VVPROD = (
    "expr: L @ R\nnodes:\n"
    # products are ±1 for k < 3 and ±2 of the other sign after: the running sum flips sign.
    '  L: {shape: [6, 6], expr: "(-2 * (trunc(i / 3) % 2) + 1) * (1 - 3 * trunc(j / 3))"}\n'
    '  R: {shape: [6, 6], expr: "-2 * (trunc(j / 3) % 2) + 1"}\n'
    "anim: {alg: vvprod}\n"
    "deco: {legends: 0, flow_guides: 0, row_guides: 0}\n"
)
VVPROD_BLOCKS = (
    "expr: L @ R\nnodes:\n"
    # two k blocks of 3; per block the products run +1, +1, -2 and +1, -2, -2 (times the
    # sign of (i, j)): running sums over both blocks 2, 1, -3.
    '  L: {shape: [6, 6], expr: "(-2 * (trunc(i / 3) % 2) + 1) * (j == 2 or j >= 4 ? -2 : 1)"}\n'
    '  R: {shape: [6, 6], expr: "-2 * (trunc(j / 3) % 2) + 1"}\n'
    "anim: {alg: vvprod}\nblocks: {k: 2}\n"
    "deco: {legends: 0, flow_guides: 0, row_guides: 0}\n"
)


def test_vvprod_shows_the_running_partial_sum_on_the_result(serve, page):
    for spec in (VVPROD, VVPROD_BLOCKS):
        page.goto(serve([spec]))
        wait_ready(page)
        scene = build(parse_spec(spec))
        cube = scene.cubes[0]
        track = scene.animation.tracks[0]
        result = scene.matrices[cube.result]
        L, R = scene.inputs["L"], scene.inputs["R"]
        box = canvas_box(page)
        flips = 0
        for t in range(track.steps):
            seek(page, t)
            want = partial_sums(L, R, cube.splits[2], t)
            assert not (want == 0).any()
            flips += int((np.sign(want) != np.sign(L @ R)).sum())
            for i in range(6):
                for j in range(6):
                    hue = hue_near(page, *xy(scene, result.element_center(i, j), box))
                    assert hue_sign(hue) == np.sign(want[i, j]), "cell (%d, %d) at step %d" % (
                        i,
                        j,
                        t,
                    )
        assert flips > 0  # some running sums have the other sign than the final value
        assert page.errors == []


def test_controls_space_play_pause_period_steps_and_the_slider_scrubs(serve, page):
    page.goto(serve([VMPROD]))
    wait_ready(page)
    labels = page.eval_on_selector_all(
        ".mm-playbar button, .mm-playbar input", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert all(labels) and len(labels) == 5, labels
    playing = lambda: fig_eval(page, "return fig.player.playing;")  # noqa: E731
    step = lambda: fig_eval(page, "return fig.player.step;")  # noqa: E731
    assert playing()  # autoplay
    page.focus("figure.mm-figure")
    page.keyboard.press("Space")
    assert not playing()
    page.keyboard.press("Space")
    assert playing()
    page.keyboard.press("Space")
    assert not playing()
    s = step()
    page.keyboard.press(".")
    assert step() == (s + 1) % 8 and not playing()
    page.keyboard.press(".")
    assert step() == (s + 2) % 8
    page.keyboard.press(",")
    assert step() == (s + 1) % 8
    page.fill(".mm-scrub", "5")
    assert step() == 5
    assert page.text_content(".mm-step-count") == "6 / 8"
    page.click("button[aria-label='Step forward']")
    assert step() == 6
    page.click("button[aria-label='Play']")
    assert playing()
    page.click("button[aria-label='Pause']")
    assert not playing()
    page.fill(".mm-speed", "60")
    assert fig_eval(page, "return fig.player.speed;") == 60
    # Keys typed into the slider are the slider's: no play/pause from there.
    page.focus(".mm-scrub")
    page.keyboard.press("Space")
    assert not playing()
    # A step only changes uniforms: no geometry, texture or program is made.
    before = page.evaluate("mmViewer.stats()")
    timings = fig_eval(
        page,
        "const t = []; for (let s = 0; s < 16; s++) { fig.seek(s); t.push(fig.stepTiming); } return t;",
    )
    assert page.evaluate("mmViewer.stats()") == before
    assert all(isinstance(t, (int, float)) for t in timings)
    assert page.errors == []


CHAIN = (
    "expr: A @ B @ C\nnodes: {A: {shape: [16, 8]}, B: {shape: [8, 12]}, C: {shape: [12, 8]}}\n"
    "anim: {alg: vmprod, fuse: sync}\ndeco: {legends: 0, flow_guides: 0, row_guides: 0}\n"
)


def test_a_fused_chain_draws_planes_in_both_cubes_at_the_same_step(serve, page):
    page.goto(serve([CHAIN]))
    wait_ready(page)
    scene = build(parse_spec(CHAIN))
    box = canvas_box(page)
    s = 6
    seek(page, s)
    state = fig_eval(
        page,
        "const st = fig.player.state(); return Object.fromEntries("
        "Object.entries(st.tracks).map(([k, v]) => [k, v.index]));",
    )
    assert state == {"root.left": {"i": s}, "root": {"i": s}}
    for cube in scene.cubes:
        points = [
            xy(scene, cube.cell_center(s, j, k), box)
            for j in range(cube.size[1])
            for k in range(cube.size[2])
        ]
        changed = fig_eval(
            page,
            """const read = () => { fig.renderNow(); const c = fig.canvas;
                   const sx = c.width / c.clientWidth, sy = c.height / c.clientHeight;
                   return arg.map(([x, y]) => Array.from(c.getContext('2d')
                       .getImageData(Math.round(x * sx), Math.round(y * sy), 1, 1).data).join()); };
               const on = read(); fig.layers.visible = false; const off = read();
               fig.layers.visible = true; fig.renderNow();
               return on.filter((p, n) => p !== off[n]).length;""",
            points,
        )
        assert changed >= len(points) // 4, "cube %s: %d of %d" % (cube.node, changed, len(points))
    assert page.errors == []


def test_reduced_motion_does_not_autoplay_and_shows_the_finished_figure(serve, page):
    page.emulate_media(reduced_motion="reduce")
    page.goto(serve([VMPROD]))
    wait_ready(page)
    page.wait_for_timeout(600)
    assert fig_eval(page, "return [fig.player.playing, fig.player.step];") == [False, 0]
    assert page.text_content(".mm-step-count") == "8 steps"
    scene = build(parse_spec(VMPROD))
    result = scene.matrices[scene.cubes[0].result]
    box = canvas_box(page)
    assert hue_near(page, *xy(scene, result.element_center(7, 7), box)) is not None
    page.focus("figure.mm-figure")
    page.keyboard.press(".")  # the reader asks: the first step, then on
    assert fig_eval(page, "return [fig.player.playing, fig.player.step];") == [False, 0]
    assert page.text_content(".mm-step-count") == "1 / 8"
    assert fig_eval(page, "return fig.spin === 0 || fig.reducedMotion;")
    assert page.errors == []


ALGS = ["vmprod", "mvprod", "dotprod_row_major", "dotprod_col_major", "vvprod", "axpy"]


def test_every_algorithm_plays_off_screen_figures_stay_still_no_console_errors(serve, page):
    specs = [
        "expr: L @ R\nnodes: {L: {shape: [6, 5]}, R: {shape: [5, 7]}}\n"
        "anim: {alg: %s, speed: 100}\nblocks: {i: 2, j: 2, k: 2}\n" % alg
        for alg in ALGS
    ]
    page.goto(serve(specs))
    figures = page.locator("figure.mm-figure")
    first = figures.nth(0)
    page.wait_for_function("el => el.dataset.mmState === 'ready'", arg=first.element_handle())
    # Each figure plays while it is on screen (3 different steps seen); the last one,
    # far below, never ticks until it is scrolled to.
    seen = """el => { const f = mmViewer.figure(el);
        if (!f || !f.player || el.dataset.mmState !== 'ready') return false;
        const s = (window.__seen ||= new Map());
        if (!s.has(el)) s.set(el, new Set());
        s.get(el).add(f.player.step);
        return s.get(el).size >= 3; }"""
    page.wait_for_function(seen, arg=first.element_handle(), timeout=10_000)
    last = figures.nth(len(ALGS) - 1).element_handle()
    still = "el => { const f = mmViewer.figure(el); return !f || (!f.onScreen && f.player.step === 0); }"
    assert page.evaluate(still, last)
    for n in range(len(ALGS)):
        el = figures.nth(n)
        el.scroll_into_view_if_needed()
        page.wait_for_function(seen, arg=el.element_handle(), timeout=20_000)
    assert page.errors == []
