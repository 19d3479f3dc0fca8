"""Fence bodies as YAML: PyYAML's composer, with the position of every key and value.

The body of an ```mm fence is YAML (JSON is valid YAML), the YAML authors also write
in ``mkdocs.yml``.  PyYAML's pure-Python reader, scanner, parser and composer turn
the text into a node graph whose every key and value has a start mark; this module
turns that graph into `YNode`s that keep those positions, so validation errors point
at the offending key or value.  Pyodide 0.17 has no PyYAML, so the browser's core
archive carries PyYAML's pure-Python package (``corearchive.py``).

What the adapter changes in PyYAML's YAML
-----------------------------------------
* Plain scalars are typed by the YAML 1.2 core schema, not PyYAML's YAML 1.1: null
  (``null``, ``Null``, ``NULL``, ``~``, empty), bool (``true``/``True``/``TRUE``, same
  for false; ``yes``/``on`` stay text), int (decimal, ``010`` is 10, ``0o17``,
  ``0x1F``), float (``1.5``, ``1e3``, ``.inf``, ``-.inf``, ``.nan`` and case
  variants), otherwise str.  Quoted and block scalars are always str; mapping keys
  are always the key's text (``1: x`` gives the key ``"1"``).
* Refused as the scanner meets their indicator, so nothing is ever resolved or
  expanded (no alias bombs): anchors ``&``, aliases ``*``, tags ``!``, directives
  ``%`` and complex keys ``?``.  Refused in the composed graph: merge keys ``<<``,
  duplicate keys (naming both lines), collections as keys, ``[a: 1]`` pairs, more
  than one document.
* Tabs separate tokens and words as YAML 1.2 allows (PyYAML refuses ``key:\\tvalue``
  and JSON indented with tabs) but never indent a block.
* JSON's surrogate-pair escapes (``"\\ud83d\\ude00"``) join; a lone one is refused.

Every failure, for any input string, is a `SpecError` with the project's message
and hint and a 1-based line and column (lines are counted by ``\\n``, CRLF and CR
becoming ``\\n`` first, as in the editor); nesting is capped by
``limits.max_depth`` before the recursive composer goes deeper, and the text by
``limits.max_text`` before anything is read.
"""

from __future__ import annotations

import bisect
import numbers
import re
from typing import Any, Dict, Optional, Tuple

from yaml.composer import Composer
from yaml.error import MarkedYAMLError
from yaml.events import CollectionStartEvent
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner
from yaml.tokens import DocumentEndToken

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


def _resolve(text: str, line: int, column: int) -> Any:
    """The typed value of a plain scalar found at (line, column)."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    try:
        if _INT.fullmatch(text):
            return int(text)  # Python >= 3.11 refuses > 4300 digits: ValueError
    except ValueError:
        message, hint = _MESSAGES["big_int"]
        raise SpecError(message, hint, line, column) from None
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


# -- errors ------------------------------------------------------------------------

_QUOTE_IT = "quote the value if the character is part of the text"
_ESCAPE_HINT = 'valid escapes: \\\\ \\" \\/ \\n \\t \\r \\0 \\xXX \\uXXXX \\UXXXXXXXX; write \\\\ for a backslash'
# Every parse error: (message, hint), formatted with the keywords given to `fail`.
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
    "big_int": ("integer too long", "quote it to keep it as text"),
    "other": ("invalid YAML: {problem}", "check the YAML syntax here"),
}

# Control characters YAML refuses anywhere (JSON too), and surrogates.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_BREAKS = "\0\r\n\x85\u2028\u2029"  # PyYAML's line breaks, and the end of the text
_BLANKS = re.compile(r"[ \t]*")
_FOUND = re.compile(r"(?:found|got) '(.*)'$")
_DOC_END = re.compile(r"^\.\.\.(?=[ \t\n]|$)", re.M)
# In a double-quoted source: an escaped backslash, a surrogate pair, or a lone surrogate.
_SURROGATE_ESCAPE = re.compile(
    r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|(\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2})"
)
_STYLES = {None: "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}


def _refuse(what: str):
    """A scanner step that refuses the token it would read, at its indicator."""

    def fetch(self: _Loader) -> None:
        raise self.fail(what, self.index)

    return fetch


class _Loader(Reader, Scanner, Parser, Composer, BaseResolver):
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
        message, hint = _MESSAGES[what]
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


def _translate(err: MarkedYAMLError, ld: _Loader) -> SpecError:
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


# -- the node graph as YNodes --------------------------------------------------------


def _text(node: ScalarNode, ld: _Loader) -> str:
    """A scalar's text, with JSON's surrogate-pair escapes joined."""
    value = node.value
    if node.style != '"' or not re.search("[\ud800-\udfff]", value):
        return value  # only escapes make surrogates: the text itself has none
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        start = node.start_mark.index
        for m in _SURROGATE_ESCAPE.finditer(ld.text, start, node.end_mark.index):
            if m.group(1):
                start = m.start()
                break
        digits = ld.text[start + 2 : start + (10 if ld.text[start + 1] == "U" else 6)]
        code = ld.text[start + 1]
        raise ld.fail("code_point", start, 2 + len(digits), code=code, digits=digits) from None


def _block_text_start(node: ScalarNode, ld: _Loader, line: int, column: int) -> Tuple[int, int]:
    """(line, column) of a block scalar's text: its first text line, at its indentation."""
    value = node.value
    first = value.lstrip("\n")  # leading empty lines are kept as line breaks
    row = line + 1 + len(value) - len(first)
    if not first or row > len(ld.starts):
        return line, column
    source = ld.line_text(row)
    indent = len(source) - len(source.lstrip(" ")) - (len(first) - len(first.lstrip(" ")))
    return row, max(indent, 0) + 1


def _ynode(node: Node, ld: _Loader) -> YNode:
    start = node.start_mark.index
    line, column = ld.at(start)
    if isinstance(node, ScalarNode):
        style = _STYLES[node.style]
        text = _text(node, ld)
        if style == "plain":
            return YNode(_resolve(text, line, column), line, column)
        if style in ("single", "double"):
            return YNode(text, line, column, None, style, line, column + 1)
        return YNode(text, line, column, None, style, *_block_text_start(node, ld, line, column))
    style = "flow" if node.flow_style else "block"
    if isinstance(node, SequenceNode):
        return YNode([_ynode(item, ld) for item in node.value], line, column, style=style)
    if node.flow_style and ld.text[start] != "{":  # PyYAML reads [a: 1] as [{a: 1}]
        raise _key_error(node.value[0][0], ld, "pair_in_seq")
    values: Dict[str, YNode] = {}
    key_pos: Dict[str, Tuple[int, int]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _key_error(key_node, ld, "collection_key" if node.flow_style else "bad_key")
        key = _text(key_node, ld)
        k_start = key_node.start_mark.index
        if key_node.style is None and key in ("", "<<"):  # an omitted key; a merge key
            raise ld.fail(":" if key == "" else "merge", k_start, len(key) or 1)
        if key in key_pos:
            first = key_pos[key][0]
            length = key_node.end_mark.index - k_start
            raise ld.fail("duplicate", k_start, length, key=key, first=first)
        key_pos[key] = ld.at(k_start)
        at_value = value_node.start_mark.index
        if value_node.value == "" and ld.text[at_value : at_value + 1] in (",", "}"):
            values[key] = YNode(None, *key_pos[key])  # '{a, b}': no ':', so null at the key
        else:
            values[key] = _ynode(value_node, ld)
    return YNode(values, line, column, key_pos=key_pos, style=style)


def _key_error(key_node: Node, ld: _Loader, what: str) -> SpecError:
    """A refused key: in a flow mapping at the key, otherwise at the ':' after it."""
    index = key_node.start_mark.index
    if what != "collection_key":
        index = _BLANKS.match(ld.text, key_node.end_mark.index).end()
    return ld.fail(what, index)


def _position(text: str, offset: int) -> Tuple[int, int]:
    """1-based (line, column) of a character offset."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def parse_yaml(text: str, limits: Limits = DEFAULT_LIMITS) -> YNode:
    """Parse a fence body into a YNode tree; raises only SpecError."""
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # marks then index "\n" lines
    bad = _BAD_CHAR.search(text)
    if bad:
        line, col = _position(text, bad.start())
        what = "control character" if ord(bad.group()) < 0xA0 else "character"
        raise SpecError(
            f"{what} U+{ord(bad.group()):04X} is not allowed",
            "remove it; inside a double-quoted string write it as an escape such as \\x01",
            line,
            col,
        )
    ld = _Loader(text, limits)
    try:
        root = ld.get_single_node()
        return YNode(None, 1, 1) if root is None else _ynode(root, ld)
    except MarkedYAMLError as err:
        raise _translate(err, ld) from None
    except RecursionError:  # only reachable with a max_depth far above the default
        raise SpecError("nesting is too deep to parse", "flatten the structure", 1, 1) from None
    except ValueError as err:
        # chr() of a \\U escape beyond U+10FFFF; the scanner stands on its first digit.
        slash = ld.index - 2
        if isinstance(err, SpecError) or text[slash : slash + 2] != "\\U":
            raise
        digits = text[slash + 2 : slash + 10]
        raise ld.fail("code_point", slash, 10, code="U", digits=digits) from None


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
