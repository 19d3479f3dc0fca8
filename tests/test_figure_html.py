"""The placeholder HTML: escaped, deterministic, described for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mm_docs_plugin.core import build, decode_url_state, parse_spec
from mm_docs_plugin.core.scene.describe import describe
from mm_docs_plugin.figure_html import figure_html, figure_id

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
    html = figure_html(scene, "scene.mmsc?x=1&y=2", "poster.svg", figure_id="mm-x")
    root = ET.fromstring(html)  # well-formed: nothing unescaped broke the markup
    assert root.get("data-mm-state") == "poster" and root.get("role") == "img"
    assert root.get("aria-label") == 'a "quoted" <b>alt</b>'
    assert root.find("figcaption").text == "<script>alert(1)</script> & more"
    assert "<script>" not in html and root.get("data-mm-scene") == "scene.mmsc?x=1&y=2"
    assert decode_url_state(root.get("data-mm-spec")) == scene.spec
    again = figure_html(scene, "scene.mmsc?x=1&y=2", "poster.svg", figure_id="mm-x")
    assert again == html  # deterministic


def test_ids_come_from_the_page_and_the_fence():
    a = figure_id("a.md", "expr: A @ B", 0)
    assert a == figure_id("a.md", "expr: A @ B", 0)  # stable across builds
    others = {figure_id("a.md", "expr: A @ B", 1), figure_id("b.md", "expr: A @ B", 0)}
    others.add(figure_id("a.md", "expr: A @ C", 0))
    assert a not in others and len(others) == 3
    assert a.startswith("mm-") and len(a) == 15


def test_one_description_for_the_label_the_image_and_the_poster():
    from mm_docs_plugin.poster import render

    scene = build(parse_spec(HEAD))
    root = ET.fromstring(figure_html(scene, "s.mmsc", "p.svg", figure_id="f"))
    title = ET.fromstring(render(scene)).find("{http://www.w3.org/2000/svg}title").text
    assert root.get("aria-label") == root.find("img").get("alt") == title == describe(scene)
    given = build(parse_spec(HEAD + "alt: the attention pattern of one head\n"))
    title = ET.fromstring(render(given)).find("{http://www.w3.org/2000/svg}title").text
    assert title == "the attention pattern of one head"


def test_description_reads_the_same_from_a_scene_file():
    from mm_docs_plugin.core.scene.pack import unpack

    scene = build(parse_spec(HEAD))
    assert describe(type(scene).from_bytes(scene.to_bytes())) == describe(scene)
    header, _ = unpack(scene.to_bytes())  # what the viewer labels an edited figure with
    assert header["description"] == describe(scene)
    given = build(parse_spec(HEAD + "alt: one head\n"))
    assert unpack(given.to_bytes())[0]["description"] == "one head"
