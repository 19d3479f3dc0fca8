"""The browser's core archive (mm-core.zip) holds the whole core and works alone."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mm_docs_plugin.corearchive import PACKAGE, core_archive

ROOT = Path(__file__).resolve().parents[2]

# As the worker does: the zip first on sys.path; its PyYAML must be the one used,
# in pure Python (the zip has no C extension, like Pyodide 0.17).
IMPORT_FROM_ZIP = """
import sys
sys.path.insert(0, sys.argv[1])
import mm_docs_plugin.core as core
import yaml
assert core.__file__.startswith(sys.argv[1]), core.__file__
assert yaml.__file__.startswith(sys.argv[1]) and not yaml.__with_libyaml__, yaml.__file__
spec = core.parse_spec("expr: out = softmax(A @ B.T / sqrt(k)) @ B\\nnodes: {A: {shape: [32, 8]}}")
scene = core.build(spec)
print(scene.root.shape)
"""


def test_archive_holds_every_core_module():
    names = set(zipfile.ZipFile(io.BytesIO(core_archive())).namelist())
    expected = {
        "mm_docs_plugin/" + p.relative_to(PACKAGE).as_posix()
        for p in (PACKAGE / "core").rglob("*.py")
    }
    assert expected <= names
    assert "mm_docs_plugin/__init__.py" in names
    assert not [n for n in names if n.startswith("mm_docs_plugin/") and "/core/" not in n][1:]
    others = {n for n in names if not n.startswith("mm_docs_plugin/")}
    assert {"yaml/__init__.py", "yaml/composer.py", "yaml/scanner.py", "yaml/LICENSE"} <= others
    assert all(n.startswith("yaml/") and n.endswith((".py", "LICENSE")) for n in others)


def test_archive_is_deterministic():
    assert core_archive() == core_archive()


def _python38() -> str:
    path = ROOT / ".venv38" / "bin" / "python"
    if not path.exists() or os.environ.get("MM_SKIP_PY38") == "1":
        pytest.skip("no .venv38 (Python 3.8 + numpy 1.17); run `make setup`")
    return str(path)


# The zip's PyYAML is this environment's, whatever Python versions it declares: it
# must run on Pyodide 0.17's Python 3.8 too.
@pytest.mark.parametrize("python", [sys.executable, "python3.8"])
def test_core_imports_and_builds_from_the_archive_alone(tmp_path, python):
    zip_path = tmp_path / "mm-core.zip"
    zip_path.write_bytes(core_archive())
    out = subprocess.run(
        [_python38() if python == "python3.8" else python, "-c", IMPORT_FROM_ZIP, str(zip_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(32, 8)"  # the flow mapping was read
