"""The full-size GPT-2 layer (examples/gpt2-layer.yaml) against the element limit.

Issue 15, item 1: the limit must allow the layer with one documented option and say
clearly, past it, what the figure needs and how to raise the limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mm_docs_plugin.core import Limits, SpecError, parse_spec

LAYER = (Path(__file__).resolve().parents[2] / "examples" / "gpt2-layer.yaml").read_text()
ELEMENTS = 13_303_808  # every drawn matrix: 3 × input, 4 head weights, FFN_1, FFN_2, 8 products


def test_the_layer_is_refused_by_default_with_the_number_it_needs():
    with pytest.raises(SpecError) as info:
        parse_spec(LAYER)
    e = info.value
    assert e.message == "the figure has 13,303,808 elements; the limit is 4,000,000"
    assert e.hint == (
        "use smaller shapes, or raise the limit to at least 13,303,808 (the plugin option"
        " max_elements in mkdocs.yml, or Limits(max_elements=...)); largest:"
        " attn_out @ FFN_1 1024×3072, FFN_1 768×3072, FFN_2 3072×768"
    )
    assert (e.line, e.column) == (6, 3)  # the expression, where the figure starts


def test_one_option_allows_it():
    spec = parse_spec(LAYER, limits=Limits(max_elements=ELEMENTS))
    assert sum(t.shape[0] * t.shape[1] for t in spec.tree.walk()) == ELEMENTS
    with pytest.raises(SpecError, match="13,303,808 elements; the limit is 13,303,807"):
        parse_spec(LAYER, limits=Limits(max_elements=ELEMENTS - 1))
