"""Write a static page of figures, for looking at the viewer and for browser tests.

    python scripts/demo_site.py OUT_DIR [SPEC.yaml ...]

Each spec becomes a figure (scene file + dark and light posters + placeholder); the viewer's
built assets (mm_docs_plugin/assets) are copied next to the page.  With no
specs, a small gallery of the explainer's basic figures is written.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.figure_html import figure_html, figure_id
from mm_docs_plugin.poster import render_themes
from mm_docs_plugin.readouts_html import readouts_html, views_html
from mm_docs_plugin.siteassets import preload_tags

ASSETS = Path(__file__).resolve().parents[1] / "mm_docs_plugin" / "assets"
GALLERY = [
    'expr: L @ R\nnodes:\n  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}\n'
    '  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}\ndeco: {row_guides: 1}\n',
    "expr: A @ B @ C\nnodes: {A: {shape: [64, 32]}, B: {shape: [32, 96]}, C: {shape: [96, 32]}}\nanim: vmprod\n",
    "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\nnodes: {Q: {shape: [48, 16]}, V: {shape: [48, 16]}}\n",
]


def write_site(out: Path, specs, base_dir=None, limits=None, preload=False) -> Path:
    """Write ``index.html`` with one figure per spec (data paths resolve in ``base_dir``;
    ``limits``, a core `Limits`, for figures beyond the default caps); with ``preload``,
    the head preloads the viewer and the first scene files as the plugin's pages do
    (siteassets.preload_tags)."""
    out.mkdir(parents=True, exist_ok=True)
    figures, scenes = [], []
    for n, text in enumerate(specs):
        spec = parse_spec(text, base_dir, limits=limits) if limits else parse_spec(text, base_dir)
        scene = build(spec)
        (out / ("fig%d.mmsc" % n)).write_bytes(scene.to_bytes())
        scenes.append("fig%d.mmsc" % n)
        posters = render_themes(scene)
        (out / ("fig%d.svg" % n)).write_text(posters["dark"], encoding="utf-8")
        (out / ("fig%d.light.svg" % n)).write_text(posters["light"], encoding="utf-8")
        fid = figure_id("demo", text, n)
        html = figure_html(
            scene,
            "fig%d.mmsc" % n,
            "fig%d.svg" % n,
            figure_id=fid,
            light_poster_url="fig%d.light.svg" % n,
        )
        extras = (views_html(scene.views, fid), readouts_html(scene.readouts, fid))
        figures.append("\n".join((html,) + extras))
    if ASSETS.exists():
        for item in ASSETS.iterdir():
            if item.is_file():
                shutil.copy(item, out / item.name)
    page = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>mm-docs demo</title>",
        '<link rel="icon" href="data:,">',
        *([preload_tags("mm-viewer.js", scenes)] if preload else []),
        '<link rel="stylesheet" href="mm-viewer.css">',
        '<script type="module" src="mm-viewer.js"></script>',
        "</head><body>",
        *figures,
        "</body></html>",
    ]
    index = out / "index.html"
    index.write_text("\n".join(page), encoding="utf-8")
    return index


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "out/demo")
    texts = [Path(p).read_text() for p in sys.argv[2:]] or GALLERY
    print(write_site(target, texts))
