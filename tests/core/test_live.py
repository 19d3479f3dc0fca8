"""core/live.py: the browser's one entry point answers scene bytes or a JSON error."""

import json
from pathlib import Path

import numpy as np
import pytest

from mm_docs_plugin.core import Scene, build, import_mm_url, parse_spec
from mm_docs_plugin.core.live import handle

LINKS = Path(__file__).resolve().parents[1] / "fixtures" / "mm-links.txt"


def request(**kw):
    return json.dumps(kw)


def test_a_spec_mapping_gives_the_scene_cpython_builds():
    spec = {
        "expr": "out = A @ B.T",
        "nodes": {"A": {"shape": [6, 4], "init": "gaussian"}},
        "seed": 7,
    }
    out = handle(request(spec=spec))
    assert isinstance(out, bytes)
    got = Scene.from_bytes(out)
    want = build(parse_spec(spec))
    for node in want.nodes:
        np.testing.assert_allclose(got.nodes[node.name].values, node.values, rtol=1e-3, atol=1e-3)
    assert out == want.to_bytes()


def test_fence_text_and_mm_links_are_requests_too():
    assert (
        handle(request(text="expr: A @ B\nseed: 3"))
        == build(parse_spec("expr: A @ B\nseed: 3")).to_bytes()
    )
    link = next(x for x in LINKS.read_text().splitlines() if x.startswith("http"))
    assert handle(request(mm_link=link)) == build(import_mm_url(link)).to_bytes()


@pytest.mark.parametrize(
    "req, error",
    [
        (
            {"spec": {"expr": "A @@ B"}},
            {
                "message": "missing operand after '@'",
                "hint": "an operator needs a matrix (or, for * and /, a number) on both sides",
                "line": None,
                "column": 3,
                "length": 1,
                "field": "expr",
            },
        ),
        (
            {"spec": {"expr": "A @ B", "nodes": {"A": {"init": "gausian"}}}},
            {"field": "nodes.A.init", "hint": "did you mean 'gaussian'?"},
        ),
        (
            {"text": "expr: A @ B", "max_elements": 10},
            {"message": "the figure has 3,072 elements; the limit is 10"},
        ),
        ({"text": 5}, {"message": "text must be the fence's text", "field": "text"}),
        ({"mm_link": "https://bhosmer.github.io/mm/index.html?config=x"}, {"field": "from_mm"}),
        ({"max_elements": 0, "spec": {}}, {"message": "max_elements must be a positive integer"}),
        ({}, {"message": "the request has neither a spec mapping nor fence text"}),
    ],
)
def test_bad_requests_answer_a_json_error(req, error):
    out = handle(json.dumps(req))
    assert isinstance(out, str)
    got = json.loads(out)["error"]
    for key, value in error.items():
        assert got[key] == value, (key, got)


def test_a_request_that_is_not_a_json_object_is_an_error_not_a_crash():
    assert json.loads(handle("[1, 2]"))["error"]["message"] == "the request must be a JSON object"
    assert json.loads(handle("{"))["error"]["message"].startswith("the request is not valid JSON (")


def test_a_figure_with_a_data_file_says_the_browser_has_no_copy():
    spec = {"expr": "A @ B", "nodes": {"A": {"shape": [4, 4], "data": {"path": "w/gpt2.npy"}}}}
    got = json.loads(handle(json.dumps({"spec": spec})))["error"]
    assert got["message"] == (
        "A's values come from the data file 'w/gpt2.npy', which is read when the site is built, not in the browser"
    )
    assert (
        got["hint"] == "give A another init to edit this figure here, or edit the page and rebuild"
    )
    assert got["field"] == "nodes.A.data"
