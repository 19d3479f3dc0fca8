"""The core's architecture, checked from its source (ARCHITECTURE.md, "Rules").

Every import inside `mm_docs_plugin/core`, at module level or inside a function,
goes down the layer order or stays within its layer, and the module graph has no
cycle.  Modules stay small, and the core imports nothing but numpy, PyYAML and the
standard library.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

CORE = Path(__file__).resolve().parents[2] / "mm_docs_plugin" / "core"
PACKAGE = "mm_docs_plugin.core"
# Lowest first: a module may import from its own layer and the layers before it.
LAYERS = ["errors", "language", "inputs", "spec", "scene", "links", "live", "__init__"]
MAX_LINES = 500
THIRD_PARTY = {"numpy", "yaml"}


def _modules() -> Dict[str, Path]:
    """Dotted name -> file of every module of the core (packages by their __init__)."""
    out = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = list(path.relative_to(CORE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join([PACKAGE, *parts])] = path
    return out


MODULES = _modules()


def layer_of(module: str) -> int:
    rest = module[len(PACKAGE) + 1 :].split(".")[0] if module != PACKAGE else "__init__"
    return LAYERS.index(rest)


def _imports(module: str, path: Path):
    """(imported module, line, top-level name) for each import in the file."""
    is_package = path.name == "__init__.py"
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1])
                target = base + ("." + node.module if node.module else "")
            else:
                target = node.module
            for alias in node.names:  # `from pkg import module` names a module
                sub = "%s.%s" % (target, alias.name)
                yield (sub if sub in MODULES else target), node.lineno


def _graph() -> Dict[str, Set[str]]:
    return {
        m: {t for t, _ in _imports(m, p) if t.startswith(PACKAGE) and t != m}
        for m, p in MODULES.items()
    }


def test_every_core_module_belongs_to_a_layer():
    for module in MODULES:
        layer_of(module)  # raises ValueError for a folder outside the layer list


def test_imports_follow_the_layer_order():
    wrong = []
    for module, path in MODULES.items():
        for target, line in _imports(module, path):
            if target.startswith(PACKAGE) and layer_of(target) > layer_of(module):
                wrong.append(
                    "%s:%d imports %s (layer %s above %s)"
                    % (
                        path.relative_to(CORE),
                        line,
                        target,
                        LAYERS[layer_of(target)],
                        LAYERS[layer_of(module)],
                    )
                )
    assert not wrong, "\n".join(wrong)


def find_cycle(graph: Dict[str, Set[str]]) -> List[str]:
    """One import cycle as a list of modules, or [] (iterative DFS, three colours)."""
    state: Dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return []


def test_no_import_cycles_not_even_through_function_level_imports():
    cycle = find_cycle(_graph())
    assert not cycle, " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"b"}}) == []


def test_modules_are_small():
    big = {
        str(p.relative_to(CORE)): n
        for p in MODULES.values()
        for n in [len(p.read_text("utf-8").splitlines())]
        if n > MAX_LINES
    }
    assert not big, "split these modules (limit %d lines): %s" % (MAX_LINES, big)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is 3.10+")
def test_only_numpy_pyyaml_and_the_standard_library():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    foreign = sorted(
        {
            "%s imports %s" % (p.relative_to(CORE), t)
            for m, p in MODULES.items()
            for t, _ in _imports(m, p)
            if not t.startswith(PACKAGE) and t.split(".")[0] not in stdlib | THIRD_PARTY
        }
    )
    assert not foreign, foreign
