"""Time `build` of the GPT-2 attention-head figure (issue 2's target: <= 0.5 s).

input 256×768, wQ/wV 768×64, wK_t/wO 64×768, gaussian inits, ≈1.1 M elements.
Prints the median of several runs; the target is a printed figure, not a test.
"""

from __future__ import annotations

import statistics
import time

from mm_docs_plugin.core import build, parse_spec

SPEC = """
expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) @ (V = input @ wV) @ wO
nodes:
  input: {shape: [256, 768], init: gaussian}
  wQ: {shape: [768, 64], init: gaussian}
  wK_t: {init: gaussian}
  wV: {init: gaussian}
  wO: {shape: [64, 768], init: gaussian}
"""
TARGET_S = 0.5


def main() -> None:
    start = time.perf_counter()
    spec = parse_spec(SPEC)
    parse_ms = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(7):
        start = time.perf_counter()
        scene = build(spec)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print("gpt2-head elements: %s" % format(scene.elements, ","))
    print("parse_spec: %.1f ms" % parse_ms)
    print(
        "build: median %.3f s, min %.3f s (target <= %.1f s) %s"
        % (median, min(times), TARGET_S, "OK" if median <= TARGET_S else "OVER")
    )


if __name__ == "__main__":
    main()
