"""The poster's legend placement (placement.py): the viewer's rules, checked on shapes and
on real posters (every legend inside the picture, none over another)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.placement import Pose, clamp_inside, fits_inside, overlaps, place, quad
from mm_docs_plugin.poster import CHIP_EM, HEIGHT, TEXT_EM, WIDTH, render

ROOT = Path(__file__).resolve().parents[1]


def pose(x, y, angle=0.0, w=40.0, h=10.0):
    return Pose(x, y, h / 1.2, angle, w, h)


def test_turned_boxes_overlap_only_when_they_meet():
    assert overlaps(quad(pose(50, 50)), quad(pose(50, 58)))
    assert not overlaps(quad(pose(50, 50)), quad(pose(50, 62)))
    assert overlaps(quad(pose(50, 50)), quad(pose(50, 50, 90)))
    assert not overlaps(quad(pose(0, 0, 45, 100, 4)), quad(pose(30, -30, 45, 100, 4)))


def test_clamp_pulls_a_box_inside_or_centres_it():
    p = clamp_inside(pose(5, 50), 100, 100, 2)
    assert p.x == 22 and fits_inside(quad(p), 100, 100, 2)
    assert clamp_inside(pose(10, 50, w=200), 100, 100, 2).x == 50


def test_names_first_then_shapes_that_fit_the_rest_dropped():
    labels = [
        ("I = 8", "shape", [pose(50, 50)]),  # where the name wants to be
        ("A", "name", [pose(50, 52), pose(50, 80)]),
        ("J = 8", "shape", [pose(-10, 10)]),  # outside the picture
        ("B", "name", [pose(50, 52)]),  # only one place, taken: least collisions, kept
    ]
    got = place(labels, 100, 100, 8)
    assert got[1] == pose(50, 52)  # the name got its first choice
    assert got[0] is None and got[2] is None  # the shapes went
    assert got[3] is not None


def _boxes(svg: str):
    """Each legend of a poster as drawn: text, and its box (the poster's own estimate)."""
    out = []
    for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"):
        size = float(t.get("font-size"))
        m = re.match(r"rotate\(([-\d.]+)", t.get("transform") or "")
        name = not re.match(r"[IJK] = ", t.text)  # dimension labels read "I = 256"
        w = size * (TEXT_EM * len(t.text) + (2 * CHIP_EM if name else 0))
        out.append(
            (
                t.text,
                quad(
                    Pose(
                        float(t.get("x")),
                        float(t.get("y")),
                        size,
                        float(m.group(1)) if m else 0.0,
                        w,
                        size * 1.2,
                    )
                ),
            )
        )
    return out


@pytest.mark.parametrize(
    "spec",
    [
        "expr: A @ B\nnodes: {A: {shape: [12, 8]}, B: {shape: [8, 12]}}",
        "expr: out = (h = relu(x @ W1)) @ W2\nnodes: {x: {shape: [24, 16]}, W1: {shape: [16, 40]}, W2: {shape: [40, 12]}}\nblocks: {i: 2, k: 2}",
        (ROOT / "examples" / "attention-head.yaml").read_text("utf-8"),
    ],
)
def test_poster_legends_are_inside_and_apart(spec):
    scene = build(parse_spec(spec))
    boxes = _boxes(render(scene))
    names = {v.name for v in scene.matrices}
    assert names <= {text for text, _ in boxes}  # every matrix is named
    for text, q in boxes:
        assert fits_inside(q, WIDTH, HEIGHT, 1.5), text
    for n, (a, qa) in enumerate(boxes):
        for b, qb in boxes[n + 1 :]:
            assert not overlaps(qa, qb), (a, b)
