"""The files a site with figures gets: the viewer's assets, the core archive for
live editing, and the tags that link the viewer from a page's ``<head>``.

URLs are page-relative (sites are served from sub-paths); the viewer's ``<script>``
tag carries the plugin options the browser needs as ``data-mm-*`` attributes.
"""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from .corearchive import NAME as CORE_ARCHIVE
from .corearchive import core_archive

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
# A page's first scene files preloaded from its <head>: the figures a reader sees first.
# More would compete with the viewer's own download for a reader on a slow link.
PRELOAD_SCENES = 2


def emit(config, cfg, link_404: bool) -> None:
    """Copy the viewer's assets into ``site/assets/mm/`` (once, for a site with figures),
    with the core archive for live editing and, if configured, a local Pyodide."""
    out = Path(config.site_dir) / SITE_ASSETS
    out.mkdir(parents=True, exist_ok=True)
    missing = [n for n in ASSET_FILES[:2] if not (ASSETS / n).is_file()]
    if missing:
        raise PluginError(
            "mm: the viewer bundle is missing from %s (%s). In a clone of the repository, "
            "run `make setup` (needs Node.js 20+ and npm); an installed mm-docs always has "
            "it, so reinstall it: `pip install --force-reinstall mm-docs`"
            % (ASSETS, ", ".join(missing))
        )
    for name in ASSET_FILES:
        if (ASSETS / name).is_file():
            shutil.copyfile(ASSETS / name, out / name)
    # Which posters Material's schemes show: the site's dark_schemes, after the
    # default's rules in the stylesheet (CSS cannot read data-mm-dark-schemes).
    with open(out / "mm-viewer.css", "a", encoding="utf-8") as f:
        f.write("\n" + scheme_css(cfg.dark_schemes))
    # The full view is a page of its own: it gets the same runtime settings.
    app = out / "app.html"
    if app.is_file():
        text = app.read_text(encoding="utf-8")
        tag = '<script type="module" src="mm-viewer.js"></script>'
        app.write_text(text.replace(tag, viewer_script("", cfg)), encoding="utf-8")
    # The core for the browser's Python worker (live editing), from this very package.
    (out / CORE_ARCHIVE).write_bytes(core_archive())
    if link_404:
        _link_404(Path(config.site_dir) / "404.html", config.site_url, cfg)
    local = _local_pyodide(cfg.pyodide, config)
    if local is not None:
        shutil.copytree(local, out / "pyodide", dirs_exist_ok=True)


def scheme_css(dark_schemes) -> str:
    """viewer.css rules showing, under Material, the light poster for every scheme but
    ``dark_schemes`` (as figure/theme.js's decideTheme does for the figure)."""
    out = ["/* Material's schemes: the light poster but for dark_schemes (siteassets.py) */"]
    rule = "%s figure.mm-figure > .mm-poster-%s { display: %s; }"
    for scheme, dark in [(None, False)] + [(s, True) for s in dark_schemes if s]:
        page = "[data-md-color-scheme%s]" % ("=" + _css_string(scheme) if scheme else "")
        out.append(rule % (page, "dark", "block" if dark else "none"))
        out.append(rule % (page, "light", "none" if dark else "block"))
    return "\n".join(out) + "\n"


def _css_string(text: str) -> str:
    """A double-quoted CSS string: anything but letters, digits, - and _ hex-escaped."""
    return '"%s"' % re.sub(r"[^A-Za-z0-9_-]", lambda m: "\\%x " % ord(m.group()), text)


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
    head = head_tags(base if base.endswith("/") else base + "/", cfg)
    page.write_text(html[:at] + head + html[at:], encoding="utf-8")


def prefix(dest_uri: str) -> str:
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


def head_tags(prefix: str, cfg, figures: bool = False, scenes: Sequence[str] = ()) -> str:
    """The viewer's stylesheet and script; on a page with ``figures``, preloads first
    (``preload_tags``, for the page's scene files ``scenes``)."""
    base_url = prefix + SITE_ASSETS + "/"
    tags = [preload_tags(base_url + "mm-viewer.js", scenes)] if figures else []
    tags.append('<link rel="stylesheet" href="%s">' % escape(base_url + "mm-viewer.css"))
    tags.append(viewer_script(base_url, cfg))
    return "\n".join(tags) + "\n"


def preload_tags(viewer_url: str, scenes: Sequence[str] = ()) -> str:
    """What a page with figures asks for before it has run any script.

    The viewer module is fetched and compiled while the HTML is still read
    (``modulepreload``), and the page's first ``PRELOAD_SCENES`` scene files are fetched
    at once instead of after the viewer has run and seen their figures near the screen.
    ``crossorigin`` makes a preload's request the viewer's own (``fetch(url)`` in
    figure.js: CORS mode, same-origin credentials); without it the browser would fetch
    each file twice.  URLs are as the figures name them (page-relative), so both resolve
    alike.
    """
    tags = ['<link rel="modulepreload" href="%s">' % escape(viewer_url)]
    for url in scenes[:PRELOAD_SCENES]:
        tags.append('<link rel="preload" href="%s" as="fetch" crossorigin>' % escape(url))
    return "\n".join(tags)


def viewer_script(base_url: str, cfg) -> str:
    """The viewer's <script> tag; its data-mm-* attributes carry the plugin options
    the browser needs (the runtime reads them: pyodide_app/src/live/pageruntime.js)."""
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
