"""The CPU a first frame costs on this machine (issue 15, item 3: <= 350 ms from navigation).

bench_viewer times the GPT-2 head's first frame; this measures the work behind it: the
CPU time every Chromium process spent (from /proc, user + system, all threads) between
just before the navigation and just after the first frame, beside what the machine's
cores could give in that time (cores × wall time).  When the two are close the cores
were saturated: the first frame then comes sooner only with less work, not with the
same work ordered differently (an earlier shader compile competes with the module's
parse for the same two cores).  Also printed, per process type, where that CPU went
(browser: navigation and networking; renderer: HTML, the viewer module's parse and run,
the scene's decode and build, the frame's JavaScript; GPU: the shader compile, texture
uploads, the frame's rasterisation), and this harness's own share (the Python process
that serves the files and drives the browser).  Times are /proc's clock ticks (10 ms),
summed over many threads; min/median/max over RUNS loads.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _browser import FULL, first_frame, launch, new_page, serve, spread

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from demo_site import write_site  # noqa: E402

SPEC = (ROOT / "examples" / "attention-head.yaml").read_text()
RUNS = 7
# Not Chromium's, listed apart: this process (it also serves the files) and its driver.
HARNESS = ("harness (python, serving)", "playwright driver")
TICK = 1000 / os.sysconf("SC_CLK_TCK")  # ms per clock tick
KINDS = {"gpu-process": "GPU", "utility": "utility (network, storage)", "zygote": "zygote"}


def _children():
    """{pid: parent pid} of every process now."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path("/proc/%s/stat" % entry).read_text()
            except OSError:
                continue
            out[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _cpu(pid):
    """(ms of user + system CPU so far, Chromium's --type= or "browser") of ``pid``."""
    try:
        fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
        cmdline = Path("/proc/%d/cmdline" % pid).read_bytes()
    except OSError:
        return 0.0, None
    # Chromium rewrites its children's command lines into one string: search it.
    kind = re.search(rb"--type=([\w-]+)", cmdline)
    kind = kind.group(1).decode() if kind else "browser"
    return (int(fields[11]) + int(fields[12])) * TICK, KINDS.get(kind, kind)


def _comm(pid):
    try:
        return Path("/proc/%d/comm" % pid).read_text().strip()
    except OSError:
        return ""


def _snapshot():
    """{type: CPU ms} of this process and its descendants (Playwright's driver, Chromium)."""
    parent = _children()
    me = os.getpid()

    def ours(pid):
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == me:
                return True
        return False

    out = {}
    for pid in parent:
        if ours(pid):
            ms, kind = _cpu(pid)
            if kind == "browser" and not _comm(pid).startswith("chrom"):
                kind = HARNESS[1]
            if kind:
                out[kind] = out.get(kind, 0.0) + ms
    out[HARNESS[0]] = sum(os.times()[:2]) * 1000
    return out


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
                before, t0 = _snapshot(), time.perf_counter()
                page.goto(root + "site/index.html", wait_until="commit")
                fig = page.wait_for_selector("figure.mm-figure")
                # polled every 5 ms, so the window closes soon after the frame
                page.wait_for_function("el => el.dataset.mmState === 'ready'", arg=fig, polling=5)
                after, t1 = _snapshot(), time.perf_counter()
                marks = first_frame(page, fig)
                wall.append((marks["first-frame"], (t1 - t0) * 1000))
                chromium = 0.0
                for kind, ms in after.items():
                    delta = ms - before.get(kind, 0.0)
                    per_kind.setdefault(kind, []).append(delta)
                    if kind not in HARNESS:
                        chromium += delta
                cpu.append(chromium)
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
            print("  %-20s %s ms" % (kind, spread(per_kind[kind])))


if __name__ == "__main__":
    main()
