"""The compute core as a zip for the browser's Pyodide worker.

The worker writes these bytes into Pyodide's file system and puts the zip on
``sys.path`` (zipimport works on Pyodide 0.17 and current releases alike), so
the browser imports exactly the ``mm_docs_plugin.core`` that built the page.
Only the package marker and the core go in: the plugin, CLI and poster need
MkDocs and are never imported there.  Entries are sorted and time-stamped
1980-01-01, so the same source gives the same bytes and the same hash.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
NAME = "mm-core.zip"


def core_files():
    """(archive name, path) of every file the browser needs, sorted."""
    files = [("mm_docs_plugin/__init__.py", PACKAGE / "__init__.py")]
    for path in sorted((PACKAGE / "core").rglob("*.py")):  # the layers are sub-packages
        files.append(("mm_docs_plugin/" + path.relative_to(PACKAGE).as_posix(), path))
    return sorted(files)


def core_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in core_files():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return out.getvalue()


def archive_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]
