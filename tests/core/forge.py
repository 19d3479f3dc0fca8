"""Scene files written by hand, so a test case can break exactly one thing.

Shared by tests/core/test_pack.py and scripts/make_js_fixtures.py (the JS
decoder's error cases), so both sides are tested against the same bytes.
"""

from __future__ import annotations

import json
import struct

from mm_docs_plugin.core.scene.pack import MAGIC

START = 256  # where forged files put their buffer area (the JSON is space-padded to it)


def forge(head, body=b"", version=1, text=None, magic=MAGIC):
    """A scene file with header ``head`` (or raw ``text``) and buffer bytes ``body``."""
    if text is None:
        text = json.dumps(head).encode("utf-8")
    text = text.ljust(START - 12)  # trailing spaces are still the same JSON
    return struct.pack("<4sII", magic, version, len(text)) + text + body


def entry(**changes):
    """A buffer-table entry for a 2×2 float16 buffer at START, with ``changes``."""
    base = {"name": "a", "dtype": "f2", "shape": [2, 2], "offset": START, "length": 8}
    base.update(changes)
    return base
