"""Fixture sites: write mkdocs.yml + docs/ into a temp folder and build them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]

GOOD = "```mm\nexpr: A @ B\nnodes: {A: {shape: [8, 4]}, B: {shape: [4, 6]}}\n```\n"


def ensure_explainer_data() -> None:
    """The arrays the explainer pages' fences read (what the docs' MkDocs hook writes).

    Tests that build docs figures without MkDocs (the goldens, the label check) call
    this first; it is a few stat calls when the data is current.
    """
    import importlib.util

    for name in ("minilm_data", "glassllm_data"):
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / (name + ".py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate()


def docs_limits():
    """The core `Limits` the docs site builds with: the `mm` plugin's options in
    mkdocs.yml (`max_elements`, raised for the full-size GPT-2 layer of
    explainers/whole-layer.md), so tests that build docs figures without MkDocs
    accept what the site accepts."""
    from mm_docs_plugin.core import Limits

    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    for plugin in cfg.get("plugins", []):
        if isinstance(plugin, dict) and "mm" in plugin:
            options = plugin["mm"] or {}
            if "max_elements" in options:
                return Limits(max_elements=int(options["max_elements"]))
    return Limits()


def write_site(root: Path, pages: dict, **config) -> Path:
    """Write a site under ``root``; ``pages`` maps docs-relative paths to Markdown."""
    cfg = {"site_name": "t", "plugins": ["mm"], **config}
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    for rel, text in pages.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_docs_project(dest: Path) -> Path:
    """This repository's docs project in ``dest``: mkdocs.yml, docs/, and the hook
    scripts mkdocs.yml declares (they generate the explainers' data)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "scripts").mkdir(exist_ok=True)
    for hook in ("minilm_data.py", "glassllm_data.py"):
        shutil.copy(ROOT / "scripts" / hook, dest / "scripts")
    return dest


# The site_url the repository's mkdocs.yml publishes at (the docs site's address).
SITE_URL = "https://mm-docs.github.io/mm-docs/"


def serve_docs_at(root: Path, url: str) -> None:
    """Point the docs project copied to ``root`` (copy_docs_project) at ``url``, where it
    is served: Material's instant navigation matches links against site_url's host and
    port, as a published site's are where it is published."""
    config = (root / "mkdocs.yml").read_text("utf-8")
    assert "\nsite_url: %s\n" % SITE_URL in config
    (root / "mkdocs.yml").write_text(config.replace(SITE_URL, url), "utf-8")


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MKDOCS, "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},  # MkDocs' build date
    )


@pytest.fixture
def site(tmp_path):
    def make(pages, **config):
        return write_site(tmp_path / "site-src", pages, **config)

    return make
