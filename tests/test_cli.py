"""The mm-docs command line: outputs, and one clear error line with status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mm_docs_plugin.cli import main
from mm_docs_plugin.core import decode_url_state, parse_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "fig.yaml"
    path.write_text("expr: out = relu(A @ B) @ C\nnodes: {A: {shape: [4, 6]}}\n")
    return path


def test_inspect_prints_nodes_shapes_and_size(spec_file, capsys):
    assert main(["inspect", str(spec_file)]) == 0
    out = capsys.readouterr().out
    assert "out" in out and "4×32" in out and "relu(x)" in out
    assert "scene file:" in out and "elements" in out


def test_url_round_trips(spec_file, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here (the repository's has a site_url)
    assert main(["url", str(spec_file)]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("app.html#mm=")
    assert decode_url_state(link) == parse_spec(spec_file.read_text())


def test_import_mm_prints_yaml_that_parses(capsys):
    link = next(
        x for x in (FIXTURES / "mm-links.txt").read_text().splitlines() if x.startswith("http")
    )
    assert main(["import-mm", link]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert parse_spec(data).expr == "L @ R"


def test_poster_writes_svg(spec_file, tmp_path, capsys):
    out = tmp_path / "p.svg"
    assert main(["poster", str(spec_file), "-o", str(out)]) == 0
    assert out.read_text().lstrip().startswith(("<svg", "<?xml"))


@pytest.mark.parametrize(
    "args,text,fragment",
    [
        (["inspect", "{path}"], "expr: A @ (B", ":1:13: expected ')'"),
        (["inspect", "{path}"], "expr: A @ B\nanmi: 1", ":2:1: unknown key 'anmi'"),
        (["inspect", "/nonexistent/x.yaml"], None, "cannot read /nonexistent/x.yaml"),
        (["import-mm", "https://bhosmer.github.io/mm/?params=%7Bbad"], None, "not valid JSON"),
    ],
)
def test_bad_input_is_one_error_line_and_status_2(args, text, fragment, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    if text is not None:
        path.write_text(text)
    assert main([a.format(path=path) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mm-docs: error: ")
    assert fragment in err


def test_assets_copies_the_viewer_for_sites_without_the_plugin(tmp_path, capsys):
    from mm_docs_plugin.siteassets import ASSET_FILES, ASSETS

    assert main(["assets", str(tmp_path / "mm")]) == 0
    for name in ASSET_FILES:
        assert (tmp_path / "mm" / name).read_bytes() == (ASSETS / name).read_bytes()
    assert (tmp_path / "mm" / "mm-core.zip").stat().st_size > 10_000


def test_validate_columns_count_the_fence_indentation(tmp_path, capsys):
    page = tmp_path / "p.md"
    page.write_text(
        "!!! note\n\n    ```mm\n    expr: A @ B\n    nodes: {A: {init: bogus}}\n    ```\n"
    )
    assert main(["validate", str(page)]) == 1
    assert capsys.readouterr().err.startswith("%s:5:23: nodes.A.init must be one of" % page)


def test_preview_writes_one_self_contained_page(spec_file, tmp_path, capsys):
    out = tmp_path / "p.html"
    assert main(["preview", str(spec_file), "-o", str(out)]) == 0
    html = out.read_text()
    assert '<script type="module">' in html and 'data-mm-scene="data:application/' in html
    assert "http://" not in html.split("<figure", 1)[1]


def test_preview_serves_the_page(spec_file, monkeypatch):
    import threading
    import urllib.request

    import mm_docs_plugin.cli as cli

    started = threading.Event()
    served = {}

    base = cli.http.server.ThreadingHTTPServer

    class Server(base):
        def serve_forever(self, poll_interval=0.5):
            # Serve for real in a thread, fetch the page as a browser would, then stop.
            thread = threading.Thread(target=base.serve_forever, args=(self, 0.05), daemon=True)
            thread.start()
            started.set()
            url = "http://127.0.0.1:%d/" % self.server_address[1]
            served["html"] = urllib.request.urlopen(url, timeout=10).read().decode()
            self.shutdown()

    monkeypatch.setattr(cli.http.server, "ThreadingHTTPServer", Server)
    assert main(["preview", str(spec_file), "--port", "0"]) == 0
    assert started.is_set() and "<figure" in served["html"]


CITING_PAGE = """# A page

```{.mm #qk}
expr: QK = A @ B
nodes: {A: {shape: [4, 3]}, B: {shape: [3, 4]}}
readouts: {QK: [sv, rank]}
views: {top: {position: [0, 30, 0]}}
```

σ1 is {mm qk:QK.sv[1]}, rank {mm qk:QK.rank:.2f}; wrong: {mm qk:QK.norm} and {mm kq:QK.sv[1]}.
See [the top](#qk:top) and [nothing](#qk:side); `{mm qk:nope.sv}` is code.
"""


def test_validate_checks_citations_and_view_links_as_the_build_does(tmp_path, capsys):
    page = tmp_path / "p.md"
    page.write_text(CITING_PAGE, encoding="utf-8")
    assert main(["validate", str(page)]) == 1
    assert capsys.readouterr().err.splitlines()[:3] == [
        "%s:10:58: {mm qk:QK.norm}: the figure 'qk' reads out sv, rank of QK, not norm"
        " — hint: add norm to readouts.QK" % page,
        "%s:10:78: {mm kq:QK.sv[1]} cites the figure 'kq', which is not on this page"
        " — hint: expected one of: qk" % page,
        "%s:11:38: the link #qk:side names the view 'side', which the figure 'qk' does not"
        " have — hint: expected one of: top" % page,
    ]


def test_validate_reports_a_broken_figure_once_not_again_for_its_citations(tmp_path, capsys):
    page = tmp_path / "p.md"
    page.write_text(CITING_PAGE.replace("shape: [3, 4]", "shape: [5, 4]"), encoding="utf-8")
    assert main(["validate", str(page)]) == 1
    err = capsys.readouterr().err.splitlines()
    # The shape error, and the citation of a figure that does not exist; nothing for
    # what cites or links the broken figure 'qk'.
    assert err[0].startswith("%s:4:7: inner dimensions differ" % page), err
    assert err[1].startswith("%s:10:78: {mm kq:QK.sv[1]}" % page), err
    assert err[2:] == ["mm-docs validate: 1 file(s), 2 problem(s)"]


def test_url_takes_its_base_from_the_site_url_of_the_mkdocs_yml_here(
    spec_file, capsys, tmp_path, monkeypatch
):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://me.github.io/notes/\n")
    monkeypatch.chdir(tmp_path)
    assert main(["url", str(spec_file)]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://me.github.io/notes/assets/mm/app.html#mm=")
    assert decode_url_state(link) == parse_spec(spec_file.read_text())
