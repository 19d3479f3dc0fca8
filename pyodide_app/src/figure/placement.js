// Screen geometry of labels: each label is an oriented box (a quad of 4 corners,
// [x0, y0, … x3, y3] in CSS pixels) around its text.  Pure functions, shared by the
// legends (labels.js) and tested in node; mm_docs_plugin/poster.py follows the same rules.

/**
 * The corners of a `w` × `h` box centred at (pose.x, pose.y), turned by pose.angle degrees.
 *
 * @param {Float64Array} out 8 numbers
 */
export function setQuad(out, pose, w, h) {
  const a = (pose.angle * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const hw = w / 2;
  const hh = h / 2;
  const dx = [-hw, hw, hw, -hw];
  const dy = [-hh, -hh, hh, hh];
  for (let n = 0; n < 4; n++) {
    out[2 * n] = pose.x + dx[n] * c - dy[n] * s;
    out[2 * n + 1] = pose.y + dx[n] * s + dy[n] * c;
  }
  return out;
}

/** Whether two quads overlap by more than `slack` px (separating axes; both convex). */
export function overlaps(a, b, slack = 0.5) {
  for (const quad of [a, b]) {
    for (let n = 0; n < 4; n++) {
      const m = (n + 1) % 4;
      const nx = quad[2 * n + 1] - quad[2 * m + 1];
      const ny = quad[2 * m] - quad[2 * n];
      const length = Math.hypot(nx, ny) || 1;
      let amin = Infinity;
      let amax = -Infinity;
      let bmin = Infinity;
      let bmax = -Infinity;
      for (let k = 0; k < 4; k++) {
        const pa = (a[2 * k] * nx + a[2 * k + 1] * ny) / length;
        const pb = (b[2 * k] * nx + b[2 * k + 1] * ny) / length;
        amin = Math.min(amin, pa);
        amax = Math.max(amax, pa);
        bmin = Math.min(bmin, pb);
        bmax = Math.max(bmax, pb);
      }
      if (Math.min(amax, bmax) - Math.max(amin, bmin) <= slack) return false;
    }
  }
  return true;
}

/** How many of `others` the quad overlaps. */
export function collisions(quad, others) {
  let hits = 0;
  for (const other of others) if (overlaps(quad, other)) hits++;
  return hits;
}

/** Whether every corner lies at least `margin` px inside a `width` × `height` frame. */
export function fitsInside(quad, width, height, margin) {
  for (let n = 0; n < 4; n++) {
    const x = quad[2 * n];
    const y = quad[2 * n + 1];
    if (x < margin || x > width - margin || y < margin || y > height - margin) return false;
  }
  return true;
}

/** Shift the quad (and pose.x/y with it) so it lies inside the frame, or centre it there. */
export function clampInside(quad, pose, width, height, margin) {
  for (const [axis, size] of [
    [0, width],
    [1, height],
  ]) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let n = 0; n < 4; n++) {
      lo = Math.min(lo, quad[2 * n + axis]);
      hi = Math.max(hi, quad[2 * n + axis]);
    }
    let shift = 0;
    if (hi - lo > size - 2 * margin) shift = size / 2 - (lo + hi) / 2;
    else if (lo < margin) shift = margin - lo;
    else if (hi > size - margin) shift = size - margin - hi;
    for (let n = 0; n < 4; n++) quad[2 * n + axis] += shift;
    if (axis === 0) pose.x += shift;
    else pose.y += shift;
  }
}
