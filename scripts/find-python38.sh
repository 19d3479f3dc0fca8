#!/usr/bin/env bash
# Print the path of a Python 3.8 interpreter, or explain how to get one and fail.
set -euo pipefail
for cand in python3.8 "$(pyenv root 2>/dev/null)"/versions/3.8*/bin/python3.8 /root/.pyenv/versions/3.8*/bin/python3.8 /usr/bin/python3.8; do
  if [ -n "$cand" ] && command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 8)' 2>/dev/null; then
    command -v "$cand"
    exit 0
  fi
done
echo "error: no Python 3.8 found; the core must be tested on Python 3.8 + numpy 1.17 (DESIGN.md §3.2)." >&2
echo "hint: install one with pyenv (pyenv install 3.8) or set MM_SKIP_PY38=1 to skip that half of the tests." >&2
exit 1
