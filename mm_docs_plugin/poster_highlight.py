"""The spec's highlight on the poster: the viewer's rules (matrix.frag, figure/highlight.js)
as SVG over one block's image.

What a node does not highlight is veiled in the paper's colour (leaving MARK_DIM of
it, as the shader does), and where cells are large enough to show it (3 px, as the
shader) the highlighted region gets a frame in the ink colour along its boundary: a
frame, not a hue, so colour-blind readers see it too.  Both are drawn in the block's
own coordinates (x along columns, y along rows, one unit per element) under the
block's affine map, so they cover exactly the cells the image shows.
"""

from __future__ import annotations

from typing import List, Tuple

import numpy as np

from .core.scene.colors import MARK_RGB, PAPER_RGB

MARK_DIM = 0.2  # matrix.frag's: what is left of an element that is not highlighted
FRAME_MIN_PX = 3.0  # cells smaller than this get no frame (matrix.frag's smoothstep)


def highlight_mask(highlight, shape) -> np.ndarray:
    """Boolean (rows, cols): True where the node's highlight covers the cell."""
    mask = np.zeros(shape, dtype=bool)
    mask[list(highlight.rows), :] = True
    mask[:, list(highlight.cols)] = True
    for r, c in highlight.cells:
        mask[r, c] = True
    return mask


def block_svg(mask: np.ndarray, transform: str, cell_px: float, theme: str) -> str:
    """The veil and frame over one block (``mask`` is the block's part of the node's)."""
    paper = _hex(PAPER_RGB[theme])
    ink = _hex(MARK_RGB[theme])
    out = ['<g transform="matrix(%s)">' % transform]
    veil = _runs(~mask)
    if veil:
        out.append(
            '<path d="%s" fill="%s" fill-opacity="%s"/>'
            % (" ".join(_rect(*r) for r in veil), paper, 1 - MARK_DIM)
        )
    if cell_px >= FRAME_MIN_PX and mask.any():
        out.append(
            '<path d="%s" fill="none" stroke="%s" stroke-opacity="0.9" stroke-width="1.5" '
            'vector-effect="non-scaling-stroke"/>' % (" ".join(_boundary(mask)), ink)
        )
    out.append("</g>")
    return "".join(out)


def _runs(mask: np.ndarray) -> List[Tuple[int, int, int, int]]:
    """(row0, row1, col0, col1) rectangles covering ``mask``: runs along each row, equal
    runs of consecutive rows merged (rows and columns make few rectangles)."""
    rects: List[Tuple[int, int, int, int]] = []
    open_: dict = {}  # (c0, c1) -> first row of a rectangle still growing
    for r in range(mask.shape[0] + 1):
        row = mask[r] if r < mask.shape[0] else np.zeros(mask.shape[1], dtype=bool)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        now = set(zip(edges[::2].tolist(), edges[1::2].tolist()))
        for span in list(open_):
            if span not in now:
                rects.append((open_.pop(span), r, span[0], span[1]))
        for span in now:
            open_.setdefault(span, r)
    return sorted(rects)


def _boundary(mask: np.ndarray) -> List[str]:
    """Path segments along every edge between a highlighted cell and one that is not (or
    the block's edge), joined into runs."""
    padded = np.pad(mask, 1).astype(np.int8)
    segments = []
    horizontal = np.diff(padded[:, 1:-1], axis=0) != 0  # (rows + 1, cols): edge above row r
    for r in range(horizontal.shape[0]):
        for c0, c1 in _spans(horizontal[r]):
            segments.append("M%d %dH%d" % (c0, r, c1))
    vertical = np.diff(padded[1:-1, :], axis=1) != 0  # (rows, cols + 1): edge left of col c
    for c in range(vertical.shape[1]):
        for r0, r1 in _spans(vertical[:, c]):
            segments.append("M%d %dV%d" % (c, r0, r1))
    return segments


def _spans(line: np.ndarray) -> List[Tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], line.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _rect(r0: int, r1: int, c0: int, c1: int) -> str:
    return "M%d %dH%dV%dH%dZ" % (c0, r0, c1, r1, c0)


def _hex(rgb) -> str:
    return "#%02x%02x%02x" % tuple(round(c * 255) for c in rgb)
