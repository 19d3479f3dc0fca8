"""`mkdocs build` of a generated 50-figure site: cold (target <= 20 s) and warm (<= 3 s).

Ten pages, five figures each: GPT-2-sized attention heads (input 256×768, wQ 768×64),
Q Kᵀ scores, MLPs, LoRA adapters, chains, small cubes, animations and blocked
products.  Cold: a fresh `mkdocs build` process with no ``.cache/mm-docs``.  Warm:
the same build again, reusing that cache.  Each build runs in its own process, as a
user would run it; the printed times include MkDocs' own start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

COLD_TARGET_S = 20.0
WARM_TARGET_S = 3.0


def gpt2_head(seed: int) -> str:
    return (
        "expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T)"
        " / sqrt(k)))) @ (V = input @ wV) @ wO\n"
        "seed: %d\n"
        "nodes:\n"
        "  input: {shape: [256, 768], init: gaussian}\n"
        "  wQ: {shape: [768, 64], init: gaussian, min: -0.1, max: 0.1}\n"
        "  wK_t: {init: gaussian, min: -0.1, max: 0.1}\n"
        "  wV: {init: gaussian, min: -0.1, max: 0.1}\n"
        "  wO: {shape: [64, 768], init: gaussian, min: -0.1, max: 0.1}\n"
        "  K_t: {anim: none}\n"
        "  V: {anim: none}\n"
        "anim: {alg: vmprod, fuse: sync}\n"
        "colors: {sensitivity: local}\n"
        "caption: GPT-2 small, layer 5, head %d\n" % (seed, seed)
    )


def qk_scores(seed: int) -> str:
    return (
        "expr: attn = softmax(tril(Q @ K.T / sqrt(k)))\n"
        "seed: %d\n"
        "nodes: {Q: {shape: [256, 64], init: gaussian}, K: {shape: [256, 64], init: gaussian}}\n"
        "caption: attention scores, one head\n" % seed
    )


def small_head(n: int, d: int) -> str:
    return (
        "expr: out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V\n"
        "nodes: {Q: {shape: [%d, %d]}, V: {shape: [%d, %d]}}\n"
        "anim: vmprod\n" % (n, d, n, d)
    )


def mlp(tokens: int, d: int, hidden: int, act: str) -> str:
    return (
        "expr: out = (h = %s(x @ W1)) @ W2\n"
        "nodes:\n"
        "  x: {shape: [%d, %d], init: gaussian}\n"
        "  W1: {shape: [%d, %d], init: gaussian, min: -0.05, max: 0.05}\n"
        "  W2: {shape: [%d, %d], init: gaussian, min: -0.05, max: 0.05}\n"
        "caption: MLP %d → %d → %d (%s)\n"
        % (act, tokens, d, d, hidden, hidden, d, d, hidden, d, act)
    )


def lora(tokens: int, d: int, rank: int) -> str:
    return (
        "expr: out = (down = x @ A) @ B\n"
        "nodes:\n"
        "  x: {shape: [%d, %d], init: gaussian}\n"
        "  A: {shape: [%d, %d], init: gaussian}\n"
        "  B: {shape: [%d, %d], init: zeros}\n"
        "anim: {alg: vmprod, fuse: sync}\n"
        "caption: LoRA adapter, rank %d\n" % (tokens, d, d, rank, rank, d, rank)
    )


def chain(n: int, alg: str) -> str:
    return (
        "expr: A @ B @ C\n"
        "nodes: {A: {shape: [%d, 32]}, B: {shape: [32, %d]}, C: {shape: [%d, 32]}}\n"
        "anim: %s\n" % (n, 3 * n // 2, 3 * n // 2, alg)
    )


def tree_chain() -> str:
    return (
        "expr: out = A @ B @ (C @ D)\n"
        "nodes: {A: {shape: [24, 32]}, B: {shape: [32, 48]}, C: {shape: [48, 16]}, D: {shape: [16, 24]}}\n"
        "anim: vvprod\n"
    )


def cube(n: int, init: str, alg: str) -> str:
    return (
        "expr: L @ R\n"
        "nodes: {L: {shape: [%d, %d], init: %s}, R: {shape: [%d, %d], init: %s}}\n"
        "anim: %s\n" % (n, n, init, n, n, init, alg)
    )


def bands() -> str:
    return (
        "expr: L @ R\n"
        "nodes:\n"
        '  L: {shape: [32, 24], expr: "-2 * (trunc(i / 8) % 2) + 1"}\n'
        '  R: {shape: [24, 32], expr: "-2 * (trunc(j / 8) % 2) + 1"}\n'
        "deco: {row_guides: 1}\n"
    )


def blocked(n: int, i: int, j: int, k: int) -> str:
    return (
        "expr: A @ B\n"
        "nodes: {A: {shape: [%d, %d], init: gaussian}, B: {shape: [%d, %d], init: gaussian}}\n"
        "blocks: {i: %d, j: %d, k: %d}\n"
        "layout: {gap: 3}\n" % (n, n, n, n, i, j, k)
    )


def figures():
    """Fifty fences, in page order."""
    out = []
    out += [gpt2_head(s) for s in range(4)]
    out += [qk_scores(s) for s in range(4)]
    out += [small_head(n, d) for n, d in ((32, 8), (48, 16), (64, 16), (96, 32), (128, 32))]
    out += [
        mlp(t, d, h, a)
        for t, d, h, a in (
            (32, 64, 256, "gelu"),
            (64, 128, 512, "relu"),
            (64, 256, 1024, "gelu"),
            (128, 256, 1024, "silu"),
            (16, 512, 2048, "gelu"),
        )
    ]
    out += [
        lora(t, d, r) for t, d, r in ((64, 768, 4), (128, 768, 8), (256, 768, 16), (64, 512, 2))
    ]
    out += [chain(n, a) for n, a in ((16, "vmprod"), (32, "mvprod"), (48, "axpy"), (64, "vmprod"))]
    out += [tree_chain(), bands()]
    algs = ("dotprod_row_major", "dotprod_col_major", "axpy", "mvprod", "vmprod", "vvprod")
    inits = ("gaussian", "uniform", "rows", "cols", "tril", "row_major")
    out += [cube(n, inits[i % 6], algs[i % 6]) for i, n in enumerate((4, 6, 8, 12, 16, 24, 32, 12))]
    out += [
        blocked(n, i, j, k)
        for n, i, j, k in (
            (32, 2, 2, 1),
            (48, 3, 3, 2),
            (64, 4, 4, 1),
            (64, 2, 4, 4),
            (96, 4, 4, 4),
            (128, 2, 2, 2),
        )
    ]
    out += [cube(n, "gaussian", "vvprod") for n in (20, 40, 56, 80)]
    out += [mlp(8, 32, 128, a) for a in ("tanh", "sigmoid", "relu", "silu")]
    assert len(out) == 50, len(out)
    return out


PAGES = [  # five figures each, in the order of `figures()`
    "index.md",
    "attention/heads.md",
    "attention/small.md",
    "mlp/index.md",
    "mlp/lora.md",
    "basics/chains.md",
    "basics/cubes.md",
    "basics/blocks/tiling.md",
    "basics/blocks/more.md",
    "gallery.md",
]


def write_site(root: Path) -> None:
    figs = figures()
    (root / "docs").mkdir(parents=True)
    for n, rel in enumerate(PAGES):
        parts = ["# Page %d\n\nSome prose about matrix multiplication.\n" % n]
        for m, body in enumerate(figs[5 * n : 5 * n + 5]):
            parts.append("## Figure %d\n\nText before the figure.\n\n```mm\n%s```\n" % (m, body))
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(parts), encoding="utf-8")
    cfg = {"site_name": "bench", "plugins": ["mm"]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")


def mkdocs_build(root: Path) -> float:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    took = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("mkdocs build failed:\n" + r.stdout + r.stderr)
    return took


def verdict(took: float, target: float) -> str:
    return "OK" if took <= target else "OVER"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mm-bench-site-") as tmp:
        root = Path(tmp)
        write_site(root)
        cold = mkdocs_build(root)
        cache = root / ".cache" / "mm-docs"
        entries = len(list(cache.iterdir())) if cache.is_dir() else 0
        site = root / "site"
        figs = sum(p.read_text("utf-8").count('class="mm-figure"') for p in site.rglob("*.html"))
        assets = list((site / "assets" / "mm").iterdir())
        mb = sum(p.stat().st_size for p in assets) / 1e6
        if figs != 50:
            sys.exit("expected 50 figures, found %d" % figs)
        warm = [mkdocs_build(root) for _ in range(3)]
        print(
            "site: %d pages, %d figures, assets/mm %.1f MB, cache %d files"
            % (len(PAGES), figs, mb, entries)
        )
        print(
            "cold build: %.2f s (target <= %.0f s) %s"
            % (cold, COLD_TARGET_S, verdict(cold, COLD_TARGET_S))
        )
        second = warm[0]
        print(
            "warm build (second build, cache reused): %.2f s (target <= %.0f s) %s"
            % (second, WARM_TARGET_S, verdict(second, WARM_TARGET_S))
        )
        print("warm builds 2-4: %s s" % ", ".join("%.2f" % t for t in warm))


if __name__ == "__main__":
    main()
