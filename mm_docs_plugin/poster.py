"""Poster: a static SVG picture of a figure's default view.

Shown before JavaScript runs, without WebGL, in print and in feeds.  Cost and
size grow with the poster's pixels, not with the number of elements:

- Orthographic projection along the camera's view direction.  Every block of
  every matrix is a parallelogram on screen, i.e. an affine image of a
  rectangle, so it is one embedded PNG under ``transform="matrix(...)"``,
  rasterised at about the resolution it covers on the poster.
- Big blocks are pooled: each pixel shows the element of largest |x| in its
  pool (sign kept, so masks, peaks and outliers stay visible; a mean would
  wash random signs to zero), dimmed by that element's size.  Blocks with
  cells of 3 px or more draw each element as a disc whose diameter is its
  size (mm's sprites), with the stage showing between them.
- PNGs are indexed: mm's colour is a function of sign and vol only, so a
  palette of 2 × 32 levels (+ transparent for zeros, the mark for NaN/±Inf)
  is exact to the eye and costs one byte per pixel before deflate.
- One poster per palette (`render_themes`): dark (mm's black stage) and light
  (colors.py's light mapping, the viewer's).  They differ only in their
  palettes, stage and legend colours, so the pixels are pooled and deflated
  once and each PNG gets its own PLTE; the page shows the one of its palette
  (figure_html.py, viewer.css).
- Painter's algorithm: blocks and flow-arrow vanes sorted back to front by
  the depth of their centre; legends on top, as escaped text, upright along
  their edge, at least MIN_FONT px, with room made for them in the framing.

The same scene always gives the same bytes.
"""

from __future__ import annotations

import base64
import math
import re
import struct
import zlib
from xml.sax.saxutils import escape

import numpy as np

from .core.scene.colors import (
    MARK_RGB,
    PAPER_RGB,
    THEMES,
    node_colors,
    normalize,
    vol_rgb,
    vol_size,
)
from .core.scene.describe import figure_alt
from .core.scene.geometry import add, cross, dot, scale, sub
from .placement import EDGE_GAP, Pose, place
from .poster_highlight import block_svg, highlight_mask

WIDTH, HEIGHT = 960, 540
MARGIN = 24.0
MAX_PIXELS = 240_000  # raster budget over all blocks: bounds the size of any poster
LEVELS = 32  # palette levels of vol per sign
MIN_FONT, MAX_FONT = 11.0, 26.0
MAX_EDGE_FONT, LINE_EM = 14.0, 1.2  # row and column labels (figure/labels.js); a line, in em
TEXT_EM = 0.6  # a sans-serif character's width, in em (legend boxes are estimated)
CHIP_EM = 0.3  # the padding of a name's chip, each side
DISC_PX = 3  # cells at least this many px wide are drawn as discs
MAX_CELL_PX = 64  # larger cells are left to the SVG renderer to scale
# Per palette: legend text and its halo, as viewer.css's --mm-legend and --mm-legend-halo.
LEGEND = {"dark": ("#ccccff", "#000"), "light": ("#262670", "#fafafa")}
IMAGE = (
    '<image data-node="%s" width="%d" height="%d" preserveAspectRatio="none" transform="matrix(%s)" '
    'href="data:image/png;base64,%s"/>'
)


def render(scene, width: int = WIDTH, height: int = HEIGHT, theme: str = "dark") -> str:
    """The SVG document (a str) for ``scene``'s default view on ``theme``'s stage."""
    return render_themes(scene, width, height, (theme,))[theme]


def render_themes(scene, width: int = WIDTH, height: int = HEIGHT, themes=THEMES) -> dict:
    """{theme: SVG document} for each of ``themes``, rasterised once."""
    cam = _Camera(scene.camera)
    views = list(scene.matrices)
    pts = [cam.project(p) for v in views for p in v.corners()]
    legends = list(scene.legends) if scene.spec.deco.legends > 0 else []
    fit = _Fit(pts + [cam.project(lg.anchor) for lg in legends], width, height)
    for _ in range(2):  # make room for the legends' text, whose size follows the scale
        pts_text = []
        for lg in legends:
            x, y = cam.project(lg.anchor)
            size, angle = _legend_style(lg, cam, fit)
            c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
            hw, hh = 0.3 * size * len(lg.text), 0.6 * size  # about half the text's box
            ex, ey = (hw * c + hh * s) / fit.s, (hw * s + hh * c) / fit.s
            pts_text += [(x - ex, y - ey), (x + ex, y + ey)]
        fit = _Fit(pts + pts_text, width, height)
    ranges = scene.ranges  # computed once by build, kept in the scene file
    by_path = {n.path: n for n in scene.nodes}

    blocks = []  # (view, block, screen axes a0, a1: px per element along rows, columns)
    area = 0.0
    for v in views:
        a0, a1 = (fit.linear(cam.linear(ax)) for ax in v.axes)
        for b in v.blocks:
            blocks.append((v, b, a0, a1))
            area += abs(a0[0] * a1[1] - a0[1] * a1[0]) * _n(b.rows) * _n(b.cols)
    res = min(1.0, math.sqrt(MAX_PIXELS / area)) if area > 0 else 1.0

    items = {t: [] for t in themes}  # theme -> [(depth, order, svg)]
    for order, (v, b, a0, a1) in enumerate(blocks):
        node = by_path[v.node]
        colors = node_colors(scene.spec, node)
        values = node.values[b.rows[0] : b.rows[1], b.cols[0] : b.cols[1]]
        raster = _block_raster(values, ranges[v.node], colors, a0, a1, res)
        if raster is None:
            continue
        (th, tw), idat, discs = raster
        nr, nc = values.shape
        ox, oy = fit.point(cam.project(b.origin))
        m = (a1[0] * nc / tw, a1[1] * nc / tw, a0[0] * nr / th, a0[1] * nr / th, ox, oy)
        centre = add(b.origin, add(scale(v.axes[0], nr / 2), scale(v.axes[1], nc / 2)))
        marked = None
        if node.highlight:  # the spec's highlight: veil and frame over the block
            mask = highlight_mask(node.highlight, node.values.shape)
            marked = mask[b.rows[0] : b.rows[1], b.cols[0] : b.cols[1]]
            affine = " ".join(_f(x, 4) for x in (a1[0], a1[1], a0[0], a0[1], ox, oy))
            cell_px = min(math.hypot(*a0), math.hypot(*a1))
        for t in themes:
            png = _png((th, tw), _palette(colors, discs, t), idat)
            data = base64.b64encode(png).decode("ascii")
            svg = IMAGE % (_text(v.node), tw, th, " ".join(_f(x, 4) for x in m), data)
            if marked is not None:
                svg += block_svg(marked, affine, cell_px, t)
            items[t].append((cam.depth(centre), order, svg))
    flow = float(scene.spec.deco.flow_guides)
    alpha = _f(0.3 + 0.5 * flow)
    for c in scene.cubes if flow > 0 else ():
        if c.arrow is None:
            continue
        for colour, vane in (("#4d7fff", c.arrow.left_vane), ("#ff4d4d", c.arrow.right_vane)):
            centre = scale(add(add(vane[0], vane[1]), vane[2]), 1 / 3)
            poly = " ".join("%s,%s" % tuple(map(_f, fit.point(cam.project(p)))) for p in vane)
            svg = '<polygon points="%s" fill="%s" fill-opacity="%s"/>' % (poly, colour, alpha)
            for t in themes:
                items[t].append((cam.depth(centre), len(blocks) + len(items[t]), svg))
    # Names on their faces (or elsewhere when taken), dimension labels where they fit:
    # the viewer's rules (placement.py), for this camera and picture.
    edge = _edge_detail(legends, cam, fit)
    places = [
        (lg.text, lg.kind, [_pose(lg, a, d, cam, fit, edge.get(n)) for a, d in _places(lg)])
        if edge.get(n, True)
        else (lg.text, lg.kind, [])  # left out by the level of detail
        for n, lg in enumerate(legends)
    ]
    poses = place(places, width, height, MIN_FONT)
    shown = [(lg, pose) for lg, pose in zip(legends, poses) if pose is not None]
    return {t: _document(scene, width, height, t, items[t], shown) for t in themes}


def _document(scene, width, height, theme, items, legends) -> str:
    paper = "#%02x%02x%02x" % tuple(round(c * 255) for c in PAPER_RGB[theme])
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" '
        'viewBox="0 0 %d %d" style="background:%s">' % (width, height, width, height, paper),
        "<title>%s</title>" % _text(figure_alt(scene)),
        '<rect width="%d" height="%d" fill="%s"/>' % (width, height, paper),
    ]
    out.extend(svg for _, _, svg in sorted(items, key=lambda it: (-it[0], it[1])))
    out.extend(_legend(lg, pose, theme) for lg, pose in legends)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- raster


def _block_raster(values, rng, colors, a0, a1, res):
    """((height, width), deflated pixels, discs) of one block's indexed PNG, or None
    when it is invisible; `_palette` colours the indices for a theme."""
    nr, nc = values.shape
    if nr == 0 or nc == 0:
        return None
    pr, kr = _step(math.hypot(*a0) * res, nr)
    pc, kc = _step(math.hypot(*a1) * res, nc)
    if pr > 1 or pc > 1:
        values = _pool(values, pr, pc)
    vol = normalize(values, rng)
    finite = ~np.isnan(vol)
    q = np.rint(np.where(finite, vol, 0) * (LEVELS - 1)).astype(np.uint8)
    index = np.where(np.signbit(values), 2 + LEVELS + q, 2 + q).astype(np.uint8)
    index[values == 0] = 0
    index[~finite] = 1
    discs = kr >= DISC_PX and kc >= DISC_PX
    if discs:
        sizes = vol_size(np.linspace(0.0, 1.0, LEVELS), colors)
        diameter = np.minimum(1.0, float(colors.elem_scale) * 0.72 * sizes)
        radius2 = np.append(np.zeros(2), np.tile((diameter / 2) ** 2, 2))
        radius2[1] = 0.25
        yy = ((np.arange(kr) + 0.5) / kr - 0.5) ** 2
        xx = ((np.arange(kc) + 0.5) / kc - 0.5) ** 2
        tile = yy[:, None] + xx[None, :]
        radius2[2:] = np.maximum(radius2[2:], tile.min())  # every nonzero keeps a pixel
        d2 = np.tile(tile, index.shape)
        index = np.repeat(np.repeat(index, kr, axis=0), kc, axis=1)
        index[d2 > radius2[index]] = 0
    elif kr > 1 or kc > 1:
        index = np.repeat(np.repeat(index, kr, axis=0), kc, axis=1)
    return index.shape, _deflate(index), discs


def _palette(colors, discs, theme):
    """The PNG palette (uint8 (2 + 2 × LEVELS, 3)): 0 zeros (transparent), 1 the
    non-finite mark, then LEVELS positive and LEVELS negative colours.  Pooled
    cells (not discs) fade toward the stage by their element's size."""
    levels = np.linspace(0.0, 1.0, LEVELS)
    fade = 1.0 if discs else 0.35 + 0.65 * vol_size(levels, colors)
    palette = np.zeros((2 + 2 * LEVELS, 3))
    palette[1] = MARK_RGB[theme]
    palette[2 : 2 + LEVELS] = vol_rgb(1.0, levels, colors, theme, fade)
    palette[2 + LEVELS :] = vol_rgb(-1.0, levels, colors, theme, fade)
    return np.rint(np.clip(palette, 0, 1) * 255).astype(np.uint8)


def _step(px_per_elem: float, n: int):
    """(pool, repeat) along one axis for ``px_per_elem`` pixels per element."""
    if px_per_elem >= 1.0:
        return 1, int(min(MAX_CELL_PX, math.floor(px_per_elem + 0.5)))
    return int(min(n, math.ceil(1.0 / max(px_per_elem, 1e-9)))), 1


def _pool(values: np.ndarray, pr: int, pc: int) -> np.ndarray:
    """The element of largest |x| (NaN first) in each pr × pc pool; edges padded with 0."""
    nr, nc = values.shape
    h, w = -(-nr // pr), -(-nc // pc)
    padded = np.zeros((h * pr, w * pc), dtype=np.float32)
    padded[:nr, :nc] = values
    pools = padded.reshape(h, pr, w, pc).transpose(0, 2, 1, 3).reshape(h, w, pr * pc)
    key = np.abs(pools)
    key[np.isnan(key)] = np.inf
    pick = np.argmax(key, axis=2)
    return np.take_along_axis(pools, pick[..., None], axis=2)[..., 0]


def _deflate(index: np.ndarray) -> bytes:
    """A PNG's IDAT data for 8-bit ``index``: filter 0 on every row, deflated."""
    raw = np.zeros((index.shape[0], index.shape[1] + 1), dtype=np.uint8)
    raw[:, 1:] = index
    return zlib.compress(raw.tobytes(), 9)


def _png(shape, rgb: np.ndarray, idat: bytes) -> bytes:
    """An 8-bit indexed PNG of ``shape`` from its deflated rows; palette entry 0 is transparent."""
    h, w = shape

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)),
            chunk(b"PLTE", rgb.tobytes()),
            chunk(b"tRNS", b"\x00"),
            chunk(b"IDAT", idat),
            chunk(b"IEND", b""),
        )
    )


# ---------------------------------------------------------------- geometry


class _Camera:
    """Orthographic: screen x along the camera's right, y down its up."""

    def __init__(self, camera) -> None:
        f = _unit(sub(camera.target, camera.position)) or (0.0, 0.0, -1.0)
        r = _unit(cross(f, camera.up)) or _unit(cross(f, (0.0, 0.0, -1.0))) or (1.0, 0.0, 0.0)
        self.f, self.r, self.u = f, r, cross(r, f)

    def linear(self, d):
        return (dot(d, self.r), -dot(d, self.u))

    project = linear

    def depth(self, p) -> float:
        return dot(p, self.f)


class _Fit:
    """Scales and centres projected points into the poster, keeping a margin."""

    def __init__(self, pts, width: int, height: int) -> None:
        xs, ys = [p[0] for p in pts] or [0.0], [p[1] for p in pts] or [0.0]
        dx, dy = max(xs) - min(xs), max(ys) - min(ys)
        sx = (width - 2 * MARGIN) / dx if dx > 0 else math.inf
        sy = (height - 2 * MARGIN) / dy if dy > 0 else math.inf
        self.s = min(sx, sy) if min(sx, sy) < math.inf else 1.0
        self.cx, self.cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        self.w2, self.h2 = width / 2, height / 2

    def linear(self, d):
        return (d[0] * self.s, d[1] * self.s)

    def point(self, p):
        return ((p[0] - self.cx) * self.s + self.w2, (p[1] - self.cy) * self.s + self.h2)


def _legend_style(lg, cam, fit, direction=None):
    """(font size in px, rotation in degrees): along its edge, upright, readable."""
    size = min(MAX_FONT, max(MIN_FONT, lg.size * fit.s * (1.0 if lg.kind == "name" else 1.2)))
    dx, dy = fit.linear(cam.linear(lg.direction if direction is None else direction))
    angle = 0.0
    if math.hypot(dx, dy) > 0.3 * fit.s:  # not seen end-on
        angle = math.degrees(math.atan2(dy, dx))
        angle = angle - 180 if angle > 90 else angle + 180 if angle <= -90 else angle
    return size, angle


def _places(lg):
    """(anchor, direction) of each place the legend may take, preferred first."""
    return [(lg.anchor, lg.direction), *lg.alternatives]


def _pose(lg, anchor, direction, cam, fit, edge_size=None) -> Pose:
    x, y = fit.point(cam.project(anchor))
    size, angle = _legend_style(lg, cam, fit, direction)
    chip = CHIP_EM if lg.kind == "name" else 0.0
    width = size * (TEXT_EM * len(lg.text) + 2 * chip)
    if edge_size:  # a row or column label: its side's size, reaching outward from the anchor
        size, width = edge_size, edge_size * TEXT_EM * len(lg.text)
        dx, dy = fit.linear(cam.linear(direction))
        length = math.hypot(dx, dy)
        if length > 0.3 * fit.s:
            x, y = x + dx / length * width / 2, y + dy / length * width / 2
    return Pose(x, y, size, angle, width, size * LINE_EM)


def _edge_detail(legends, cam, fit) -> dict:
    """{legend index: font size, or None when left out} for row and column labels: the
    viewer's level of detail (figure/labels.js): the labels' spacing on the poster sets
    their size, and under MIN_FONT every n-th is shown at MIN_FONT."""
    groups: dict = {}
    for n, lg in enumerate(legends):
        if lg.kind in ("row", "col"):
            groups.setdefault((lg.view, lg.kind), []).append(n)
    out = {}
    for members in groups.values():
        pitch = math.inf
        # The smallest step between neighbours on the poster, across the text's
        # direction (the poster is orthographic, but the labels' rows need not be even).
        points = [fit.point(cam.project(legends[m].anchor)) for m in members]
        tx, ty = fit.linear(cam.linear(legends[members[0]].direction))
        t = math.hypot(tx, ty)
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            sx, sy = x1 - x0, y1 - y0
            step = abs(sx * ty - sy * tx) / t if t > 1e-6 else math.hypot(sx, sy)
            pitch = min(pitch, step)
        size = (pitch - EDGE_GAP - 1) / LINE_EM  # a pixel spare: neighbours turn slightly apart
        stride = 1 if size >= MIN_FONT else math.ceil((MIN_FONT * LINE_EM + EDGE_GAP + 1) / pitch)
        size = min(MAX_EDGE_FONT, max(MIN_FONT, size))
        for k, m in enumerate(members):
            out[m] = size if k % stride == 0 else None
    return out


def _legend(lg, pose: Pose, theme: str) -> str:
    x, y, size, angle = pose.x, pose.y, pose.size, pose.angle
    text, halo = LEGEND[theme]
    rot = ' transform="rotate(%s %s %s)"' % (_f(angle), _f(x), _f(y)) if abs(angle) > 0.5 else ""
    chip = ""
    if lg.kind == "name":  # a chip of the stage's colour keeps a name readable on its face
        chip = (
            '<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" fill-opacity="0.72"%s/>'
            % (
                _f(x - pose.width / 2),
                _f(y - pose.height / 2),
                _f(pose.width),
                _f(pose.height),
                _f(size * 0.3),
                halo,
                rot,
            )
        )
    return chip + (
        '<text x="%s" y="%s" font-size="%s"%s fill="%s" stroke="%s" stroke-width="%s" '
        'paint-order="stroke" text-anchor="middle" dominant-baseline="middle" '
        'font-family="sans-serif">%s</text>'
        % (_f(x), _f(y), _f(size), rot, text, halo, _f(size / 6), _text(lg.text))
    )


def _text(s: str) -> str:
    """Character data: markup escaped, characters XML cannot hold dropped."""
    return escape(_NOT_XML.sub("", s))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _n(r) -> int:
    return r[1] - r[0]


def _f(x: float, digits: int = 2) -> str:
    s = ("%.*f" % (digits, x)).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _unit(a):
    """``a`` scaled to length 1, or None when it has no direction."""
    n = math.sqrt(dot(a, a))
    return scale(a, 1 / n) if n > 1e-12 else None
