#!/usr/bin/env bash
# Idempotent setup: a virtual environment with the package and its dev tools,
# and a second one on Python 3.8 + numpy 1.17 that runs the core's tests the way
# Pyodide 0.17 will (DESIGN.md §3.2).  Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.mm-docs-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  touch "$stamp"
fi

# Python 3.8 for the core (Pyodide 0.17 runs Python 3.8.2 + numpy 1.17.5).
if [ "${MM_SKIP_PY38:-0}" != "1" ]; then
  PY38=$(scripts/find-python38.sh)
  if [ ! -x .venv38/bin/python ]; then
    "$PY38" -m venv .venv38
  fi
  stamp38=.venv38/.mm-docs-installed
  if [ ! -f "$stamp38" ]; then
    .venv38/bin/python -m pip install --quiet --upgrade pip
    .venv38/bin/python -m pip install --quiet "numpy==1.17.5" "pytest>=7" "hypothesis>=6"
    touch "$stamp38"
  fi
fi
