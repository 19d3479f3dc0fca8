"""A small YAML-subset parser that keeps the position of every key and value.

The body of an ```mm fence is YAML (and JSON, which is valid YAML).  The compute
core runs unchanged under Pyodide, where PyYAML is not available, and its
validation errors point at the offending key or value, so it parses the fence
with this module: pure standard library, Python 3.8+.

Supported subset
----------------
* Block mappings (``key: value``) nested by indentation with spaces; block
  sequences (``- item``), including compact mappings (``- key: v``) and a
  sequence under a key at the key's own indentation.
* Flow mappings ``{a: 1, "b": [1, 2]}`` and flow sequences ``[1, 2]``, which
  may span lines (so any JSON document parses); ``{a, b}`` gives null values.
* Plain scalars, single-quoted (``''`` escapes a quote) and double-quoted
  scalars (JSON escapes plus ``\\x``, ``\\u``, ``\\U`` and YAML's ``\\0 \\a \\e
  \\N \\_ \\L \\P``), with multi-line folding as in YAML.  A plain scalar ends at
  ``': '`` or ``' #'``; its continuation lines (indented more than the parent)
  fold with spaces.
* Literal ``|`` and folded ``>`` block scalars with chomping (``-``/``+``) and
  an optional indentation digit.
* Comments (``#`` at a line start or after whitespace), one document with an
  optional leading ``---`` and trailing ``...``, CRLF/CR line ends, a UTF-8 BOM.
* Plain scalars are typed by the YAML 1.2 core schema: null (``null``, ``Null``,
  ``NULL``, ``~``, empty), bool (``true``/``True``/``TRUE``, same for false),
  int (decimal, ``0o17``, ``0x1F``), float (``1.5``, ``1e3``, ``.inf``,
  ``-.inf``, ``.nan`` and case variants), otherwise str.  Quoted and block
  scalars are always str; mapping keys are always the key's text (``1: x``
  gives the key ``"1"``).

Not supported, each a `SpecError` naming the place: tabs as indentation,
anchors ``&``, aliases ``*``, tags ``!``, merge keys ``<<``, complex keys
``?``, several documents, directives ``%``; duplicate keys are errors too.
Every failure, for any input string, is a `SpecError` with a 1-based line and
column and a hint; nesting is capped by ``limits.max_depth`` and the text by
``limits.max_text``.
"""

from __future__ import annotations

import numbers
import re
from typing import Any, Dict, List, Optional, Tuple

from ..errors import DEFAULT_LIMITS, Limits, SpecError

__all__ = ["YNode", "from_python", "parse_yaml", "to_python"]


class YNode:
    """One parsed value with its position in the text (1-based; None if made in Python).

    ``value`` is a dict of YNodes (mapping), a list of YNodes (sequence) or a
    str/int/float/bool/None scalar.  ``key_pos`` maps each key of a mapping to
    its (line, column).  ``style`` is "plain", "single", "double", "literal" or
    "folded" for scalars and "block" or "flow" for collections.
    ``content_line``/``content_column`` is where a scalar's text starts (after
    the opening quote, on the first line of a block scalar).
    """

    __slots__ = ("column", "content_column", "content_line", "key_pos", "line", "style", "value")

    def __init__(
        self,
        value: Any,
        line: Optional[int] = None,
        column: Optional[int] = None,
        key_pos: Optional[Dict[str, Tuple[int, int]]] = None,
        style: str = "plain",
        content_line: Optional[int] = None,
        content_column: Optional[int] = None,
    ) -> None:
        self.value = value
        self.line = line
        self.column = column
        self.key_pos = key_pos
        self.style = style
        self.content_line = line if content_line is None else content_line
        self.content_column = column if content_column is None else content_column

    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def is_scalar(self) -> bool:
        return not isinstance(self.value, (dict, list))

    def __repr__(self) -> str:
        return (
            f"YNode({self.value!r}, line={self.line}, column={self.column}, style={self.style!r})"
        )


# -- scalar typing (YAML 1.2 core schema) ---------------------------------------

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


def _resolve(text: str, r: int, c: int) -> Any:
    """The typed value of a plain scalar found at (r, c), 0-based."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    try:
        if _INT.fullmatch(text):
            return int(text)  # Python >= 3.11 refuses > 4300 digits: ValueError
    except ValueError:
        raise _fail("big_int", r, c) from None
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


# -- lexical helpers -------------------------------------------------------------

_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_WS = re.compile(r"[ \t]*")
_WS_RUN = re.compile(r"[ \t]+")
_BLOCK_PLAIN_END = re.compile(r":(?=[ \t]|$)|[ \t]#")
_FLOW_PLAIN_END = re.compile(r":(?=[ \t,\[\]{}]|$)|[ \t]#|[,\[\]{}]")
_SQ_RUN = re.compile(r"[^' \t]+")
_DQ_RUN = re.compile(r'[^"\\ \t]+')
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]+")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_SIZES = {"x": 2, "u": 4, "U": 8}
_ESCAPE_HINT = 'valid escapes: \\\\ \\" \\/ \\n \\t \\r \\0 \\xXX \\uXXXX \\UXXXXXXXX; write \\\\ for a backslash'

# Line kinds, computed once so block parsing never rescans a line's start.
_BLANK, _COMMENT, _MARKER, _CONTENT = range(4)


_QUOTE_IT = "quote the value if the character is part of the text"
_HEADER_HINT = "write '|' or '>', optionally with '-' or '+' and a digit; the text goes below"
# Every parse error: (message, hint), formatted with the keywords given to `_fail`.
_MESSAGES = {
    "tab": ("tabs cannot be used for indentation", "indent with spaces only"),
    "depth": ("nesting deeper than {limit} levels", "flatten it, or raise the max_depth limit"),
    "directive": ("directives (%YAML, %TAG) are not supported", "remove the '%' line"),
    "misfit": (
        "this line does not fit the structure above it",
        "check its indentation; a mapping and a sequence cannot share one level",
    ),
    "documents": ("multiple documents are not supported", "keep one document; remove this '---'"),
    "after_end": ("content after the document end marker '...'", "remove it or the '...' line"),
    "seq_on_key_line": (
        "a '- ' sequence cannot start on the same line as its key",
        "put 'key:' on its own line and the '- item' lines below it",
    ),
    "colon_in_value": ("a plain value cannot contain ': '", 'quote it: key: "a: b"'),
    "key_indent": (
        "bad indentation: this line is indented more than the key above it",
        "line keys up at column {col}; quote a value that spans lines",
    ),
    "item_indent": (
        "bad indentation: expected '- ' at column {col}",
        "line the items up; quote an item that spans lines",
    ),
    "merge": ("merge keys ('<<') are not supported", "write the keys out"),
    "duplicate": ("duplicate key {key!r} (first at line {first})", "remove or rename one"),
    "item_not_key": (
        "expected a key, found a '- ' item",
        "a mapping and a sequence cannot share one level; indent the items under a key",
    ),
    "no_colon": (
        "missing ':' after key",
        "write 'key: value'; a line continuing the value above must be indented more",
    ),
    "colon_in_plain": (
        "unexpected ': ' inside a plain value",
        "indent a new key exactly like the key above it; quote a value containing ': '",
    ),
    "header": ("invalid block scalar header", _HEADER_HINT),
    "leading_empty": (
        "leading empty lines of a block scalar are indented more than its text",
        "remove the spaces on the empty lines",
    ),
    "bad_key": (
        "only plain or quoted text on one line can be a mapping key",
        "write 'key: value' with a one-line text key",
    ),
    "trailing": (
        "unexpected text after the value",
        "quote the whole value, or start a comment with ' #'",
    ),
    "collection_key": ("a collection cannot be a mapping key", "keys are plain or quoted text"),
    "unclosed": ("unclosed '{opener}'", "add the closing '{close}'"),
    "pair_in_seq": ("'key: value' pairs are not supported inside [ ]", "use {{key: value}}"),
    "flow_sep": (
        "expected ',' or '{close}'",
        "separate entries with commas; quote text containing ',', ':', '#' or brackets",
    ),
    "&": ("anchors ('&name') are not supported", "write the value out; " + _QUOTE_IT),
    "*": ("aliases ('*name') are not supported", "write the value out; " + _QUOTE_IT),
    "!": ("tags ('!tag') are not supported", "remove the tag; " + _QUOTE_IT),
    "?": ("complex keys ('? ') are not supported", "write 'key: value' with a text key"),
    ":": ("missing key before ':'", "write 'key: value'"),
    "-": ("'- ' items are not allowed inside [ ] or {{ }}", "separate entries with commas"),
    "|": ("block scalars ('|', '>') are not allowed inside [ ] or {{ }}", "use a quoted string"),
    "missing": ("unexpected {ch!r}", "a value is missing here; " + _QUOTE_IT),
    "reserved": ("{ch!r} cannot start a plain value", _QUOTE_IT),
    "unclosed_quote": (
        "unclosed quote",
        "add the closing {quote} (write {inner} for a quote inside)",
    ),
    "escape": ("unknown escape '\\{code}'", _ESCAPE_HINT),
    "hex": ("escape '\\{code}' needs {size} hex digits", _ESCAPE_HINT),
    "code_point": ("escape '\\{code}{digits}' is not a valid character", _ESCAPE_HINT),
    "big_int": ("integer too long", "quote it to keep it as text"),
}


def _fail(what: str, r: int, c: int, length: int = 1, **names: Any) -> SpecError:
    """The SpecError ``what`` of `_MESSAGES` at 0-based (r, c)."""
    message, hint = _MESSAGES[what]
    return SpecError(message.format(**names), hint.format(**names), r + 1, c + 1, length)


def _sep_at(line: str, i: int) -> bool:
    """True if position i ends a token in block context (space, tab or end of line)."""
    return i >= len(line) or line[i] in " \t"


class _Parser:
    """Recursive descent over lines; ``self.r``/``self.c`` is the 0-based cursor."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.limits = limits
        self.final_newline = text.endswith("\n")  # a last line without one has no break
        lines = text.split("\n")  # not splitlines(): \x85 and \u2028 are not breaks in YAML 1.2
        if self.final_newline:
            lines.pop()
        self.lines = lines
        self.n = len(lines)
        self.lead = [len(ln) - len(ln.lstrip(" ")) for ln in lines]
        self.kind = [self._kind_of(ln) for ln in lines]
        self.r = self.c = 0

    @staticmethod
    def _kind_of(line: str) -> int:
        rest = line.lstrip(" \t")
        if not rest:
            return _BLANK
        if rest[0] == "#":
            return _COMMENT
        if line[:3] in ("---", "...") and _sep_at(line, 3):
            return _MARKER
        return _CONTENT

    # -- lines and indentation --------------------------------------------------

    def _skip_blank(self, r: int) -> int:
        while r < self.n and self.kind[r] in (_BLANK, _COMMENT):
            r += 1
        return r

    def _next_content(self, r: int) -> Optional[int]:
        """The next line holding block content, or None at the end of the document."""
        r = self._skip_blank(r)
        return r if r < self.n and self.kind[r] == _CONTENT else None

    def _indent(self, r: int) -> int:
        s = self.lead[r]
        if self.lines[r][s] == "\t":
            raise _fail("tab", r, s)
        return s

    def _is_entry(self, r: int, c: int) -> bool:
        return self.lines[r][c] == "-" and _sep_at(self.lines[r], c + 1)

    def _enter(self, depth: int, r: int, c: int) -> None:
        if depth > self.limits.max_depth:
            raise _fail("depth", r, c, limit=self.limits.max_depth)

    # -- document ---------------------------------------------------------------

    def parse(self) -> YNode:
        r = self._skip_blank(0)
        if r < self.n and self.lines[r].startswith("%"):
            raise _fail("directive", r, 0)
        root = YNode(None, 1, 1)
        self.r, self.c = r, 0
        if r < self.n and self.kind[r] == _MARKER and self.lines[r].startswith("---"):
            self.c = 3
            root = self._block_value(-1, 1, compact=False, indentless=False)
        elif r < self.n and self.kind[r] == _CONTENT:
            self.c = self._indent(r)
            root = self._block_node(-1, 1, compact=True)
        self._finish()
        return root

    def _finish(self) -> None:
        """Allow only comments, or a '...' end marker and comments, after the document."""
        r = self._skip_blank(self.r)
        if r >= self.n:
            return
        line = self.lines[r]
        if self.kind[r] == _CONTENT:
            raise _fail("misfit", r, self.lead[r])
        if line.startswith("---"):
            raise _fail("documents", r, 0, 3)
        while r < self.n and self.kind[r] == _MARKER and self.lines[r].startswith("..."):
            rest = self.lines[r][3:].strip(" \t")
            if rest and not rest.startswith("#"):
                break
            r = self._skip_blank(r + 1)
        if r < self.n:
            raise _fail("after_end", r, self.lead[r])

    # -- block context ----------------------------------------------------------

    def _block_value(self, parent: int, depth: int, compact: bool, indentless: bool) -> YNode:
        """The value after a ':', '- ' or '---' indicator; the cursor is just past it.

        ``parent`` is the indentation of the owning key or '- ' (-1 at the top);
        ``compact`` allows a mapping or sequence on the indicator's line;
        ``indentless`` allows a '- ' sequence at the parent's own indentation.
        """
        r, line = self.r, self.lines[self.r]
        c = _WS.match(line, self.c).end()
        if c < len(line) and line[c] != "#":
            self.c = c
            return self._block_node(parent, depth, compact)
        nxt = self._next_content(r + 1)
        if nxt is not None:
            ind = self._indent(nxt)
            if ind > parent or (indentless and ind == parent and self._is_entry(nxt, ind)):
                self.r, self.c = nxt, ind
                return self._block_node(parent, depth, True)
        node = YNode(None, r + 1, self.c + 1)  # empty value: placed right after the indicator
        self.r, self.c = r + 1, 0
        return node

    def _block_node(self, parent: int, depth: int, compact: bool) -> YNode:
        """The block node starting at the cursor."""
        r, c = self.r, self.c
        ch = self.lines[r][c]
        if ch == "-" and _sep_at(self.lines[r], c + 1):
            if not compact:
                raise _fail("seq_on_key_line", r, c)
            return self._block_seq(depth)
        if ch in "|>":
            return self._block_scalar(parent)
        if ch in "[{":
            node = self._flow_node(depth)
            self._end_line()
            return node
        key = self._try_key(r, c)
        if key is not None:
            if not compact:
                raise _fail("colon_in_value", r, key[1])
            return self._block_map(depth)
        if ch in "'\"":
            node = self._quoted()
            self._end_line()
            return node
        return self._block_plain(parent)

    def _try_key(self, r: int, c: int) -> Optional[Tuple[str, int]]:
        """(key text, column of its ':') if a one-line key starts at (r, c), else None."""
        line = self.lines[r]
        ch = line[c]
        if ch in "[{|>" or (ch == "-" and _sep_at(line, c + 1)):
            return None
        if ch in "'\"":
            scanned = self._scan_quoted(r, c, single_line=True)
            if scanned is None:
                return None
            colon = _WS.match(line, scanned[2]).end()
            if colon < len(line) and line[colon] == ":" and _sep_at(line, colon + 1):
                return scanned[0], colon
            return None
        self._check_plain_start(r, c, flow=False)
        m = _BLOCK_PLAIN_END.search(line, c)
        if m is None or m.group() != ":":
            return None
        return line[c : m.start()].rstrip(" \t"), m.start()

    def _block_map(self, depth: int) -> YNode:
        r0, c = self.r, self.c
        self._enter(depth, r0, c)
        values: Dict[str, YNode] = {}
        key_pos: Dict[str, Tuple[int, int]] = {}
        r = r0
        while True:
            found = self._try_key(r, c)
            if found is None:
                raise self._not_a_key(r, c)
            key, colon = found
            self._check_key(key, key_pos, r, c, colon - c)
            key_pos[key] = (r + 1, c + 1)
            self.r, self.c = r, colon + 1
            values[key] = self._block_value(c, depth + 1, compact=False, indentless=True)
            nxt = self._next_content(self.r)
            if nxt is None or self.lead[nxt] < c:
                break
            if self._indent(nxt) > c:
                raise _fail("key_indent", nxt, self.lead[nxt], col=c + 1)
            r = nxt
        return YNode(values, r0 + 1, c + 1, key_pos=key_pos, style="block")

    def _check_key(
        self, key: str, seen: Dict[str, Tuple[int, int]], r: int, c: int, n: int
    ) -> None:
        if key == "<<" and self.lines[r][c] == "<":
            raise _fail("merge", r, c, 2)
        if key in seen:
            raise _fail("duplicate", r, c, n, key=key, first=seen[key][0])

    def _not_a_key(self, r: int, c: int) -> SpecError:
        line = self.lines[r]
        if self._is_entry(r, c):
            return _fail("item_not_key", r, c)
        return _fail("no_colon", r, c, len(line) - c)

    def _block_seq(self, depth: int) -> YNode:
        r0, c = self.r, self.c
        self._enter(depth, r0, c)
        items: List[YNode] = []
        r = r0
        while True:
            self.r, self.c = r, c + 1
            items.append(self._block_value(c, depth + 1, compact=True, indentless=False))
            nxt = self._next_content(self.r)
            if nxt is None or self.lead[nxt] < c:
                break
            if self._indent(nxt) > c:
                raise _fail("item_indent", nxt, self.lead[nxt], col=c + 1)
            if not self._is_entry(nxt, c):
                break  # a key after an indentless sequence: the mapping takes over
            r = nxt
        return YNode(items, r0 + 1, c + 1, style="block")

    def _block_plain(self, parent: int) -> YNode:
        """A plain scalar; continuation lines indented more than ``parent`` fold in."""
        r, c = self.r, self.c
        self._check_plain_start(r, c, flow=False)
        line = self.lines[r]
        m = _BLOCK_PLAIN_END.search(line, c)  # only a comment here: keys were ruled out
        parts = [line[c : m.start() if m else len(line)].rstrip(" \t")]
        last, row, breaks = r, r + 1, 0
        while m is None and row < self.n:
            kind = self.kind[row]
            if kind == _BLANK:
                breaks, row = breaks + 1, row + 1
                continue
            if kind != _CONTENT or self.lead[row] <= parent:
                break
            ln = self.lines[row]
            cc = _WS.match(ln).end()
            m = _BLOCK_PLAIN_END.search(ln, cc)
            if m is not None and m.group() == ":":
                raise _fail("colon_in_plain", row, m.start())
            parts.append(" " if breaks == 0 else "\n" * breaks)
            parts.append(ln[cc : m.start() if m else len(ln)].rstrip(" \t"))
            last, row, breaks = row, row + 1, 0
        self.r, self.c = last + 1, 0
        return YNode(_resolve("".join(parts), r, c), r + 1, c + 1)

    def _block_scalar(self, parent: int) -> YNode:
        """A literal '|' or folded '>' scalar whose header is at the cursor."""
        r, c = self.r, self.c
        line = self.lines[r]
        chomp, step, i = "", 0, c + 1
        while i < len(line) and line[i] in "+-123456789":
            if line[i] in "+-":
                if chomp:
                    raise _fail("header", r, i)
                chomp = line[i]
            else:
                if step:
                    raise _fail("header", r, i)
                step = int(line[i])
            i += 1
        e = _WS.match(line, i).end()
        if e < len(line) and not (line[e] == "#" and e > i):
            raise _fail("header", r, e)
        indent = self._scalar_indent(r, parent, step)
        texts: List[str] = []
        gaps: List[int] = []  # empty lines before each text line
        empties, last, row = 0, r, r + 1
        while row < self.n:
            ln = self.lines[row]
            if self.kind[row] == _MARKER and indent == 0:
                break
            if self.lead[row] >= indent and len(ln) > indent:
                gaps.append(empties)
                texts.append(ln[indent:])
                empties, last = 0, row
            elif self.kind[row] == _BLANK:
                empties += 1
            else:
                break
            row += 1
        if row == self.n and empties and not self.final_newline:
            empties -= 1  # the text's last line has no line break to keep
        self.r, self.c = row, 0
        folded = line[c] == ">"
        style = "folded" if folded else "literal"
        if not texts:
            return YNode("\n" * empties if chomp == "+" else "", r + 1, c + 1, style=style)
        pieces = ["\n" * gaps[0], texts[0]]
        for prev, cur, k in zip(texts, texts[1:], gaps[1:]):
            if folded and prev[0] not in " \t" and cur[0] not in " \t":
                pieces.append(" " if k == 0 else "\n" * k)  # folding: one break becomes a space
            else:
                pieces.append("\n" * (k + 1))
            pieces.append(cur)
        if chomp != "-" and (last < self.n - 1 or self.final_newline):
            pieces.append("\n")
        if chomp == "+":
            pieces.append("\n" * empties)
        first = r + 2 + gaps[0]
        return YNode("".join(pieces), r + 1, c + 1, None, style, first, indent + 1)

    def _scalar_indent(self, r: int, parent: int, step: int) -> int:
        """Content indentation of a block scalar: explicit, or from its first text line."""
        if step:
            return max(parent, 0) + step
        row, widest = r + 1, 0
        while row < self.n and self.kind[row] == _BLANK:
            widest = max(widest, self.lead[row])
            row += 1
        if row >= self.n or self.lead[row] <= parent:
            return max(widest, parent + 1)  # no text: the empty lines are all "empty"
        if widest > self.lead[row]:
            raise _fail("leading_empty", row, 0)
        return self.lead[row]

    def _end_line(self) -> None:
        """After a quoted or flow value: only a comment may follow on its line."""
        r, c = self.r, self.c
        line = self.lines[r]
        e = _WS.match(line, c).end()
        if e < len(line) and not (line[e] == "#" and e > c):
            if line[e] == ":":
                raise _fail("bad_key", r, e)
            raise _fail("trailing", r, e)
        self.r, self.c = r + 1, 0

    # -- flow context -----------------------------------------------------------

    def _fskip(self) -> None:
        """Skip spaces, tabs, line breaks and comments inside [ ] or { }."""
        r, c = self.r, self.c
        while r < self.n:
            line = self.lines[r]
            c = _WS.match(line, c).end()
            if c < len(line) and not (line[c] == "#" and (c == 0 or line[c - 1] in " \t")):
                break
            r, c = r + 1, 0
        self.r, self.c = r, c

    def _fpeek(self) -> str:
        return self.lines[self.r][self.c] if self.r < self.n else ""

    def _flow_node(self, depth: int) -> YNode:
        r, c = self.r, self.c
        ch = self.lines[r][c]
        if ch == "[":
            return self._flow_seq(depth)
        if ch == "{":
            return self._flow_map(depth)
        if ch in "'\"":
            return self._quoted()
        self._check_plain_start(r, c, flow=True)
        return YNode(_resolve(self._flow_plain(), r, c), r + 1, c + 1)

    def _flow_plain(self) -> str:
        """The text of a plain scalar inside [ ] or { }; it ends at , [ ] { } ': ' or ' #'."""
        r, c = self.r, self.c
        parts = []
        while True:
            line = self.lines[r]
            m = _FLOW_PLAIN_END.search(line, c)
            parts.append(line[c : m.start() if m else len(line)].rstrip(" \t"))
            if m:
                self.r, self.c = r, m.start()
                break
            nr, breaks = r + 1, 0
            while nr < self.n and self.kind[nr] == _BLANK:
                nr, breaks = nr + 1, breaks + 1
            if nr >= self.n:
                self.r, self.c = nr, 0  # the caller reports the unclosed bracket
                break
            nl = self.lines[nr]
            nc = _WS.match(nl).end()
            if nl[nc] in ",[]{}#" or (nl[nc] == ":" and _sep_at(nl, nc + 1)):
                self.r, self.c = nr, nc
                break
            parts.append(" " if breaks == 0 else "\n" * breaks)
            r, c = nr, nc
        return "".join(parts)

    def _flow_seq(self, depth: int) -> YNode:
        r0, c0 = self.r, self.c
        self._enter(depth, r0, c0)
        self.c += 1
        items: List[YNode] = []
        while True:
            self._fskip()
            if self._fpeek() == "]":
                break
            if self._fpeek() == "":
                raise self._flow_sep_error("]", r0, c0)
            items.append(self._flow_node(depth + 1))
            self._fskip()
            ch = self._fpeek()
            if ch == "]":
                break
            if ch != ",":
                raise self._flow_sep_error("]", r0, c0)
            self.c += 1
        self.c += 1
        return YNode(items, r0 + 1, c0 + 1, style="flow")

    def _flow_map(self, depth: int) -> YNode:
        r0, c0 = self.r, self.c
        self._enter(depth, r0, c0)
        self.c += 1
        values: Dict[str, YNode] = {}
        key_pos: Dict[str, Tuple[int, int]] = {}
        while True:
            self._fskip()
            ch = self._fpeek()
            if ch == "}":
                break
            if ch == "":
                raise self._flow_sep_error("}", r0, c0)
            kr, kc = self.r, self.c
            if ch in "[{":
                raise _fail("collection_key", kr, kc)
            if ch in "'\"":
                key = self._quoted().value
            else:
                self._check_plain_start(kr, kc, flow=True)
                key = self._flow_plain()
            self._check_key(key, key_pos, kr, kc, len(key))
            key_pos[key] = (kr + 1, kc + 1)
            self._fskip()
            values[key] = YNode(None, kr + 1, kc + 1)  # '{a, b}': keys without values are null
            if self._fpeek() == ":":
                self.c += 1
                vr, vc = self.r, self.c
                self._fskip()
                if self._fpeek() in (",", "}", ""):
                    values[key] = YNode(None, vr + 1, vc + 1)
                else:
                    values[key] = self._flow_node(depth + 1)
                    self._fskip()
            ch = self._fpeek()
            if ch == "}":
                break
            if ch != ",":
                raise self._flow_sep_error("}", r0, c0)
            self.c += 1
        self.c += 1
        return YNode(values, r0 + 1, c0 + 1, key_pos=key_pos, style="flow")

    def _flow_sep_error(self, close: str, r0: int, c0: int) -> SpecError:
        opener = "[" if close == "]" else "{"
        ch = self._fpeek()
        if ch == "":
            return _fail("unclosed", r0, c0, opener=opener, close=close)
        if ch == ":" and close == "]":
            return _fail("pair_in_seq", self.r, self.c)
        return _fail("flow_sep", self.r, self.c, close=close)

    # -- scalars shared by both contexts ------------------------------------------

    def _check_plain_start(self, r: int, c: int, flow: bool) -> None:
        """Reject characters that cannot start a plain scalar, naming the feature."""
        line = self.lines[r]
        ch = line[c]
        nxt = line[c + 1] if c + 1 < len(line) else " "
        sep = nxt in " \t" or (flow and nxt in ",[]{}")
        if ch in "&*!" or (sep and (ch in "?:" or (flow and ch == "-"))):
            raise _fail(ch, r, c)
        if flow and ch in "|>":
            raise _fail("|", r, c)
        if ch in ",]}" or ch in "#%@`":
            raise _fail("missing" if ch in ",]}" else "reserved", r, c, ch=ch)

    def _quoted(self) -> YNode:
        r, c = self.r, self.c
        scanned = self._scan_quoted(r, c)
        assert scanned is not None  # only the single-line form returns None
        text, self.r, self.c = scanned
        style = "double" if self.lines[r][c] == '"' else "single"
        return YNode(text, r + 1, c + 1, None, style, r + 1, c + 2)

    def _scan_quoted(
        self, r: int, c: int, single_line: bool = False
    ) -> Optional[Tuple[str, int, int]]:
        """(text, row, column after the closing quote) of the quoted scalar at (r, c).

        With ``single_line`` (trying for a key) a scalar not closed on its first
        line gives None.  Line breaks fold as in YAML: one break is a space,
        each empty line a newline; a backslash at the end of a line joins.
        """
        quote = self.lines[r][c]
        double = quote == '"'
        run = _DQ_RUN if double else _SQ_RUN
        out: List[str] = []
        row, col = r, c + 1
        while True:
            line = self.lines[row]
            ws, escaped_break = "", False
            while col < len(line):
                ch = line[col]
                if ch in " \t":
                    m = _WS_RUN.match(line, col)
                    ws, col = m.group(), m.end()  # kept only if text follows on this line
                    continue
                if ws:
                    out.append(ws)
                    ws = ""
                if ch == quote:
                    if not double and line.startswith("''", col):
                        out.append("'")
                        col += 2
                        continue
                    return "".join(out), row, col + 1
                if ch == "\\" and double:
                    if col + 1 == len(line):
                        escaped_break = True
                        break
                    text, col = self._escape(row, col)
                    out.append(text)
                    continue
                m = run.match(line, col)
                out.append(m.group())
                col = m.end()
            if single_line:
                return None
            row, breaks = row + 1, 0
            while row < self.n and self.kind[row] == _BLANK:
                row, breaks = row + 1, breaks + 1
            if row >= self.n or self.kind[row] == _MARKER:
                inner = '\\"' if double else "''"
                raise _fail("unclosed_quote", r, c, quote=quote, inner=inner)
            out.append("\n" * breaks if escaped_break or breaks else " ")
            col = _WS.match(self.lines[row]).end()

    def _escape(self, row: int, col: int) -> Tuple[str, int]:
        """Decode the escape at (row, col); returns (text, column after it)."""
        line = self.lines[row]
        code = line[col + 1]
        if code in _ESCAPES:
            return _ESCAPES[code], col + 2
        size = _HEX_SIZES.get(code)
        if size is None:
            raise _fail("escape", row, col, 2, code=code)
        digits = line[col + 2 : col + 2 + size]
        if len(digits) != size or not _HEX_DIGITS.fullmatch(digits):
            raise _fail("hex", row, col, 2, code=code, size=size)
        cp, end = int(digits, 16), col + 2 + size
        if 0xD800 <= cp <= 0xDBFF and line.startswith("\\u", end):  # a JSON surrogate pair
            low = line[end + 2 : end + 6]
            if _HEX_DIGITS.fullmatch(low) and len(low) == 4 and 0xDC00 <= int(low, 16) <= 0xDFFF:
                return chr(0x10000 + ((cp - 0xD800) << 10) + int(low, 16) - 0xDC00), end + 6
        if 0xD800 <= cp <= 0xDFFF or cp > 0x10FFFF:
            raise _fail("code_point", row, col, end - col, code=code, digits=digits)
        return chr(cp), end


def _position(text: str, offset: int) -> Tuple[int, int]:
    """1-based (line, column) of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def parse_yaml(text: str, limits: Limits = DEFAULT_LIMITS) -> YNode:
    """Parse ``text`` (the YAML subset above) into a YNode tree; raises only SpecError."""
    if not isinstance(text, str):
        raise SpecError(
            f"expected text, got {type(text).__name__}", "pass the fence body as a str", 1, 1
        )
    if len(text) > limits.max_text:
        line, col = _position(text, limits.max_text)
        raise SpecError(
            f"the text is too long ({len(text)} characters; the limit is {limits.max_text})",
            "shorten it, or raise the max_text limit",
            line,
            col,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _BAD_CHAR.search(text)
    if bad:
        line, col = _position(text, bad.start())
        raise SpecError(
            f"control character U+{ord(bad.group()):04X} is not allowed",
            "remove it; inside a double-quoted string write it as an escape such as \\x01",
            line,
            col,
        )
    try:
        return _Parser(text, limits).parse()
    except RecursionError:  # only reachable with a max_depth far above the default
        raise SpecError("nesting is too deep to parse", "flatten the structure", 1, 1) from None


def from_python(obj: Any, limits: Limits = DEFAULT_LIMITS) -> YNode:
    """Wrap plain Python data (dicts with str keys, lists, tuples, scalars) without positions.

    Mappings get an empty ``key_pos``.  Errors name the offending path in
    ``SpecError.field`` (``a.b[2]``).
    """
    return _wrap(obj, "", 1, limits)


def _wrap(obj: Any, path: str, depth: int, limits: Limits) -> YNode:
    if type(obj).__module__ == "numpy" and getattr(obj, "ndim", None) == 0:
        obj = obj.item()  # numpy scalars become the matching Python scalar
    if obj is None or isinstance(obj, (bool, str)):
        return YNode(obj)
    if isinstance(obj, numbers.Integral):
        return YNode(int(obj))
    if isinstance(obj, numbers.Real):
        return YNode(float(obj))
    where = path or None
    if isinstance(obj, (dict, list, tuple)) and depth > limits.max_depth:
        raise SpecError(
            f"nesting deeper than {limits.max_depth} levels", "flatten the structure", field=where
        )
    if isinstance(obj, dict):
        values = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise SpecError(
                    f"mapping keys must be strings, got {key!r} ({type(key).__name__})",
                    "use str keys",
                    field=where,
                )
            values[key] = _wrap(value, f"{path}.{key}" if path else key, depth + 1, limits)
        return YNode(values, key_pos={}, style="block")
    if isinstance(obj, (list, tuple)):
        items = [_wrap(v, f"{path}[{i}]", depth + 1, limits) for i, v in enumerate(obj)]
        return YNode(items, style="block")
    raise SpecError(
        f"unsupported value of type {type(obj).__name__}",
        "use dicts, lists, str, int, float, bool or None",
        field=where,
    )


def to_python(node: YNode) -> Any:
    """Plain dicts, lists and scalars from a YNode tree."""
    if node.is_map():
        return {key: to_python(value) for key, value in node.value.items()}
    if node.is_seq():
        return [to_python(value) for value in node.value]
    return node.value
