"""Real MkDocs sites for browser tests: written and built with the plugin's fixture
helpers (tests/plugin/conftest.py), served from 127.0.0.1 by the browser conftest.

``build_material_site`` makes the mkdocs-material site the theme and navigation
tests use: instant navigation, a palette of the default scheme and a custom dark
one (``midnight``, listed in the plugin's ``dark_schemes``), no web fonts (every
request outside 127.0.0.1 is blocked), and pages A and B with figures, C without.
"""

from __future__ import annotations

from pathlib import Path

from tests.plugin.conftest import mkdocs_build, write_site

DARK_SCHEME = "midnight"  # a custom scheme name, dark only because dark_schemes says so

FIG_SMALL = "```mm\nexpr: A @ B\nnodes: {A: {shape: [8, 4]}, B: {shape: [4, 6]}}\n```\n"
FIG_BANDS = (
    "```mm\nexpr: L @ R\nnodes:\n"
    '  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}\n'
    '  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}\n```\n'
)
FIG_ATTN = (
    "```mm\nexpr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\n"
    "nodes: {Q: {shape: [16, 8]}, V: {shape: [16, 8]}}\n```\n"
)
FIG_ANIM = (
    "```mm\nexpr: A @ B @ C\nnodes: {A: {shape: [12, 8]}, C: {shape: [10, 6]}}\nanim: vmprod\n```\n"
)

# page -> (nav title, fences); the figures are short enough to all be near the screen.
PAGES = {
    "index.md": ("Page A", [FIG_BANDS, FIG_SMALL]),
    "b.md": ("Page B", [FIG_ATTN, FIG_ANIM, FIG_SMALL]),
    "c.md": ("Page C", []),
}

PALETTE = [
    {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Switch to dark"}},
    {"scheme": DARK_SCHEME, "toggle": {"icon": "material/brightness-4", "name": "Switch to light"}},
]


def material_config(site_url: str, height: int = 260) -> dict:
    return {
        "site_url": site_url,
        "nav": [{title: rel} for rel, (title, _) in PAGES.items()],
        "theme": {
            "name": "material",
            "features": ["navigation.instant"],
            "palette": PALETTE,
            "font": False,  # no Google Fonts request
        },
        "plugins": [{"mm": {"dark_schemes": ["slate", DARK_SCHEME], "height": height}}],
    }


def page_markdown(title: str, fences) -> str:
    text = "# %s\n\nSome text.\n\n" % title
    return text + "\nA paragraph between figures.\n\n".join(fences)


def build_material_site(root: Path, site_url: str) -> Path:
    """Write and build the Material site under ``root``; returns its ``site/`` folder.

    ``site_url`` must be where the site will be served, port included: Material's
    instant navigation only takes over links that match its sitemap, and it
    matches them by protocol and host name but keeps the sitemap's port.
    """
    pages = {rel: page_markdown(title, fences) for rel, (title, fences) in PAGES.items()}
    write_site(root, pages, **material_config(site_url))
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def figure_counts() -> dict:
    """Nav title -> number of figures on that page."""
    return {title: len(fences) for title, fences in PAGES.values()}
