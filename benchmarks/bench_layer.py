"""A full-size GPT-2 small layer in one figure (issue 15, items 1 and 2).

examples/gpt2-layer.yaml: one attention head plus the MLP at real sizes (sequence 1024,
d_model 768, d_head 64, FFN 3072), 13.3 M drawn elements, gaussian values, built with
``max_elements`` raised (the one option it needs).  Printed, each as min / median / max
over RUNS runs:

- build (parse + `build`), and the process's peak memory after it;
- scene file bytes for precision exact / display / display8, per layer and for the
  attention head alone (the buffers of attn_out's subtree), and the time to pack;
- what display8 costs in accuracy: the worst error relative to a row's range and to a
  matrix's largest |value|, and the worst colour and size difference of a cell under
  the figure's own colour mapping (colors.colorize, 255 levels a channel);
- in headless Chromium (software WebGL, 1280×720, as bench_viewer.py) for display and
  display8: navigation → first frame (the viewer's `mm:first-frame` mark, whose time
  origin is the navigation), scene bytes → first frame, orbit frame (timed up to a
  one-pixel readback, so the GPU work is in it) still and in motion (figure/motion.js),
  a fused animation step's JavaScript
  (`fig.stepTiming`), and memory: the JS heap, and the resident memory of the
  page's renderer and of the GPU process at their peak (the larger of two samples: after
  the first frame and after the orbits; CDP's process list, VmRSS from /proc).

Targets (issue 15): build <= 3 s; scene file <= 25 MB at float16; first frame <= 3 s;
orbit <= 50 ms; fused step <= 0.5 ms.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _browser import (
    FULL,
    first_frame,
    launch,
    new_page,
    process_memory,
    serve,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from mm_docs_plugin.core import Limits, Scene, build, parse_spec  # noqa: E402
from mm_docs_plugin.core.scene.colors import colorize, node_colors  # noqa: E402
from mm_docs_plugin.core.scene.pack import unpack  # noqa: E402
from mm_docs_plugin.core.scene.quantize import quantizable, quantization_error  # noqa: E402

SPEC = (ROOT / "examples" / "gpt2-layer.yaml").read_text()
LIMITS = Limits(max_elements=14_000_000)
RUNS = 3
ORBIT_FRAMES = 20
STEPS = 50
HEAD = "root.left.left"  # attn_out = (attn @ V) @ wO: the attention head's subtree


def spread(values, unit="", fmt="%.2f"):
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return ("min " + fmt + " / median " + fmt + " / max " + fmt + "%s") % (lo, mid, hi, unit)


def verdict(value, target):
    return "OK" if value <= target else "OVER"


def bench_build():
    spec = parse_spec(SPEC, limits=LIMITS)
    times, scene = [], None
    for _ in range(RUNS):
        scene = None  # let the previous scene go first: peak memory is one build's
        start = time.perf_counter()
        scene = build(parse_spec(SPEC, limits=LIMITS))
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    med = statistics.median(times)
    print("layer: %s drawn elements, %d nodes" % (format(scene.elements, ","), len(scene.nodes)))
    print("build: %s (target <= 3 s) %s" % (spread(times, " s"), verdict(med, 3.0)))
    print("build: peak resident memory of this process %.0f MB" % peak)
    return spec, scene


def head_buffers(header):
    return {
        e["buffer"]
        for e in header["nodes"]
        if e["path"] == HEAD or e["path"].startswith(HEAD + ".")
    }


def bench_bytes(scene):
    files = {}
    for precision in ("exact", "display", "display8"):
        scene.settings["figure"]["precision"] = precision
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            data = scene.to_bytes()
            times.append(time.perf_counter() - start)
        header, _ = unpack(data)
        head = head_buffers(header)
        quantized = header.get("display8", {})
        head |= {quantized[name] for name in head if name in quantized}
        head_bytes = sum(b["length"] for b in header["buffers"] if b["name"] in head)
        files[precision] = data
        line = "scene file %-8s %6.2f MB per layer, %5.2f MB per head; pack %s" % (
            precision,
            len(data) / 1e6,
            head_bytes / 1e6,
            spread([t * 1e3 for t in times], " ms", "%.0f"),
        )
        if precision == "display":
            line += " (target <= 25 MB) %s" % verdict(len(data) / 1e6, 25.0)
        print(line)
    scene.settings["figure"]["precision"] = "display"
    return files


def bench_error(spec, scene, data8):
    decoded = Scene.from_bytes(data8)
    worst = {"rel_row_range": 0.0, "rel_peak": 0.0}
    rgb_diff, size_diff, moved = 0.0, 0.0, 0
    for node in scene.nodes:
        if not quantizable(node.values):
            continue
        for key, value in quantization_error(node.values).items():
            if key in worst:
                worst[key] = max(worst[key], value)
        colors = node_colors(spec, node)
        rng = scene.color_ranges[colors.sensitivity][node.path]
        rgb0, size0 = colorize(node.values, rng, colors)
        rgb1, size1 = colorize(decoded.node_at(node.path).values, rng, colors)
        diff = np.abs(rgb0 - rgb1).max(axis=-1) * 255
        rgb_diff = max(rgb_diff, float(diff.max()))
        size_diff = max(size_diff, float(np.abs(size0 - size1).max()))
        moved += int((diff >= 1).sum())
    print(
        "display8 error: worst %.3f %% of a row's range, %.3f %% of a matrix's largest |value|"
        % (worst["rel_row_range"] * 100, worst["rel_peak"] * 100)
    )
    print(
        "display8 colour: worst %.1f of 255 levels, worst size change %.3f of a cell;"
        " %s of %s cells move by >= 1 level"
        % (rgb_diff, size_diff, format(moved, ","), format(scene.elements, ","))
    )


def bench_viewer(spec_texts):
    from demo_site import write_site
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch(p)
        # display8 first: a later figure would find a warmer browser (RUNS loads each)
        for precision, text in spec_texts.items():
            site = Path(tmp) / precision
            write_site(site, [text], limits=LIMITS)
            server, root = serve(site)
            url = root + "index.html"
            r = {
                "nav": [],
                "bytes": [],
                "moving": [],
                "settled": [],
                "step": [],
                "heap": [],
                "rss": [],
            }
            for _ in range(RUNS):
                page = new_page(browser, style=FULL)
                page.goto(url)
                fig = page.query_selector("figure.mm-figure")
                marks = first_frame(page, fig, timeout=120_000)
                nav = marks["first-frame"]
                since_bytes = marks["first-frame"] - marks["scene-bytes"]
                r["nav"].append(nav)
                r["bytes"].append(since_bytes)
                first_mem = process_memory(browser)  # the peak is the larger of two samples
                # The orbit as the reader drags it: the controls' change event puts the
                # figure in motion (figure/motion.js), so it draws at lower resolution;
                # at each camera position also the full-resolution frame drawn once the
                # camera is still (settle), so both are timed at the same views.
                moving, still = page.evaluate(
                    """([el, n]) => {
                        const fig = mmViewer.figure(el), moving = [], still = [];
                        const timed = (out) => {
                            const t0 = performance.now();
                            fig.renderNow();
                            fig.ctx.getImageData(0, 0, 1, 1);
                            out.push(performance.now() - t0);
                        };
                        for (let k = 0; k < n; k++) {
                            fig.controls.orbit.rotateLeft(0.03);
                            fig.controls.orbit.update();
                            timed(moving);
                            fig.motion.settle();
                            timed(still);
                        }
                        return [moving, still];
                    }""",
                    [fig, ORBIT_FRAMES],
                )
                r["moving"].append(statistics.median(moving))
                r["settled"].append(statistics.median(still))
                r["step"].append(
                    statistics.median(
                        page.evaluate(
                            """([el, n]) => {
                                const fig = mmViewer.figure(el), out = [];
                                fig.player.pause();
                                for (let s = 0; s < n; s++) {
                                    fig.seek(1 + s * 7);
                                    out.push(fig.stepTiming);
                                }
                                return out;
                            }""",
                            [fig, STEPS],
                        )
                    )
                )
                r["heap"].append(
                    page.evaluate(
                        "() => performance.memory ? performance.memory.usedJSHeapSize : 0"
                    )
                    / 1e6
                )
                mem = process_memory(browser)
                r["rss"].append(
                    tuple(max(m.get(k, 0.0) for m in (first_mem, mem)) for k in ("renderer", "GPU"))
                )
                page.context.close()
            server.shutdown()
            results[precision] = r
        browser.close()
    for precision, r in results.items():
        nav = statistics.median(r["nav"])
        step = statistics.median(r["step"])
        print("viewer %s (%d loads):" % (precision, RUNS))
        print(
            "  navigation -> first frame: %s (target <= 3000 ms) %s"
            % (spread(r["nav"], " ms", "%.0f"), verdict(nav, 3000))
        )
        print("  scene bytes -> first frame: %s" % spread(r["bytes"], " ms", "%.0f"))
        print(
            "  orbit frame in motion (median of %d, GPU-synced; lower resolution until still): %s (target <= 50 ms) %s"
            % (
                ORBIT_FRAMES,
                spread(r["moving"], " ms", "%.1f"),
                verdict(statistics.median(r["moving"]), 50),
            )
        )
        print(
            "  the full-resolution frame once still, at the same views: %s"
            % spread(r["settled"], " ms", "%.1f")
        )
        print(
            "  fused animation step (median of %d): %s of JavaScript (target <= 0.5 ms) %s"
            % (STEPS, spread(r["step"], " ms", "%.3f"), verdict(step, 0.5))
        )
        print("  JS heap: %s" % spread(r["heap"], " MB", "%.0f"))
        print(
            "  peak resident memory (after the first frame, after orbits): renderer %s; GPU process %s"
            % (
                spread([a for a, _ in r["rss"]], " MB", "%.0f"),
                spread([b for _, b in r["rss"]], " MB", "%.0f"),
            )
        )


def main() -> None:
    spec, scene = bench_build()
    files = bench_bytes(scene)
    bench_error(spec, scene, files["display8"])
    del files
    texts = {p: SPEC + "\nprecision: %s\n" % p for p in ("display8", "display")}
    bench_viewer(texts)


if __name__ == "__main__":
    main()
