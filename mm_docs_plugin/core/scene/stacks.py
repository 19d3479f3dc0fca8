"""Element-wise nodes in 3D: the stack, mm's cube idiom for ``+``, ``-`` and ``*``.

In a matmul's cube, the result's element (i, j) lines up with row i of the left
argument and column j of the right one.  In ``x + b`` every operand shares both i
and j with the result, so the three faces are parallel: the operands and the
result are stacked along the node's depth, one *pitch* apart, each element in
front of the elements it is computed from.  Looking through the stack, a reader
sees what was added to what.  A bias row (1×n) or a column (n×1) is drawn as that
one row (column) at the result's first row (column): broadcasting is the row
standing for every row behind it.

A node's frame is a matmul's (x = j, y = i, z = depth, from the origin to its
extent); its result is at z = 0 (``front``) with the operands behind, or mirrored
(``back``).  An operand computed by a product or another element-wise node *is*
its face: its own cube or stack lies beyond it, on the far side from the result
(`spec.inherit.stack_sides`).  So a leaf sits nearest the result and a computed
operand behind it; with two computed operands the right one turns to the other
side and the result sits between them.
"""

from __future__ import annotations

import math
from typing import Callable, List, Tuple

from ..spec.inherit import stack_sides
from ..spec.tree import TreeNode

GLYPHS = {"+": "+", "-": "−", "*": "⊙"}  # the operator, written before the right operand's name


def stack_pitch(shape: Tuple[int, int], gap: float) -> float:
    """Distance between two faces of a stack: two gaps and half the shorter side.

    Far enough apart that, from mm's front-left-top view, each face shows clear of
    the next; near enough that elements visibly line up.
    """
    return 2 * gap + math.ceil(min(shape) / 2)


def stack_slots(
    t: TreeNode, gap: float, depth: Callable[[TreeNode], float], result: str
) -> Tuple[float, float, List[Tuple[TreeNode, float]]]:
    """(extent along z, the result's z, [(operand, z of its face)]) of an element-wise node.

    ``depth`` gives an operand's own extent along z (0 for a leaf); ``result`` is
    the node's result side (``front``: z = 0, or ``back``: mirrored).
    """
    p = stack_pitch(t.shape, gap)
    left, right = t.left, t.right
    far_right = stack_sides(t, "front")[1] != "front"
    if far_right:  # two computed operands: the right one in front of the result
        cr, cl = depth(right), depth(left)
        res, zl, zr, ez = cr + p, cr + 2 * p, cr, cr + 2 * p + cl
    elif right.kind != "leaf" and left.kind == "leaf":  # the computed one goes behind
        res, zl, zr, ez = 0.0, p, 2 * p, 2 * p + depth(right)
    else:
        res, zl, zr, ez = 0.0, 2 * p, p, 2 * p + depth(left)
    if result == "back":
        res, zl, zr = ez - res, ez - zl, ez - zr
    return ez, res, [(left, zl), (right, zr)]
