"""JSON text from outside (URL state, mm links, live requests, file headers), read safely.

Python's ``json`` recurses once per bracket: 5,000 brackets (54 bytes deflated)
exhaust the stack. The nesting is measured first, outside strings and without
recursion, and refused past the limit before ``json.loads`` sees the text. Huge
integers are refused too: every number of a spec becomes a float.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from ..errors import DEFAULT_LIMITS, Limits, SpecError

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
# JSON nests a spec a few levels deep; a mm link's tree one level per matmul.
MAX_JSON_DEPTH = 200
_MAX_DIGITS = 308  # 1e308: the largest a float holds


def nesting(text: str) -> int:
    """The deepest nesting of brackets in ``text``, strings skipped."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if m.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise ValueError("a number of %d digits is beyond float range" % len(text))
    return int(text)


def loads(
    text: str,
    what: str,
    field: Optional[str] = None,
    limits: Limits = DEFAULT_LIMITS,
    hint: Optional[str] = None,
) -> Any:
    """``json.loads(text)``, or a SpecError naming ``what`` (and ``field``)."""
    cap = max(MAX_JSON_DEPTH, limits.max_depth)
    if nesting(text) > cap:
        raise SpecError(
            "%s nests deeper than %d levels" % (what, cap),
            hint or "a real one nests a few levels; copy it again",
            field=field,
        )
    try:
        return json.loads(text, parse_int=_int)
    except ValueError as e:  # JSONDecodeError, and _int's refusal
        raise SpecError(
            "%s is not valid JSON (%s)" % (what, e), hint or "copy it again", field=field
        ) from None
