"""Tests of the fence YAML reader on PyYAML's composer (runs on Python 3.8 as well)."""

from __future__ import annotations

import json
import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core.errors import Limits, SpecError
from mm_docs_plugin.core.language.fence_yaml import (
    YNode,
    _resolve,
    from_python,
    parse_yaml,
    to_python,
)

# -- valid documents, compared with PyYAML ------------------------------------------

# Only documents where YAML 1.1 (PyYAML) and 1.2 agree: no yes/no/on/off, no
# 1e3 without a dot, no 0o/0-prefixed octals, no sexagesimals, no int-like keys.
SAME_AS_PYYAML = [
    "",
    "# only a comment\n",
    "a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf:\ng: text\n",
    "a: [1, 2, 3]\nb: {x: 1, 'y': \"z\"}\nc: []\nd: {}\n",
    "- a\n- 1\n- - x\n  - y\n- k: v\n  k2: v2\n- []\n",
    "top:\n  nested:\n    deep: 1\n  other: 2\nlast: 3\n",
    "key:\n- 1\n- 2\nnext:\n- a: 1\n  b:\n  - x\n",
    "- a:\n  - 1\n  b: 2\n-\n  c: 3\n-\n- ~\n",
    "k: out = (attn = softmax(Q @ K.T / sqrt(k))) @ V\nu: https://x/y?a=1&b=2\n",
    "a: b:c\nd: x#y\ne: a - b\nf: 'it''s'\ng: \"tab\\there \\u00e9 \\x41 \\U0001F600\"\n",
    "a: value # comment\n# full line\nb: 2   # another\n",
    "plain: first line\n  second line\n\n  after blank\nnext: 1\n",
    "sq: 'one\n  two\n\n  three'\ndq: \"one\n  two \\\n  joined\"\n",
    "lit: |\n  line1\n   indented\n\n  line3\nfold: >\n  a\n  b\n\n  c\n   d\n  e\n",
    "a: |-\n  strip\n\nb: |+\n  keep\n\nc: >-\n  x\n  y\nd: |\n  clip\n\n\n",
    "a: |2\n    two extra\n  base\nb: >\n\n  leading blank\n",
    "a: |\nb: >-\n",
    "- |\n  in seq\n- >\n  folded\n  seq\n",
    '{\n  "a": [1,\n    2.5, true, null],\n  "b": {"c": "d"},\n  "e": -0.0\n}\n',
    '{"a":1,"b":"x","c":[{"d":[]}]}',
    "[1, [2, [3, {a: b}]], 'x', \"y\"]\n",
    "{a: 1, b, c: }\n",
    "[a b, c\n  d, 'e']\n",
    "---\na: 1\n...\n# trailing\n",
    "--- |\n  doc scalar\n",
    "--- [1, 2]\n",
    "just a string\n",
    "'quoted root'\n",
    "42\n",
    "  indented: 1\n  root: 2\n",
    "\ufeffa: 1\r\nb:\r\n- 2\r\n",
    "a: .inf\nb: -.Inf\nc: +1\nd: .5\ne: 1.\nf: 0x1F\ng: TRUE\nh: False\n",
    "a: 'x' # c\nb: \"y\" # d\n",
    "'quoted key': 1\n\"dq key\" : 2\n",
    "a:\n  -   x\n  -   y:  1\n      z:  2\n",
    "a: \"\"\nb: ''\nc: ' lead and trail '\n",
]


@pytest.mark.parametrize("text", SAME_AS_PYYAML)
def test_matches_pyyaml(text):
    yaml = pytest.importorskip("yaml")
    assert to_python(parse_yaml(text)) == yaml.safe_load(text)


# YAML 1.2 core schema results (and our fixed choices), checked without PyYAML.
CORE_SCHEMA = [
    ("a: 1e3", {"a": 1000.0}),
    ("a: 0o17", {"a": 15}),
    ("a: 0x1F", {"a": 31}),
    ("a: 012", {"a": 12}),
    ("a: yes\nb: off", {"a": "yes", "b": "off"}),
    ("a: 1:20", {"a": "1:20"}),
    ("1: x\nnull: y\ntrue: z", {"1": "x", "null": "y", "true": "z"}),
    ("a: NULL\nb: Null\nc: -x", {"a": None, "b": None, "c": "-x"}),
    ("'': 1\nb: {\"\": 2}", {"": 1, "b": {"": 2}}),
    ("a: 1_000\nb: +.5e-3\nc: -12", {"a": "1_000", "b": 0.0005, "c": -12}),
    ("a: '1'\nb: \"true\"\nc: |\n  1\n", {"a": "1", "b": "true", "c": "1\n"}),
    ("a: multi\n  1", {"a": "multi 1"}),
    ('"\\ud83d\\ude00"', "\U0001f600"),
    ("a: |\n  no final newline", {"a": "no final newline"}),
    ("a: |+\n  x\n  ", {"a": "x\n"}),
    ("a: 'x'\rb: 2\r", {"a": "x", "b": 2}),
    ("[a:b, http://x]", ["a:b", "http://x"]),
    ('a: "y"\t# tab before a comment\nb:\tz', {"a": "y", "b": "z"}),
]


@pytest.mark.parametrize(("text", "expected"), CORE_SCHEMA)
def test_core_schema(text, expected):
    assert to_python(parse_yaml(text)) == expected


def test_nan_and_infinities():
    value = to_python(parse_yaml("[.nan, .NaN, .inf, -.INF, +.inf]"))
    assert math.isnan(value[0]) and math.isnan(value[1])
    assert value[2:] == [math.inf, -math.inf, math.inf]


def test_empty_documents_are_null():
    for text in ("", "\n\n", "# c\n  # d\n", "---\n", "---\n...\n", "\ufeff"):
        node = parse_yaml(text)
        assert node.value is None and node.is_scalar()


# -- round trips through PyYAML and json -------------------------------------------

# Strings typed as non-str by YAML 1.2 may be left unquoted by a YAML 1.1 dumper
# ("1e3", "0o7", "+.5"), so the YAML round trip only uses strings that stay str.
_BREAKS = "\x85\u2028\u2029"  # line breaks in YAML 1.1 only


def _plain_type_is_str(s):
    return s == "" or isinstance(_resolve(s, 0, 0), str)  # "" is always quoted


texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_BREAKS), max_size=30
)
keys = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_BREAKS + "\n"),
    min_size=1,  # PyYAML writes an empty key as a complex '? ' key
    max_size=12,
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts.filter(_plain_type_is_str)
)
data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data, st.booleans(), st.booleans())
def test_round_trip_pyyaml(value, flow, unicode):
    yaml = pytest.importorskip("yaml")
    dumped = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=unicode)
    assert to_python(parse_yaml(dumped)) == value


@settings(max_examples=150, deadline=None)
@given(data, st.sampled_from([None, 2, "\t"]), st.booleans())
def test_round_trip_json(value, indent, ascii_only):
    dumped = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert to_python(parse_yaml(dumped)) == value


@settings(max_examples=100, deadline=None)
@given(data)
def test_from_python_round_trip(value):
    node = from_python(value)
    assert to_python(node) == value
    assert node.line is None


# -- positions -------------------------------------------------------------------

DOC = (
    "name: attention\n"  # 1
    "nodes:\n"  # 2
    "  Q:\n"  # 3
    "    shape: [64, 128]\n"  # 4
    "    init: 'normal'\n"  # 5
    '  K: {shape: [64, 128], "init": zeros}\n'  # 6
    "items:\n"  # 7
    "- a: 1\n"  # 8
    "  b: |\n"  # 9
    "    text\n"  # 10
    "- plain\n"  # 11
    "  continued\n"  # 12
    "empty:\n"  # 13
)


def test_positions_of_keys_and_values():
    root = parse_yaml(DOC)
    assert root.is_map() and root.style == "block" and (root.line, root.column) == (1, 1)
    assert root.key_pos == {"name": (1, 1), "nodes": (2, 1), "items": (7, 1), "empty": (13, 1)}
    name = root.value["name"]
    assert (name.line, name.column, name.style) == (1, 7, "plain")
    nodes = root.value["nodes"]
    assert (nodes.line, nodes.column) == (3, 3)
    assert nodes.key_pos == {"Q": (3, 3), "K": (6, 3)}
    q = nodes.value["Q"]
    assert q.key_pos == {"shape": (4, 5), "init": (5, 5)}
    shape = q.value["shape"]
    assert (shape.line, shape.column, shape.style) == (4, 12, "flow")
    assert [(v.line, v.column, v.value) for v in shape.value] == [(4, 13, 64), (4, 17, 128)]
    init = q.value["init"]
    assert (init.line, init.column, init.style) == (5, 11, "single")
    assert (init.content_line, init.content_column) == (5, 12)
    k = nodes.value["K"]
    assert (k.line, k.column, k.style) == (6, 6, "flow")
    assert k.key_pos == {"shape": (6, 7), "init": (6, 25)}
    assert (k.value["init"].line, k.value["init"].column) == (6, 33)
    items = root.value["items"]
    assert (items.line, items.column, items.style) == (8, 1, "block")
    first = items.value[0]
    assert (first.line, first.column) == (8, 3)
    assert first.key_pos == {"a": (8, 3), "b": (9, 3)}
    block = first.value["b"]
    assert (block.line, block.column, block.style, block.value) == (9, 6, "literal", "text\n")
    assert (block.content_line, block.content_column) == (10, 5)
    second = items.value[1]
    assert (second.line, second.column, second.value) == (11, 3, "plain continued")
    empty = root.value["empty"]
    assert empty.value is None and (empty.line, empty.column) == (13, 7)
    _check_positions(DOC, root)


def _walk(node):
    yield node
    children = node.value.values() if node.is_map() else node.value if node.is_seq() else ()
    for child in children:
        yield from _walk(child)


_FIRST_CHARS = {"flow": "[{", "double": '"', "single": "'", "literal": "|", "folded": ">"}


def _check_positions(text, root):
    """Every node's (line, column) points at its first character."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    for node in _walk(root):
        at = lines[node.line - 1][node.column - 1 :]
        if node.style in _FIRST_CHARS:
            assert at and at[0] in _FIRST_CHARS[node.style], (node, at)
        elif node.is_seq():
            assert at[:1] == "-", (node, at)
        elif node.is_map():
            assert node.key_pos.get(next(iter(node.value), None), (node.line, node.column)) == (
                node.line,
                node.column,
            )
        elif isinstance(node.value, str) and node.value:
            assert at[:1] == node.value[0], (node, at)
        elif isinstance(node.value, (int, float)):
            assert at and at[0] in "0123456789+-.tTfF", (node, at)
        if node.is_map():
            for key, (line, column) in node.key_pos.items():
                first = lines[line - 1][column - 1 : column]
                assert first and (first in "'\"" or key.startswith(first)), (key, line, column)


@settings(max_examples=100, deadline=None)
@given(data, st.sampled_from([None, 2]))
def test_positions_point_at_nodes_json(value, indent):
    text = json.dumps(value, indent=indent)
    _check_positions(text, parse_yaml(text))


@settings(max_examples=100, deadline=None)
@given(data, st.booleans())
def test_positions_point_at_nodes_yaml(value, flow):
    yaml = pytest.importorskip("yaml")
    text = yaml.safe_dump(value, default_flow_style=flow)
    _check_positions(text, parse_yaml(text))


def test_positions_of_double_quoted_and_json():
    node = parse_yaml('x:  "a\\u00e9"\n')
    value = node.value["x"]
    assert (value.line, value.column, value.content_column, value.style) == (1, 5, 6, "double")
    node = parse_yaml('{\n\t"a": [\n\t\t1\n\t]\n}')
    assert node.key_pos == {"a": (2, 2)}
    assert (node.value["a"].value[0].line, node.value["a"].value[0].column) == (3, 3)


def test_bom_and_crlf_keep_columns():
    node = parse_yaml("\ufeffa: 1\r\nbb: 2\r\n")
    assert node.key_pos == {"a": (1, 1), "bb": (2, 1)}
    assert (node.value["bb"].line, node.value["bb"].column) == (2, 5)


def test_ynode_kinds():
    node = parse_yaml("a: [1]\nb: 2")
    assert node.is_map() and not node.is_seq() and not node.is_scalar()
    assert node.value["a"].is_seq() and node.value["b"].is_scalar()
    assert "YNode(" in repr(node.value["b"])


# -- errors ----------------------------------------------------------------------

BAD = [
    ("a:\n\tb: 1", "tabs cannot be used for indentation", 2, 1),
    ("a: &x 1", "anchors", 1, 4),
    ("a: *x", "aliases", 1, 4),
    ("a: !!str 1", "tags", 1, 4),
    ("- !t x", "tags", 1, 3),
    ("<<: {a: 1}", "merge keys", 1, 1),
    ("? a\n: b", "complex keys", 1, 1),
    ("a: 1\n---\nb: 2", "multiple documents", 2, 1),
    ("a: 1\n...\nb: 2", "after the document end marker", 3, 1),
    ("%YAML 1.2\n---\na: 1", "directives", 1, 1),
    ("a: 1\nb: 2\na: 3", "duplicate key 'a' (first at line 1)", 3, 1),
    ("{a: 1, a: 2}", "duplicate key 'a' (first at line 1)", 1, 8),
    ("a: 1\n  b: 2", "unexpected ': ' inside a plain value", 2, 4),
    ("a:\n    b: 1\n  c: 2", "bad indentation", 3, 3),
    ("- [a]\n  - b", "bad indentation", 2, 3),
    ("c: -", "cannot start on the same line", 1, 4),
    ("a: 1\nb", "missing ':' after key", 2, 1),
    ("a: 1\n- b", "expected a key, found a '- ' item", 2, 1),
    ("- a\nb: 1", "does not fit the structure", 2, 1),
    ("a: b: c", "cannot contain ': '", 1, 5),
    ("a: - b", "cannot start on the same line", 1, 4),
    ("a: 'unclosed\nb: 2", "unclosed quote", 1, 4),
    ('a: "unclosed', "unclosed quote", 1, 4),
    ("a: 'runs past\n...\n'", "unclosed quote", 1, 4),
    ("a: [1, 2", "unclosed '['", 1, 4),
    ("a: {b: 1\n", "unclosed '{'", 1, 4),
    ("a: [1 2 ; 3}", "expected ',' or ']'", 1, 12),
    ("[a: 1]", "'key: value' pairs are not supported inside [ ]", 1, 3),
    ("[1,,2]", "unexpected ','", 1, 4),
    ("{[a]: 1}", "a collection cannot be a mapping key", 1, 2),
    ("a: [1] x", "unexpected text after the value", 1, 8),
    ('"a" x', "unexpected text after the value", 1, 5),
    ("[a]: 1", "only plain or quoted text", 1, 4),
    ('a: "\\q"', "unknown escape", 1, 5),
    ('a: "\\x4"', "needs 2 hex digits", 1, 5),
    ('a: "\\ud800"', "not a valid character", 1, 5),
    ("a: |x\n  y", "invalid block scalar header", 1, 5),
    ("a: |++\n  y", "invalid block scalar header", 1, 6),
    ("a: |\n    \n  y", "leading empty lines", 3, 1),
    ("a: @x", "cannot start a plain value", 1, 4),
    ("a: `x`", "cannot start a plain value", 1, 4),
    ("a: %x", "cannot start a plain value", 1, 4),
    (": x", "missing key", 1, 1),
    ("[- a]", "'- ' items are not allowed", 1, 2),
    ("[|]", "block scalars", 1, 2),
    ("a: 1\x00", "control character U+0000", 1, 5),
    ("a:\n  b: \x07", "control character U+0007", 2, 6),
]


@pytest.mark.parametrize(("text", "fragment", "line", "column"), BAD)
def test_errors(text, fragment, line, column):
    with pytest.raises(SpecError) as info:
        parse_yaml(text)
    err = info.value
    assert fragment in err.message
    assert (err.line, err.column) == (line, column), str(err)
    assert err.hint


def test_alias_bomb_refused_at_the_first_anchor():
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, name = "abcdefghi"[i - 1], "abcdefghi"[i]
        laughs.append("%s: &%s [%s]" % (name, name, ", ".join(["*" + prev] * 9)))
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        parse_yaml("\n".join(laughs))
    assert time.perf_counter() - start < 0.5
    assert "anchors" in info.value.message and (info.value.line, info.value.column) == (1, 4)


@pytest.mark.parametrize(
    ("text", "fragment", "line", "column"),
    [
        ("a: !!python/object/apply:os.system [ls]", "tags", 1, 4),
        ("a: ! x", "tags", 1, 4),
        ("{a: !t 1}", "tags", 1, 5),
        ("- &x a\n- *x", "anchors", 1, 3),
        ("[*x]", "aliases", 1, 2),
        ("%TAG ! tag:x,2000:\n---\na: 1", "directives", 1, 1),
        ("a: 1\n%x", "directives", 2, 1),
        ("{<<: {a: 1}}", "merge keys", 1, 2),
        ("{: 1}", "missing key before ':'", 1, 2),
        ("[why?]", "'?' inside [ ] or { } must be quoted", 1, 5),
        ("{? a: 1}", "complex keys", 1, 2),
        ('a: "\\U00110000"', "escape '\\U00110000' is not a valid character", 1, 5),
        ('a: "\\Ua0001F60"', "escape '\\Ua0001F60' is not a valid character", 1, 5),
        ('a: "\\ud83d\\ud83d\\ude00"', "escape '\\ud83d' is not a valid character", 1, 5),
        ("a: |\n  x\n... \n...\nb", "after the document end marker", 5, 1),
    ],
)
def test_refused_features(text, fragment, line, column):
    with pytest.raises(SpecError) as info:
        parse_yaml(text)
    assert fragment in info.value.message and info.value.hint
    assert (info.value.line, info.value.column) == (line, column), str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("...\n", None),  # PyYAML wants a document before a '...'
        # PyYAML's reader refuses DEL, C1 and U+FFFE anywhere; JSON strings hold them raw.
        ('{"a":\t"\x7f\x9f\ufffe"}', {"a": "\x7f\x9f\ufffe"}),
        # PyYAML skips only spaces between tokens and between the words of plain text.
        ("a: b\tc\t# comment\nd:\t[1,\t2]", {"a": "b\tc", "d": [1, 2]}),
    ],
)
def test_yaml_that_pyyaml_alone_refuses(text, expected):
    assert to_python(parse_yaml(text)) == expected


def test_a_quoted_merge_key_is_an_ordinary_key():
    assert to_python(parse_yaml("'<<': 1")) == {"<<": 1}


def test_null_values_without_colon_sit_at_their_key():
    node = parse_yaml("nodes: {Q, K: }")
    q, k = node.value["nodes"].value["Q"], node.value["nodes"].value["K"]
    assert (q.value, q.line, q.column) == (None, 1, 9)
    assert (k.value, k.line, k.column) == (None, 1, 14)  # after its ':', as in block context


def test_block_scalar_text_positions():
    node = parse_yaml("a: |2\n\n     two extra\n   base\nb: >-\n\n    folded\n    text\n")
    a, b = node.value["a"], node.value["b"]
    assert a.value == "\n   two extra\n base\n" and (a.content_line, a.content_column) == (3, 3)
    assert b.value == "\nfolded text" and (b.content_line, b.content_column) == (7, 5)
    empty = parse_yaml("c: |\nd: 1").value["c"]
    assert (empty.content_line, empty.content_column) == (1, 4)


def test_huge_integer():
    digits = "9" * 5000
    try:
        expected = int(digits)
    except ValueError:  # Python versions that cap int() at 4300 digits
        with pytest.raises(SpecError, match="number too large"):
            parse_yaml("a: " + digits)
    else:
        assert to_python(parse_yaml("a: " + digits)) == {"a": expected}


def test_error_renders_with_caret():
    text = "nodes:\n  Q: {shape: [1, 2]\n"
    with pytest.raises(SpecError) as info:
        parse_yaml(text)
    assert "^" in info.value.render(text)


def test_max_text_checked_first():
    with pytest.raises(SpecError) as info:
        parse_yaml("ab\ncdef", Limits(max_text=4))
    assert "too long" in info.value.message and (info.value.line, info.value.column) == (2, 2)


@pytest.mark.parametrize(
    "text",
    ["[" * 70, "{a: " * 70, "- " * 70 + "x", "".join("%sk:\n" % (" " * i) for i in range(70))],
)
def test_max_depth(text):
    with pytest.raises(SpecError) as info:
        parse_yaml(text)
    assert "nesting deeper than 64 levels" in info.value.message
    assert parse_yaml("[" * 5 + "]" * 5, Limits(max_depth=5)).is_seq()
    with pytest.raises(SpecError):
        parse_yaml("[" * 6 + "]" * 6, Limits(max_depth=5))


def test_no_recursion_error_with_huge_max_depth():
    with pytest.raises(SpecError) as info:
        parse_yaml("[" * 19000, Limits(max_depth=10**6))
    assert info.value.line is not None


def test_not_a_string():
    with pytest.raises(SpecError):
        parse_yaml(b"a: 1")  # type: ignore[arg-type]


# -- from_python / to_python -------------------------------------------------------


def test_from_python():
    node = from_python({"a": (1, 2.5), "b": {"c": None, "d": True}, "e": "x"})
    assert node.is_map() and node.key_pos == {}
    assert to_python(node) == {"a": [1, 2.5], "b": {"c": None, "d": True}, "e": "x"}
    assert node.value["a"].is_seq() and node.value["a"].value[0].line is None


@pytest.mark.parametrize(
    ("obj", "fragment", "field"),
    [
        ({1: "x"}, "keys must be strings", None),
        ({"a": {"b": [1, {2}]}}, "unsupported value of type set", "a.b[1]"),
        ({"a": b"x"}, "unsupported value of type bytes", "a"),
    ],
)
def test_from_python_errors(obj, fragment, field):
    with pytest.raises(SpecError) as info:
        from_python(obj)
    assert fragment in info.value.message and info.value.field == field and info.value.hint


def test_from_python_depth_and_numpy():
    nested = [1]
    for _ in range(80):
        nested = [nested]
    with pytest.raises(SpecError):
        from_python(nested)
    np = pytest.importorskip("numpy")
    node = from_python({"n": np.int64(3), "f": np.float32(0.5), "b": np.bool_(True)})
    assert to_python(node) == {"n": 3, "f": 0.5, "b": True}
    assert type(node.value["n"].value) is int


# -- robustness: any string gives a YNode or a SpecError, quickly ------------------------

YAMLISH = [
    "a", "b", "1", "-1", "0x1F", ".inf", "~", "null", "true", " ", "  ", "    ", "\n", "\t",
    ":", ": ", "- ", "-", "?", "? ", "#", " #", "'", "''", '"', "\\", "\\n", "\\u00e9", "\\x",
    "[", "]", "{", "}", ",", "|", ">", "|-", ">+", "|2", "&x", "*x", "!t", "!!str", "%",
    "---", "...", "\r\n", "\r", "\ufeff", "é", "<<", "@", "`", "k: ", "\n  ", "\n- ",
]  # fmt: skip


def _check_any(text):
    start = time.perf_counter()
    try:
        node = parse_yaml(text)
    except SpecError as err:
        assert err.line is not None and err.line >= 1 and err.column is not None and err.column >= 1
        assert err.hint
    else:
        assert isinstance(node, YNode)
        to_python(node)
    assert time.perf_counter() - start < 2.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_any_text(text):
    _check_any(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(YAMLISH), max_size=40).map("".join))
def test_fuzz_yamlish(text):
    _check_any(text)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([*SAME_AS_PYYAML, DOC]),
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 3), st.sampled_from(YAMLISH)), max_size=4
    ),
)
def test_fuzz_mutated_documents(text, edits):
    for at, cut, piece in edits:  # replace `cut` characters at `at` by `piece`
        at = at % (len(text) + 1)
        text = text[:at] + piece + text[at + cut :]
    _check_any(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20000,
        "{" * 20000,
        "- " * 10000,
        "a: " * 6600,
        "a:\n" + "  b\n" * 4990,
        "x\n" * 10000,
        "'" + "a\n" * 9990,
        '"' + "\\" * 19990,
        "[" + "a, " * 6600 + "]",
        "#" * 20000,
        " " * 20000,
        "\n" * 20000,
        "a: |\n" + "  x\n" * 4990,
        "".join("k%d: v\n" % i for i in range(2500)),
        "- " + "[" * 64 + "]" * 64,
    ],
)
def test_large_inputs_are_fast(text):
    _check_any(text[:20000])
