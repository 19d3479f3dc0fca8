"""Named views (`views:`): validation at line and column, cameras resolved by the core."""

from __future__ import annotations

import math

import pytest

from mm_docs_plugin.core import Scene, SpecError, build, parse_spec
from mm_docs_plugin.core.scene.geometry import dot, sub, unit

HEAD = "expr: out = (attn = Q @ K.T) @ V\nanim: vmprod\n"


def views(text):
    return {v["name"]: v for v in build(HEAD + text).views}


def test_views_resolve_to_cameras():
    scene = build(
        HEAD + "views:\n  start: {}\n  scores: {focus: attn, step: 5, label: the scores}\n"
        "  top: {position: [0, 90, 1]}\n  aim: {target: [10, 0, 0]}\n"
    )
    got = {v["name"]: v for v in scene.views}
    home = scene.camera
    assert got["start"]["position"] == pytest.approx(home.position)
    assert got["start"]["target"] == list(home.target) and got["start"]["step"] is None
    assert got["start"]["label"] == "start"
    # top: as written, looking at the figure's target.
    assert got["top"]["position"] == [0.0, 90.0, 1.0] and got["top"]["target"] == list(home.target)
    # aim: the home camera's offset kept around the new target.
    offset = sub(home.position, home.target)
    assert got["aim"]["position"] == pytest.approx([10 + offset[0], offset[1], offset[2]])
    # scores: looks at attn's face centre from the home direction, nearer than home.
    attn = next(m for m in scene.matrices if m.name == "attn")
    centre = [sum(c[i] for c in attn.corners()) / 4 for i in range(3)]
    s = got["scores"]
    assert s["target"] == pytest.approx(centre)
    direction = unit(sub(tuple(s["position"]), tuple(s["target"])))
    assert dot(direction, unit(offset)) == pytest.approx(1.0)
    near = math.dist(s["position"], s["target"])
    assert near < math.dist(home.position, home.target)
    # ...and every corner of the face is inside the view (16:9, 45° fov).
    assert (s["step"], s["label"]) == (5, "the scores")
    assert Scene.from_bytes(scene.to_bytes()).views == scene.views
    assert parse_spec(scene.spec.to_dict()) == scene.spec


def test_figures_without_views_keep_their_scene_file():
    scene = build(HEAD)
    assert scene.views == [] and b'"views"' not in scene.to_bytes()


BAD = [
    ("views: [a]", "views must be a mapping of view names, not a list", (3, 8)),
    ("views: {2x: {}}", "view name '2x' is not a name a link can carry", (3, 9)),
    ("views: {a: {zoom: 2}}", "unknown key 'zoom' in views.a", (3, 13)),
    ("views: {a: {focus: atn}}", "views.a.focus is 'atn', which is not in the expression", (3, 20)),
    ("views: {a: {focus: attn, position: [1, 2, 3]}}", "views.a has focus and position; "
     "focus places the camera itself", (3, 26)),
    ("views: {a: {step: -1}}", "views.a.step = -1 is out of range", (3, 19)),
    ("views: {a: {position: [1, 2]}}", "views.a.position must be a list of three numbers, "
     "not a list", (3, 23)),
]  # fmt: skip


@pytest.mark.parametrize("line, message, where", BAD)
def test_errors(line, message, where):
    with pytest.raises(SpecError) as e:
        parse_spec(HEAD + line)
    assert e.value.message == message
    assert (e.value.line, e.value.column) == where


def test_a_step_needs_an_animation():
    with pytest.raises(SpecError) as e:
        parse_spec("expr: A @ B\nviews:\n  a: {step: 3}\n")
    assert (e.value.message, e.value.hint) == (
        "views.a.step: the figure has no animation",
        "set anim (e.g. anim: vmprod) or leave step out",
    )
    assert (e.value.line, e.value.column) == (3, 7)
    # A product's own animation is one.
    parse_spec("expr: A @ B\nnodes: {A @ B: {anim: mvprod}}\nviews:\n  a: {step: 3}\n")


WORDS = (
    "expr: scores = Q @ K.T\nlabels: {tokens: [my, dog, drank, the, milk]}\n"
    "nodes:\n  Q: {labels: {rows: tokens}, shape: [null, 3]}\n  K: {labels: {rows: tokens}}\n"
)


def test_a_views_highlight_is_resolved_and_carried_like_a_nodes_own():
    spec = parse_spec(
        WORDS + "views:\n  q: {highlight: {Q: {rows: [drank]}}}\n"
        "  k: {highlight: {K: {rows: [milk]}, scores: {cells: [[drank, milk]]}}}\n  all: {}\n"
    )
    got = {v["name"]: v for v in build(spec).views}
    # Q's row carries to scores' row; K's row is a column of K.T, and so of scores.
    assert got["q"]["highlight"] == {
        "root.left": {"rows": [2], "cols": [], "cells": []},
        "root": {"rows": [2], "cols": [], "cells": []},
    }
    assert got["k"]["highlight"] == {
        "root.right": {"rows": [], "cols": [4], "cells": []},
        "root": {"rows": [], "cols": [4], "cells": [[2, 4]]},
    }
    assert "highlight" not in got["all"]
    # The spec keeps the view as written (links and fences carry it, not indices).
    assert spec.to_dict()["views"]["k"] == {
        "highlight": {"K": {"rows": ["milk"]}, "scores": {"cells": [["drank", "milk"]]}}
    }
    assert parse_spec(spec.to_dict()) == spec


@pytest.mark.parametrize(
    "view, message, at",
    [
        (
            "{highlight: {X: {rows: [0]}}}",
            "views.v.highlight: 'X' is not in the expression",
            (7, 19),
        ),
        ("{highlight: {Q: {rows: [cat]}}}", "'cat'", (7, 30)),
        (
            "{highlight: [Q]}",
            "views.v.highlight must be a mapping of node names to highlights",
            (7, 18),
        ),
    ],
)
def test_a_views_highlight_errors_at_its_place(view, message, at):
    with pytest.raises(SpecError) as e:
        parse_spec(WORDS + "views:\n  v: %s\n" % view)
    assert message in e.value.message
    assert (e.value.line, e.value.column) == at
