"""Animation programs: what each matmul of a figure draws at every step.

`build_animation` turns a built `Scene` into plain data, computed once, that
the viewer plays without calling Python per frame.  Each animated matmul gets
a `Track`: the algorithm (mm's decompositions, §4.4 of the mm reference), the
cube axes it sweeps, and when it runs on one global clock.

Steps.  Every step advances one index in *every* block of a matmul at once,
so a sweep over axis ``a`` takes as many steps as the largest block along
``a`` has elements (blocks are ceil-sized: ``ceil(n / blocks)``).  `Track.index_at`
gives the current *within-block* index of each swept axis; blocks shorter than
the largest are done early, and the viewer skips a block wherever the local
index is >= that block's size (sizes come from ``Track.splits``).

Schedule.  Compound expressions animate leaves first, towards the root, and
independent subtrees run in parallel: a matmul starts when all its animated
arguments have finished, unless ``anim.fuse`` lets it run alongside arguments
whose planes line up with its own (``sync``: from the same step; ``async``: also
behind one already under way).  `schedule` holds mm's rules, and the arguments a
fused sweep reads whole, which appear complete instead of playing first.

Epilogs.  Row, column and element reveals show complete sums, so their final
values (epilog applied) are right at once.  vvprod and axpy accumulate partial
sums: those are shown raw and the epilog applies on the last step only
(``epilog_at_end``); mm applies nonlinear epilogs to partial sums, which is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import partition, schedule

Splits = Tuple[Tuple[int, ...], Tuple[int, ...], Tuple[int, ...]]

# alg -> (axes swept, outermost first; what a step draws; what it reveals)
ALGS: Dict[str, Tuple[Tuple[str, ...], str, str]] = {
    "vmprod": (("i",), "plane_kj", "row"),
    "dotprod_row_major": (("i", "j"), "vector_k", "element"),
    "mvprod": (("j",), "plane_ik", "col"),
    "dotprod_col_major": (("j", "i"), "vector_k", "element"),
    "vvprod": (("k",), "plane_ij", "accumulate"),
    "axpy": (("j", "k"), "vector_i", "accumulate_col"),
}
AXES = {"i": 0, "j": 1, "k": 2}
ACCUMULATING = ("vvprod", "axpy")


def block_size(bounds: Tuple[int, ...]) -> int:
    """The largest block between consecutive boundaries (0, s, 2s, ..., n)."""
    return max(b - a for a, b in zip(bounds, bounds[1:]))


@dataclass(frozen=True)
class Track:
    """One matmul's animation: ``steps`` steps from global step ``start``."""

    node: str  # SceneNode.path
    alg: str
    start: int
    steps: int
    sweep: Tuple[str, ...]  # cube axes swept, outermost first
    shows: str  # plane_kj | plane_ik | plane_ij | vector_k | vector_i
    reveals: str  # row | col | element | accumulate | accumulate_col
    splits: Splits  # block boundaries along i, j, k
    partial_sums: bool  # one partial-result plane per k block (split-k)
    epilog_at_end: bool  # partial sums raw; the epilog only on the last step
    fused_with: Optional[str] = None  # the parent that runs alongside it (started before it ended)
    # split-k: the largest finite |Σ over one k block|, the partial planes' colour range
    # (like the products, they have their own scale: each is a fraction of the full sum)
    partial_max: float = 0.0

    @property
    def sizes(self) -> Tuple[int, ...]:
        """Steps of each swept axis: the largest block along it."""
        return tuple(block_size(self.splits[AXES[a]]) for a in self.sweep)

    @property
    def finish(self) -> int:
        return self.start + self.steps

    def index_at(self, step: int) -> Optional[Dict[str, int]]:
        """Within-block index of each swept axis at local ``step``; None outside [0, steps).

        The last axis of ``sweep`` runs fastest.  A block whose size is at most
        the returned index is done for that step (the viewer skips it).
        """
        if not 0 <= step < self.steps:
            return None
        out: Dict[str, int] = {}
        for axis, size in reversed(list(zip(self.sweep, self.sizes))):
            out[axis] = step % size
            step //= size
        return {axis: out[axis] for axis in self.sweep}

    def to_dict(self) -> Dict[str, Any]:
        return {
            "node": self.node,
            "alg": self.alg,
            "start": self.start,
            "steps": self.steps,
            "sweep": list(self.sweep),
            "sizes": list(self.sizes),
            "shows": self.shows,
            "reveals": self.reveals,
            "splits": [list(s) for s in self.splits],
            "partial_sums": self.partial_sums,
            "epilog_at_end": self.epilog_at_end,
            "fused_with": self.fused_with,
            "partial_max": self.partial_max,
        }


@dataclass(frozen=True)
class Animation:
    """Every track of a figure (children before parents) on one looping clock."""

    tracks: Tuple[Track, ...]
    total_steps: int  # one loop
    speed: int = 20
    fuse: str = "none"
    hide_inputs: bool = False
    spin: float = 0.0

    def track(self, node: str) -> Optional[Track]:
        """The track of the node at path ``node``, or None if it is still."""
        return next((t for t in self.tracks if t.node == node), None)

    def at(self, step: int) -> Dict[str, Dict[str, int]]:
        """{node path: current indices} of the tracks running at global ``step`` (looping)."""
        if self.total_steps <= 0:
            return {}
        step %= self.total_steps
        out: Dict[str, Dict[str, int]] = {}
        for t in self.tracks:
            index = t.index_at(step - t.start)
            if index is not None:
                out[t.node] = index
        return out

    def to_dict(self) -> Dict[str, Any]:
        """Plain JSON-able data for the scene file."""
        return {
            "total_steps": self.total_steps,
            "speed": self.speed,
            "fuse": self.fuse,
            "hide_inputs": self.hide_inputs,
            "spin": self.spin,
            "tracks": [t.to_dict() for t in self.tracks],
        }


def animation_from_dict(data: Dict[str, Any]) -> Animation:
    """The inverse of `Animation.to_dict` (scene files)."""
    tracks = tuple(
        Track(
            node=t["node"],
            alg=t["alg"],
            start=t["start"],
            steps=t["steps"],
            sweep=tuple(t["sweep"]),
            shows=t["shows"],
            reveals=t["reveals"],
            splits=tuple(tuple(s) for s in t["splits"]),
            partial_sums=t["partial_sums"],
            epilog_at_end=t["epilog_at_end"],
            fused_with=t["fused_with"],
            partial_max=t["partial_max"],
        )
        for t in data["tracks"]
    )
    keys = ("total_steps", "speed", "fuse", "hide_inputs", "spin")
    return Animation(tracks, **{k: data[k] for k in keys})


def build_animation(scene: Any) -> Animation:
    """The animation program of a built `Scene` (`evaluate.Scene`)."""
    spec = scene.spec
    algs = partition.resolve_algs(spec)
    if spec.anim.fuse != "none":
        inherits = {t.path: _inherits(spec, t) for t in spec.tree.walk() if t.kind == "matmul"}
        for path in schedule.whole_arguments(scene.root, algs, inherits):
            algs[path] = "none"
    blocks = partition.resolve_blocks(spec)
    order = _post_order(scene.root)
    tracks: Dict[str, Track] = {}
    for node in order:
        alg = algs.get(node.path, "none") if node.kind == "matmul" else "none"
        if alg != "none":
            tracks[node.path] = _track(node, alg, blocks[node.path])

    when = schedule.schedule(
        order,
        {p: t.alg for p, t in tracks.items()},
        {p: t.steps for p, t in tracks.items()},
        spec.anim.fuse,
    )
    ordered = tuple(
        replace(tracks[n.path], start=when[n.path][0], fused_with=when[n.path][1])
        for n in order
        if n.path in tracks
    )
    return Animation(
        tracks=ordered,
        total_steps=max([t.finish for t in ordered], default=0),
        speed=spec.anim.speed,
        fuse=spec.anim.fuse,
        hide_inputs=spec.anim.hide_inputs,
        spin=spec.anim.spin,
    )


def _track(node: Any, alg: str, blocks: Tuple[int, int, int]) -> Track:
    sweep, shows, reveals = ALGS[alg]
    dims = (node.shape[0], node.shape[1], node.depth)
    splits = tuple(partition.splits(n, b) for n, b in zip(dims, blocks))
    steps = 1
    for axis in sweep:
        steps *= block_size(splits[AXES[axis]])
    partial_sums = alg not in ACCUMULATING and len(splits[2]) > 2
    return Track(
        node=node.path,
        alg=alg,
        start=0,
        steps=steps,
        sweep=sweep,
        shows=shows,
        reveals=reveals,
        splits=splits,
        partial_sums=partial_sums,
        epilog_at_end=alg in ACCUMULATING and node.epilog not in (None, "", "none"),
        partial_max=_partial_max(node, splits[2]) if partial_sums else 0.0,
    )


def _partial_max(node: Any, k_splits: Tuple[int, ...]) -> float:
    """The largest finite |L[:, a:b] @ R[a:b, :]| over the k blocks [a, b) (0 if none)."""
    left = node.left.values.astype(np.float64)
    right = node.right.values.astype(np.float64)
    best = 0.0
    with np.errstate(all="ignore"):  # inf - inf in a block is NaN, and left out
        for a, b in zip(k_splits, k_splits[1:]):
            block = np.abs(left[:, a:b] @ right[a:b, :])
            block = block[np.isfinite(block)]
            if block.size:
                best = max(best, float(block.max()))
    return best


def _inherits(spec: Any, t: Any) -> bool:
    """Whether a matmul takes its algorithm from above (no ``anim`` of its own, or ``inherit``)."""
    settings = spec.nodes.get(t.label)
    return settings is None or settings.anim in (None, "", "inherit")


def _post_order(root: Any) -> List[Any]:
    """Scene nodes children-first (left subtree, right subtree, node); iterative."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in (node.left, node.right) if c is not None)
    return out[::-1]
