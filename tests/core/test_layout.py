"""Layout invariants: shared faces coincide, faces meet at edges, nothing overlaps,
blocks tile, the bounding box holds everything, the camera frames it."""

from __future__ import annotations

import itertools
import math

import pytest

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.core.scene.geometry import dot

FIGURES = {
    "cube": "expr: L @ R\nnodes: {L: {shape: [32, 24]}, R: {shape: [24, 32]}}",
    "ffn chain": "expr: A @ B @ C\nnodes: {A: {shape: [64, 32]}, B: {shape: [32, 96]}, C: {shape: [96, 32]}}",
    "bottleneck 5": "expr: A @ B @ C @ D @ E\nnodes: {A: {shape: [64, 96]}, B: {shape: [96, 64]}, C: {shape: [64, 32]}, D: {shape: [32, 64]}, E: {shape: [64, 96]}}",
    "right assoc": "expr: A @ (B @ C)\nnodes: {A: {shape: [32, 96]}, B: {shape: [96, 32]}, C: {shape: [32, 64]}}",
    "binary": "expr: A @ B @ (C @ D)\nnodes: {A: {shape: [64, 64]}, B: {shape: [64, 64]}, C: {shape: [64, 64]}, D: {shape: [64, 64]}}",
    "deep binary": "expr: (A @ B @ (C @ D)) @ (E @ F @ (G @ H))\nnodes: {A: {shape: [16, 16]}, B: {shape: [16, 16]}, C: {shape: [16, 16]}, D: {shape: [16, 16]}, E: {shape: [16, 16]}, F: {shape: [16, 16]}, G: {shape: [16, 16]}, H: {shape: [16, 16]}}",
    "attention head": "expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) @ (V = input @ wV) @ wO\nnodes: {input: {shape: [64, 96]}, wQ: {shape: [96, 16]}, wO: {shape: [16, 96]}}",
    "blocked": "expr: A @ B @ C\nblocks: {i: 4, j: 2, k: 3}\nnodes: {A: {shape: [30, 20]}, B: {shape: [20, 10]}, C: {shape: [10, 12]}, 'A @ B': {blocks: {k: 3}}}",
    "lora": "expr: y = x @ (W = A @ B)\nnodes: {x: {shape: [32, 64]}, A: {shape: [64, 4]}, B: {shape: [4, 64]}}",
}
SCHEMES = [
    {"scheme": s, "polarity": p, "left_placement": lp, "right_placement": rp, "result_placement": r}
    for s in ("blocks", "zigzag", "wheel")
    for p in ("negative", "positive")
    for lp, rp, r in (("left", "top", "front"), ("right", "bottom", "back"))
]


def figure(name, layout=None):
    data = parse_spec(FIGURES[name]).to_dict()
    if layout:
        data["layout"] = dict(layout)
    return build(parse_spec(data))


def close(a, b, tol=1e-9):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def samples(n):
    return sorted({0, n // 3, n // 2, n - 1})


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_faces_of_a_cube_meet_at_its_edges(name):
    scene = figure(name)
    for cube in scene.cubes:
        left, right, result = (scene.matrices[i] for i in (cube.left, cube.right, cube.result))
        ui, uj, uk = cube.axes
        I, J, K = cube.size
        assert left.shape == (I, K) and right.shape == (K, J) and result.shape == (I, J)
        for i, j, k in itertools.product(samples(I), samples(J), samples(K)):
            cell = cube.cell_center(i, j, k)
            # left and result share the i edge, right and result j, left and right k
            assert math.isclose(dot(left.element_center(i, k), ui), dot(cell, ui), abs_tol=1e-9)
            assert math.isclose(dot(result.element_center(i, j), ui), dot(cell, ui), abs_tol=1e-9)
            assert math.isclose(dot(right.element_center(k, j), uj), dot(cell, uj), abs_tol=1e-9)
            assert math.isclose(dot(result.element_center(i, j), uj), dot(cell, uj), abs_tol=1e-9)
            assert math.isclose(dot(left.element_center(i, k), uk), dot(cell, uk), abs_tol=1e-9)
            assert math.isclose(dot(right.element_center(k, j), uk), dot(cell, uk), abs_tol=1e-9)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_childs_result_is_its_parents_argument_face(name):
    scene = figure(name)
    by_path = {c.node: c for c in scene.cubes}
    for cube in scene.cubes:
        for role in ("left", "right"):
            child = by_path.get(cube.node + "." + role)
            if child is None:
                continue
            view = scene.matrices[getattr(cube, role)]
            assert view is scene.matrices[child.result]
            assert view.node == child.node
            assert scene.node_at(view.node).shape == view.shape


def _aabb(view):
    xs, ys, zs = zip(*view.corners())
    return [(min(a), max(a)) for a in (xs, ys, zs)]


def _meet(a, b, eps=1e-6):
    """Independent of layout.overlaps: do two flat axis-aligned faces intersect?"""
    for (a0, a1), (b0, b1) in zip(a, b):
        if a1 - a0 < eps and b1 - b0 < eps:
            if abs(a0 - b0) > eps:
                return False
        elif min(a1, b1) - max(a0, b0) <= eps:
            return False
    return True


def _pairs(scene):
    boxes = [_aabb(v) for v in scene.matrices]
    return [(m, n) for (m, a), (n, b) in itertools.combinations(enumerate(boxes), 2) if _meet(a, b)]


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize(
    "layout", [s for s in SCHEMES if s["scheme"] == "blocks"], ids=lambda s: "-".join(s.values())
)
def test_blocks_scheme_never_overlaps(name, layout):
    scene = figure(name, layout)
    assert _pairs(scene) == []
    assert not [w for w in scene.warnings if "overlap" in w]


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize(
    "layout", [s for s in SCHEMES if s["scheme"] != "blocks"], ids=lambda s: "-".join(s.values())
)
def test_other_schemes_overlap_only_with_a_warning(name, layout):
    # wheel turns each child 90°, so four levels come back round onto the first (as in mm)
    scene = figure(name, layout)
    pairs = _pairs(scene)
    warned = [w for w in scene.warnings if "overlap" in w]
    assert bool(pairs) == bool(warned)
    if pairs:
        m, n = pairs[0]
        assert "%s and %s overlap" % (scene.matrices[m].name, scene.matrices[n].name) in warned[0]


def test_wheel_overlap_is_resolved_by_scatter():
    data = parse_spec(FIGURES["bottleneck 5"]).to_dict()
    data["layout"] = {"scheme": "wheel", "scatter": 40}
    assert _pairs(build(parse_spec(data))) == []


@pytest.mark.parametrize("name", ["blocked", "cube"])
def test_blocks_tile_their_matrix(name):
    scene = figure(name)
    for view in scene.matrices:
        h, w = view.shape
        covered = set()
        for b in view.blocks:
            cells = set(itertools.product(range(*b.rows), range(*b.cols)))
            assert not covered & cells
            covered |= cells
        assert covered == set(itertools.product(range(h), range(w)))
        # consecutive blocks are one gap apart
        for b in view.blocks:
            if b.rows[0] > 0:
                above = view.block_of(b.rows[0] - 1, b.cols[0])
                step = dot(tuple(x - y for x, y in zip(b.origin, above.origin)), view.axes[0])
                assert math.isclose(step, (b.rows[0] - above.rows[0]) + view.gap)


def test_blocked_shapes_follow_mm_propagation():
    scene = figure("blocked")
    cubes = {c.name: c for c in scene.cubes}
    root, child = cubes["A @ B @ C"], cubes["A @ B"]
    assert root.splits == ((0, 8, 16, 24, 30), (0, 6, 12), (0, 4, 8, 10))
    # the left child takes the parent's i, and its k as j
    assert child.splits[0] == root.splits[0] and child.splits[1] == root.splits[2]
    assert child.splits[2] == (0, 7, 14, 20)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_bbox_holds_everything_and_is_centred(name):
    scene = figure(name)
    lo, hi = scene.bbox
    for view in scene.matrices:
        for c in view.corners():
            assert all(lo[a] - 1e-9 <= c[a] <= hi[a] + 1e-9 for a in range(3))
    for cube in scene.cubes:
        for c in cube.bbox:
            assert all(lo[a] - 1e-9 <= c[a] <= hi[a] + 1e-9 for a in range(3))
    assert close([(a + b) / 2 for a, b in zip(lo, hi)], (0, 0, 0))


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_default_camera_frames_the_whole_figure_tightly(name):
    from mm_docs_plugin.core.scene.camera import NOMINAL_ASPECT

    scene = figure(name)
    cam = scene.camera
    back = [p - t for p, t in zip(cam.position, cam.target)]
    norm = math.sqrt(dot(back, back))
    back = [b / norm for b in back]
    right = [
        cam.up[1] * back[2] - cam.up[2] * back[1],
        cam.up[2] * back[0] - cam.up[0] * back[2],
        cam.up[0] * back[1] - cam.up[1] * back[0],
    ]
    rn = math.sqrt(dot(right, right))
    right = [r / rn for r in right]
    up = [
        back[1] * right[2] - back[2] * right[1],
        back[2] * right[0] - back[0] * right[2],
        back[0] * right[1] - back[1] * right[0],
    ]
    t = math.tan(math.radians(cam.fov / 2))
    extent = 0.0
    for corner in [c for v in scene.matrices for c in v.corners()]:
        v = [c - p for c, p in zip(corner, cam.position)]
        depth = -dot(v, back)
        assert depth > 0
        x, y = dot(v, right) / (depth * t * NOMINAL_ASPECT), dot(v, up) / (depth * t)
        assert abs(x) <= 1 and abs(y) <= 1  # inside the view
        extent = max(extent, abs(x), abs(y))
    assert extent > 0.6  # and filling it (labels take the rest), not lost in the middle


def test_author_camera_is_kept():
    scene = build(parse_spec("expr: A @ B\ncamera: {position: [-48, 48, 48], target: [1, 2, 3]}"))
    assert scene.camera.position == (-48.0, 48.0, 48.0) and scene.camera.target == (1.0, 2.0, 3.0)


def test_default_root_faces_the_default_camera():
    scene = figure("cube")
    root = scene.cubes[0]
    result, left, right = (scene.matrices[i] for i in (root.result, root.left, root.right))
    assert result.normal == (0.0, 0.0, 1.0) or result.normal == (0.0, 0.0, -1.0)
    # result in front (z max), left argument on the left (x min), right argument on top (y max)
    assert _aabb(result)[2][0] == scene.bbox[1][2]
    assert _aabb(left)[0][0] == scene.bbox[0][0]
    assert _aabb(right)[1][0] == scene.bbox[1][1]


def test_shape_legends_name_dimensions_and_blocks():
    scene = figure("blocked")
    texts = {legend.text for legend in scene.legends}
    assert {"I = 30 / 4", "J = 12 / 2", "K = 10 / 3"} <= texts
    assert {"A @ B @ C", "A", "B", "C"} <= texts


def test_scatter_moves_children_away_and_keeps_both_faces():
    plain = figure("ffn chain")
    data = parse_spec(FIGURES["ffn chain"]).to_dict()
    data["layout"] = {"scatter": 20}
    scattered = build(parse_spec(data))
    assert len(scattered.matrices) == len(plain.matrices) + 1
    gap = [v for v in scattered.matrices if v.role == "left" and v.node == "root.left"]
    assert len(gap) == 1  # the parent's face, drawn apart from the child's result
