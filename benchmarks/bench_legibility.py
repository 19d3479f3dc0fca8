"""Legibility of the light palette against the dark one (issue 11), printed per figure.

Every nonzero finite element of every drawn matrix is coloured as matrix.frag draws
it (colors.vol_rgb: the same mapping), in the shader's two regimes:

  discs  cells of 4 px or more: a disc of the element's colour over pi/4 d^2 of its cell
  cells  cells under 2 px: the whole cell, faded toward the stage by the disc's area
         (fade 0.3 + 0.7 area, relative to the largest disc's)

and compared in CIELAB (D65) with the stage (black, or the light paper):

  contrast  Delta E*ab (CIE76) between element and stage, averaged weighted by drawn area
  weakest   the same over the sign that scores lower: neither sign may be sacrificed
  spread    Delta L* between the colours of each view's 10th and 90th percentile |x|
            (per sign): lightness is what tells small from large, besides size
  sign      Delta E*ab between + and - at the same |x|: mm's hue split
  mark      Delta E*ab between the NaN/Inf mark (white on dark, black on light) and
            the element colour nearest it: a broken value must not pass for a large one

CIE76 rather than CIEDE2000: CIEDE2000 is fitted to small differences and rates
mm's brightest dark colours closer to black than its dimmer ones.  The test
(tests/test_legibility.py) holds light to dark within MARGIN.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.core.scene.colors import (
    MARK_RGB,
    PAPER_RGB,
    THEMES,
    lstar,
    luminance,
    node_colors,
    normalize,
    srgb_linear,
    vol_rgb,
    vol_size,
)

ROOT = Path(__file__).resolve().parents[1]
FIGURES = {
    "gaussian 32x32": (
        "expr: L @ R\nnodes:\n  L: {shape: [32, 32], init: gaussian}\n"
        "  R: {shape: [32, 32], init: gaussian}\n"
    ),
    "attention head": (ROOT / "examples" / "attention-head.yaml").read_text("utf-8"),
    "bands of +-1": (
        'expr: L @ R\nnodes:\n  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}\n'
        '  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}\n'
    ),
}
REGIMES = ("discs", "cells")
METRICS = ("contrast", "weakest", "spread", "sign", "mark")
# Light >= 75 % of dark on every number (the HSL mirror it replaced scored 58 % for
# the weaker sign).  Not 100 %: mm's positive hue, cyan, is the brightest there is
# (L* 76-93 on black); on paper it must go deep, where sRGB has little chroma left,
# and how deep trades its contrast and spread against its distance from the black
# NaN mark (colors.LIGHT_FLOOR: the floor that keeps the worst ratio highest).
MARGIN = 0.25
SAMPLE = 20_000  # elements per view at most (an even stride): the GPT-2 head has 1.1 M
_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


def lab(rgb) -> np.ndarray:
    """CIELAB (D65) of sRGB colours (..., 3) in [0, 1]."""
    xyz = srgb_linear(rgb) @ _XYZ.T / _WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (xyz * 24389 / 27 + 16) / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1
    )


def delta_e(a, b) -> np.ndarray:
    return np.linalg.norm(lab(a) - lab(b), axis=-1)


def elements(scene):
    """(sign, vol, colors) per drawn matrix view, over its nonzero finite elements."""
    by_path = {n.path: n for n in scene.nodes}
    for view in scene.matrices:
        node = by_path[view.node]
        x = np.asarray(node.values, dtype=np.float32).ravel()
        x = x[np.isfinite(x) & (x != 0)]
        x = x[:: -(-x.size // SAMPLE)] if x.size else x
        vol = normalize(x, scene.ranges[view.node]).astype(np.float64)
        yield np.where(np.signbit(x), -1.0, 1.0), vol, node_colors(scene.spec, node)


def drawn(sign, vol, colors, theme, regime):
    """(colour (..., 3), drawn area (...)) of elements, as matrix.frag draws them."""
    diameter = np.minimum(1.0, colors.elem_scale * 0.72 * vol_size(vol, colors))
    if regime == "discs":
        return vol_rgb(sign, vol, colors, theme), np.pi / 4 * diameter**2
    largest = min(1.0, colors.elem_scale * 0.72)
    fade = 0.3 + 0.7 * diameter**2 / largest**2
    return vol_rgb(sign, vol, colors, theme, fade), np.ones_like(vol)


def measure(scene, theme: str, regime: str) -> dict:
    """{metric: value} for ``scene`` on ``theme``'s stage in ``regime``."""
    paper = np.asarray(PAPER_RGB[theme])
    ink = {1.0: [0.0, 0.0], -1.0: [0.0, 0.0]}  # sign -> [sum of area * dE, sum of area]
    spread, split, count, mark = 0.0, 0.0, 0, np.inf
    for sign, vol, colors in elements(scene):
        rgb, area = drawn(sign, vol, colors, theme, regime)
        de = delta_e(rgb, paper)
        mark = min(mark, float(delta_e(rgb, np.asarray(MARK_RGB[theme])).min(initial=np.inf)))
        other, _ = drawn(-sign, vol, colors, theme, regime)
        split += delta_e(rgb, other).sum()
        count += vol.size
        for s in ink:
            mine = sign == s
            ink[s][0] += float((area[mine] * de[mine]).sum())
            ink[s][1] += float(area[mine].sum())
            if mine.any():
                ends, _ = drawn(
                    np.full(2, s), np.quantile(vol[mine], [0.1, 0.9]), colors, theme, regime
                )
                spread += abs(np.diff(lstar(luminance(ends)))[0]) * mine.sum()
    per_sign = [a / w for a, w in ink.values() if w > 0]
    return {
        "contrast": sum(a for a, _ in ink.values()) / sum(w for _, w in ink.values()),
        "weakest": min(per_sign),
        "spread": spread / count,
        "sign": split / count,
        "mark": mark,
    }


def table() -> list:
    """[(figure, regime, {theme: {metric: value}})] for every figure and regime."""
    rows = []
    for name, text in FIGURES.items():
        scene = build(parse_spec(text))
        for regime in REGIMES:
            rows.append((name, regime, {t: measure(scene, t, regime) for t in THEMES}))
    return rows


def main() -> None:
    print(
        "legibility, CIELAB: dark | light (light / dark); light >= %d %% of dark"
        % (100 - 100 * MARGIN)
    )
    for name, regime, got in table():
        cells = []
        for m in METRICS:
            d, lt = got["dark"][m], got["light"][m]
            ratio = "%3.0f %%" % (100 * lt / d) if d > 0 else "  -  "
            cells.append("%s %5.1f | %5.1f (%s)" % (m, d, lt, ratio))
        print("%-15s %-5s  %s" % (name, regime, "   ".join(cells)))


if __name__ == "__main__":
    main()
