"""The browser's core archive (mm-core.zip) holds the whole core and works alone."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

from mm_docs_plugin.corearchive import PACKAGE, core_archive

IMPORT_FROM_ZIP = """
import sys
sys.path.insert(0, sys.argv[1])
import mm_docs_plugin.core as core
assert core.__file__.startswith(sys.argv[1]), core.__file__
scene = core.build(core.parse_spec("expr: out = softmax(A @ B.T / sqrt(k)) @ B"))
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


def test_archive_is_deterministic():
    assert core_archive() == core_archive()


def test_core_imports_and_builds_from_the_archive_alone(tmp_path):
    zip_path = tmp_path / "mm-core.zip"
    zip_path.write_bytes(core_archive())
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_FROM_ZIP, str(zip_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(32, 32)"
