"""Links to named views, ``[the scores](#attention:scores)``, checked at build time.

The viewer does the switching (``pyodide_app/src/figure/views.js``); the build only makes
sure every such link names a figure on its page and a view that figure has, and warns at
``page.md:LINE:COLUMN`` otherwise (fatal under ``mkdocs build --strict``), as for a bad
fence or citation.  Links in code spans and code blocks are examples and are skipped.
"""

from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple

from .citations import find
from .core.errors import did_you_mean

LINK = re.compile(r"\]\(\s*<?#([A-Za-z][\w-]*):([A-Za-z][\w-]{0,39})>?(?:\s+[\"'(][^)]*)?\)")


class ViewLink(NamedTuple):
    line: int
    column: int  # of the "#"
    figure: str
    view: str


def view_links(markdown: str) -> List[ViewLink]:
    out = []
    for line, col, _, text in find(markdown, LINK):
        m = LINK.match(text)
        out.append(ViewLink(line, col + text.index("#"), m.group(1), m.group(2)))
    return out


def check(link: ViewLink, views: Dict[str, List[str]]) -> Optional[Tuple[str, str]]:
    """(message, hint) when ``link`` names no figure of the page or no view of it."""
    ref = "#%s:%s" % (link.figure, link.view)
    if link.figure not in views:
        ids = [i for i in views if not i.startswith("mm-")]
        return (
            "the link %s names the figure %r, which is not on this page" % (ref, link.figure),
            did_you_mean(link.figure, ids)
            if ids
            else "give the figure an id in its fence header: ```{.mm #%s}" % link.figure,
        )
    names = views[link.figure]
    if link.view not in names:
        return (
            "the link %s names the view %r, which the figure %r does not have"
            % (ref, link.view, link.figure),
            did_you_mean(link.view, names)
            if names
            else "add views: {%s: {...}} to its fence" % link.view,
        )
    return None
