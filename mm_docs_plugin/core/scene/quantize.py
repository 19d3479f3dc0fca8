"""8-bit display precision (``precision: display8``): one byte per value, a scale per row.

Each row of a matrix is quantised on its own (affine, the zero point an integer, as
PyTorch's per-channel quantisation does)::

    lo, hi = min(row, 0), max(row, 0)          # the range always holds 0
    scale  = (hi - lo) / 255                   # stored as float32
    zero   = round(-lo / scale)                # 0..255, stored as float32
    code   = clip(round(x / scale) + zero, 0, 255)       # uint8
    value  = (code - zero) * scale

so 0 is exact (a causal mask's zeros stay zeros: mm draws them as empty cells), a row
of softmax weights (all >= 0) uses all 256 steps, and every value is within
``scale / 2`` of the original: at most 1/510 of its row's range — except a non-zero
value within half a step of 0, which becomes one step of its sign (within ``scale``),
so that no drawn cell turns into an empty one.  The colour ranges
are computed from the exact values and shipped in the header, so the colour mapping
itself does not move; only each cell's value moves, by at most that half step.

Buffers stay float16 when quantising buys little or cannot be right: small matrices
(at most `KEEP_F16_UP_TO` values, so hovering them still shows the float16 value),
rows with NaN or ±inf, and values beyond float16's range (the viewer decodes the
bytes back to float16 for the GPU).
"""

from __future__ import annotations

from typing import Dict, Tuple

import numpy as np

KEEP_F16_UP_TO = 65_536  # values; a 256×256 matrix costs 128 KB as float16
_F16_MAX = float(np.finfo(np.float16).max)
PARAMS_SUFFIX = "/q8"  # the buffer of a quantised buffer's (scale, zero) per row


def quantizable(values: np.ndarray) -> bool:
    """Whether ``values`` (2-D) is stored as 8 bits under ``precision: display8``."""
    if values.ndim != 2 or values.size <= KEEP_F16_UP_TO:
        return False
    if not np.isfinite(values).all():
        return False
    return float(np.abs(values).max()) <= _F16_MAX


def quantize_rows(values: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """``(codes, params)``: uint8 codes of ``values``' shape, float32 ``[rows, 2]`` of
    (scale, zero) per row.  ``values`` must be finite and 2-D."""
    x = np.asarray(values, dtype=np.float64)
    lo = np.minimum(x.min(axis=1), 0.0)
    hi = np.maximum(x.max(axis=1), 0.0)
    # float32 scales, and codes computed with the float32 scale the reader will use
    scale = ((hi - lo) / 255.0).astype(np.float32).astype(np.float64)
    scale[scale == 0] = 1.0  # an all-zero row: any scale; codes are all `zero`
    zero = np.clip(np.round(-lo / scale), 0, 255)
    codes = np.round(x / scale[:, None]) + zero[:, None]
    # A non-zero value within half a step of 0 keeps its sign one step out: mm draws 0 as
    # an empty cell, a tiny value as a small disc of its sign's hue.
    tiny = (codes == zero[:, None]) & (x != 0)
    codes[tiny] += np.sign(x[tiny])
    codes = np.clip(codes, 0, 255).astype(np.uint8)
    params = np.stack([scale, zero], axis=1).astype(np.float32)
    return codes, params


def dequantize_rows(codes: np.ndarray, params: np.ndarray) -> np.ndarray:
    """The float32 values ``quantize_rows`` stands for (the viewer's decode, in numpy)."""
    p = np.asarray(params, dtype=np.float32)
    return ((codes.astype(np.float32) - p[:, 1:2]) * p[:, 0:1]).astype(np.float32)


def quantization_error(values: np.ndarray) -> Dict[str, float]:
    """How far 8 bits move ``values``: the worst absolute error, and the worst error
    relative to the value's row range and to the whole matrix's largest |value|."""
    codes, params = quantize_rows(values)
    x = np.asarray(values, dtype=np.float64)
    err = np.abs(dequantize_rows(codes, params).astype(np.float64) - x)
    span = np.maximum(x.max(axis=1), 0.0) - np.minimum(x.min(axis=1), 0.0)
    row_rel = err.max(axis=1) / np.where(span > 0, span, 1.0)
    peak = float(np.abs(x).max())
    return {
        "abs": float(err.max()),
        "rel_row_range": float(row_rel.max()),
        "rel_peak": float(err.max()) / peak if peak > 0 else 0.0,
    }
