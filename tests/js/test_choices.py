"""The editor's menus (pyodide_app/src/live/choices.js) offer exactly the schema's names."""

from mm_docs_plugin.core.inputs import inits
from mm_docs_plugin.core.spec import sections

from .node import node_call


def test_editor_menus_match_the_schema():
    js = node_call(
        "live/choices.js",
        "{inits: m.INITS, algs: m.ALGS, schemes: m.SCHEMES, sens: m.SENSITIVITIES}",
    )
    assert js["inits"] == list(inits.INITS)
    assert js["algs"] == list(sections.ALGS)
    assert js["schemes"] == list(sections.LAYOUT.by_name["scheme"].choices)
    assert js["sens"] == list(sections.COLORS.by_name["sensitivity"].choices)
