"""The fence as a plain SuperFences custom fence: Python-Markdown + pymdownx, no MkDocs."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from mm_docs_plugin import fence
from mm_docs_plugin.sourcemap import fence_lines

CONFIG = {
    "pymdownx.superfences": {
        "custom_fences": [
            {
                "name": "mm",
                "class": "mm",
                "format": fence.fence_format,
                "validator": fence.fence_validator,
            }
        ]
    }
}


def md(text: str) -> str:
    return markdown.markdown(text, extensions=["pymdownx.superfences"], extension_configs=CONFIG)


def test_fence_alone_renders_a_self_contained_figure():
    html = md("Hi\n\n```mm\nexpr: A @ B\n```\n")
    assert '<figure class="mm-figure"' in html
    assert 'data-mm-scene="data:application/octet-stream;base64,' in html
    assert html.count('src="data:image/svg+xml;base64,') == 2  # dark and light posters
    assert "<script" not in html


def test_fence_alone_error_box_and_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.mm"):
        html = md("```mm\nexpr: A @@ B\n```\n")
    assert '<div class="mm-error" role="alert">' in html
    assert "<code>expr: A @@ B</code>" in html
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_fence_writes_files_when_given_a_folder(tmp_path: Path):
    fence.set_context(fence.Context(out_dir=tmp_path, url_prefix="../assets/"))
    try:
        html = md("```mm\nexpr: A @ B\n```\n")
    finally:
        fence.set_context(None)
    names = sorted((p.name for p in tmp_path.iterdir()), key=lambda n: n.endswith(".svg"))
    assert [n.rsplit(".", 1)[1] for n in names] == ["mmsc", "svg", "svg"]  # dark, light
    assert 'data-mm-scene="../assets/%s"' % names[0] in html


def test_fence_lines_maps_bodies_to_opening_lines():
    text = "a\n\n```mm\nexpr: A @ B\n```\n\n- x\n\n    ~~~~mm\n    expr: C @ D\n    ~~~~\n```python\nx\n```\n"
    lines = fence_lines(text)
    assert lines == {"expr: A @ B": [3], "expr: C @ D": [9]}


def test_fence_lines_skips_mm_examples_inside_other_fences():
    text = "````markdown\n```mm\nexpr: A @ B\n```\n````\n\n```mm\nexpr: A @ B\n```\n"
    assert fence_lines(text) == {"expr: A @ B": [7]}


def _figures(html: str):
    return [ET.fromstring(m) for m in re.findall(r"<figure .*?</figure>", html, flags=re.S)]


def test_identical_fences_get_distinct_stable_ids():
    page = "```mm\nexpr: A @ B\n```\n\ntext\n\n```mm\nexpr: A @ B\n```\n"
    ids = [f.get("id") for f in _figures(md(page))]
    assert len(ids) == 2 and ids[0] != ids[1]
    assert [f.get("id") for f in _figures(md(page))] == ids  # the same on every build


def test_header_options_height_id_and_classes():
    (fig,) = _figures(md('```mm height="300"\nexpr: A @ B\n```\n'))
    assert "--mm-height: 300px" in fig.get("style")
    html = markdown.markdown(
        "```{.mm #attention .wide height=320}\nexpr: A @ B\n```\n",
        extensions=["attr_list", "pymdownx.superfences"],
        extension_configs=CONFIG,
    )
    (fig,) = _figures(html)
    assert fig.get("id") == "attention" and fig.get("class") == "mm-figure wide"
    assert "--mm-height: 320px" in fig.get("style")


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ('heigth="300"', "expr: A @ B", "unknown option 'heigth' in the fence header"),
        ('height="20"', "expr: A @ B", "header.height = 20 is out of range"),
        ('height="tall"', "expr: A @ B", "header.height must be a whole number, not 'tall'"),
        ('height="300"', "expr: A @ B\nheight: 400", "the height is given twice"),
    ],
)
def test_bad_header_options_are_visible_errors(caplog, header, body, message):
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.mm"):
        html = md("```mm %s\n%s\n```\n" % (header, body))
    assert '<div class="mm-error" role="alert">' in html
    assert any(message in r.getMessage() for r in caplog.records), caplog.text
    if "heigth" in header:
        assert "did you mean 'height'?" in caplog.text


def test_an_error_in_the_second_of_two_identical_fences_names_its_own_line(caplog):
    text = "```mm\nexpr: A @@ B\n```\n\nmore\n\n```mm\nexpr: A @@ B\n```\n"
    fence.set_context(fence.Context(page="p.md", lines=fence_lines(text)))
    try:
        with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.mm"):
            md(text)
    finally:
        fence.set_context(None)
    places = [r.getMessage().split(": ")[1] for r in caplog.records]  # after "mm: "
    assert places == ["p.md:2:9", "p.md:8:9"], places
