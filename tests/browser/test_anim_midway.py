"""Halfway through an animation, in a real browser: split-k partial-sum planes seen at
the default camera (the block next to the result face in the face's place, the others
in the gaps), and hover readings that say what a result cell shows at that step.

Expectations come from the Python core: geometry from ``scene.cubes`` and
``scene.matrices``, values from ``scene.inputs``, pixels projected with the scene's camera.
"""

from __future__ import annotations

import colorsys

import numpy as np

from mm_docs_plugin.core import build, parse_spec

from .conftest import wait_ready
from .project import project
from .test_animation import fig_eval, hue_sign, seek
from .test_viewer import canvas_box, hue_near

# Split-k in two blocks of 4: L[i,k] = s_i·w_k with w = -2 on block 0 and 1 on block 1,
# R[k,j] = t_j.  Block 0's partial sum is -8·s·t, block 1's 4·s·t, the result -4·s·t.
# With mm's default negative polarity k grows toward the result, so block 1 sits next to
# the face and shows there during the sweep, with the other sign than the result.
SPLITK = (
    "expr: out = L @ R\nnodes:\n"
    '  L: {shape: [8, 8], expr: "(-2 * (trunc(i / 2) % 2) + 1) * (j < 4 ? -2 : 1)"}\n'
    '  R: {shape: [8, 8], expr: "-2 * (trunc(j / 3) % 2) + 1"}\n'
    "anim: vmprod\nblocks: {k: 2}\n"
    "deco: {legends: 0, flow_guides: 0, row_guides: 0}\n"
)


def partial_plane_cell(scene, cube, bk, i, j):
    """World centre of cell (i, j) of block ``bk``'s partial-sum plane (animator.js)."""
    o, (ai, aj, ak) = np.asarray(cube.origin, float), (np.asarray(a, float) for a in cube.axes)
    k_splits, gap = cube.splits[2], cube.gap
    along = (np.asarray(scene.matrices[cube.result].origin) - o) @ ak
    k_start = k_splits[bk] + gap * bk
    size = k_splits[bk + 1] - k_splits[bk]
    fixed = -gap / 2 if along < 0 else size + gap / 2
    return o + ai * (i + 0.5) + aj * (j + 0.5) + ak * (k_start + fixed)


def face_block(scene, cube):
    """The k block drawn in the result face's place during the sweep (animstate.faceBlock)."""
    along = (np.asarray(scene.matrices[cube.result].origin) - np.asarray(cube.origin)) @ np.asarray(
        cube.axes[2]
    )
    return 0 if along < 0 else len(cube.splits[2]) - 2


def pixels(page, points):
    """RGBA of the first figure's canvas at CSS points, after a synchronous redraw."""
    return fig_eval(
        page,
        """fig.renderNow(); const c = fig.canvas, g = c.getContext('2d');
           const sx = c.width / c.clientWidth, sy = c.height / c.clientHeight;
           return arg.map(([x, y]) => Array.from(g.getImageData(
               Math.round(x * sx), Math.round(y * sy), 1, 1).data).join());""",
        points,
    )


def rgba_sign(rgba):
    """The sign a pixel's colour encodes ("r,g,b,a" as `pixels` gives), 0 if none."""
    r, g, b = (int(v) / 255.0 for v in rgba.split(",")[:3])
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    return hue_sign(hue) if sat > 0.3 and light > 0.15 else 0


def show_partials(page, bk, on):
    """Show or hide the partial-sum plane of k block ``bk`` (its meshes, by name)."""
    fig_eval(
        page,
        "for (const m of fig.layers.children) if (m.name.endsWith(arg[0])) m.visible = arg[1];",
        ["partial sums, k block %d" % bk, on],
    )


def test_split_k_partial_sums_are_seen_at_the_default_camera(serve, page):
    page.emulate_media(reduced_motion="reduce")  # starts idle: the finished figure
    page.goto(serve([SPLITK]))
    wait_ready(page)
    scene = build(parse_spec(SPLITK))
    cube = scene.cubes[0]
    result = scene.matrices[cube.result]
    L, R = scene.inputs["L"].astype(float), scene.inputs["R"].astype(float)
    partials = [L[:, :4] @ R[:4, :], L[:, 4:] @ R[4:, :]]
    near = face_block(scene, cube)
    assert near == 1  # negative polarity: the last k block is next to the result
    far = 1 - near
    assert (np.sign(partials[near]) == -np.sign(L @ R)).all()
    box = canvas_box(page)

    def face_sign(i, j):
        return hue_sign(
            hue_near(
                page,
                *project(result.element_center(i, j), scene.camera, box["width"], box["height"]),
            )
        )

    # Idle: the face shows the result.
    assert all(face_sign(i, j) == np.sign((L @ R)[i, j]) for i in range(8) for j in range(8))
    s = 3
    seek(page, s)
    # During the sweep the face shows the near block's partial sums in the rows computed so far.
    for i in range(s + 1):
        for j in range(8):
            want = np.sign(partials[near][i, j])
            assert face_sign(i, j) == want, "face (%d, %d) at step %d" % (i, j, s)
    assert all(face_sign(i, j) is None for i in range(s + 2, 8) for j in range(8))
    # The far block's plane, in the gap between the blocks: its computed rows are seen, with
    # its signs.
    cells = [(i, j) for i in range(s + 1) for j in range(8)]
    points = [
        project(
            partial_plane_cell(scene, cube, far, i, j), scene.camera, box["width"], box["height"]
        )
        for i, j in cells
    ]
    on = pixels(page, points)
    show_partials(page, far, False)
    off = pixels(page, points)
    show_partials(page, far, True)
    seen = [n for n, (a, b) in enumerate(zip(on, off)) if a != b]
    assert len(seen) >= len(cells) // 3, "%d of %d cells of the far block's plane seen" % (
        len(seen),
        len(cells),
    )
    right = sum(rgba_sign(on[n]) == np.sign(partials[far][cells[n]]) for n in seen)
    assert right >= 0.8 * len(seen), (right, len(seen))
    assert page.errors == []


def hover_reading(page, scene, vi, i, j):
    """Hover cell (i, j) of matrix ``vi``; the tooltip's dataset and text."""
    box = canvas_box(page)
    x, y = project(
        scene.matrices[vi].element_center(i, j), scene.camera, box["width"], box["height"]
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    return page.evaluate(
        """() => { const t = document.querySelector('figure.mm-figure .mm-tooltip');
            return t.hidden ? null : Object.assign({text: t.textContent}, t.dataset); }"""
    )


VVPROD = (
    "expr: out = L @ R\nnodes: {L: {shape: [6, 8]}, R: {shape: [8, 6]}}\n"
    "anim: {alg: vvprod}\nblocks: {k: 2}\ndeco: {legends: 0, flow_guides: 0}\n"
)


def test_hover_reads_what_a_result_cell_shows_at_this_step(serve, page):
    page.emulate_media(reduced_motion="reduce")
    page.goto(serve([SPLITK, VVPROD]))
    wait_ready(page)
    scene = build(parse_spec(SPLITK))
    vi = scene.cubes[0].result
    L, R = scene.inputs["L"].astype(float), scene.inputs["R"].astype(float)
    # Idle: the finished figure, final values.
    got = hover_reading(page, scene, vi, 5, 2)
    assert got["state"] == "final" and float(got["value"]) == (L @ R)[5, 2]
    seek(page, 3)
    got = hover_reading(page, scene, vi, 5, 2)  # below the rows computed so far
    assert got["state"] == "empty" and got["value"] == ""
    assert got["text"] == "out[5, 2]not computed yet"
    got = hover_reading(page, scene, vi, 2, 6)  # computed: the near block's partial sum
    assert face_block(scene, scene.cubes[0]) == 1
    assert got["state"] == "sum" and float(got["value"]) == (L[2, 4:] @ R[4:, 6])
    assert got["text"].endswith("(partial: 4 ≤ k < 8)"), got["text"]
    # A step while the pointer rests re-reads the cell.
    seek(page, 7)
    got = page.evaluate("() => Object.assign({}, document.querySelector('.mm-tooltip').dataset)")
    assert got["i"] == "2" and got["state"] == "sum"
    got = hover_reading(page, scene, vi, 5, 2)
    assert got["state"] == "sum" and float(got["value"]) == (L[5, 4:] @ R[4:, 2])

    # vvprod: every cell holds the running sum of the first t + 1 k of each k block.
    page.locator("figure.mm-figure").nth(1).scroll_into_view_if_needed()
    wait_ready(page)
    v = build(parse_spec(VVPROD))
    L, R = v.inputs["L"].astype(float), v.inputs["R"].astype(float)
    page.evaluate("() => mmViewer.figure(document.querySelectorAll('figure.mm-figure')[1]).seek(1)")
    box = page.locator("figure.mm-figure canvas").nth(1).bounding_box()
    x, y = project(
        v.matrices[v.cubes[0].result].element_center(4, 1), v.camera, box["width"], box["height"]
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator("figure.mm-figure .mm-tooltip").nth(1)
    assert tip.get_attribute("data-state") == "sum"
    want = L[4, [0, 1, 4, 5]] @ R[[0, 1, 4, 5], 1]
    assert abs(float(tip.get_attribute("data-value")) - want) < 1e-3 * max(1.0, abs(want))
    assert tip.text_content().endswith("(partial: k < 2, 4 ≤ k < 6)")
    assert page.errors == []
