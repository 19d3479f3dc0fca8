"""The docs site's size: the whole `site/` folder and each page's own bytes, largest first.

    .venv/bin/python benchmarks/bench_site.py [SITE_DIR]   # builds site/ when no folder is given

A page's bytes are its HTML plus every figure file it references (scene files and posters
under `assets/mm/`, each counted once per page): what a reader who opens that page and
scrolls through it downloads on top of the files every page shares (Material's CSS and
JavaScript, the viewer bundle, the search index), which are printed once as "shared".
Target (issue 16, "Site"): every explainer page ≤ 10 MB except `EXEMPT` (the full-size
GPT-2-small layer, whose one figure is the size test of the scale work);
`tests/plugin/test_site_size.py` holds the built site to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple
from urllib.parse import unquote, urljoin

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 10 * 1000 * 1000  # bytes, per explainer page
# The one page allowed over LIMIT, by its URL path under the site: the full-size layer.
EXEMPT = frozenset({"explainers/whole-layer/"})

# Any attribute value that names a figure's own file: its scene file or a poster (the
# viewer's script and stylesheet under assets/mm/ are shared by every page).
_REF = re.compile(r'="([^"]*assets/mm/[^"]+\.(?:mmsc|svg))"')


def pages(site: Path) -> List[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts) + sorted(
        p for p in site.glob("*.html") if p.name != "index.html"
    )


def page_url(site: Path, html: Path) -> str:
    rel = html.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def page_files(site: Path, html: Path) -> List[Path]:
    """The figure files a page references, resolved against the page's own URL."""
    base = "/" + html.relative_to(site).as_posix()
    found = set()
    for ref in _REF.findall(html.read_text("utf-8")):
        path = urljoin(base, unquote(ref.split("#")[0].split("?")[0]))
        f = site / path.lstrip("/")
        if f.is_file():
            found.add(f)
    return sorted(found)


def measure(site: Path) -> List[Tuple[str, int, int, int]]:
    """(url, total bytes, HTML bytes, figure files) per page, largest first."""
    rows = []
    for html in pages(site):
        files = page_files(site, html)
        own = html.stat().st_size
        rows.append(
            (page_url(site, html), own + sum(f.stat().st_size for f in files), own, len(files))
        )
    return sorted(rows, key=lambda r: -r[1])


def over_limit(rows) -> Dict[str, int]:
    """Explainer pages over LIMIT that are not EXEMPT: url -> bytes."""
    return {
        url: total
        for url, total, _, _ in rows
        if url.startswith("explainers/") and url not in EXEMPT and total > LIMIT
    }


def site_bytes(site: Path) -> int:
    return sum(f.stat().st_size for f in site.rglob("*") if f.is_file())


def build(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=ROOT,
        check=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),  # MkDocs' banner says nothing of ours
    )


def report(site: Path) -> int:
    rows = measure(site)
    total = site_bytes(site)
    figure_bytes = sum(f.stat().st_size for f in (site / "assets" / "mm").glob("*") if f.is_file())
    print(
        "site %s: %.2f MB in all, %.2f MB of figure files" % (site, total / 1e6, figure_bytes / 1e6)
    )
    print("%10s  %9s  %5s  page" % ("bytes", "HTML", "files"))
    for url, size, own, n in rows:
        mark = "  (exempt)" if url in EXEMPT else ""
        print("%10d  %9d  %5d  %s%s" % (size, own, n, url or "/", mark))
    bad = over_limit(rows)
    for url, size in bad.items():
        print("OVER %.1f MB: %s is %.2f MB" % (LIMIT / 1e6, url, size / 1e6))
    return 1 if bad else 0


def main(argv: List[str]) -> int:
    if argv:
        return report(Path(argv[0]))
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "site")
        return report(Path(tmp) / "site")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
