"""The light palette is as legible as the dark one, within a stated margin (issue 11).

The metric and its margins are benchmarks/bench_legibility.py's (printed by
`make bench`): CIELAB contrast of elements against the stage, weighted by drawn
area, for the weaker sign too, lightness spread of small against large |x|, the
sign split and the NaN mark's distance from every element, on a gaussian product,
the GPT-2-sized head and bands of ±1.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from mm_docs_plugin.core.scene.colors import MARK_RGB, PAPER_RGB


def _bench():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_legibility.py"
    spec = importlib.util.spec_from_file_location("bench_legibility", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench()


def shortfalls(rows):
    """(figure, regime, metric, dark, light) wherever light falls below its margin."""
    out = []
    for name, regime, got in rows:
        for metric in bench.METRICS:
            dark, light = got["dark"][metric], got["light"][metric]
            if light < (1 - bench.MARGIN) * dark:
                out.append((name, regime, metric, round(dark, 1), round(light, 1)))
    return out


@pytest.fixture(scope="module")
def rows():
    return bench.table()


def test_light_is_as_legible_as_dark_within_the_margin(rows):
    assert len(rows) == len(bench.FIGURES) * len(bench.REGIMES)
    assert shortfalls(rows) == []
    for name, regime, got in rows:  # the sign split stays far past confusion
        assert got["light"]["sign"] > 60, (name, regime)


def test_the_margin_catches_a_washed_out_light_palette(monkeypatch):
    real = bench.vol_rgb

    def washed(sign, vol, colors, theme="dark", fade=1.0):
        rgb = real(sign, vol, colors, theme, fade)
        return 0.6 * rgb + 0.4 * np.asarray(PAPER_RGB[theme]) if theme == "light" else rgb

    monkeypatch.setattr(bench, "vol_rgb", washed)
    missed = {m for _, _, m, _, _ in shortfalls(bench.table())}
    assert {"contrast", "weakest"} <= missed


def test_non_finite_marks_stand_out_on_both_stages():
    for theme in ("dark", "light"):
        assert bench.delta_e(np.asarray(MARK_RGB[theme]), np.asarray(PAPER_RGB[theme])) > 95
