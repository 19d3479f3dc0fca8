"""Citations of read-outs in prose (`citations.py`): replaced by the exact numbers the
figure's build computed, bad ones failing `--strict` at page:line:column; and the
read-out table beside the figure."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mm_docs_plugin import citations
from mm_docs_plugin.core import build

from .conftest import mkdocs_build

SPEC = """expr: QK = Q @ K.T
seed: 4
nodes: {Q: {shape: [6, 3]}, K: {shape: [5, 3]}}
readouts: {QK: [sv, rank, norm, dirs]}"""
FENCE = "```{.mm #qk}\n" + SPEC + "\n```\n"
PAGE = (
    "---\ntitle: Cited\n---\n\n# QK\n\n"  # front matter: MkDocs strips it, lines must not shift
    + FENCE
    + "\nσ1 is {mm qk:QK.sv[1]}, σ2 {mm qk:QK.sv[2]:.2f}; effective rank {mm qk:QK.rank}.\n"
    "The norm is {mm qk:QK.norm:.1f} and u1 is strongest at {mm qk:QK.dirs[1].rows}.\n\n"
    "Write `{mm qk:QK.sv[1]}` to cite it.\n\n"
    "```text\n{mm qk:QK.nothing}\n```\n"
)


def readouts():
    scene = build(SPEC)
    return {item["kind"]: item for item in scene.readouts[0]["items"]}, scene


def test_citations_are_the_numbers_the_figure_computed(site):
    root = site({"index.md": PAGE})
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    html = (root / "site" / "index.html").read_text("utf-8")
    items, scene = readouts()
    qk = scene.inputs["Q"].astype(np.float64) @ scene.inputs["K"].astype(np.float64).T
    s = np.linalg.svd(qk, compute_uv=False)
    sv1 = items["sv"]["texts"][0]
    assert sv1 == format(items["sv"]["values"][0], ".4g")
    assert float(sv1) == pytest.approx(s[0], rel=1e-3)
    rows = ", ".join(e["name"] for e in items["dirs"]["pairs"][0]["rows"])
    expected = "σ1 is %s, σ2 %s; effective rank %s." % (
        sv1,
        format(items["sv"]["values"][1], ".2f"),
        items["rank"]["text"],
    )
    assert expected in html
    assert (
        "The norm is %s and u1 is strongest at %s."
        % (
            format(np.linalg.norm(qk), ".1f"),
            rows,
        )
        in html
    )
    # Code spans and fenced blocks keep the syntax as written.
    assert "<code>{mm qk:QK.sv[1]}</code>" in html
    assert "{mm qk:QK.nothing}" in html
    assert "MMCITE" not in html
    # The table beside the figure: caption, scoped headers, the same digits.
    table = re.search(r'<div class="mm-readouts" id="qk-readouts".*?</div>', html, re.S).group(0)
    assert "<caption>" in table and '<th scope="col">value</th>' in table
    assert '<tr data-mm-ref="QK.sv"><th scope="row">QK</th>' in table
    assert ", ".join(items["sv"]["texts"]) in table
    assert html.index('id="qk"') < html.index('id="qk-readouts"')
    assert re.search(r'<figure [^>]*id="qk"[^>]*aria-details="qk-readouts"', html)


BAD = [
    (
        "{mm qkk:QK.sv[1]}",
        "cites the figure 'qkk', which is not on this page",
        "did you mean 'qk'?",
    ),
    ("{mm qk:Q.sv[1]}", "the figure 'qk' has no read-outs of 'Q'", "did you mean 'QK'?"),
    ("{mm qk:QK.max}", "the figure 'qk' reads out sv, rank, norm, dirs of QK, not max", None),
    ("{mm qk:QK.sv[6]}", "sv[6] is out of range; readouts.QK.sv has 5 (from 1,", None),
    ("{mm qk:QK.sv}", "sv needs an index from 1 to 5", None),
    ("{mm qk:QK.rank:.2x}", "has the format '.2x'", None),
    ("{mm qk QK.rank}", "cannot read the citation {mm qk QK.rank}", None),
]


@pytest.mark.parametrize("cite, message, hint", BAD)
def test_bad_citations_fail_strict_at_page_line_column(site, cite, message, hint):
    page = "---\ntitle: x\n---\n" + FENCE + "\nSee  " + cite + " here.\n"
    r = mkdocs_build(site({"index.md": page}), "--strict")
    assert r.returncode != 0
    line = page.splitlines().index("See  " + cite + " here.") + 1
    assert "mm: index.md:%d:6: " % line in r.stderr
    assert message in r.stderr.split("mm: index.md:%d:6: " % line)[1]
    if hint:
        assert "hint: " + hint in r.stderr


def test_without_strict_a_bad_citation_stays_visible(site):
    root = site({"index.md": FENCE + "\nSee {mm qk:QK.max}.\n"})
    r = mkdocs_build(root)
    assert r.returncode == 0
    assert "See {mm qk:QK.max}." in (root / "site" / "index.html").read_text("utf-8")


def test_find_skips_code_and_keeps_positions():
    text = "a {mm f:A.max} `{mm f:A.min}` b\n```\n{mm f:A.sv[1]}\n```\n``x`` {mm f:A.norm}\n"
    assert [(line, col, t) for line, col, _, t in citations.find(text)] == [
        (1, 3, "{mm f:A.max}"),
        (5, 7, "{mm f:A.norm}"),
    ]


def test_resolve_formats_and_parts():
    items = {
        "f": [
            {
                "node": "A",
                "finite": True,
                "items": [
                    {"kind": "max", "value": 0.123456, "text": "0.1235"},
                    {
                        "kind": "dirs",
                        "pairs": [
                            {"sv": 2.5, "sv_text": "2.5", "rows": [{"name": "milk"}], "cols": []}
                        ],
                    },
                ],
            }
        ]
    }
    assert citations.resolve("{mm f:A.max}", items) == "0.1235"
    assert citations.resolve("{mm f:A.max:.1%}", items) == "12.3%"
    assert citations.resolve("{mm f:A.dirs[1].rows}", items) == "milk"
    assert citations.resolve("{mm f:A.dirs[1].row}", items) == "milk"
    assert citations.resolve("{mm f:A.dirs[1].sv:.2f}", items) == "2.50"
    with pytest.raises(citations.CiteError) as e:
        citations.resolve("{mm f:A.dirs[1].rows:.2f}", items)
    assert e.value.message == "{mm f:A.dirs[1].rows:.2f}: rows are labels, not a number to format"
