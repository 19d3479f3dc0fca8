"""Named views in Chromium: a link `#FIGURE-ID:VIEW` in the page (clicked, or reached
with the keyboard) moves the figure's camera to the view the core resolved, sets its
animation step, changes the pixels, and records the view in the URL; Back returns."""

from __future__ import annotations

import pytest

from mm_docs_plugin.core import build

from .conftest import open_page, wait_ready

SPEC = """expr: out = (attn = Q @ K.T) @ V
nodes: {Q: {shape: [16, 8]}, K: {shape: [16, 8]}, V: {shape: [16, 8]}}
anim: vmprod
views:
  scores: {focus: attn, step: 4}
  top: {position: [0, 80, 1], target: [0, 0, 0]}
"""

CAMERA = """el => {
  const f = window.mmViewer.figure(el);
  return {position: f.camera.position.toArray(), target: f.controls.orbit.target.toArray(),
          step: f.player ? f.player.step : null, view: el.dataset.mmView || null};
}"""

PIXELS = """el => {
  const c = el.querySelector('canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 97) sum = (sum * 31 + d[i]) % 1000000007;
  return sum;
}"""


@pytest.fixture(params=["reduce", "no-preference"])
def motion_page(browser, request):
    pg = open_page(browser, viewport={"width": 1000, "height": 700}, reduced_motion=request.param)
    pg.motion = request.param
    yield pg
    pg.context.close()


def add_links(page, fig_id):
    page.evaluate(
        """id => {
          const p = document.createElement('p');
          p.innerHTML = '<a id="to-scores">scores</a> <a id="to-top">top</a>';
          p.querySelector('#to-scores').href = '#' + id + ':scores';
          p.querySelector('#to-top').href = '#' + id + ':top';
          document.body.prepend(p);
        }""",
        fig_id,
    )


def wait_view(page, el, name):
    page.wait_for_function(
        """([el, name]) => el.dataset.mmView === name && !window.mmViewer.figure(el).viewMoving""",
        arg=[el, name],
        timeout=10_000,
    )


def test_view_links_move_the_camera_and_record_the_view(serve, motion_page):
    page = motion_page
    page.goto(serve([SPEC]))
    wait_ready(page)
    el = page.query_selector("figure.mm-figure")
    fig_id = el.get_attribute("id")
    add_links(page, fig_id)
    views = {v["name"]: v for v in build(SPEC).views}
    before = el.evaluate(CAMERA)
    pixels = el.evaluate(PIXELS)
    # Record the camera every frame until the view is reached.
    el.evaluate(
        """el => {
          const f = window.mmViewer.figure(el);
          window.__path = [];
          let done = false;
          el.addEventListener('mm:view', () => { done = true; }, {once: true});
          const sample = () => {
            window.__path.push(f.camera.position.toArray());
            if (!done) requestAnimationFrame(sample);
          };
          requestAnimationFrame(sample);
        }"""
    )
    page.click("#to-scores")
    wait_view(page, el, "scores")
    # A short move through points between, or a jump when the reader prefers reduced motion.
    end = views["scores"]["position"]
    path = page.evaluate("window.__path")
    between = [
        p
        for p in path
        if p != pytest.approx(before["position"], abs=1e-3) and p != pytest.approx(end, abs=1e-3)
    ]
    assert bool(between) == (page.motion == "no-preference"), path
    page.wait_for_timeout(100)
    now = el.evaluate(CAMERA)
    assert now["position"] == pytest.approx(views["scores"]["position"], abs=1e-3)
    assert now["target"] == pytest.approx(views["scores"]["target"], abs=1e-3)
    assert now["position"] != pytest.approx(before["position"], abs=1)
    assert now["step"] == 4
    assert page.evaluate("location.hash") == "#%s:scores" % fig_id
    assert el.evaluate(PIXELS) != pixels
    # The figure's own list of views links the same states; the one shown is marked.
    nav = page.evaluate(
        """id => [...document.querySelectorAll(`nav.mm-views[data-mm-for="${id}"] a`)].map(
             a => [a.getAttribute('href'), a.textContent, a.getAttribute('aria-current')])""",
        fig_id,
    )
    assert nav == [
        ["#%s:scores" % fig_id, "scores", "true"],
        ["#%s:top" % fig_id, "top", None],
    ]
    assert "&view=scores" in el.evaluate("el => window.mmViewer.figure(el).linkHref()")
    # The keyboard: focus the other link, press Enter.
    page.focus("#to-top")
    page.keyboard.press("Enter")
    wait_view(page, el, "top")
    assert el.evaluate(CAMERA)["position"] == pytest.approx([0, 80, 1], abs=1e-3)
    assert el.evaluate("el => document.activeElement === el")  # keys now orbit the figure
    # Back: the previous view again.
    page.go_back()
    wait_view(page, el, "scores")
    assert el.evaluate(CAMERA)["position"] == pytest.approx(views["scores"]["position"], abs=1e-3)
    assert page.errors == []


def test_a_page_opened_at_a_view_shows_it(serve, page):
    url = serve([SPEC])
    page.goto(url)
    wait_ready(page)
    fig_id = page.query_selector("figure.mm-figure").get_attribute("id")
    page.goto(url + "#%s:top" % fig_id)
    page.reload()
    wait_ready(page)
    el = page.query_selector("figure.mm-figure")
    wait_view(page, el, "top")
    assert el.evaluate(CAMERA)["position"] == pytest.approx([0, 80, 1], abs=1e-3)


def test_the_full_view_link_opens_at_the_view_shown(serve, page):
    page.goto(serve([SPEC]))
    wait_ready(page)
    el = page.query_selector("figure.mm-figure")
    el.evaluate("el => window.mmViewer.figure(el).showView('top')")
    wait_view(page, el, "top")
    href = el.evaluate("el => window.mmViewer.figure(el).linkHref()")
    assert href.endswith("&view=top")
    page.goto(href)
    app = page.wait_for_selector("#mm-app-figure")
    wait_view(page, app, "top")
    assert app.evaluate(CAMERA)["position"] == pytest.approx([0, 80, 1], abs=1e-3)
    assert page.errors == []


WORDS = """expr: scores = Q @ K.T
labels: {tokens: [my, dog, drank, the, milk]}
nodes:
  Q: {labels: {rows: tokens}, shape: [null, 3], init: gaussian}
  K: {labels: {rows: tokens}, init: gaussian}
views:
  drank: {highlight: {Q: {rows: [drank]}}}
  all: {}
"""

MARKED = """el => Object.fromEntries(window.mmViewer.figure(el).graph.views.map(
  v => [v.node.path, v.marked.uMarkedInfo.value[0]]))"""


def test_a_views_highlight_dims_the_rest_and_leaving_it_restores(serve, page):
    page.goto(serve([WORDS]))
    wait_ready(page)
    el = page.query_selector("figure.mm-figure")
    before = page.evaluate(PIXELS, el)
    assert set(page.evaluate(MARKED, el).values()) == {0}
    page.evaluate("el => window.mmViewer.figure(el).showView('drank')", el)
    wait_view(page, el, "drank")
    page.wait_for_timeout(100)
    # Q's row and the scores' row it carries to are marked; K.T is not.
    assert page.evaluate(MARKED, el) == {"root.left": 1, "root": 1, "root.right": 0}
    assert page.evaluate(PIXELS, el) != before
    page.evaluate("el => window.mmViewer.figure(el).showView('all')", el)
    wait_view(page, el, "all")
    page.wait_for_timeout(100)
    assert set(page.evaluate(MARKED, el).values()) == {0}
    assert page.evaluate(PIXELS, el) == before
