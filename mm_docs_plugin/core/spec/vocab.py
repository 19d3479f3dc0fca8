"""A figure's vocabulary: row and column labels, exact values, one-hot rows, highlights.

The small, named examples a text walks through (a 13-word vocabulary, a sentence's
tokens) need matrices whose every number and row is the one the text states:

- ``labels:`` at the top level names shared lists (``tokens: [the, cat, drank]``);
  per input matrix ``labels: {rows: ..., cols: ...}`` gives a list or one of those
  names.  Labels flow through the tree: a product's rows are its left operand's
  row labels, its columns its right operand's column labels; ``.T`` swaps them;
  epilogs keep them.
- ``values: [[...], ...]`` gives every number of a small matrix (at most
  `MAX_VALUES` a side).
- ``onehot: [cat, drank, 3]``: row i is 1 at the column entry i names (a column
  label, or an index) and 0 elsewhere; its rows are labelled by the entries when
  they are labels and the rows have none of their own.
- ``highlight: {rows: [...], cols: [...], cells: [[r, c], ...]}`` on any node, by
  index or label; a product also shows its left operand's highlighted rows and its
  right operand's highlighted columns, so "row cat selects row cat" carries.

Reading (`read_*`) happens while the keys are validated; the checks that need the
inferred shapes and the carried labels (`resolve_tree`) run after shape inference,
still with the YAML positions, so every misuse is a `SpecError` at its line and
column.  Labels are text, shown as text; lengths and counts are capped here.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union

from ..errors import SpecError, did_you_mean
from ..language import schema as sc
from ..language.fence_yaml import YNode
from .tree import Given, TreeNode

MAX_LABEL = 40  # characters of one label
MAX_LABELS = 4096  # entries of one label list, onehot list or highlight list
MAX_NAMED = 64  # named lists under the top-level labels:
MAX_VALUES = 64  # rows or columns of a values: matrix
MAX_CELLS = 32  # cells of one highlight (the viewer's shader holds them in a list)
AXES = ("rows", "cols")
HIGHLIGHT_KEYS = ("rows", "cols", "cells")

Labels = Tuple[str, ...]
LabelRef = Union[str, Labels]  # the name of a top-level list, or the list itself
Entry = Union[int, str]  # an index or a label


class Highlight(NamedTuple):
    """What a node shows emphasised (indices, sorted); the rest is dimmed."""

    rows: Tuple[int, ...] = ()
    cols: Tuple[int, ...] = ()
    cells: Tuple[Tuple[int, int], ...] = ()

    def transposed(self) -> Highlight:
        return Highlight(self.cols, self.rows, tuple(sorted((c, r) for r, c in self.cells)))

    def union(self, other: Highlight) -> Highlight:
        return Highlight(
            tuple(sorted(set(self.rows) | set(other.rows))),
            tuple(sorted(set(self.cols) | set(other.cols))),
            tuple(sorted(set(self.cells) | set(other.cells))),
        )

    def __bool__(self) -> bool:
        return bool(self.rows or self.cols or self.cells)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "rows": list(self.rows),
            "cols": list(self.cols),
            "cells": [list(c) for c in self.cells],
        }


# ---------------------------------------------------------------- reading


def read_named_labels(node: YNode) -> Dict[str, Labels]:
    """The top-level ``labels:`` mapping of named lists."""
    if not node.is_map():
        raise sc.type_error(
            node, "labels", "a mapping of named lists", "e.g. labels: {tokens: [the, cat, drank]}"
        )
    if len(node.value) > MAX_NAMED:
        raise SpecError(
            "labels has %d named lists; the limit is %d" % (len(node.value), MAX_NAMED),
            "share lists between matrices instead of repeating them",
            **sc.where(node, "labels"),
        )
    return {name: read_label_list(child, "labels." + name) for name, child in node.value.items()}


def read_label_list(node: YNode, path: str) -> Labels:
    if not node.is_seq():
        raise sc.type_error(node, path, "a list of labels", "e.g. [the, cat, drank, milk]")
    _cap(node, path, "labels")
    out = []
    for n, child in enumerate(node.value):
        out.append(_label_text(child, "%s[%d]" % (path, n)))
    return tuple(out)


def _label_text(node: YNode, path: str) -> str:
    v = node.value
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str) or not v.strip():
        raise sc.type_error(
            node, path, "a label (text)", "quote labels YAML reads otherwise, e.g. 'true', '1.5'"
        )
    if len(v) > MAX_LABEL:
        raise SpecError(
            "%s is %d characters long; a label has at most %d" % (path, len(v), MAX_LABEL),
            "use a shorter label",
            **sc.where(node, path),
        )
    return v


def read_node_labels(node: YNode, path: str, named: Dict[str, Labels]) -> Dict[str, LabelRef]:
    """A matrix's ``labels: {rows: ..., cols: ...}``: lists, or names of shared lists."""
    if not node.is_map():
        raise sc.type_error(
            node,
            path,
            "a mapping with rows and/or cols",
            "e.g. labels: {rows: tokens, cols: vocab}",
        )
    out: Dict[str, LabelRef] = {}
    for key, child in node.value.items():
        if key not in AXES:
            raise sc.unknown_key(node, key, path, AXES)
        where = path + "." + key
        if isinstance(child.value, str):
            if child.value not in named:
                raise SpecError(
                    "%s names the list %r, which labels: does not define" % (where, child.value),
                    did_you_mean(child.value, list(named))
                    if named
                    else "define it at the top level, e.g. labels: {%s: [a, b, c]}" % child.value,
                    **sc.where(child, where),
                )
            out[key] = child.value
        else:
            out[key] = read_label_list(child, where)
    return out


def resolve(ref: Optional[LabelRef], named: Dict[str, Labels]) -> Optional[Labels]:
    if ref is None:
        return None
    return named[ref] if isinstance(ref, str) else ref


def read_values(node: YNode, path: str) -> Tuple[Tuple[float, ...], ...]:
    """``values: [[1, 0], [0, 1]]``: a rectangular nested list of finite numbers."""
    example = "e.g. values: [[1, 0.5], [0, 2]] (one list per row)"
    if not node.is_seq() or not node.value:
        raise sc.type_error(node, path, "a list of rows", example)
    rows = []
    for i, row in enumerate(node.value):
        where = "%s[%d]" % (path, i)
        if not row.is_seq() or not row.value:
            raise sc.type_error(row, where, "a row: a list of numbers", example)
        if len(row.value) != len(node.value[0].value):
            raise SpecError(
                "%s has %d numbers, but row 0 has %d"
                % (where, len(row.value), len(node.value[0].value)),
                "give every row the same number of columns",
                **sc.where(row, where),
            )
        for j, cell in enumerate(row.value):
            v = cell.value
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                raise sc.type_error(cell, "%s[%d]" % (where, j), "a finite number", example)
        rows.append(tuple(c.value for c in row.value))
    if len(rows) > MAX_VALUES or len(rows[0]) > MAX_VALUES:
        raise SpecError(
            "%s is %d×%d; values: gives at most %d×%d"
            % (path, len(rows), len(rows[0]), MAX_VALUES, MAX_VALUES),
            "for larger matrices use init: expr, or data: with a file",
            **sc.where(node, path),
        )
    return tuple(rows)


def read_onehot(node: YNode, path: str) -> Tuple[Entry, ...]:
    """``onehot: [cat, drank, 3]``: per row, the column that holds its 1."""
    if not node.is_seq() or not node.value:
        raise sc.type_error(
            node, path, "a list of columns (labels or indices)", "e.g. onehot: [cat, drank, milk]"
        )
    _cap(node, path, "entries")
    return tuple(_entry(child, "%s[%d]" % (path, n)) for n, child in enumerate(node.value))


def read_highlight(node: YNode, path: str) -> Dict[str, Tuple[Any, ...]]:
    """``highlight: {rows: [...], cols: [...], cells: [[r, c], ...]}`` as given."""
    example = "e.g. highlight: {rows: [cat]} or {cells: [[0, 2]]}"
    if not node.is_map():
        raise sc.type_error(node, path, "a mapping with rows, cols or cells", example)
    out: Dict[str, Tuple[Any, ...]] = {}
    for key, child in node.value.items():
        if key not in HIGHLIGHT_KEYS:
            raise sc.unknown_key(node, key, path, HIGHLIGHT_KEYS)
        where = path + "." + key
        items = child.value if child.is_seq() else [child]
        if child.is_seq():
            _cap(child, where, "entries")
        if key == "cells":
            if not child.is_seq():
                raise sc.type_error(child, where, "a list of [row, column] pairs", example)
            if len(items) > MAX_CELLS:
                raise SpecError(
                    "%s has %d cells; the limit is %d" % (where, len(items), MAX_CELLS),
                    "highlight whole rows or columns instead",
                    **sc.where(child, where),
                )
            pairs = []
            for n, pair in enumerate(items):
                w = "%s[%d]" % (where, n)
                if not pair.is_seq() or len(pair.value) != 2:
                    raise sc.type_error(pair, w, "a [row, column] pair", example)
                pairs.append(tuple(_entry(c, w) for c in pair.value))
            out[key] = tuple(pairs)
        else:
            out[key] = tuple(_entry(c, "%s[%d]" % (where, n)) for n, c in enumerate(items))
    return out


def _entry(node: YNode, path: str) -> Entry:
    v = node.value
    if isinstance(v, int) and not isinstance(v, bool):
        if v < 0:
            raise SpecError(
                "%s is %d; indices count from 0" % (path, v),
                "use 0 for the first row or column",
                **sc.where(node, path),
            )
        return v
    return _label_text(node, path)


def _cap(node: YNode, path: str, what: str) -> None:
    if len(node.value) > MAX_LABELS:
        raise SpecError(
            "%s has %d %s; the limit is %d" % (path, len(node.value), what, MAX_LABELS),
            "use a shorter list",
            **sc.where(node, path),
        )


# ---------------------------------------------------------------- shapes


def given_sizes(settings: YNode, path: str, spec: Any, named: Dict[str, Labels]):
    """(rows, cols) Givens implied by ``values``, ``onehot`` and ``labels``, in that order."""
    out: List[Tuple[int, Given]] = []
    s = settings.value

    def add(axis: int, size: int, key: str) -> None:
        node = s[key]
        if key == "labels":
            key += "." + AXES[axis]
            node = node.value[AXES[axis]]
        where = "%s.%s%s" % (path, key, " (line %d)" % node.line if node.line else "")
        out.append((axis, Given(size, where, node.line, node.column), path + "." + key))

    if spec.values is not None:
        add(0, len(spec.values), "values")
        add(1, len(spec.values[0]), "values")
    if spec.onehot is not None:
        add(0, len(spec.onehot), "onehot")
    for axis, key in enumerate(AXES):
        labels = resolve((spec.labels or {}).get(key), named)
        if labels is not None:
            add(axis, len(labels), "labels")
    return out


def merge_given(shape, extra):
    """``shape`` (from ``shape:``) with ``extra`` Givens joined in; disagreement is an error."""
    shape = list(shape)
    for axis, g, field in extra:
        have = shape[axis]
        if have is not None and have.value != g.value:
            raise SpecError(
                "%s gives %s %d, but %s gives %d"
                % (g.where, AXES[axis], g.value, have.where, have.value),
                "make them agree: the list's length is the matrix's side",
                g.line,
                g.column,
                field=field,
            )
        shape[axis] = have or g
    return tuple(shape)


# ---------------------------------------------------------------- the tree


def matrix_labels(spec: Any, named: Dict[str, Labels]) -> Tuple[Optional[Labels], Optional[Labels]]:
    """(row labels, column labels) of an input matrix (untransposed)."""
    given = (spec.labels or {}) if spec is not None else {}
    rows = resolve(given.get("rows"), named)
    cols = resolve(given.get("cols"), named)
    if rows is None and spec is not None and spec.onehot is not None:
        # Row i of a one-hot matrix is labelled by the word it picks (checked first by
        # resolve_tree: every entry names a column).
        if cols is not None:
            rows = tuple(cols[c] for c in onehot_columns(spec, cols))
        elif all(isinstance(e, str) for e in spec.onehot):
            rows = tuple(spec.onehot)
    return rows, cols


def onehot_columns(spec: Any, cols: Optional[Labels]) -> Tuple[int, ...]:
    """The column of each row's 1 (entries already checked by `resolve_tree`)."""
    return tuple(e if isinstance(e, int) else cols.index(e) for e in spec.onehot)


def resolve_tree(tree: TreeNode, nodes: Dict[str, Any], named, settings: Dict[str, YNode]) -> None:
    """Set ``row_labels``, ``col_labels`` and ``highlight`` on every tree node.

    Also checks what needs the inferred shapes: label counts, one-hot columns and
    highlight entries, each at its YAML position.  ``settings`` maps node names to
    their YAML settings.
    """
    for name, spec in nodes.items():
        if spec.kind == "leaf" and spec.onehot is not None:
            _check_onehot(name, spec, named, settings[name], _leaf_shape(tree, name))
    own: Dict[int, Optional[Highlight]] = {}
    for t in tree.post_order():
        if t.kind == "leaf":
            spec = nodes.get(t.matrix)
            rows, cols = matrix_labels(spec, named)
            shape = t.shape[::-1] if t.transposed else t.shape
            mine = _given_highlight(t.matrix, spec, settings, (rows, cols), shape)
            if t.transposed:
                rows, cols = cols, rows
                mine = mine.transposed() if mine is not None else None
            t.row_labels, t.col_labels, own[id(t)] = rows, cols, mine
            continue
        if t.kind == "elementwise":  # each side from an operand that spans it, left first
            ops = (t.left, t.right)
            t.row_labels = next(o for o in ops if o.shape[0] == t.shape[0]).row_labels
            t.col_labels = next(o for o in ops if o.shape[1] == t.shape[1]).col_labels
        else:
            t.row_labels, t.col_labels = t.left.row_labels, t.right.col_labels
        spec = nodes.get(t.label)
        own[id(t)] = _given_highlight(
            t.label, spec, settings, (t.row_labels, t.col_labels), t.shape
        )
    for t, shown in carry(tree, own).items():
        t.highlight = shown


def carry(
    tree: TreeNode, own: Dict[int, Optional[Highlight]]
) -> Dict[TreeNode, Optional[Highlight]]:
    """The highlight each tree node shows: its own (``own`` by ``id``, in the node's
    orientation) and what its operands carry — a product its left operand's rows and its
    right operand's columns; an element-wise result each operand's on the sides it spans
    (a broadcast bias row spans only the columns)."""
    shown: Dict[TreeNode, Optional[Highlight]] = {}
    for t in tree.post_order():
        mine = own.get(id(t))
        if t.kind == "leaf":
            shown[t] = mine
            continue
        carried = Highlight()
        if t.kind == "elementwise":
            for o in (t.left, t.right):
                h = shown[o]
                if h:
                    rows_span, cols_span = o.shape[0] == t.shape[0], o.shape[1] == t.shape[1]
                    carried = carried.union(
                        Highlight(
                            h.rows if rows_span else (),
                            h.cols if cols_span else (),
                            h.cells if rows_span and cols_span else (),
                        )
                    )
        else:
            left, right = shown[t.left], shown[t.right]
            carried = Highlight(left.rows if left else (), right.cols if right else ())
        both = carried.union(mine) if mine is not None else carried
        shown[t] = both or None
    return shown


def _leaf_shape(tree: TreeNode, matrix: str) -> Tuple[int, int]:
    t = next(t for t in tree.walk() if t.kind == "leaf" and t.matrix == matrix)
    return t.shape[::-1] if t.transposed else t.shape


def _check_onehot(name: str, spec: Any, named, settings: YNode, shape) -> None:
    cols = resolve((spec.labels or {}).get("cols"), named)
    node = settings.value["onehot"]
    for n, entry in enumerate(spec.onehot):
        _index(
            entry, cols, shape[1], "column", name, node.value[n], "nodes.%s.onehot[%d]" % (name, n)
        )


def _given_highlight(name: str, spec: Any, settings, labels, shape) -> Optional[Highlight]:
    if spec is None or spec.highlight is None:
        return None
    node = settings[name].value["highlight"]
    return own_highlight(name, spec.highlight, node, "nodes.%s.highlight" % name, labels, shape)


def own_highlight(name: str, given, node: YNode, path: str, labels, shape) -> Highlight:
    """A highlight as given (`read_highlight`: labels or indices) as indices of a matrix
    with ``labels`` (rows, cols) and ``shape``; an unknown entry is a SpecError at it."""
    out: Dict[str, Any] = {}
    for axis, key in enumerate(AXES):
        entries = given.get(key, ())
        child = node.value[key] if key in given else None
        out[key] = tuple(
            sorted(
                {
                    _index(e, labels[axis], shape[axis], key[:-1].replace("col", "column"), name,
                           _nth(child, n), "%s.%s[%d]" % (path, key, n))
                    for n, e in enumerate(entries)
                }
            )
        )  # fmt: skip
    cells = set()
    for n, (r, c) in enumerate(given.get("cells", ())):
        pair = _nth(node.value["cells"], n)
        w = "%s.cells[%d]" % (path, n)
        cells.add(
            (
                _index(r, labels[0], shape[0], "row", name, _nth(pair, 0), w),
                _index(c, labels[1], shape[1], "column", name, _nth(pair, 1), w),
            )
        )
    return Highlight(out["rows"], out["cols"], tuple(sorted(cells)))


def _nth(node: YNode, n: int) -> YNode:
    return node.value[n] if node.is_seq() else node


def _index(
    entry: Entry, labels: Optional[Labels], size: int, what: str, name: str, node, path
) -> int:
    """The index an entry names: itself if a number, else its label's position."""
    if isinstance(entry, int):
        if entry >= size:
            raise SpecError(
                "%s is %s %d, but %s has %d %ss (0 to %d)"
                % (path, what, entry, name, size, what, size - 1),
                "use an index below %d, or a label" % size,
                **sc.where(node, path),
            )
        return entry
    if labels is None:
        raise SpecError(
            "%s names the %s %r, but the %ss of %s have no labels"
            % (path, what, entry, what, name),
            "use an index (0 to %d), or label the %ss: labels: {%s: [...]}"
            % (size - 1, what, "rows" if what == "row" else "cols"),
            **sc.where(node, path),
        )
    hits = [n for n, label in enumerate(labels) if label == entry]
    if not hits:
        raise SpecError(
            "%s names the %s %r, which is not among the %s labels of %s"
            % (path, what, entry, what, name),
            did_you_mean(entry, list(labels)),
            **sc.where(node, path),
        )
    if len(hits) > 1:
        raise SpecError(
            "%s names the %s %r, which labels %d %ss of %s (%s)"
            % (path, what, entry, len(hits), what, name, ", ".join(map(str, hits))),
            "use an index to say which",
            **sc.where(node, path),
        )
    return hits[0]


def read_node(
    s: Dict[str, YNode], path: str, named: Dict[str, Labels], leaf: bool
) -> Dict[str, Any]:
    """The vocabulary keys of one node's settings, as `NodeSpec` fields."""
    kw: Dict[str, Any] = {}
    if leaf and "values" in s:
        kw["values"] = read_values(s["values"], path + ".values")
    if leaf and "onehot" in s:
        kw["onehot"] = read_onehot(s["onehot"], path + ".onehot")
    if leaf and "labels" in s:
        kw["labels"] = read_node_labels(s["labels"], path + ".labels", named)
    if "highlight" in s:
        kw["highlight"] = read_highlight(s["highlight"], path + ".highlight")
    return kw
