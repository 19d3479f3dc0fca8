// Where the products an animation step shows inside a cube are (matrix.vert's plane
// placement, on the CPU), as faces the lens can search for cells near its ray
// (input/lenslayout.js `spotlightCells`): one face per (i, j, k) block of a running
// track, spanning the block along the quad's row and column axes (or one cell of a
// vector) at the centre of the current cell along the third.  A cell (r, c) of such a
// face is the product L[i, k]·R[k, j] at the cube index (i, j, k) `productIndex` gives.
// Pure: no GL, no DOM.

const vec = (a) => ({ x: a[0], y: a[1], z: a[2] });

function cross(a, b) {
  const c = { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
  const n = Math.hypot(c.x, c.y, c.z) || 1;
  return { x: c.x / n, y: c.y / n, z: c.z / n };
}

/** The blocks between boundaries (0, s, 2s, …, n): {index, start, size}. */
export function blocksOf(bounds) {
  const out = [];
  for (let b = 0; b + 1 < bounds.length; b++) out.push({ index: b, start: bounds[b], size: bounds[b + 1] - bounds[b] });
  return out;
}

/**
 * The faces of one track's products at its current index.
 *
 * @param {{origin: number[], axes: number[][], splits: number[][], gap: number}} cube
 *   the header cube (its axes: one cell along i, j, k in world units)
 * @param {{axes: number[], strip: number}} layout animstate.js `quadLayout`
 * @param {string} sweep the track's `sweep` (axes whose index must lie inside a block)
 * @param {number[]} local the current within-block index along i, j, k
 * @returns {Array<object>} faces for `spotlightCells` ({visible, a0, a1, normal, data:
 *   {blocks: [one block]}}) with `axes` [row, column, fixed] and `fixed` (the cube index
 *   along the fixed axis)
 */
export function productFaces(cube, layout, sweep, local) {
  const axes = cube.axes.map(vec);
  const [ar, ac] = layout.axes;
  const af = 3 - ar - ac;
  const a0 = axes[ar];
  const a1 = axes[ac];
  const normal = cross(a0, a1);
  const blocks = cube.splits.map(blocksOf);
  const faces = [];
  for (const bi of blocks[0]) {
    for (const bj of blocks[1]) {
      for (const bk of blocks[2]) {
        const b = [bi, bj, bk];
        // A block whose index is past its size (short blocks) draws nothing (matrix.vert `past`).
        if ([0, 1, 2].some((a) => sweep.includes("ijk"[a]) && local[a] >= b[a].size)) continue;
        const lo = [layout.strip === 0 ? local[ar] : 0, layout.strip === 1 ? local[ac] : 0];
        const hi = [layout.strip === 0 ? local[ar] + 1 : b[ar].size, layout.strip === 1 ? local[ac] + 1 : b[ac].size];
        // Cells from the block's outer corner: lo along the row and column axes, the
        // current cell's centre along the fixed one.
        const c = [0, 0, 0];
        c[ar] = lo[0];
        c[ac] = lo[1];
        c[af] = local[af] + 0.5;
        const o = [0, 1, 2].map(
          (d) =>
            cube.origin[d] + [0, 1, 2].reduce((s, a) => s + cube.axes[a][d] * (b[a].start + cube.gap * b[a].index + c[a]), 0),
        );
        faces.push({
          visible: true,
          a0,
          a1,
          normal,
          axes: [ar, ac, af],
          fixed: b[af].start + local[af],
          data: {
            blocks: [
              {
                origin: o,
                rows: [b[ar].start + lo[0], b[ar].start + hi[0]],
                cols: [b[ac].start + lo[1], b[ac].start + hi[1]],
              },
            ],
          },
        });
      }
    }
  }
  return faces;
}

/** The cube index [i, j, k] of cell (r, c) of a product face. */
export function productIndex(face, r, c) {
  const g = [0, 0, 0];
  g[face.axes[0]] = r;
  g[face.axes[1]] = c;
  g[face.axes[2]] = face.fixed;
  return g;
}

/** World centre [x, y, z] of cell (r, c) of a face (one block). */
export function faceCellCentre(face, r, c) {
  const b = face.data.blocks[0];
  const u = r - b.rows[0] + 0.5;
  const v = c - b.cols[0] + 0.5;
  const { a0, a1 } = face;
  return [b.origin[0] + u * a0.x + v * a1.x, b.origin[1] + u * a0.y + v * a1.y, b.origin[2] + u * a0.z + v * a1.z];
}
