"""Many figures on one page (issue 15, item 4): a figure far from the screen gives its
textures back to the GPU, and its canvas's pixels, and gets them again, drawn the same,
when the reader returns; the figure on the screen is built and drawn before those near
it, and scenes are built one per frame (figure/buildqueue.js)."""

from __future__ import annotations

from .conftest import wait_ready

SPEC = "expr: A @ B\nnodes: {A: {shape: [24, 16]}, B: {shape: [16, 20]}}\nanim: vmprod\n"
# Figures three viewports apart: near the screen one at a time.
APART = "figure.mm-figure { margin-bottom: 2200px !important }"

CHECKSUM = """el => {
    const c = mmViewer.figure(el).ctx, d = c.getImageData(0, 0, c.canvas.width, c.canvas.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0;
    return h;
}"""


def scroll_to(page, n):
    page.evaluate(
        "n => document.querySelectorAll('figure.mm-figure')[n].scrollIntoView({block: 'center'})", n
    )
    page.wait_for_function(
        "n => document.querySelectorAll('figure.mm-figure')[n].dataset.mmState === 'ready'", arg=n
    )
    page.wait_for_timeout(300)  # the observers' reports, a frame


def test_textures_leave_the_gpu_far_from_the_screen_and_come_back(page, serve):
    # Styled before the viewer's module runs (readyState "interactive" comes first): its
    # first scan measures where the figures are.
    page.add_init_script(
        "document.addEventListener('readystatechange', () => { const s = document.createElement('style');"
        " s.textContent = %r; document.head.appendChild(s); }, {once: true});" % APART
    )
    page.goto(serve([SPEC] * 4))
    wait_ready(page, 1)
    first = page.query_selector_all("figure.mm-figure")[0]
    # Hold the animation at one step: the picture must not change but by our doing.
    page.evaluate(
        "el => { const f = mmViewer.figure(el); f.player.pause(); f.seek(3); f.renderNow(); }",
        first,
    )
    drawn = page.evaluate(CHECKSUM, first)
    one = page.evaluate("mmViewer.stats()")
    held = page.evaluate("el => mmViewer.figure(el).textureBytes", first)
    assert one["figures"] == 1 and held > 0, (one, held)

    size = page.evaluate(
        "el => [mmViewer.figure(el).canvas.width, mmViewer.figure(el).canvas.height]", first
    )
    assert size[0] > 100 and size[1] > 100, size

    scroll_to(page, 3)
    far = page.evaluate(
        "el => { const f = mmViewer.figure(el); return [f.released, f.textureBytes, f.canvas.width, f.canvas.height]; }",
        first,
    )
    assert far == [True, 0, 0, 0]
    # Two figures mounted, the textures of one on the GPU: the same count as before.
    there = page.evaluate("mmViewer.stats()")
    assert there["figures"] == 2 and there["textures"] == one["textures"], (one, there)

    scroll_to(page, 0)
    back = page.evaluate(
        "el => { const f = mmViewer.figure(el); return [f.released, f.textureBytes, f.canvas.width, f.canvas.height]; }",
        first,
    )
    assert back == [False, held] + size
    assert page.evaluate("mmViewer.stats()")["textures"] == one["textures"]
    # Uploaded again from the CPU copies: the same picture.
    assert page.evaluate(CHECKSUM, first) == drawn
    assert page.errors == []


# The animation frame each figure was built in: document.timeline's time, which is the
# same for everything run in one frame, as its `mm:built` mark is made (figure.js).
FRAMES = """
window.__builtIn = {};
(() => {
    const mark = performance.mark.bind(performance);
    performance.mark = (name, options) => {
        if (String(name).startsWith('mm:built:')) __builtIn[name.slice(9)] = document.timeline.currentTime;
        return mark(name, options);
    };
})();
"""

ORDER = """() => {
    const ids = [...document.querySelectorAll('figure.mm-figure')].map(el => el.id);
    const at = (kind, id) => {
        const e = performance.getEntriesByName('mm:' + kind + ':' + id)[0];
        return e ? e.startTime : null;
    };
    return ids.map(id => ({bytes: at('scene-bytes', id), built: at('built', id),
        first: at('first-frame', id), frame: __builtIn[id]}));
}"""


def test_the_figure_on_the_screen_is_built_first_and_one_a_frame(page, tmp_path):
    from .conftest import start_server, write_site

    # Four figures: the first on the screen, the next three below it but within the
    # loading margin (one viewport): their scene files are fetched at once.
    write_site(tmp_path, [SPEC.replace("[16, 20]", "[16, %d]" % (20 + n)) for n in range(4)])
    css = (
        "figure.mm-figure { margin: 0 0 80px !important; --mm-height: 120px !important }"
        " figure.mm-figure:first-of-type { margin-bottom: 760px !important }"
    )
    page.add_init_script(
        "document.addEventListener('readystatechange', () => { const s = document.createElement('style');"
        " s.textContent = %r; document.head.appendChild(s); }, {once: true});" % css
    )
    page.add_init_script(FRAMES)
    server = start_server(tmp_path)
    held = []
    # The on-screen figure's scene comes last: held until the others have arrived.
    page.context.route("**/fig0.mmsc", lambda route: held.append(route))
    try:
        page.goto("http://127.0.0.1:%d/index.html" % server.server_address[1])
        page.wait_for_function(
            "['fig1', 'fig2', 'fig3'].every(n => performance.getEntriesByType('resource')"
            ".some(e => e.name.endsWith(n + '.mmsc') && e.responseEnd > 0))"
        )
        page.wait_for_timeout(300)  # frames go by: nothing may be built meanwhile
        where = page.evaluate(
            "[...document.querySelectorAll('figure.mm-figure')].map(el => { const f = mmViewer.figure(el);"
            " return [f.onScreen, f.near, f.built]; })"
        )
        assert len(held) == 1, held
        held[0].continue_()
        wait_ready(page)
        order = page.evaluate(ORDER)
    finally:
        server.shutdown()
    # Only the first is on the screen; all four are near it, and none was built while
    # the first one's scene was on its way.
    assert where == [[True, True, False]] + [[False, True, False]] * 3, where
    assert all(o["bytes"] < order[0]["bytes"] for o in order[1:]), order
    # The first figure is built and drawn before any other is built…
    assert all(order[0]["first"] < o["built"] for o in order[1:]), order
    # …and no two figures are built in the same animation frame.
    frames = [o["frame"] for o in order]
    assert len(set(frames)) == len(frames), order
    assert page.errors == []
