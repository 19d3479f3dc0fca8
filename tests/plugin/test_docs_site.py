"""The project's own site (mkdocs.yml + docs/) builds with --strict: its figures are test inputs."""

from __future__ import annotations

import pytest

from .conftest import ROOT, copy_docs_project, mkdocs_build


def test_docs_site_builds_strict(tmp_path):
    pytest.importorskip("material", reason="the docs use mkdocs-material (a dev dependency)")
    src = copy_docs_project(tmp_path / "repo")
    r = mkdocs_build(src, "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    html = (src / "site" / "index.html").read_text("utf-8")
    assert html.count('class="mm-figure"') == 3
    gallery = (src / "site" / "gallery" / "index.html").read_text("utf-8")
    links = [
        line
        for line in (ROOT / "tests" / "fixtures" / "mm-links.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert gallery.count('class="mm-figure"') == len(links)
    assert "mm-error" not in gallery
