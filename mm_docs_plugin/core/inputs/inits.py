"""Initializers: the values of input matrices.

Every random init is seeded from the figure's ``seed`` and the matrix's *name*
(a stable hash), so adding a matrix or changing another's shape never changes a
matrix's values, and a link reproduces exactly what its author saw.  Random
numbers are made from the raw 64-bit PCG64 stream, not numpy's distribution
methods, so CPython with numpy 2 at build time and Pyodide with numpy 1.17 in the
browser produce the same bits.
"""

from __future__ import annotations

import hashlib
import math
from typing import Optional

import numpy as np

# name -> what it makes; the docs and the did-you-mean hints read this table.
INITS = {
    "rows": "i / (h - 1): each row one value, increasing down",
    "cols": "j / (w - 1): each column one value, increasing across",
    "row_major": "(i * w + j) / (h * w - 1): increasing along rows",
    "col_major": "(j * h + i) / (h * w - 1): increasing along columns",
    "uniform": "uniform in [min, max)",
    "gaussian": "normal with mean (min + max) / 2 and sd (max - min) / 2",
    "pt_linear": "PyTorch nn.Linear: uniform in ±1/sqrt(fan_in), fan_in = h (rows of x @ W's W)",
    "tril": "1 on and below the diagonal, 0 above",
    "triu": "1 on and above the diagonal, 0 below",
    "eye": "1 on the diagonal",
    "diff": "1 on the diagonal, -1 just below it (a difference operator)",
    "zeros": "all 0",
    "ones": "all 1",
    "constant": "all `value`",
    "arange": "0, 1, 2, ... in row-major order",
    "expr": "an element expression over i, j, h, w (`expr: ...`)",
    "data": "values from a file (`data: ...`)",
    "values": "every number given (`values: [[...], ...]`, at most 64×64)",
    "onehot": "row i is 1 at the column entry i names, 0 elsewhere (`onehot: [...]`)",
}
# Inits whose [0, 1] pattern (or unit distribution) is mapped onto [min, max].
RANGE_INITS = ("rows", "cols", "row_major", "col_major", "uniform", "gaussian")
RANDOM_INITS = ("uniform", "gaussian", "pt_linear")
DEFAULT_MIN, DEFAULT_MAX = -1.0, 1.0

_VALUES, _DROPOUT = 0, 1  # independent random streams per matrix


def matrix_rng(seed: int, name: str, stream: int = _VALUES) -> np.random.Generator:
    """The generator for one matrix: figure seed + stable hash of its name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[k : k + 4], "little") for k in range(0, 16, 4)]
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, int(seed) >> 32, stream, *words])


def uniform01(rng: np.random.Generator, shape) -> np.ndarray:
    """Uniform [0, 1) doubles from the top 53 bits of the raw stream."""
    n = int(np.prod(shape))
    raw = rng.bit_generator.random_raw(n) if n else np.zeros(0, dtype=np.uint64)
    return ((raw >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)).reshape(shape)


def standard_normal(rng: np.random.Generator, shape) -> np.ndarray:
    """N(0, 1) by Box–Muller over `uniform01` (version-independent, unlike rng.normal)."""
    n = int(np.prod(shape))
    half = (n + 1) // 2
    u = uniform01(rng, (2, half))
    radius = np.sqrt(-2.0 * np.log1p(-u[0]))  # 1 - u in (0, 1]: log never sees 0
    angle = 2.0 * math.pi * u[1]
    z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])[:n]
    return z.reshape(shape)


def make_values(
    init: str,
    shape,
    *,
    seed: int = 0,
    name: str = "",
    lo: float = DEFAULT_MIN,
    hi: float = DEFAULT_MAX,
    value: float = 0.0,
    dropout: float = 0.0,
) -> np.ndarray:
    """Values (float64, ``shape``) of a matrix made by one of the pattern/random inits.

    ``expr`` and ``data`` inits are made by their own modules; this covers the rest.
    ``lo``/``hi`` are the min/max range of `RANGE_INITS`; ``dropout`` zeroes
    each element with that probability (from its own stream, so changing the
    dropout does not reshuffle the values).
    """
    h, w = shape
    i, j = np.indices((h, w), dtype=np.float64)
    if init == "rows":
        x = i / max(h - 1, 1)
    elif init == "cols":
        x = j / max(w - 1, 1)
    elif init == "row_major":
        x = (i * w + j) / max(h * w - 1, 1)
    elif init == "col_major":
        x = (j * h + i) / max(h * w - 1, 1)
    elif init == "uniform":
        x = uniform01(matrix_rng(seed, name), (h, w))
    elif init == "gaussian":
        # mm: N(0.5, 0.5) mapped through [min, max]; i.e. mean (lo+hi)/2, sd (hi-lo)/2.
        x = 0.5 + 0.5 * standard_normal(matrix_rng(seed, name), (h, w))
    elif init == "pt_linear":
        # PyTorch's nn.Linear init with the right fan-in: for x @ W, W is
        # (in_features, out_features), so fan_in = h (mm uses w, a known bug).
        bound = 1.0 / math.sqrt(max(h, 1))
        x = (uniform01(matrix_rng(seed, name), (h, w)) * 2.0 - 1.0) * bound
    elif init == "tril":
        x = (j <= i).astype(np.float64)
    elif init == "triu":
        x = (j >= i).astype(np.float64)
    elif init == "eye":
        x = (i == j).astype(np.float64)
    elif init == "diff":
        x = (i == j).astype(np.float64) - (i == j + 1).astype(np.float64)
    elif init == "zeros":
        x = np.zeros((h, w))
    elif init == "ones":
        x = np.ones((h, w))
    elif init == "constant":
        x = np.full((h, w), float(value))
    elif init == "arange":
        x = i * w + j
    else:
        raise ValueError("make_values does not make %r" % init)
    if init in RANGE_INITS:
        x = lo + max(0.0, hi - lo) * x
    return apply_dropout(x, dropout, seed, name)


def apply_dropout(x: np.ndarray, p: float, seed: int, name: str) -> np.ndarray:
    if p <= 0:
        return x
    keep = uniform01(matrix_rng(seed, name, _DROPOUT), x.shape) >= p
    return np.where(keep, x, 0.0)


def placeholder(shape, seed: int, name: str, stream: Optional[int] = None) -> np.ndarray:
    """Stand-in values for remote data that was not fetched (shown with a warning)."""
    return 0.5 * standard_normal(matrix_rng(seed, name, 2 if stream is None else stream), shape)
