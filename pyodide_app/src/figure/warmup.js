// Shaders compiled once per page, before any scene arrives.
//
// In software WebGL (SwiftShader: every reader without a GPU, and our tests) the
// first draw with a new program costs 150–350 ms of the GPU process's time: the
// shader is compiled to machine code then, not at link.  A figure's first frame
// needs three programs (matrix blocks, the animation's product planes, the flow
// arrows), which used to be compiled one after the other inside that first frame.
// `warmUp` draws one tiny quad of each into a 1 × 1 corner of the shared canvas as
// soon as the viewer knows the page has figures: the GPU process compiles them
// while the main thread fetches, decodes and builds the scene, and the figures'
// own materials then find the programs in three.js's cache (same sources, defines
// and state: the materials come from the same factories, scenegraph.js).
//
// The warm objects are held while the page has figures (three.js deletes a program
// when no material uses it any more) and freed with `dispose` when it has none.
// PARTIAL and ACCUM planes (split-k and vvprod/axpy animations) are rarer: they
// compile on first use.

import * as THREE from "three";
import { valueTexture } from "../gl/textures.js";
import { arrowMaterial, matrixMaterial } from "./scenegraph.js";

/** What a first frame draws with: [vertex shader, defines] of matrixMaterial, plus the arrows. */
export const WARM_PROGRAMS = [
  ["matrix", {}],
  ["plane", { PRODUCT: "" }],
];

/**
 * Draw one quad with each program a first frame needs, into the bottom-left pixel of
 * `renderer`'s canvas.  Returns the warm set, whose `dispose()` frees what it made.
 *
 * @param {THREE.WebGLRenderer} renderer the page's shared renderer (gl/renderer.js)
 */
export function warmUp(renderer) {
  const owned = [];
  const own = (obj) => (owned.push(obj), obj);
  // A half-float value texture, as scene files' f2 buffers give (the sampler's format is
  // part of what is compiled).
  const values = () => own(valueTexture(new Uint16Array([0x3c00]), 1, 1, true)); // 1.0
  const scene = new THREE.Scene();
  const quad = own(new THREE.BufferGeometry());
  quad.setAttribute("position", new THREE.BufferAttribute(new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]), 3));
  quad.setAttribute("aCell", new THREE.BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
  quad.setAttribute("color", new THREE.BufferAttribute(new Float32Array(12).fill(1), 3));
  quad.setIndex([0, 1, 2, 0, 2, 3]);
  for (const [vertex, defines] of WARM_PROGRAMS) {
    const uniforms = {
      uValues: { value: values() },
      uL: { value: values() },
      uR: { value: values() },
      uBlockSize: { value: new THREE.Vector2(1, 1) },
    };
    const mesh = new THREE.Mesh(quad, own(matrixMaterial(vertex, defines, uniforms)));
    mesh.frustumCulled = false;
    scene.add(mesh);
  }
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
  let disposed = false;
  return {
    programs: WARM_PROGRAMS.length + 1,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const obj of owned) obj.dispose();
    },
  };
}
