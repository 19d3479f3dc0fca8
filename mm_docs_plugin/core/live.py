"""The core's entry point for the browser: one request in, scene bytes or an error out.

The Pyodide worker (pyodide_app/src/live/worker.js) calls `handle` with a JSON
request and gets back either the scene file (``bytes``, which the worker hands
to the page as a transferred buffer) or a JSON error (``str``).  Keeping the
whole exchange in two plain types makes it identical on Pyodide 0.17 (Python
3.8) and current Pyodide, whose proxies differ.

Request: ``{"spec": {...}}`` (the editor's spec mapping), ``{"text": "..."}``
(fence text) or ``{"mm_link": "..."}`` (a link to the mm tool, for the full
view); optional ``"max_elements"``.  Error: ``{"error": {"message",
"hint", "line", "column", "length", "field"}}``.  Only `SpecError` is an
answer; anything else is a bug and propagates, so the worker reports it as one.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Union

from .errors import DEFAULT_LIMITS, Limits, SpecError
from .language import json_text
from .language.fence_yaml import parse_yaml, to_python
from .links.mmlink import import_mm_url
from .scene.build import build
from .spec.parse import parse_spec


def handle(request: str) -> Union[bytes, str]:
    """Build the scene a JSON request describes; a JSON error string if it cannot."""
    try:
        return build_scene_bytes(_decode(request))
    except SpecError as e:
        return json.dumps({"error": error_dict(e)})


def build_scene_bytes(req: Dict[str, Any]) -> bytes:
    limits = DEFAULT_LIMITS
    cap = req.get("max_elements")
    if cap is not None:
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
            raise SpecError("max_elements must be a positive integer", field="max_elements")
        limits = Limits(max_elements=cap)
    if "mm_link" in req:
        link = req["mm_link"]
        if not isinstance(link, str):
            raise SpecError("mm_link must be the link's text", field="mm_link")
        return build(import_mm_url(link, None, limits=limits)).to_bytes()
    if "text" in req:
        source = req["text"]
        if not isinstance(source, str):
            raise SpecError("text must be the fence's text", field="text")
    else:
        source = req.get("spec")
        if not isinstance(source, dict):
            raise SpecError(
                "the request has neither a spec mapping nor fence text",
                'send {"spec": {...}} or {"text": "..."}',
                field="request",
            )
    # Both forms are checked: fence text is read as data first, so a crafted request
    # cannot make the worker open a file of its own file system.
    _refuse_data_files(
        source if isinstance(source, dict) else to_python(parse_yaml(source, limits))
    )
    return build(parse_spec(source, None, limits=limits)).to_bytes()


def _refuse_data_files(spec: Any) -> None:
    """The browser has no copy of a figure's data files: say so, by name, up front
    (parsing would report a missing file in Pyodide's home folder instead)."""
    nodes = spec.get("nodes") if isinstance(spec, dict) else None  # parse_spec reports the rest
    if not isinstance(nodes, dict):
        return
    for name, settings in nodes.items():
        data = settings.get("data") if isinstance(settings, dict) else None
        if data is None:
            continue
        path = data.get("path") or data.get("url") if isinstance(data, dict) else data
        raise SpecError(
            "%s's values come from the data file %r, which is read when the site is built, "
            "not in the browser" % (name, path),
            "give %s another init to edit this figure here, or edit the page and rebuild" % name,
            field="nodes.%s.data" % name,
        )


def error_dict(e: SpecError) -> Dict[str, Any]:
    return {
        "message": e.message,
        "hint": e.hint,
        "line": e.line,
        "column": e.column,
        "length": e.length,
        "field": e.field,
    }


def _decode(request: str) -> Dict[str, Any]:
    req = json_text.loads(request, "the request", "request")
    if not isinstance(req, dict):
        raise SpecError("the request must be a JSON object", field="request")
    return req
