"""The ``views:`` key: named states of a figure that the prose can switch to.

    views:
      scores: {focus: attn, step: 12, label: "token 12's scores"}
      from-above: {position: [0, 90, 1], target: [0, 0, 0]}
      start: {}                      # the figure's own camera, animation at step 0

A view sets the camera (``focus`` frames one node's face from the figure's viewing
direction; ``position``/``target`` place it exactly; neither: the figure's camera) and
the animation step.  A link ``[text](#FIGURE-ID:VIEW)`` in the page switches the figure
to it (`scene.views` resolves the cameras; the viewer moves there).  Each field is one
entry of `FIELDS`, so a new one (a highlight) is one line and one check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple

from ..errors import SpecError, did_you_mean
from ..language import schema as sc
from ..language.fence_yaml import YNode
from . import vocab
from .readouts import named_nodes
from .tree import TreeNode

NAME = re.compile(r"[A-Za-z][\w-]{0,39}\Z")
MAX_VIEWS = 16
MAX_STEP = 10_000_000

FIELDS = {
    "label": sc.Field("label", "str", None, "what links and menus call the view", hi=200),
    "focus": sc.Field("focus", "str", None, "a node whose face the camera frames", hi=200),
    "position": sc.Field("position", "vec3", None, "camera position [x, y, z]"),
    "target": sc.Field("target", "vec3", None, "point looked at [x, y, z]"),
    "step": sc.Field("step", "int", None, "animation step shown", lo=0, hi=MAX_STEP),
    "highlight": sc.Field("highlight", "str", None, "node name -> rows, cols, cells emphasised"),
}
# A field whose value needs more than a Field kind (a highlight: rows, columns, cells)
# names its check here: check(node, path, names of the expression's nodes) -> value.
# A new field is then its FIELDS entry, its check, and a View attribute; the scene
# ships it (scene.views) and the viewer applies it in Figure.showView.
CHECKS: Dict[str, Callable[[YNode, str, Dict[str, TreeNode]], Any]] = {
    "highlight": lambda node, path, names: _highlight(node, path, names),
}
# Fields that place the camera: scene.views turns them into a camera; the others ship as written.
CAMERA_FIELDS = ("focus", "position", "target")


@dataclass(frozen=True)
class View:
    name: str
    label: Optional[str] = None
    focus: Optional[str] = None  # a node name (as under nodes:)
    position: Optional[Tuple[float, float, float]] = None
    target: Optional[Tuple[float, float, float]] = None
    step: Optional[int] = None
    # as written: node name -> {rows, cols, cells} (labels or indices), and what each
    # tree node shows in this view (path -> indices, carried through products)
    highlight: Optional[Dict[str, Dict[str, Any]]] = None
    shown: Optional[Dict[str, Dict[str, Any]]] = field(default=None, compare=False)

    def to_data(self) -> Dict[str, Any]:
        out = {}
        for key in FIELDS:
            v = getattr(self, key)
            if v is not None:
                out[key] = _plain(v)
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def to_dict(views: Tuple[View, ...]) -> Dict[str, Dict[str, Any]]:
    return {v.name: v.to_data() for v in views}


def read_views(node: Optional[YNode], tree: TreeNode, animated: bool) -> Tuple[View, ...]:
    """The validated ``views:`` section; ``animated``: whether the figure has steps."""
    if node is None or node.value is None:
        return ()
    if not node.is_map():
        raise sc.type_error(
            node, "views", "a mapping of view names", "e.g. views: {scores: {focus: attn}}"
        )
    if len(node.value) > MAX_VIEWS:
        raise SpecError(
            "views has %d views; the limit is %d" % (len(node.value), MAX_VIEWS),
            "keep the views the text links to",
            **sc.where(node, "views"),
        )
    names = named_nodes(tree)
    out = []
    for name, settings in node.value.items():
        path = "views." + str(name)
        if not isinstance(name, str) or not NAME.match(name):
            line, col = sc.key_where(node, name)
            raise SpecError(
                "view name %r is not a name a link can carry" % (name,),
                "a letter, then letters, digits, - or _ (at most 40): e.g. scores, step-2",
                line,
                col,
                len(str(name)),
                path,
            )
        out.append(_view(name, settings, path, names, animated))
    return tuple(out)


def _view(name: str, node: YNode, path: str, names, animated: bool) -> View:
    if node.value is None:
        return View(name)
    if not node.is_map():
        raise sc.type_error(node, path, "a mapping", "e.g. %s: {focus: QK, step: 3}" % name)
    kw: Dict[str, Any] = {}
    for key, child in node.value.items():
        f = FIELDS.get(key)
        if f is None:
            raise sc.unknown_key(node, key, path, list(FIELDS))
        check = CHECKS.get(key)
        where = path + "." + key
        kw[key] = check(child, where, names) if check else sc.check_value(f, child, where)
    if "focus" in kw and kw["focus"] not in names:
        child = node.value["focus"]
        raise SpecError(
            "%s.focus is %r, which is not in the expression" % (path, kw["focus"]),
            did_you_mean(kw["focus"], list(names))
            or "names in the expression: " + ", ".join(names),
            **sc.where(child, path + ".focus"),
        )
    if "focus" in kw and ("position" in kw or "target" in kw):
        key = "position" if "position" in kw else "target"
        line, col = sc.key_where(node, key)
        raise SpecError(
            "%s has focus and %s; focus places the camera itself" % (path, key),
            "keep focus (frames the node) or position/target (exact)",
            line,
            col,
            len(key),
            path + "." + key,
        )
    if "step" in kw and not animated:
        line, col = sc.key_where(node, "step")
        raise SpecError(
            "%s.step: the figure has no animation" % path,
            "set anim (e.g. anim: vmprod) or leave step out",
            line,
            col,
            4,
            path + ".step",
        )
    if "highlight" in kw:
        kw["highlight"], kw["shown"] = kw["highlight"]
    return View(name, **kw)


def _highlight(node: YNode, path: str, names: Dict[str, TreeNode]):
    """(as written, shown per tree path): ``highlight: {attn: {rows: [milk]}, V: {...}}``
    resolved like a node's own highlight and carried through the products, for this
    view only (the spec's own highlights are not shown while it is)."""
    if not node.is_map():
        raise sc.type_error(
            node,
            path,
            "a mapping of node names to highlights",
            "e.g. highlight: {attn: {rows: [3]}}",
        )
    root = next(t for t in names.values() if t.path == "root")
    given: Dict[str, Dict[str, Any]] = {}
    own: Dict[int, Any] = {}
    for name, child in node.value.items():
        where = "%s.%s" % (path, name)
        if name not in names:
            line, col = sc.key_where(node, name)
            raise SpecError(
                "%s: %r is not in the expression" % (path, name),
                did_you_mean(str(name), list(names)) or "names: " + ", ".join(names),
                line,
                col,
                len(str(name)),
                where,
            )
        given[name] = vocab.read_highlight(child, where)
        for t in root.walk():  # every use of an input, as its own highlight would be
            if (t.matrix if t.kind == "leaf" else t.label) != name:
                continue
            flip = t.kind == "leaf" and t.transposed
            labels = (t.col_labels, t.row_labels) if flip else (t.row_labels, t.col_labels)
            shape = tuple(t.shape[::-1]) if flip else tuple(t.shape)
            h = vocab.own_highlight(name, given[name], child, where, labels, shape)
            own[id(t)] = h.transposed() if flip else h
    shown = {t.path: h.to_dict() for t, h in vocab.carry(root, own).items() if h}
    return given, shown
