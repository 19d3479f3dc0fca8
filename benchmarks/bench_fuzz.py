"""Hostile inputs at scale: the worst time and memory over 10,000+ generated inputs.

The generators of `tests/core/fuzz_inputs.py` (fence text, spec mappings, #mm=
payloads, mm links, data files with lying headers, live requests), each run with a
fresh seed; every input must end in a result or a SpecError with a line or a field.
Targets (issue 14): worst input under 1 s and 256 MB. A violation is printed with
its input and the script exits 1.

    python benchmarks/bench_fuzz.py [INPUTS_PER_KIND]   (default 1,700: 10,200 in all)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.core import fuzz_inputs as fz

KINDS = [
    ("fence text", fz.spec_texts, fz.build_text),
    ("spec mapping", fz.spec_mappings, fz.build_mapping),
    ("#mm= state", fz.url_states, fz.build_url_state),
    ("mm link", fz.mm_links, fz.build_mm_link),
    ("data file", fz.data_files, None),
    ("live request", fz.live_requests, fz.run_live),
]


def run_kind(name, strategy, runner, n, folder):
    worst = {"seconds": (0.0, None), "peak": (0, None), "count": 0, "errors": 0, "bad": []}

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy())
    def one(value):
        run = fz.data_spec(*value, folder) if runner is None else runner(value)
        outcome = fz.attempt(run)
        worst["count"] += 1
        worst["errors"] += outcome.kind == "error"
        if outcome.seconds > worst["seconds"][0]:
            worst["seconds"] = (outcome.seconds, repr(value)[:120])
        if outcome.peak > worst["peak"][0]:
            worst["peak"] = (outcome.peak, repr(value)[:120])
        try:
            fz.check(outcome, name)
        except AssertionError as e:
            worst["bad"].append("%s — input %s" % (e, repr(value)[:200]))

    one()
    return worst


def main() -> int:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 1700
    folder = fz.scratch_folder()
    total, failures = 0, []
    start = time.perf_counter()
    print("%-13s %7s %7s %10s %10s" % ("input", "count", "errors", "worst ms", "worst MB"))
    for name, strategy, runner in KINDS:
        w = run_kind(name, strategy, runner, per_kind, folder)
        total += w["count"]
        failures += w["bad"]
        print(
            "%-13s %7d %7d %10.1f %10.1f"
            % (name, w["count"], w["errors"], w["seconds"][0] * 1000, w["peak"][0] / 2**20)
        )
        print("    slowest: %s" % w["seconds"][1])
    print(
        "%d inputs in %.0f s; target: every input < %d ms and < %d MB: %s"
        % (
            total,
            time.perf_counter() - start,
            fz.MAX_SECONDS * 1000,
            fz.MAX_BYTES >> 20,
            "met" if not failures else "%d violations" % len(failures),
        )
    )
    for f in failures[:20]:
        print("VIOLATION: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
