"""The package as a user gets it: built from a clean export of the repository
(sdist, then a wheel from the sdist, as `python -m build` does), installed into a
fresh virtual environment outside the repository, used by a new MkDocs site.

Slow (a minute or two: an isolated build, `npm ci` from npm's cache, a venv with
mkdocs and numpy from pip's cache) but it is the only test that sees what
`pip install mm-docs` gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import viewer_bundle

from mm_docs_plugin import __version__
from mm_docs_plugin.siteassets import ASSET_FILES

ROOT = Path(__file__).resolve().parents[2]
FENCE = "```mm\nexpr: out = (attn = softmax(Q @ K.T)) @ V\n```\n"


def _run(cmd, cwd, env=None, check=True):
    r = subprocess.run(
        [str(c) for c in cmd], cwd=str(cwd), env=env, capture_output=True, text=True, timeout=900
    )
    if check and r.returncode != 0:
        pytest.fail(
            "%s failed (%d):\n%s\n%s" % (cmd, r.returncode, r.stdout[-3000:], r.stderr[-3000:])
        )
    return r


def _export(dest: Path) -> Path:
    """The repository's tracked files as they are in the working tree (no build
    output, no node_modules, no venvs): what a fresh clone holds."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            out = dest / os.fsdecode(name)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(src.read_bytes())
    return dest


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to export the tracked files")
    src = _export(tmp_path_factory.mktemp("export") / "mm-docs")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, src], src)
    return out


def test_output_lists_agree():
    # scripts/viewer_bundle.py cannot import the package (no mkdocs in a build env).
    assert viewer_bundle.OUTPUTS == ASSET_FILES


def test_sdist_has_sources_and_no_build_output(dist):
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in (
        "LICENSE",
        "setup.py",
        "scripts/viewer_bundle.py",
        "pyodide_app/build.mjs",
        "pyodide_app/package-lock.json",
        "pyodide_app/src/viewer.js",
        "pyodide_app/src/gl/shaders/matrix.frag",
    ):
        assert needed in names
    assert not [n for n in names if "node_modules" in n]
    assert not [n for n in names if n.startswith("mm_docs_plugin/assets/mm-")]


def test_wheel_has_viewer_licence_and_metadata(dist):
    (wheel,) = dist.glob("*.whl")
    assert wheel.name == "mm_docs-%s-py3-none-any.whl" % __version__
    z = zipfile.ZipFile(wheel)
    names = set(z.namelist())
    for name in ASSET_FILES:
        info = z.getinfo("mm_docs_plugin/assets/" + name)
        assert info.file_size > 100, name
    meta = z.read("mm_docs-%s.dist-info/METADATA" % __version__).decode()
    assert "License-Expression: MIT" in meta
    assert "Classifier: Framework :: MkDocs" in meta
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "mm_docs_plugin/core/scene/frames.py" in names


def test_installed_wheel_builds_a_new_site(dist, tmp_path):
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path)
    bin_ = venv / "bin"
    _run([bin_ / "python", "-m", "pip", "install", "--quiet", wheel], tmp_path)
    r = _run([bin_ / "mm-docs", "--version"], tmp_path)
    assert r.stdout.strip() == "mm-docs " + __version__
    _run([bin_ / "mkdocs", "new", "site"], tmp_path)
    site = tmp_path / "site"
    (site / "mkdocs.yml").write_text("site_name: My notes\nplugins:\n  - search\n  - mm\n")
    (site / "docs" / "index.md").write_text("# Attention\n\n" + FENCE)
    # Outside the repository: nothing of the checkout is importable.
    env = dict(os.environ, PYTHONPATH="")
    _run([bin_ / "mkdocs", "build", "--strict"], site, env=env)
    out = site / "site" / "assets" / "mm"
    for name in ASSET_FILES + ("mm-core.zip",):
        assert (out / name).is_file(), name
    html = (site / "site" / "index.html").read_text()
    assert 'class="mm-figure' in html
    scenes = list(out.glob("mm-*.mmsc"))
    assert len(scenes) == 1 and scenes[0].name in html


def test_without_node_the_build_names_what_to_install(tmp_path):
    # A copy of the sources with no bundle, built with a PATH that has no node.
    root = tmp_path / "src"
    (root / "pyodide_app").mkdir(parents=True)
    (root / "pyodide_app" / "build.mjs").write_text("// sources present")
    env = dict(os.environ, PATH=str(tmp_path / "no-tools"))
    code = (
        "import sys, pathlib; sys.path.insert(0, %r); import viewer_bundle as v\n"
        "try:\n    v.ensure(pathlib.Path(%r))\n"
        "except v.BundleError as e:\n    print(e)\n" % (str(ROOT / "scripts"), str(root))
    )
    r = _run([sys.executable, "-c", code], tmp_path, env=env)
    assert r.stdout.startswith(
        "building mm-docs needs Node.js 20+ and npm to bundle its viewer "
        "(pyodide_app/ → mm_docs_plugin/assets/), and node not found on PATH; install them"
    )
