"""Hostile inputs through every door of the core, on a fixed seeded budget.

The rule (`fuzz_inputs.check`): a result or a `SpecError` with a line or a field,
nothing else, in under 1 s and 256 MB. `benchmarks/bench_fuzz.py` runs the same
generators over a corpus of 10,000+ inputs and prints the worst time and memory.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from . import fuzz_inputs as fz

BUDGET = settings(
    max_examples=60,
    derandomize=True,  # seeded: the same inputs on every run
    deadline=None,  # timing is checked by `check`, with tracemalloc's overhead in mind
    suppress_health_check=list(HealthCheck),
    database=None,
)


@BUDGET
@given(fz.spec_texts())
def test_fence_text(text):
    fz.check(fz.attempt(fz.build_text(text)), "fence text %r" % text[:200])


@BUDGET
@given(fz.spec_mappings())
def test_spec_mapping(mapping):
    fz.check(fz.attempt(fz.build_mapping(mapping)), "mapping %r" % (repr(mapping)[:200],))


@BUDGET
@given(fz.url_states())
def test_url_state(state):
    fz.check(fz.attempt(fz.build_url_state(state)), "#mm= %r" % state[:200])


@BUDGET
@given(fz.mm_links())
def test_mm_link(url):
    fz.check(fz.attempt(fz.build_mm_link(url)), "mm link %r" % url[:200])


@pytest.fixture(scope="module")
def folder():
    return fz.scratch_folder()


@BUDGET
@given(fz.data_files())
def test_data_file(folder, file):
    suffix, data, key = file
    fz.check(fz.attempt(fz.data_spec(suffix, data, key, folder)), "%s %r" % (suffix, data[:80]))


@BUDGET
@given(fz.live_requests())
def test_live_request(request):
    fz.check(fz.attempt(fz.run_live(request)), "live %r" % request[:200])
