// Shaders compiled once per page, before any scene arrives.
//
// In software WebGL (SwiftShader: every reader without a GPU, and our tests) the
// first draw with a new program costs 100–350 ms of the GPU process's time: the
// shader is compiled to machine code then, not at link.  A figure's first frame
// needs two programs: matrix.vert/.frag, which draws matrix blocks and the
// animation's product planes alike (one program, not two: a uniform tells them
// apart), and the flow arrows'.  `warmUp` draws one tiny quad of each into a 1 × 1
// corner of the shared canvas as soon as the viewer knows the page has figures, and
// has the GPU process run those draws at once (see the pixel read below): it compiles
// while the main thread fetches, decodes and builds the scene, and the figures' own
// materials then find the programs in three.js's cache (same sources, defines and
// state: the materials come from the same factories, scenegraph.js).
//
// The warm objects are held while the page has figures (three.js deletes a program
// when no material uses it any more) and freed with `dispose` when it has none.
// The page's palette picks the variant (matrix.frag's LIGHT define); a switch of
// palette compiles the other at its first draw.  PARTIAL and ACCUM planes (split-k
// and vvprod/axpy animations) and the HIGHLIGHT variant (a matrix showing a
// highlight) are rarer: they compile on first use.  The warmed program carries none
// of that code, and one copy of the cell lookup (its sampling loop) and of the light
// palette's tint: SwiftShader's compile time grows with the code, and
// benchmarks/bench_shaders.py measures it per variant.

import * as THREE from "three";
import { valueTexture } from "../gl/textures.js";
import { arrowMaterial, matrixMaterial, themeDefines } from "./scenegraph.js";

/**
 * Draw one quad with each program a first frame needs, into the bottom-left pixel of
 * `renderer`'s canvas.  Returns the warm set, whose `dispose()` frees what it made.
 *
 * @param {THREE.WebGLRenderer} renderer the page's shared renderer (gl/renderer.js)
 * @param {"dark"|"light"} theme the page's palette (theme.js: matrix.frag's LIGHT)
 */
export function warmUp(renderer, theme) {
  const owned = [];
  const own = (obj) => (owned.push(obj), obj);
  // A half-float value texture, as scene files' f2 buffers give (the sampler's format is
  // part of what is compiled).
  const values = own(valueTexture(new Uint16Array([0x3c00]), 1, 1, true)); // 1.0
  const scene = new THREE.Scene();
  const quad = own(new THREE.BufferGeometry());
  quad.setAttribute("position", new THREE.BufferAttribute(new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]), 3));
  quad.setAttribute("aCell", new THREE.BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
  quad.setAttribute("color", new THREE.BufferAttribute(new Float32Array(12).fill(1), 3));
  quad.setIndex([0, 1, 2, 0, 2, 3]);
  const blocks = new THREE.Mesh(
    quad,
    own(
      matrixMaterial(themeDefines(theme), {
        uValues: { value: values },
        uL: { value: values },
        uR: { value: values },
        uBlockSize: { value: new THREE.Vector2(1, 1) },
      }),
    ),
  );
  blocks.frustumCulled = false;
  scene.add(blocks);
  const arrows = new THREE.Mesh(quad, own(arrowMaterial()));
  arrows.frustumCulled = false;
  scene.add(arrows);
  const camera = new THREE.OrthographicCamera(-1, 1, 1, -1, -10, 10);
  // Link every program and read its uniforms first: each read waits for the GPU process
  // to catch up, so one after a draw would wait for that draw's compile.  The draws are
  // then only queued: the GPU process compiles while the main thread goes on.
  renderer.compile(scene, camera);
  scene.traverse((obj) => {
    const program = obj.material && renderer.properties.get(obj.material).currentProgram;
    if (program) program.getUniforms();
  });
  const viewport = renderer.getViewport(new THREE.Vector4());
  renderer.setViewport(0, 0, 1, 1);
  renderer.render(scene, camera);
  renderer.setViewport(viewport);
  // Have the GPU process run those draws now.  A flush alone does not: ANGLE holds a
  // flush while a render pass is open, so the draws (and the compiles) would wait for
  // the first figure's frame to be read back.  Reading a pixel into a buffer on the GPU
  // ends the render pass without making the main thread wait for it.
  const gl = renderer.getContext();
  const pixel = gl.createBuffer();
  gl.bindBuffer(gl.PIXEL_PACK_BUFFER, pixel);
  gl.bufferData(gl.PIXEL_PACK_BUFFER, 4, gl.STREAM_READ);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, 0);
  gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
  gl.deleteBuffer(pixel);
  gl.flush();
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const obj of owned) obj.dispose();
    },
  };
}
