"""Citations: prose that quotes a figure's read-outs, ``{mm qk-circuit:QK.sv[1]}``.

    The largest singular value of QK is {mm qk-circuit:QK.sv[1]}, its effective rank
    {mm qk-circuit:QK.rank:.2f}; u1 is strongest at {mm qk-circuit:QK.dirs[1].rows}.

Grammar: ``{mm FIGURE:NODE.READOUT}``, where FIGURE is the id a fence header gives
(```` ```{.mm #qk-circuit} ````), NODE a name under the fence's ``readouts:``, and
READOUT one of ``min``, ``max``, ``mean``, ``norm``, ``rank``, ``sv[N]`` (σN, from 1),
``dirs[N].rows`` / ``dirs[N].cols`` (the labels u_N / v_N weigh most), ``dirs[N].row`` /
``dirs[N].col`` (the strongest alone) or ``dirs[N].sv``;
an optional ``:FORMAT`` (``.2f``, ``.3g``, ``.1e``, ``.0%``) formats a number, else it is
written as in the table (4 significant digits).  No Markdown extension gives ``{mm `` a
meaning (attr_list wants ``{:``, ``{#`` or ``{.``), and citations inside code spans and
fenced blocks are left alone, so a page can show the syntax.

Figures are built by SuperFences after ``on_page_markdown``, so the plugin works in two
steps: `mark` swaps each citation for a placeholder (keeping its line and column in the
.md file) and `fill`, in ``on_page_content``, writes the numbers the page's figures
computed.  A citation of a figure, node or read-out that does not exist is a warning
at ``page.md:LINE:COLUMN`` (fatal under ``mkdocs build --strict``) and stays visible
as written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape
from typing import Dict, List, Optional, Tuple

from .core.errors import did_you_mean
from .core.spec.readouts import KINDS

CITE = re.compile(r"\{mm[ \t]+([^{}\n]*)\}")
REF = re.compile(
    r"(?P<fig>[A-Za-z][\w-]*):(?P<node>[^\s.:\[\]{}]+)\.(?P<kind>[A-Za-z_]\w*)"
    r"(?:\[(?P<index>\d{1,4})\])?(?:\.(?P<part>[A-Za-z_]\w*))?(?::(?P<fmt>\S+))?\Z"
)
FORMAT = re.compile(r"\.\d{1,2}[fge%]\Z")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
SYNTAX = "write {mm FIGURE:NODE.READOUT}, e.g. {mm qk-circuit:QK.sv[1]} or {mm qk:QK.rank:.2f}"


class CiteError(ValueError):
    def __init__(self, message: str, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Citation:
    text: str  # as written: {mm qk:QK.sv[1]}
    line: int  # 1-based, in the .md file
    column: int
    placeholder: str


def find(markdown: str, pattern: re.Pattern = CITE) -> List[Tuple[int, int, int, str]]:
    """(line, column, offset, text) of every match of ``pattern`` (citations) outside
    code, in page order."""
    out = []
    offset = 0
    fence = None
    for n, line in enumerate(markdown.splitlines(keepends=True), 1):
        m = _FENCE.match(line)
        if fence is not None:
            closes = m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
            if closes and not line[m.end() :].strip():
                fence = None
        elif m:
            fence = m.group(1)
        else:
            for start, end in _outside_code(line):
                for c in pattern.finditer(line, start, end):
                    out.append((n, c.start() + 1, offset + c.start(), c.group(0)))
        offset += len(line)
    return out


def _outside_code(line: str) -> List[Tuple[int, int]]:
    """Spans of ``line`` outside inline code (a run of N backticks to the next run of N)."""
    spans, at, pos = [], 0, 0
    while True:
        m = _TICKS.search(line, pos)
        if m is None:
            break
        close = re.compile(r"(?<!`)%s(?!`)" % m.group(0)).search(line, m.end())
        if close is None:
            pos = m.end()
            continue
        spans.append((at, m.start()))
        at = pos = close.end()
    spans.append((at, len(line)))
    return spans


def mark(markdown: str, raw: str, page: str) -> Tuple[str, List[Citation]]:
    """``markdown`` with each citation replaced by a placeholder, and the citations with
    their places in ``raw`` (the .md file: MkDocs has taken the front matter off)."""
    found = find(markdown)
    if not found:
        return markdown, []
    places: Dict[str, List[Tuple[int, int]]] = {}
    for line, col, _, text in find(raw):
        places.setdefault(text, []).append((line, col))
    seen: Dict[str, int] = {}
    nonce = hashlib.sha256(page.encode("utf-8")).hexdigest()[:8]
    cites, parts, at = [], [], 0
    for n, (line, col, offset, text) in enumerate(found):
        k = seen.get(text, 0)
        seen[text] = k + 1
        if k < len(places.get(text, ())):
            line, col = places[text][k]
        c = Citation(text, line, col, "MMCITE%sN%dE" % (nonce, n))
        cites.append(c)
        parts += [markdown[at:offset], c.placeholder]
        at = offset + len(text)
    parts.append(markdown[at:])
    return "".join(parts), cites


def fill(html: str, cites: List[Citation], readouts: Dict[str, List[dict]]) -> Tuple[str, list]:
    """``html`` with each placeholder replaced by its number; and the (citation,
    CiteError) pairs that could not be resolved (written back as the author wrote them)."""
    errors = []
    for c in cites:
        try:
            text = escape(resolve(c.text, readouts))
        except CiteError as e:
            errors.append((c, e))
            text = escape(c.text)
        html = html.replace(c.placeholder, text)
    return html, errors


def resolve(text: str, readouts: Dict[str, List[dict]]) -> str:
    """The text a citation stands for, from the page's figures' read-outs."""
    m = REF.match(CITE.match(text).group(1).strip())
    if m is None:
        raise CiteError("cannot read the citation %s" % text, SYNTAX)
    fig, node, kind, index, part, fmt = m.group("fig", "node", "kind", "index", "part", "fmt")
    if fmt is not None and not FORMAT.match(fmt):
        raise CiteError(
            "%s has the format %r" % (text, fmt), "formats: .2f, .3g, .1e or .0% (digits 0–99)"
        )
    if fig not in readouts:
        ids = [i for i in readouts if not i.startswith("mm-")]
        raise CiteError(
            "%s cites the figure %r, which is not on this page" % (text, fig),
            did_you_mean(fig, ids)
            if ids
            else "give the figure an id in its fence header: ```{.mm #%s}" % fig,
        )
    entry = next((e for e in readouts[fig] if e["node"] == node), None)
    if entry is None:
        nodes = [e["node"] for e in readouts[fig]]
        raise CiteError(
            "%s: the figure %r has no read-outs of %r" % (text, fig, node),
            (did_you_mean(node, nodes) if nodes else None)
            or "add readouts: {%s: [%s]} to its fence" % (node, kind),
        )
    item = next((i for i in entry["items"] if i["kind"] == kind), None)
    if item is None:
        has = [i["kind"] for i in entry["items"]]
        raise CiteError(
            "%s: the figure %r reads out %s of %s, not %s"
            % (text, fig, ", ".join(has), node, kind),
            did_you_mean(kind, has)
            if kind not in KINDS
            else "add %s to readouts.%s" % (kind, node),
        )
    if not entry["finite"]:
        raise CiteError(
            "%s: %s has values that are not finite (NaN or ±inf); its read-outs are undefined"
            % (text, node)
        )
    value, shown = _pick(text, kind, item, index, part, node)
    if fmt is None or value is None:
        if fmt is not None:
            raise CiteError("%s: %s are labels, not a number to format" % (text, part))
        return shown
    return format(value, fmt)


def _pick(text, kind, item, index, part, node):
    """(number or None, text) of one read-out item."""
    if kind in ("sv", "dirs"):
        many = item["values"] if kind == "sv" else item["pairs"]
        example = "%s.sv[1]" % node if kind == "sv" else "%s.dirs[1].rows" % node
        if index is None:
            raise CiteError(
                "%s: %s needs an index from 1 to %d" % (text, kind, len(many)), "e.g. " + example
            )
        i = int(index)
        if not 1 <= i <= len(many):
            raise CiteError(
                "%s: %s[%d] is out of range; %s has %d (from 1, the largest first)"
                % (text, kind, i, "readouts." + node + "." + kind, len(many)),
                "e.g. " + example,
            )
        if kind == "sv":
            if part is not None:
                raise CiteError("%s: sv[%d] has no .%s" % (text, i, part), "e.g. " + example)
            return many[i - 1], item["texts"][i - 1]
        pair = many[i - 1]
        if part == "sv":
            return pair["sv"], pair["sv_text"]
        if part in ("row", "col"):  # the strongest one alone
            return None, pair[part + "s"][0]["name"]
        if part not in ("rows", "cols"):
            raise CiteError(
                "%s: dirs[%d] needs .rows, .cols, .row, .col or .sv" % (text, i), "e.g. " + example
            )
        return None, ", ".join(e["name"] for e in pair[part])
    if index is not None or part is not None:
        raise CiteError("%s: %s is one number" % (text, kind), "write %s.%s" % (node, kind))
    return item["value"], item["text"]
