"""Writes docs/explainers/head-explorer.md: every head of all-MiniLM-L6-v2, 6 × 12 figures.

    .venv/bin/python scripts/head_explorer_page.py          # rewrite the page
    .venv/bin/python scripts/head_explorer_page.py --check  # exit 1 when it is stale

The page is 72 near-identical cards, so it is generated rather than typed; the result is
committed (an author reads plain Markdown, and `mkdocs build` needs no extra step) and
`tests/plugin/test_head_explorer.py` fails when the committed page differs from what
this script writes now.  What differs between cards comes from the data pipeline
(`scripts/minilm_data.py`): the tokens from ``cat-tokens.json``, and the measurements in
each caption from ``cat-stats.json``, written into the fence as text so the build shows
exactly the numbers the pipeline measured; the prose cites read-outs (``{mm l0h2:…}``)
and never types a number about a figure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Dict, List, Sequence

import minilm_data as md
import numpy as np

PAGE = md.ROOT / "docs" / "explainers" / "head-explorer.md"
DATA = "data/minilm"  # relative to the page, as the fences' data: paths are

# The figures are small (two per row on a wide screen, one on a phone, ~330 px wide):
# a nearly head-on camera makes the attention map a flat square, with q and k.T seen
# as slivers at its left and top; smaller names, no dimension legends and no flow
# arrow, which at this size covered the map's cells (screenshots, 1280 and 390 px).
ATTN_HEIGHT = 320
ATTN_CAMERA = [-8, 8, 60]
ATTN_DECO = "{legends: 4, shape: false, flow_guides: 0}"
CORE_HEIGHT = 180


def head_id(layer: int, head: int) -> str:
    return "l%dh%d" % (layer, head)


def effective_rank(m: np.ndarray) -> float:
    """exp(entropy of σ / Σσ), as the `rank` read-out computes it."""
    sv = np.linalg.svd(m.astype(np.float64), compute_uv=False)
    p = sv[sv > 0] / sv.sum()
    return float(np.exp(-(p * np.log(p)).sum()))


def pick(stats: Dict[str, Dict[str, float]], qk: np.ndarray) -> Dict[str, str]:
    """The heads the prose points at, chosen from the measurements (not by hand)."""

    def best(key, sign=1):
        name = max(stats, key=lambda n: sign * stats[n][key])
        layer, head = (int(p) for p in name.split("."))
        return head_id(layer, head)

    ranks = {
        (layer, h): effective_rank(qk[layer, h])
        for layer in range(md.LAYERS)
        for h in range(md.HEADS)
    }
    narrow = head_id(*min(ranks, key=ranks.get))
    prev = best("prev")
    note = (
        " It is the previous-token head again: matching positions takes few directions."
        if narrow == prev
        else ""
    )
    focused = best("entropy", -1)
    if focused == prev:
        focused_note = "the previous-token head has the lowest."
    else:
        focused_note = "[`%s`](#%s) has the lowest." % (focused, focused)
    return {
        "focused_note": focused_note,
        "narrow": narrow,
        "narrow_note": note,
        "prev": prev,
        "sink": best("sink"),
        "spread": best("entropy"),
    }


def attention_fence(
    layer: int, head: int, tokens: List[str], st: Dict[str, float], views: bool = False
) -> str:
    hid = head_id(layer, head)
    npz = "%s/cat-layer%d.npz" % (DATA, layer)
    return "\n".join(
        [
            "```{.mm #%s}" % hid,
            "expr: attn = softmax(q @ k.T / sqrt(k))",
            "labels:",
            "  tokens: %s" % json.dumps(tokens, ensure_ascii=False),
            "nodes:",
            '  q: {data: {path: %s, key: q, slice: "%d, :, :"}, labels: {rows: tokens}}'
            % (npz, head),
            '  k: {data: {path: %s, key: k, slice: "%d, :, :"}, labels: {rows: tokens}}'
            % (npz, head),
            "  attn: {colors: {sensitivity: local}}",
            "readouts: {attn: [max, rank]}",
            "camera: {position: %s}" % json.dumps(ATTN_CAMERA),
            "deco: %s" % ATTN_DECO,
        ]
        + (
            [
                "views:",
                "  start: {label: the map head-on}",
                "  cube: {position: [-40, 40, 40], label: the product as a cube}",
            ]
            if views
            else []
        )
        + [
            "height: %d" % ATTN_HEIGHT,
            'caption: "Layer %d, head %d: entropy %.2f nats, on [CLS]+[SEP] %.2f, on the token'
            ' before %.2f"' % (layer, head, st["entropy"], st["sink"], st["prev"]),
            "```",
        ]
    )


def core_fence(layer: int, head: int, kind: str) -> str:
    hid = head_id(layer, head)
    a, b, name = {"qk": ("rq", "rk", "QK"), "ov": ("rv", "ro", "OV")}[kind]
    npz = "%s/head-cores.npz" % DATA
    return "\n".join(
        [
            "```{.mm #%s-%s}" % (hid, kind),
            "expr: %s = R%s @ R%s.T" % (name, a[1], b[1]),
            "nodes:",
            '  R%s: {data: {path: %s, key: %s, slice: "%d, %d, :, :"}}'
            % (a[1], npz, a, layer, head),
            '  R%s: {data: {path: %s, key: %s, slice: "%d, %d, :, :"}}'
            % (b[1], npz, b, layer, head),
            "readouts: {%s: [{sv: 4}, rank]}" % name,
            "height: %d" % CORE_HEIGHT,
            'caption: "Layer %d, head %d: the %s core"' % (layer, head, name),
            "```",
        ]
    )


INTRO = """\
# Head explorer

Every attention head of [all-MiniLM-L6-v2](attention-head.md), all 6 layers × 12 heads,
on the sentence of the attention-head page: *{text}* ({n} tokens). Each card is one head,
named by its figure id: `l3h1` is layer 3, head 1, and other pages can link to it as
`head-explorer.md#l3h1`.

Each card has three figures:

- **The attention pattern**, `attn = softmax(q @ k.T / sqrt(k))` from the head's real
  queries and keys (biases included, as the model computed them). Rows are the query
  tokens, columns the key tokens; each row sums to 1. The caption gives what the data
  pipeline measured on this map: the mean entropy of a row (0 when every token looks at
  one token, ln {n} ≈ 3.14 nats when attention is spread evenly), the mean share on
  `[CLS]` and `[SEP]`, and the mean share on the token just before.
- **The QK core** and **the OV core**: the head's spectra. What a head reads is
  `QK = Wq @ Wk.T` and what it writes is `OV = Wv @ Wo`, both 384×384 (see [what the
  head reads and writes](attention-head.md#what-the-head-reads-and-writes)); 72 of each
  are 21 million values, over 40 MB even at float16. But each is a product through 32 dimensions. Factor
  `Wq = Q_q R_q` (QR: `Q_q` has 32 orthonormal columns, `R_q` is 32×32) and
  `Wk = Q_k R_k`; then `Wq Wkᵀ = Q_q (R_q R_kᵀ) Q_kᵀ`, and multiplying by matrices with
  orthonormal columns changes no singular value. So the 32×32 *core* `R_q R_kᵀ` has
  exactly the 32 nonzero singular values of the 384×384 QK; likewise `R_v R_oᵀ` with
  `Wv = Q_v R_v` and `Woᵀ = Q_o R_o` for OV. The cores' entries mean little (the `Q`
  factors are one basis of many), but their read-outs are the head's: the four largest
  singular values and the effective rank (32 when all directions are used evenly).

The pipeline computes the factors in float64 from the model's float32 weights and stores
them as float32; a test checks every core's singular values against `numpy.linalg.svd`
of the full products.

## What to look for

- **A previous-token head.** [`{prev}`](#{prev}) puts nearly all of each row on the
  token before: its map is the diagonal shifted down by one, with a largest weight of
  {{mm {prev}:attn.max:.2f}} and an effective rank of {{mm {prev}:attn.rank:.1f}}, near
  the {n} of a permutation. [Turn it to see the product as a cube](#{prev}:cube): the
  queries `q` on the left, the keys `k.T` on top, and the map where they meet;
  [back to the map head-on](#{prev}:start).
- **An attention sink.** [`{sink}`](#{sink}) sends the largest share of any head to
  `[CLS]` and `[SEP]` (its caption says how much): a bright first column, the key every
  query falls back on when it finds nothing to look up. Sinks fill the middle layers;
  compare the captions of layers 1 to 4 with those of layers 0 and 5.
- **Spread and focused heads.** [`{spread}`](#{spread}) has the highest mean entropy,
  spreading each row over many tokens (effective rank {{mm {spread}:attn.rank:.1f}});
  {focused_note}
- **Spectra.** Most QK and OV cores use nearly all of their 32 directions. The QK core
  with the lowest effective rank of all 72 is [`{narrow}`](#{narrow})'s:
  {{mm {narrow}-qk:QK.rank:.1f}}, with σ1 = {{mm {narrow}-qk:QK.sv[1]:.1f}}.{narrow_note}

Hover a cell to read a weight; drag to turn a figure. The figures load as they near the
screen.
"""


def page(tokens: List[str], text: str, stats: Dict[str, Dict[str, float]], qk: np.ndarray) -> str:
    picked = pick(stats, qk)
    parts = [INTRO.format(text=text, n=len(tokens), **picked)]
    for layer in range(md.LAYERS):
        parts.append("## Layer %d\n" % layer)
        parts.append('<div class="grid mm-explorer" markdown>\n')
        for head in range(md.HEADS):
            st = stats["%d.%d" % (layer, head)]
            parts.append('<div class="card" markdown>\n')
            views = head_id(layer, head) in picked.values()
            parts.append(attention_fence(layer, head, tokens, st, views) + "\n")
            # each core in a div of its own: a fence is a figure, a caption and a read-out
            # table, which the two-column grid must keep together
            parts.append('<div class="mm-explorer-cores" markdown>\n')
            for kind in ("qk", "ov"):
                parts.append("<div markdown>\n\n%s\n\n</div>\n" % core_fence(layer, head, kind))
            parts.append("</div>\n</div>\n")
        parts.append("</div>\n")
    return "\n".join(parts)


def render() -> str:
    md.generate()  # cached by its stamp: a few stat calls when current
    folder = md.OUT_DIR
    tok = json.loads((folder / "cat-tokens.json").read_text("utf-8"))
    stats = json.loads((folder / "cat-stats.json").read_text("utf-8"))
    with np.load(folder / "head-cores.npz") as z:
        qk = z["qk"]
    return page(tok["tokens"], tok["text"], stats, qk)


def main(argv: Sequence[str] = ()) -> int:
    text = render()
    if "--check" in argv:
        if PAGE.read_text("utf-8") != text:
            print("stale: %s (run scripts/head_explorer_page.py)" % PAGE, file=sys.stderr)
            return 1
        return 0
    Path(PAGE).write_text(text, "utf-8")
    print("wrote %s" % PAGE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
