"""The CPU a first frame costs on this machine (issue 15, item 3: <= 350 ms from navigation).

bench_viewer times the GPT-2 head's first frame; this measures the work behind it: the
CPU time every Chromium process spent (user + system, all threads) between
just before the navigation and just after the first frame, beside what the machine's
cores could give in that time (cores × wall time).  When the two are close the cores
were saturated: the first frame then comes sooner only with less work, not with the
same work ordered differently (an earlier shader compile competes with the module's
parse for the same two cores).  Also printed, per process type, where that CPU went
(browser: navigation and networking; renderer: HTML, the viewer module's parse and run,
the scene's decode and build, the frame's JavaScript; GPU: the shader compile, texture
uploads, the frame's rasterisation), and this harness's own share (the Python process
that serves the files and drives the browser).  CPU times come from CDP's
SystemInfo.getProcessInfo (10 ms steps, summed over each process's threads);
min/median/max over RUNS loads.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _browser import FULL, first_frame, launch, new_page, processes, serve, spread

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from demo_site import write_site  # noqa: E402

SPEC = (ROOT / "examples" / "attention-head.yaml").read_text()
RUNS = 7
HARNESS = "harness (python, serving)"  # this process, which also serves the files: listed apart


def _cpu(browser):
    """{pid: (type, CPU ms so far)} of the browser's processes (CDP: 10 ms steps)."""
    return {p["id"]: (p["type"], p["cpuTime"] * 1000) for p in processes(browser)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        write_site(Path(tmp) / "site", [SPEC], preload=True)
        server, root = serve(tmp)
        wall, cpu, per_kind = [], [], {}
        with sync_playwright() as p:
            browser = launch(p)
            for _ in range(RUNS):
                page = new_page(browser, style=FULL)
                before, harness, t0 = _cpu(browser), sum(os.times()[:2]), time.perf_counter()
                page.goto(root + "site/index.html", wait_until="commit")
                fig = page.wait_for_selector("figure.mm-figure")
                # polled every 5 ms, so the window closes soon after the frame
                page.wait_for_function("el => el.dataset.mmState === 'ready'", arg=fig, polling=5)
                t1, after = time.perf_counter(), _cpu(browser)
                per_kind.setdefault(HARNESS, []).append((sum(os.times()[:2]) - harness) * 1000)
                marks = first_frame(page, fig)
                wall.append((marks["first-frame"], (t1 - t0) * 1000))
                spent = {}
                for pid, (kind, ms) in after.items():  # a process new in the load started at 0
                    spent[kind] = spent.get(kind, 0.0) + ms - before.get(pid, (kind, 0.0))[1]
                for kind, ms in spent.items():
                    per_kind.setdefault(kind, []).append(ms)
                cpu.append(sum(spent.values()))
                page.context.close()
            browser.close()
        server.shutdown()
    frames = [f for f, _ in wall]
    spans = [s for _, s in wall]
    print(
        "GPT-2 head, navigation -> first frame: min/median/max %s ms (over %d loads; the CPU below"
        " is counted from just before the navigation to just after the frame, %s ms)"
        % (spread(frames), RUNS, spread(spans))
    )
    print(
        "Chromium's CPU (all processes, user + system): %s ms; the %d cores could give %s ms in that"
        " time: %s%% of it used"
        % (
            spread(cpu),
            cores,
            spread([cores * s for s in spans]),
            spread([100 * c / (cores * s) for c, s in zip(cpu, spans)]),
        )
    )
    for kind in sorted(per_kind, key=lambda k: -statistics.median(per_kind[k])):
        if max(per_kind[kind]) > 0:
            print("  %-28s %s ms" % (kind, spread(per_kind[kind])))


if __name__ == "__main__":
    main()
