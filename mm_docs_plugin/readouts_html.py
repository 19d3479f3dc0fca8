"""What a figure has beside it: the read-out table (a real ``<table>``, not in the
canvas) and the links to its named views (`views_html`).

    <div class="mm-readouts" id="<figure id>-readouts" data-mm-for="<figure id>">
      <table class="mm-readouts-table">
        <caption>Read-outs of the figure above, computed from its values</caption>
        <thead><tr><th scope="col">matrix</th><th scope="col">read-out</th>
                   <th scope="col">value</th></tr></thead>
        <tbody><tr data-mm-ref="QK.sv"><th scope="row">QK</th><td>singular values σ1…σ6</td>
                   <td>19.02, 12.25, …</td></tr> …</tbody>
      </table>
    </div>

It is a sibling of the ``<figure>`` (whose ``role="img"`` would hide a table inside it
from assistive technology).  The rows come from the scene header's ``readouts``
(`core.scene.readouts.table_rows`), so the viewer rebuilds the same table after a live
edit (`pyodide_app/src/figure/readouts.js`).  Every text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import List

CAPTION = "Read-outs of the figure above, computed from its values"
HEAD = ("matrix", "read-out", "value")


def readouts_html(readouts: List[dict], figure_id: str) -> str:
    """The table for a scene's ``readouts`` (empty text when there are none)."""
    if not readouts:
        return ""
    out = [
        '<div class="mm-readouts" id="%s-readouts" data-mm-for="%s">'
        % (escape(figure_id), escape(figure_id)),
        '<table class="mm-readouts-table">',  # a class: themes style only bare tables
        "<caption>%s</caption>" % CAPTION,
        "<thead><tr>%s</tr></thead>" % "".join('<th scope="col">%s</th>' % h for h in HEAD),
        "<tbody>",
    ]
    for readout in readouts:
        for row in readout["rows"]:
            out.append(
                '<tr data-mm-ref="%s"><th scope="row">%s</th><td>%s</td><td>%s</td></tr>'
                % tuple(escape(x) for x in (row["ref"], readout["node"], row["label"], row["text"]))
            )
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def views_html(views: List[dict], figure_id: str) -> str:
    """Links to a figure's named views, under it: the same links the prose can hold
    (``#ID:VIEW``), so a reader can switch views without the text (empty without views)."""
    if not views:
        return ""
    links = " ".join(
        '<a href="#%s:%s">%s</a>' % (escape(figure_id), escape(v["name"]), escape(v["label"]))
        for v in views
    )
    return (
        '<nav class="mm-views" aria-label="Views of the figure" data-mm-for="%s">Views: %s</nav>'
        % (
            escape(figure_id),
            links,
        )
    )
