"""``mm-docs validate``: check every ``mm`` fence of Markdown files, as the build would.

For pre-commit hooks and CI: each fence is parsed and built by the same core the
plugin uses (data files included), its header options checked, and the page's
citations (``{mm FIG:NODE.READOUT}``) and view links (``[text](#FIG:VIEW)``) resolved
against the figures it built, as the plugin does; every problem is
reported as ``page.md:line:column: message [field] — hint: …`` and the command
exits non-zero. Given a project (a folder with ``mkdocs.yml``, or the file), the
``mm`` plugin's options there are checked too and used: ``docs_dir``, ``data_dir``,
``max_elements``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

from . import citations, viewlinks
from .core import DEFAULT_LIMITS, Limits, SpecError, build, parse_spec
from .fence import read_header, unread_header
from .sourcemap import fences


@dataclass(frozen=True)
class Problem:
    path: str
    line: Optional[int]
    column: Optional[int]
    message: str
    hint: Optional[str] = None
    field: Optional[str] = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += ":%d:%d" % (self.line, self.column or 1)
        text = "%s: %s" % (where, self.message)
        if self.field:
            text += " [%s]" % self.field
        if self.hint:
            text += " — hint: " + self.hint
        return text


@dataclass
class Project:
    """What validation takes from a project's mkdocs.yml (defaults without one)."""

    docs_dir: Optional[Path] = None
    data_dir: Optional[str] = None
    limits: Limits = DEFAULT_LIMITS


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml often holds ``!!python/name:`` tags: read them as nothing, never run them."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(config: Path) -> Dict[str, Any]:
    """A mkdocs.yml as data (tags read as nothing); OSError or YAMLError if unreadable."""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    return data if isinstance(data, dict) else {}


def load_project(config: Path) -> tuple:
    """(Project, problems) from a mkdocs.yml: the mm plugin's options checked by the
    plugin's own config schema."""
    from .plugin import MmConfig  # mkdocs is only needed when a project is given

    problems: List[Problem] = []
    try:
        data = read_mkdocs_yml(config)
    except (OSError, yaml.YAMLError) as e:
        return Project(), [Problem(str(config), None, None, "cannot read it: %s" % e)]
    root = config.parent
    project = Project(docs_dir=root / str(data.get("docs_dir") or "docs"))
    options: Dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if entry == "mm":
            options = {}
        elif isinstance(entry, dict) and "mm" in entry:
            options = entry["mm"] or {}
    cfg = MmConfig()
    cfg.load_dict(options)
    errors, _ = cfg.validate()
    for key, err in errors:
        problems.append(
            Problem(str(config), None, None, "plugins.mm.%s: %s" % (key, err), field="plugins.mm")
        )
    if not errors:
        project.limits = Limits(max_elements=cfg.max_elements)
        if cfg.data_dir:
            project.data_dir = str(root / cfg.data_dir)
    return project, problems


def markdown_files(paths: Iterable[Path]) -> List[Path]:
    out: List[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.md") if q.is_file()))
        else:
            out.append(p)
    return out


def check_file(path: Path, project: Optional[Project] = None) -> List[Problem]:
    """Every problem of every ``mm`` fence in one Markdown file."""
    project = project or Project()
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [Problem(name, None, None, "cannot read it: %s" % e)]
    base_dir = project.data_dir or os.path.dirname(os.path.abspath(path))
    problems = []
    readouts: Dict[str, List[dict]] = {}  # by the figure ids the fence headers give
    views: Dict[str, List[str]] = {}
    broken = set()  # ids of figures that failed: no second error for what cites them
    for f in fences(text):
        unread = unread_header(f.opening)
        if unread:
            problems.append(Problem(name, f.line, 1, unread))
            continue
        fig_id = _header_id(f.opening)
        try:
            read_header(_header_options(f.opening), None, None)
            scene = build(parse_spec(f.body, base_dir, limits=project.limits))
        except SpecError as e:
            line = f.line + e.line if e.line is not None else f.line
            column = e.column + f.indent if e.line is not None and e.column else None
            problems.append(Problem(name, line, column, e.message, e.hint, e.field))
            broken.add(fig_id)
            continue
        if fig_id:
            readouts[fig_id] = scene.readouts
            views[fig_id] = [v["name"] for v in scene.views]
    for line, column, _, cite in citations.find(text):
        try:
            citations.resolve(cite, readouts)
        except citations.CiteError as e:
            if _cited_figure(cite) not in broken:
                problems.append(Problem(name, line, column, e.message, e.hint))
    for link in viewlinks.view_links(text):
        problem = viewlinks.check(link, views)
        if problem and link.figure not in broken:
            problems.append(Problem(name, link.line, link.column, *problem))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _header_id(opening: str) -> Optional[str]:
    """The figure id of ```{.mm #id}, as attr_list gives it to SuperFences."""
    m = RE_NESTED_FENCE_START.match(opening)
    if m is None or m.group("attrs") is None:
        return None
    ids = [t[1:] for t in m.group("attrs").split() if t.startswith("#") and len(t) > 1]
    return ids[-1] if ids else None


def _cited_figure(cite: str) -> str:
    """The FIGURE of ``{mm FIGURE:NODE.READOUT}`` (up to the first colon)."""
    return citations.CITE.match(cite).group(1).strip().split(":", 1)[0]


def _header_options(opening: str) -> Dict[str, str]:
    """The header's options as SuperFences passes them (```mm height="300"), or
    attr_list's {.mm #id height=300} without its id and classes."""
    m = RE_NESTED_FENCE_START.match(opening)
    if m is None:
        return {}
    if m.group("attrs") is not None:
        pairs = (t.split("=", 1) for t in m.group("attrs").split() if "=" in t)
        return {k: v.strip("\"'") for k, v in pairs}
    return {
        o.group("key"): o.group("value") or ""
        for o in RE_OPTIONS.finditer(m.group("options") or "")
    }
