"""Builds the viewer bundle (pyodide_app/ → mm_docs_plugin/assets/) when it is stale.

One place decides "is the bundle up to date, and how is it made": `make setup`
(scripts/setup.sh) runs this file, and so does every wheel build (setup.py's
build_py), so `pip install .`, `python -m build` and a wheel built from the sdist
all ship the viewer. Needs Node.js 20+ and npm; without them it fails with one
message naming what to install — never a silent viewer-less package.

    python scripts/viewer_bundle.py    build if stale, print what it did
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "pyodide_app"
ASSETS = ROOT / "mm_docs_plugin" / "assets"
# What build.mjs writes; mm_docs_plugin/siteassets.py copies the same files into a
# site (tests/packaging holds the two lists equal).
OUTPUTS = (
    "mm-viewer.js",
    "mm-viewer.css",
    "mm-app.js",
    "mm-worker.js",
    "app.html",
    "mm-viewer.js.LEGAL.txt",
)
NODE_MAJOR = 20


class BundleError(Exception):
    """The bundle cannot be built here; the message says what to install or run."""


def _newest(paths) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for sub in path.rglob("*"):
                if sub.is_file():
                    newest = max(newest, sub.stat().st_mtime)
        elif path.is_file():
            newest = max(newest, path.stat().st_mtime)
    return newest


def is_stale(root: Path = ROOT) -> bool:
    """True when an output is missing or a source is newer than the oldest output."""
    assets = root / "mm_docs_plugin" / "assets"
    outs = [assets / name for name in OUTPUTS]
    if not all(p.is_file() for p in outs):
        return True
    app = root / "pyodide_app"
    sources = [app / "src", app / "build.mjs", app / "package-lock.json"]
    return _newest(sources) > min(p.stat().st_mtime for p in outs)


def _tools():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise BundleError(
            "building mm-docs needs Node.js %d+ and npm to bundle its viewer "
            "(pyodide_app/ → mm_docs_plugin/assets/), and %s not found on PATH; "
            "install them (Debian/Ubuntu: `apt-get install nodejs npm`; or from "
            "https://nodejs.org) and build again" % (NODE_MAJOR, "node" if not node else "npm")
        )
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    major = out.stdout.strip().lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < NODE_MAJOR:
        raise BundleError(
            "building mm-docs needs Node.js %d+ to bundle its viewer; found %s at %s"
            % (NODE_MAJOR, out.stdout.strip() or "an unknown version", node)
        )
    return node, npm


def ensure(root: Path = ROOT, log=print) -> bool:
    """Build the bundle if it is stale; return whether it was built."""
    app = root / "pyodide_app"
    if not is_stale(root):
        return False
    if not (app / "build.mjs").is_file():
        raise BundleError(
            "the viewer bundle is missing and its sources (pyodide_app/) are not here: "
            "build from a clone of the repository or from the sdist, which carry them"
        )
    node, npm = _tools()
    lock = app / "node_modules" / ".package-lock.json"
    if not lock.is_file() or _newest([app / "package-lock.json", app / "package.json"]) > (
        lock.stat().st_mtime
    ):
        log("viewer: npm ci (three.js, esbuild from package-lock.json)")
        # --prefer-offline: npm's cache is enough once it holds the pinned versions.
        _run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app)
    log("viewer: node build.mjs → mm_docs_plugin/assets/")
    _run([node, "build.mjs"], app)
    missing = [n for n in OUTPUTS if not (root / "mm_docs_plugin" / "assets" / n).is_file()]
    if missing:
        raise BundleError("the viewer build did not write %s" % ", ".join(missing))
    return True


def _run(cmd, cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=str(cwd), check=False)
    if done.returncode != 0:
        raise BundleError(
            "`%s` failed in %s (exit %d); see its output above"
            % (
                " ".join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd)),
                cwd,
                done.returncode,
            )
        )


if __name__ == "__main__":
    try:
        built = ensure()
    except BundleError as e:
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)
    if not built:
        print("viewer: bundle up to date")
