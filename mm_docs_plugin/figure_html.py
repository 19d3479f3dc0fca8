"""The placeholder HTML of one figure: what a page holds before JavaScript runs.

    <figure class="mm-figure" id="mm-3f2a…" data-mm-scene="…/scene.mmsc"
            data-mm-spec="<#mm= state>" data-mm-state="poster"
            role="img" aria-label="Q (256×64) @ K.T (64×256) → attn (256×256), softmax"
            tabindex="0" style="--mm-height: 480px">
      <img class="mm-poster mm-poster-dark" src="…/dark.svg" alt="…" loading="lazy">
      <img class="mm-poster mm-poster-light" src="…/light.svg" alt="…" loading="lazy">
      <figcaption>…</figcaption>
    </figure>

The viewer (pyodide_app) mounts every ``figure.mm-figure``: it fetches
``data-mm-scene``, draws into the figure, and moves ``data-mm-state`` from
``poster`` through ``loading`` to ``ready`` (or ``error``).  With a poster per
palette, viewer.css shows the page's (as figure/theme.js decides) and hides the
other, which ``loading="lazy"`` then never fetches unless the palette changes;
a single poster is shown whatever the palette.  No inline script;
every text is escaped.  Ids come from a hash of the page and the fence (`figure_id`),
never a global counter, so two builds give the same HTML.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Optional, Sequence

from .core import Scene, encode_url_state
from .core.scene.describe import figure_alt

DEFAULT_HEIGHT = 480


def figure_id(page: str, source: str, occurrence: int = 0) -> str:
    """A stable HTML id from the page and the fence: its text and which of the page's
    fences with that text it is, so identical fences get distinct ids and editing one
    figure leaves the others' ids (and links to them) alone."""
    key = "%s\0%d\0%s" % (page, occurrence, source)
    return "mm-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def figure_html(
    scene: Scene,
    scene_url: str,
    poster_url: Optional[str] = None,
    *,
    figure_id: str,
    height: Optional[int] = None,
    classes: Sequence[str] = (),
    light_poster_url: Optional[str] = None,
) -> str:
    """The placeholder for ``scene``; URLs are used as given (make them page-relative).

    ``poster_url`` is the dark poster when ``light_poster_url`` is given too.
    """
    figure = scene.spec.figure
    alt = figure_alt(scene)
    px = height or figure.height or DEFAULT_HEIGHT
    attrs = {
        "class": " ".join(("mm-figure", *classes)),
        "id": figure_id,
        "data-mm-scene": scene_url,
        "data-mm-spec": encode_url_state(scene.spec),
        "data-mm-state": "poster",
        "role": "img",
        "aria-label": alt,
        "tabindex": "0",
        "style": "--mm-height: %dpx" % px,
    }
    if scene.readouts:  # the read-out table after the figure (readouts_html.py)
        attrs["aria-details"] = figure_id + "-readouts"
    out = ["<figure %s>" % " ".join('%s="%s"' % (k, escape(str(v))) for k, v in attrs.items())]
    if poster_url and light_poster_url:
        for theme, url in (("dark", poster_url), ("light", light_poster_url)):
            out.append(
                '<img class="mm-poster mm-poster-%s" src="%s" alt="%s" loading="lazy" />'
                % (theme, escape(url), escape(alt))
            )
    elif poster_url:
        out.append(
            '<img class="mm-poster" src="%s" alt="%s" />' % (escape(poster_url), escape(alt))
        )
    if figure.caption:
        out.append("<figcaption>%s</figcaption>" % escape(figure.caption))
    out.append("</figure>")
    return "\n".join(out)
