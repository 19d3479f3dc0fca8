"""A page of 72 attention-head figures (a 6-layer × 12-head explorer), scrolled top to bottom.

Target (issue 15, item 4): the page stays responsive while the reader scrolls, with one
WebGL context, textures of figures far from the screen released (figure.js
`releaseTextures`) and GPU memory bounded; the first figure drawn <= 500 ms from navigation.

Head size: causal attention over 128 tokens with 32-wide Q, K, V (mm's attention with
GPT-2's proportions halved), so that 72 scene files build in seconds and 2 shared cores
cope; each head has its own seed.  Printed, each as min/median/max over RUNS loads:
navigation -> first frame of the first head; while scrolling by half a viewport at a time,
the gaps between animation frames and the long tasks (> 50 ms) on the main thread; the
peaks of textures on the GPU (count and bytes, against the bytes all mounted figures would
hold without the release) and of the resident memory of the page's renderer process and
of the GPU process (CDP's process list, VmRSS from /proc: Linux), sampled at every step.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from _browser import FRAME_GAPS, LONG_TASKS, launch, new_page, process_memory, serve, spread

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from demo_site import write_site  # noqa: E402

LAYERS, HEADS = 6, 12
TOKENS, WIDTH = 128, 32
RUNS = 3
FIRST_TARGET = 500  # ms
STEP = 0.5  # viewports per scroll step

HEAD = (
    "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\n"
    "seed: %d\n"
    "nodes: {Q: {shape: [%d, %d]}, K: {shape: [%d, %d]}, V: {shape: [%d, %d]}}\n"
    "caption: layer %d, head %d\n"
)

SAMPLE = """() => {
  const figs = [...document.querySelectorAll('figure.mm-figure')].map(el => mmViewer.figure(el)).filter(Boolean);
  const all = figs.reduce((s, f) => s + f.textures().reduce((t, x) => t + x.image.width * x.image.height
      * (x.type === 1009 ? 1 : x.type === 1016 ? 2 : 4), 0), 0);
  const s = mmViewer.stats();
  return {textures: s.textures, bytes: figs.reduce((t, f) => t + f.textureBytes, 0), all,
          mounted: s.figures, contexts: s.contexts};
}"""


def specs():
    out = []
    for layer in range(LAYERS):
        for head in range(HEADS):
            shapes = (TOKENS, WIDTH) * 3
            out.append(HEAD % ((1 + layer * HEADS + head,) + shapes + (layer, head)))
    return out


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        write_site(Path(tmp), specs(), preload=True)
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.mmsc")) / 1024
        server, root = serve(tmp)
        url = root + "index.html"
        firsts, gaps, longs, tex, tex_bytes, all_bytes, rss, renderer_rss, contexts = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        with sync_playwright() as p:
            browser = launch(p)
            for _ in range(RUNS):
                page = new_page(browser, init=[FRAME_GAPS, LONG_TASKS])
                page.goto(url)
                first = page.query_selector("figure.mm-figure")
                page.wait_for_function(
                    "el => el.dataset.mmState === 'ready'", arg=first, timeout=60_000
                )
                firsts.append(
                    page.evaluate(
                        "el => performance.getEntriesByName('mm:first-frame:' + el.id)[0].startTime",
                        first,
                    )
                )
                page.evaluate("__mm.gaps = []; __mm.long = []")
                height = page.evaluate("document.documentElement.scrollHeight")
                peak = {"textures": 0, "bytes": 0, "all": 0, "rss": 0, "renderer": 0}
                y = 0
                while y < height:
                    y += int(720 * STEP)
                    page.evaluate("y => window.scrollTo(0, y)", y)
                    page.wait_for_timeout(120)  # a reader's pace: about 3 viewports a second
                    s = page.evaluate(SAMPLE)
                    peak["textures"] = max(peak["textures"], s["textures"])
                    peak["bytes"] = max(peak["bytes"], s["bytes"])
                    peak["all"] = max(peak["all"], s["all"])
                    mem = process_memory(browser)
                    peak["rss"] = max(peak["rss"], mem.get("GPU", 0.0))
                    peak["renderer"] = max(peak["renderer"], mem.get("renderer", 0.0))
                    contexts.append(s["contexts"])
                seen = page.evaluate("__mm")
                gaps.extend(seen["gaps"])
                longs.append([d for _, d in seen["long"]])
                tex.append(peak["textures"])
                tex_bytes.append(peak["bytes"] / 2**20)
                all_bytes.append(peak["all"] / 2**20)
                rss.append(peak["rss"])
                renderer_rss.append(peak["renderer"])
                page.context.close()
            browser.close()
        server.shutdown()
    n = LAYERS * HEADS
    print(
        "%d heads (%d tokens, width %d), %.0f KB of scene files; 1280x720, scrolled by %.1f viewport"
        % (n, TOKENS, WIDTH, size, STEP)
    )
    med = statistics.median(firsts)
    print(
        "first head drawn from navigation: min/median/max %s ms over %d loads (target <= %d ms) %s"
        % (spread(firsts), RUNS, FIRST_TARGET, "OK" if med <= FIRST_TARGET else "OVER")
    )
    gaps.sort()
    print(
        "frame gaps while scrolling: min/median/max %s ms, p95 %.0f ms (%d frames)"
        % (spread(gaps), gaps[int(0.95 * (len(gaps) - 1))], len(gaps))
    )
    print(
        "long tasks (> 50 ms) per scroll through: min/median/max %s; longest %s ms"
        % (spread([len(x) for x in longs]), spread([max(x, default=0) for x in longs]))
    )
    print(
        "peak textures on the GPU: min/median/max %s (count), %s MB; without the release %s MB"
        % (spread(tex), spread(tex_bytes, "%.1f"), spread(all_bytes, "%.1f"))
    )
    print(
        "peak resident memory: renderer min/median/max %s MB, GPU process %s MB; WebGL contexts: %s"
        % (spread(renderer_rss), spread(rss), json.dumps(sorted(set(contexts))))
    )


if __name__ == "__main__":
    main()
