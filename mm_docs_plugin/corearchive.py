"""The compute core as a zip for the browser's Pyodide worker.

The worker writes these bytes into Pyodide's file system and puts the zip on
``sys.path`` (zipimport works on Pyodide 0.17 and current releases alike), so
the browser imports exactly the ``mm_docs_plugin.core`` that built the page.
Only the package marker and the core go in: the plugin, CLI and poster need
MkDocs and are never imported there.  The core reads fences with PyYAML, which
Pyodide 0.17 does not have, so the archive also carries the pure-Python ``yaml``
package (and its licence) of the PyYAML installed here; the worker puts the
archive first on ``sys.path``, so every Pyodide release imports that copy.
Entries are sorted and time-stamped 1980-01-01, so the same source gives the
same bytes and the same hash.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
NAME = "mm-core.zip"


def core_files():
    """(archive name, path) of every file the browser needs, sorted."""
    files = [("mm_docs_plugin/__init__.py", PACKAGE / "__init__.py")]
    for path in sorted((PACKAGE / "core").rglob("*.py")):  # the layers are sub-packages
        files.append(("mm_docs_plugin/" + path.relative_to(PACKAGE).as_posix(), path))
    return sorted(files + pyyaml_files())


def pyyaml_files():
    """(archive name, path) of the installed PyYAML's ``yaml/*.py`` and its licence.

    Its C extension (``_yaml``) stays out: ``yaml`` falls back to pure Python.
    """
    dist = metadata.distribution("PyYAML")
    files = []
    for f in dist.files or ():
        if len(f.parts) == 2 and f.parts[0] == "yaml" and f.suffix == ".py":
            files.append(("yaml/" + f.name, Path(dist.locate_file(f))))
        elif f.name == "LICENSE" and f.parts[0].endswith(".dist-info"):
            files.append(("yaml/LICENSE", Path(dist.locate_file(f))))
    if not any(name == "yaml/__init__.py" for name, _ in files):
        raise RuntimeError("the installed PyYAML does not list its yaml/*.py files")
    return files


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
