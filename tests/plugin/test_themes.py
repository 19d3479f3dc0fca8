"""The same fixture pages built under the mkdocs, readthedocs and material themes.

Material runs with instant navigation and a two-scheme palette whose dark scheme has
a custom name.  Each site has a sub-path ``site_url`` and nested pages, built with
and without directory URLs.  Checked per theme: which pages link the viewer (and
from where in the page), the dark scheme names it is given, the figure markup exactly
as the fence wrote it inside the theme's content area, and that every URL into
``assets/mm/`` resolves to an emitted file and every emitted figure file is used.
The default theme's basics (one scene and poster per spec, no inline scripts, no
assets without figures) are in test_build.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from mm_docs_plugin import fence
from mm_docs_plugin.siteassets import ASSETS, SITE_ASSETS, scheme_css

from .conftest import GOOD, mkdocs_build, write_site
from .test_build import page_file, resolve, tags

SITE_URL = "https://example.org/sub/path/"
ATTN = (
    "```mm\nexpr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\n"
    "nodes: {Q: {shape: [16, 8]}, V: {shape: [16, 8]}}\n"
    "caption: causal <attention> & values\n```\n"
)
CHAIN = (
    "```mm\nexpr: A @ B @ C\nnodes: {A: {shape: [6, 4]}, C: {shape: [5, 3]}}\nanim: vmprod\n```\n"
)
FENCES = {"good": GOOD, "attn": ATTN, "chain": CHAIN}
# Pages and the fences on each, in order; the deepest page holds two.
LAYOUT = {
    "index.md": [],
    "sub/plain.md": [],
    "sub/folder/page.md": ["good", "chain"],
    "top.md": ["attn"],
}
PALETTE = [
    {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
    {"scheme": "midnight", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
]
THEMES = {
    "mkdocs": {"theme": {"name": "mkdocs"}},
    "readthedocs": {"theme": {"name": "readthedocs"}},
    "material": {
        "theme": {"name": "material", "features": ["navigation.instant"], "palette": PALETTE},
        "plugins": [{"mm": {"dark_schemes": ["slate", "midnight"]}}],
    },
}
# Where each theme puts the page's Markdown: figures must land after it.
CONTENT_START = {
    "mkdocs": '<div class="col-md-9" role="main">',
    "readthedocs": '<div class="section" itemprop="articleBody">',
    "material": '<article class="md-content__inner md-typeset">',
}
DARK = {"mkdocs": "slate", "readthedocs": "slate", "material": "slate midnight"}


def pages_text(with_figures: bool = True) -> dict:
    out = {}
    for rel, names in LAYOUT.items():
        body = "# %s\n\nSome text.\n\n" % rel
        if with_figures:
            body += "\nA paragraph between figures.\n\n".join(FENCES[n] for n in names)
        else:
            body += "```python\nprint('no figures')\n```\n"
        out[rel] = body
    return out


def build_site(root: Path, theme: str, directory_urls: bool, with_figures: bool = True) -> Path:
    if theme == "material":
        pytest.importorskip("material", reason="mkdocs-material is a dev dependency")
    cfg = {"site_url": SITE_URL, "use_directory_urls": directory_urls, **THEMES[theme]}
    write_site(root, pages_text(with_figures), **cfg)
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    return root / "site"


@pytest.fixture(
    scope="module",
    params=[(t, d) for t in THEMES for d in (True, False)],
    ids=lambda p: "%s-%s" % (p[0], "dirurls" if p[1] else "flat"),
)
def built(request, tmp_path_factory):
    theme, directory_urls = request.param
    root = tmp_path_factory.mktemp("theme-%s" % theme)
    return theme, directory_urls, build_site(root, theme, directory_urls)


def viewer_tags(html: str):
    scripts = [a for t, a in tags(html) if t == "script" and "mm-viewer" in a.get("src", "")]
    links = [a for t, a in tags(html) if t == "link" and "mm-viewer" in a.get("href", "")]
    return scripts, links


def test_viewer_is_linked_in_head_with_page_relative_urls(built):
    theme, directory_urls, out = built
    for rel, names in LAYOUT.items():
        page = page_file(out, rel, directory_urls)
        html = page.read_text("utf-8")
        scripts, links = viewer_tags(html)
        preloads = [a["href"] for a in links if a.get("rel") == "modulepreload"]
        links = [a for a in links if a.get("rel") != "modulepreload"]
        # Instant navigation swaps bodies without running <head> again: the viewer
        # must be on every page a reader can enter by, figures or not.
        if not names and theme != "material":
            assert not scripts and not links, page
            assert "mm-viewer" not in html and "mm-figure" not in html, page
            continue
        assert len(scripts) == 1 and len(links) == 1, (page, scripts, links)
        script, link = scripts[0], links[0]
        assert script["type"] == "module"
        assert link["rel"] == "stylesheet"
        # the viewer fetched early only where a page has figures to show
        assert preloads == ([script["src"]] if names else []), (page, preloads)
        assert resolve(out, page, script["src"]) == out / SITE_ASSETS / "mm-viewer.js"
        assert resolve(out, page, link["href"]) == out / SITE_ASSETS / "mm-viewer.css"
        head_end = html.index("</head>")
        assert html.index('src="%s"' % script["src"]) < head_end
        assert html.index('href="%s"' % link["href"]) < head_end
        assert script["data-mm-dark-schemes"] == DARK[theme]
        if theme == "material":  # the palette the viewer watches really has that scheme
            schemes = {a.get("data-md-color-scheme") for t, a in tags(html)} - {None}
            assert {"default", "midnight"} <= schemes, page
        assert script["data-mm-pyodide"].startswith("https://")
        assert script["data-mm-runtime"] == "interaction"


def test_figure_markup_is_exactly_the_fences_inside_the_content(built, tmp_path):
    theme, directory_urls, out = built
    for rel, names in LAYOUT.items():
        page = page_file(out, rel, directory_urls)
        html = page.read_text("utf-8")
        prefix = "../" * page.relative_to(out).as_posix().count("/")
        url_prefix = prefix + SITE_ASSETS + "/"
        ctx = fence.Context(
            out_dir=tmp_path / "expected", url_prefix=url_prefix, height=480, page=rel
        )
        bodies = [_body(FENCES[n]) for n in names]
        expected = [
            fence.render(body, ctx, occurrence=bodies[:k].count(body))
            for k, body in enumerate(bodies)
        ]
        found = re.findall(r'<figure class="mm-figure".*?</figure>', html, re.S)
        assert found == expected, page
        if expected:
            start = html.index(CONTENT_START[theme])
            assert start < html.index(expected[0]), (theme, page)
        assert "mm-error" not in html and "language-mm" not in html


def _body(fenced: str) -> str:
    """The fence's body, as SuperFences hands it to the formatter."""
    return fenced.split("\n", 1)[1].rsplit("```", 1)[0].rstrip("\n")


def test_every_assets_mm_url_resolves_and_every_figure_file_is_used(built):
    out = built[2]
    assets = out / SITE_ASSETS
    used = set()
    for page in out.rglob("*.html"):
        if assets in page.parents or page == out / "404.html":
            continue  # 404.html is served at any depth: absolute URLs, tested below
        html = page.read_text("utf-8")
        for tag, attrs in tags(html):
            for name, value in attrs.items():
                if value and SITE_ASSETS + "/" in value:
                    target = resolve(out, page, value)
                    assert target.is_file(), (page, tag, name, value)
                    used.add(target)
    figure_files = {p for p in assets.iterdir() if p.suffix in (".mmsc", ".svg")}
    # three distinct specs: one scene file and two posters (dark, light) each, all referenced
    assert len(figure_files) == 9
    assert figure_files <= used


def test_the_site_stylesheet_shows_posters_by_its_dark_schemes(built):
    """Material's scheme picks the poster before any script: viewer.css carries the
    default dark_schemes' rules, the site's copy ends with its own, which win."""
    theme, _, out = built
    shipped = (ASSETS / "mm-viewer.css").read_text("utf-8")
    assert scheme_css(["slate"]) in shipped
    site = (out / SITE_ASSETS / "mm-viewer.css").read_text("utf-8")
    assert site.startswith(shipped)
    assert site.endswith(scheme_css(DARK[theme].split()))


def test_scheme_names_are_escaped_in_the_stylesheet():
    css = scheme_css(['a"b c}'])
    assert css.count('[data-md-color-scheme="a\\22 b\\20 c\\7d "] figure.mm-figure') == 2
    assert css.count("{") == css.count("}") == 4  # no brace got through


@pytest.mark.parametrize("theme", ["readthedocs", "material"])
def test_no_figures_no_assets_under_any_theme(tmp_path, theme):
    out = build_site(tmp_path / "site-src", theme, directory_urls=True, with_figures=False)
    assert not (out / SITE_ASSETS).exists()
    for page in out.rglob("*.html"):
        assert "mm-viewer" not in page.read_text("utf-8"), page


def test_material_404_page_links_the_viewer_by_absolute_urls(built):
    """A reader can land on 404.html and navigate instantly to a page with figures."""
    theme, _, out = built
    html = (out / "404.html").read_text("utf-8")
    scripts, links = viewer_tags(html)
    if theme != "material":
        assert not scripts and not links  # full page loads bring the viewer where needed
        return
    assert [s["src"] for s in scripts] == ["/sub/path/assets/mm/mm-viewer.js"]
    assert [x["href"] for x in links] == ["/sub/path/assets/mm/mm-viewer.css"]
    assert html.index("mm-viewer.js") < html.index("</head>")


def test_live_editing_assets_are_emitted_with_the_viewer(built):
    _, _, out = built
    assets = out / SITE_ASSETS
    assert (assets / "mm-worker.js").stat().st_size > 1000
    with zipfile.ZipFile(assets / "mm-core.zip") as zf:
        names = zf.namelist()
    assert "mm_docs_plugin/core/live.py" in names
    assert "mm_docs_plugin/plugin.py" not in names  # MkDocs is not in the browser
    app = (assets / "app.html").read_text("utf-8")
    (script,) = [a for t, a in tags(app) if t == "script" and a.get("src") == "mm-viewer.js"]
    assert script["data-mm-runtime"] == "interaction"  # the full view gets the site's options
    assert script["data-mm-pyodide"].startswith("https://cdn.jsdelivr.net/pyodide/v")
