"""From an expression AST to a tree of matmul and leaf nodes with shapes.

`lower` turns ``out = (attn = softmax(Q @ K.T)) @ V`` into matmul nodes (each
with its epilog and label) over leaf occurrences (``Q``, ``K.T``, ``V``).  A
leaf is an *occurrence* of a matrix: ``K`` and ``K.T`` are two views of one
matrix ``K``, and a name used twice is the same matrix both times.

`infer_shapes` solves the dimensions: every matmul shares ``i`` with its left
argument, ``j`` with its right, and ``k`` between them.  Authors give the
dimensions the expression does not imply; the rest default to 32 (as in mm).
Dimensions are union-find classes; a class that receives two different values
is a conflict, reported where it arises with both sides' shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from ..errors import Limits, SpecError
from ..language import epilog as ep
from ..language import expr as ex

DEFAULT_DIM = 32  # mm's default matrix side
Locate = Callable[[int], Tuple[int, int]]  # expr offset -> (line, column) in the fence


@dataclass(eq=False)
class TreeNode:
    """One node of the figure's tree: a matmul, an element-wise operation, or a leaf
    occurrence of a matrix."""

    kind: str  # "leaf" | "matmul" | "elementwise"
    label: str  # display name: "Q", "K.T", "attn", or the text of an unnamed product
    path: str  # address in the tree: "root", "root.left", "root.left.right", ...
    pos: int  # offset in the expression text (the name, or the '@')
    matrix: Optional[str] = None  # leaves: the matrix this occurrence shows
    transposed: bool = False  # leaves: shown as matrix.T
    left: Optional[TreeNode] = None
    right: Optional[TreeNode] = None
    epilog: ep.Epilog = ()
    named: bool = False  # matmuls, element-wise: labelled with `name = ...` in the expression
    op: str = ""  # element-wise: "+", "-" or "*"
    op_pos: int = 0  # element-wise: offset of the operator (errors point at it)
    shape: Tuple[int, int] = (0, 0)  # filled in by infer_shapes
    # Filled in by vocab.resolve_tree: labels (a product's from its operands) and the
    # vocab.Highlight shown (its own and what its operands carry), or None.
    row_labels: Optional[Tuple[str, ...]] = None
    col_labels: Optional[Tuple[str, ...]] = None
    highlight: Optional[tuple] = None

    def walk(self) -> Iterator[TreeNode]:
        """Nodes in pre-order (root first, left before right)."""
        return _pre_order(self, left_first=True)

    def post_order(self) -> List[TreeNode]:
        """Nodes children-first, so every node comes after its arguments."""
        # Reversing a root-right-left pre-order gives left-right-root.
        return list(_pre_order(self, left_first=False))[::-1]

    @property
    def depth(self) -> int:
        """k, the inner dimension of a matmul."""
        return self.left.shape[1] if self.kind == "matmul" else 0


def _pre_order(root: TreeNode, left_first: bool) -> Iterator[TreeNode]:
    # Iterative: expression trees can be long chains.
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if node.left is not None:
            first, second = (node.left, node.right) if left_first else (node.right, node.left)
            stack.append(second)
            stack.append(first)


# ---------------------------------------------------------------- lowering


def lower(ast: ex.Node, locate: Locate) -> TreeNode:
    """Build the node tree of a parsed expression; misuse is a SpecError."""
    root = _lower(ast, "root", locate)
    if root.kind == "leaf":
        line, col = locate(getattr(ast, "pos", 0))
        raise SpecError(
            "the expression has no matrix multiplication or element-wise operation",
            "a figure shows at least one, e.g. `A @ B` or `x + y`",
            line,
            col,
        )
    _check_names(root, locate)
    return root


def _lower(node: ex.Node, path: str, locate: Locate) -> TreeNode:
    if isinstance(node, ex.Name):
        return TreeNode("leaf", node.name, path, node.pos, matrix=node.name)
    if isinstance(node, ex.Transpose):
        name = node.operand.name
        return TreeNode("leaf", name + ".T", path, node.operand.pos, matrix=name, transposed=True)
    if isinstance(node, ex.MatMul):
        left = _lower(node.left, path + ".left", locate)
        right = _lower(node.right, path + ".right", locate)
        label = product_label(left.label, right.label)
        return TreeNode("matmul", label, path, node.pos, left=left, right=right)
    if isinstance(node, ex.Elementwise):
        left = _lower(node.left, path + ".left", locate)
        right = _lower(node.right, path + ".right", locate)
        label = elementwise_label(left.label, node.op, right.label)
        return TreeNode(
            "elementwise",
            label,
            path,
            node.pos,
            left=left,
            right=right,
            op=node.op,
            op_pos=node.pos,
        )
    if isinstance(node, ex.Assign):
        target = _lower(node.value, path, locate)
        if target.kind == "leaf":
            raise _error(
                locate,
                node.pos,
                "'%s = %s' names an input matrix; names label products" % (node.name, target.label),
                "use the input's own name, or name a product: `%s = %s @ ...`"
                % (node.name, target.label),
            )
        if target.named:
            raise _error(
                locate,
                node.pos,
                "the product is named twice ('%s' and '%s')" % (node.name, target.label),
                "keep one name",
            )
        target.label, target.named, target.pos = node.name, True, node.pos
        return target
    if isinstance(node, (ex.Call, ex.Scale)):
        inner = node.arg if isinstance(node, ex.Call) else node.operand
        target = _lower(inner, path, locate)
        if target.kind != "matmul" and isinstance(node, ex.Scale) and _uses_depth(node.factor):
            what = "an input matrix" if target.kind == "leaf" else "element-wise"
            shown = "(%s)" % target.label if " " in target.label else target.label
            raise _error(
                locate,
                node.pos,
                "k is the depth of a product, but '%s' is %s" % (target.label, what),
                "scale %s by a number, e.g. %s / 8"
                % ("an input" if target.kind == "leaf" else "it", shown),
            )
        target.epilog = target.epilog + _op(node)
        if target.kind == "leaf":  # an epilog on an input: the face shows e.g. softmax(S)
            target.label = leaf_label(_base_label(target), target.epilog)
        return target
    # Number, Depth, Sqrt where a matrix belongs
    raise _error(
        locate,
        getattr(node, "pos", 0),
        "a number can only scale a product, not be multiplied with @",
        "write e.g. A @ B / 8",
    )


def leaf_label(base: str, epilog: ep.Epilog) -> str:
    """The label of an input occurrence: ``S``, ``K.T``, or with its epilog ``softmax(S)``."""
    return ex.print_expr(ep.wrap(epilog, ex.Name(base))) if epilog else base


def _base_label(t: TreeNode) -> str:
    return t.matrix + (".T" if t.transposed else "")


def _uses_depth(factor: ex.Node) -> bool:
    return isinstance(factor, ex.Depth) or (
        isinstance(factor, ex.Sqrt) and isinstance(factor.arg, ex.Depth)
    )


def elementwise_label(left: str, op: str, right: str) -> str:
    """The name of an unnamed element-wise result: ``x + b``, ``(x @ W) * (x @ V)``."""

    def side(text: str, is_right: bool) -> str:
        loose = op == "*" or (is_right and (" + " in text or " - " in text))
        return "(%s)" % text if " " in text and loose else text

    return "%s %s %s" % (side(left, False), op, side(right, True))


def product_label(left: str, right: str) -> str:
    """The name of an unnamed product, as mm writes it: ``A @ B``, ``A @ (B @ C)``."""
    if any(op in left for op in (" + ", " - ", " * ")):  # element-wise binds looser than @
        left = "(%s)" % left
    return "%s @ %s" % (left, "(%s)" % right if " " in right else right)


def label_of(node: ex.Node) -> str:
    """The label `lower` gives the node an AST stands for."""
    inner, epilog = ep.peel(node)
    if isinstance(inner, (ex.Name, ex.Transpose)) and epilog:
        return leaf_label(label_of(inner), epilog)
    node = inner
    if isinstance(node, ex.Assign):
        return node.name
    if isinstance(node, ex.Name):
        return node.name
    if isinstance(node, ex.Transpose):
        return node.operand.name + ".T"
    if isinstance(node, ex.MatMul):
        return product_label(label_of(node.left), label_of(node.right))
    if isinstance(node, ex.Elementwise):
        return elementwise_label(label_of(node.left), node.op, label_of(node.right))
    return ex.print_expr(node)


def _op(node: ex.Node) -> ep.Epilog:
    if isinstance(node, ex.Call):
        return (ep.EpilogOp(node.func),)
    return (ep.EpilogOp("scale", node.op, node.factor),)


def _check_names(root: TreeNode, locate: Locate) -> None:
    """A name is either one product or one input matrix, never both or twice."""
    products: Dict[str, TreeNode] = {}
    matrices: Dict[str, TreeNode] = {}
    for node in root.walk():
        if node.kind != "leaf" and node.named:
            first = products.get(node.label) or matrices.get(node.label)
            if first is not None:
                raise _duplicate(locate, node, first)
            products[node.label] = node
        elif node.kind == "leaf":
            first = products.get(node.matrix)
            if first is not None:
                raise _duplicate(locate, node, first)
            matrices.setdefault(node.matrix, node)


def _duplicate(locate: Locate, node: TreeNode, first: TreeNode) -> SpecError:
    name = node.matrix if node.kind == "leaf" else node.label
    line, col = locate(first.pos)
    # Without positions (a spec given as a mapping): where it is inside the expression.
    there = (
        "line %d, column %d" % (line, col) if line is not None else "character %d" % (first.pos + 1)
    )
    return _error(
        locate,
        node.pos,
        "the name '%s' is already used for %s at %s"
        % (name, "an input matrix" if first.kind == "leaf" else "a product", there),
        "give each product its own name; a name used again as an operand must be an input matrix",
    )


def _error(locate: Locate, pos: int, message: str, hint: str) -> SpecError:
    line, col = locate(pos)
    return SpecError(message, hint, line, col)


# ---------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Given:
    """A dimension an author gave, and where, for error messages."""

    value: int
    where: str  # e.g. "nodes.Q.shape at line 4" or "data file q.npy"
    line: Optional[int] = None
    column: Optional[int] = None


class _Dims:
    """Union-find over dimension variables, each class holding at most one Given."""

    def __init__(self) -> None:
        self.parent: Dict[object, object] = {}
        self.value: Dict[object, Given] = {}

    def find(self, v: object) -> object:
        self.parent.setdefault(v, v)
        root = v
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[v] != root:  # path compression
            self.parent[v], v = root, self.parent[v]
        return root

    def get(self, v: object) -> Optional[Given]:
        return self.value.get(self.find(v))

    def union(self, a: object, b: object) -> Optional[Tuple[Given, Given]]:
        """Merge two classes; on conflicting values return both and merge nothing."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        va, vb = self.value.get(ra), self.value.get(rb)
        if va is not None and vb is not None and va.value != vb.value:
            return va, vb
        self.parent[rb] = ra
        if va is None and vb is not None:
            self.value[ra] = vb
        return None


@dataclass
class _Vars:
    rows: object
    cols: object
    given: List[Tuple[str, int, Given]] = field(default_factory=list)


def infer_shapes(
    root: TreeNode,
    given: Dict[str, Tuple[Optional[Given], Optional[Given]]],
    locate: Locate,
    limits: Limits,
    default: int = DEFAULT_DIM,
) -> None:
    """Fill ``shape`` on every node.

    ``given`` maps a matrix name (leaves) or a product label (matmuls) to its
    (rows, cols) as given by the author, either side possibly None.
    """
    dims = _Dims()
    nodes = root.post_order()
    var: Dict[int, Tuple[object, object]] = {}
    for node in nodes:
        if node.kind == "leaf":
            rc = (("m", node.matrix, 0), ("m", node.matrix, 1))
            var[id(node)] = rc[::-1] if node.transposed else rc
        elif node.kind == "elementwise":  # its own, tied to the full-shape operand below
            var[id(node)] = (("e", node.path, 0), ("e", node.path, 1))
        else:
            var[id(node)] = (var[id(node.left)][0], var[id(node.right)][1])

    # Author-given values first, so conflicts in the structure name their source.
    labels: Dict[str, TreeNode] = {}
    for node in nodes:
        labels.setdefault(node.matrix if node.kind == "leaf" else node.label, node)
    for name, pair in given.items():
        node = labels.get(name)
        if node is None:
            continue  # unknown names are reported by the spec layer
        rc = (("m", name, 0), ("m", name, 1)) if node.kind == "leaf" else var[id(node)]
        for axis in (0, 1):
            g = pair[axis]
            if g is None:
                continue
            const = ("const", id(g))
            dims.value[dims.find(const)] = g
            clash = dims.union(rc[axis], const)
            if clash:
                raise SpecError(
                    "%s gives %s %d, but %s gives %d"
                    % (g.where, ("rows", "columns")[axis], g.value, clash[0].where, clash[0].value),
                    "make them agree, or leave one out to have it inferred",
                    g.line,
                    g.column,
                )

    for node in nodes:
        if node.kind == "elementwise":
            _unite_elementwise(dims, node, var, locate)
        if node.kind != "matmul":
            continue
        left_k = var[id(node.left)][1]
        right_k = var[id(node.right)][0]
        clash = dims.union(left_k, right_k)
        if clash:
            line, col = locate(node.pos)
            raise SpecError(
                "inner dimensions differ in `%s`: %s is %s and %s is %s"
                % (
                    node.label if not node.named else "%s = ..." % node.label,
                    node.left.label,
                    _shape_text(dims, var[id(node.left)]),
                    node.right.label,
                    _shape_text(dims, var[id(node.right)]),
                ),
                "%d comes from %s and %d from %s; make them equal, or leave one out to infer it"
                % (clash[0].value, clash[0].where, clash[1].value, clash[1].where),
                line,
                col,
            )

    total = 0
    for node in nodes:
        rows, cols = var[id(node)]
        node.shape = (_value(dims, rows, default), _value(dims, cols, default))
        total += node.shape[0] * node.shape[1]
        for side in node.shape:
            if side > limits.max_dim:
                line, col = locate(node.pos)
                raise SpecError(
                    "%s is %d×%d; a side may be at most %d"
                    % (node.label, node.shape[0], node.shape[1], limits.max_dim),
                    "use a smaller shape, or slice the data",
                    line,
                    col,
                )
    if total > limits.max_elements:
        raise SpecError(
            "the figure has %s elements; the limit is %s"
            % (format(total, ","), format(limits.max_elements, ",")),
            "use smaller shapes, or raise the limit to at least %s (the plugin option"
            " max_elements in mkdocs.yml, or Limits(max_elements=...)); largest: "
            % format(total, ",")
            + ", ".join(
                "%s %d×%d" % (n.label, n.shape[0], n.shape[1])
                for n in sorted(nodes, key=lambda n: -n.shape[0] * n.shape[1])[:3]
            ),
            *locate(root.pos),
        )


def _unite_elementwise(dims: _Dims, node: TreeNode, var, locate: Locate) -> None:
    """Tie an element-wise result to its operands: the same shape, or a 1×n / n×1 broadcast.

    An operand side known to be 1 while the other is not (or is not known yet)
    is broadcast along that axis; otherwise both sides are one dimension.
    """
    lv, rv, out = var[id(node.left)], var[id(node.right)], var[id(node)]
    for axis in (0, 1):
        a, b = dims.get(lv[axis]), dims.get(rv[axis])
        va, vb = (a.value if a else None), (b.value if b else None)
        if va == 1 and vb != 1:
            full = rv[axis]
        elif vb == 1 and va != 1:
            full = lv[axis]
        elif va is not None and vb is not None and va != vb:
            raise _broadcast_error(dims, node, lv, rv, locate)
        else:
            dims.union(lv[axis], rv[axis])  # cannot clash: one side is unknown or they agree
            full = lv[axis]
        clash = dims.union(out[axis], full)
        if clash:
            line, col = locate(node.op_pos)
            raise SpecError(
                "`%s` is %s, but %s gives %s %d"
                % (
                    node.label,
                    _shape_text(dims, (lv[0] if dims.get(lv[0]) else rv[0], full)),
                    clash[0].where,
                    ("rows", "columns")[axis],
                    clash[0].value,
                ),
                "make them agree, or leave one out to have it inferred",
                line,
                col,
            )


def _broadcast_error(dims: _Dims, node: TreeNode, lv, rv, locate: Locate) -> SpecError:
    line, col = locate(node.op_pos)
    rows, cols = (
        max((g.value for g in (dims.get(lv[a]), dims.get(rv[a])) if g is not None), default=0)
        for a in (0, 1)
    )
    return SpecError(
        "%s is %s but %s is %s: `%s` needs the same shape, or a 1×%d row or a %d×1 column"
        % (
            node.left.label,
            _shape_text(dims, lv),
            node.right.label,
            _shape_text(dims, rv),
            node.op,
            cols,
            rows,
        ),
        "give both operands one shape, or make one of them a 1×n row (a bias) or an n×1 column",
        line,
        col,
    )


def _value(dims: _Dims, v: object, default: int) -> int:
    g = dims.get(v)
    return g.value if g is not None else default


def _shape_text(dims: _Dims, rc: Tuple[object, object]) -> str:
    return "×".join(
        str(g.value) if g is not None else "?" for g in (dims.get(rc[0]), dims.get(rc[1]))
    )
