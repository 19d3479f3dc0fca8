"""The core's entry point for the browser: one request in, scene bytes or an error out.

The Pyodide worker (pyodide_app/src/worker.js) calls `handle` with a JSON
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
from .evaluate import build
from .mmlink import import_mm_url
from .spec import parse_spec


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
            )
    # No data folder and no network: data files reach the worker only as
    # files the page wrote into its file system first (none yet).
    return build(parse_spec(source, None, limits=limits)).to_bytes()


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
    try:
        req = json.loads(request)
    except ValueError as e:
        raise SpecError("the request is not JSON: %s" % e) from None
    if not isinstance(req, dict):
        raise SpecError("the request must be a JSON object")
    return req
