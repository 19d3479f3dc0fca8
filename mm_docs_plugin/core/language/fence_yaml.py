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

import numbers
import re
from typing import Any, Dict, Optional, Tuple

from yaml.error import MarkedYAMLError
from yaml.nodes import Node, ScalarNode, SequenceNode

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from .yaml_loader import MESSAGES, Loader, translate

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


# Every integer a spec holds converts to a float (seeds, sizes and values all do):
# larger ones are refused where they are read, before anything computes with them.
MAX_INT = 2**1023


def _resolve(text: str, line: int, column: int) -> Any:
    """The typed value of a plain scalar found at (line, column)."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    number = None
    try:
        if _INT.fullmatch(text):
            number = int(text)  # Python >= 3.11 refuses > 4300 digits: ValueError
        elif _OCT.fullmatch(text):
            number = int(text[2:], 8)
        elif _HEX.fullmatch(text):
            number = int(text[2:], 16)
    except ValueError:
        number = MAX_INT
    if number is not None:
        if abs(number) >= MAX_INT:
            message, hint = MESSAGES["big_int"]
            raise SpecError(message, hint, line, column)
        return number
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


# Control characters YAML refuses anywhere (JSON too), and surrogates.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_BLANKS = re.compile(r"[ \t]*")
# In a double-quoted source: an escaped backslash, a surrogate pair, or a lone surrogate.
_SURROGATE_ESCAPE = re.compile(
    r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|(\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2})"
)
_STYLES = {None: "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}


# -- the node graph as YNodes --------------------------------------------------------


def _text(node: ScalarNode, ld: Loader) -> str:
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


def _block_text_start(node: ScalarNode, ld: Loader, line: int, column: int) -> Tuple[int, int]:
    """(line, column) of a block scalar's text: its first text line, at its indentation."""
    value = node.value
    first = value.lstrip("\n")  # leading empty lines are kept as line breaks
    row = line + 1 + len(value) - len(first)
    if not first or row > len(ld.starts):
        return line, column
    source = ld.line_text(row)
    indent = len(source) - len(source.lstrip(" ")) - (len(first) - len(first.lstrip(" ")))
    return row, max(indent, 0) + 1


def _ynode(node: Node, ld: Loader) -> YNode:
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


def _key_error(key_node: Node, ld: Loader, what: str) -> SpecError:
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
    ld = Loader(text, limits)
    try:
        root = ld.get_single_node()
        return YNode(None, 1, 1) if root is None else _ynode(root, ld)
    except MarkedYAMLError as err:
        raise translate(err, ld) from None
    except RecursionError:  # only reachable with a max_depth far above the default
        raise SpecError("nesting is too deep to parse", "flatten the structure", 1, 1) from None
    except (ValueError, OverflowError) as err:
        # chr() of a \\U escape beyond U+10FFFF (OverflowError past 2**31); the scanner
        # stands on its first digit.
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
        if abs(int(obj)) >= MAX_INT:
            raise SpecError(MESSAGES["big_int"][0], "use a smaller number", field=path or None)
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
