// The lens's geometry, as pure functions (tested in node; lens.js does the DOM and GL):
//
//   lensRect      where the square goes: above the pointer, beside it near the top
//                 edge, always inside the figure
//   lensView      the camera sub-frustum (three.js setViewOffset) that magnifies the
//                 view around the pointer, and the map from figure to lens pixels
//   spotlightCells  the cells whose centre is within `spotlight` world units of the
//                 pointer's ray (mm's raycaster threshold), nearest first; per block
//                 only the cells in the bounding box of that cylinder's cut through
//                 the block's plane are visited, never a whole matrix
//   layoutLabels  value labels over their cells, nearest first, dropping those that
//                 would overlap one already placed or leave the lens
//
// Units: CSS pixels of the stage (origin top-left) for the screen, world units
// (one cell = 1) for the scene.

/** Gap between the pointer and the lens's near edge, CSS px. */
export const LENS_GAP = 16;
/** The lens keeps this far from the figure's edges, CSS px. */
export const LENS_MARGIN = 4;
/** Smaller than this (CSS px) the lens shows nothing useful: it stays closed. */
export const LENS_MIN = 48;
/** At most this many cells per block side are visited around the ray (a grazing view). */
const MAX_HALF_SPAN = 64;

const SIDES = ["above", "right", "left", "below"];

/**
 * The lens square for a pointer at (px, py) on a w × h figure.
 *
 * The side is `lensSize` × h (mm: × the window height), at most what fits inside the
 * figure.  It sits centred above the pointer, so that the finger or cursor does not hide
 * it; where there is no room above (near the top edge), or it would cover one of the
 * `avoid` rectangles (the toolbar), it goes on the right of the pointer, on its left or
 * below it, the first that fits (sliding along the pointer's side to stay inside); if
 * none does, above or beside as room allows, clamped inside.
 *
 * @param {Array<{x: number, y: number, w: number, h: number}>} [avoid] stage CSS px
 * @returns {{x: number, y: number, size: number, side: "above"|"right"|"left"|"below"}|null}
 *   top-left corner and side (CSS px); null when the lens would be under LENS_MIN
 */
export function lensRect(px, py, w, h, lensSize, avoid = []) {
  const room = Math.min(w, h) - 2 * LENS_MARGIN;
  const size = Math.floor(Math.min(Math.max(0, +lensSize || 0) * h, room));
  if (!(size >= LENS_MIN)) return null;
  const clamp = (v, hi) => Math.round(Math.min(Math.max(v, LENS_MARGIN), hi - LENS_MARGIN - size));
  const place = (side) => {
    if (side === "above" || side === "below") {
      const y = side === "above" ? py - LENS_GAP - size : py + LENS_GAP;
      return { x: clamp(px - size / 2, w), y: Math.round(y), size, side };
    }
    const x = side === "right" ? px + LENS_GAP : px - LENS_GAP - size;
    return { x: Math.round(x), y: clamp(py - size / 2, h), size, side };
  };
  const inside = (r) => r.x >= LENS_MARGIN && r.y >= LENS_MARGIN && r.x + size <= w - LENS_MARGIN && r.y + size <= h - LENS_MARGIN;
  const clear = (r) => avoid.every((a) => r.x >= a.x + a.w || a.x >= r.x + size || r.y >= a.y + a.h || a.y >= r.y + size);
  for (const side of SIDES) {
    const r = place(side);
    if (inside(r) && clear(r)) return r;
  }
  // Nowhere clear: above if there is room, else beside, towards the wider half.
  const r = place(py - LENS_GAP - size >= LENS_MARGIN ? "above" : px < w / 2 ? "right" : "left");
  return { x: clamp(r.x, w), y: clamp(r.y, h), size, side: r.side };
}

/**
 * What the lens shows: the `size / mag` square of the figure centred on the pointer,
 * scaled up `mag` times.
 *
 * @returns {{offset: number[], toLens: (x: number, y: number) => number[]}}
 *   `offset`: the arguments of three.js `camera.setViewOffset(fullWidth, fullHeight, x,
 *   y, width, height)` for a camera whose aspect is w / h; `toLens` maps a figure point
 *   (CSS px) to lens pixels (CSS px, origin the lens's top-left corner)
 */
export function lensView(px, py, w, h, size, mag) {
  const m = Math.max(1, +mag || 1);
  const offset = [w * m, h * m, px * m - size / 2, py * m - size / 2, size, size];
  return { offset, toLens: (x, y) => [(x - px) * m + size / 2, (y - py) * m + size / 2] };
}

const dot = (a, b) => a.x * b.x + a.y * b.y + a.z * b.z;

/**
 * Cells whose centre lies within `radius` world units of the ray origin + t·dir (t > 0).
 *
 * @param {Array<{visible: boolean, a0: object, a1: object, normal: object,
 *   data: {blocks: Array<{origin: number[], rows: number[], cols: number[]}>}}>} views
 *   the figure's matrices (SceneGraph views; a0/a1 unit row/column axes, normal a0 × a1)
 * @param {{x: number, y: number, z: number}} origin the ray's origin (the camera)
 * @param {{x: number, y: number, z: number}} dir its direction, unit length
 * @param {number} radius world units (deco.spotlight)
 * @param {number} [limit] at most this many cells are returned (the nearest)
 * @returns {Array<{view: number, i: number, j: number, dist: number, depth: number}>}
 *   nearest to the ray first; `depth` is the distance along the ray
 */
export function spotlightCells(views, origin, dir, radius, limit = 400) {
  const out = [];
  const r2 = radius * radius;
  if (!(radius > 0)) return out;
  for (let vi = 0; vi < views.length; vi++) {
    const view = views[vi];
    if (!view.visible) continue;
    const { a0, a1, normal } = view;
    const alpha = dot(a0, dir);
    const beta = dot(a1, dir);
    const gamma = dot(normal, dir);
    if (Math.abs(gamma) < 1e-6) continue; // the ray runs along the plane: seen edge-on
    // The cylinder cuts the plane in an ellipse around the hit point; its half-extents
    // along a0 and a1 are r·√(1 − β²)/|γ| and r·√(1 − α²)/|γ|.
    const hu = Math.min(MAX_HALF_SPAN, (radius * Math.sqrt(Math.max(0, 1 - beta * beta))) / Math.abs(gamma));
    const hv = Math.min(MAX_HALF_SPAN, (radius * Math.sqrt(Math.max(0, 1 - alpha * alpha))) / Math.abs(gamma));
    for (const block of view.data.blocks) {
      const [ox, oy, oz] = block.origin;
      const rel = { x: ox - origin.x, y: oy - origin.y, z: oz - origin.z };
      const t = dot(rel, normal) / gamma;
      if (!(t > 0)) continue;
      // The hit in block-local cell coordinates (continuous; a cell's centre is at +0.5).
      const hit = { x: origin.x + t * dir.x - ox, y: origin.y + t * dir.y - oy, z: origin.z + t * dir.z - oz };
      const su = dot(hit, a0);
      const sv = dot(hit, a1);
      const nr = block.rows[1] - block.rows[0];
      const nc = block.cols[1] - block.cols[0];
      const u0 = Math.max(0, Math.floor(su - hu - 0.5));
      const u1 = Math.min(nr - 1, Math.ceil(su + hu - 0.5));
      const v0 = Math.max(0, Math.floor(sv - hv - 0.5));
      const v1 = Math.min(nc - 1, Math.ceil(sv + hv - 0.5));
      for (let u = u0; u <= u1; u++) {
        for (let v = v0; v <= v1; v++) {
          const cx = rel.x + (u + 0.5) * a0.x + (v + 0.5) * a1.x;
          const cy = rel.y + (u + 0.5) * a0.y + (v + 0.5) * a1.y;
          const cz = rel.z + (u + 0.5) * a0.z + (v + 0.5) * a1.z;
          const along = cx * dir.x + cy * dir.y + cz * dir.z;
          if (!(along > 0)) continue;
          const d2 = cx * cx + cy * cy + cz * cz - along * along;
          if (d2 > r2) continue;
          out.push({ view: vi, i: block.rows[0] + u, j: block.cols[0] + v, dist: Math.sqrt(Math.max(0, d2)), depth: along });
        }
      }
    }
  }
  out.sort((a, b) => a.dist - b.dist || a.depth - b.depth);
  if (out.length > limit) out.length = limit;
  return out;
}

/** Width (CSS px) of a label of `text` in the lens's font (tabular figures, `fontPx`). */
export function labelWidth(text, fontPx) {
  return Math.ceil(text.length * 0.6 * fontPx) + 6;
}

/**
 * Place labels centred at their (x, y) in a size × size lens, in the given order
 * (nearest the ray first): one that would leave the lens or overlap a label already
 * placed is dropped.
 *
 * @param {Array<{x: number, y: number, text: string}>} items lens CSS px
 * @returns {Array<{item: object, box: number[]}>} the labels kept, each with its box
 *   [left, top, width, height]
 */
export function layoutLabels(items, size, fontPx) {
  const kept = [];
  const h = Math.ceil(fontPx * 1.3) + 2;
  for (const item of items) {
    const w = labelWidth(item.text, fontPx);
    const left = item.x - w / 2;
    const top = item.y - h / 2;
    if (left < 0 || top < 0 || left + w > size || top + h > size) continue;
    let free = true;
    for (const { box } of kept) {
      if (left < box[0] + box[2] && box[0] < left + w && top < box[1] + box[3] && box[1] < top + h) {
        free = false;
        break;
      }
    }
    if (free) kept.push({ item, box: [left, top, w, h] });
  }
  return kept;
}
