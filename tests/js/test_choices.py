"""The editor's menus (pyodide_app/src/live/choices.js) offer exactly the schema's names."""

from mm_docs_plugin.core import inits, schema

from .node import node_call


def test_editor_menus_match_the_schema():
    js = node_call(
        "live/choices.js",
        "{inits: m.INITS, algs: m.ALGS, schemes: m.SCHEMES, sens: m.SENSITIVITIES}",
    )
    assert js["inits"] == list(inits.INITS)
    assert js["algs"] == list(schema.ALGS)
    assert js["schemes"] == list(schema.LAYOUT.by_name["scheme"].choices)
    assert js["sens"] == list(schema.COLORS.by_name["sensitivity"].choices)
