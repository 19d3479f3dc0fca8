"""A built scene as one binary file, and back: what the viewer fetches.

The file is a `pack` container: a JSON header describing the figure (spec,
nodes, matrices as drawn, cubes, legends, camera, animation program, colour
ranges, warnings) and one value buffer per distinct matrix, float16 by default
(``precision: display``), float32 (``precision: exact``), or 8 bits with a scale per
row for large matrices (``precision: display8``: `quantize`; the header's
``display8`` maps each such buffer to its scales).  Input matrices
are stored once however often they are used (``X`` and ``X.T`` share one
buffer); products are stored per node.

``Scene.from_bytes(s.to_bytes())`` gives a scene with the same header
data and values rounded to the stored precision, and packing it again gives
the same bytes (for display8: the same values within float rounding).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, List, Tuple

import numpy as np

from ..language import epilog as ep
from ..spec.vocab import Highlight
from . import geometry as g
from .anim import animation_from_dict
from .describe import figure_alt
from .nodes import NodeList, SceneNode
from .pack import SceneFileError, pack, unpack
from .quantize import PARAMS_SUFFIX, dequantize_rows, quantizable, quantize_rows

FORMAT = "mm-docs scene"


def _buffer_name(node) -> str:
    # An input with an epilog (softmax(S)) shows values of its own: one buffer per node.
    return "m:" + node.matrix if _plain_input(node) else "n:" + node.path


def _plain_input(node) -> bool:
    return node.kind == "leaf" and not node.epilog_ops


def _node_entry(n) -> Dict[str, Any]:
    entry = {
        "path": n.path,
        "name": n.name,
        "kind": n.kind,
        "shape": list(n.shape),
        "epilog": n.epilog,
        "matrix": n.matrix,
        "transposed": n.transposed,
        "init": n.init,
        "buffer": _buffer_name(n),
    }
    if n.op:  # element-wise only, so the files of figures without any stay as they were
        entry["op"] = n.op
    entry.update(_vocab_entry(n))  # likewise labels and highlights, only where given
    return entry


def scene_to_bytes(scene) -> bytes:
    header = {
        "format": FORMAT,
        "spec": scene.spec_dict,
        "nodes": [_node_entry(n) for n in scene.nodes],
        "matrices": [asdict(v) for v in scene.matrices],
        "cubes": [asdict(c) for c in scene.cubes],
        "legends": [asdict(legend) for legend in scene.legends],
        "camera": asdict(scene.camera),
        "bbox": [list(scene.bbox[0]), list(scene.bbox[1])],
        "animation": scene.animation.to_dict(),
        "ranges": {path: list(r) for path, r in sorted(scene.ranges.items())},
        "color_ranges": {
            mode: {path: list(r) for path, r in sorted(ranges.items())}
            for mode, ranges in sorted(scene.color_ranges.items())
        },
        "settings": scene.settings,
        "warnings": list(scene.warnings),
        # The figure in words (the author's alt, or describe()): the viewer's aria-label
        # after a live edit, so the page and the edited figure say the same thing.
        "description": figure_alt(scene),
    }
    if scene.readouts:  # only figures that ask: other scene files keep their bytes
        header["readouts"] = scene.readouts
    if scene.views:
        header["views"] = scene.views
    buffers: Dict[str, np.ndarray] = {}
    for n in scene.nodes:
        name = _buffer_name(n)
        if name not in buffers:
            # Leaves store their matrix untransposed; the header says how each is shown.
            buffers[name] = n.values.T if n.transposed else n.values
    precision = scene.settings["figure"].get("precision")
    dtype = "f4" if precision == "exact" else "f2"
    dtypes = {name: dtype for name in buffers}
    if precision == "display8":
        # Large matrices as 8-bit codes plus a (scale, zero) per row (quantize.py);
        # the header names them, so readers know which buffers to decode.
        quantized = {}
        for name in sorted(buffers):
            if quantizable(buffers[name]):
                codes, params = quantize_rows(buffers[name])
                buffers[name], dtypes[name] = codes, "u1"
                buffers[name + PARAMS_SUFFIX] = params
                dtypes[name + PARAMS_SUFFIX] = "f4"
                quantized[name] = name + PARAMS_SUFFIX
        header["display8"] = quantized
    return pack(header, buffers, dtypes)


def read_scene_file(data: bytes) -> Dict[str, Any]:
    """The fields of the `Scene` a scene file holds, and its ``spec_dict``."""
    header, arrays = unpack(data)
    if header.get("format") != FORMAT:
        raise SceneFileError("not an mm-docs scene file (format %r)" % header.get("format"))
    arrays = _dequantized(header.get("display8", {}), arrays)
    nodes = NodeList()
    by_path: Dict[str, Any] = {}
    for entry in header["nodes"]:
        values = np.asarray(arrays[entry["buffer"]], dtype=np.float32)
        if entry["transposed"]:
            values = values.T
        node = SceneNode(
            name=entry["name"],
            shape=tuple(entry["shape"]),
            kind=entry["kind"],
            values=values,
            path=entry["path"],
            epilog=entry["epilog"],
            epilog_ops=ep.parse_epilog(entry["epilog"]) if entry["epilog"] else (),
            matrix=entry["matrix"],
            transposed=entry["transposed"],
            init=entry["init"],
            op=entry.get("op", ""),
            row_labels=_labels(entry.get("row_labels")),
            col_labels=_labels(entry.get("col_labels")),
            highlight=_highlight(entry.get("highlight")),
        )
        nodes.append(node)
        by_path[node.path] = node
    for node in nodes:
        if node.kind != "leaf":
            node.left, node.right = by_path[node.path + ".left"], by_path[node.path + ".right"]
    return dict(
        spec_dict=header["spec"],
        root=by_path["root"],
        nodes=nodes,
        inputs={
            n.matrix: (n.values.T if n.transposed else n.values) for n in nodes if _plain_input(n)
        },
        warnings=tuple(header["warnings"]),
        matrices=tuple(_view(v) for v in header["matrices"]),
        cubes=tuple(_cube(c) for c in header["cubes"]),
        legends=tuple(_legend(x) for x in header["legends"]),
        camera=g.Camera(**_tuples(header["camera"])),
        bbox=(tuple(header["bbox"][0]), tuple(header["bbox"][1])),
        animation=animation_from_dict(header["animation"]),
        ranges={path: tuple(r) for path, r in header["ranges"].items()},
        color_ranges={
            mode: {path: tuple(r) for path, r in ranges.items()}
            for mode, ranges in header["color_ranges"].items()
        },
        settings=header["settings"],
        readouts=header.get("readouts", []),
        views=header.get("views", []),
    )


def _dequantized(quantized: Any, arrays: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """``arrays`` with every 8-bit buffer decoded to float32 (``precision: display8``)."""
    if not isinstance(quantized, dict):
        raise SceneFileError("scene file header: display8 is not an object", field="display8")
    out = dict(arrays)
    for name, params in quantized.items():
        codes, scales = arrays.get(name), arrays.get(params)
        if (
            codes is None
            or scales is None
            or codes.dtype != np.uint8
            or codes.ndim != 2
            or scales.shape != (codes.shape[0], 2)
        ):
            raise SceneFileError(
                "8-bit buffer %r lacks its codes or its per-row scales %r" % (name, params),
                field="display8",
            )
        out[name] = dequantize_rows(codes, scales)
    return out


def _vocab_entry(n: SceneNode) -> Dict[str, Any]:
    """Labels and highlight, only where a node has them (older files read the same)."""
    out: Dict[str, Any] = {}
    if n.row_labels is not None:
        out["row_labels"] = list(n.row_labels)
    if n.col_labels is not None:
        out["col_labels"] = list(n.col_labels)
    if n.highlight:
        out["highlight"] = n.highlight.to_dict()
    return out


def _labels(value: Any) -> Any:
    return tuple(value) if value is not None else None


def _highlight(value: Any) -> Any:
    if value is None:
        return None
    cells = tuple(tuple(c) for c in value["cells"])
    return Highlight(tuple(value["rows"]), tuple(value["cols"]), cells)


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples the frozen geometry holds."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def _view(d: Dict[str, Any]) -> g.MatrixView:
    d = _tuples(d)
    blocks = tuple(g.Block(**b) for b in d.pop("blocks"))
    return g.MatrixView(blocks=blocks, **d)


def _cube(d: Dict[str, Any]) -> g.Cube:
    d = _tuples(d)
    arrow = d.pop("arrow")
    return g.Cube(arrow=g.Arrow(**arrow) if arrow is not None else None, **d)


def _legend(d: Dict[str, Any]) -> g.Legend:
    return g.Legend(**_tuples(d))


def size_report(data: bytes) -> List[Tuple[str, int]]:
    """(buffer name, bytes) for each buffer, largest first (for `mm-docs inspect`)."""
    header, _ = unpack(data)
    return sorted(((b["name"], b["length"]) for b in header["buffers"]), key=lambda x: -x[1])
