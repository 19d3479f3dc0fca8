"""Fixture sites built with the plugin: figures, assets, URLs, errors, determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from .conftest import GOOD, mkdocs_build

PAGES = {
    "index.md": "# Home\n\nNo figures.\n",
    "guide/figs.md": "# Figures\n\nText.\n\n" + GOOD,
    "top.md": "# Top\n\n" + GOOD,
}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str):
    p = _Tags()
    p.feed(html)
    return p.tags


def page_file(site: Path, rel: str, directory_urls: bool) -> Path:
    stem = rel[: -len(".md")]
    if stem == "index":
        return site / "index.html"
    return site / (stem + "/index.html" if directory_urls else stem + ".html")


def resolve(site: Path, page: Path, url: str) -> Path:
    """Resolve a page-relative URL the way a browser would, under a sub-path."""
    assert not urlparse(url).scheme and not url.startswith("/"), url
    base = "https://example.org/sub/path/" + page.relative_to(site).as_posix()
    full = urlparse(urljoin(base, url)).path
    assert full.startswith("/sub/path/"), (url, full)
    return site / full[len("/sub/path/") :]


def mm_urls(html: str):
    urls = []
    for tag, attrs in tags(html):
        if tag == "figure" and "mm-figure" in attrs.get("class", ""):
            urls.append(attrs["data-mm-scene"])
        elif (tag == "img" and "mm-poster" in attrs.get("class", "").split()) or (
            tag == "script" and "mm-viewer" in attrs.get("src", "")
        ):
            urls.append(attrs["src"])
        elif tag == "link" and (
            "mm-viewer" in attrs.get("href", "") or attrs.get("rel") == "preload"
        ):
            urls.append(attrs["href"])
    return urls


@pytest.mark.parametrize("directory_urls", [True, False])
def test_figures_assets_and_page_relative_urls(site, directory_urls):
    root = site(PAGES, site_url="https://example.org/sub/path/", use_directory_urls=directory_urls)
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    out = root / "site"
    figs = page_file(out, "guide/figs.md", directory_urls)
    html = figs.read_text("utf-8")
    figures = [a for t, a in tags(html) if t == "figure" and "mm-figure" in a.get("class", "")]
    assert len(figures) == 1
    assert figures[0]["data-mm-scene"].endswith(".mmsc")
    for theme in ("dark", "light"):  # a poster per palette, fetched only when shown
        assert re.search(r'<img class="mm-poster mm-poster-%s" src="[^"]+\.svg"' % theme, html)
    assert html.count('loading="lazy"') == 2
    scripts = [a for t, a in tags(html) if t == "script" and "mm-viewer.js" in a.get("src", "")]
    assert len(scripts) == 1 and scripts[0]["type"] == "module"
    for page in (figs, page_file(out, "top.md", directory_urls)):
        text = page.read_text("utf-8")
        urls = mm_urls(text)
        # scene, two posters, the viewer's script, stylesheet and modulepreload, the scene's preload
        assert len(urls) == 7, urls
        for url in urls:
            assert resolve(out, page, url).is_file(), (page, url)
        inline = re.findall(r"<script>(.*?)</script>", text, re.S)  # the theme's own only
        assert not [s for s in inline if "mm" in s], inline
    home = (out / "index.html").read_text("utf-8")
    assert "mm-viewer" not in home and "mm-figure" not in home
    assets = sorted(p.name for p in (out / "assets" / "mm").iterdir())
    assert "mm-viewer.js" in assets and "mm-viewer.css" in assets and "app.html" in assets
    # both pages hold the same spec: one scene file and a poster per palette, content-hashed
    assert len([a for a in assets if a.endswith(".mmsc")]) == 1
    assert len([a for a in assets if a.endswith(".svg")]) == 2


def test_preloads_only_on_pages_with_figures_and_for_the_urls_the_viewer_fetches(site):
    three = GOOD + "\n" + GOOD.replace("[4, 6]", "[4, 7]") + "\n" + GOOD.replace("[4, 6]", "[4, 8]")
    pages = {"index.md": "# Home\n\nNo figures.\n", "guide/figs.md": "# Figures\n\n" + three}
    root = site(pages, site_url="https://example.org/sub/path/")
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    out = root / "site"
    html = page_file(out, "guide/figs.md", True).read_text("utf-8")
    found = tags(html)
    scenes = [a["data-mm-scene"] for t, a in found if t == "figure"]
    assert len(set(scenes)) == 3, scenes
    links = [a for t, a in found if t == "link"]
    preloads = [a for a in links if a.get("rel") == "preload"]
    # the first two figures' scene files, exactly as the figures name them (the viewer
    # fetches new URL(data-mm-scene, document.baseURI)), in CORS mode as fetch() asks
    assert [a["href"] for a in preloads] == scenes[:2]
    assert all(a["as"] == "fetch" and "crossorigin" in a for a in preloads), preloads
    script = next(a for t, a in found if t == "script" and "mm-viewer.js" in a.get("src", ""))
    assert [a["href"] for a in links if a.get("rel") == "modulepreload"] == [script["src"]]
    home = (out / "index.html").read_text("utf-8")
    assert "preload" not in home


def test_site_without_figures_gets_no_assets(site):
    root = site({"index.md": "# Home\n\n```python\nprint(1)\n```\n"})
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    assert not (root / "site" / "assets" / "mm").exists()
    assert "mm-viewer" not in (root / "site" / "index.html").read_text("utf-8")


BAD = "# Bad\n\nIntro line.\n\n- a list\n\n    ```mm\n    expr: A @ B\n    nodez: {}\n    ```\n"


def test_bad_fence_fails_strict_naming_file_line_column_hint(site):
    root = site({"index.md": "# Home\n", "deep/bad.md": BAD})
    r = mkdocs_build(root, "--strict")
    assert r.returncode != 0
    log = r.stdout + r.stderr
    # the bad key is on line 9 of bad.md, column 1 of the fence body
    assert "deep/bad.md:9:5" in log, log
    assert "nodez" in log and "hint: did you mean 'nodes'?" in log, log


def test_bad_fence_without_strict_shows_error_box(site):
    root = site({"index.md": "# Home\n", "deep/bad.md": BAD})
    r = mkdocs_build(root)
    assert r.returncode == 0, r.stderr
    html = (root / "site" / "deep" / "bad" / "index.html").read_text("utf-8")
    assert '<div class="mm-error" role="alert">' in html
    assert "unknown key &#x27;nodez&#x27;" in html
    assert '<pre class="mm-error-source"><code>expr: A @ B\nnodez: {}' in html
    assert "language-mm" not in html and 'class="mm"' not in html  # never a code block
    assert "mm-viewer.css" in html


def test_an_unquoted_header_option_fails_strict_instead_of_becoming_code(site):
    page = "# P\n\n```mm height=300\nexpr: A @ B\n```\n"
    r = mkdocs_build(site({"index.md": page}), "--strict")
    assert r.returncode != 0
    log = r.stdout + r.stderr
    assert "index.md:3: the fence header '```mm height=300' is not understood" in log, log
    assert 'quote option values (```mm height="300")' in log


def test_two_identical_fences_get_distinct_ids(site):
    page = "# P\n\n```mm\nexpr: A @ B\n```\n\ntext\n\n```mm\nexpr: A @ B\n```\n"
    root = site({"index.md": page})
    assert mkdocs_build(root, "--strict").returncode == 0
    html = (root / "site" / "index.html").read_text("utf-8")
    ids = re.findall(r'<figure class="mm-figure" id="([^"]+)"', html)
    assert len(ids) == 2 and ids[0] != ids[1], ids


def test_on_error_fail_aborts(site):
    root = site({"bad.md": BAD}, plugins=[{"mm": {"on_error": "fail"}}])
    r = mkdocs_build(root)
    assert r.returncode != 0
    assert "bad.md:9:5" in r.stdout + r.stderr


def test_conflicting_custom_fence_is_a_plugin_error(site):
    ext = [{"pymdownx.superfences": {"custom_fences": [{"name": "mm", "class": "mm"}]}}]
    root = site({"index.md": "# Home\n"}, markdown_extensions=ext)
    r = mkdocs_build(root)
    assert r.returncode != 0
    assert "already has a custom fence named 'mm'" in r.stdout + r.stderr


def test_data_paths_resolve_relative_to_the_page(site, tmp_path):
    import numpy as np

    fence = "```mm\nexpr: A @ B\nnodes: {A: {data: {path: a.npy}}, B: {shape: [3, 2]}}\n```\n"
    root = site({"index.md": "# Home\n", "sub/page.md": fence})
    np.save(root / "docs" / "sub" / "a.npy", np.arange(12.0).reshape(4, 3))
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    html = (root / "site" / "sub" / "page" / "index.html").read_text("utf-8")
    assert "A (4×3) @ B (3×2)" in html


def test_two_builds_are_byte_identical(site, tmp_path):
    root = site(PAGES)
    outputs = []
    for n in range(2):
        r = mkdocs_build(root, "--strict", "--no-directory-urls", "-d", str(tmp_path / ("o%d" % n)))
        assert r.returncode == 0, r.stderr
        out = tmp_path / ("o%d" % n)
        outputs.append(
            {
                p.relative_to(out).as_posix(): p.read_bytes()
                for p in out.rglob("*")
                if p.is_file()
                and (p.suffix in (".html", ".mmsc", ".svg"))
                and p.name != "sitemap.xml"
            }
        )
    assert outputs[0].keys() == outputs[1].keys()
    for key in outputs[0]:
        assert outputs[0][key] == outputs[1][key], key


def test_cache_is_used_on_the_second_build(site):
    root = site(PAGES)
    assert mkdocs_build(root, "--strict").returncode == 0
    cache = root / ".cache" / "mm-docs"
    entries = sorted(cache.iterdir())
    assert entries
    assert mkdocs_build(root, "--strict").returncode == 0
    assert sorted(cache.iterdir()) == entries


def test_precompute_false_ships_spec_and_poster_but_no_scene_file(site):
    root = site({"index.md": GOOD}, plugins=[{"mm": {"precompute": False}}])
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    html = (root / "site" / "index.html").read_text("utf-8")
    (fig,) = [a for t, a in tags(html) if t == "figure"]
    assert "data-mm-scene" not in fig  # the viewer computes it from data-mm-spec
    assert fig["data-mm-spec"]
    assets = root / "site" / "assets" / "mm"
    assert not list(assets.glob("*.mmsc"))
    assert len(list(assets.glob("*.svg"))) == 2  # dark and light posters
    (script,) = [a for t, a in tags(html) if t == "script" and "mm-viewer" in a.get("src", "")]
    assert script["data-mm-precompute"] == "false"


def test_precompute_false_with_runtime_never_is_a_config_error(site):
    root = site({"index.md": GOOD}, plugins=[{"mm": {"precompute": False, "runtime": "never"}}])
    r = mkdocs_build(root)
    assert r.returncode != 0
    assert (
        "mm: precompute: false leaves figures to the reader's browser, but runtime: never"
        in r.stderr
    )


def test_bare_superfences_snippet_names_page_line_and_column(tmp_path):
    """The fence without the plugin (the documented snippet) still reports where."""
    root = tmp_path / "bare"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: mm\n          class: mm\n"
        "          format: !!python/name:mm_docs_plugin.fence.fence_format\n"
        "          validator: !!python/name:mm_docs_plugin.fence.fence_validator\n"
    )
    (root / "docs" / "index.md").write_text(
        "# Page\n\nText.\n\n```mm\nexpr: A @ B\nnodes: {A: {init: bogus}}\n```\n"
    )
    r = mkdocs_build(root)
    assert "index.md:7:19: nodes.A.init must be one of" in r.stderr, r.stderr


def test_a_fence_in_an_admonition_reports_the_column_in_the_file(site):
    root = site(
        {
            "index.md": "# P\n\n!!! note\n\n    ```mm\n    expr: A @ B\n    nodes: {A: {init: bogus}}\n    ```\n"
        },
        markdown_extensions=["admonition"],
    )
    r = mkdocs_build(root)
    assert "index.md:7:23: nodes.A.init must be one of" in r.stderr, r.stderr


REMOTE = """# Remote

```mm
expr: x @ W
nodes:
  x: {shape: [8, 12]}
  W: {data: {url: "https://example.org/w.csv"}, shape: [12, 8]}
```
"""


def test_a_figures_notes_are_logged_by_every_build_cached_or_not(site):
    root = site({"index.md": REMOTE})
    note = "index.md: W: placeholder values; the data at https://example.org/w.csv was not fetched"
    for build in ("first", "cached"):
        r = mkdocs_build(root, "--strict", "--verbose")
        assert r.returncode == 0, r.stderr
        assert note in r.stdout + r.stderr, build
    assert any((root / ".cache" / "mm-docs").iterdir())  # the second build was a cached one
