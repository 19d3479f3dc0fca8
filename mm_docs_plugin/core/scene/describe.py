"""A figure in words: the one text behind the poster's title, the figure's
``aria-label`` and the placeholder image's ``alt``."""

from __future__ import annotations

from typing import Any, List

from ..language import epilog as ep

OP_WORDS = {"+": "plus", "-": "minus", "*": "times element-wise"}


def describe(scene: Any) -> str:
    """Every product with its operands and shapes, innermost first::

    Q (256×64) @ K.T (64×256) → attn (256×256), scaled, causal softmax; attn (256×256)
    @ V (256×64) → out (256×64)
    """
    parts = []
    for node in _post_order(scene.root):
        if node.kind == "leaf":
            continue
        op = "@" if node.kind == "matmul" else OP_WORDS[node.op]
        text = "%s %s %s → %s" % (_named(node.left), op, _named(node.right), _named(node))
        words = epilog_words(node.epilog_ops)
        parts.append(text + ", " + words if words else text)
    return "; ".join(parts)


def figure_alt(scene: Any) -> str:
    """The author's ``alt`` text if the spec has one, else `describe`."""
    return scene.spec_dict.get("alt") or describe(scene)


def epilog_words(ops: ep.Epilog) -> str:
    """An epilog for the ear: ``softmax(tril(x / sqrt(k)))`` → "scaled, causal softmax"."""
    kinds = [op.kind for op in ops]
    words = []
    if "scale" in kinds:
        words.append("scaled")
    masked = "tril" in kinds or "triu" in kinds
    for kind in kinds:
        if kind == "softmax":
            words.append("causal softmax" if masked else "softmax")
        elif kind in ("tril", "triu"):
            if "softmax" not in kinds:
                words.append("lower-triangular mask" if kind == "tril" else "upper-triangular mask")
        elif kind == "layernorm_matrix":
            words.append("layernorm over the whole matrix")
        elif kind != "scale":
            words.append(kind)
    return ", ".join(words)


MAX_LISTED = 6  # labels read out per side before "…"


def _named(node: Any) -> str:
    parts = ["%d×%d" % (node.shape[0], node.shape[1])]
    rows, cols = getattr(node, "row_labels", None), getattr(node, "col_labels", None)
    if rows is not None and rows == cols:
        parts.append("rows and columns " + _listed(rows))
    else:
        parts += [
            side + " " + _listed(labels)
            for side, labels in (("rows", rows), ("columns", cols))
            if labels is not None
        ]
    marked = getattr(node, "highlight", None)
    if marked:
        parts.append("highlighted " + _highlighted(marked, rows, cols))
    return "%s (%s)" % (node.name, "; ".join(parts))


def _listed(labels: Any) -> str:
    """``the, cat, …, milk (13)``: the first labels and the last, and how many."""
    if len(labels) <= MAX_LISTED:
        return ", ".join(labels)
    return "%s, …, %s (%d)" % (", ".join(labels[: MAX_LISTED - 1]), labels[-1], len(labels))


def _highlighted(marked: Any, rows: Any, cols: Any) -> str:
    def name(labels, n):
        return labels[n] if labels is not None else str(n)

    out = []
    if marked.rows:
        out.append("rows " + ", ".join(name(rows, r) for r in marked.rows))
    if marked.cols:
        out.append("columns " + ", ".join(name(cols, c) for c in marked.cols))
    if marked.cells:
        out.append(
            "cells "
            + ", ".join("[%s, %s]" % (name(rows, r), name(cols, c)) for r, c in marked.cells)
        )
    return " and ".join(out)


def _post_order(root: Any) -> List[Any]:
    """Children before parents, left before right (iteratively: chains can be long)."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.left is not None:
            stack.extend((node.left, node.right))
    return out[::-1]
