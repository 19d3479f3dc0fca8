"""MkDocs plugin entry point ``mm``: thin glue around the fence (`mm_docs_plugin.fence`).

It registers the ``mm`` fence with ``pymdownx.superfences``, tells the fence
where the current page is (so files land in ``site/assets/mm/`` and URLs are
page-relative), links the viewer from pages that have figures, and copies the
viewer's assets once, only when the site has a figure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Set

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import citations, fence, siteassets, viewlinks
from .buildcache import BuildCache
from .core import Limits
from .fence import log
from .siteassets import PYODIDE_CDN, SITE_ASSETS
from .sourcemap import fence_indents, fence_lines, fences


class MmConfig(base.Config):
    on_error = c.Choice(("warn", "fail"), default="warn")
    pyodide = c.Type(str, default=PYODIDE_CDN)
    runtime = c.Choice(("eager", "visible", "interaction", "never"), default="interaction")
    max_elements = c.Type(int, default=4_000_000)
    height = c.Type(int, default=480)
    precompute = c.Type(bool, default=True)
    data_dir = c.Optional(c.Dir(exists=True))
    dark_schemes = c.ListOfItems(c.Type(str), default=["slate"])
    cache = c.Type(bool, default=True)


class MmPlugin(BasePlugin[MmConfig]):
    """Turns ```` ```mm ```` fences into interactive figures.

    | option | default | what it does |
    |---|---|---|
    | `on_error` | `warn` | `warn`: log a warning (fatal under `--strict`) and show an error box; `fail`: abort the build |
    | `pyodide` | pinned jsDelivr URL | Pyodide `indexURL` for in-browser editing: a URL, or a local folder copied into the site |
    | `runtime` | `interaction` | when the browser starts Pyodide: `eager`, `visible`, `interaction`, `never` |
    | `max_elements` | `4000000` | cap on the elements of all matrices of one figure |
    | `height` | `480` | default figure height in CSS pixels (a fence's `height:` wins) |
    | `precompute` | `true` | ship each figure's computed scene file; `false`: ship only its spec and poster, and compute it in the reader's browser (smaller sites; needs `runtime` other than `never`) |
    | `data_dir` | page folder | folder that relative data paths resolve against |
    | `dark_schemes` | `[slate]` | Material palette scheme names drawn with the dark colours |
    | `cache` | `true` | keep built figures under `.cache/mm-docs/` next to mkdocs.yml |
    """

    def __init__(self) -> None:
        super().__init__()
        self.memory = BuildCache()  # survives `mkdocs serve` rebuilds (on_startup below)
        self.pages: Set[str] = set()
        self.everywhere = False
        self.cites = []  # the current page's citations of read-outs (citations.mark)
        self.view_links = []  # the current page's links to named views (viewlinks)

    def on_startup(self, *, command, dirty) -> None:
        """Present so MkDocs keeps this instance (and its cache) across serve rebuilds."""

    def on_config(self, config):
        if not self.config.precompute and self.config.runtime == "never":
            raise PluginError(
                "mm: precompute: false leaves figures to the reader's browser, but runtime: never "
                "turns the browser's Python off; set runtime (e.g. interaction) or precompute: true"
            )
        _register_fence(config)
        folder = None
        if self.config.cache and config.config_file_path:
            folder = Path(config.config_file_path).resolve().parent / ".cache" / "mm-docs"
        self.memory.folder = folder
        self.limits = Limits(max_elements=self.config.max_elements)
        self.pages = set()
        self.scene_urls = {}  # page src_uri -> its scene files' URLs (the head's preloads)
        theme = config.theme
        instant = "navigation.instant" in (theme.get("features") or [])
        # Instant navigation swaps page bodies without running <head> scripts again:
        # the viewer must already be there when a page with figures is reached.
        self.everywhere = theme.name == "material" and instant
        return config

    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.abs_src_path
        try:
            raw = Path(src).read_text(encoding="utf-8-sig") if src else markdown
        except OSError:
            raw = markdown
        for f in fences(raw):
            problem = fence.unread_header(f.opening)
            if problem:
                log.warning("%s:%d: %s", page.file.src_uri, f.line, problem)
        markdown, self.cites = citations.mark(markdown, raw, page.file.src_uri)
        self.view_links = viewlinks.view_links(raw)
        data_dir = self.config.data_dir or (os.path.dirname(src) if src else None)
        fence.set_context(
            fence.Context(
                out_dir=Path(config.site_dir) / SITE_ASSETS,
                url_prefix=siteassets.prefix(page.file.dest_uri) + SITE_ASSETS + "/",
                base_dir=data_dir,
                page=page.file.src_uri,
                lines=fence_lines(raw),
                indents=fence_indents(raw),
                on_error=self.config.on_error,
                limits=self.limits,
                height=self.config.height,
                precompute=self.config.precompute,
                cache=self.memory,
            )
        )
        return markdown

    def on_page_content(self, html, page, config, files):
        ctx = fence._current
        if ctx is not None and (ctx.figures or ctx.errors):
            self.pages.add(page.file.src_uri)
        # Read now: on_post_page runs after every page's content, when the fence's
        # context is another page's.
        self.scene_urls[page.file.src_uri] = list(ctx.scene_urls) if ctx is not None else []
        if self.cites:
            html = self._cite(html, page, ctx)
        anchors = getattr(page, "present_anchor_ids", None)
        if ctx is not None and isinstance(anchors, set):
            # The fence writes an anchor per view (#ID:VIEW), but after MkDocs collected
            # the page's raw HTML ids: tell its anchor validation about them.
            anchors.update("%s:%s" % (f, v) for f, names in ctx.views.items() for v in names)
        for link in self.view_links:
            problem = viewlinks.check(link, ctx.views if ctx else {})
            if problem:
                self._warn(page, link.line, link.column, *problem)
        self.view_links = []
        fence.set_context(None)
        return html

    def _cite(self, html, page, ctx):
        """Numbers for the page's citations; a bad one warns at page:line:column."""
        html, errors = citations.fill(html, self.cites, ctx.readouts if ctx else {})
        self.cites = []
        for cite, err in errors:
            self._warn(page, cite.line, cite.column, err.message, err.hint)
        return html

    def _warn(self, page, line, column, message, hint=None):
        """A bad citation or view link: a warning at page:line:column (fatal if strict)."""
        text = "%s:%d:%d: %s" % (page.file.src_uri, line, column, message)
        if hint:
            text += " — hint: " + hint
        if self.config.on_error == "fail":
            raise PluginError(text)
        log.warning(text)

    def on_post_page(self, output, page, config):
        if not self.pages or (page.file.src_uri not in self.pages and not self.everywhere):
            return output
        src = page.file.src_uri
        head = siteassets.head_tags(
            siteassets.prefix(page.file.dest_uri),
            self.config,
            figures=src in self.pages,
            scenes=self.scene_urls.get(src, ()),
        )
        at = output.find("</head>")
        return output[:at] + head + output[at:] if at >= 0 else head + output

    def on_post_build(self, config):
        if self.pages:
            siteassets.emit(config, self.config, link_404=self.everywhere)


def _register_fence(config) -> None:
    # MkDocs' built-in fenced_code is fine: SuperFences registers after it, under
    # the same name, and replaces it.
    exts = config.markdown_extensions
    if "pymdownx.superfences" not in exts:
        exts.append("pymdownx.superfences")
    settings = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = settings.setdefault("custom_fences", [])
    ours = {
        "name": "mm",
        "class": "mm",
        "format": fence.fence_format,
        "validator": fence.fence_validator,
    }
    for entry in fences:
        if entry.get("name") in ("mm", "*"):
            if entry.get("format") is fence.fence_format:
                return  # the documented snippet: already ours
            raise PluginError(
                "mm: pymdownx.superfences already has a custom fence named %r (format %r); "
                "remove it so the mm plugin can register its own"
                % (entry.get("name"), entry.get("format"))
            )
    fences.append(ours)
