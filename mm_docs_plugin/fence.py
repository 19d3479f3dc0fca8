"""The ```` ```mm ```` fence: a SuperFences custom fence that works with or without the plugin.

Without the plugin (Zensical, bare Python-Markdown), configure it yourself::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: mm
              class: mm
              format: !!python/name:mm_docs_plugin.fence.fence_format
              validator: !!python/name:mm_docs_plugin.fence.fence_validator

and load ``mm-viewer.js`` (``type="module"``) and ``mm-viewer.css`` from
``mm_docs_plugin/assets``.  Alone, the fence has no site folder to write to, so
each figure carries its scene file and poster as ``data:`` URLs.  The plugin
sets a `Context` per page instead: files go into the site's ``assets/mm/``
under content-hash names, linked page-relative.

A bad fence never silently becomes a code block: the formatter logs a warning
on the ``mkdocs.plugins.mm`` logger (so ``mkdocs build --strict`` fails) naming
the page, the line and column in the .md file, the message and the hint, and
renders a visible error box.  With ``on_error="fail"`` it raises instead.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import weakref
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from pymdownx.superfences import RE_NESTED_FENCE_START, SuperFencesException

from .buildcache import BuildCache, Entry, cache_key
from .core import DEFAULT_LIMITS, Limits, SpecError, build, parse_spec
from .core.errors import did_you_mean
from .core.language.fence_yaml import from_python
from .core.language.schema import check_value
from .core.scene.pack import unpack
from .core.spec.spec import FIGURE
from .figure_html import figure_html, figure_id
from .poster import render_themes as render_posters
from .readouts_html import readouts_html, views_html
from .sourcemap import body_key, fence_indents, fence_lines, fence_start

try:  # MkDocs ≥ 1.5 prefixes messages with "mm: "
    from mkdocs.plugins import get_plugin_logger

    log = get_plugin_logger("mm")
except ImportError:  # pragma: no cover - the fence without MkDocs
    log = logging.getLogger("mkdocs.plugins.mm")

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover
    PluginError = RuntimeError  # type: ignore[misc,assignment]

SCENE_SLOT, POSTER_SLOT, ID_SLOT = "\x00mm-scene\x00", "\x00mm-poster\x00", "\x00mm-id\x00"
LIGHT_POSTER_SLOT = "\x00mm-poster-light\x00"
# Options a fence header may carry: ```mm height=300, or {.mm #id .class height=300}
# with the attr_list extension (the id and classes reach the formatter separately).
HEADER_OPTIONS = {"height": FIGURE.by_name["height"]}


class FenceError(PluginError, SuperFencesException):
    """A bad fence under ``on_error: fail``: SuperFences lets it through, MkDocs aborts cleanly."""


@dataclass
class Context:
    """What the formatter knows about the page it is on (set by the plugin, per page)."""

    out_dir: Optional[Path] = None  # None: inline data: URLs
    url_prefix: str = ""  # page-relative URL of out_dir, ending in "/"
    base_dir: Optional[str] = None  # where data paths resolve
    page: str = "<markdown>"  # the page's source path, for messages and ids
    lines: Dict[str, List[int]] = field(default_factory=dict)  # fence body -> opening lines
    indents: Dict[str, List[int]] = field(default_factory=dict)  # fence body -> indentations
    on_error: str = "warn"
    limits: Limits = DEFAULT_LIMITS
    height: Optional[int] = None  # default figure height (the spec's own wins)
    cache: Optional[BuildCache] = None
    precompute: bool = True  # False: no scene file; the browser computes the figure
    figures: int = 0
    errors: int = 0
    seen: Dict[str, int] = field(default_factory=dict)  # fence body -> fences so far
    # figure id -> its scene's read-outs ([] without), for the prose's citations
    readouts: Dict[str, List[dict]] = field(default_factory=dict)
    views: Dict[str, List[str]] = field(default_factory=dict)  # figure id -> its views' names
    # page-relative URLs of the scene files written, in page order (the head's preloads)
    scene_urls: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class Header:
    """What a fence's header says: options, and with attr_list an id and classes."""

    height: Optional[int] = None
    id: Optional[str] = None
    classes: Tuple[str, ...] = ()


_current: Optional[Context] = None
# Without the plugin, one context per Markdown instance (MkDocs and markdown.markdown()
# make one per page), so identical fences on a page still get distinct ids.
_alone: weakref.WeakKeyDictionary[Any, Context] = weakref.WeakKeyDictionary()


def set_context(ctx: Optional[Context]) -> None:
    global _current
    _current = ctx


def _context(md: Any) -> Context:
    if _current is not None:
        return _current
    if md is None:
        return Context()
    ctx = _alone.get(md)
    if ctx is None:
        ctx = _alone[md] = _standalone_context(md)
    return ctx


def _standalone_context(md: Any) -> Context:
    """Without the plugin, MkDocs still says which page this is: its ``relpath``
    treeprocessor holds the page's File. Name the page in messages, map fence lines
    from its source (errors at page:line:column), and resolve data paths beside it."""
    ctx = Context()
    try:
        page = md.treeprocessors["relpath"].file
    except (AttributeError, KeyError, TypeError):
        return ctx  # plain Python-Markdown: no page to name
    ctx.page = str(getattr(page, "src_uri", None) or ctx.page)
    src = getattr(page, "abs_src_path", None)
    if src:
        try:
            raw = Path(src).read_text(encoding="utf-8-sig")
            ctx.lines, ctx.indents = fence_lines(raw), fence_indents(raw)
            ctx.base_dir = str(Path(src).parent)
        except OSError:
            pass
    return ctx


def fence_validator(language, inputs, options, attrs, md) -> bool:
    """Accept every ``mm`` fence and keep its header options for the formatter.

    Refusing here (returning False) would make SuperFences render the fence as a
    plain code block without a word, so the formatter checks the options instead and
    reports an unknown or bad one as a visible error, like any other spec error.
    """
    options.update(inputs)
    return True


def fence_format(source, language="mm", class_name="mm", options=None, md=None, **kwargs) -> str:
    """SuperFences formatter: a figure placeholder, or a visible error box."""
    ctx = _context(md)
    occurrence = ctx.seen.get(source, 0)
    ctx.seen[source] = occurrence + 1
    try:
        header = read_header(options or {}, kwargs.get("id_value"), kwargs.get("classes"))
        html = render(source, ctx, header, occurrence)
    except SpecError as err:
        return _failed(err, source, ctx, occurrence)
    except SuperFencesException:
        raise
    except Exception as exc:
        raise SuperFencesException("mm fence on %s: %s" % (ctx.page, exc)) from exc
    ctx.figures += 1
    return html


def unread_header(opening: str) -> Optional[str]:
    """Why SuperFences will not treat this ``mm`` fence opening as a figure, or None.

    An option without quotes (```mm height=300) makes SuperFences show the whole
    fence as inline code, without a word; the plugin reports it instead.
    """
    m = RE_NESTED_FENCE_START.match(opening)
    if m is None or not m.group("unrecognized"):
        return None
    return (
        "the fence header %r is not understood by SuperFences, so the fence is shown as "
        'code; quote option values (```mm height="300"), or use {.mm height=300} with '
        "the attr_list extension" % opening
    )


def read_header(options: Dict[str, Any], id_value: Optional[str], classes: Any) -> Header:
    """The fence header's options checked (values arrive as text), or a SpecError."""
    values = {}
    for key, text in options.items():
        f = HEADER_OPTIONS.get(key)
        if f is None:
            raise SpecError(
                "unknown option %r in the fence header" % key,
                (did_you_mean(key, list(HEADER_OPTIONS)) or "")
                + "; header options: %s, and {#id .class} with the attr_list extension"
                % ", ".join(HEADER_OPTIONS),
                field="header." + key,
            )
        number = int(text) if isinstance(text, str) and text.strip().isdigit() else text
        values[key] = check_value(f, from_python(number), "header." + key)
    return Header(
        height=values.get("height"),
        id=id_value or None,
        classes=tuple(c for c in (classes or ()) if c),
    )


def render(source: str, ctx: Context, header: Header = Header(), occurrence: int = 0) -> str:
    spec = parse_spec(source, ctx.base_dir, limits=ctx.limits)
    if header.height is not None and spec.figure.height is not None:
        raise SpecError(
            "the height is given twice: %d in the fence header and %d in the spec"
            % (header.height, spec.figure.height),
            "keep one of them",
            field="header.height",
        )
    height = header.height or spec.figure.height or ctx.height
    extra = "%r|%r|%r" % (ctx.limits, height, header.classes)
    key = cache_key(source, spec, ctx.base_dir, extra)
    entry = ctx.cache.get(key) if ctx.cache is not None else None
    if entry is None:
        entry = _build(spec, ctx, height, header.classes)
        if ctx.cache is not None:
            ctx.cache.put(key, entry)
    scene_bytes, dark, light, template = entry
    fig_id = header.id or figure_id(ctx.page, source, occurrence)
    scene_header = unpack(scene_bytes)[0]
    # Every build says what a figure warns about (e.g. placeholder values for remote
    # data), a cached one too: the notes come from the scene file, not from building it.
    for warning in scene_header.get("warnings", []):
        log.info("%s: %s", ctx.page, warning)
    ctx.readouts[fig_id] = scene_header.get("readouts", [])
    ctx.views[fig_id] = [v["name"] for v in scene_header.get("views", [])]
    template = template.replace(ID_SLOT, escape(fig_id))
    for slot, svg in ((POSTER_SLOT, dark), (LIGHT_POSTER_SLOT, light)):
        data = svg.encode("utf-8")
        if ctx.out_dir is None:
            url = "data:image/svg+xml;base64," + _b64(data)
        else:
            url = ctx.url_prefix + _write(ctx.out_dir, data, ".svg")
        template = template.replace(slot, escape(url))
    if ctx.out_dir is None:
        scene_url = "data:application/octet-stream;base64," + _b64(scene_bytes)
    else:
        if not ctx.precompute:
            # Validated and pictured at build time, computed by the reader's browser
            # (Figure.compute): the site ships no scene files.
            return template.replace(' data-mm-scene="%s"' % SCENE_SLOT, "")
        scene_url = ctx.url_prefix + _write(ctx.out_dir, scene_bytes, ".mmsc")
        ctx.scene_urls.append(scene_url)
    return template.replace(SCENE_SLOT, escape(scene_url))


def _build(spec, ctx: Context, height: Optional[int], classes: Tuple[str, ...]) -> Entry:
    scene = build(spec)
    html = figure_html(
        scene,
        SCENE_SLOT,
        POSTER_SLOT,
        figure_id=ID_SLOT,
        height=height,
        classes=classes,
        light_poster_url=LIGHT_POSTER_SLOT,
    )
    # An empty anchor per named view: links to #ID:VIEW point at something, so MkDocs'
    # anchor validation accepts them, and a page opened at one starts at the figure.
    for view in scene.views:
        html += '\n<span class="mm-view-anchor" id="%s:%s"></span>' % (
            ID_SLOT,
            escape(view["name"]),
        )
    for part in (views_html(scene.views, ID_SLOT), readouts_html(scene.readouts, ID_SLOT)):
        html += "\n" + part if part else ""
    posters = render_posters(scene)
    return scene.to_bytes(), posters["dark"], posters["light"], html


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _write(folder: Path, data: bytes, suffix: str) -> str:
    name = "mm-%s%s" % (hashlib.sha256(data).hexdigest()[:16], suffix)
    path = folder / name
    if not path.is_file() or path.stat().st_size != len(data):
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return name


def where(err: SpecError, source: str, ctx: Context, occurrence: int = 0) -> str:
    """``page.md:LINE:COL`` of the error in the Markdown file (or in the fence)."""
    start = fence_start(ctx.lines, source, occurrence)
    line = err.line or 0
    if start is not None:
        text = "%s:%d" % (ctx.page, start + line if line else start)
    else:
        text = "%s (fence line %d)" % (ctx.page, line) if line else ctx.page
    if err.line is not None and err.column is not None:
        indents = ctx.indents.get(body_key(source), [])
        shift = indents[occurrence] if start is not None and occurrence < len(indents) else 0
        text += ":%d" % (err.column + shift)
    return text


def _failed(err: SpecError, source: str, ctx: Context, occurrence: int = 0) -> str:
    ctx.errors += 1
    place = where(err, source, ctx, occurrence)
    field = " (%s)" % err.field if err.field and err.line is None else ""
    message = "%s: %s%s" % (place, err.message, field)
    if err.hint:
        message += " — hint: " + err.hint
    if ctx.on_error == "fail":
        raise FenceError(message) from err
    log.warning(message)
    return "\n".join(
        [
            '<div class="mm-error" role="alert">',
            '<p class="mm-error-title"><strong>This figure could not be built</strong> (%s)</p>'
            % escape(place),
            '<pre class="mm-error-message">%s</pre>' % escape(err.render(source)),
            '<pre class="mm-error-source"><code>%s</code></pre>' % escape(source),
            "</div>",
        ]
    )
