"""Our layout against mm's own drawing: 12 links of "Inside the Matrix", measured in mm.

`tests/fixtures/mm-geometry-oracle.json` (a copy of ../shared/examples/mm-geometry/
oracle.json, see its README) holds, per link, the world position of the four
corner element centres of every matrix mm draws, its steps and blocks, each
matmul's layout, and the camera.  Each link is imported as an author would
(`import_mm_url`; links with ``remote_data`` load data from the network, so
their values are placeholders, but shapes come from the link) and built; every
drawn matrix is matched by the path of its cube and its role.

The corners are checked twice: after removing one global translation (the
figure's shape: every rule of mm-geometry.md §1-4) and as they are (the
centring of §5, which an imported camera depends on).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mm_docs_plugin.core import build, import_mm_url
from mm_docs_plugin.core.spec.inherit import resolve_placements

ORACLE = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "mm-geometry-oracle.json").read_text()
)
LINKS = sorted(ORACLE, key=int)
TOLERANCE = 0.01
_built = {}


def scene_of(key):
    if key not in _built:
        _built[key] = build(import_mm_url(ORACLE[key]["url"]))
    return _built[key]


def pairs(key):
    """(mm's matrix, our view) for every matrix mm draws, matched by cube path and role."""
    scene = scene_of(key)
    ours = {(v.cube, v.role): v for v in scene.matrices}
    assert len(ours) == len(scene.matrices)
    theirs = ORACLE[key]["matrices"]
    assert sorted(ours) == sorted((m["cube"], m["role"]) for m in theirs)
    return [(m, ours[(m["cube"], m["role"])]) for m in theirs]


def corners(m, view):
    """(ours, mm's) world centre of each of the four corner elements."""
    h, w = m["shape"]
    at = {"0,0": (0, 0), "0,w-1": (0, w - 1), "h-1,0": (h - 1, 0), "h-1,w-1": (h - 1, w - 1)}
    return [(view.element_center(*at[name]), m["corners"][name]) for name in at]


def worst(key, shift=(0.0, 0.0, 0.0)):
    """The largest corner error over the figure, and where it is."""
    errors = [
        (max(abs(o - t - s) for o, t, s in zip(ours, theirs, shift)), m["cube"], m["role"])
        for m, view in pairs(key)
        for ours, theirs in corners(m, view)
    ]
    return max(errors)


@pytest.mark.parametrize("key", LINKS)
def test_every_matrix_has_mms_shape_blocks_and_orientation(key):
    for m, view in pairs(key):
        where = "%s %s (%s)" % (m["cube"], m["role"], m["name"])
        assert view.node == m["node"], where
        assert list(view.shape) == m["shape"], where
        assert [len(view.row_splits) - 1, len(view.col_splits) - 1] == m["blocks"], where
        for step, axis in ((m["row_step"], view.axes[0]), (m["col_step"], view.axes[1])):
            if step is not None:  # null along a size-1 axis
                assert max(abs(a - b) for a, b in zip(axis, step)) < 1e-9, where


@pytest.mark.parametrize("key", LINKS)
def test_every_corner_sits_where_mm_draws_it_up_to_one_translation(key):
    pairs_ = [(ours, theirs) for m, view in pairs(key) for ours, theirs in corners(m, view)]
    shift = [sum(o[a] - t[a] for o, t in pairs_) / len(pairs_) for a in range(3)]
    error, cube, role = worst(key, shift)
    assert error <= TOLERANCE, "%s: %s %s is %.3g off mm's" % (
        ORACLE[key]["expr"],
        cube,
        role,
        error,
    )


@pytest.mark.parametrize("key", LINKS)
def test_every_corner_sits_where_mm_draws_it_centring_included(key):
    error, cube, role = worst(key)
    assert error <= TOLERANCE, "%s: %s %s is %.3g off mm's" % (
        ORACLE[key]["expr"],
        cube,
        role,
        error,
    )


@pytest.mark.parametrize("key", LINKS)
def test_the_links_camera_is_mms(key):
    cam, want = scene_of(key).camera, ORACLE[key]["camera"]
    for ours, theirs in ((cam.position, want["position"]), (cam.target, want["target"])):
        assert max(abs(a - b) for a, b in zip(ours, theirs)) <= TOLERANCE
    assert cam.fov == want["fov_deg"] and list(cam.up) == want["up"]


@pytest.mark.parametrize("key", LINKS)
def test_every_matmul_has_mms_layout_and_blocks(key):
    scene = scene_of(key)
    spec = scene.spec
    placements = resolve_placements(spec.tree, spec.layout, spec.nodes)
    cubes = {c.node: c for c in scene.cubes}
    assert sorted(cubes) == sorted(c["path"] for c in ORACLE[key]["cubes"])
    for mm in ORACLE[key]["cubes"]:
        lay = mm["layout"]
        mm_placement = [
            lay[k] for k in ("polarity", "left placement", "right placement", "result placement")
        ]
        assert list(placements[mm["path"]].as_dict().values()) == mm_placement, mm["path"]
        cube = cubes[mm["path"]]
        assert cube.size == (mm["H"], mm["W"], mm["D"])
        block = mm["block"]
        assert [len(s) - 1 for s in cube.splits] == [
            block[k] for k in ("i blocks", "j blocks", "k blocks")
        ]
