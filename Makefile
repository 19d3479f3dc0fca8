# The two commands a newcomer needs (see README):
#   make run   — set up, then build and serve the docs site (mkdocs.yml + docs/)
#   make test  — set up, then run every check
# Both are idempotent: setup only installs what is missing.

VENV := .venv/bin
VENV38 := .venv38/bin
CORE_TESTS := tests/core

.PHONY: setup run demo test lint pytest pytest38 jstest bench clean

setup:
	@bash scripts/setup.sh

run: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/mkdocs serve -a 127.0.0.1:8000

# The CLI on one example figure: its nodes, its poster, a link carrying its state.
demo: setup
	$(VENV)/mm-docs inspect examples/attention-head.yaml
	@mkdir -p out
	$(VENV)/mm-docs poster examples/attention-head.yaml -o out/attention-head.svg
	$(VENV)/mm-docs url examples/attention-head.yaml

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/vermin -t=3.8- --violations --no-tips mm_docs_plugin/core

pytest: setup
	$(VENV)/python -m pytest

# The core again on Python 3.8 + numpy 1.17, the versions Pyodide 0.17 runs.
pytest38: setup
	@if [ "$${MM_SKIP_PY38:-0}" = "1" ]; then echo "skipping Python 3.8 tests (MM_SKIP_PY38=1)"; \
	else $(VENV38)/python -m pytest -p no:cacheprovider $(CORE_TESTS); fi

# The viewer's JS units (node --test) against fixtures the Python core writes.
jstest: setup
	$(VENV)/python scripts/make_js_fixtures.py && cd pyodide_app && node --test --test-reporter=spec test/

test: lint pytest pytest38 jstest

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(VENV)/python $$b || exit 1; done

clean:
	rm -rf .venv .venv38 .pytest_cache .ruff_cache .hypothesis *.egg-info
	rm -rf pyodide_app/node_modules pyodide_app/test/fixtures
	rm -f mm_docs_plugin/assets/mm-viewer.* mm_docs_plugin/assets/app.html
