"""The placeholder HTML: escaped, deterministic, described for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mm_docs_plugin.core import build, decode_url_state, parse_spec
from mm_docs_plugin.figure_html import describe, figure_html

HEAD = "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\nnodes: {Q: {shape: [256, 64]}, K: {shape: [256, 64]}, V: {shape: [256, 64]}}\n"


def test_description_reads_like_a_sentence():
    text = describe(build(parse_spec(HEAD)))
    assert text == (
        "Q (256×64) @ K.T (64×256) → attn (256×256), scaled, causal softmax; "
        "attn (256×256) @ V (256×64) → out (256×64)"
    )


def test_placeholder_is_escaped_and_carries_the_spec():
    spec = HEAD + 'caption: "<script>alert(1)</script> & more"\nalt: "a \\"quoted\\" <b>alt</b>"\n'
    scene = build(parse_spec(spec))
    html = figure_html(scene, "scene.mmsc?x=1&y=2", "poster.svg")
    root = ET.fromstring(html)  # well-formed: nothing unescaped broke the markup
    assert root.get("data-mm-state") == "poster" and root.get("role") == "img"
    assert root.get("aria-label") == 'a "quoted" <b>alt</b>'
    assert root.find("figcaption").text == "<script>alert(1)</script> & more"
    assert "<script>" not in html and root.get("data-mm-scene") == "scene.mmsc?x=1&y=2"
    assert decode_url_state(root.get("data-mm-spec")) == scene.spec
    assert figure_html(scene, "scene.mmsc?x=1&y=2", "poster.svg") == html  # deterministic
