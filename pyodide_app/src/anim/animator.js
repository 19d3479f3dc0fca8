// Plays a figure's animation program (scene header `animation`, anim.py) on the GPU.
//
// Built once per scene:
//   - per track, one quad per (i, j, k) block inside its cube for what a step shows
//     (a plane or vector of products L[i,k]·R[k,j]); matrix.vert (uPlane) places it at
//     the track's current index, matrix.frag (uProduct) reads L and R from the argument
//     textures and draws each product like a matrix element;
//   - with split-k (`partial_sums`), one partial-result plane per k block (matrix.frag
//     PARTIAL: Σ over that block, raw): the block next to the result face draws its
//     plane in the face's place while the sweep runs, the others in the gap on the
//     result's side of their block, as mm does;
//   - for vvprod/axpy, the result face's quads compiled with ACCUM: the running
//     partial sum is computed in the shader (raw while `epilog_at_end`; the last step
//     shows the stored, epilog-applied values).
// A step then costs uniform updates only (`apply`: O(tracks + views), nothing per
// element): each track's uLocal/uOn, and per view uReveal (result), uHighlight
// (arguments in use), uDim (argument dimming, hide_inputs), uAccum.
//
// The products are coloured over their own range (productrange.js), the split-k
// partial planes over theirs (Python's `partial_max`); the running sums of ACCUM use
// the result node's range, like the face they are drawn on.
//
// Reveals are inclusive (mm §4.4): at step i of vmprod the result rows 0..i are shown,
// so the last step shows the complete result, and in a fused chain the row a child
// has just computed is the one its parent uses.  While the reader prefers reduced
// motion the animation starts idle: the finished figure, no planes, until a control
// (play, step, scrub) is used.

import * as THREE from "three";
import { Player } from "./player.js";
import { maxAlongK, productMax } from "./productrange.js";
import { BIG, NO_RECT, accumulates, faceBlock, quadLayout, trackBlockSizes, trackUniforms } from "./animstate.js";
import { cellShown } from "./cellstate.js";
import { blocksOf, productFaces } from "./planecells.js";
import { Playbar } from "./playbar.js";
import { valueTexture } from "../gl/textures.js";
import { stepUniforms, v3 } from "../figure/scenegraph.js";
import { colorUniforms, setColorUniforms } from "../figure/style.js";

/** Brightness of an argument face's other elements while a row/column of it is highlighted. */
const ARG_DIM = 0.55;

export class Animator {
  /**
   * Prepares the player and per-track uniforms (no GL objects yet: the graph's
   * views are built next, and ask `quadExtras` for the result faces that accumulate).
   * @param {object} fig the Figure (reducedMotion, style, stage, addTicker, markDirty, redraw)
   * @param {import("../figure/scenegraph.js").SceneGraph} graph the scene's GL objects
   *   (header, buffers, textures, node uniforms; views and layers once built)
   */
  constructor(fig, graph) {
    this.fig = fig;
    this.graph = graph;
    this.animation = graph.header.animation;
    this.player = new Player(this.animation, { reducedMotion: fig.reducedMotion });
    this.active = !fig.reducedMotion;
    this.stepTiming = null; // ms of JavaScript spent on the last step (state → uniforms → controls)
    this.hideInputs = Boolean(this.animation.hide_inputs);
    const cubes = new Map((graph.header.cubes || []).map((c) => [c.node, c]));
    this.tracks = this.animation.tracks.map((track) => {
      const cube = cubes.get(track.node);
      if (!cube) throw new Error(`scene animation: no cube for track ${JSON.stringify(track.node)}`);
      const sizes = trackBlockSizes(track);
      return {
        track,
        cube,
        sizes,
        layout: quadLayout(track),
        resultPath: graph.header.matrices[cube.result].node,
        nearest: faceBlock(cube, graph.header.matrices[cube.result].origin), // split-k: the face's block
        uLocal: { value: [0, 0, 0] },
        uOn: { value: 0 },
        uReveal: { value: new THREE.Vector4() }, // the partial-sum planes' (animstate `reveal`)
        colors: colorUniforms(),
        partialColors: colorUniforms(), // split-k planes: the result's hues, their own range
        accum: accumulates(track)
          ? { uAccum: { value: new THREE.Vector4() }, uKInfo: { value: [cube.size[2], sizes[2], sizes[1]] } }
          : null,
        productMax: 0,
      };
    });
    this.byNode = new Map(this.tracks.map((t) => [t.track.node, t]));
    this._flat = new Map(); // buffer name -> {texture, cols, width}
    this._kMax = new Map(); // buffer name + axis -> per k, the largest |x| (maxAlongK)
    this._owned = []; // textures made here
    this.playbar = null;
  }

  // ------------------------------------------------------------------ building

  /** Extra defines and uniforms for a view's quads (the result face of vvprod/axpy). */
  quadExtras(view) {
    const t = this.byNode.get(view.data.cube);
    if (!t || !t.accum || view.data.role !== "result") return null;
    return { defines: { ACCUM: "" }, uniforms: Object.assign(this.argUniforms(t.cube), t.accum) };
  }

  /** Create the planes (into the graph's layers), the control bar and the ticker; show the first step. */
  build() {
    const fig = this.fig;
    const views = this.graph.views;
    this.geometry = this.graph.own(new THREE.BufferGeometry());
    this.geometry.setAttribute(
      "position",
      new THREE.BufferAttribute(new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]), 3),
    );
    // Unused by planes, but the matrix blocks' vertex layout: one pipeline for both.
    this.geometry.setAttribute("aCell", new THREE.BufferAttribute(new Float32Array(8), 2));
    this.geometry.setIndex([0, 1, 2, 0, 2, 3]);
    for (const view of views) {
      view.uniforms.uRevealMod.value = [BIG, BIG];
      view.uniforms.uHighlightMod.value = [BIG, BIG];
    }
    for (const t of this.tracks) {
      const [si, sj, sk] = t.sizes;
      views[t.cube.result].uniforms.uRevealMod.value = [si, sj];
      views[t.cube.left].uniforms.uHighlightMod.value = [si, sk];
      views[t.cube.right].uniforms.uHighlightMod.value = [sk, sj];
      t.productMax = productMax(this.maxAlongK(t.cube.left, true), this.maxAlongK(t.cube.right, false), t.cube.size[2]);
      this.buildTrack(t);
    }
    this.applyColors();
    this.playbar = new Playbar(this, fig.stage);
    fig.stage.classList.add("mm-animated");
    this._untick = fig.addTicker((now) => this.onTick(now));
    this.apply();
  }

  buildTrack(t) {
    const { cube, track } = t;
    const axes = cube.axes.map(v3);
    const basis = new THREE.Matrix3().set(
      axes[0].x, axes[1].x, axes[2].x,
      axes[0].y, axes[1].y, axes[2].y,
      axes[0].z, axes[1].z, axes[2].z,
    ); // prettier-ignore
    const args = this.argUniforms(cube);
    const blocks = cube.splits.map(blocksOf);
    const check = [0, 1, 2].map((a) => (track.sweep.includes("ijk"[a]) ? 1 : 0));
    const corner = (bi, bj, bk) => {
      const o = v3(cube.origin);
      [bi, bj, bk].forEach((b, a) => o.addScaledVector(axes[a], b.start + cube.gap * b.index));
      return o;
    };
    const { axes: quadAxes, strip } = t.layout;
    for (const bi of blocks[0]) {
      for (const bj of blocks[1]) {
        for (const bk of blocks[2]) {
          const size = [bi.size, bj.size, bk.size];
          const uniforms = Object.assign({}, args, t.colors, this.fixedUniforms(), {
            uCubeAxes: { value: basis },
            uOrigin: { value: corner(bi, bj, bk) },
            uBlockCells: { value: size },
            uAxes: { value: quadAxes },
            uStrip: { value: strip },
            uLocal: t.uLocal,
            uCheck: { value: check },
            uOn: t.uOn,
            uFixedAt: { value: -1e9 },
            uStart: { value: [bi.start, bj.start, bk.start] },
            uBlockSize: { value: new THREE.Vector2(size[quadAxes[0]], size[quadAxes[1]]) },
            uProduct: { value: true },
          });
          this.addQuad({}, uniforms, `${track.node} products`);
        }
      }
    }
    if (!track.partial_sums) return;
    // One partial-result plane per k block (mm's getAnimResultMats): the block next to the
    // result face draws its partial sums in the face's place (the face shows nothing until
    // the sweep ends: animstate `face`), every other block in the gap on the result's side.
    const result = this.graph.views[cube.result];
    const along = v3(result.data.origin).sub(v3(cube.origin)).dot(axes[2]); // the face, in cells along k
    for (const bi of blocks[0]) {
      for (const bj of blocks[1]) {
        for (const bk of blocks[2]) {
          const onFace = bk.index === t.nearest;
          const gapSide = along < 0 ? -cube.gap / 2 : bk.size + cube.gap / 2;
          const fixedAt = onFace ? along - (bk.start + cube.gap * bk.index) : gapSide;
          const uniforms = Object.assign({}, args, this.fixedUniforms(), t.partialColors, {
            uCubeAxes: { value: basis },
            uOrigin: { value: corner(bi, bj, bk) },
            uBlockCells: { value: [bi.size, bj.size, bk.size] },
            uAxes: { value: [0, 1] },
            uStrip: { value: -1 },
            uLocal: t.uLocal,
            uCheck: { value: [0, 0, 0] },
            uOn: t.uOn,
            uFixedAt: { value: fixedAt },
            uStart: { value: [bi.start, bj.start, bk.start] },
            uKCount: { value: bk.size },
            uBlockStart: { value: [bi.start, bj.start] },
            uBlockSize: { value: new THREE.Vector2(bi.size, bj.size) },
            uReveal: t.uReveal, // what the sweep has computed
            uRevealMod: result.uniforms.uRevealMod,
          });
          const mesh = this.addQuad({ PARTIAL: "" }, uniforms, `${track.node} partial sums, k block ${bk.index}`);
          if (onFace) {
            // In the face's plane: drawn over its guides, not fighting them for depth.
            Object.assign(mesh.material, { polygonOffset: true, polygonOffsetFactor: -1, polygonOffsetUnits: -4 });
          }
        }
      }
    }
  }

  /** Uniforms of matrix.frag that the planes hold constant. */
  fixedUniforms() {
    return Object.assign(stepUniforms(), {
      uDeco: this.fig.style.planeDecoUniform,
      uBlockStart: { value: [0, 0] },
    });
  }

  addQuad(defines, uniforms, name) {
    const material = this.graph.matrixMaterial(defines, Object.assign({ uPlane: { value: true } }, uniforms));
    const mesh = new THREE.Mesh(this.geometry, material);
    mesh.name = name;
    mesh.frustumCulled = false; // placed by the vertex shader
    mesh.matrixAutoUpdate = false;
    this.graph.layers.add(mesh);
    return mesh;
  }

  /** uL/uR and their addressing for a cube's arguments. */
  argUniforms(cube) {
    const side = (viewIndex) => {
      const node = this.graph.nodes.get(this.graph.header.matrices[viewIndex].node);
      const flat = this.flatTexture(node.buffer);
      return [flat.texture, [flat.cols, flat.width, node.transposed ? 1 : 0]];
    };
    const [lt, li] = side(cube.left);
    const [rt, ri] = side(cube.right);
    return { uL: { value: lt }, uLInfo: { value: li }, uR: { value: rt }, uRInfo: { value: ri } };
  }

  /**
   * A texture in which element n = r·cols + c of buffer `name` is texel (n % width,
   * n / width): the graph's own texture when the buffer fits one tile (width = cols),
   * else a flat copy as wide as a texture may be.
   */
  flatTexture(name) {
    let flat = this._flat.get(name);
    if (flat) return flat;
    const graph = this.graph;
    const buf = graph.buffers[name];
    const cols = buf.shape.length === 2 ? buf.shape[1] : buf.shape[0];
    const tiles = graph.texturesFor(name);
    if (tiles.length === 1) {
      flat = { texture: tiles[0].texture, cols, width: tiles[0].cols };
    } else {
      const n = buf.data.length;
      const width = graph.maxSide;
      const height = Math.ceil(n / width);
      if (height > graph.maxSide) throw new Error(`matrix buffer ${name} is too large to animate (${n} values)`);
      const half = buf.dtype === "f2";
      const data = half ? new Uint16Array(width * height) : new Float32Array(width * height);
      if (half || buf.dtype === "f4") data.set(buf.data);
      else for (let i = 0; i < n; i++) data[i] = buf.data[i];
      const tex = valueTexture(data, width, height, half);
      this._owned.push(tex);
      flat = { texture: tex, cols, width };
    }
    this._flat.set(name, flat);
    return flat;
  }

  /** Per k, the largest finite |x| of the argument shown by view `viewIndex` (k: its columns if left). */
  maxAlongK(viewIndex, isLeft) {
    const node = this.graph.nodes.get(this.graph.header.matrices[viewIndex].node);
    const kIsCol = isLeft !== Boolean(node.transposed); // k runs along the buffer's columns
    const key = node.buffer + (kIsCol ? "|c" : "|r");
    let out = this._kMax.get(key);
    if (!out) {
      out = maxAlongK(this.graph.buffers[node.buffer], kIsCol);
      this._kMax.set(key, out);
    }
    return out;
  }

  /**
   * Colours of the products and partial sums: the result node's hues, sizes and lights,
   * their own ranges (products: productrange.js; partial sums: the track's `partial_max`).
   */
  applyColors() {
    for (const t of this.tracks) {
      const colors = this.fig.style.colorsFor(t.resultPath);
      setColorUniforms(t.colors, colors, 0, t.productMax);
      setColorUniforms(t.partialColors, colors, 0, Number(t.track.partial_max) || 0);
    }
  }

  onContextRestored() {
    for (const tex of this._owned) tex.needsUpdate = true;
  }

  /** The textures made here (flat copies of the arguments); their CPU copies stay. */
  textures() {
    return this._owned.slice();
  }

  dispose() {
    if (this._untick) this._untick();
    if (this.playbar) this.playbar.dispose();
    if (this.fig.stage) this.fig.stage.classList.remove("mm-animated");
    for (const tex of this._owned) tex.dispose();
    this._owned = [];
    this._flat.clear();
    this.playbar = null;
  }

  // ------------------------------------------------------------------ steps

  /** The current step as uniforms: O(tracks + views), no allocation per element. */
  apply() {
    const views = this.graph.views;
    const state = this.active ? this.player.state() : null;
    for (const view of views) {
      view.uniforms.uHighlight.value.fromArray(NO_RECT);
      const hidden = this.active && this.hideInputs && view.node.kind === "leaf";
      view.uniforms.uDim.value = hidden ? 0 : 1;
      view.visible = !hidden;
    }
    for (const t of this.tracks) {
      const u = trackUniforms(t.track, state ? state.tracks[t.track.node] : null);
      t.uOn.value = u.running ? 1 : 0;
      const local = t.uLocal.value;
      local[0] = u.local[0];
      local[1] = u.local[1];
      local[2] = u.local[2];
      views[t.cube.result].uniforms.uReveal.value.fromArray(u.face);
      t.uReveal.value.fromArray(u.reveal);
      if (t.accum) t.accum.uAccum.value.fromArray(u.accum);
      if (!u.running) continue;
      this.highlight(views[t.cube.left], u.left);
      this.highlight(views[t.cube.right], u.right);
    }
  }

  highlight(view, rect) {
    if (rect[0] >= rect[2]) return;
    const u = view.uniforms;
    u.uHighlight.value.fromArray(rect);
    // Dim the rest of an input lightly so the row/column in use reads; results are left bright.
    if (u.uDim.value > 0 && view.node.kind === "leaf") u.uDim.value = ARG_DIM;
  }

  /**
   * What result cell (i, j) of view `vi` shows now (cellstate.js `cellShown`), with the
   * cube's argument views (to compute a partial sum); null if no track computes that view.
   */
  cellAt(vi, i, j) {
    const t = this.tracks.find((x) => x.cube.result === vi);
    if (!t) return null;
    const entry = this.active ? this.player.state().tracks[t.track.node] : null;
    return { shown: cellShown(t.track, entry, i, j, t.nearest), left: t.cube.left, right: t.cube.right };
  }

  /**
   * The products the current step shows inside the cubes, as faces the lens searches
   * (planecells.js), each with its cube's argument views `left` and `right`; none at rest.
   */
  productFaces() {
    const out = [];
    for (const t of this.tracks) {
      if (!t.uOn.value) continue;
      for (const face of productFaces(t.cube, t.layout, t.track.sweep, t.uLocal.value)) {
        out.push(Object.assign(face, { left: t.cube.left, right: t.cube.right }));
      }
    }
    return out;
  }

  /** After a step changed: uniforms, controls, timing; the caller redraws. */
  stepped(t0) {
    this.apply();
    if (this.playbar) this.playbar.update();
    this.stepTiming = performance.now() - t0;
  }

  onTick(now) {
    if (!this.player.playing) return false;
    const t0 = performance.now();
    if (this.player.tick(now)) {
      this.stepped(t0);
      this.fig.markDirty();
    }
    return true;
  }

  /** Show global step `step` (modulo the loop) and redraw once. */
  seek(step) {
    const t0 = performance.now();
    this.active = true;
    this.player.seek(Math.trunc(Number(step)) || 0);
    this.stepped(t0);
    this.fig.redraw();
  }

  play() {
    this.active = true;
    this.player.play();
    this.stepped(performance.now());
    this.fig.markDirty();
  }

  pause() {
    this.player.pause();
    if (this.playbar) this.playbar.update();
  }

  togglePlay() {
    if (this.player.playing) this.pause();
    else this.play();
  }

  stepForward() {
    this.player.pause();
    if (this.active) this.seek(this.player.step + 1);
    else this.seek(0); // from the idle (finished) figure: the first step
  }

  stepBack() {
    this.player.pause();
    if (this.active) this.seek(this.player.step - 1);
    else this.seek(this.player.total - 1);
  }

  setSpeed(stepsPerSecond) {
    this.player.speed = Math.min(100, Math.max(1, Number(stepsPerSecond) || 1));
    if (this.playbar) this.playbar.update();
  }
}
