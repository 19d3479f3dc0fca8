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
from typing import Dict, List, NamedTuple, Optional

_OPEN = re.compile(r"^(?P<ws>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class Fence(NamedTuple):
    line: int  # 1-based line of the opening fence
    opening: str  # the opening line without its indentation: ```mm height="300"
    body: str  # the body as SuperFences will pass it (`body_key` form)
    indent: int = (
        0  # characters before the fence (list item, admonition, quote): body columns shift by it
    )


def fences(markdown: str, name: str = "mm") -> List[Fence]:
    """Every ``name`` fence of a Markdown text, in page order."""
    ours = re.compile(r"^[ \t]*\{?[ \t]*\.?%s(?![-.\w])" % re.escape(name))
    lines = markdown.splitlines()
    found: List[Fence] = []
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
            found.append(Fence(i + 1, fence + m.group("info"), body_key("\n".join(body)), len(ws)))
        i = j + 1
    return found


def fence_lines(markdown: str, name: str = "mm") -> Dict[str, List[int]]:
    """Map each ``name`` fence's body (as SuperFences will pass it) to the 1-based
    opening lines of the fences with that body, in page order."""
    found: Dict[str, List[int]] = {}
    for f in fences(markdown, name):
        found.setdefault(f.body, []).append(f.line)
    return found


def fence_indents(markdown: str, name: str = "mm") -> Dict[str, List[int]]:
    """Like `fence_lines`, the indentation of each fence: an error's column in the
    body is that many characters further right in the .md file."""
    found: Dict[str, List[int]] = {}
    for f in fences(markdown, name):
        found.setdefault(f.body, []).append(f.indent)
    return found


def body_key(body: str) -> str:
    return "\n".join(line.rstrip() for line in body.strip("\n").splitlines())


def fence_start(lines: Dict[str, List[int]], source: str, occurrence: int = 0) -> Optional[int]:
    """The opening line of the ``occurrence``-th fence (from 0) whose body is ``source``,
    if it was seen."""
    starts = lines.get(body_key(source), [])
    return starts[occurrence] if occurrence < len(starts) else None
