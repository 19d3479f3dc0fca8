"""The full-page view: state in the fragment, camera written back without history."""

from __future__ import annotations

import pytest

from mm_docs_plugin.core import encode_url_state, parse_spec

SPEC = "expr: out = A @ B\nnodes: {A: {shape: [8, 12]}}\n"


def app_url(serve, fragment):
    return serve([SPEC]).replace("index.html", "app.html") + "#" + fragment


def test_app_shows_the_scene_and_applies_the_camera(serve, page):
    state = encode_url_state(parse_spec(SPEC))
    page.goto(app_url(serve, "scene=fig0.mmsc&mm=%s&cam=30,20,40,1,2,3" % state))
    page.wait_for_function("document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'")
    page.wait_for_timeout(100)
    cam = page.evaluate(
        """() => { const f = mmViewer.figure(document.querySelector('#mm-app-figure'));
                   const p = f.camera.position, t = f.controls.orbit.target;
                   return [p.x, p.y, p.z, t.x, t.y, t.z]; }"""
    )
    assert cam == pytest.approx([30, 20, 40, 1, 2, 3])
    assert page.title() == "out = A @ B · mm-docs"
    # The figure is the page: focused, so keys, the wheel and fingers are its own at once.
    assert page.evaluate(
        """() => { const f = document.querySelector('#mm-app-figure');
                   return [document.activeElement === f, f.querySelector('canvas').style.touchAction]; }"""
    ) == [True, "none"]
    assert page.errors == []


def test_orbiting_rewrites_the_fragment_without_adding_history(serve, page):
    page.goto(app_url(serve, "scene=fig0.mmsc"))
    page.wait_for_function("document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'")
    before = page.evaluate("history.length")
    for _ in range(5):
        page.evaluate(
            """() => { const o = mmViewer.figure(document.querySelector('#mm-app-figure')).controls.orbit;
                       o.rotateLeft(0.1); o.update(); }"""
        )
    page.wait_for_function("location.hash.includes('cam=')", timeout=5000)
    assert page.evaluate("history.length") == before
    cam = page.evaluate("new URLSearchParams(location.hash.slice(1)).get('cam')").split(",")
    assert len(cam) == 6 and all(float(c) == float(c) for c in cam)


@pytest.mark.parametrize(
    "fragment,text",
    [
        ("scene=https://elsewhere.example/x.mmsc", "on another site"),
        ("mm=%%%", "could not be read"),
        ("", "No figure in this link"),
    ],
)
def test_bad_or_foreign_links_explain_themselves(serve, page, fragment, text):
    page.goto(app_url(serve, fragment))
    page.wait_for_selector(".mm-app-message")
    page.wait_for_function("t => document.body.textContent.includes(t)", arg=text, timeout=5000)


def test_a_spec_without_a_scene_says_what_it_needs(serve, page):
    state = encode_url_state(parse_spec(SPEC))
    page.goto(app_url(serve, "mm=" + state))
    page.wait_for_function("document.body.textContent.includes('out = A @ B')", timeout=5000)


def test_a_figures_full_view_link_opens_the_same_scene(serve, page):
    url = serve([SPEC])
    page.goto(url)
    page.wait_for_function("document.querySelector('figure.mm-figure').dataset.mmState === 'ready'")
    href = page.evaluate("mmViewer.figure(document.querySelector('figure.mm-figure')).linkHref()")
    assert "app.html#scene=" in href and "&mm=" in href
    page.goto(href)
    page.wait_for_function("document.querySelector('#mm-app-figure')?.dataset.mmState === 'ready'")
    assert page.errors == []
