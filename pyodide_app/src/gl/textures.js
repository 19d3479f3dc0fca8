// Scene buffers as GPU textures: one float channel per texel, sampled exactly
// (texelFetch in the shaders; no filtering, no mipmaps, no colour conversion).
//
// Uploads copy nothing in JavaScript where they can: a float16 or float32 buffer that
// fits one texture is uploaded straight from its typed-array view on the scene file
// (format/scenefile.js; float16 as HALF_FLOAT from the Uint16Array of its bits), so the
// "CPU copy" three.js keeps for a lost context or a released texture is the file itself.
// Still copied, and why: a buffer with a side over the texture limit (each tile is
// gathered into its own array: three.js uploads whole arrays, without
// UNPACK_ROW_LENGTH), integer buffers (widened to float32 once: no integer sampler
// path in matrix.frag), and display8 buffers (expanded to half floats when decoded,
// format/display8.js).

import * as THREE from "three";

/** No texture side above this, whatever the GPU allows. */
const MAX_SIDE = 4096;

/** The longest texture side to use with `renderer` (a THREE.WebGLRenderer). */
export function maxTextureSide(renderer) {
  return Math.min(MAX_SIDE, renderer.capabilities.maxTextureSize || MAX_SIDE);
}

/**
 * A `width` × `height` single-channel texture of `data`.
 *
 * @param {Float32Array|Uint16Array} data row-major texels (Uint16Array: raw half floats)
 * @param {number} width
 * @param {number} height
 * @param {boolean} half whether `data` holds binary16 bits
 * @returns {THREE.DataTexture} the caller disposes it
 */
export function valueTexture(data, width, height, half) {
  const tex = new THREE.DataTexture(data, width, height, THREE.RedFormat, half ? THREE.HalfFloatType : THREE.FloatType);
  tex.internalFormat = half ? "R16F" : "R32F";
  tex.minFilter = THREE.NearestFilter;
  tex.magFilter = THREE.NearestFilter;
  tex.generateMipmaps = false;
  tex.flipY = false;
  tex.unpackAlignment = 1;
  tex.colorSpace = THREE.NoColorSpace;
  tex.needsUpdate = true;
  return tex;
}

/**
 * A 1-D or 2-D scene buffer as textures of at most `side` texels a side: one tile,
 * or a grid of tiles for a buffer larger than that.
 *
 * @param {{dtype: string, shape: number[], data: ArrayLike<number>}} buf from decodeScene
 * @param {number} side the longest side allowed (`maxTextureSide`)
 * @returns {{texture: THREE.DataTexture, row0: number, col0: number, rows: number, cols: number}[]}
 *   each tile with the buffer rows and columns it holds; the caller disposes the textures
 */
export function tileTextures(buf, side) {
  const rows = buf.shape.length === 2 ? buf.shape[0] : 1;
  const cols = buf.shape.length === 2 ? buf.shape[1] : buf.shape[0];
  let data = buf.data;
  let half = buf.dtype === "f2";
  if (buf.dtype !== "f2" && buf.dtype !== "f4") {
    data = Float32Array.from(data); // integer buffers: shown as floats
    half = false;
  }
  const tiles = [];
  for (let r0 = 0; r0 < rows; r0 += side) {
    for (let c0 = 0; c0 < cols; c0 += side) {
      const tr = Math.min(side, rows - r0);
      const tc = Math.min(side, cols - c0);
      let tileData = data;
      if (tr !== rows || tc !== cols) {
        tileData = new data.constructor(tr * tc);
        for (let r = 0; r < tr; r++) {
          tileData.set(data.subarray((r0 + r) * cols + c0, (r0 + r) * cols + c0 + tc), r * tc);
        }
      }
      tiles.push({ texture: valueTexture(tileData, tc, tr, half), row0: r0, col0: c0, rows: tr, cols: tc });
    }
  }
  return tiles;
}

/** Bytes a texture of ours takes on the GPU (one channel: R8, R16F or R32F). */
export function textureBytes(tex) {
  const per = tex.type === THREE.UnsignedByteType ? 1 : tex.type === THREE.HalfFloatType ? 2 : 4;
  return tex.image.width * tex.image.height * per;
}
