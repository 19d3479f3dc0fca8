"""Read-outs: numbers about a node, computed once at build time from its float64 values.

What each kind is (``spec.readouts.KINDS``):

- ``min``, ``max``, ``mean``: of the values as shown (after the product's epilog);
- ``norm``: the Frobenius norm, ``sqrt(sum(x²))`` (``numpy.linalg.norm``);
- ``sv``: the largest singular values σ1 ≥ σ2 ≥ … (``numpy.linalg.svd``);
- ``rank``: the *effective rank* of Roy & Vetterli (2007), ``exp(H(p))`` where
  ``p_i = σ_i / Σσ`` over every singular value and ``H`` is the entropy in nats: 1 for a
  rank-one matrix, ``min(m, n)`` when all singular values are equal, 0 for zeros;
- ``dirs``: for the top singular pairs (u_i, σ_i, v_i), the rows where u_i is largest
  in magnitude and the columns where v_i is, by their labels when the node has
  ``row_labels`` / ``col_labels``.  A pair's sign is fixed so that u_i's largest entry is
  positive (SVD leaves it free), so the same matrix gives the same read-out everywhere.

Every number ships with its text (``%.4g``), so the page's table, the prose that cites
it and the viewer after a live edit all show the same digits.  A node with NaN or ±inf
values has no read-outs (``value`` None, text "not finite").
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ..spec.readouts import NodeReadouts, named_nodes
from ..spec.spec import Spec
from .nodes import NodeList, SceneNode

TOP_ENTRIES = 3  # rows and columns named per singular direction
NOT_FINITE = "not finite"


def number_text(x: Optional[float]) -> str:
    """How every read-out number is written: 4 significant digits."""
    if x is None:
        return NOT_FINITE
    text = format(x, ".4g")
    return "0" if text == "-0" else text


def _num(x: float) -> float:
    """A float64 rounded to 9 significant digits: the same bytes on every BLAS."""
    return float("%.9g" % x)


def effective_rank(sv: np.ndarray) -> float:
    """exp of the entropy of the normalised singular values (Roy & Vetterli)."""
    total = float(np.sum(sv))
    if total <= 0:
        return 0.0
    p = sv[sv > 0] / total
    return float(np.exp(-np.sum(p * np.log(p))))


def compute_readouts(spec: Spec, exact: Dict[str, np.ndarray], nodes: NodeList) -> List[dict]:
    """Every read-out the spec asks for, as plain data for the scene file's header."""
    if not spec.readouts:
        return []
    names = named_nodes(spec.tree)
    by_path = {n.path: n for n in nodes}
    out = []
    for request in spec.readouts:
        t = names[request.node]
        node = by_path[t.path]
        values = exact[t.path]
        rows, cols = _labels(node)
        if node.kind == "leaf" and node.transposed:
            values = values.T  # the read-outs are of the matrix named, K for K.T
            rows, cols = cols, rows
        readout = node_readouts(request, np.asarray(values, dtype=np.float64), rows, cols)
        readout["path"] = t.path
        readout["rows"] = table_rows(readout)
        out.append(readout)
    return out


def _labels(node: SceneNode):
    # Row and column labels arrive with the vocabulary work (SceneNode.row_labels);
    # without them, directions name row and column indices.
    return getattr(node, "row_labels", None), getattr(node, "col_labels", None)


def node_readouts(
    request: NodeReadouts,
    x: np.ndarray,
    row_labels: Optional[Sequence[str]] = None,
    col_labels: Optional[Sequence[str]] = None,
) -> dict:
    """The read-outs of one matrix ``x`` (float64) that ``request`` lists."""
    finite = bool(np.isfinite(x).all())
    need_svd = finite and any(r.kind in ("sv", "rank", "dirs") for r in request.items)
    u = s = vt = None
    if need_svd:
        wants_dirs = any(r.kind == "dirs" for r in request.items)
        if wants_dirs:
            u, s, vt = np.linalg.svd(x, full_matrices=False)
        else:
            s = np.linalg.svd(x, compute_uv=False)
        # Singular values below numpy's rank tolerance are rounding noise that differs
        # between BLAS builds: they are zeros (as numpy.linalg.matrix_rank counts them).
        s = np.where(s > s.max() * max(x.shape) * np.finfo(np.float64).eps, s, 0.0)
    items = []
    for r in request.items:
        item: Dict[str, Any] = {"kind": r.kind}
        if r.kind == "sv":
            vals = [_num(v) for v in s[: r.count]] if finite else [None] * r.count
            item["values"] = vals
            item["texts"] = [number_text(v) for v in vals]
        elif r.kind == "dirs":
            item["pairs"] = (
                [_direction(u[:, i], s[i], vt[i], row_labels, col_labels) for i in range(r.count)]
                if finite
                else []
            )
        else:
            value = _scalar(r.kind, x, s) if finite else None
            item["value"] = value
            item["text"] = number_text(value)
        items.append(item)
    return {"node": request.node, "shape": list(x.shape), "finite": finite, "items": items}


def _scalar(kind: str, x: np.ndarray, s: Optional[np.ndarray]) -> float:
    if kind == "min":
        return _num(np.min(x))
    if kind == "max":
        return _num(np.max(x))
    if kind == "mean":
        return _num(np.mean(x))
    if kind == "norm":
        return _num(np.sqrt(np.sum(x * x)))
    if kind == "rank":
        return _num(effective_rank(s))
    raise AssertionError(kind)


def _direction(u, sigma, v, row_labels, col_labels) -> dict:
    """One singular pair: its σ and the rows and columns it weighs most."""
    if u[int(np.argmax(np.abs(u)))] < 0:
        u, v = -u, -v
    return {
        "sv": _num(sigma),
        "sv_text": number_text(_num(sigma)),
        "rows": _strongest(u, row_labels, "row"),
        "cols": _strongest(v, col_labels, "col"),
    }


def _strongest(w: np.ndarray, labels, axis: str) -> List[dict]:
    # Stable order, so equal weights list the lower index first on every numpy.
    order = np.argsort(-np.abs(w), kind="mergesort")[:TOP_ENTRIES]
    out = []
    for i in order:
        i = int(i)
        name = str(labels[i]) if labels is not None and i < len(labels) else "%s %d" % (axis, i)
        weight = _num(w[i]) if abs(w[i]) > 1e-12 else 0.0  # no "-0.00" from rounding noise
        out.append({"index": i, "name": name, "weight": weight, "text": "%+.2f" % weight})
    return out


# ---------------------------------------------------------------- the table


def table_rows(readout: dict) -> List[dict]:
    """The rows of the read-out table for one node: ``{"label", "ref", "text"}``, where
    ``ref`` is how prose cites the number (``QK.sv[1]`` cites the first of ``QK.sv``).

    Shipped in the scene header, so the page's table and the viewer's (after a live
    edit) are made from the same words and digits."""
    node = readout["node"]
    rows = []
    for item in readout["items"]:
        kind = item["kind"]
        ref = "%s.%s" % (node, kind)
        if kind == "sv":
            k = len(item["texts"])
            label = "singular values σ1" + ("…σ%d" % k if k > 1 else "")
            rows.append({"label": label, "ref": ref, "text": ", ".join(item["texts"])})
        elif kind == "dirs":
            for i, pair in enumerate(item["pairs"], 1):
                for side, word in (("rows", "rows"), ("cols", "columns")):
                    vec = "u" if side == "rows" else "v"
                    rows.append(
                        {
                            "label": "%s%d (σ%d = %s): strongest %s"
                            % (vec, i, i, pair["sv_text"], word),
                            "ref": "%s[%d].%s" % (ref, i, side),
                            "text": ", ".join("%s %s" % (e["name"], e["text"]) for e in pair[side]),
                        }
                    )
            if not item["pairs"]:
                rows.append({"label": "singular directions", "ref": ref, "text": NOT_FINITE})
        else:
            rows.append({"label": LABELS[kind], "ref": ref, "text": item["text"]})
    return rows


LABELS = {
    "min": "smallest value",
    "max": "largest value",
    "mean": "mean",
    "norm": "Frobenius norm",
    "rank": "effective rank",
}
