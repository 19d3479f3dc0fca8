"""What makes a page's first frame early (issue 15, item 3), in Chromium.

The programs a first frame needs are compiled once per page, before any scene has
arrived (figure/warmup.js), and the figures then use those very programs; the head's
preloads (siteassets.preload_tags) are requests the viewer reuses, not second downloads.
"""

from __future__ import annotations

import pytest

from .conftest import wait_ready, write_site

# A matrix product with an animation (product planes) and flow arrows: every warm program.
ANIMATED = "expr: A @ B\nnodes: {A: {shape: [16, 8]}, B: {shape: [8, 12]}}\nanim: vmprod\n"


# The figure's matrix blocks and animation planes: how many, and how many programs draw them.
SHARED_PROGRAM = """() => {
    const fig = mmViewer.figure(document.querySelector('figure.mm-figure'));
    const props = fig.shared.renderer.properties;
    const blocks = fig.graph.views.flatMap(v => v.meshes);
    const planes = fig.graph.layers.children;
    const programs = new Set([...blocks, ...planes].map(m => props.get(m.material).currentProgram));
    return {blocks: blocks.length, planes: planes.length, programs: programs.size};
}"""


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_first_frames_programs_are_compiled_before_the_scene_arrives(page, tmp_path, theme):
    """In either palette: the warm program is the one the page's figures draw with."""
    from .conftest import start_server

    page.emulate_media(color_scheme=theme)
    write_site(tmp_path, [ANIMATED])
    server = start_server(tmp_path)
    held = []
    # Hold the scene file until the test has looked: the viewer has run, nothing is built.
    page.context.route("**/*.mmsc", lambda route: held.append(route))
    try:
        page.goto("http://127.0.0.1:%d/index.html" % server.server_address[1])
        for _ in range(300):  # the viewer has run and asked for the scene
            if held:
                break
            page.wait_for_timeout(50)
        assert len(held) == 1, held
        before = page.evaluate("mmViewer.stats()")
        state = page.get_attribute("figure.mm-figure", "data-mm-state")
        held[0].continue_()
        page.wait_for_function(
            "document.querySelector('figure.mm-figure').dataset.mmState === 'ready'"
        )
        after = page.evaluate("mmViewer.stats()")
    finally:
        server.shutdown()
    assert state == "loading"
    # matrix blocks and product planes (one program: matrix.vert/.frag), flow arrows
    assert before["programs"] == 2, before
    # The figure drew with the warm programs: three.js found each in its cache.
    assert after["programs"] == 2, after
    assert page.evaluate(SHARED_PROGRAM) == {"blocks": 3, "planes": 1, "programs": 1}
    assert page.errors == []


def test_preloaded_scene_files_are_fetched_once(page, tmp_path):
    from .conftest import start_server

    write_site(tmp_path, [ANIMATED, ANIMATED.replace("[8, 12]", "[8, 10]"), ANIMATED], preload=True)
    server = start_server(tmp_path)
    requests, console = [], []
    page.on("request", lambda r: requests.append(r.url.rsplit("/", 1)[-1]))
    page.on("console", lambda m: console.append(m.text))
    try:
        page.goto("http://127.0.0.1:%d/index.html" % server.server_address[1])
        page.wait_for_function(
            "[...document.querySelectorAll('figure.mm-figure')].every(f => f.dataset.mmState === 'ready')"
        )
        page.wait_for_timeout(300)  # a late duplicate request would show by now
    finally:
        server.shutdown()
    links = page.eval_on_selector_all(
        "link[rel=preload]", "ls => ls.map(l => l.href.split('/').pop())"
    )
    assert links == ["fig0.mmsc", "fig1.mmsc"]
    # Each file once: the preload's request was the viewer's own (same URL, CORS mode).
    assert sorted(u for u in requests if u.endswith(".mmsc")) == [
        "fig0.mmsc",
        "fig1.mmsc",
        "fig2.mmsc",
    ]
    assert requests.count("mm-viewer.js") == 1
    # Chromium warns of a preload fetched but not used, or unusable (credentials mode).
    assert not [m for m in console if "preload" in m], console
    assert page.errors == []


def test_axes_and_arrows_draw_with_our_shaders(page, serve):
    # The bundle has none of three's built-in shaders (build.mjs): the world axes and the
    # flow arrows are drawn by arrow.vert/.frag, in their colours.
    page.goto(serve(["expr: A @ B\nnodes: {A: {shape: [16, 8]}, B: {shape: [8, 12]}}\n"]))
    page.wait_for_function("document.querySelector('figure.mm-figure').dataset.mmState === 'ready'")
    colours = page.evaluate(
        """() => {
            const f = mmViewer.figure(document.querySelector('figure.mm-figure'));
            f.setDeco({axes: true, flow_guides: 1});
            f.renderNow();
            const c = f.ctx, d = c.getImageData(0, 0, c.canvas.width, c.canvas.height).data;
            let red = 0, arrow = 0;
            for (let i = 0; i < d.length; i += 4) {
                const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
                if (r > 240 && g < 20 && b < 20) red++;
                if (b > r + 60 && b > g + 30 && r > 40) arrow++;  // the left vane's blue, blended
            }
            return {red, arrow};
        }"""
    )
    # From this camera the x axis shows (y and z run behind the figure or out of view).
    assert colours["red"] > 20, colours
    assert colours["arrow"] > 100, colours
    assert page.errors == []


# Frames copied into each figure's canvas (gl/renderer.js drawInto), from the page's start.
COUNT_FRAMES = """
window.__frames = new Map();
const drawImage = CanvasRenderingContext2D.prototype.drawImage;
CanvasRenderingContext2D.prototype.drawImage = function (...args) {
  __frames.set(this.canvas, (__frames.get(this.canvas) || 0) + 1);
  return drawImage.apply(this, args);
};
"""


def test_a_still_figure_draws_its_first_frame_once(serve, page):
    """The first frame is drawn as the scene is built; the frame it had asked for before
    (resetView's) is that frame, not a second copy on the next animation frame, which
    would cost a whole draw where the page is busiest (and while Python starts, with
    `runtime: visible`)."""
    page.add_init_script(COUNT_FRAMES)
    page.goto(serve(["expr: A @ B\nnodes: {A: {shape: [16, 8]}, B: {shape: [8, 12]}}\n"]))
    wait_ready(page)
    page.wait_for_timeout(500)  # a redundant frame would have come by now
    frames = page.evaluate(
        "() => __frames.get(document.querySelector('figure.mm-figure canvas.mm-canvas'))"
    )
    assert frames == 1
    assert page.errors == []
