// The spec's highlight (nodes.<name>.highlight; core/spec/vocab.py): rows, columns and
// cells of a node emphasised, the rest dimmed.  The scene header gives each node the
// highlight it shows (its own and what its operands carry, as indices); this turns it
// into matrix.frag's uniforms: a byte texture marking the highlighted rows (texels
// [0, h)) and columns ([h, h + w)), laid out MARK_WIDTH texels a line, and the
// highlighted cells as a short list.  The shader dims what is not highlighted and
// outlines what is (a frame, not a hue: colour-blind readers see it too).

import * as THREE from "three";

export const MAX_MARKED_CELLS = 32; // core/spec/vocab.py MAX_CELLS; matrix.frag's array
const MARK_WIDTH = 4096;

/**
 * matrix.frag's highlight uniforms for a node shown with `shape` ([rows, cols]).
 * @returns {{uniforms: object, texture: THREE.DataTexture | null}} the caller disposes the texture
 */
export function highlightUniforms(node, shape) {
  const hl = node && node.highlight;
  const cells = new Int32Array(2 * MAX_MARKED_CELLS).fill(-1);
  if (!hl) {
    return {
      texture: null,
      uniforms: {
        uMarked: { value: null },
        uMarkedInfo: { value: [0, 0, 0, 1] },
        uMarkedCells: { value: cells },
        uMarkedCellCount: { value: 0 },
      },
    };
  }
  const [h, w] = shape;
  const n = h + w;
  const width = Math.min(n, MARK_WIDTH);
  const height = Math.ceil(n / width);
  const data = new Uint8Array(width * height);
  for (const r of hl.rows) data[r] = 255;
  for (const c of hl.cols) data[h + c] = 255;
  const texture = new THREE.DataTexture(data, width, height, THREE.RedFormat, THREE.UnsignedByteType);
  texture.minFilter = texture.magFilter = THREE.NearestFilter;
  texture.unpackAlignment = 1;
  texture.needsUpdate = true;
  const list = hl.cells.slice(0, MAX_MARKED_CELLS);
  list.forEach(([r, c], k) => cells.set([r, c], 2 * k));
  return {
    texture,
    uniforms: {
      uMarked: { value: texture },
      uMarkedInfo: { value: [1, h, w, width] },
      uMarkedCells: { value: cells },
      uMarkedCellCount: { value: list.length },
    },
  };
}
