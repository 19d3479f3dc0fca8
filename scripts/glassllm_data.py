"""Causal attention maps of glassllm, a toy decoder, for the attention-head page.

The site's second data hook (``hooks:`` in mkdocs.yml), beside `minilm_data`: it
loads PyPI ``glassllm``'s packaged English weights (4 layers, 4 query heads sharing 2
key/value heads, d_model 128, head width 32, RoPE; trained on a little Lewis
Carroll), runs one sentence through the package's own numpy forward pass with its
tracer, and writes per layer a float16 ``.npz`` with the queries and keys *after*
the rotary position encoding, one per query head (``q``, ``k``: 4×T×32; a key/value
head is repeated for the two query heads that share it, as the model does), and the
causal attention maps (``attn``: 4×T×T).  Tokens go to ``alice-tokens.json``.

Same rules as `minilm_data`: build time only, no network, output git-ignored under
``docs/explainers/data/glassllm/`` and stamped by input hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import Dict, Sequence

import numpy as np

VERSION = "0.1.0"
SETUP_HINT = "run `make setup` (it installs glassllm==%s)" % VERSION
ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "docs" / "explainers" / "data" / "glassllm"
SENTENCES: Dict[str, str] = {
    "alice": "Alice was beginning to get very tired of sitting by her sister on the bank.",
}


class MissingModel(RuntimeError):
    """glassllm is not installed."""


def load():
    try:
        import glassllm
    except ImportError as exc:
        raise MissingModel(
            "the attention-head page needs the toy decoder from PyPI package glassllm, "
            "which is not installed; " + SETUP_HINT
        ) from exc
    if glassllm.__version__ != VERSION:
        raise MissingModel(
            "glassllm %s is installed, the page was written for %s; %s"
            % (glassllm.__version__, VERSION, SETUP_HINT)
        )
    return glassllm


def trace(text: str):
    """(token strings, per layer {q, k, attn}) from glassllm's own traced forward pass."""
    g = load()
    model, tok = g.load_pretrained("en")
    ids = tok.encode(text)
    tr = g.Tracer()
    with g.no_grad():
        model.forward(ids, trace=tr)
    layers = []
    for layer in range(model.cfg.n_layers):
        q = tr.get("attn.rope_q", layer=layer).value  # (heads, T, d_k)
        k = tr.get("attn.rope_k", layer=layer).value  # (kv_heads, T, d_k)
        k = np.repeat(k, model.cfg.n_heads // model.cfg.n_kv_heads, axis=0)
        a = tr.get("attn.softmax", layer=layer).value  # (heads, T, T)
        layers.append({"q": q, "k": k, "attn": a})
    return tok.tokens(ids), layers


def _stamp() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(json.dumps(SENTENCES, sort_keys=True).encode())
    h.update(VERSION.encode() + np.__version__.encode())
    return h.hexdigest()


def generate(out_dir: Path = OUT_DIR, force: bool = False) -> bool:
    load()  # fails with the setup hint even when the files exist
    stamp_file = out_dir / "stamp.txt"
    if not force and stamp_file.exists() and stamp_file.read_text("utf-8") == _stamp():
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in SENTENCES.items():
        tokens, layers = trace(text)
        for n, arrays in enumerate(layers):
            np.savez(
                out_dir / ("%s-layer%d.npz" % (name, n)),
                **{k: v.astype(np.float16) for k, v in arrays.items()},
            )
        (out_dir / ("%s-tokens.json" % name)).write_text(
            json.dumps({"text": text, "tokens": tokens}, indent=1), "utf-8"
        )
    stamp_file.write_text(_stamp(), "utf-8")
    return True


def on_config(config, **kwargs):
    """MkDocs hook: write the arrays before any page is built."""
    from mkdocs.exceptions import PluginError

    out_dir = Path(config["docs_dir"]) / OUT_DIR.relative_to(ROOT / "docs")
    try:
        if generate(out_dir):
            logging.getLogger("mkdocs.hooks.glassllm_data").info("glassllm_data: wrote %s", out_dir)
    except MissingModel as exc:
        raise PluginError("glassllm_data: %s" % exc) from exc
    return config


def main(argv: Sequence[str] = ()) -> int:
    try:
        wrote = generate(force="--force" in argv)
    except MissingModel as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    print(("wrote " if wrote else "up to date: ") + str(OUT_DIR))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
