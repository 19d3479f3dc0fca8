"""Links to named views (`viewlinks.py`): a link naming a figure or view that does not
exist fails `--strict` at page:line:column; good ones reach the page unchanged, and the
figure's scene file carries the views the viewer moves to."""

from __future__ import annotations

import re

import pytest

from mm_docs_plugin.core.scene.pack import unpack

from .conftest import mkdocs_build

FENCE = (
    "```{.mm #att}\nexpr: out = (attn = Q @ K.T) @ V\nanim: vmprod\n"
    "views:\n  scores: {focus: attn, step: 3}\n  start: {}\n```\n"
)


def test_good_links_pass_strict_and_the_scene_has_the_views(site):
    page = FENCE + "\nSee [the scores](#att:scores), then [back](#att:start).\n\n`[x](#att:nope)`\n"
    # MkDocs checks anchors too: each view has one, so even `anchors: warn` passes --strict.
    root = site({"index.md": page}, validation={"anchors": "warn"})
    r = mkdocs_build(root, "--strict")
    assert r.returncode == 0, r.stderr
    html = (root / "site" / "index.html").read_text("utf-8")
    assert '<a href="#att:scores">the scores</a>' in html
    assert '<span class="mm-view-anchor" id="att:scores"></span>' in html
    assert (
        '<nav class="mm-views" aria-label="Views of the figure" data-mm-for="att">Views: '
        '<a href="#att:scores">scores</a> <a href="#att:start">start</a></nav>'
    ) in html
    assert "no such anchor" not in r.stderr
    scene = re.search(r'id="att" data-mm-scene="([^"]+)"', html).group(1)
    header, _ = unpack((root / "site" / scene).read_bytes())
    assert [(v["name"], v["step"]) for v in header["views"]] == [("scores", 3), ("start", None)]


@pytest.mark.parametrize(
    "link, message, hint",
    [
        ("#att:score", "the link #att:score names the view 'score', which the figure 'att' "
         "does not have", "did you mean 'scores'?"),
        ("#atx:scores", "the link #atx:scores names the figure 'atx', which is not on this page",
         "did you mean 'att'?"),
    ],
)  # fmt: skip
def test_bad_links_fail_strict_at_page_line_column(site, link, message, hint):
    page = FENCE + "\nSome text, and [a link](%s).\n" % link
    r = mkdocs_build(site({"index.md": page}), "--strict")
    assert r.returncode != 0
    line = page.splitlines().index("Some text, and [a link](%s)." % link) + 1
    assert "mm: index.md:%d:25: %s — hint: %s" % (line, message, hint) in r.stderr
