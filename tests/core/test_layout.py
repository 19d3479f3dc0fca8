"""Layout invariants (mm's rules, mm-geometry.md): shared faces coincide, argument faces
sit one gap from the cells, k runs the way polarity says, the result's side does not
depend on polarity, each scheme follows mm's table, nothing overlaps under `blocks`,
blocks tile, the matmuls' box is centred, the camera frames the figure.  Exact
positions against mm's own drawing are in test_mm_geometry.py."""

from __future__ import annotations

import itertools
import math

import pytest

from mm_docs_plugin.core import SpecError, build, parse_spec
from mm_docs_plugin.core.scene.geometry import cross, dot
from mm_docs_plugin.core.spec.inherit import Placement, child_placement, resolve_placements

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
ROOTS = [
    {"polarity": p, "left_placement": lp, "right_placement": rp, "result_placement": r}
    for p in ("negative", "positive")
    for lp in ("left", "right")
    for rp in ("top", "bottom")
    for r in ("front", "back")
]
SCHEMES = [dict(root, scheme=s) for s in ("blocks", "zigzag", "wheel") for root in ROOTS]


def figure(name, layout=None):
    data = parse_spec(FIGURES[name]).to_dict()
    if layout:
        data["layout"] = dict(layout)
    return build(parse_spec(data))


def close(a, b, tol=1e-9):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def samples(n):
    return sorted({0, n // 3, n // 2, n - 1})


def on_face_side(parent: Placement, role: str) -> str:
    """The result side a child needs to land on its parent's face (mm-geometry.md §2)."""
    far = parent.left == "right" if role == "left" else parent.right == "bottom"
    return "back" if (parent.polarity == "positive") == far else "front"


def check_cube(scene, cube, placement, placements):
    """Every face of ``cube`` against its cells: in-plane alignment and distance along the normal."""
    views = {r: scene.matrices[getattr(cube, r)] for r in ("left", "right", "result")}
    ui, uj, uk = cube.axes
    n = cross(ui, uj)
    # negative polarity: k grows along +(ui × uj); positive: the other way
    assert uk == (n if placement.polarity == "negative" else tuple(0.0 - x for x in n))
    I, J, K = cube.size
    assert views["left"].shape == (I, K) and views["right"].shape == (K, J)
    assert views["result"].shape == (I, J)
    g = cube.gap
    for i, j, k in itertools.product(samples(I), samples(J), samples(K)):
        cell = cube.cell_center(i, j, k)
        at = {
            "left": views["left"].element_center(i, k),
            "right": views["right"].element_center(k, j),
            "result": views["result"].element_center(i, j),
        }
        # left and result share the i edge, right and result j, left and right k
        for role, axes in (("left", (ui, uk)), ("right", (uj, uk)), ("result", (ui, uj))):
            for axis in axes:
                assert math.isclose(dot(at[role], axis), dot(cell, axis), abs_tol=1e-9), role
    # Along the normal: g beyond the outermost cells, on the side the placement names.
    sides = {
        "left": (uj, [cube.cell_center(0, j, 0) for j in (0, J - 1)], placement.left == "left"),
        "right": (ui, [cube.cell_center(i, 0, 0) for i in (0, I - 1)], placement.right == "top"),
        "result": (n, [cube.cell_center(0, 0, k) for k in (0, K - 1)], placement.result == "back"),
    }
    for role, (axis, ends, before) in sides.items():
        cells = [dot(c, axis) for c in ends]
        face = dot(views[role].element_center(0, 0), axis)
        distance = (min(cells) - face) if before else (face - max(cells))
        child = placements.get(cube.node + "." + role)
        if role == "result" or child is None or child.result == on_face_side(placement, role):
            assert math.isclose(distance, g, abs_tol=1e-9), (cube.name, role)
        else:  # the child's result lies on its far side, as mm draws it (wheel, custom)
            assert distance > g, (cube.name, role)


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("layout", SCHEMES, ids=lambda s: "-".join(s.values()))
def test_faces_sit_one_gap_from_the_cells_on_their_sides(name, layout):
    scene = figure(name, layout)
    placements = resolve_placements(scene.spec.tree, scene.spec.layout, scene.spec.nodes)
    for cube in scene.cubes:
        check_cube(scene, cube, placements[cube.node], placements)


# mm-geometry.md §3, in its own booleans: pol = positive, L = left argument on the right,
# R = right argument at the bottom, F = result at the back, c = the child is a left child.
TABLE = {
    "blocks": lambda c, pol, L, R, F: (
        not pol,
        (pol != F) if c else not L,
        (not R) if c else (pol != F),
        pol == (L if c else R),
    ),
    "zigzag": lambda c, pol, L, R, F: (
        not pol,
        (pol != F) if c else L,
        R if c else (pol != F),
        pol == (L if c else R),
    ),
    "wheel": lambda c, pol, L, R, F: (pol, L, R, F),
}


def as_bools(p: Placement):
    return (p.polarity == "positive", p.left == "right", p.right == "bottom", p.result == "back")


@pytest.mark.parametrize("scheme", sorted(TABLE))
def test_each_scheme_follows_mms_table(scheme):
    for root in ROOTS:
        parent = Placement.of(root)
        for is_left in (True, False):
            child = child_placement(scheme, parent, is_left)
            assert as_bools(child) == TABLE[scheme](is_left, *as_bools(parent))
            if scheme != "wheel":  # the child's result lands on its parent's face
                assert child.result == on_face_side(parent, "left" if is_left else "right")
    # the table's example: under blocks, -LTF has a +LBB left child and a +RTB right child
    root = Placement("negative", "left", "top", "front")
    assert child_placement("blocks", root, True) == Placement("positive", "left", "bottom", "back")
    assert child_placement("blocks", root, False) == Placement("positive", "right", "top", "back")


def test_negative_polarity_runs_k_from_the_back_towards_the_result():
    scene = figure("cube")  # L 32×24 @ R 24×32, gap 4
    root = scene.cubes[0]
    left, right, result = (scene.matrices[i] for i in (root.left, root.right, root.result))
    z = lambda p: p[2]  # noqa: E731
    # L's column 0 and R's row 0 at the back, column / row K-1 next to the result
    assert z(left.element_center(0, 0)) < z(left.element_center(0, 23))
    assert z(right.element_center(0, 0)) < z(right.element_center(23, 0))
    assert math.isclose(z(left.element_center(0, 23)), z(result.element_center(0, 0)) - 4)
    assert math.isclose(z(right.element_center(23, 0)), z(result.element_center(0, 0)) - 4)
    assert root.axes[2] == (0.0, 0.0, 1.0)


@pytest.mark.parametrize("root", ROOTS, ids=lambda s: "-".join(s.values()))
def test_the_roots_result_side_does_not_depend_on_polarity(root):
    scene = figure("cube", root)
    cube = scene.cubes[0]
    result = scene.matrices[cube.result]
    z = result.element_center(0, 0)[2]
    front = root["result_placement"] == "front"
    assert z == (cube.bbox[1][2] if front else cube.bbox[0][2])  # front faces the camera (+z)
    assert cube.axes[2][2] == (1.0 if root["polarity"] == "negative" else -1.0)


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
def test_bbox_holds_everything_and_the_matmuls_box_is_centred(name):
    scene = figure(name)
    lo, hi = scene.bbox
    for view in scene.matrices:
        for c in view.corners():
            assert all(lo[a] - 1e-9 <= c[a] <= hi[a] + 1e-9 for a in range(3))
    for cube in scene.cubes:
        for c in cube.bbox:
            assert all(lo[a] - 1e-9 <= c[a] <= hi[a] + 1e-9 for a in range(3))
    # mm centres the box around the cubes (without scatter every face lies on one)
    cubes_lo = [min(c.bbox[0][a] for c in scene.cubes) for a in range(3)]
    cubes_hi = [max(c.bbox[1][a] for c in scene.cubes) for a in range(3)]
    assert close([(a + b) / 2 for a, b in zip(cubes_lo, cubes_hi)], (0, 0, 0))


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_default_camera_frames_the_whole_figure_tightly(name):
    from mm_docs_plugin.core.scene.camera import FILL, NOMINAL_ASPECT

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
    cover_x, cover_y = cam.cover
    # What a viewer must cover to show the figure fits the nominal view...
    assert cover_x <= t * NOMINAL_ASPECT * (1 + 1e-9) and cover_y <= t * (1 + 1e-9)
    for corner in [c for v in scene.matrices for c in v.corners()]:
        v = [c - p for c, p in zip(corner, cam.position)]
        depth = -dot(v, back)
        assert depth > 0
        x, y = dot(v, right) / (depth * t * NOMINAL_ASPECT), dot(v, up) / (depth * t)
        assert abs(x) <= 1 and abs(y) <= 1  # inside the view
        # ...and every corner is inside it, with the framing margin.
        assert abs(dot(v, right)) / depth <= cover_x * FILL * (1 + 1e-6)
        assert abs(dot(v, up)) / depth <= cover_y * FILL * (1 + 1e-6)
        extent = max(extent, abs(x), abs(y))
    assert extent > 0.6  # and filling it (labels take the rest), not lost in the middle


def test_author_camera_is_kept():
    scene = build(parse_spec("expr: A @ B\ncamera: {position: [-48, 48, 48], target: [1, 2, 3]}"))
    assert scene.camera.position == (-48.0, 48.0, 48.0) and scene.camera.target == (1.0, 2.0, 3.0)
    assert scene.camera.cover is None  # the viewer keeps an author's framing exactly


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


def test_scatter_pushes_a_child_out_and_draws_its_result_once():
    plain = figure("ffn chain")
    data = parse_spec(FIGURES["ffn chain"]).to_dict()
    data["layout"] = {"scatter": 20}
    scattered = build(parse_spec(data))
    assert len(scattered.matrices) == len(plain.matrices)  # no empty parent face is drawn
    root = scattered.cubes[0]
    left = scattered.matrices[root.left]
    assert left.role == "result" and left.node == "root.left"
    # 20 further out than the gap, along the parent's left face normal
    uj = root.axes[1]
    distance = dot(root.cell_center(0, 0, 0), uj) - dot(left.element_center(0, 0), uj)
    assert math.isclose(distance, root.gap + 20)


def test_a_childs_own_layout_is_used_as_given():
    base = "expr: out = (h = A @ B) @ C\nnodes: {A: {shape: [8, 12]}, C: {shape: [12, 6]}, %s}"
    # under blocks, h would be +LBB; given -LTF, its result lies away from out's face
    own = "polarity: negative, right_placement: top, result_placement: front"
    scene = build(parse_spec(base % ("h: {layout: {%s}}" % own)))
    placements = resolve_placements(scene.spec.tree, scene.spec.layout, scene.spec.nodes)
    assert placements["root.left"] == Placement("negative", "left", "top", "front")
    for cube in scene.cubes:
        check_cube(scene, cube, placements[cube.node], placements)
    # the root's own nodes.<root>.layout counts too
    scene = build(parse_spec(base % "out: {layout: {polarity: positive}}"))
    assert scene.cubes[0].axes[2] == (0.0, 0.0, -1.0)


def test_custom_takes_what_a_child_does_not_give_from_its_parent():
    text = FIGURES["bottleneck 5"] + "\nlayout: {scheme: custom, left_placement: right}"
    text = text.replace(
        "E: {shape: [64, 96]}", "E: {shape: [64, 96]}, 'A @ B @ C': {layout: {polarity: positive}}"
    )
    spec = parse_spec(text)
    placements = resolve_placements(spec.tree, spec.layout, spec.nodes)
    assert placements["root.left"] == Placement("negative", "right", "top", "front")
    assert placements["root.left.left"] == Placement("positive", "right", "top", "front")
    assert placements["root.left.left.left"] == placements["root.left.left"]


def test_a_childs_blocks_along_i_and_j_are_its_parents():
    text = "expr: out = (h = A @ B) @ C\nblocks: {i: 2, k: 3}\nnodes: {h: {blocks: {%s}}}"
    scene = build(parse_spec(text % "i: 2, j: 3, k: 2"))  # agreeing values are accepted
    assert [len(s) - 1 for s in scene.cubes[1].splits] == [2, 3, 2]
    with pytest.raises(SpecError, match="h, the left argument of out, takes its i blocks"):
        parse_spec(text % "i: 4")
