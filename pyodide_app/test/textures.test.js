// textures.js: value textures upload straight from the scene file's views; only what
// must be rearranged or widened is copied.

import assert from "node:assert/strict";
import { test } from "node:test";
import { tileTextures } from "../src/gl/textures.js";

test("a float16 buffer that fits one texture is uploaded from its view on the file, as HALF_FLOAT", () => {
  const file = new ArrayBuffer(64);
  const view = new Uint16Array(file, 16, 12); // 3 × 4 half floats inside the file
  const [tile] = tileTextures({ dtype: "f2", shape: [3, 4], data: view }, 4096);
  assert.equal(tile.texture.image.data, view); // the very view: no copy
  assert.equal(tile.texture.image.data.buffer, file);
  assert.equal(tile.texture.internalFormat, "R16F");
  assert.deepEqual([tile.texture.image.width, tile.texture.image.height], [4, 3]);
});

test("a float32 buffer is uploaded from its view too", () => {
  const view = new Float32Array(new ArrayBuffer(48), 0, 12);
  const [tile] = tileTextures({ dtype: "f4", shape: [12], data: view }, 4096);
  assert.equal(tile.texture.image.data, view);
  assert.equal(tile.texture.internalFormat, "R32F");
});

test("tiles and integer buffers are the copies: gathered per tile, widened to float32", () => {
  const data = Uint16Array.from({ length: 5 * 3 }, (_, n) => n);
  const tiles = tileTextures({ dtype: "f2", shape: [5, 3], data }, 2);
  assert.equal(tiles.length, 6);
  assert.notEqual(tiles[0].texture.image.data.buffer, data.buffer);
  assert.deepEqual(Array.from(tiles[1].texture.image.data), [2, 5]); // rows 0-1, column 2
  const ints = tileTextures({ dtype: "i4", shape: [2, 2], data: new Int32Array([1, -2, 3, 4]) }, 4096);
  assert.ok(ints[0].texture.image.data instanceof Float32Array);
  assert.deepEqual(Array.from(ints[0].texture.image.data), [1, -2, 3, 4]);
});
