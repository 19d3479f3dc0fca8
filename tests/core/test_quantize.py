"""precision: display8 — 8-bit codes with a (scale, zero) per row, against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, build, parse_spec
from mm_docs_plugin.core.scene.pack import SceneFileError, pack, unpack
from mm_docs_plugin.core.scene.quantize import (
    KEEP_F16_UP_TO,
    dequantize_rows,
    quantizable,
    quantization_error,
    quantize_rows,
)


def _rows(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((64, 300)) * rng.uniform(0.01, 100, (64, 1))  # very unequal rows
    x[3] = np.abs(x[3])  # one-sided rows use all 256 steps
    x[4] = -np.abs(x[4])
    x[5] = 0.0  # an all-zero row
    x[6, ::2] = 0.0  # zeros inside a row (a causal mask)
    return x.astype(np.float32)


def test_every_value_is_within_half_a_step_of_its_row_range():
    x = _rows()
    codes, params = quantize_rows(x)
    assert codes.dtype == np.uint8 and params.dtype == np.float32 and params.shape == (64, 2)
    back = dequantize_rows(codes, params).astype(np.float64)
    x64 = x.astype(np.float64)
    span = np.maximum(x64.max(1), 0) - np.minimum(x64.min(1), 0)
    near_zero = (np.abs(x64) < span[:, None] / 510) & (x64 != 0)
    err = np.where(near_zero, 0, np.abs(back - x64)).max(1)
    # half a step is span / 510; float32 scales add a relative 1e-6 at most
    assert np.all(err <= span / 510 * (1 + 1e-5) + 1e-30)
    # non-zero values within half a step of 0: one step of their sign, never 0
    assert near_zero.any()
    assert np.all(np.sign(back[near_zero]) == np.sign(x64[near_zero]))
    steps = np.broadcast_to(span[:, None] / 255, x64.shape)[near_zero]
    assert np.allclose(np.abs(back[near_zero]), steps, rtol=1e-5)
    # and the bound is reached, not loose: some row loses nearly half a step
    assert (err / np.where(span > 0, span, 1)).max() > 0.9 / 510


def test_zeros_stay_exact_and_one_sided_rows_use_every_step():
    x = _rows()
    back = dequantize_rows(*quantize_rows(x))
    assert np.all(back[5] == 0) and np.all(back[6, ::2] == 0)
    codes, params = quantize_rows(x)
    assert codes[3].min() == 1 and codes[3].max() == 255 and params[3, 1] == 0  # no 0 in it
    assert codes[4].min() == 0 and codes[4].max() == 254 and params[4, 1] == 255


def test_quantization_error_reports_the_worst_relative_error():
    e = quantization_error(_rows())
    # the worst is a value just above 0 moved one step out: just under 1/255 of the range
    assert 0.9 / 255 < e["rel_row_range"] <= 1.00001 / 255
    # a row spans at most twice the largest |value|
    assert e["abs"] > 0 and e["rel_peak"] <= 2.00001 / 255


def test_which_buffers_are_quantized():
    big = np.ones((256, 257), np.float32)
    assert quantizable(big)
    assert not quantizable(np.ones((256, 256), np.float32))  # KEEP_F16_UP_TO values: float16
    assert KEEP_F16_UP_TO == 256 * 256
    nan = big.copy()
    nan[0, 0] = np.nan
    assert not quantizable(nan)  # NaN has no code; float16 keeps it
    assert not quantizable(big * 70000)  # beyond float16: the viewer decodes to float16


SPEC = """
expr: attn = softmax(tril(Q @ K.T / sqrt(k)))
nodes:
  Q: {shape: [320, 16], init: gaussian}
  K: {shape: [320, 16], init: gaussian}
precision: %s
"""


def test_scene_file_round_trip():
    scene = build(parse_spec(SPEC % "display8"))
    data = scene.to_bytes()
    head, arrays = unpack(data)
    assert head["display8"] == {"n:root": "n:root/q8"}
    assert arrays["n:root"].dtype == np.uint8 and arrays["n:root"].shape == (320, 320)
    assert arrays["n:root/q8"].dtype == np.float32 and arrays["n:root/q8"].shape == (320, 2)
    assert arrays["m:Q"].dtype == np.float16  # small: float16, exact on hover
    back = Scene.from_bytes(data)
    attn, exact = back.root.values, scene.root.values
    assert attn.dtype == np.float32
    np.testing.assert_array_equal(attn, dequantize_rows(arrays["n:root"], arrays["n:root/q8"]))
    # within half a step of each row's range, or one step for values just above 0
    assert np.all(np.abs(attn - exact).max(1) <= exact.max(1) / 255 * 1.00001)
    assert np.all(attn[np.triu_indices(320, 1)] == 0)  # the mask's zeros
    np.testing.assert_array_equal(
        back.node_at("root.left").values, scene.nodes[1].values.astype(np.float16)
    )
    # the 8-bit file is about half the float16 one, and the float16 file is unchanged
    f16 = build(parse_spec(SPEC % "display")).to_bytes()
    assert "display8" not in unpack(f16)[0]
    assert len(data) < 0.6 * len(f16)
    assert back.to_bytes() == data  # packing the decoded scene gives the same bytes


def test_bad_display8_tables_are_scene_file_errors():
    head = {"format": "mm-docs scene", "display8": {"n:root": "n:root/q8"}}
    data = pack(head, {"n:root": np.zeros((2, 3), np.uint8)}, {"n:root": "u1"})
    with pytest.raises(
        SceneFileError,
        match="8-bit buffer 'n:root' lacks its codes or its per-row scales 'n:root/q8'",
    ):
        Scene.from_bytes(data)
