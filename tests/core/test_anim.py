"""Animation programs: per-algorithm sweeps, the schedule, fusion, looping, JSON."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mm_docs_plugin.core import build, parse_spec
from mm_docs_plugin.core.scene import partition as pt
from mm_docs_plugin.core.scene.anim import ALGS, Animation, Track, build_animation


def anim_of(spec) -> Animation:
    return build_animation(build(parse_spec(spec)))


def by_node(a: Animation):
    return {t.node: t for t in a.tracks}


def starts(a: Animation):
    return {t.node: (t.start, t.steps) for t in a.tracks}


def sequence(t: Track):
    return [tuple(t.index_at(s)[axis] for axis in t.sweep) for s in range(t.steps)]


def small(alg, blocks=None, a=(3, 4), b=(4, 5), **extra):
    spec = {
        "expr": "out = A @ B",
        "nodes": {"A": {"shape": list(a)}, "B": {"shape": list(b)}},
        "anim": alg,
    }
    if blocks:
        spec["blocks"] = blocks
    spec.update(extra)
    return anim_of(spec)


# ---------------------------------------------------------------- one matmul

EXPECTED = {  # 3×4 @ 4×5: i = 3, j = 5, k = 4
    "vmprod": (("i",), "plane_kj", "row", [(i,) for i in range(3)]),
    "dotprod_row_major": (
        ("i", "j"),
        "vector_k",
        "element",
        list(itertools.product(range(3), range(5))),
    ),
    "mvprod": (("j",), "plane_ik", "col", [(j,) for j in range(5)]),
    "dotprod_col_major": (
        ("j", "i"),
        "vector_k",
        "element",
        list(itertools.product(range(5), range(3))),
    ),
    "vvprod": (("k",), "plane_ij", "accumulate", [(k,) for k in range(4)]),
    "axpy": (
        ("j", "k"),
        "vector_i",
        "accumulate_col",
        list(itertools.product(range(5), range(4))),
    ),
}


@pytest.mark.parametrize("alg", sorted(EXPECTED))
def test_each_algorithm_sweeps_its_axes_in_order(alg):
    a = small(alg)
    (t,) = a.tracks
    sweep, shows, reveals, seq = EXPECTED[alg]
    assert (t.node, t.alg, t.start, t.sweep, t.shows, t.reveals) == (
        "root",
        alg,
        0,
        sweep,
        shows,
        reveals,
    )
    assert t.steps == len(seq) == a.total_steps
    assert sequence(t) == seq
    assert t.splits == ((0, 3), (0, 5), (0, 4))
    assert t.index_at(-1) is None and t.index_at(t.steps) is None
    assert t.fused_with is None and not t.partial_sums and not t.epilog_at_end
    assert set(ALGS) == set(EXPECTED)


@pytest.mark.parametrize(
    "alg, steps, sizes",
    [
        ("vmprod", 3, (3,)),  # i = 7 in 3 blocks: 3, 3, 1
        ("mvprod", 3, (3,)),  # j = 5 in 2 blocks: 3, 2
        ("vvprod", 2, (2,)),  # k = 4 in 3 ceil blocks: 2, 2 (the empty third dropped)
        ("dotprod_row_major", 9, (3, 3)),
        ("dotprod_col_major", 9, (3, 3)),
        ("axpy", 6, (3, 2)),
    ],
)
def test_blocks_animate_in_parallel_for_the_largest_block(alg, steps, sizes):
    a = small(alg, {"i": 3, "j": 2, "k": 3}, a=(7, 4), b=(4, 5))
    (t,) = a.tracks
    assert t.splits == ((0, 3, 6, 7), (0, 3, 5), (0, 2, 4))
    assert (t.steps, t.sizes) == (steps, sizes)
    assert sorted(sequence(t)) == list(itertools.product(*(range(n) for n in sizes)))
    # split-k: one partial-result plane per k block, except for accumulating algs
    assert t.partial_sums == (alg not in ("vvprod", "axpy"))


def test_row_major_dotprod_with_blocks_wraps_j_into_i():
    (t,) = small("dotprod_row_major", {"i": 2, "j": 2}, a=(4, 4), b=(4, 4)).tracks
    assert [t.index_at(s) for s in range(4)] == [
        {"i": 0, "j": 0},
        {"i": 0, "j": 1},
        {"i": 1, "j": 0},
        {"i": 1, "j": 1},
    ]
    assert list(t.index_at(0)) == ["i", "j"]  # outermost first


def test_one_k_block_has_no_partial_sums():
    assert not small("vmprod", {"i": 3}).tracks[0].partial_sums
    assert small("vmprod", {"k": 2}).tracks[0].partial_sums


# ---------------------------------------------------------------- algorithms over the tree


CHAIN = {
    "expr": "out = (P = (S = A @ B) @ C) @ (R = D @ E)",
    "nodes": {
        "A": {"shape": [3, 4]},
        "B": {"shape": [4, 5]},
        "C": {"shape": [5, 6]},
        "D": {"shape": [6, 2]},
        "E": {"shape": [2, 7]},
    },
}


def test_inherit_and_none_resolution():
    a = anim_of(dict(CHAIN, anim="vmprod", nodes=dict(CHAIN["nodes"], R={"anim": "mvprod"})))
    assert {t.node: t.alg for t in a.tracks} == {
        "root.left.left": "vmprod",
        "root.left": "vmprod",
        "root.right": "mvprod",
        "root": "vmprod",
    }
    # none on a child stills its subtree (S inherits from P)
    a = anim_of(dict(CHAIN, anim="vvprod", nodes=dict(CHAIN["nodes"], P={"anim": "none"})))
    assert [t.node for t in a.tracks] == ["root.right", "root"]
    # none at the root stills everything, whatever the children say
    a = anim_of(dict(CHAIN, nodes=dict(CHAIN["nodes"], S={"anim": "vmprod"})))
    assert a.tracks == () and a.total_steps == 0 and a.at(3) == {}


def test_tracks_are_in_post_order():
    a = anim_of(dict(CHAIN, anim="vmprod"))
    assert [t.node for t in a.tracks] == ["root.left.left", "root.left", "root.right", "root"]


# ---------------------------------------------------------------- schedule

ABCD = {
    "expr": "out = A @ B @ (C @ D)",
    "nodes": {
        "A": {"shape": [3, 4]},
        "B": {"shape": [4, 5]},
        "C": {"shape": [5, 6]},
        "D": {"shape": [6, 2]},
    },
}


def test_unfused_schedule_runs_children_in_parallel_then_the_parent():
    # vmprod: A @ B takes 3 rows, C @ D 5 rows; the root waits for the longer one.
    a = anim_of(dict(ABCD, anim="vmprod"))
    assert starts(a) == {"root.left": (0, 3), "root.right": (0, 5), "root": (5, 3)}
    assert a.total_steps == 8
    assert a.at(2) == {"root.left": {"i": 2}, "root.right": {"i": 2}}
    assert a.at(4) == {"root.right": {"i": 4}}
    assert a.at(5) == {"root": {"i": 0}}
    # vvprod: depths 4 and 6, the root's depth 5
    a = anim_of(dict(ABCD, anim="vvprod"))
    assert starts(a) == {"root.left": (0, 4), "root.right": (0, 6), "root": (6, 5)}
    assert a.total_steps == 11


@pytest.mark.parametrize("fuse", ["sync", "async"])
def test_fused_sweeps_show_the_argument_they_read_whole_complete(fuse):
    # vmprod reads its right argument whole: C @ D appears complete (no track), and
    # the root steps with A @ B from the start.
    a = anim_of(dict(ABCD, anim={"alg": "vmprod", "fuse": fuse}))
    assert starts(a) == {"root.left": (0, 3), "root": (0, 3)}
    assert by_node(a)["root.left"].fused_with == "root"
    # an argument that sets its own algorithm plays, as in mm; the root waits for it
    nodes = dict(ABCD["nodes"], **{"C @ D": {"anim": "vmprod"}})
    a = anim_of(dict(ABCD, nodes=nodes, anim={"alg": "vmprod", "fuse": fuse}))
    assert starts(a) == {"root.left": (0, 3), "root.right": (0, 5), "root": (5, 3)}
    # mvprod reads its left argument whole, with its whole subtree
    a = anim_of(
        {
            "expr": "out = (L = (S = A @ B) @ C) @ (R = D @ E)",
            "nodes": {"A": {"shape": [2, 3]}, "C": {"shape": [4, 5]}, "S": {"anim": "vmprod"}},
            "anim": {"alg": "mvprod", "fuse": fuse},
        }
    )
    assert starts(a) == {"root.right": (0, 32), "root": (0, 32)}
    # without fusion every product plays
    a = anim_of(dict(ABCD, anim="vmprod"))
    assert len(a.tracks) == 3


def test_an_inherited_algorithm_below_a_set_one_is_read_whole_too():
    # P sets vmprod; its right argument R inherits it from P and is read whole by P.
    spec = {
        "expr": "out = (P = A @ (R = B @ C)) @ D",
        "nodes": {"A": {"shape": [3, 4]}, "B": {"shape": [4, 5]}, "P": {"anim": "vmprod"}},
        "anim": {"alg": "vvprod", "fuse": "sync"},
    }
    assert [t.node for t in anim_of(spec).tracks] == ["root.left", "root"]
    spec["nodes"]["R"] = {"anim": "inherit"}  # inherit, said out loud, is still inheriting
    assert [t.node for t in anim_of(spec).tracks] == ["root.left", "root"]
    spec["nodes"]["R"] = {"anim": "mvprod"}
    assert [t.node for t in anim_of(spec).tracks] == ["root.left.right", "root.left", "root"]


LEFT = {
    "expr": "out = (P = (S = A @ B) @ C) @ D",
    "nodes": {
        "A": {"shape": [3, 4]},
        "B": {"shape": [4, 5]},
        "C": {"shape": [5, 6]},
        "D": {"shape": [6, 2]},
    },
}


def test_fusion_a_vmprod_down_the_left_spine():
    a = anim_of(dict(LEFT, anim={"alg": "vmprod", "fuse": "sync"}))
    assert starts(a) == {"root.left.left": (0, 3), "root.left": (0, 3), "root": (0, 3)}
    t = by_node(a)
    assert t["root.left.left"].fused_with == "root.left"
    assert t["root.left"].fused_with == "root" and t["root"].fused_with is None
    assert a.total_steps == 3
    # S animates as vvprod: P cannot join it, so P waits; the root still joins P
    nodes = dict(LEFT["nodes"], S={"anim": "vvprod"})
    a = anim_of(dict(LEFT, nodes=nodes, anim={"alg": "vmprod", "fuse": "async"}))
    assert starts(a) == {"root.left.left": (0, 4), "root.left": (4, 3), "root": (4, 3)}
    assert by_node(a)["root.left.left"].fused_with is None
    assert by_node(a)["root.left"].fused_with == "root"
    assert a.total_steps == 7 and a.fuse == "async"
    # the same without fusion: one after the other
    a = anim_of(dict(LEFT, nodes=nodes, anim="vmprod"))
    assert starts(a) == {"root.left.left": (0, 4), "root.left": (4, 3), "root": (7, 3)}
    assert all(t.fused_with is None for t in a.tracks)


def test_fusion_a_with_i_blocks_stays_in_lock_step():
    a = anim_of(dict(LEFT, anim={"alg": "vmprod", "fuse": "sync"}, blocks={"i": 2}))
    assert starts(a) == {"root.left.left": (0, 2), "root.left": (0, 2), "root": (0, 2)}


RIGHT = {
    "expr": "out = A @ (P = B @ (S = C @ D))",
    "nodes": {
        "A": {"shape": [2, 3]},
        "B": {"shape": [3, 4]},
        "C": {"shape": [4, 5]},
        "D": {"shape": [5, 6]},
    },
}


def test_fusion_b_mvprod_down_the_right_spine():
    a = anim_of(dict(RIGHT, anim={"alg": "mvprod", "fuse": "sync"}))
    assert starts(a) == {"root.right.right": (0, 6), "root.right": (0, 6), "root": (0, 6)}
    assert by_node(a)["root.right.right"].fused_with == "root.right"
    assert by_node(a)["root.right"].fused_with == "root"
    nodes = dict(RIGHT["nodes"], S={"anim": "vvprod"})  # depth 5
    a = anim_of(dict(RIGHT, nodes=nodes, anim={"alg": "mvprod", "fuse": "sync"}))
    assert starts(a) == {"root.right.right": (0, 5), "root.right": (5, 6), "root": (5, 6)}
    assert a.total_steps == 11


TWO = {  # the root's arguments run side by side; L sets its own algorithm
    "expr": "out = (L = A @ B) @ (R = C @ D)",
    "nodes": {"A": {"shape": [2, 3]}, "C": {"shape": [4, 5]}, "L": {"anim": "mvprod"}},
}


def test_sync_waits_for_an_argument_that_ran_ahead_async_follows_it():
    # L (4 columns) holds the mvprod root back (rule b needs no left argument running);
    # meanwhile R (32 columns) runs ahead.  sync: the root cannot join R any more and
    # waits for it to end; async: it joins R at once and follows 4 columns behind.
    a = anim_of(dict(TWO, anim={"alg": "mvprod", "fuse": "sync"}))
    assert starts(a) == {"root.left": (0, 4), "root.right": (0, 32), "root": (32, 32)}
    assert by_node(a)["root.right"].fused_with is None
    a = anim_of(dict(TWO, anim={"alg": "mvprod", "fuse": "async"}))
    assert starts(a) == {"root.left": (0, 4), "root.right": (0, 32), "root": (4, 32)}
    assert by_node(a)["root.right"].fused_with == "root"
    assert a.at(10) == {"root.right": {"j": 10}, "root": {"j": 6}}
    assert a.total_steps == 36


BINARY = {
    "expr": "out = (L = A @ (BC = B @ C)) @ (R = (DE = D @ E) @ F)",
    "nodes": {
        "A": {"shape": [2, 3]},
        "B": {"shape": [3, 4]},
        "C": {"shape": [4, 5]},
        "D": {"shape": [5, 6]},
        "E": {"shape": [6, 7]},
        "F": {"shape": [7, 3]},
        "L": {"anim": "mvprod"},
        "BC": {"anim": "mvprod"},
        "R": {"anim": "vmprod"},
        "DE": {"anim": "vmprod"},
    },
    "anim": {"alg": "vvprod", "fuse": "sync"},
}


def test_fusion_c_vvprod_joins_mvprod_left_and_vmprod_right():
    a = anim_of(BINARY)
    # the root's k (5) = L's j = R's i = BC's j = DE's i
    assert set(starts(a).values()) == {(0, 5)} and len(a.tracks) == 5
    t = by_node(a)
    assert t["root.left"].fused_with == "root" and t["root.right"].fused_with == "root"
    assert t["root.left.right"].fused_with == "root.left"
    assert t["root.right.left"].fused_with == "root.right"
    assert a.at(3) == {
        "root.left.right": {"j": 3},
        "root.left": {"j": 3},
        "root.right.left": {"i": 3},
        "root.right": {"i": 3},
        "root": {"k": 3},
    }
    # k blocks on the root propagate; the group stays in lock-step
    a = anim_of(dict(BINARY, blocks={"k": 2}))
    assert set(starts(a).values()) == {(0, 3)}


def test_fusion_c_sync_and_async_when_one_branch_is_held_back():
    # BC as vvprod cannot join L, so L waits for it (4 steps); R's branch joins nothing
    # above it yet and runs from step 0.  sync: the root needs L and R at its own index,
    # so it waits for both to end; async: it joins L and R as soon as L starts.
    nodes = dict(BINARY["nodes"], BC={"anim": "vvprod"})
    a = anim_of(dict(BINARY, nodes=nodes))
    assert starts(a) == {
        "root.left.right": (0, 4),
        "root.left": (4, 5),
        "root.right.left": (0, 5),
        "root.right": (0, 5),
        "root": (9, 5),
    }
    assert by_node(a)["root.left.right"].fused_with is None
    assert by_node(a)["root.right.left"].fused_with == "root.right"
    assert a.total_steps == 14
    a = anim_of(dict(BINARY, nodes=nodes, anim={"alg": "vvprod", "fuse": "async"}))
    assert starts(a)["root"] == (4, 5) and starts(a)["root.right"] == (0, 5)
    assert by_node(a)["root.left"].fused_with == "root"
    assert by_node(a)["root.right"].fused_with == "root"
    assert a.total_steps == 9


def test_fusion_falls_back_when_step_counts_differ(monkeypatch):
    real = pt.resolve_blocks

    def skewed(spec):
        out = real(spec)
        out["root.left"] = (2,) + out["root.left"][1:]  # not what propagation gives
        return out

    monkeypatch.setattr(pt, "resolve_blocks", skewed)
    a = anim_of(
        {
            "expr": "out = (P = A @ B) @ C",
            "nodes": {"A": {"shape": [3, 4]}},
            "anim": {"alg": "vmprod", "fuse": "sync"},
        }
    )
    assert starts(a) == {"root.left": (0, 2), "root": (2, 3)}
    assert all(t.fused_with is None for t in a.tracks)


# ---------------------------------------------------------------- the GPT-2 head

HEAD = """
expr: out = (attn = softmax(tril((Q = input @ wQ) @ (K_t = wK_t @ input.T) / sqrt(k)))) @ (V = input @ wV) @ wO
nodes:
  input: {shape: [6, 5]}
  wQ: {shape: [5, 3]}
  wO: {shape: [3, 4]}
%s
anim: {alg: vmprod, fuse: %s}
"""
SPINE = ["root.left.left.left", "root.left.left", "root.left", "root"]


@pytest.mark.parametrize("fuse", ["sync", "async"])
def test_gpt2_head_moves_one_token_row_down_the_fused_left_spine(fuse):
    # K_t and V are read whole by attn and attn @ V: they appear complete, and the
    # left spine input @ wQ -> attn -> attn @ V -> out plays one row at a time,
    # the run mm's attngpt2 explorer gets by setting K_t and V to none by hand.
    natural = anim_of(HEAD % ("", fuse))
    assert [t.node for t in natural.tracks] == SPINE
    assert set(starts(natural).values()) == {(0, 6)} and natural.total_steps == 6
    assert [by_node(natural)[p].fused_with for p in SPINE] == SPINE[1:] + [None]
    assert natural.at(2) == {p: {"i": 2} for p in SPINE}
    assert natural.fuse == fuse and natural.speed == 20 and natural.hide_inputs is False
    by_hand = anim_of(HEAD % ("  K_t: {anim: none}\n  V: {anim: none}", fuse))
    assert by_hand.tracks == natural.tracks


def test_gpt2_head_with_animated_right_arguments_plays_them_first():
    # K_t (3 rows) and V (6 rows) set their own algorithm: they play, as in mm.
    # sync: attn waits for Q and K_t, then attn, attn @ V and out go together;
    # async: attn joins Q as soon as K_t is done, attn @ V and out follow once V is.
    own = "  K_t: {anim: vmprod}\n  V: {anim: vmprod}"
    a = anim_of(HEAD % (own, "sync"))
    assert starts(a) == {
        "root.left.left.left": (0, 6),
        "root.left.left.right": (0, 3),
        "root.left.left": (6, 6),
        "root.left.right": (0, 6),
        "root.left": (6, 6),
        "root": (6, 6),
    }
    assert a.total_steps == 12
    a = anim_of(HEAD % (own, "async"))
    assert starts(a)["root.left.left"] == (3, 6)
    assert starts(a)["root.left"] == starts(a)["root"] == (6, 6)
    assert by_node(a)["root.left.left.left"].fused_with == "root.left.left"
    assert by_node(a)["root.left.left"].fused_with == "root.left"
    assert a.at(7)["root.left.left"] == {"i": 4} and a.at(7)["root.left"] == {"i": 1}


# ---------------------------------------------------------------- epilogs

ATTN = {
    "expr": "out = (attn = softmax(tril(Q @ K.T / sqrt(k)))) @ V",
    "nodes": {"Q": {"shape": [6, 4]}, "K": {"shape": [6, 4]}, "V": {"shape": [6, 3]}},
}


@pytest.mark.parametrize(
    "alg, at_end",
    [("vvprod", True), ("axpy", True), ("vmprod", False), ("mvprod", False)]
    + [("dotprod_row_major", False), ("dotprod_col_major", False)],
)
def test_epilog_applies_at_the_end_only_for_accumulating_algorithms(alg, at_end):
    t = by_node(anim_of(dict(ATTN, anim=alg)))
    assert t["root.left"].epilog_at_end is at_end
    assert t["root"].epilog_at_end is False  # no epilog


def test_partial_sums_follow_each_nodes_k_blocks():
    nodes = dict(ATTN["nodes"], attn={"blocks": {"k": 2}})
    t = by_node(anim_of(dict(ATTN, nodes=nodes, anim="vmprod")))
    assert t["root.left"].partial_sums and not t["root"].partial_sums
    assert t["root.left"].splits == ((0, 6), (0, 6), (0, 2, 4))
    t = by_node(anim_of(dict(ATTN, nodes=nodes, anim="vmprod", blocks={"k": 3})))
    assert t["root"].partial_sums and t["root"].splits[2] == (0, 2, 4, 6)
    assert t["root.left"].splits[1] == (0, 2, 4, 6)  # the root's k is attn's j


def test_split_k_partial_planes_carry_their_own_colour_range():
    scene = build(parse_spec(dict(ATTN, anim="vmprod", blocks={"k": 3})))
    t = by_node(scene.animation)
    root = next(n for n in scene.nodes if n.path == "root")
    left, right = root.left.values.astype(float), root.right.values.astype(float)
    blocks = [np.abs(left[:, a:b] @ right[a:b, :]).max() for a, b in [(0, 2), (2, 4), (4, 6)]]
    assert t["root"].partial_max == pytest.approx(max(blocks))
    assert t["root.left"].partial_max == 0.0  # one k block: no partial planes
    assert by_node(anim_of(dict(ATTN, anim="vvprod", blocks={"k": 3})))["root"].partial_max == 0.0


# ---------------------------------------------------------------- looping, JSON


def test_at_loops_modulo_total_steps():
    a = anim_of(dict(ABCD, anim="vmprod"))
    for s in range(a.total_steps):
        assert a.at(s + a.total_steps) == a.at(s) == a.at(s - 3 * a.total_steps)
    assert a.at(-1) == a.at(a.total_steps - 1) == {"root": {"i": 2}}
    assert a.at(0) == {"root.left": {"i": 0}, "root.right": {"i": 0}}


def test_to_dict_is_json_and_deterministic():
    spec = dict(BINARY, blocks={"k": 2, "i": 2})
    one = json.dumps(anim_of(spec).to_dict())
    two = json.dumps(anim_of(spec).to_dict())
    assert one == two
    d = json.loads(one)
    assert d["total_steps"] == 3 and d["fuse"] == "sync" and len(d["tracks"]) == 5
    root = d["tracks"][-1]
    assert root["node"] == "root" and root["sweep"] == ["k"] and root["sizes"] == [3]
    assert root["splits"] == [[0, 1, 2], [0, 3], [0, 3, 5]] and root["fused_with"] is None
    d = anim_of(dict(ABCD, anim={"alg": "axpy", "spin": -2.5, "speed": 7})).to_dict()
    assert (d["spin"], d["speed"], d["hide_inputs"]) == (-2.5, 7, False)
    assert json.loads(json.dumps(d)) == d


# ---------------------------------------------------------------- properties

ROOT_ALGS = sorted(ALGS) + ["none"]
CHILD = ROOT_ALGS + ["inherit"]
# weighted towards chains that can fuse
ROOT_DRAW = ROOT_ALGS + ["vmprod", "mvprod", "vvprod"]
CHILD_DRAW = CHILD + ["inherit"] * 4 + ["vmprod", "mvprod"]


def _tree(draw, lo, hi, names):
    """Expression text over leaves lo..hi-1 and the products' (name, depth index)."""
    if hi - lo == 1:
        return "M%d" % lo, []
    mid = draw(st.integers(lo + 1, hi - 1))
    left, lp = _tree(draw, lo, mid, names)
    right, rp = _tree(draw, mid, hi, names)
    name = "P%d" % len(names)
    names.append((name, mid))  # depth = d[mid]
    return "(%s = %s @ %s)" % (name, left, right), lp + rp


@st.composite
def specs(draw):
    n = draw(st.integers(2, 5))
    dims = draw(st.lists(st.integers(1, 6), min_size=n + 1, max_size=n + 1))
    names = []
    mid = draw(st.integers(1, n - 1))
    left, _ = _tree(draw, 0, mid, names)
    right, _ = _tree(draw, mid, n, names)
    nodes = {"M%d" % i: {"shape": [dims[i], dims[i + 1]]} for i in range(n)}
    for name, m in names:
        nodes[name] = {
            "anim": draw(st.sampled_from(CHILD_DRAW)),
            "blocks": {"k": draw(st.integers(1, dims[m]))},
        }
    return {
        "expr": "out = %s @ %s" % (left, right),
        "nodes": nodes,
        "anim": {
            "alg": draw(st.sampled_from(ROOT_DRAW)),
            "fuse": draw(st.sampled_from(["none", "sync", "sync", "async"])),
        },
        "blocks": {
            "i": draw(st.integers(1, dims[0])),
            "j": draw(st.integers(1, dims[n])),
            "k": draw(st.integers(1, dims[mid])),
        },
    }


def _joined(d: Track, t: Track, tracks) -> bool:
    """Whether ``d`` reaches ``t`` through ``fused_with`` links."""
    while d.fused_with is not None:
        d = tracks[d.fused_with]
        if d is t:
            return True
    return False


class MmLoop:
    """mm's step loop (``initAnimation``/``bump``/``alg_join``), run tick by tick.

    Each tick bumps the root; a bump decides whether the matmul steps (all animated
    arguments done, or fused and joined) *before* bumping its arguments, so every
    decision sees the state of the previous tick.  A track is done right after its
    last index (mm spends one more tick clearing its planes; the program does not).
    """

    def __init__(self, root, algs, steps, fuse):
        self.algs, self.steps, self.fuse = algs, steps, fuse
        self.kids = {}
        stack = [root]
        while stack:
            n = stack.pop()
            if n.path in algs:
                self.kids[n.path] = [
                    c.path if c is not None and c.path in algs else None for c in (n.left, n.right)
                ]
                stack.extend(c for c in (n.left, n.right) if c is not None)
        self.cur = {p: -1 for p in algs}
        self.done = {p: False for p in algs}
        self.ticks = {p: [] for p in algs}  # the ticks at which each track steps

    def join(self, p):
        sides = []
        for c in self.kids[p]:
            if c is None or self.done[c]:
                sides.append("none")
            elif self.steps[c] != self.steps[p]:
                sides.append("mixed")
            elif self.fuse == "async" or self.cur[c] == self.cur[p]:
                sides.append(self.join(c))
            else:
                sides.append("mixed")
        left, right, alg = sides[0], sides[1], self.algs[p]
        if alg == "vmprod" and left in ("none", "vmprod") and right == "none":
            return alg
        if alg == "mvprod" and left == "none" and right in ("none", "mvprod"):
            return alg
        if alg == "vvprod" and left in ("none", "mvprod") and right in ("none", "vmprod"):
            return alg
        return alg if left == right == "none" else "mixed"

    def bump(self, p, tick):
        kids = [c for c in self.kids[p] if c is not None]
        go = all(self.done[c] for c in kids) or (self.fuse != "none" and self.join(p) != "mixed")
        for c in kids:
            if not self.done[c]:
                self.bump(c, tick)
        if go:
            self.cur[p] += 1
            self.ticks[p].append(tick)
            self.done[p] = self.cur[p] == self.steps[p] - 1

    def run(self, root):
        tick = 0
        while not self.done[root]:
            self.bump(root, tick)
            tick += 1
        return self.ticks


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_tracks_cover_their_sweep_once_and_respect_dependencies(spec):
    scene = build(parse_spec(spec))
    a = build_animation(scene)
    tracks = by_node(a)
    blocks = pt.resolve_blocks(scene.spec)
    fuse = spec["anim"]["fuse"]
    for node in scene.nodes:
        t = tracks.get(node.path)
        if t is None:
            continue
        dims = {"i": node.shape[0], "j": node.shape[1], "k": node.depth}
        b = dict(zip("ijk", blocks[node.path]))
        assert t.sizes == tuple(-(-dims[x] // b[x]) for x in t.sweep)
        seq = sequence(t)
        assert len(set(seq)) == len(seq) == t.steps
        assert set(seq) == set(itertools.product(*(range(n) for n in t.sizes)))
        # every animated descendant is done first, or joined by t (sync: from its start)
        for d in scene.nodes:
            if d.path.startswith(node.path + ".") and d.path in tracks:
                dt = tracks[d.path]
                if t.start < dt.finish:
                    assert fuse != "none" and _joined(dt, t, tracks)
                    assert t.start == dt.start if fuse == "sync" else t.start >= dt.start
        if t.fused_with is not None:
            assert t.fused_with == node.path.rsplit(".", 1)[0]
    assert a.total_steps == max([t.start + t.steps for t in a.tracks], default=0)
    if fuse == "none":
        assert all(t.fused_with is None for t in a.tracks)
    for s in range(0, a.total_steps, 3):
        assert set(a.at(s)) == {t.node for t in a.tracks if t.start <= s < t.start + t.steps}


# The algorithm a parent joins on each side (mm's alg_join), and the fusing ones.
JOINS = {"vmprod": ("vmprod", None), "mvprod": (None, "mvprod"), "vvprod": ("mvprod", "vmprod")}
FUSING = sorted(JOINS)


@st.composite
def fused_specs(draw):
    """Products that mostly join their parent, some that hold it back, all set explicitly
    (nothing is read whole and stilled), and uneven sizes, so that branches run ahead."""
    n = draw(st.integers(3, 6))
    dims = draw(st.lists(st.integers(1, 5), min_size=n + 1, max_size=n + 1))
    nodes = {"M%d" % i: {"shape": [dims[i], dims[i + 1]]} for i in range(n)}

    def tree(lo, hi, alg):
        """``alg @ alg`` over leaves lo..hi-1; the products below get their own."""
        mid = draw(st.integers(lo + 1, hi - 1))
        kids = []
        for side, (a, b) in enumerate(((lo, mid), (mid, hi))):
            if b - a == 1:
                kids.append("M%d" % a)
                continue
            joins = JOINS[alg][side]
            kid = joins if joins and draw(st.integers(0, 2)) else draw(st.sampled_from(FUSING))
            name = "P%d" % len(nodes)
            nodes[name] = {"anim": kid}
            kids.append("(%s = %s)" % (name, tree(a, b, kid)))
        return "%s @ %s" % tuple(kids)

    root = draw(st.sampled_from(FUSING))
    expr = tree(0, n, root)
    fuse = draw(st.sampled_from(["sync", "async"]))
    return {"expr": "out = " + expr, "nodes": nodes, "anim": {"alg": root, "fuse": fuse}}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fused_specs())
def test_the_schedule_is_mms_own_step_loop(spec):
    scene = build(parse_spec(spec))
    tracks = by_node(build_animation(scene))
    algs = {p: t.alg for p, t in tracks.items()}
    loop = MmLoop(scene.root, algs, {p: t.steps for p, t in tracks.items()}, spec["anim"]["fuse"])
    # every track steps on every tick from its start to its end, as the program says
    want = {p: list(range(t.start, t.finish)) for p, t in tracks.items()}
    assert loop.run("root") == want
