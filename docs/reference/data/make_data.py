"""Writes the tiny data files the reference pages load (run once; the files are committed).

    .venv/bin/python docs/reference/data/make_data.py

Values are smooth, signed patterns (no randomness), so the figures are easy to read.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def wave(h: int, w: int, a: float, b: float) -> np.ndarray:
    i, j = np.indices((h, w), dtype=np.float64)
    return np.sin(a * i + b * j).astype(np.float32)


def write_safetensors(path: Path, tensors: dict) -> None:
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header to 8 bytes
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main() -> None:
    np.save(HERE / "embed.npy", wave(16, 8, 0.4, 0.8))
    np.savez(HERE / "weights.npz", wq=wave(8, 16, 0.7, 0.3), wk=wave(8, 16, 0.2, 0.9))
    table = wave(8, 12, 0.5, 0.5)
    lines = [",".join("c%d" % n for n in range(12))]  # a header row
    lines += [",".join("%.4f" % v for v in row) for row in table]
    (HERE / "table.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "grid.txt").write_text(
        "\n".join(" ".join("%.4f" % v for v in row) for row in wave(8, 8, 0.9, -0.6)) + "\n",
        encoding="utf-8",
    )
    layers = np.stack([wave(16, 8, 0.3, 0.6), wave(16, 8, -0.5, 0.4)])  # 2 x 16 x 8
    write_safetensors(HERE / "model.safetensors", {"layers.weight": layers})


if __name__ == "__main__":
    main()
