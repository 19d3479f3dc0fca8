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
    """One node of the figure's tree: a matmul or a leaf occurrence of a matrix."""

    kind: str  # "leaf" | "matmul"
    label: str  # display name: "Q", "K.T", "attn", or the text of an unnamed product
    path: str  # address in the tree: "root", "root.left", "root.left.right", ...
    pos: int  # offset in the expression text (the name, or the '@')
    matrix: Optional[str] = None  # leaves: the matrix this occurrence shows
    transposed: bool = False  # leaves: shown as matrix.T
    left: Optional[TreeNode] = None
    right: Optional[TreeNode] = None
    epilog: ep.Epilog = ()
    named: bool = False  # matmuls: labelled with `name = ...` in the expression
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
        if node.kind == "matmul":
            first, second = (node.left, node.right) if left_first else (node.right, node.left)
            stack.append(second)
            stack.append(first)


# ---------------------------------------------------------------- lowering


def lower(ast: ex.Node, locate: Locate) -> TreeNode:
    """Build the node tree of a parsed expression; misuse is a SpecError."""
    root = _lower(ast, "root", locate)
    if root.kind != "matmul":
        line, col = locate(getattr(ast, "pos", 0))
        raise SpecError(
            "the expression has no matrix multiplication",
            "a figure shows at least one product, e.g. `A @ B`",
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
    if isinstance(node, ex.Assign):
        target = _lower(node.value, path, locate)
        if target.kind != "matmul":
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
        what = (
            node.func if isinstance(node, ex.Call) else "scaling by %s" % ex.print_expr(node.factor)
        )
        if target.kind != "matmul":
            raise _error(
                locate,
                node.pos,
                "%s applies to a product, but '%s' is an input matrix" % (what, target.label),
                "apply it to a product, e.g. %s"
                % ex.print_expr(ep.wrap(_op(node), ex.Name("(A @ B)"))),
            )
        target.epilog = target.epilog + _op(node)
        return target
    # Number, Depth, Sqrt where a matrix belongs
    raise _error(
        locate,
        getattr(node, "pos", 0),
        "a number can only scale a product, not be multiplied with @",
        "write e.g. A @ B / 8",
    )


def product_label(left: str, right: str) -> str:
    """The name of an unnamed product, as mm writes it: ``A @ B``, ``A @ (B @ C)``."""
    return "%s @ %s" % (left, "(%s)" % right if " " in right else right)


def label_of(node: ex.Node) -> str:
    """The label `lower` gives the node an AST stands for."""
    while isinstance(node, (ex.Call, ex.Scale)):
        node = node.arg if isinstance(node, ex.Call) else node.operand
    if isinstance(node, ex.Assign):
        return node.name
    if isinstance(node, ex.Name):
        return node.name
    if isinstance(node, ex.Transpose):
        return node.operand.name + ".T"
    if isinstance(node, ex.MatMul):
        return product_label(label_of(node.left), label_of(node.right))
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
        if node.kind == "matmul" and node.named:
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
    name = node.label if node.kind == "matmul" else node.matrix
    line, col = locate(first.pos)
    return _error(
        locate,
        node.pos,
        "the name '%s' is already used for %s at line %d, column %d"
        % (name, "a product" if first.kind == "matmul" else "an input matrix", line, col),
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
            "use smaller shapes, or raise the limit (max_elements); largest: "
            + ", ".join(
                "%s %d×%d" % (n.label, n.shape[0], n.shape[1])
                for n in sorted(nodes, key=lambda n: -n.shape[0] * n.shape[1])[:3]
            ),
            *locate(root.pos),
        )


def _value(dims: _Dims, v: object, default: int) -> int:
    g = dims.get(v)
    return g.value if g is not None else default


def _shape_text(dims: _Dims, rc: Tuple[object, object]) -> str:
    return "×".join(
        str(g.value) if g is not None else "?" for g in (dims.get(rc[0]), dims.get(rc[1]))
    )
