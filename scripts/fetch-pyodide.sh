#!/usr/bin/env bash
# The offline Pyodide distributions the live-editing tests serve as a self-hosted
# source (testing-offline.md), from npm, into .cache/pyodide/<version>/:
#
#   0.17.1  @pyodide/pyodide: the 7 files of Python 3.8 + numpy 1.17 (27 MB of a
#           186 MB tarball): the numpy path, offline
#   314.0.7 pyodide: the current core runtime without numpy (its numpy comes from
#           the CDN): the module loader and the "numpy could not be loaded" path
#
# Idempotent: a version is fetched once (its .complete marker).
set -euo pipefail
cd "$(dirname "$0")/.."

fetch() {
  local package=$1 version=$2 prefix=$3
  shift 3
  local dir=.cache/pyodide/$version
  [ -f "$dir/.complete" ] && return 0
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && npm pack --silent --loglevel=error "$package@$version" >/dev/null)
  local members=()
  for f in "$@"; do members+=("package/$prefix$f"); done
  tar -xzf "$tmp"/*.tgz -C "$tmp" "${members[@]}"
  mkdir -p "$dir"
  for f in "$@"; do cp "$tmp/package/$prefix$f" "$dir/$f"; done
  touch "$dir/.complete"
  echo "fetch-pyodide: $package@$version -> $dir ($(du -sh "$dir" | cut -f1))"
}

fetch @pyodide/pyodide 0.17.1 dist/ \
  pyodide.js pyodide.asm.js pyodide.asm.wasm pyodide.asm.data packages.json numpy.js numpy.data
fetch pyodide 314.0.7 "" \
  pyodide.js pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json
