"""Our URL state: a spec in a URL fragment, ``#mm=<base64url(deflate(json))>``.

The fragment never reaches a server, survives GitHub Pages, and is decoded by
the same validation as a fence (`parse_spec`), so a link can carry no more
than a fence can.  Decoding is capped before and after inflating, so a small
link cannot expand into a huge spec (a "zip bomb").
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from typing import Optional
from urllib.parse import unquote

from ..errors import DEFAULT_LIMITS, Limits, SpecError
from ..language import json_text
from ..spec.parse import parse_spec
from ..spec.spec import Spec

PREFIX = "mm="
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+\Z")


def encode_url_state(spec: Spec) -> str:
    """The fragment payload (without ``#mm=``) for ``spec``: short and deterministic."""
    text = json.dumps(spec.to_dict(), separators=(",", ":"), ensure_ascii=False)
    packer = zlib.compressobj(
        9, zlib.DEFLATED, -15
    )  # raw deflate: what browsers' DecompressionStream('deflate-raw') reads
    raw = packer.compress(text.encode("utf-8")) + packer.flush()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def url_fragment(spec: Spec) -> str:
    """``#mm=...`` for ``spec``."""
    return "#" + PREFIX + encode_url_state(spec)


def decode_url_state(
    state: str, base_dir: Optional[str] = None, *, limits: Limits = DEFAULT_LIMITS
) -> Spec:
    """Parse a payload, a ``#mm=...`` fragment or a whole URL carrying one."""
    if not isinstance(state, str):
        raise SpecError("URL state must be text", field="mm")
    if len(state) > limits.max_url:
        raise SpecError(
            "the link is %d characters long; the limit is %d" % (len(state), limits.max_url),
            "shorten the figure's spec",
            field="mm",
        )
    payload = state.split("#", 1)[1] if "#" in state else state
    if "=" in payload:  # a fragment with keys: take ours
        parts = [p[len(PREFIX) :] for p in payload.split("&") if p.startswith(PREFIX)]
        if not parts:
            raise SpecError(
                "the link has no mm= state", "copy the whole link, including #mm=...", field="mm"
            )
        payload = parts[0]
    payload = unquote(payload).strip().rstrip("=")
    # 4n+1 characters can never be base64 (a lone 6-bit group is not a byte).
    if not _BASE64URL.match(payload) or len(payload) % 4 == 1:
        raise SpecError(
            "the link's mm= state is not valid base64url",
            "the link may have been cut or changed; copy it again",
            field="mm",
        )
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, limits.max_text + 1)
    except zlib.error:
        raise SpecError(
            "the link's mm= state is corrupt (it does not inflate)",
            "the link may have been cut or changed; copy it again",
            field="mm",
        ) from None
    if len(data) > limits.max_text or inflater.unconsumed_tail:
        raise SpecError(
            "the link's spec is larger than %d characters" % limits.max_text,
            "links carry small specs; put large figures in a page",
            field="mm",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError("the link's mm= state is not a JSON spec", field="mm") from None
    mapping = json_text.loads(text, "the link's mm= state", "mm", limits)
    if not isinstance(mapping, dict):
        raise SpecError("the link's spec must be a mapping", field="mm")
    return parse_spec(mapping, base_dir, limits=limits)
