// animstate.js: what a step means for the shaders.  The reveal predicate below is
// matrix.frag's `revealed`, so these tests pin what a reader sees at each step:
// the result region shown, the argument rows/columns highlighted, the partial sums.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import {
  BIG,
  NO_RECT,
  REVEAL_ALL,
  REVEAL_NONE,
  blockSize,
  quadLayout,
  trackUniforms,
} from "../src/anim/animstate.js";
import { Player } from "../src/anim/player.js";

/** matrix.frag `revealed` for a cube-local cell (a, b). */
function revealed([major, minor, colMajor], a, b) {
  const [x, y] = colMajor > 0.5 ? [b, a] : [a, b];
  return x < major || (x === major && y < minor);
}

function revealedCells(reveal, rows, cols) {
  const out = [];
  for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) if (revealed(reveal, a, b)) out.push([a, b]);
  return out;
}

function track(alg, { I = 4, J = 3, K = 5, epilog = false } = {}) {
  const table = {
    vmprod: [["i"], "plane_kj", "row"],
    mvprod: [["j"], "plane_ik", "col"],
    dotprod_row_major: [["i", "j"], "vector_k", "element"],
    dotprod_col_major: [["j", "i"], "vector_k", "element"],
    vvprod: [["k"], "plane_ij", "accumulate"],
    axpy: [["j", "k"], "vector_i", "accumulate_col"],
  };
  const [sweep, shows, reveals] = table[alg];
  const splits = [[0, I], [0, J], [0, K]];
  const size = { i: I, j: J, k: K };
  const sizes = sweep.map((a) => size[a]);
  return {
    node: "root",
    alg,
    start: 0,
    steps: sizes.reduce((a, b) => a * b, 1),
    sweep,
    sizes,
    shows,
    reveals,
    splits,
    partial_sums: false,
    epilog_at_end: epilog,
    fused_with: null,
  };
}

const entry = (index) => ({ index, done: false });

test("blockSize is the largest block", () => {
  assert.equal(blockSize([0, 3, 6, 7]), 3);
  assert.equal(blockSize([0, 5]), 5);
});

test("idle, not started and done tracks draw no plane; results hidden only before the start", () => {
  const t = track("vmprod");
  assert.deepEqual(trackUniforms(t, null).reveal, REVEAL_ALL);
  assert.equal(trackUniforms(t, null).running, false);
  assert.deepEqual(trackUniforms(t, { index: null, done: false }).reveal, REVEAL_NONE);
  assert.deepEqual(trackUniforms(t, { index: null, done: true }).reveal, REVEAL_ALL);
  assert.deepEqual(revealedCells(REVEAL_NONE, 4, 3), []);
  assert.equal(revealedCells(REVEAL_ALL, 4, 3).length, 12);
});

test("vmprod at row i: result rows 0..i shown, left row i highlighted, plane at i", () => {
  const t = track("vmprod");
  for (let i = 0; i < 4; i++) {
    const u = trackUniforms(t, entry({ i }));
    assert.equal(u.running, true);
    assert.deepEqual(u.local, [i, 0, 0]);
    assert.deepEqual(
      revealedCells(u.reveal, 4, 3),
      revealedCells(REVEAL_ALL, 4, 3).filter(([a]) => a <= i),
    );
    assert.deepEqual(u.left, [i, -BIG, i + 1, BIG]);
    assert.deepEqual(u.right, NO_RECT);
  }
});

test("mvprod at column j: result columns 0..j, right column j highlighted", () => {
  const u = trackUniforms(track("mvprod"), entry({ j: 1 }));
  assert.deepEqual(
    revealedCells(u.reveal, 4, 3),
    revealedCells(REVEAL_ALL, 4, 3).filter(([, b]) => b <= 1),
  );
  assert.deepEqual(u.right, [-BIG, 1, BIG, 2]);
  assert.deepEqual(u.left, NO_RECT);
});

test("dotprod reveals the elements up to the current one in sweep order", () => {
  for (const alg of ["dotprod_row_major", "dotprod_col_major"]) {
    const t = track(alg);
    const player = new Player({ total_steps: t.steps, tracks: [t] });
    const order = [];
    for (let s = 0; s < t.steps; s++) {
      player.seek(s);
      const { index } = player.state().tracks.root;
      order.push([index.i, index.j]);
      const shown = revealedCells(trackUniforms(t, entry(index)).reveal, 4, 3);
      assert.deepEqual(
        shown.map((c) => c.join()).sort(),
        order.map((c) => c.join()).sort(),
        `${alg} step ${s}`,
      );
    }
  }
});

test("vvprod accumulates over k; the last step shows the stored values", () => {
  const t = track("vvprod");
  for (let k = 0; k < 5; k++) {
    const u = trackUniforms(t, entry({ k }));
    assert.deepEqual(u.reveal, REVEAL_ALL);
    assert.deepEqual(u.accum, [1, 0, k + 1, k === 4 ? 2 : 0]);
    assert.deepEqual(u.left, [-BIG, k, BIG, k + 1]);
    assert.deepEqual(u.right, [k, -BIG, k + 1, BIG]);
  }
});

test("axpy: done columns complete, the current one partial; raw until the end with an epilog", () => {
  const plain = trackUniforms(track("axpy"), entry({ j: 1, k: 4 }));
  assert.deepEqual(plain.accum, [1, 1, 5, 2]); // last k of column 1: stored values
  assert.deepEqual(plain.right, [4, 1, 5, 2]);
  const mid = trackUniforms(track("axpy", { epilog: true }), entry({ j: 1, k: 4 }));
  assert.deepEqual(mid.accum, [1, 1, 5, 1]); // complete columns raw, current raw
  const end = trackUniforms(track("axpy", { epilog: true }), entry({ j: 2, k: 4 }));
  assert.deepEqual(end.accum, [1, 2, 5, 2]); // the final step: stored, epilog applied
  assert.deepEqual(
    revealedCells(plain.reveal, 4, 3),
    revealedCells(REVEAL_ALL, 4, 3).filter(([, b]) => b <= 1),
  );
});

test("each kind of step is drawn as a slice of its algorithm's plane", () => {
  assert.deepEqual(quadLayout(track("vmprod")), { axes: [2, 1], strip: -1 });
  assert.deepEqual(quadLayout(track("mvprod")), { axes: [0, 2], strip: -1 });
  assert.deepEqual(quadLayout(track("vvprod")), { axes: [0, 1], strip: -1 });
  assert.deepEqual(quadLayout(track("dotprod_row_major")), { axes: [2, 1], strip: 1 });
  assert.deepEqual(quadLayout(track("dotprod_col_major")), { axes: [2, 0], strip: 1 });
  assert.deepEqual(quadLayout(track("axpy")), { axes: [0, 1], strip: 1 });
  assert.throws(() => quadLayout({ shows: "cube" }), /unknown track.shows/);
});

const FIXTURES = new URL("./fixtures/player.json", import.meta.url);
test("every track of Python's fixtures gives uniforms at every step", { skip: !existsSync(FIXTURES) }, () => {
  for (const { animation } of JSON.parse(readFileSync(FIXTURES, "utf8"))) {
    const player = new Player(animation);
    for (let s = 0; s < animation.total_steps; s++) {
      player.seek(s);
      for (const [node, e] of Object.entries(player.state().tracks)) {
        const u = trackUniforms(e.track, e);
        assert.equal(u.running, e.index !== null, `${node} step ${s}`);
        assert.equal(u.reveal.length, 4);
      }
    }
  }
});
