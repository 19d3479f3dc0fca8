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


def test_url_round_trips(spec_file, capsys):
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
