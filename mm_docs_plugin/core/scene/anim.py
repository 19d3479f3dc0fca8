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
arguments have finished.  With ``anim.fuse`` (mm's ``alg_join``) a parent runs
in lock-step with children whose planes line up:

- ``vmprod`` parent, left child ``vmprod`` (or still), right child still: fused
  along i with the left child (left-associative chains move one row at a time);
- ``mvprod`` parent, left child still, right child ``mvprod`` (or still): fused
  along j with the right child;
- ``vvprod`` parent, left child ``mvprod`` (or still), right child ``vmprod``
  (or still): fused with the animated ones (parent k = left j = right i).

Fusion is transitive; every member of a fused group starts when the last of
the group's other (unfused) arguments finishes.  ``sync`` and ``async`` give the
same static schedule; ``fuse`` is recorded so a viewer may treat them apart.

Epilogs.  Row, column and element reveals show complete sums, so their final
values (epilog applied) are right at once.  vvprod and axpy accumulate partial
sums: those are shown raw and the epilog applies on the last step only
(``epilog_at_end``); mm applies nonlinear epilogs to partial sums, which is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Tuple

from . import partition

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
    fused_with: Optional[str] = None  # the parent it runs in lock-step with

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
        )
        for t in data["tracks"]
    )
    keys = ("total_steps", "speed", "fuse", "hide_inputs", "spin")
    return Animation(tracks, **{k: data[k] for k in keys})


def build_animation(scene: Any) -> Animation:
    """The animation program of a built `Scene` (`evaluate.Scene`)."""
    spec = scene.spec
    algs = partition.resolve_algs(spec)
    blocks = partition.resolve_blocks(spec)
    order = _post_order(scene.root)
    tracks: Dict[str, Track] = {}
    for node in order:
        alg = algs.get(node.path, "none") if node.kind == "matmul" else "none"
        if alg != "none":
            tracks[node.path] = _track(node, alg, blocks[node.path])

    fused: Dict[str, str] = {}  # child path -> the parent it is fused with
    if spec.anim.fuse != "none":
        for node in order:
            if node.path in tracks:
                for child in _fused_children(node, tracks):
                    fused[child.path] = node.path

    done: Dict[str, int] = {}  # finish of every track in the subtree (group tops, stills)
    for node in order:
        kids = [c for c in (node.left, node.right) if c is not None]
        if node.path not in tracks:
            done[node.path] = max([done[c.path] for c in kids], default=0)
        elif node.path not in fused:  # the top of a (possibly one-node) group
            members = _group(node, fused)
            start = max(
                [
                    done[c.path]
                    for m in members
                    for c in (m.left, m.right)
                    if fused.get(c.path) != m.path
                ],
                default=0,
            )
            for m in members:
                tracks[m.path] = replace(tracks[m.path], start=start, fused_with=fused.get(m.path))
            done[node.path] = tracks[node.path].finish

    ordered = tuple(tracks[n.path] for n in order if n.path in tracks)
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
    return Track(
        node=node.path,
        alg=alg,
        start=0,
        steps=steps,
        sweep=sweep,
        shows=shows,
        reveals=reveals,
        splits=splits,
        partial_sums=alg not in ACCUMULATING and len(splits[2]) > 2,
        epilog_at_end=alg in ACCUMULATING and node.epilog not in (None, "", "none"),
    )


def _fused_children(node: Any, tracks: Dict[str, Track]) -> List[Any]:
    """The animated children a parent runs in lock-step with (mm's alg_join)."""
    alg = tracks[node.path].alg
    la = tracks[node.left.path].alg if node.left.path in tracks else None
    ra = tracks[node.right.path].alg if node.right.path in tracks else None
    if alg == "vmprod" and la in (None, "vmprod") and ra is None:
        pick = [node.left]
    elif alg == "mvprod" and la is None and ra in (None, "mvprod"):
        pick = [node.right]
    elif alg == "vvprod" and la in (None, "mvprod") and ra in (None, "vmprod"):
        pick = [node.left, node.right]
    else:
        return []
    pick = [c for c in pick if c.path in tracks]
    steps = tracks[node.path].steps
    if any(tracks[c.path].steps != steps for c in pick):
        return []  # planes do not line up step for step: no fusion
    return pick


def _group(top: Any, fused: Dict[str, str]) -> List[Any]:
    """``top`` and every node fused with it, transitively."""
    members, stack = [], [top]
    while stack:
        m = stack.pop()
        members.append(m)
        stack.extend(c for c in (m.left, m.right) if c is not None and fused.get(c.path) == m.path)
    return members


def _post_order(root: Any) -> List[Any]:
    """Scene nodes children-first (left subtree, right subtree, node); iterative."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in (node.left, node.right) if c is not None)
    return out[::-1]
