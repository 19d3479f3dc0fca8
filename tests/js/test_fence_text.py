"""fencetext.js writes specs back as fences: the Python core must read every one
as the spec it came from (the editor's "copy as a Markdown fence")."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core import import_mm_url, parse_spec

from .node import node_call

ROOT = Path(__file__).resolve().parents[2]
LINKS = ROOT / "tests" / "fixtures" / "mm-links.txt"


def _docs_specs():
    """Every fence in docs/ and examples/ that parses without data files."""
    out = []
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    bodies = []
    for text in texts:
        parts = text.split("```mm\n")[1:]
        bodies += [p.split("```", 1)[0] for p in parts]
    bodies += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for body in bodies:
        try:
            spec = parse_spec(body)
        except Exception:
            continue  # error examples, data files: not this test's business
        out.append(spec.to_dict())
    return out


def _link_specs():
    links = [x for x in LINKS.read_text().splitlines() if x.startswith("http")]
    return [import_mm_url(x).to_dict() for x in links]


def fence_bodies(specs):
    return node_call("format/fencetext.js", "arg.map((s) => m.fenceBody(s))", specs)


def test_every_docs_and_link_spec_survives_the_fence_writer():
    specs = _docs_specs() + _link_specs()
    assert len(specs) >= 10
    for spec, body in zip(specs, fence_bodies(specs)):
        assert parse_spec(body).to_dict() == spec, body


def test_the_fence_reads_like_an_author_wrote_it():
    spec = {
        "expr": "out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V",
        "nodes": {
            "Q": {"shape": [256, 64], "init": "gaussian"},
            "A @ B": {"anim": {"alg": "vmprod"}},
        },
        "anim": {"alg": "vmprod", "speed": 4},
        "caption": "Attention: what, why",
    }
    (body,) = fence_bodies([spec])
    assert body == (
        "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\n"
        "nodes:\n"
        "  Q: {shape: [256, 64], init: gaussian}\n"
        '  "A @ B": {anim: {alg: vmprod}}\n'
        "anim: {alg: vmprod, speed: 4}\n"
        'caption: "Attention: what, why"\n'
    )


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_any_caption_and_alt_text_round_trips(texts):
    specs = [{"expr": "A @ B", "caption": t, "alt": t[::-1]} for t in texts]
    specs = [s for s in specs if s["caption"].strip() and s["alt"].strip()]
    if not specs:
        return
    for spec, body in zip(specs, fence_bodies(specs)):
        try:
            want = parse_spec(spec).to_dict()
        except Exception:
            continue  # texts the schema refuses as a mapping are refused as a fence too
        assert parse_spec(body).to_dict() == want, body
