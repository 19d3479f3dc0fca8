"""The reference pages (docs/reference/) document every option the code accepts.

Every name is read from the code's own registries, never listed here, so a new option
without documentation fails this file:

- the sections (`schema.SECTIONS`) on their own pages, the per-node schemas
  (`schema.NODE_*`), node keys, data keys and inits on ``nodes.md``;
- the figure options (`spec.FIGURE`) and top-level keys (`spec.TOP_KEYS`) on
  ``figure.md``;
- the epilog functions and scale functions (`expr`, `epilog`) on ``expr.md``;
- the plugin's options (`plugin.MmConfig`) on ``plugin.md``.

Each name must be in an option table of its page (in the first column, as code) and
be used by at least one live ```` ```mm ```` fence there (parsed, not grepped: an
init counts when a matrix of the fence is made by it, an epilog when a product
applies it).  Tables also show the code's defaults, ranges and choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml

from mm_docs_plugin import plugin
from mm_docs_plugin.core import parse_spec
from mm_docs_plugin.core.inputs import inits
from mm_docs_plugin.core.language import epilog as ep
from mm_docs_plugin.core.language import expr as ex
from mm_docs_plugin.core.language import schema as sc
from mm_docs_plugin.core.spec import readouts as ro
from mm_docs_plugin.core.spec import sections
from mm_docs_plugin.core.spec import spec as sp
from mm_docs_plugin.core.spec import views as vw
from mm_docs_plugin.fence import HEADER_OPTIONS

from .conftest import ROOT

REF = ROOT / "docs" / "reference"
NODE_SCHEMAS = {name: s for name, s in vars(sc).items() if name.startswith("NODE_")}
NODE_SCHEMAS = {k: v for k, v in NODE_SCHEMAS.items() if isinstance(v, sc.Schema)}


# ---------------------------------------------------------------- reading a page


@dataclass
class Row:
    line: int
    cells: Dict[str, str]  # header -> cell text
    names: Tuple[str, ...]  # code spans of the first cell


@dataclass
class Fence:
    line: int
    lang: str
    body: str


@dataclass
class Page:
    path: Path
    rows: List[Row] = field(default_factory=list)
    fences: List[Fence] = field(default_factory=list)
    first_table: Optional[int] = None

    def mm(self) -> List[Fence]:
        return [f for f in self.fences if f.lang == "mm"]

    def specs(self) -> Iterator[Tuple[Fence, Dict[str, Any]]]:
        for f in self.mm():
            yield f, yaml.safe_load(f.body)

    def row(self, name: str) -> Optional[Row]:
        return next((r for r in self.rows if name in r.names), None)


def _cells(line: str) -> List[str]:
    # Split on pipes that are not escaped (`\|` is a literal bar inside a cell).
    parts = re.split(r"(?<!\\)\|", line.strip())
    return [p.strip() for p in parts[1:-1]]


def read_page(path: Path) -> Page:
    page = Page(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        # ```mm, ```yaml, and ```{.mm #id} (a figure with an id, as citations need)
        opening = re.match(r"^(`{3,})\s*\{?\s*\.?([\w-]*)", line)
        if opening:
            ticks, lang = opening.groups()
            end = n + 1
            while end < len(lines) and not re.match(r"^%s`*\s*$" % ticks, lines[end]):
                end += 1
            assert end < len(lines), "%s:%d: unclosed fence" % (path.name, n + 1)
            page.fences.append(Fence(n + 1, lang, "\n".join(lines[n + 1 : end]) + "\n"))
            n = end + 1
            continue
        if line.startswith("|") and n + 1 < len(lines) and re.match(r"^\|[-|: ]+\|$", lines[n + 1]):
            header = _cells(line)
            page.first_table = page.first_table or n + 1
            n += 2
            while n < len(lines) and lines[n].startswith("|"):
                cells = _cells(lines[n])
                names = tuple(re.findall(r"`([^`]+)`", cells[0])) if cells else ()
                page.rows.append(Row(n + 1, dict(zip(header, cells)), names))
                n += 1
            continue
        n += 1
    return page


_pages: Dict[str, Page] = {}


def page(name: str) -> Page:
    if name not in _pages:
        path = REF / name
        assert path.is_file(), "docs/reference/%s is missing" % name
        _pages[name] = read_page(path)
    return _pages[name]


# ---------------------------------------------------------------- what the code says


def fmt(value: Any) -> str:
    """A default as the tables write it: `true`, `4`, `0.6`, `[slate]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "[%s]" % ", ".join(fmt(v) for v in value)
    return str(value)


def row_problems(p: Page, name: str, f: Optional[sc.Field] = None, default=None) -> List[str]:
    """Whether ``name`` has a table row on ``p`` that shows the field's default, range, choices."""
    row = p.row(name)
    if row is None:
        return ["%s: no option-table row for `%s`" % (p.path.name, name)]
    out = []
    where = "%s:%d `%s`" % (p.path.name, row.line, name)
    if default is not None and "default" in row.cells:
        shown = "`%s`" % fmt(default)
        if shown not in row.cells["default"]:
            out.append("%s: default column should show %s" % (where, shown))
    if f is not None:
        text = " ".join(row.cells.values())
        out += [
            "%s: choice `%s` is not listed" % (where, c)
            for c in f.choices
            if "`%s`" % c not in text
        ]
        if f.lo is not None and f.hi is not None and f.hi < 1e6:
            kinds = row.cells.get("type and values", "")
            out += [
                "%s: range should show %s" % (where, fmt(float(x)))
                for x in (f.lo, f.hi)
                if not re.search(r"(?<![\d.])%s(?![\d.])" % re.escape(fmt(float(x))), kinds)
            ]
    return out


def schema_problems(p: Page, schema: sc.Schema, prefix: str = "") -> List[str]:
    out = []
    for f in schema.fields:
        out += row_problems(p, prefix + f.name, f, f.default)
    return out


def section_uses(p: Page, section: str, schema: sc.Schema) -> Dict[str, set]:
    """field -> the values the page's fences give it in the top-level ``section``."""
    used: Dict[str, set] = {}
    for _, spec in p.specs():
        value = spec.get(section)
        if isinstance(value, dict):
            for key, v in value.items():
                used.setdefault(key, set()).add(repr(v))
        elif value is not None and schema.shorthand:
            used.setdefault(schema.shorthand, set()).add(repr(value))
    return used


def node_kinds(f: Fence) -> Dict[str, str]:
    """Node name -> "leaf" or "matmul", from the spec's own tree."""
    spec = parse_spec(f.body, str(REF))
    kinds = {}
    for t in spec.tree.walk():
        if t.kind == "leaf":
            kinds[t.matrix] = "leaf"
        else:
            kinds[t.label] = "matmul"
    return kinds


def node_settings(p: Page) -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    """(kind, node name, settings) of every node setting in the page's fences."""
    for f, spec in p.specs():
        nodes = spec.get("nodes") or {}
        kinds = node_kinds(f)
        for name, settings in nodes.items():
            if isinstance(settings, dict):
                yield kinds[name], name, settings


# ---------------------------------------------------------------- the pages


def test_reference_pages_are_in_the_nav():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, tag, node: None)  # !!python/name:...
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=Loader)

    def paths(nav) -> Iterator[str]:
        for item in nav:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict):
                for value in item.values():
                    yield from paths(value) if isinstance(value, list) else [value]

    listed = set(paths(config["nav"]))
    for md in sorted(REF.glob("*.md")):
        assert "reference/" + md.name in listed, "%s is not in mkdocs.yml's nav" % md.name


@pytest.mark.parametrize("name", sorted(p.name for p in REF.glob("*.md")))
def test_every_fence_parses_and_is_shown(name):
    """Live fences are valid specs, under a table of options, each after its source."""
    p = page(name)
    assert p.rows, "%s has no option table" % name
    for n, f in enumerate(p.fences):
        if f.lang != "mm":
            continue
        parse_spec(f.body, str(REF))
        assert p.first_table is not None and p.first_table < f.line, (
            "%s:%d: the option table comes before the examples" % (name, f.line)
        )
        shown = p.fences[n - 1] if n else None
        assert shown is not None and shown.lang == "yaml" and shown.body == f.body, (
            "%s:%d: show the fence's text in a ```yaml block just above it" % (name, f.line)
        )


@pytest.mark.parametrize("section", list(sections.SECTIONS))
def test_sections(section):
    schema = sections.SECTIONS[section]
    p = page(section + ".md")
    problems = schema_problems(p, schema)
    used = section_uses(p, section, schema)
    for f in schema.fields:
        if f.name not in used:
            problems.append("%s: no ```mm fence sets %s.%s" % (p.path.name, section, f.name))
        for c in f.choices:
            if repr(c) not in used.get(f.name, ()):
                problems.append(
                    "%s: no ```mm fence sets %s.%s: %s" % (p.path.name, section, f.name, c)
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("schema_name", sorted(NODE_SCHEMAS))
def test_node_sections(schema_name):
    """`nodes.<product>.anim` and `.layout`, documented on nodes.md as `anim.alg` etc."""
    schema = NODE_SCHEMAS[schema_name]
    p = page("nodes.md")
    problems = schema_problems(p, schema, prefix=schema.name + ".")
    used = set()
    for kind, _, settings in node_settings(p):
        value = settings.get(schema.name)
        if isinstance(value, dict):
            used |= set(value)
        elif value is not None and schema.shorthand and kind == "matmul":
            used.add(schema.shorthand)
    problems += [
        "nodes.md: no ```mm fence sets nodes.<product>.%s.%s" % (schema.name, f.name)
        for f in schema.fields
        if f.name not in used
    ]
    assert not problems, "\n".join(problems)


def test_figure_options_and_top_level_keys():
    p = page("figure.md")
    problems = schema_problems(p, sp.FIGURE)
    problems += [x for key in sp.TOP_KEYS for x in row_problems(p, key)]
    used: Dict[str, set] = {}
    for _, spec in p.specs():
        for key, value in spec.items():
            used.setdefault(key, set()).add(repr(value))
    problems += [
        "figure.md: no ```mm fence uses the top-level key %s" % key
        for key in sp.TOP_KEYS
        if key not in used
    ]
    problems += [
        "figure.md: no ```mm fence sets %s: %s" % (f.name, c)
        for f in sp.FIGURE.fields
        for c in f.choices
        if repr(c) not in used.get(f.name, ())
    ]
    assert not problems, "\n".join(problems)


def test_fence_header_options():
    text = page("figure.md").path.read_text("utf-8")
    for key in HEADER_OPTIONS:
        assert "| `%s=" % key in text, "figure.md: no table row for the header option %s" % key
        assert "```mm %s=" % key in text, "figure.md: no live fence with the header %s" % key


def test_node_keys_and_data_keys():
    p = page("nodes.md")
    problems = [x for key in sp.LEAF_KEYS + sp.MATMUL_KEYS for x in row_problems(p, key)]
    problems += [x for key in sp.DATA_KEYS for x in row_problems(p, "data." + key)]
    used = {"leaf": set(), "matmul": set()}
    data = set()
    for kind, _, settings in node_settings(p):
        used[kind] |= set(settings)
        source = settings.get("data")
        data |= set(source) if isinstance(source, dict) else {"path"} if source else set()
    for kind, keys in (("leaf", sp.LEAF_KEYS), ("matmul", sp.MATMUL_KEYS)):
        what = "an input matrix" if kind == "leaf" else "a product"
        problems += [
            "nodes.md: no ```mm fence gives %s the setting %s" % (what, k)
            for k in keys
            if k not in used[kind]
        ]
    problems += ["nodes.md: no ```mm fence uses data.%s" % k for k in sp.DATA_KEYS if k not in data]
    assert not problems, "\n".join(problems)


def test_inits():
    p = page("nodes.md")
    problems = [x for name in inits.INITS for x in row_problems(p, name)]
    made = set()
    for f in p.mm():
        spec = parse_spec(f.body, str(REF))
        made |= {
            (spec.nodes.get(t.matrix) or sp.NodeSpec(t.matrix, "leaf")).effective_init
            for t in spec.tree.walk()
            if t.kind == "leaf"
        }
    problems += [
        "nodes.md: no ```mm fence makes a matrix with init %s" % name
        for name in inits.INITS
        if name not in made
    ]
    assert not problems, "\n".join(problems)


def test_epilogs_and_scales():
    p = page("expr.md")
    functions = list(ep.EPILOG_FUNCTIONS) + list(ex.EPILOG_NAMES)
    problems = [x for name in dict.fromkeys(functions) for x in row_problems(p, name)]
    problems += [x for name in ex.SCALE_FUNCTIONS + (ex.DEPTH,) for x in row_problems(p, name)]
    applied = set()
    for f in p.mm():
        spec = parse_spec(f.body, str(REF))
        for t in spec.tree.walk():
            for op in t.epilog:
                applied.add(op.kind)
                factor = op.factor
                while factor is not None:
                    if isinstance(factor, ex.Sqrt):
                        applied.add("sqrt")
                        factor = factor.arg
                    else:
                        if isinstance(factor, ex.Depth):
                            applied.add(ex.DEPTH)
                        factor = None
    problems += [
        "expr.md: no ```mm fence applies %s" % name
        for name in dict.fromkeys(functions + list(ex.SCALE_FUNCTIONS) + [ex.DEPTH, "scale"])
        if name not in applied
    ]
    assert not problems, "\n".join(problems)


def plugin_options() -> List[Tuple[str, Any]]:
    return [(name, option) for name, option in plugin.MmConfig._schema]


def test_plugin_options():
    p = page("plugin.md")
    problems = []
    for name, option in plugin_options():
        default = getattr(option, "default", None)
        if isinstance(default, str) and "://" in default:
            default = None  # a pinned URL: the page says "a pinned jsDelivr URL"
        problems += row_problems(p, name, default=default)
        for choice in getattr(option, "choices", None) or ():
            row = p.row(name)
            if row is not None and "`%s`" % choice not in " ".join(row.cells.values()):
                problems.append("plugin.md: choice `%s` of %s is not listed" % (choice, name))
    set_in_example = set()
    for f in p.fences:
        if f.lang != "yaml":
            continue
        config = yaml.safe_load(f.body) or {}
        for entry in config.get("plugins") or ():
            if isinstance(entry, dict) and isinstance(entry.get("mm"), dict):
                set_in_example |= set(entry["mm"])
    problems += [
        "plugin.md: the mkdocs.yml example does not set %s" % name
        for name, _ in plugin_options()
        if name not in set_in_example
    ]
    assert not problems, "\n".join(problems)


def test_plugin_docstring_lists_every_option():
    """MmPlugin's docstring table (the in-code docs the page follows) names every MmConfig option."""
    documented = set(re.findall(r"^\s*\| `(\w+)` \|", plugin.MmPlugin.__doc__ or "", re.M))
    assert documented == {name for name, _ in plugin_options()}


def test_the_checks_catch_an_undocumented_option():
    """A field the docs do not know is reported, in the table and in the fences."""
    extra = sc.Schema("deco", "", list(sections.DECO.fields) + [sc.Field("halo", "bool", True, "")])
    p = page("deco.md")
    assert any("`halo`" in x for x in schema_problems(p, extra))
    assert "halo" not in section_uses(p, "deco", extra)


def test_elementwise_operations():
    """Each element-wise operator has its row on expr.md and a live figure that uses it;
    an epilog on an input matrix is shown too."""
    p = page("expr.md")
    problems = [
        "expr.md: no option row names `A %s B`" % op
        for op in ex.ELEMENTWISE_OPS
        if not any("A %s B" % op in name for r in p.rows for name in r.names)
    ]
    used, input_epilog = set(), False
    for f in p.mm():
        for t in parse_spec(f.body, str(REF)).tree.walk():
            if t.kind == "elementwise":
                used.add(t.op)
            input_epilog |= t.kind == "leaf" and bool(t.epilog)
    problems += [
        "expr.md: no ```mm fence uses element-wise %s" % op
        for op in ex.ELEMENTWISE_OPS
        if op not in used
    ]
    if not input_epilog:
        problems.append("expr.md: no ```mm fence applies an epilog to an input matrix")
    assert not problems, "\n".join(problems)


def test_readouts():
    """Every read-out kind has a row on readouts.md (with its count's range and default)
    and is read out by a live fence there."""
    p = page("readouts.md")
    problems = []
    for kind, (_, default, most) in ro.KINDS.items():
        f = sc.Field(kind, "int", default, "", lo=1, hi=most) if most else None
        problems += row_problems(p, kind, f, default)
    used = set()
    for _, spec in p.specs():
        for items in (spec.get("readouts") or {}).values():
            used |= {next(iter(i)) if isinstance(i, dict) else i for i in items}
    problems += ["readouts.md: no ```mm fence reads out %s" % k for k in ro.KINDS if k not in used]
    assert not problems, "\n".join(problems)


def test_views():
    """Every view field has a row on views.md and is set by a live fence there."""
    p = page("views.md")
    problems = [x for name, f in vw.FIELDS.items() for x in row_problems(p, name, f)]
    used = set()
    for _, spec in p.specs():
        for settings in (spec.get("views") or {}).values():
            used |= set(settings or {})
    problems += [
        "views.md: no ```mm fence sets %s in a view" % k for k in vw.FIELDS if k not in used
    ]
    assert not problems, "\n".join(problems)
