"""Size and time of the GPT-2 attention-head poster (targets: <= 300 KB, <= 1 s).

Uses the figure of bench_build.py (≈1.1 M elements).  Prints the SVG size and
the median of 5 renders of an already built scene; the targets are printed
figures, not tests (tests/test_poster.py asserts them generously).
"""

from __future__ import annotations

import statistics
import time

from bench_build import SPEC

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.poster import render

TARGET_KB = 300
TARGET_S = 1.0


def main() -> None:
    scene = build(parse_spec(SPEC))
    times = []
    for _ in range(5):
        start = time.perf_counter()
        svg = render(scene)
        times.append(time.perf_counter() - start)
    kb = len(svg.encode("utf-8")) / 1024
    median = statistics.median(times)
    print("gpt2-head elements: %s" % format(scene.elements, ","))
    print(
        "poster size: %.1f KB (target <= %d KB) %s"
        % (kb, TARGET_KB, "OK" if kb <= TARGET_KB else "OVER")
    )
    print(
        "poster render: median %.3f s, min %.3f s (target <= %.1f s) %s"
        % (median, min(times), TARGET_S, "OK" if median <= TARGET_S else "OVER")
    )


if __name__ == "__main__":
    main()
