"""Where each ```` ```mm ```` fence starts in a Markdown file.

SuperFences hands a formatter the fence body only, never its position, so the
plugin scans the page source first and maps each body to the line of its
opening fence.  An error at line L of the body is then at ``start + L`` in the
.md file.  Deliberately simple: backtick or tilde fences of three or more,
any indentation (lists, admonitions), other fences skipped whole, closed by the same character at least as
long; the body is dedented by the opening fence's indentation the way
SuperFences does.
"""

from __future__ import annotations

import re
from typing import Dict

_OPEN = re.compile(r"^(?P<ws>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def fence_lines(markdown: str, name: str = "mm") -> Dict[str, int]:
    """Map each ``name`` fence's body (as SuperFences will pass it) to its 1-based opening line."""
    ours = re.compile(r"^[ \t]*\{?[ \t]*\.?%s(?![-.\w])" % re.escape(name))
    lines = markdown.splitlines()
    found: Dict[str, int] = {}
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        ws, fence = m.group("ws"), m.group("fence")
        close = re.compile(r"^[ \t>]*%s%s*[ \t]*$" % (re.escape(fence), re.escape(fence[0])))
        body = []
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            line = lines[j]
            body.append(line[len(ws) :] if line.startswith(ws) else line.lstrip(" \t>"))
            j += 1
        if ours.match(m.group("info")):  # other fences are skipped whole (examples in them)
            found.setdefault(_key("\n".join(body)), i + 1)
        i = j + 1
    return found


def _key(body: str) -> str:
    return "\n".join(line.rstrip() for line in body.strip("\n").splitlines())


def fence_start(lines: Dict[str, int], source: str) -> int | None:
    """The opening line of the fence whose body is ``source``, if it was seen."""
    return lines.get(_key(source))
