"""Run a function of pyodide_app/src from Python: the bridge for tests that hold
JavaScript to the Python core (the same spec must mean the same thing on both sides)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "pyodide_app" / "src"


def node_call(module: str, expression: str, arg=None):
    """Import ``module`` (a path under pyodide_app/src, e.g. ``live/choices.js``) as
    ``m`` and print JSON of ``expression`` evaluated with ``arg`` (JSON-decoded)
    bound to ``arg``."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; `make setup` needs Node 20")
    script = (
        "const m = await import(%s);\n"
        "const arg = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "process.stdout.write(JSON.stringify(%s));\n"
    ) % (json.dumps((SRC / module).as_uri()), expression)
    out = subprocess.run(
        [node, "--input-type=commonjs", "-e", "(async () => {%s})()" % script],
        input=json.dumps(arg),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)
