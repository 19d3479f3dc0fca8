"""Live editing of element-wise expressions: the page's Pyodide 0.17.1 worker computes
them with CPython's values, and a bad shape is CPython's message at its column."""

from __future__ import annotations

import pytest

from mm_docs_plugin.core import SpecError, parse_spec

from .test_live import (  # noqa: F401  (site17 is a fixture)
    SHOWN,
    assert_matches_cpython,
    open_editor,
    site17,
    wait_runtime,
)


def settle(page, outcome):
    """Wait for the edit to finish, and say why when it did not end as ``outcome``."""
    page.wait_for_function(
        "() => ['done', 'error'].includes("
        "document.querySelector('section.mm-editor')?.dataset.mmEdit)",
        timeout=90_000,
    )
    state = page.get_attribute("section.mm-editor", "data-mm-edit")
    assert state == outcome, page.text_content(".mm-editor")


def test_an_elementwise_edit_is_recomputed_in_the_browser(site17, page):  # noqa: F811
    open_editor(page, site17)
    wait_runtime(page)
    page.fill("input[aria-label='Expression']", "out = relu(A @ B + b) @ C * (y @ z)")
    settle(page, "done")
    shown = page.evaluate(SHOWN)
    assert shown["spec"]["expr"] == "out = relu(A @ B + b) @ C * (y @ z)"
    kinds = {
        n["name"]: n["kind"]
        for n in page.evaluate(
            "() => mmViewer.figure(document.querySelector('figure.mm-figure')).header.nodes"
        )
    }
    assert kinds["out"] == kinds["A @ B + b"] == "elementwise"
    assert_matches_cpython(shown)
    # An input's epilog, too.
    page.fill("input[aria-label='Expression']", "out = softmax(A) @ B @ C")
    settle(page, "done")
    shown = page.evaluate(SHOWN)
    assert "softmax(A)" in shown["nodes"]
    assert_matches_cpython(shown)
    # Shapes that cannot be added: CPython's message, word for word.
    page.fill("input[aria-label='Expression']", "out = A @ B + C")
    settle(page, "error")
    spec = dict(shown["spec"], expr="out = A @ B + C")
    with pytest.raises(SpecError) as err:
        parse_spec(spec)
    message = err.value.message
    assert page.text_content(".mm-edit-message") == message
    assert "`+` needs the same shape" in message
    assert page.errors == [], page.errors
