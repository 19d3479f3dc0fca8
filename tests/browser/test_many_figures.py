"""Many figures on one page (issue 15, item 4): a figure far from the screen gives its
textures back to the GPU and gets them again, drawn the same, when the reader returns."""

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

    scroll_to(page, 3)
    far = page.evaluate(
        "el => { const f = mmViewer.figure(el); return [f.released, f.textureBytes]; }", first
    )
    assert far == [True, 0]
    # Two figures mounted, the textures of one on the GPU: the same count as before.
    there = page.evaluate("mmViewer.stats()")
    assert there["figures"] == 2 and there["textures"] == one["textures"], (one, there)

    scroll_to(page, 0)
    back = page.evaluate(
        "el => { const f = mmViewer.figure(el); return [f.released, f.textureBytes]; }", first
    )
    assert back == [False, held]
    assert page.evaluate("mmViewer.stats()")["textures"] == one["textures"]
    # Uploaded again from the CPU copies: the same picture.
    assert page.evaluate(CHECKSUM, first) == drawn
    assert page.errors == []
