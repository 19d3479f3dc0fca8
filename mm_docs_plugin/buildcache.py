"""A build cache: (fence text, base dir, options, data file stats) -> a built figure.

Kept in memory on the plugin instance (fast `mkdocs serve` rebuilds) and, when
given a folder, on disk (fast `mkdocs build` after the first one).  Data files
are part of the key through their size and mtime, so editing one rebuilds the
figures that read it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Dict, Optional, Tuple

from .core import Spec

# (scene file bytes, dark poster SVG, light poster SVG, figure HTML with URL placeholders)
Entry = Tuple[bytes, str, str, str]
SUFFIXES = (".mmsc", ".svg", ".light.svg", ".html")


def cache_key(source: str, spec: Spec, base_dir: Optional[str], extra: str = "") -> str:
    h = hashlib.sha256()
    for part in (source, str(base_dir or ""), extra):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    for name in sorted(spec.nodes):
        data = spec.nodes[name].data
        if data is None or data.path is None:
            continue
        path = Path(base_dir or ".", data.path)
        try:
            st = path.stat()
            h.update(("%s:%d:%d\0" % (path, st.st_size, st.st_mtime_ns)).encode())
        except OSError:
            h.update(("%s:missing\0" % path).encode())
    return h.hexdigest()


class BuildCache:
    def __init__(self, folder: Optional[Path] = None) -> None:
        self.memory: Dict[str, Entry] = {}
        self.folder = folder
        self.hits = self.misses = 0

    def get(self, key: str) -> Optional[Entry]:
        entry = self.memory.get(key)
        if entry is None and self.folder is not None:
            paths = [self.folder / (key + s) for s in SUFFIXES]
            if all(p.is_file() for p in paths):
                scene, *texts = paths
                entry = (scene.read_bytes(), *(p.read_text("utf-8") for p in texts))
                self.memory[key] = entry
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.memory[key] = entry
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            blobs = (entry[0], *(text.encode("utf-8") for text in entry[1:]))
            for suffix, data in zip(SUFFIXES, blobs):
                tmp = self.folder / ("%s%s.%d.tmp" % (key, suffix, os.getpid()))
                tmp.write_bytes(data)
                os.replace(tmp, self.folder / (key + suffix))
        except OSError:
            pass  # a read-only checkout still builds, just without the disk cache
