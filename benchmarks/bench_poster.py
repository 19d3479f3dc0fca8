"""Size and time of the GPT-2 attention-head posters (targets: <= 300 KB each, <= 1 s).

Uses the figure of bench_build.py (≈1.1 M elements).  Prints each palette's SVG
size (a page fetches only its palette's) and the median of 5 renders of both
from an already built scene; the targets are printed figures, not tests
(tests/test_poster.py asserts them generously).
"""

from __future__ import annotations

import statistics
import time

from bench_build import SPEC

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.poster import render_themes

TARGET_KB = 300
TARGET_S = 1.0


def main() -> None:
    scene = build(parse_spec(SPEC))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        posters = render_themes(scene)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print("gpt2-head elements: %s" % format(scene.elements, ","))
    for theme, svg in posters.items():
        kb = len(svg.encode("utf-8")) / 1024
        print(
            "poster size, %s: %.1f KB (target <= %d KB) %s"
            % (theme, kb, TARGET_KB, "OK" if kb <= TARGET_KB else "OVER")
        )
    print(
        "posters render (both palettes): median %.3f s, min %.3f s (target <= %.1f s) %s"
        % (median, min(times), TARGET_S, "OK" if median <= TARGET_S else "OVER")
    )


if __name__ == "__main__":
    main()
