"""Colours and sizes of elements: mm's value mapping, vectorised.

`ranges_by_sensitivity` finds, once per build, the range each node's |x| is
normalised over under each of mm's ``sensitivity`` modes (mm walks the whole tree
again for every element); `value_ranges` picks each node's own;
`colorize` maps values to RGB and size with mm's formulas (mm-reference §1.9):

    vol  = clip((|x| - absmin) / (absmax - absmin), 0, 1)
    size = min_size + (1 - min_size) * sqrt(vol)        (fraction of an element)
    hue  = (zero_hue + hue_gap * sign(x) + hue_spread * sign(x) * vol) mod 1
    HSL(hue, 1, min_light + (max_light - min_light) * sqrt(vol))

On the light stage (``theme="light"``) each colour is `on_paper`: its CIE
lightness mirrored about the paper, hue and full saturation kept, so an element
stands out from the near-white stage by as much lightness as it does from
mm's black one (mirroring HSL lightness instead turns mm's dim small values
into pastels: a 0.4-light cyan, CIE L* 76 on black, became L* 91 on white).

Zeros are not drawn (size 0, black).  Non-finite values are marked, not
hidden: ±Inf *and* NaN are white (black on light) at full size (mm hides NaN,
which makes a broken product look like a sparse one; callers that must tell NaN from Inf
test the values with ``np.isnan``).  A degenerate range (absmax <= absmin,
e.g. a constant matrix under ``superlocal``) divides by nothing: values at or
above absmax get vol 1 (full size), smaller ones vol 0.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Tuple

import numpy as np

Range = Tuple[float, float]
THEMES = ("dark", "light")
# The stage (figure/theme.js THEMES, matrix.frag LIGHT_PAPER) and the non-finite mark.
PAPER_RGB = {"dark": (0.0, 0.0, 0.0), "light": (250 / 255,) * 3}
MARK_RGB = {"dark": (1.0, 1.0, 1.0), "light": (0.0, 0.0, 0.0)}
# CIE L* below which light-theme colours are softly held (matrix.frag LIGHT_FLOOR).
# Only cyan, mm's brightest hue, gets this deep: deeper gives it more contrast and
# lightness spread, shallower keeps it further from the black NaN/Inf mark; 23
# balances the two (benchmarks/bench_legibility.py).
LIGHT_FLOOR = 23.0
REC709 = np.array([0.2126, 0.7152, 0.0722])  # relative luminance of linear RGB


def node_colors(spec: Any, node: Any) -> Any:
    """The colors settings of one scene node: the figure's, overridden per node.

    Leaves are looked up by matrix name (``K`` for ``K.T``), products by label.
    """
    key = node.matrix if node.kind == "leaf" and node.matrix else node.name
    ns = spec.nodes.get(key)
    overrides = getattr(ns, "colors", None) if ns is not None else None
    return spec.colors.replace(**overrides) if overrides else spec.colors


def _finite_abs(values: np.ndarray) -> np.ndarray:
    a = np.abs(np.asarray(values, dtype=np.float64)).ravel()
    return a[np.isfinite(a)]


SENSITIVITIES = ("global", "semilocal", "local", "superlocal")


def ranges_by_sensitivity(scene: Any) -> Dict[str, Dict[str, Range]]:
    """(absmin, absmax) per `SceneNode.path` under every sensitivity.

    global: (0, max finite |x| over every node); local: (0, the node's max);
    semilocal: (0, sqrt(local * global)); superlocal: (min, max) finite |x| of
    the node (zeros included, as mm does).  Empty or all-non-finite nodes give
    (0, 0).  Computed once per build and shipped in the scene file, so a reader
    switching sensitivity in the viewer needs no pass over the values.
    """
    local: Dict[str, Range] = {}
    for node in scene.nodes:
        a = _finite_abs(node.values)
        local[node.path] = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
    whole = max((hi for _, hi in local.values()), default=0.0)
    return {
        "global": {path: (0.0, whole) for path in local},
        "semilocal": {path: (0.0, math.sqrt(hi * whole)) for path, (_, hi) in local.items()},
        "local": {path: (0.0, hi) for path, (_, hi) in local.items()},
        "superlocal": dict(local),
    }


def value_ranges(scene: Any, by_sensitivity: Any = None) -> Dict[str, Range]:
    """(absmin, absmax) per `SceneNode.path`, following each node's own sensitivity."""
    every = by_sensitivity or ranges_by_sensitivity(scene)
    return {
        node.path: every[node_colors(scene.spec, node).sensitivity][node.path]
        for node in scene.nodes
    }


def normalize(values: np.ndarray, rng: Range) -> np.ndarray:
    """vol in [0, 1] for finite values (float32); NaN and ±Inf give NaN."""
    a = np.abs(np.asarray(values, dtype=np.float32))
    lo, hi = float(rng[0]), float(rng[1])
    with np.errstate(invalid="ignore", over="ignore"):
        if hi > lo:
            vol = (a - np.float32(lo)) / np.float32(hi - lo)
        else:
            vol = (a >= np.float32(hi)).astype(np.float32)
        vol = np.clip(vol, 0.0, 1.0).astype(np.float32)
    vol[~np.isfinite(a)] = np.nan
    return vol


def vol_size(vol: np.ndarray, colors: Any) -> np.ndarray:
    """Element size (fraction of the full element) for vol in [0, 1]."""
    ms = float(colors.min_size)
    return (ms + (1.0 - ms) * np.sqrt(vol)).astype(np.float32)


def vol_rgb(
    sign: np.ndarray, vol: np.ndarray, colors: Any, theme: str = "dark", fade: Any = 1.0
) -> np.ndarray:
    """RGB (..., 3) in [0, 1] for sign in {-1, 1} and vol in [0, 1], on ``theme``'s stage.

    ``fade`` in [0, 1] (broadcast) takes the colour toward the stage, as a pooled
    cell or a flat square is drawn by its element's size: mm's colour is scaled
    toward black, then (light) put `on_paper` - a paler tint of the same hue,
    where mixing the deep light colour with white would grey it.
    """
    sign = np.asarray(sign, dtype=np.float64)
    vol = np.asarray(vol, dtype=np.float64)
    hue = np.mod(colors.zero_hue + colors.hue_gap * sign + colors.hue_spread * sign * vol, 1.0)
    light = colors.min_light + (colors.max_light - colors.min_light) * np.sqrt(vol)
    rgb = hsl_to_rgb(hue, 1.0, light)
    if np.any(np.asarray(fade) != 1.0):  # unfaded, mm's colours stay as computed (float32)
        rgb = rgb * np.asarray(fade, dtype=np.float64)[..., None]
    return on_paper(rgb, hue) if theme == "light" else rgb


def on_paper(rgb: np.ndarray, hue: Any) -> np.ndarray:
    """mm's colour ``rgb`` (of HSL ``hue``, saturation 1) as drawn on the light stage.

    Target lightness: the paper's CIE L* less ``rgb``'s (so the element stands out
    from the paper as much as from black), softly floored at LIGHT_FLOOR
    (hypot: no kink, and mm's brightest values still come out deepest).  The
    colour is the pure hue scaled in linear light to that luminance (or, above
    the pure hue's own, mixed with white), so it keeps its dominant wavelength
    and full saturation (HSL's hue, read off gamma-encoded values, drifts by a
    few degrees).  matrix.frag's onPaper is the same function.
    """
    paper_l = lstar(luminance(np.asarray(PAPER_RGB["light"])))
    mirrored = np.maximum(paper_l - lstar(luminance(rgb)), 0.0)
    target = lstar_luminance(np.hypot(mirrored, LIGHT_FLOOR))[..., None]
    pure = srgb_linear(hsl_to_rgb(hue, 1.0, 0.5))
    yp = (pure @ REC709)[..., None]
    shade = pure * (target / yp)
    tint = pure + (1.0 - pure) * ((target - yp) / (1.0 - yp))
    return linear_srgb(np.where(target <= yp, shade, tint)).astype(np.float32)


def srgb_linear(c: Any) -> np.ndarray:
    c = np.asarray(c, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_srgb(c: Any) -> np.ndarray:
    c = np.clip(np.asarray(c, dtype=np.float64), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def luminance(rgb: Any) -> np.ndarray:
    """Relative luminance Y of sRGB colours (..., 3)."""
    return srgb_linear(rgb) @ REC709


def lstar(y: Any) -> np.ndarray:
    """CIE 1976 lightness L* (0 black .. 100 white) of relative luminance ``y``."""
    y = np.asarray(y, dtype=np.float64)
    return np.where(y > 216 / 24389, 116.0 * np.cbrt(y) - 16.0, y * 24389 / 27)


def lstar_luminance(lightness: Any) -> np.ndarray:
    """`lstar`'s inverse."""
    lightness = np.asarray(lightness, dtype=np.float64)
    return np.where(lightness > 8.0, ((lightness + 16.0) / 116.0) ** 3, lightness * 27 / 24389)


def hsl_to_rgb(h: Any, s: Any, light: Any) -> np.ndarray:
    """Standard HSL -> RGB, vectorised; h, s, light in [0, 1] (broadcast)."""
    h, s, light = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (h, s, light)))
    a = s * np.minimum(light, 1.0 - light)
    out = np.empty(h.shape + (3,), dtype=np.float32)
    for i, n in enumerate((0.0, 8.0, 4.0)):
        k = np.mod(n + h * 12.0, 12.0)
        out[..., i] = light - a * np.clip(np.minimum(k - 3.0, 9.0 - k), -1.0, 1.0)
    return out


def colorize(
    values: np.ndarray, rng: Range, colors: Any, theme: str = "dark"
) -> Tuple[np.ndarray, np.ndarray]:
    """(rgb float32 (..., 3) in [0, 1], size float32 (...)) for ``values``.

    ``colors`` is a colors Settings (or anything with its attributes); ``rng``
    comes from `value_ranges`.  Zeros: size 0, black.  NaN, ±Inf: MARK_RGB of
    ``theme`` (white on dark, black on light), size 1.
    """
    x = np.asarray(values, dtype=np.float32)
    vol = normalize(x, rng)
    bad = np.isnan(vol)
    vol0 = np.where(bad, 0.0, vol)
    rgb = vol_rgb(np.where(np.signbit(x), -1.0, 1.0), vol0, colors, theme)
    size = vol_size(vol0, colors)
    zero = x == 0
    rgb[zero] = 0.0
    size[zero] = 0.0
    rgb[bad] = MARK_RGB[theme]
    size[bad] = 1.0
    return rgb, size
