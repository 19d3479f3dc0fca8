"""Epilogs against float64 numpy oracles; inits against their formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mm_docs_plugin.core import SpecError
from mm_docs_plugin.core.inputs import inits
from mm_docs_plugin.core.language import epilog as ep

RNG = np.random.default_rng(7)
X = RNG.standard_normal((6, 9)) * 4


def oracle_softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def oracle_causal_softmax(x):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        row = x[i, : i + 1]
        e = np.exp(row - row.max())
        out[i, : i + 1] = e / e.sum()
    return out


ORACLES = {
    "relu": lambda x: np.maximum(x, 0),
    "gelu": lambda x: np.array(
        [[0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in r] for r in x]
    ),
    "silu": lambda x: x / (1 + np.exp(-x)),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "square": lambda x: x**2,
    "softmax": oracle_softmax,
    "layernorm": lambda x: (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5),
    "layernorm_matrix": lambda x: (x - x.mean()) / np.sqrt(x.var() + 1e-5),
    "tril": np.tril,
    "triu": np.triu,
}


@pytest.mark.parametrize("name", sorted(ORACLES))
def test_each_epilog_matches_its_oracle(name):
    got = ep.apply(ep.parse_epilog(name), X, depth=9)
    np.testing.assert_allclose(got, ORACLES[name](X), rtol=1e-12, atol=1e-12)


def test_causal_softmax_has_exact_zeros_and_unit_rows():
    x = RNG.standard_normal((8, 8)) * 10
    got = ep.apply(ep.parse_epilog("softmax(tril(x / sqrt(k)))"), x, depth=64)
    np.testing.assert_allclose(got, oracle_causal_softmax(x / 8), rtol=1e-12)
    assert np.all(got[np.triu_indices(8, 1)] == 0.0)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)


def test_softmax_subtracts_the_row_max():
    x = np.array([[1000.0, 999.0], [-1000.0, -1001.0]])
    got = ep.apply(ep.parse_epilog("softmax"), x, depth=1)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, oracle_softmax(x))


def test_scales_use_the_depth():
    e = ep.parse_epilog("x / sqrt(k)")
    np.testing.assert_allclose(ep.apply(e, X, depth=16), X / 4)
    np.testing.assert_allclose(ep.apply(ep.parse_epilog("x / k"), X, depth=16), X / 16)
    np.testing.assert_allclose(ep.apply(ep.parse_epilog("x * 0.5"), X, depth=16), X / 2)


def test_epilog_text_round_trips():
    for text in ["softmax(tril(x / sqrt(k)))", "relu(x)", "x / 8", "layernorm(x * 2)"]:
        assert ep.epilog_text(ep.parse_epilog(text)) == text
    assert ep.epilog_text(ep.parse_epilog("none")) == "none"


def test_epilog_must_be_over_x():
    with pytest.raises(SpecError, match="written over x"):
        ep.parse_epilog("softmax(y)")


SHAPE = (5, 7)
I, J = np.indices(SHAPE, dtype=float)
FORMULAS = {
    "rows": I / 4,
    "cols": J / 6,
    "row_major": (I * 7 + J) / 34,
    "col_major": (J * 5 + I) / 34,
    "tril": (J <= I).astype(float),
    "triu": (J >= I).astype(float),
    "eye": (I == J).astype(float),
    "diff": (I == J).astype(float) - (I == J + 1),
    "zeros": np.zeros(SHAPE),
    "ones": np.ones(SHAPE),
    "arange": I * 7 + J,
}


@pytest.mark.parametrize("init", sorted(FORMULAS))
def test_pattern_inits_follow_mm_formulas(init):
    # Range inits see mm's affine min + (max - min) * f; use [0, 1] to read f itself.
    got = inits.make_values(init, SHAPE, lo=0.0, hi=1.0)
    np.testing.assert_allclose(got, FORMULAS[init])


def test_range_maps_onto_min_max():
    got = inits.make_values("row_major", SHAPE, lo=-1.0, hi=3.0)
    assert got.min() == -1.0 and got.max() == 3.0


def test_random_inits_are_seeded_per_name():
    a = inits.make_values("gaussian", (64, 64), seed=3, name="A")
    assert np.array_equal(a, inits.make_values("gaussian", (64, 64), seed=3, name="A"))
    assert not np.array_equal(a, inits.make_values("gaussian", (64, 64), seed=3, name="B"))
    assert not np.array_equal(a, inits.make_values("gaussian", (64, 64), seed=4, name="A"))


def test_gaussian_statistics():
    x = inits.make_values("gaussian", (400, 500), lo=-1.0, hi=1.0, name="g")
    assert abs(x.mean()) < 0.01 and abs(x.std() - 1.0) < 0.01
    u = inits.make_values("uniform", (400, 500), lo=2.0, hi=4.0, name="u")
    assert u.min() >= 2.0 and u.max() < 4.0 and abs(u.mean() - 3.0) < 0.01


def test_pt_linear_uses_fan_in_rows():
    x = inits.make_values("pt_linear", (400, 30), name="W")
    bound = 1 / math.sqrt(400)
    assert np.abs(x).max() <= bound and np.abs(x).max() > 0.95 * bound


def test_dropout_zeroes_the_expected_fraction_and_keeps_the_rest():
    base = inits.make_values("ones", (200, 200))
    dropped = inits.make_values("ones", (200, 200), dropout=0.25, name="d")
    assert abs((dropped == 0).mean() - 0.25) < 0.01
    assert np.all((dropped == 0) | (dropped == base))


def test_uniform_bits_are_fixed_for_a_seed():
    # The raw PCG64 stream is specified by numpy and identical in 1.17 and 2.x;
    # this checks our derivation from it stays fixed (first draws of one seed).
    rng = np.random.default_rng([0, 0, 0, 1, 2, 3, 4])
    raw = rng.bit_generator.random_raw(2)
    again = inits.uniform01(np.random.default_rng([0, 0, 0, 1, 2, 3, 4]), (2,))
    np.testing.assert_array_equal(again, (raw >> np.uint64(11)) * 2.0**-53)
