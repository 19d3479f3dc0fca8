"""The fence as a plain SuperFences custom fence: Python-Markdown + pymdownx, no MkDocs."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown

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
    assert 'src="data:image/svg+xml;base64,' in html
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
    assert [n.rsplit(".", 1)[1] for n in names] == ["mmsc", "svg"]
    assert 'data-mm-scene="../assets/%s"' % names[0] in html


def test_fence_lines_maps_bodies_to_opening_lines():
    text = "a\n\n```mm\nexpr: A @ B\n```\n\n- x\n\n    ~~~~mm\n    expr: C @ D\n    ~~~~\n```python\nx\n```\n"
    lines = fence_lines(text)
    assert lines == {"expr: A @ B": 3, "expr: C @ D": 9}


def test_fence_lines_skips_mm_examples_inside_other_fences():
    text = "````markdown\n```mm\nexpr: A @ B\n```\n````\n\n```mm\nexpr: A @ B\n```\n"
    assert fence_lines(text) == {"expr: A @ B": 7}
