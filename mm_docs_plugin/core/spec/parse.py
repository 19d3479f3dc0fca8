"""The spec: what a fence (or a URL, or a Python mapping) says a figure is.

A spec is YAML (JSON is YAML)::

    expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V
    seed: 1
    nodes:
      Q: {shape: [256, 64], init: gaussian}
      V: {init: expr, expr: "i == j"}
      attn: {blocks: {i: 4}}
    anim: vmprod
    colors: {sensitivity: local}

Top-level keys:

- ``expr`` (required): the expression (see `expr`); names label products.
- ``from_mm``: an mm link to start from; the other keys override it.
- ``seed``: integer seed of every random init (default 0).
- ``height``, ``caption``, ``alt``: figure options (px; text; accessible text).
- ``precision``: ``display`` (float16 values in the scene file, the default),
  ``exact`` (float32, for figures whose text cites values) or ``display8`` (8 bits
  with a scale per row for matrices over 65,536 values; see `scene.quantize`).
- ``labels``: named lists of row/column labels (a vocabulary, a sentence's
  tokens) that inputs name (see `vocab`).
- ``nodes``: settings per node, keyed by name (a matrix name, a product's
  name, or an unnamed product's text such as ``"A @ B"``).  For input
  matrices: ``shape``, ``init``, ``min``, ``max``, ``dropout``, ``value``,
  ``expr``, ``data``, ``colors``, ``label``, ``values``, ``onehot``,
  ``labels``, ``highlight``.  For products: ``shape``, ``epilog``, ``anim``,
  ``blocks``, ``layout``, ``colors``, ``highlight``.
- sections ``anim``, ``blocks``, ``layout``, ``deco``, ``colors``, ``camera``
  (fields in `schema`); ``blocks`` and ``layout`` placements are the root's.

`parse_spec` validates everything, infers shapes, checks data files, and gives
an immutable `Spec`; every problem is a `SpecError` with the line and column in
the fence text (or the field path, for mappings and URLs).
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..language import schema as sc
from ..language.fence_yaml import YNode, from_python, parse_yaml
from .mm_import import mm_url_to_dict
from .spec import Spec
from .validate import Validator


def parse_spec(
    text_or_mapping: Any,
    base_dir: Optional[str] = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    allow_remote: bool = False,
) -> Spec:
    """Validate a fence body (YAML/JSON text) or a mapping into a `Spec`.

    ``base_dir`` is where relative data paths resolve (the page's folder).
    """
    if isinstance(text_or_mapping, Spec):
        return text_or_mapping
    text = None
    if isinstance(text_or_mapping, str):
        text = text_or_mapping
        root = parse_yaml(text, limits)
    elif isinstance(text_or_mapping, dict):
        root = from_python(text_or_mapping)
    else:
        raise SpecError(
            "a spec is YAML text or a mapping, not %s" % type(text_or_mapping).__name__,
            "e.g. parse_spec('expr: A @ B')",
        )
    if root.value is None:
        raise SpecError("the spec is empty", "write at least `expr: A @ B`", 1, 1)
    if not root.is_map():
        raise SpecError(
            "a spec is a mapping of keys such as expr, nodes, anim",
            "write e.g. `expr: out = A @ B` on its own line",
            root.line,
            root.column,
        )
    if "from_mm" in root.value:
        root = _overlay_mm(root, limits)
    return Validator(root, base_dir, limits, allow_remote, text).build()


def _overlay_mm(root: YNode, limits: Limits) -> YNode:
    """Import the mm link, then let the fence's own keys override it."""
    link = root.value["from_mm"]
    if not isinstance(link.value, str):
        raise sc.type_error(
            link, "from_mm", "an mm link", "paste the whole https://bhosmer.github.io/mm/... link"
        )
    try:
        imported = mm_url_to_dict(link.value, limits)
    except SpecError as e:
        raise SpecError(e.message, e.hint, link.line, link.column, field="from_mm") from None
    if "expr" in root.value:
        imported.pop("nodes", None)  # settings of the link's nodes may not fit a new expression
    base = from_python(imported)
    return _merge(base, root)


def _merge(base: YNode, over: YNode) -> YNode:
    if not (base.is_map() and over.is_map()):
        return over
    merged = dict(base.value)
    for key, child in over.value.items():
        if key == "from_mm":
            continue
        merged[key] = _merge(base.value[key], child) if key in base.value else child
    node = YNode.__new__(YNode)
    for slot in YNode.__slots__:
        setattr(node, slot, getattr(over, slot))
    node.value = merged
    node.key_pos = dict(base.key_pos or {}, **(over.key_pos or {}))
    return node
