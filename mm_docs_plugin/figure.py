"""A figure from Python: an expression, numpy arrays and spec keys in; a scene, a fence,
a link, a poster, a self-contained HTML page or a notebook output out.

    from mm_docs_plugin import Figure
    fig = Figure("out = (h = relu(x @ W1)) @ W2", x=x, W1=W1, W2=W2, anim="vmprod")
    fig                      # in Jupyter, JupyterLab, VS Code: the interactive figure
    fig.fence("docs/mlp.md") # the ```mm fence for that page (arrays saved beside it)

Keyword arguments named after an input of the expression are its values (2-D, any
numeric array-like; stored as float32, as every figure holds them); the others are
spec keys (``anim``, ``seed``, ``nodes``, ``layout``…), validated by the same core and
with the same `SpecError`s as a fence. Arrays reach the core as ``.npy`` files: the
same ``data:`` path a fence takes, so a figure made here and its fence are one thing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from html import escape
from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np
import yaml

from .buildcache import BuildCache
from .core import DEFAULT_LIMITS, Scene, SpecError, build, parse_spec, url_fragment
from .core.language import expr as ex
from .core.spec.spec import Spec
from .core.spec.vocab import MAX_VALUES

_viewer_sent = False  # the first notebook output of a process carries the viewer
_outputs = 0  # figures shown by this process (their HTML ids)


class Figure:
    """One figure: validated on construction (a `SpecError` says what is wrong)."""

    def __init__(self, expr: str, *, base_dir: Optional[str] = None, **keys: Any) -> None:
        if not isinstance(expr, str):
            raise SpecError("the first argument is the expression, as text", field="expr")
        inputs = _input_names(expr)
        self.arrays: Dict[str, np.ndarray] = {}
        spec: Dict[str, Any] = {"expr": expr}
        for key, value in keys.items():
            if key in inputs and _array_like(value):
                self.arrays[key] = _matrix(key, value)
            else:
                spec[key] = value
        self._settings = spec
        # Data paths the caller writes resolve here; our arrays live in a folder of
        # their own and are named by absolute path.
        self._base_dir = base_dir or os.getcwd()
        self._folder = tempfile.mkdtemp(prefix="mm-docs-figure-")
        self.spec: Spec = parse_spec(self._internal(), self._base_dir)
        self._scene: Optional[Scene] = None
        self._outputs = BuildCache()  # html() again (a notebook re-displaying it): no rebuild

    # -- what it is
    @property
    def scene(self) -> Scene:
        """The built scene (values, layout, animation), made once."""
        if self._scene is None:
            self._scene = build(self.spec)
        return self._scene

    def _internal(self) -> Dict[str, Any]:
        # As the fence will say it (small arrays inline), so both build the same figure.
        return self._with_data(self._folder, absolute=True)

    def _with_data(
        self, folder: Optional[str], absolute: bool = False, where: str = "a link"
    ) -> Dict[str, Any]:
        """The spec as plain data: small arrays as ``values:``, the others as ``data:``
        paths of ``.npy`` files written into ``folder`` (None: there is nowhere to write
        them, so ``where`` cannot hold them)."""
        spec = {k: v for k, v in self._settings.items()}
        nodes = dict(spec.get("nodes") or {})
        # Inline the small arrays, smallest first, while the text stays within a
        # fence's limit (a number takes about 10 characters).
        budget = DEFAULT_LIMITS.max_text // 2
        for name, values in sorted(self.arrays.items(), key=lambda item: item[1].size):
            node = dict(nodes.get(name) or {})
            small = max(values.shape) <= MAX_VALUES and values.size * 12 <= budget
            if small:
                node["values"] = _shortest(values)
                budget -= values.size * 12
            else:
                if folder is None:
                    raise SpecError(
                        "%s holds %d×%d values: too many to write into %s"
                        % (name, values.shape[0], values.shape[1], where),
                        "inline: arrays up to %d×%d, about 800 numbers in all; %s"
                        % (
                            MAX_VALUES,
                            MAX_VALUES,
                            "give fence() the page's path: larger arrays are saved beside it"
                            if where == "a fence"
                            else "use fence(page) or save_html() for this figure",
                        ),
                        field=name,
                    )
                file = _save(values, folder, name)
                node["data"] = {"path": os.path.join(folder, file) if absolute else file}
            nodes[name] = node
        if nodes:
            spec["nodes"] = nodes
        return spec

    # -- outputs
    def fence(self, page: Optional[str] = None) -> str:
        """The ```` ```mm ```` fence for a Markdown page. Arrays too large to inline are
        saved as ``.npy`` files beside ``page`` (the .md file's path), where the fence
        finds them."""
        folder = os.path.dirname(os.path.abspath(page)) if page else None
        body = yaml.safe_dump(
            self._with_data(folder, where="a fence"), sort_keys=False, allow_unicode=True, width=100
        )
        return "```mm\n%s```\n" % body

    def url(self, base: str = "app.html") -> str:
        """A link to the full view with the spec in its ``#mm=`` fragment (arrays must be
        small enough to travel inline)."""
        return base + url_fragment(parse_spec(self._with_data(None), self._base_dir))

    def svg(self, theme: str = "dark") -> str:
        """The static picture (what a page shows before JavaScript), for ``theme``'s stage."""
        from .poster import render

        return render(self.scene, theme=theme)

    def html(self, *, viewer: bool = True) -> str:
        """The figure's placeholder with its scene and posters inline (``data:`` URLs),
        and, with ``viewer``, the viewer's code and styles inline too: no network."""
        from .fence import Context, Header, render

        global _outputs
        _outputs += 1
        ctx = Context(base_dir=self._base_dir, page="python", cache=self._outputs)
        source = yaml.safe_dump(self._internal(), sort_keys=False, width=100)
        # Unique per output: a notebook may show the same figure twice.
        fid = "mm-py-%s-%d" % (hashlib.sha256(source.encode()).hexdigest()[:8], _outputs)
        figure = render(source, ctx, Header(id=fid), 0)
        return (_viewer_tags() if viewer else "") + figure

    def save_html(self, path: str, title: str = "mm-docs figure") -> str:
        """One self-contained HTML file (opens offline, from disk); returns its path."""
        page = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>%s</title></head>\n<body>\n%s\n</body></html>\n" % (escape(title), self.html())
        )
        Path(path).write_text(page, encoding="utf-8")
        return str(path)

    def png(self, path: str, width: int = 688, height: Optional[int] = None) -> str:
        """A PNG of the interactive figure at its default view, drawn by the viewer in
        headless Chromium (needs the ``playwright`` package and a Chromium)."""
        from .snapshot import png

        return png(self, path, width, height)

    def _repr_html_(self) -> str:
        # Jupyter, JupyterLab, VS Code and nbconvert show this. The viewer goes into the
        # first output of the process only: later figures are mounted by that copy
        # (one WebGL context for the whole notebook). Where scripts are stripped, the
        # poster shows.
        global _viewer_sent
        first = not _viewer_sent
        _viewer_sent = True
        return self.html(viewer=first)

    def __repr__(self) -> str:
        return "Figure(%r)" % self.spec


def _input_names(expr: str) -> set:
    names, todo = set(), [ex.parse_expr(expr)]
    while todo:
        node = todo.pop()
        if isinstance(node, ex.Name):
            names.add(node.name)
        todo.extend(ex.children(node))
    return names


def _shortest(values: np.ndarray) -> list:
    """Nested lists of the shortest decimals that read back as the same float32s."""
    return [[float(str(v)) for v in row] for row in values]


def _array_like(value: Any) -> bool:
    return isinstance(value, np.ndarray) or (
        isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], (list, tuple))
    )


def _matrix(name: str, value: Any) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as e:
        raise SpecError("%s is not an array of numbers: %s" % (name, e), field=name) from None
    if array.dtype.kind not in "biuf":
        raise SpecError(
            "%s holds %s values; a figure shows real numbers" % (name, array.dtype),
            "give a float or int array",
            field=name,
        )
    if array.ndim != 2:
        raise SpecError(
            "%s is %d-D; a matrix is 2-D" % (name, array.ndim),
            "a row is x[None, :], a column x[:, None]",
            field=name,
        )
    if array.size == 0:
        raise SpecError("%s is empty (%d×%d)" % (name, *array.shape), field=name)
    return np.ascontiguousarray(array, dtype=np.float32)


def _save(values: np.ndarray, folder: str, name: str) -> str:
    """``name-<hash>.npy`` in ``folder`` (content-addressed: saving twice is free)."""
    digest = hashlib.sha256(values.tobytes() + str(values.shape).encode()).hexdigest()[:12]
    file = "%s-%s.npy" % ("".join(c if c.isalnum() else "_" for c in name), digest)
    path = os.path.join(folder, file)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        np.save(path, values)
    return file


def _viewer_tags() -> str:
    from .siteassets import ASSETS

    try:
        js = (ASSETS / "mm-viewer.js").read_text(encoding="utf-8")
        css = (ASSETS / "mm-viewer.css").read_text(encoding="utf-8")
    except OSError:
        raise SpecError(
            "the viewer bundle is missing from %s" % ASSETS,
            "reinstall mm-docs (pip install --force-reinstall mm-docs), or run make setup "
            "in a clone of the repository",
        ) from None
    # Inline module: the viewer guards against a second copy, so outputs may repeat it.
    return '<style>%s</style>\n<script type="module">%s</script>\n' % (
        css,
        js.replace("</script", "<\\/script"),
    )
