"""colors: mm's value -> colour/size mapping against a scalar colorsys reference."""

from __future__ import annotations

import colorsys
import math
from types import SimpleNamespace

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, build, parse_spec
from mm_docs_plugin.core.scene.colors import (
    LIGHT_FLOOR,
    colorize,
    hsl_to_rgb,
    node_colors,
    ranges_by_sensitivity,
    value_ranges,
    vol_rgb,
)
from mm_docs_plugin.core.spec.sections import COLORS

DEFAULT = COLORS.defaults()


def reference(x, lo, hi, c):
    """One value, written out from mm-reference §1.9 (sqrt of vol)."""
    if x == 0:
        return (0.0, 0.0, 0.0), 0.0
    if not math.isfinite(x):
        return (1.0, 1.0, 1.0), 1.0
    vol = min(1.0, max(0.0, (abs(x) - lo) / (hi - lo)))
    sign = 1.0 if x > 0 else -1.0
    hue = (c.zero_hue + c.hue_gap * sign + c.hue_spread * sign * vol) % 1.0
    light = c.min_light + (c.max_light - c.min_light) * math.sqrt(vol)
    size = c.min_size + (1 - c.min_size) * math.sqrt(vol)
    return colorsys.hls_to_rgb(hue, light, 1.0), size


@pytest.mark.parametrize(
    "c",
    [
        DEFAULT,
        SimpleNamespace(
            min_size=0.5, min_light=0.1, max_light=0.9, zero_hue=0.1, hue_gap=0.3, hue_spread=0.5
        ),
    ],
)
def test_formula_matches_scalar_reference(c):
    x = np.array([[-3.0, -1.5, -0.01, 0.0], [0.01, 0.7, 2.0, 3.0], [5.0, -5.0, 1.0, -1e-30]])
    lo, hi = 0.5, 3.0
    rgb, size = colorize(x, (lo, hi), c)
    assert rgb.shape == (3, 4, 3) and size.shape == (3, 4)
    assert rgb.dtype == np.float32 and size.dtype == np.float32
    for idx in np.ndindex(x.shape):
        want_rgb, want_size = reference(float(x[idx]), lo, hi, c)
        np.testing.assert_allclose(rgb[idx], want_rgb, atol=1e-6)
        assert size[idx] == pytest.approx(want_size, abs=1e-6)


def test_hsl_to_rgb_matches_colorsys_everywhere():
    h, light = np.meshgrid(np.linspace(0, 1, 37), np.linspace(0, 1, 11))
    for s in (0.0, 0.4, 1.0):
        got = hsl_to_rgb(h, s, light)
        for idx in np.ndindex(h.shape):
            want = colorsys.hls_to_rgb(h[idx], light[idx], s)
            np.testing.assert_allclose(got[idx], want, atol=1e-6)


def test_default_hues_positive_cyan_negative_red():
    rgb, _ = colorize(np.array([1.0, -1.0]), (0.0, 1.0), DEFAULT)
    hues = [colorsys.rgb_to_hls(*map(float, c))[0] for c in rgb]
    # sign part: (0.77 ± 0.74) mod 1 = 0.51 / 0.03, plus ±hue_spread at vol 1
    assert hues[0] == pytest.approx((0.77 + 0.74 + 0.04) % 1, abs=1e-4)  # 0.55: cyan-blue
    assert hues[1] == pytest.approx((0.77 - 0.74 - 0.04) % 1, abs=1e-4)  # 0.99: red
    pos, neg = rgb
    assert pos[2] > pos[0] and pos[1] > pos[0]  # blue and green over red
    assert neg[0] == 1.0 and neg[0] > 2 * max(neg[1], neg[2])  # red
    small, _ = colorize(np.array([1e-9, -1e-9]), (0.0, 1.0), DEFAULT)
    assert colorsys.rgb_to_hls(*map(float, small[0]))[0] == pytest.approx(0.51, abs=1e-4)
    assert colorsys.rgb_to_hls(*map(float, small[1]))[0] == pytest.approx(0.03, abs=1e-4)


def test_zero_nan_inf():
    rgb, size = colorize(np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1.0]), (0.0, 1.0), DEFAULT)
    np.testing.assert_array_equal(size[:5], [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(rgb[:2], 0.0)
    np.testing.assert_array_equal(rgb[2:5], 1.0)
    assert size[5] == 1.0 and not np.allclose(rgb[5], 1.0)


def lightness(rgb):
    """CIE L* of one sRGB colour, written out (IEC 61966-2-1, CIE 1976)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in map(float, rgb)]
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def test_light_mirrors_lightness_about_the_paper_and_keeps_the_hue():
    paper = lightness((250 / 255,) * 3)
    vol = np.linspace(0, 1, 9)
    for sign in (1.0, -1.0):
        dark, light = (vol_rgb(sign, vol, DEFAULT, theme) for theme in ("dark", "light"))
        for d, lt in zip(dark, light):
            want = math.hypot(max(paper - lightness(d), 0.0), LIGHT_FLOOR)
            assert lightness(lt) == pytest.approx(want, abs=0.05)
            h_dark, _, s_dark = colorsys.rgb_to_hls(*map(float, d))
            h_light, _, s_light = colorsys.rgb_to_hls(*map(float, lt))
            # The hue: scaled in linear light, the colour keeps its dominant wavelength;
            # HSL's hue, read off gamma-encoded values, drifts by a few degrees at most.
            assert abs((h_light - h_dark + 0.5) % 1 - 0.5) < 0.02
            assert s_dark == pytest.approx(1.0) and s_light > 0.99  # still saturated
        # small |x| lighter, large ones deeper: the mirror of dark
        assert lightness(light[0]) > lightness(light[-1])
        assert lightness(dark[0]) < lightness(dark[-1])


def test_a_faded_colour_fades_toward_the_stage():
    vol = np.array([0.0, 0.3, 1.0])
    for sign in (1.0, -1.0):
        dark = vol_rgb(sign, vol, DEFAULT)
        np.testing.assert_allclose(vol_rgb(sign, vol, DEFAULT, fade=0.4), 0.4 * dark, atol=1e-6)
        full, faded = (vol_rgb(sign, vol, DEFAULT, "light", f) for f in (1.0, 0.4))
        for a, b in zip(full, faded):
            assert lightness(b) > lightness(a) + 10  # toward the paper…
            ha, hb = (colorsys.rgb_to_hls(*map(float, c))[0] for c in (a, b))
            assert abs((ha - hb + 0.5) % 1 - 0.5) < 0.02  # …a paler tint of the same hue


def test_non_finite_marks_are_black_on_light():
    rgb, size = colorize(np.array([np.nan, np.inf, 0.0, 1.0]), (0.0, 1.0), DEFAULT, "light")
    np.testing.assert_array_equal(rgb[:3], 0.0)
    np.testing.assert_array_equal(size, [1, 1, 0, 1])
    assert rgb.dtype == np.float32 and rgb[3].max() > 0.2


def test_degenerate_ranges_do_not_divide_by_zero():
    with np.errstate(all="raise"):
        rgb, size = colorize(np.array([2.0, -2.0, 1.0, 0.0]), (2.0, 2.0), DEFAULT)
        np.testing.assert_allclose(size, [1.0, 1.0, DEFAULT.min_size, 0.0])
        _, size = colorize(np.zeros((3, 0)), (0.0, 0.0), DEFAULT)
        assert size.shape == (3, 0)
        _, size = colorize(np.zeros(4), (0.0, 0.0), DEFAULT)
        np.testing.assert_array_equal(size, 0.0)
    assert np.isfinite(rgb).all()


def test_values_beyond_the_range_are_clipped():
    _, size = colorize(np.array([10.0, 0.1]), (0.5, 1.0), DEFAULT)
    np.testing.assert_allclose(size, [1.0, DEFAULT.min_size])


SPEC = """
expr: C = A @ B
nodes:
  A: {shape: [2, 3], expr: "i + j + 1"}
  B: {shape: [3, 2], expr: "-(i + 1) * (j + 1)"}
"""


def ranges_for(extra):
    scene = build(parse_spec(SPEC + extra))
    return scene, value_ranges(scene)


def test_sensitivity_global_local_semilocal_superlocal():
    scene, r = ranges_for("")
    vals = {n.path: np.abs(n.values) for n in scene.nodes}
    whole = max(v.max() for v in vals.values())
    assert whole == pytest.approx(np.abs(scene.root.values).max())
    assert set(r) == {"root", "root.left", "root.right"}
    assert all(rng == (0.0, pytest.approx(whole)) for rng in r.values())

    _, r = ranges_for("colors: {sensitivity: local}\n")
    for path, v in vals.items():
        assert r[path] == (0.0, pytest.approx(v.max()))
    _, r = ranges_for("colors: {sensitivity: semilocal}\n")
    for path, v in vals.items():
        assert r[path] == (0.0, pytest.approx(math.sqrt(v.max() * whole)))
    _, r = ranges_for("colors: {sensitivity: superlocal}\n")
    for path, v in vals.items():
        assert r[path] == (pytest.approx(v.min()), pytest.approx(v.max()))


@pytest.mark.parametrize("mode", ["global", "semilocal", "local", "superlocal"])
def test_every_sensitivity_ships_in_the_scene_file(mode):
    """The viewer switches sensitivity from the header alone: each mode's ranges are
    the ones a build with that sensitivity computes, and they survive the file."""
    scene = build(parse_spec(SPEC))
    _, expected = ranges_for("colors: {sensitivity: %s}\n" % mode)
    assert scene.color_ranges[mode] == expected
    again = Scene.from_bytes(scene.to_bytes())
    assert again.color_ranges[mode] == expected
    assert sorted(again.color_ranges) == sorted(ranges_by_sensitivity(scene))


def test_per_node_overrides_by_matrix_name_and_product_label():
    extra = "colors: {sensitivity: local}\n"
    scene = build(
        parse_spec(
            SPEC.replace('"i + j + 1"}', '"i + j + 1", colors: {sensitivity: global}}') + extra
        )
    )
    r = value_ranges(scene)
    whole = float(np.abs(scene.root.values).max())
    assert r["root.left"] == (0.0, pytest.approx(whole))  # A: its own override
    assert r["root.right"] == (0.0, pytest.approx(np.abs(scene.nodes["B"].values).max()))
    scene = build(
        parse_spec(
            "expr: C = A @ K.T\nnodes: {K: {colors: {sensitivity: superlocal}}, "
            "C: {colors: {sensitivity: local, min_size: 0.5}}}"
        )
    )
    kt = scene.nodes["K.T"]
    assert node_colors(scene.spec, kt).sensitivity == "superlocal"
    assert node_colors(scene.spec, scene.root).min_size == 0.5
    assert node_colors(scene.spec, scene.nodes["A"]) == scene.spec.colors
    r = value_ranges(scene)
    assert r[kt.path][0] == pytest.approx(np.abs(kt.values).min())
    assert r["root"] == (0.0, pytest.approx(np.abs(scene.root.values).max()))


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_ranges_ignore_non_finite_values():
    scene = build(
        parse_spec(
            "expr: C = A @ B\nnodes: {A: {shape: [2, 2], expr: 'log(i + j)'}, "
            "B: {shape: [2, 2], init: ones}}\ncolors: {sensitivity: superlocal}"
        )
    )
    a = scene.nodes["A"].values
    assert np.isinf(a).any()  # log(0)
    lo, hi = value_ranges(scene)["root.left"]
    finite = np.abs(a[np.isfinite(a)])
    assert (lo, hi) == (pytest.approx(finite.min()), pytest.approx(finite.max()))
