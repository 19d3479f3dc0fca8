"""When each animated matmul runs: mm's step loop (§4.4 of the mm reference) as start times.

mm advances every animation by one step per tick, the children of a matmul before
the matmul itself.  A matmul waits until its animated arguments are done, unless
``anim.fuse`` lets it *join* them (mm's ``alg_join``): it then steps alongside them.
It joins when every argument still running has an algorithm whose planes line up
with its own, recursively down that argument's running arguments:

- a ``vmprod`` parent joins a ``vmprod`` left argument, with no right argument
  running (the parent's row i is the left argument's row i);
- an ``mvprod`` parent joins an ``mvprod`` right argument, with no left one running;
- a ``vvprod`` parent joins an ``mvprod`` left and a ``vmprod`` right argument
  (the parent's k is the left's j and the right's i);
- a parent whose arguments are all done or still plays its own algorithm.

``sync`` and ``async`` differ in one check (mm-reference §4.4: "With ``sync``, a child
counts only if its current step index equals the parent's; ``async`` skips that
check"): with ``sync`` a parent joins an argument only if both stand at the same
index, so they start together, and a parent kept waiting (say by its right
argument) while its left one runs ahead waits for that one to finish too; with
``async`` it joins an argument already under way and follows it at a distance, as
soon as nothing else holds it.

Nothing changes between two events, so `schedule` evaluates mm's rule only where a
track starts or finishes: at step 0 and at every finish.  It reproduces mm's loop
except for mm's extra step at the end of each track (``curi == isize``: the
planes clear), which no one needs to see.

A track, once started, steps every tick until it is done: a parent starts only
when every argument it joins starts with it or is running already, and the
arguments it does not join are done.

The still branches (`whole_arguments`): with ``fuse``, mm animates a matmul's
arguments before it even when its sweep reads one of them whole (the right
argument of ``vmprod``, the left of ``mvprod``), so a chain that should carry one
row from input to output (the attention head's ``input @ wQ``, ``attn``,
``attn @ V``, ``out``) first plays ``K_t`` and ``V`` to the end.  Here such an
argument appears complete, as if it had ``anim: none``, unless it sets its own
algorithm; mm's attngpt2 explorer sets those arguments to ``none`` by hand for
the same run.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Set, Tuple

# alg -> which argument its sweep reads whole (a complete matrix at every step)
READS_WHOLE = {"vmprod": "right", "mvprod": "left"}

_NONE = "none"  # an argument that is still or done: no constraint
_MIXED = "mixed"  # planes that do not line up: no joining


def whole_arguments(root: Any, algs: Dict[str, str], inherits: Dict[str, bool]) -> Set[str]:
    """Paths of the matmuls that appear complete because a fused sweep reads them whole.

    ``algs`` maps every matmul path to its algorithm (``partition.resolve_algs``);
    ``inherits`` tells whether a path's algorithm is inherited (no ``anim`` of its own).
    A still matmul stills its subtree, as ``anim: none`` does.
    """
    still: Set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind == "leaf" or node.path in still:
            continue
        side = READS_WHOLE.get(algs.get(node.path, "none")) if node.kind == "matmul" else None
        arg = getattr(node, side) if side else None
        if arg is not None and arg.kind == "matmul" and inherits.get(arg.path, True):
            still.update(_subtree(arg))
        stack.extend(c for c in (node.left, node.right) if c is not None)
    return still


def schedule(
    order: Any, algs: Dict[str, str], steps: Dict[str, int], fuse: str
) -> Dict[str, Tuple[int, Optional[str]]]:
    """{path: (start, the parent it runs alongside or None)} of every animated matmul.

    ``order`` lists the scene's nodes children first; ``algs`` and ``steps`` hold the
    animated matmuls only (their algorithm and step count).
    """
    sides = {
        n.path: tuple(
            c.path if c is not None and c.path in algs else None for c in (n.left, n.right)
        )
        for n in order
        if n.path in algs
    }
    # Element-wise arguments have no sweep: a product waits for every sweep under them.
    waits = {
        n.path: [
            p
            for c in (n.left, n.right)
            if c.kind == "elementwise"
            for p in _subtree(c)
            if p in algs
        ]
        for n in order
        if n.path in algs
    }
    start: Dict[str, int] = {}
    t = 0
    while len(start) < len(algs):
        state = _State(t, start, steps)
        ready = [
            p
            for p in algs
            if p not in start
            and all(state.done(w) for w in waits[p])
            and (
                all(a is None or state.done(a) for a in sides[p])
                or (fuse != "none" and _join(p, state, algs, steps, sides, fuse) != _MIXED)
            )
        ]
        for p in ready:
            start[p] = t
        later = [start[p] + steps[p] for p in start if start[p] + steps[p] > t]
        if not (ready or later):  # cannot happen: the lowest waiting matmul's arguments are done
            raise RuntimeError("animation schedule stalled at step %d" % t)
        t = min(later, default=t)
    parent = {a: p for p, args in sides.items() for a in args if a is not None}
    return {
        # a parent that starts before its argument is done runs alongside it (it joined it)
        p: (start[p], parent[p] if p in parent and start[parent[p]] < start[p] + steps[p] else None)
        for p in algs
    }


class _State:
    """The tracks as mm's loop sees them before step ``t``."""

    def __init__(self, t: int, start: Dict[str, int], steps: Dict[str, int]) -> None:
        self.t, self.start, self.steps = t, start, steps

    def done(self, path: str) -> bool:
        return path in self.start and self.start[path] + self.steps[path] <= self.t

    def index(self, path: str) -> int:
        """The index shown at step t - 1 (mm's ``getIndex``); -1 before the start."""
        s = self.start.get(path)
        return -1 if s is None or s >= self.t else self.t - 1 - s


def _join(path, state, algs, steps, sides, fuse) -> str:
    """mm's ``alg_join``: the algorithm ``path`` and its running arguments share, or MIXED."""
    joined = []
    for arg in sides[path]:
        if arg is None or state.done(arg):
            joined.append(_NONE)
        elif steps[arg] != steps[path]:
            joined.append(_MIXED)  # planes that cannot line up step for step
        elif fuse == "async" or state.index(arg) == state.index(path):
            joined.append(_join(arg, state, algs, steps, sides, fuse))
        else:
            joined.append(_MIXED)
    left, right = joined
    alg = algs[path]
    if alg == "vmprod" and left in (_NONE, "vmprod") and right == _NONE:
        return alg
    if alg == "mvprod" and left == _NONE and right in (_NONE, "mvprod"):
        return alg
    if alg == "vvprod" and left in (_NONE, "mvprod") and right in (_NONE, "vmprod"):
        return alg
    return alg if left == right == _NONE else _MIXED


def _subtree(node: Any):
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n.path)
        stack.extend(c for c in (n.left, n.right) if c is not None)
    return out
