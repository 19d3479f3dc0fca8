"""What each product takes from its parent: its blocks and its placement.

mm passes both down the tree of products (mm-geometry.md §2-3):

- **Blocks.** A left child computes its parent's I×K argument, so it splits its
  rows like the parent's i and its columns like the parent's k; a right child
  (K×J) splits its rows like the parent's k and its columns like the parent's j.
  Only a child's depth k is its own (``nodes.<product>.blocks.k``, default 1).
  The root's blocks are the top-level ``blocks`` with ``nodes.<root>.blocks``
  over them.  mm overwrites a child's own i and j silently; here a child's i or
  j that disagrees with what it inherits is an error (`inherited_blocks` gives
  the value the validator compares with).
- **Placement** (polarity and the sides of the three faces).  The root's is the
  top-level ``layout`` with ``nodes.<root>.layout`` over it.  A child's fields
  given in ``nodes.<product>.layout`` are used as given, as mm draws the
  layouts stored in its links; the others come from the scheme's rule applied
  to the parent's placement (`child_placement`, mm's ``LAYOUT_RULES``).  Under
  ``custom`` they are the parent's, because mm merges a parent's layout under
  its children's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Mapping, Tuple

from ..language import schema as sc
from .tree import TreeNode

Blocks = Tuple[int, int, int]  # i, j, k
PLACEMENT_FIELDS = ("polarity", "left_placement", "right_placement", "result_placement")


@dataclass(frozen=True)
class Placement:
    """A cube's polarity and the sides of its left argument, right argument and result."""

    polarity: str  # "negative" | "positive"
    left: str  # "left" | "right"
    right: str  # "top" | "bottom"
    result: str  # "front" | "back"

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Placement:
        return cls(*(values[name] for name in PLACEMENT_FIELDS))

    def as_dict(self) -> Dict[str, str]:
        return dict(zip(PLACEMENT_FIELDS, (self.polarity, self.left, self.right, self.result)))

    def over(self, own) -> Placement:
        """This placement with the fields an author gave in ``own`` (Settings, or None)."""
        if own is None:
            return self
        values = self.as_dict()
        values.update({name: own[name] for name in own.given if name in values})
        return Placement.of(values)


def child_placement(scheme: str, parent: Placement, is_left: bool) -> Placement:
    """The placement mm's ``scheme`` gives a left or right child of ``parent``.

    In mm's booleans (pol: positive, L: left argument on the right, R: right
    argument at the bottom, F: result at the back), ``blocks`` and ``zigzag``
    flip the polarity and choose the result's side so that the child's result
    lands on the parent's face; ``blocks`` also flips the child's side that
    faces the parent's other argument, giving alternating convex and concave
    cubes.  ``wheel`` (and ``custom``, for fields a child does not give) copy
    the parent.
    """
    if scheme not in ("blocks", "zigzag"):
        return parent
    pol, lft, rgt, res = (
        parent.polarity == "positive",
        parent.left == "right",
        parent.right == "bottom",
        parent.result == "back",
    )
    if is_left:
        new_left, new_right = pol != res, (not rgt) if scheme == "blocks" else rgt
    else:
        new_left, new_right = (not lft) if scheme == "blocks" else lft, pol != res
    return Placement(
        "negative" if pol else "positive",
        "right" if new_left else "left",
        "bottom" if new_right else "top",
        "back" if pol == (lft if is_left else rgt) else "front",
    )


def stack_sides(t: TreeNode, result: str) -> Tuple[str, str]:
    """Where the left and right operands of an element-wise node keep their own results.

    An element-wise node stacks its operands' faces and its result along its depth
    (its ``result`` side, as a product's, is the face nearest its parent, or the
    viewer at the root).  An operand computed by a product or another element-wise
    node keeps its whole structure on the far side of its face, away from the
    result: its result is on its ``front`` side when the node's is (the same frame
    direction).  With two such operands only one fits behind; the right one then
    turns to the other side of the result (mirror-image: its result on the other
    side), so the result sits between them.
    """
    other = "back" if result == "front" else "front"
    both = t.left.kind != "leaf" and t.right.kind != "leaf"
    return result, other if both else result


def resolve_placements(
    tree: TreeNode, layout: sc.Settings, nodes: Mapping[str, object]
) -> Dict[str, Placement]:
    """The placement of every product and element-wise node, by tree path.

    ``nodes`` maps names to NodeSpecs.  An element-wise node's ``result`` is the
    side of its box its result face is on (`stack_sides`); its other fields pass
    through to the products under it.
    """
    out = {tree.path: Placement.of(layout).over(_own(nodes, tree, "layout"))}
    for t in tree.walk():  # pre-order: a parent is placed before its children
        if t.kind == "leaf":
            continue
        parent = out[t.path]
        if t.kind == "elementwise":
            for child, side in zip((t.left, t.right), stack_sides(t, parent.result)):
                if child.kind != "leaf":
                    derived = replace(parent, result=side)
                    out[child.path] = derived.over(_own(nodes, child, "layout"))
            continue
        for child, is_left in ((t.left, True), (t.right, False)):
            if child.kind == "leaf":
                continue
            derived = child_placement(layout.scheme, parent, is_left)
            if child.kind == "elementwise":  # its result on the side that lands on the face
                far = parent.left == "right" if is_left else parent.right == "bottom"
                near = "back" if (parent.polarity == "positive") == far else "front"
                derived = replace(derived, result=near)
            out[child.path] = derived.over(_own(nodes, child, "layout"))
    return out


def resolve_blocks(
    tree: TreeNode, blocks: sc.Settings, nodes: Mapping[str, object]
) -> Dict[str, Blocks]:
    """(i, j, k) blocks of every product, by tree path."""
    own = _own(nodes, tree, "blocks")
    given = own.given if own is not None else ()
    out = {tree.path: tuple((own if axis in given else blocks)[axis] for axis in "ijk")}
    for t in tree.walk():
        if t.kind == "leaf":
            continue
        for child, is_left in ((t.left, True), (t.right, False)):
            if child.kind != "leaf":
                # an element-wise node's operands split as its result does
                i, j = (
                    out[t.path][:2]
                    if t.kind == "elementwise"
                    else inherited_blocks(out[t.path], is_left)
                )
                own = _own(nodes, child, "blocks")
                k = own.k if own is not None and "k" in own.given else 1
                out[child.path] = (i, j, k)
    return out


def inherited_blocks(parent: Blocks, is_left: bool) -> Tuple[int, int]:
    """The (i, j) blocks a left or right child takes from its parent's (i, j, k)."""
    i, j, k = parent
    return (i, k) if is_left else (k, j)


def _own(nodes: Mapping[str, object], t: TreeNode, section: str):
    settings = nodes.get(t.label)
    return getattr(settings, section) if settings is not None else None
