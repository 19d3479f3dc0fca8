"""The matrix expression language of the ``expr`` field.

    out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V

Grammar (whitespace is free; positions are kept for every node)::

    expr     := NAME '=' expr | sum                   -- a name may label any product or sum
    sum      := chain (('+' | '-') chain)*            -- element-wise, left-assoc (as Python)
    chain    := postfix (('@' | '*' | '/') postfix)*  -- one precedence level, left-assoc (as Python)
    postfix  := atom ('.T')*                          -- transpose of a named matrix
    atom     := NAME | NUMBER | 'k'
              | FUNC '(' expr ')'                     -- an epilog: softmax, tril, relu, ...
              | 'sqrt' '(' NUMBER | 'k' ')'           -- only as a scale factor
              | '(' expr ')'

``@`` multiplies matrices; ``+``, ``-`` and ``*`` between two matrices are
element-wise (same shape, or a 1×n row or n×1 column broadcast); ``* NUMBER``, ``/ NUMBER``, ``/ sqrt(k)`` and ``/ k``
scale a matmul's result, where ``k`` is that matmul's depth (the shared inner
dimension).  Functions are epilogs applied to a matmul's result (see
`epilog.EPILOG_FUNCTIONS`), or to an input matrix's values.  ``tril``/``triu`` are causal masks: masked entries
are left out of a following softmax or layernorm and shown as 0.

This package only parses (`parse`) and prints (`nodes`): `parse_expr` gives an
immutable AST whose nodes compare equal regardless of positions, and `print_expr`
writes it back with the fewest parentheses, so ``parse(print(parse(t))) ==
parse(t)``.  Turning the AST into matmul nodes with shapes is `spec.tree.lower`'s
job.  Nothing here is ever evaluated as code.
"""

from .nodes import (
    DEPTH,
    ELEMENTWISE_OPS,
    EPILOG_NAMES,
    MAX_HEIGHT,
    SCALE_FUNCTIONS,
    Assign,
    Call,
    Depth,
    Elementwise,
    MatMul,
    Name,
    Node,
    Number,
    Scale,
    Sqrt,
    Transpose,
    children,
    count_elementwise,
    count_matmuls,
    format_number,
    height,
    print_expr,
)
from .parse import parse_expr, parse_fragment, tokenize

__all__ = [
    "DEPTH",
    "ELEMENTWISE_OPS",
    "EPILOG_NAMES",
    "MAX_HEIGHT",
    "SCALE_FUNCTIONS",
    "Assign",
    "Call",
    "Depth",
    "Elementwise",
    "MatMul",
    "Name",
    "Node",
    "Number",
    "Scale",
    "Sqrt",
    "Transpose",
    "children",
    "count_elementwise",
    "count_matmuls",
    "format_number",
    "height",
    "parse_expr",
    "parse_fragment",
    "print_expr",
    "tokenize",
]
