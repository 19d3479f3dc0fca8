"""PyYAML's pure-Python loader, up to the node graph, adapted to fence bodies.

`Loader` is PyYAML's reader, scanner, parser and composer with the changes listed in
`fence_yaml` (refusals at their indicator, tabs as separators, a depth cap before the
recursive composer); `translate` turns PyYAML's errors into the project's messages
and hints, at the place they are about.  Every message lives in `MESSAGES`.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Optional, Tuple

from yaml.composer import Composer
from yaml.error import MarkedYAMLError
from yaml.events import CollectionStartEvent
from yaml.nodes import Node
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner
from yaml.tokens import DocumentEndToken

from ..errors import Limits, SpecError

# -- errors ------------------------------------------------------------------------

_QUOTE_IT = "quote the value if the character is part of the text"
_ESCAPE_HINT = 'valid escapes: \\\\ \\" \\/ \\n \\t \\r \\0 \\xXX \\uXXXX \\UXXXXXXXX; write \\\\ for a backslash'
# Every parse error: (message, hint), formatted with the keywords given to `fail`.
MESSAGES = {
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
    "header": (
        "invalid block scalar header",
        "write '|' or '>', optionally with '-' or '+' and a digit; the text goes below",
    ),
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
    "flow_question": ("'?' inside [ ] or {{ }} must be quoted", 'quote the text: ["why?"]'),
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
    "big_int": (
        "number too large (beyond 1e300)",
        "use a smaller number, or quote it to keep it as text",
    ),
    "other": ("invalid YAML: {problem}", "check the YAML syntax here"),
}

_BREAKS = "\0\r\n\x85\u2028\u2029"  # PyYAML's line breaks, and the end of the text
_FOUND = re.compile(r"(?:found|got) '(.*)'$")
_DOC_END = re.compile(r"^\.\.\.(?=[ \t\n]|$)", re.M)


def _refuse(what: str):
    """A scanner step that refuses the token it would read, at its indicator."""

    def fetch(self: Loader) -> None:
        raise self.fail(what, self.index)

    return fetch


class Loader(Reader, Scanner, Parser, Composer, BaseResolver):
    """PyYAML's pure-Python loader up to the node graph, with the changes listed above.

    ``BaseResolver`` has no implicit resolvers: every scalar gets the str tag, which
    nothing reads (`_ynode` types plain scalars itself).
    """

    def __init__(self, text: str, limits: Limits) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self.text = text
        self.limits = limits
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.depth = 0

    def at(self, index: int) -> Tuple[int, int]:
        """1-based (line, column) of a character index of the text."""
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else None]

    def fail(self, what: str, index: int, length: int = 1, **names: Any) -> SpecError:
        message, hint = MESSAGES[what]
        line, column = self.at(index)
        return SpecError(message.format(**names), hint.format(**names), line, column, length)

    def check_printable(self, data: str) -> None:
        """Allow DEL, C1 controls and U+FFFE/FFFF, which JSON strings may hold raw.

        `parse_yaml` has refused the control characters YAML and JSON refuse.
        """

    # -- scanner ------------------------------------------------------------------

    fetch_anchor = _refuse("&")
    fetch_alias = _refuse("*")
    fetch_tag = _refuse("!")
    fetch_directive = _refuse("directive")

    def fetch_key(self) -> None:
        """Refuse an explicit '? ' key (simple keys come from fetch_value).

        Inside [ ] and { } PyYAML also takes a '?' within or before text for one.
        """
        before = self.text[self.index - 1 : self.index]
        explicit = self.peek(1) in " \t" + _BREAKS and before in " \t\n[{,"  # or ""
        raise self.fail("?" if explicit else "flow_question", self.index)

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # PyYAML keeps a possible simple key per open bracket and rescans them all for
        # every token, so deep brackets cost quadratic time before the composer could
        # refuse them: refuse here, counting the block collections opened around them.
        if len(self.indents) + self.flow_level + 1 > self.limits.max_depth:
            raise self.fail("depth", self.index, limit=self.limits.max_depth)
        super().fetch_flow_collection_start(token_class)

    def scan_to_next_token(self) -> None:
        """Skip blanks, comments and line breaks; a tab may separate, not indent."""
        while True:
            start = self.index
            while self.peek() in " \t":
                self.forward()
            tab = self.text.find("\t", start, self.index)
            if tab >= 0 and not self.flow_level and self.peek() not in "#" + _BREAKS:
                line_start = self.text.rfind("\n", 0, tab) + 1
                if not self.text[line_start:tab].strip(" "):
                    raise self.fail("tab", tab)
            if self.peek() == "#":
                while self.peek() not in _BREAKS:
                    self.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> Any:
        """Blanks inside a plain scalar: tabs between words are kept like spaces."""
        length = 0
        while self.peek(length) in " \t":
            length += 1
        blanks = self.prefix(length)
        self.forward(length)
        if self.peek() in _BREAKS[1:]:  # a line break: PyYAML folds it
            return super().scan_plain_spaces(indent, start_mark)
        return [blanks] if blanks else []

    def scan_block_scalar_indentation(self) -> Any:
        found = super().scan_block_scalar_indentation()
        # PyYAML takes the widest leading empty line as the indentation and would end
        # the scalar silently before a less indented first text line.
        if max(self.indent + 1, 1) <= self.column < found[1] and self.peek() != "\0":
            raise self.fail("leading_empty", self.index - self.column)
        return found

    # -- parser and composer ------------------------------------------------------

    def parse_implicit_document_start(self) -> Any:
        if self.check_token(DocumentEndToken):  # '...' with no document before it
            return self.parse_document_start()
        return super().parse_implicit_document_start()

    def compose_node(self, parent: Optional[Node], index: Any) -> Node:
        if not self.check_event(CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        limit = self.limits.max_depth
        if self.depth > limit:
            raise self.fail("depth", self.peek_event().start_mark.index, limit=limit)
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node


def translate(err: MarkedYAMLError, ld: Loader) -> SpecError:
    """PyYAML's error as the project's message and hint, at the place it is about."""
    text, problem = ld.text, err.problem or ""
    at = err.problem_mark.index if err.problem_mark else 0
    ctx = err.context_mark.index if err.context_mark else at
    found = _FOUND.search(problem)
    token = found.group(1) if found else ""
    head = text[text.rfind("\n", 0, at) + 1 : at]  # the line before the problem
    if problem.startswith("found character"):  # that cannot start any token
        return ld.fail("|", at) if text[at] in "|>" else ld.fail("reserved", at, ch=text[at])
    if problem == "mapping values are not allowed here":
        return ld.fail("colon_in_value" if re.search(r":[ \t]", head) else "colon_in_plain", at)
    if problem == "sequence entries are not allowed here":
        return ld.fail("seq_on_key_line" if re.search(r":[ \t]*$", head) else "trailing", at)
    if problem == "could not find expected ':'":
        return ld.fail("no_colon", ctx, len(ld.line_text(ld.at(ctx)[0])) - ld.at(ctx)[1] + 1)
    if "quoted scalar" in (err.context or "") and (at >= len(text) or "unexpected" in problem):
        quote = text[ctx]
        return ld.fail("unclosed_quote", ctx, quote=quote, inner="''" if quote == "'" else '\\"')
    if problem.startswith("found unknown escape"):
        return ld.fail("escape", at - 1, 2, code=text[at])
    if problem.startswith("expected escape sequence"):
        slash = text.rfind("\\", 0, at)
        code = text[slash + 1]
        return ld.fail("hex", slash, 2, code=code, size={"x": 2, "u": 4, "U": 8}[code])
    if err.context == "while scanning a block scalar":
        return ld.fail("header", at)
    if problem.startswith("expected '<document start>'"):
        if _DOC_END.search(text, 0, at):
            return ld.fail("after_end", at)
        return ld.fail("misfit" if not head.strip() else "trailing", at)
    if problem.startswith("expected <block end>"):
        if head.strip():
            return ld.fail("trailing", at)
        if token in ("-", "?", ":"):
            return ld.fail({"-": "item_not_key", "?": "misfit", ":": ":"}[token], at)
        in_map = err.context == "while parsing a block mapping"
        return ld.fail("key_indent" if in_map else "item_indent", at, col=ld.at(ctx)[1])
    if token == "<stream end>" and ld.marks and text[ld.marks[-1].index] in "[{":
        opener = text[ld.marks[-1].index]  # the innermost collection is still open
        close = {"[": "]", "{": "}"}[opener]
        return ld.fail("unclosed", ld.marks[-1].index, opener=opener, close=close)
    if problem.startswith("expected ','"):
        return ld.fail("flow_sep", at, close=problem[len("expected ',' or '")])
    if problem.startswith("expected the node content") and token in (",", "]", "}", "-", ":"):
        return ld.fail(token, at) if token in "-:" else ld.fail("missing", at, ch=token)
    if err.context == "expected a single document in the stream":
        return ld.fail("documents", at, 3)
    return ld.fail("other", at, problem=problem)
