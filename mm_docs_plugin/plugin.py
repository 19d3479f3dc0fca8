"""MkDocs plugin entry point ``mm``: thin glue around the fence (`mm_docs_plugin.fence`).

It registers the ``mm`` fence with ``pymdownx.superfences``, tells the fence
where the current page is (so files land in ``site/assets/mm/`` and URLs are
page-relative), links the viewer from pages that have figures, and copies the
viewer's assets once, only when the site has a figure.
"""

from __future__ import annotations

import os
import shutil
from html import escape
from pathlib import Path
from typing import Optional, Set
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import fence
from .buildcache import BuildCache
from .core import Limits
from .corearchive import NAME as CORE_ARCHIVE
from .corearchive import core_archive
from .fence import log
from .sourcemap import fence_lines, fences

# The Pyodide release the browser runtime loads by default (an explicit indexURL,
# so Material's privacy plugin and self-hosting can rewrite or replace it).
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"
ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_FILES = (
    "mm-viewer.js",
    "mm-viewer.css",
    "mm-app.js",
    "mm-worker.js",
    "app.html",
    "mm-viewer.js.LEGAL.txt",
)
SITE_ASSETS = "assets/mm"  # inside site_dir


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
        data_dir = self.config.data_dir or (os.path.dirname(src) if src else None)
        fence.set_context(
            fence.Context(
                out_dir=Path(config.site_dir) / SITE_ASSETS,
                url_prefix=_prefix(page.file.dest_uri) + SITE_ASSETS + "/",
                base_dir=data_dir,
                page=page.file.src_uri,
                lines=fence_lines(raw),
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
        fence.set_context(None)
        return html

    def on_post_page(self, output, page, config):
        if not self.pages or (page.file.src_uri not in self.pages and not self.everywhere):
            return output
        head = _head_tags(_prefix(page.file.dest_uri), self.config)
        at = output.find("</head>")
        return output[:at] + head + output[at:] if at >= 0 else head + output

    def on_post_build(self, config):
        if not self.pages:
            return
        out = Path(config.site_dir) / SITE_ASSETS
        out.mkdir(parents=True, exist_ok=True)
        missing = [n for n in ASSET_FILES[:2] if not (ASSETS / n).is_file()]
        if missing:
            raise PluginError(
                "mm: the viewer bundle is missing (%s); run `make setup` (needs node and npm)"
                % ", ".join(missing)
            )
        for name in ASSET_FILES:
            if (ASSETS / name).is_file():
                shutil.copyfile(ASSETS / name, out / name)
        # The full view is a page of its own: it gets the same runtime settings.
        app = out / "app.html"
        if app.is_file():
            text = app.read_text(encoding="utf-8")
            tag = '<script type="module" src="mm-viewer.js"></script>'
            app.write_text(text.replace(tag, _viewer_script("", self.config)), encoding="utf-8")
        # The core for the browser's Python worker (live editing), from this very package.
        (out / CORE_ARCHIVE).write_bytes(core_archive())
        if self.everywhere:
            _link_404(Path(config.site_dir) / "404.html", config.site_url, self.config)
        local = _local_pyodide(self.config.pyodide, config)
        if local is not None:
            shutil.copytree(local, out / "pyodide", dirs_exist_ok=True)


def _link_404(page: Path, site_url: Optional[str], cfg) -> None:
    """Give Material's 404 page the viewer too: instant navigation can start there.

    MkDocs renders 404.html before any page (so before we know the site has
    figures), and serves it at any depth, so its URLs are absolute: from
    ``site_url``'s path, as Material's own links on that page are.
    """
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    at = html.find("</head>")
    if at < 0 or "mm-viewer.js" in html:
        return
    base = urlsplit(site_url or "/").path or "/"
    head = _head_tags(base if base.endswith("/") else base + "/", cfg)
    page.write_text(html[:at] + head + html[at:], encoding="utf-8")


def _prefix(dest_uri: str) -> str:
    """``../`` once per folder between the page's HTML file and the site root."""
    return "../" * dest_uri.count("/")


def _local_pyodide(value: str, config) -> Optional[Path]:
    if "://" in value or value.startswith("//"):
        return None
    root = Path(config.config_file_path or ".").resolve().parent
    path = (root / value).resolve()
    if not path.is_dir():
        raise PluginError("mm: pyodide = %r is neither a URL nor a folder" % value)
    return path


def _head_tags(prefix: str, cfg) -> str:
    base_url = prefix + SITE_ASSETS + "/"
    css = '<link rel="stylesheet" href="%s">' % escape(base_url + "mm-viewer.css")
    return "%s\n%s\n" % (css, _viewer_script(base_url, cfg))


def _viewer_script(base_url: str, cfg) -> str:
    """The viewer's <script> tag; its data-mm-* attributes carry the plugin options
    the browser needs (the runtime reads them: pyodide_app/src/live.js)."""
    pyodide = cfg.pyodide
    if "://" not in pyodide and not pyodide.startswith("//"):
        pyodide = base_url + "pyodide/"
    attrs = {
        "type": "module",
        "src": base_url + "mm-viewer.js",
        "data-mm-pyodide": pyodide,
        "data-mm-runtime": cfg.runtime,
        "data-mm-max-elements": str(cfg.max_elements),
        "data-mm-dark-schemes": " ".join(cfg.dark_schemes),
        "data-mm-precompute": "true" if cfg.precompute else "false",
    }
    return "<script %s></script>" % " ".join('%s="%s"' % (k, escape(v)) for k, v in attrs.items())


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
