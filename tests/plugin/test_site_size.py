"""Each explainer page of the built docs site weighs at most 10 MB (issue 16, "Site").

A page's weight is what benchmarks/bench_site.py counts: its HTML plus the scene files
and posters it references.  The one exception, the full-size GPT-2-small layer page, is
named once, in bench_site.EXEMPT.  The counting itself is checked on a made-up site
first, so a regex that stopped matching the figure files could not pass by counting
nothing.
"""

from __future__ import annotations

import importlib.util

from .conftest import ROOT, copy_docs_project, mkdocs_build

_spec = importlib.util.spec_from_file_location("bench_site", ROOT / "benchmarks" / "bench_site.py")
bench_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_site)


def _page(site, url, refs):
    folder = site / url
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(
        '<figure data-mm-scene="%s"><img src="%s"></figure>' % (scene, poster)
        for scene, poster in refs
    )
    (folder / "index.html").write_text("<html>%s</html>" % body, "utf-8")


def test_page_bytes_count_the_figure_files_a_page_references(tmp_path):
    site = tmp_path / "site"
    mm = site / "assets" / "mm"
    mm.mkdir(parents=True)
    (mm / "a.mmsc").write_bytes(b"\0" * 6_000_000)
    (mm / "a.svg").write_bytes(b"\0" * 5_000_000)
    (mm / "b.mmsc").write_bytes(b"\0" * 1000)
    (mm / "mm-viewer.js").write_bytes(b"\0" * 500_000)  # shared: not a page's own
    _page(site, "explainers/big", [("../../assets/mm/a.mmsc", "../../assets/mm/a.svg")])
    _page(site, "explainers/whole-layer", [("../../assets/mm/a.mmsc", "../../assets/mm/a.svg")])
    _page(site, "explainers/small", [("../../assets/mm/b.mmsc", "../../assets/mm/b.mmsc")])
    rows = {url: (total, n) for url, total, _, n in bench_site.measure(site)}
    html = (site / "explainers/big/index.html").stat().st_size
    assert rows["explainers/big/"] == (11_000_000 + html, 2)
    assert rows["explainers/small/"][1] == 1  # a file referenced twice counts once
    over = bench_site.over_limit(bench_site.measure(site))
    assert list(over) == ["explainers/big/"]  # whole-layer is as big, and exempt


def test_every_explainer_page_is_within_the_limit(tmp_path):
    src = copy_docs_project(tmp_path / "docs")
    r = mkdocs_build(src)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = bench_site.measure(src / "site")
    explainers = [row for row in rows if row[0].startswith("explainers/")]
    assert len(explainers) >= 6 and all(n > 0 for _, _, _, n in explainers), explainers
    assert bench_site.over_limit(rows) == {}, rows[:5]
