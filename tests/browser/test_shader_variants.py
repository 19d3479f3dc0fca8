"""matrix.frag variants by define: a quad without a highlight links a program without the
highlight code (smaller, faster to compile: the one warmup.js compiles), and a quad gets
the HIGHLIGHT variant exactly while it shows a highlight (the spec's or a named view's)."""

from __future__ import annotations

from .conftest import wait_ready
from .test_views import WORDS

# Per matrix: [HIGHLIGHT defined, the linked program has uMarkedInfo] for each of its quads.
PROGRAMS = """el => {
    const fig = window.mmViewer.figure(el);
    fig.renderNow();
    const props = fig.shared.renderer.properties;
    return Object.fromEntries(fig.graph.views.map(v => [v.node.path, v.meshes.map(m => {
        const program = props.get(m.material).currentProgram;
        return ['HIGHLIGHT' in m.material.defines, 'uMarkedInfo' in program.getUniforms().map];
    })]));
}"""


def wait_view(page, el, name):
    page.wait_for_function(
        "([el, name]) => el.dataset.mmView === name && !window.mmViewer.figure(el).viewMoving",
        arg=[el, name],
    )


def test_highlight_code_is_linked_only_where_a_highlight_shows(serve, page):
    page.goto(serve([WORDS]))
    wait_ready(page)
    el = page.query_selector("figure.mm-figure")
    plain = [[False, False]]
    assert page.evaluate(PROGRAMS, el) == {"root.left": plain, "root.right": plain, "root": plain}
    page.evaluate("el => window.mmViewer.figure(el).showView('drank')", el)
    wait_view(page, el, "drank")
    marked = [[True, True]]
    assert page.evaluate(PROGRAMS, el) == {"root.left": marked, "root.right": plain, "root": marked}
    page.evaluate("el => window.mmViewer.figure(el).showView('all')", el)
    wait_view(page, el, "all")
    assert page.evaluate(PROGRAMS, el) == {"root.left": plain, "root.right": plain, "root": plain}
    assert page.errors == []


def test_a_spec_highlight_draws_with_the_highlight_program_from_the_first_frame(serve, page):
    spec = WORDS.replace("init: gaussian}\n  K:", "init: gaussian, highlight: {rows: [dog]}}\n  K:")
    page.goto(serve([spec]))
    wait_ready(page)
    programs = page.evaluate(PROGRAMS, page.query_selector("figure.mm-figure"))
    assert programs["root.left"] == [[True, True]]
    assert programs["root.right"] == [[False, False]]
    assert page.errors == []
