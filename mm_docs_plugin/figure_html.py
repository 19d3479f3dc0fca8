"""The placeholder HTML of one figure: what a page holds before JavaScript runs.

    <figure class="mm-figure" id="mm-3f2a…" data-mm-scene="…/scene.mmsc"
            data-mm-spec="<#mm= state>" data-mm-state="poster"
            role="img" aria-label="Q (256×64) @ K.T (64×256) → attn (256×256), softmax"
            tabindex="0" style="--mm-height: 480px">
      <img class="mm-poster" src="…/poster.svg" alt="…">
      <figcaption>…</figcaption>
    </figure>

The viewer (pyodide_app) mounts every ``figure.mm-figure``: it fetches
``data-mm-scene``, draws into the figure, and moves ``data-mm-state`` from
``poster`` through ``loading`` to ``ready`` (or ``error``).  No inline script;
every text is escaped.  Ids come from a hash of the spec, never a counter, so
two builds give the same HTML.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Optional

from .core import Scene, encode_url_state

DEFAULT_HEIGHT = 480


def describe(scene: Scene) -> str:
    """A text alternative generated from the spec: every product and its operands."""
    parts = []
    for node in reversed(list(scene.nodes)):  # children before parents reads naturally
        if node.kind != "matmul":
            continue
        text = "%s (%s) @ %s (%s) → %s (%s)" % (
            node.left.name,
            _shape(node.left.shape),
            node.right.name,
            _shape(node.right.shape),
            node.name,
            _shape(node.shape),
        )
        words = epilog_words(node.epilog_ops)
        if words:
            text += ", " + words
        parts.append(text)
    return "; ".join(parts)


def epilog_words(ops) -> str:
    """An epilog in words for screen readers: ``softmax(tril(x / sqrt(k)))`` → "scaled, causal softmax"."""
    kinds = [op.kind for op in ops]
    words = []
    if "scale" in kinds:
        words.append("scaled")
    masked = "tril" in kinds or "triu" in kinds
    for kind in kinds:
        if kind == "softmax":
            words.append("causal softmax" if masked else "softmax")
        elif kind in ("tril", "triu"):
            if "softmax" not in kinds:
                words.append("lower-triangular mask" if kind == "tril" else "upper-triangular mask")
        elif kind == "layernorm_matrix":
            words.append("layernorm over the whole matrix")
        elif kind != "scale":
            words.append(kind)
    return ", ".join(words)


def _shape(shape) -> str:
    return "%d×%d" % tuple(shape)


def figure_id(scene: Scene) -> str:
    return "mm-" + hashlib.sha256(encode_url_state(scene.spec).encode()).hexdigest()[:12]


def figure_html(
    scene: Scene,
    scene_url: str,
    poster_url: Optional[str] = None,
    *,
    height: Optional[int] = None,
) -> str:
    """The placeholder for ``scene``; URLs are used as given (make them page-relative)."""
    figure = scene.spec.figure
    alt = figure.alt or describe(scene)
    px = height or figure.height or DEFAULT_HEIGHT
    attrs = {
        "class": "mm-figure",
        "id": figure_id(scene),
        "data-mm-scene": scene_url,
        "data-mm-spec": encode_url_state(scene.spec),
        "data-mm-state": "poster",
        "role": "img",
        "aria-label": alt,
        "tabindex": "0",
        "style": "--mm-height: %dpx" % px,
    }
    out = ["<figure %s>" % " ".join('%s="%s"' % (k, escape(str(v))) for k, v in attrs.items())]
    if poster_url:
        out.append(
            '<img class="mm-poster" src="%s" alt="%s" />' % (escape(poster_url), escape(alt))
        )
    if figure.caption:
        out.append("<figcaption>%s</figcaption>" % escape(figure.caption))
    out.append("</figure>")
    return "\n".join(out)
