"""The core is pure Python + numpy + PyYAML, and its values are the same on every numpy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        # PyYAML's C extension is blocked too: the browser has only its Python code.
        if name in {"_yaml", "yaml._yaml"} or name.split(".")[0] in {
            "mkdocs", "markdown", "pymdownx", "scipy", "pandas", "torch"
        }:
            raise ImportError("the core must not import " + name)
sys.meta_path.insert(0, Block())
import mm_docs_plugin.core as core
import yaml
assert not yaml.__with_libyaml__
scene = core.build(core.parse_spec("expr: out = softmax(A @ B.T / sqrt(k)) @ B"))
print(scene.root.shape)
"""


def test_core_imports_only_numpy_pyyaml_and_the_standard_library():
    out = subprocess.run(
        [sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "(32, 32)"


DIGEST = """
import hashlib, sys
sys.path.insert(0, %r)
from mm_docs_plugin.core import build, parse_spec
spec = parse_spec('''
expr: out = (h = gelu(x @ W1)) @ W2
seed: 11
nodes:
  x: {shape: [16, 24], init: gaussian}
  W1: {shape: [24, 40], init: uniform, dropout: 0.1}
  W2: {init: pt_linear}
''')
scene = build(spec)
for name in sorted(scene.inputs):
    print(name, hashlib.sha256(scene.inputs[name].tobytes()).hexdigest())
"""


def _py38() -> str:
    path = ROOT / ".venv38" / "bin" / "python"
    if not path.exists() or os.environ.get("MM_SKIP_PY38") == "1":
        pytest.skip("no .venv38 (Python 3.8 + numpy 1.17); run `make setup`")
    return str(path)


def test_random_inits_are_bit_identical_on_numpy_1_17_and_current():
    script = DIGEST % str(ROOT)
    here = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    old = subprocess.run([_py38(), "-c", script], capture_output=True, text=True, check=True)
    assert here.stdout.splitlines() == old.stdout.splitlines()
    assert len(here.stdout.splitlines()) == 3
