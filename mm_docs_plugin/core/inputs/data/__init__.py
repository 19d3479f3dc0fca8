"""Leaf-matrix values from data files: .npy, .npz, .csv, .safetensors, or a URL.

A figure's leaf can say ``data: {path: weights.safetensors, key: ..., slice: "0:32, :",
transpose: true}``.  This module turns such a `DataSource` into a 2-D float32 array
(`load_data`) or just its shape (`data_shape`, cheap: headers only where the format
allows it), using only numpy and the standard library so it runs unchanged in
Pyodide (Python 3.8, numpy 1.17) and on current CPython/numpy.

Every bad file (missing, truncated, garbage, pickles, wrong dtype, ragged CSV) and
every bad selection is a `SpecError` naming the file or URL; remote data is off
unless the caller enables it (`RemoteDataDisabled` lets callers fall back to
placeholder values).  Parsed arrays are memoised in a small bounded cache so a
`data_shape` followed by `load_data` parses a large CSV once.
"""

from .load import clear_cache, data_shape, load_data
from .slices import parse_slice
from .source import FORMATS, DataSource, RemoteDataDisabled

__all__ = [
    "FORMATS",
    "DataSource",
    "RemoteDataDisabled",
    "clear_cache",
    "data_shape",
    "load_data",
    "parse_slice",
]
