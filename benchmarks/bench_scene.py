"""Scene file of the GPT-2 attention-head figure: size (target <= 2.5 MB) and time to pack.

mm ships about 15 MB of CSV for the same head.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from mm_docs_plugin.core import Scene, build, parse_spec

SPEC = (Path(__file__).resolve().parents[1] / "examples" / "attention-head.yaml").read_text()
TARGET_MB = 2.5


def main() -> None:
    scene = build(parse_spec(SPEC))
    times, data = [], b""
    for _ in range(5):
        start = time.perf_counter()
        data = scene.to_bytes()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    Scene.from_bytes(data)
    read = time.perf_counter() - start
    mb = len(data) / 1e6
    print("gpt2-head elements: %s" % format(scene.elements, ","))
    print(
        "scene file: %.2f MB (target <= %.1f MB) %s"
        % (mb, TARGET_MB, "OK" if mb <= TARGET_MB else "OVER")
    )
    print(
        "to_bytes: median %.1f ms; from_bytes: %.1f ms"
        % (statistics.median(times) * 1e3, read * 1e3)
    )


if __name__ == "__main__":
    main()
