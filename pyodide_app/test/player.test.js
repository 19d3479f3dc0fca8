// player.js against anim.py: the indices of every track at every step must be
// Python's `Animation.at(step)` (fixtures from scripts/make_js_fixtures.py), and
// the clock must keep mm's rule: at most one step per 1000/speed ms and per call.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { Player, animationAt, indexAt } from "../src/anim/player.js";

const FILE = new URL("./fixtures/player.json", import.meta.url);
if (!existsSync(FILE)) {
  throw new Error(
    "no JS test fixtures: run `make jstest` (or .venv/bin/python scripts/make_js_fixtures.py)",
  );
}
const FIXTURES = JSON.parse(readFileSync(FILE, "utf8"));
const byScene = Object.fromEntries(FIXTURES.map((f) => [f.scene, f]));

/** The running tracks of a player state, as Animation.at gives them. */
function running(state) {
  const out = {};
  for (const [path, t] of Object.entries(state.tracks)) if (t.index !== null) out[path] = t.index;
  return out;
}

test("the fixtures cover fused chains, parallel subtrees and multi-axis sweeps", () => {
  const chain = byScene.chain.animation;
  assert.equal(chain.tracks.length, 2);
  assert.ok(chain.tracks.some((t) => t.fused_with === "root"));
  assert.ok(byScene.tree.animation.tracks.some((t) => t.start > 0));
  assert.ok(FIXTURES.some((f) => f.animation.tracks.some((t) => t.sweep.length === 2)));
  assert.equal(byScene.still.animation.total_steps, 0);
});

test("async: a parent joins a child already under way and follows it at a distance", () => {
  const { animation } = byScene.async;
  const track = (node) => animation.tracks.find((t) => t.node === node);
  const [child, parent] = [track("root.left.left"), track("root.left")];
  assert.equal(child.fused_with, "root.left");
  assert.ok(parent.start > child.start, "the parent starts later");
  const at = animationAt(animation, parent.start + 2);
  assert.equal(at["root.left.left"].i - at["root.left"].i, parent.start - child.start);
  assert.equal(track("root.right"), undefined, "the argument read whole has no track");
});

for (const { scene, animation, at } of FIXTURES) {
  test(`animationAt equals Python's Animation.at at every step: ${scene}`, () => {
    for (const [step, want] of at) {
      const got = animationAt(animation, step);
      assert.deepEqual({ ...got }, want, `step ${step}`);
      // index keys come in sweep order, as Python's dict
      for (const [path, index] of Object.entries(want)) {
        assert.deepEqual(Object.keys(got[path]), Object.keys(index));
      }
    }
  });

  test(`Player.seek + state() equals Animation.at: ${scene}`, () => {
    const player = new Player(animation);
    for (const [step, want] of at) {
      player.seek(step);
      const state = player.state();
      assert.deepEqual(running(state), want, `step ${step}`);
      assert.equal(state.total, animation.total_steps);
      for (const track of animation.tracks) {
        const t = state.tracks[track.node];
        assert.equal(t.track, track);
        assert.equal(t.done, state.step >= track.start + track.steps, `${track.node} done`);
        if (t.done) assert.equal(t.index, null);
      }
    }
  });
}

test("stepping forward plays two loops in Python's order; back wraps", () => {
  const { animation, at } = byScene.attention;
  const total = animation.total_steps;
  const want = new Map(at.map(([s, w]) => [s, w]));
  const player = new Player(animation);
  assert.equal(player.step, 0);
  for (let s = 1; s <= 2 * total; s++) {
    assert.equal(player.stepForward(), true);
    assert.equal(player.playing, false, "stepping pauses");
    assert.deepEqual(running(player.state()), want.get(s), `step ${s}`);
  }
  assert.equal(player.step, 0);
  assert.equal(player.stepBack(), true);
  assert.equal(player.step, total - 1);
  assert.deepEqual(running(player.state()), want.get(-1));
  player.step = 5; // the setter seeks
  assert.equal(player.step, 5);
  assert.equal(player.seek(5 + 3 * total), false, "the same step modulo total");
});

test("tick: at most one step per 1000/speed ms and per call", () => {
  const player = new Player(byScene.chain.animation); // speed 20: 50 ms, 6 steps
  assert.equal(player.speed, 20);
  assert.equal(player.playing, true);
  assert.equal(player.tick(1000), false, "the first tick starts the clock");
  assert.equal(player.tick(1049), false);
  assert.equal(player.tick(1050), true);
  assert.equal(player.step, 1);
  assert.equal(player.tick(1051), false);
  assert.equal(player.tick(1099.9), false);
  assert.equal(player.tick(1100), true); // on time
  assert.equal(player.tick(1160), true); // 10 ms late: the next is still due at 1200
  assert.equal(player.tick(1199), false);
  assert.equal(player.tick(1200), true, "a slightly late frame keeps the cadence");
  assert.equal(player.step, 4);
  assert.equal(player.tick(5000), true); // stalled: one step, not a burst of 76
  assert.equal(player.step, 5);
  assert.equal(player.tick(5049), false, "after a stall the clock restarts from now");
  assert.equal(player.tick(5050), true);
  assert.equal(player.step, 0, "loops");
  assert.equal(player.tick(4000), false, "a clock that goes back restarts");
  assert.equal(player.tick(4050), true);
  assert.equal(player.step, 1);

  player.speed = 4; // 250 ms
  assert.equal(player.tick(4299), false);
  assert.equal(player.tick(4300), true);
  player.pause();
  assert.equal(player.tick(9000), false);
  assert.equal(player.step, 2);
  player.play();
  assert.equal(player.tick(9000), false, "play restarts the interval");
  assert.equal(player.tick(9250), true);
  player.seek(4);
  assert.equal(player.tick(9500), false, "a seek restarts the interval");
  assert.equal(player.tick(9750), true);
  assert.equal(player.step, 5);
  for (const bad of [0, -1, NaN, Infinity, "fast"]) {
    assert.throws(() => {
      player.speed = bad;
    }, RangeError);
  }
});

test("prefers-reduced-motion: starts paused, no spin; play still works", () => {
  const animation = { ...byScene.chain.animation, spin: 0.5 };
  assert.equal(new Player(animation).spin, 0.5);
  const player = new Player(animation, { reducedMotion: true });
  assert.equal(player.playing, false);
  assert.equal(player.spin, 0);
  assert.equal(player.tick(0), false);
  assert.equal(player.tick(1000), false);
  player.play();
  player.tick(0);
  assert.equal(player.tick(50), true);
});

test("a figure without steps never plays", () => {
  const player = new Player(byScene.still.animation);
  assert.equal(player.playing, false);
  player.play();
  assert.equal(player.playing, false);
  assert.equal(player.tick(0), false);
  assert.equal(player.tick(1e6), false);
  assert.equal(player.stepForward(), false);
  assert.equal(player.seek(3), false);
  const state = player.state();
  assert.deepEqual(
    { ...state, tracks: { ...state.tracks } },
    { step: 0, total: 0, playing: false, tracks: {} },
  );
});

test("a one-step loop never reports a change", () => {
  const track = { node: "root", start: 0, steps: 1, sweep: ["k"], sizes: [1] };
  const player = new Player({ total_steps: 1, speed: 20, tracks: [track] });
  player.tick(0);
  assert.equal(player.tick(100), false);
  assert.deepEqual(player.state().tracks.root.index, { k: 0 });
});

test("indexAt: the last swept axis runs fastest; null outside the track", () => {
  const track = { sweep: ["j", "k"], sizes: [2, 3], steps: 6 };
  const seq = [0, 1, 2, 3, 4, 5].map((s) => indexAt(track, s));
  assert.deepEqual(seq, [
    { j: 0, k: 0 },
    { j: 0, k: 1 },
    { j: 0, k: 2 },
    { j: 1, k: 0 },
    { j: 1, k: 1 },
    { j: 1, k: 2 },
  ]);
  assert.equal(indexAt(track, -1), null);
  assert.equal(indexAt(track, 6), null);
});

test("malformed animations are refused with a clear Error", () => {
  const good = byScene.chain.animation;
  const cases = [
    [null, /missing/],
    [{ ...good, total_steps: -1 }, /total_steps/],
    [{ ...good, total_steps: 1.5 }, /total_steps/],
    [{ ...good, tracks: "x" }, /tracks must be a list/],
    [{ ...good, tracks: [null] }, /tracks\[0\] is not an object/],
    [{ ...good, tracks: [{ ...good.tracks[0], node: 3 }] }, /node/],
    [{ ...good, tracks: [{ ...good.tracks[0], start: -2 }] }, /start and steps/],
    [{ ...good, tracks: [{ ...good.tracks[0], sweep: ["x"] }] }, /sweep/],
    [{ ...good, tracks: [{ ...good.tracks[0], sizes: [0] }] }, /sizes/],
    [{ ...good, tracks: [{ ...good.tracks[0], sizes: [1, 2] }] }, /sizes/],
  ];
  for (const [animation, message] of cases) {
    assert.throws(() => new Player(animation), message);
  }
});
