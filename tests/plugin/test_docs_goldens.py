"""Every figure of the docs site against a golden digest of its scene file.

The goldens (`tests/fixtures/golden/docs-scenes.json`) hold, per fence, a short digest
of each part of the scene header (nodes, matrices, cubes, legends, camera, animation,
colour ranges, settings, warnings), of each value buffer and of the posters (dark, light).  A change to what a figure
looks like or holds shows up as a diff naming the figure and the part that moved.
Regenerate them on purpose with ``pytest tests/plugin/test_docs_goldens.py
--update-goldens`` and commit the diff with the change that explains it.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.core.scene.pack import unpack
from mm_docs_plugin.poster import render_themes as render_posters
from mm_docs_plugin.sourcemap import fence_lines

from .conftest import ROOT, docs_limits, ensure_explainer_data

GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "docs-scenes.json"
PARTS = (
    "spec",
    "nodes",
    "matrices",
    "cubes",
    "legends",
    "camera",
    "bbox",
    "animation",
    "ranges",
    "color_ranges",
    "settings",
    "warnings",
    "description",
    "readouts",  # only in figures that ask for read-outs
    "views",  # only in figures with named views
)


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _figures():
    """(page:line, body, base_dir) of every mm fence under docs/."""
    for page in sorted((ROOT / "docs").rglob("*.md")):
        rel = page.relative_to(ROOT / "docs").as_posix()
        for body, lines in fence_lines(page.read_text("utf-8")).items():
            for line in lines:
                yield "%s:%d" % (rel, line), body, str(page.parent)


def _summary(body: str, base_dir: str) -> dict:
    scene = build(parse_spec(body, base_dir, limits=docs_limits()))
    header, arrays = unpack(scene.to_bytes())
    out = {part: _digest(header.get(part)) for part in PARTS if part in header}
    for theme, svg in render_posters(scene).items():
        key = "poster" if theme == "dark" else "poster_" + theme
        out[key] = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]
    out["buffers"] = {
        name: hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]
        for name, a in sorted(arrays.items())
    }
    return out


def test_docs_figures_match_goldens(request):
    ensure_explainer_data()
    got = {where: _summary(body, base) for where, body, base in _figures()}
    assert len(got) > 50, "the docs should have their figures"
    if request.config.getoption("--update-goldens"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("goldens written to %s" % GOLDEN.relative_to(ROOT))
    want = json.loads(GOLDEN.read_text("utf-8"))
    assert sorted(got) == sorted(want), "figures added or removed: update the goldens"
    changed = [
        "%s: %s"
        % (
            where,
            ", ".join(
                sorted(
                    k
                    for k in {**got[where], **want[where]}
                    if got[where].get(k) != want[where].get(k)
                )
            ),
        )
        for where in sorted(got)
        if got[where] != want[where]
    ]
    assert not changed, "figures differ from the goldens:\n" + "\n".join(changed)
