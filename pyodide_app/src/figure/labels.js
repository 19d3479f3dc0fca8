// Legends (matrix names, `I = 256 / 8` shapes, row and column labels) as DOM text over
// the canvas.
//
// Each legend is one absolutely positioned span, placed after every frame at the
// projection of its anchor, turned along its direction but never upside down,
// sized from its world height at its depth (10–24 px; names at least 12 px, on a chip
// of the stage's colour), and hidden when behind the
// camera.  Text is set with textContent only.
//
// Legibility comes first (placement.js): names are placed before dimension labels,
// each at the first of its places (the header's anchor, then its `alternatives`)
// where it is inside the figure, clear of the toolbar and of every label placed
// before it; a dimension label that fits nowhere is dropped (the level of detail);
// a name that fits nowhere goes where it collides least, pulled inside the figure.
// Row and column labels (kinds "row" and "col", between names and dimension labels)
// read outward from the edge they label, their anchor at the text's near end; their font
// follows the rows' spacing on screen (at most MAX_EDGE_FONT; lines EDGE_GAP apart), and
// where that would be under MIN_FONT every n-th label of the side is shown at MIN_FONT
// instead (the level of detail: all, every n-th, or none when they cover other labels).
// The poster applies the same rules (mm_docs_plugin/poster.py).

import * as THREE from "three";
import { clampInside, collisions, fitsInside, setQuad } from "./placement.js";

const MIN_FONT = 10; // dimension labels
const MIN_NAME_FONT = 12; // a matrix's name is what a reader looks for first
const MAX_FONT = 24;
const REF_FONT = 100; // font size at which text widths are measured once
const MARGIN = 2; // px kept free along the figure's edge
const GAP = 4; // px kept between two labels' boxes
const MAX_EDGE_FONT = 14; // row and column labels
const EDGE_GAP = 1; // px a row or column label keeps (lines of one side sit like text lines)

export class Labels {
  /**
   * @param {HTMLElement} container the overlay the spans go in
   * @param {object[]} legends `header.legends`
   */
  constructor(container, legends) {
    this.layer = document.createElement("div");
    this.layer.className = "mm-labels";
    this.layer.setAttribute("aria-hidden", "true"); // the figure's aria-label says it all
    container.appendChild(this.layer);
    this.items = legends.map((lg) => {
      const span = document.createElement("span");
      span.className = "mm-legend mm-legend-" + (lg.kind === "name" ? "name" : isEdge(lg) ? "edge" : "shape");
      span.textContent = String(lg.text);
      this.layer.appendChild(span);
      const places = [[lg.anchor, lg.direction], ...(lg.alternatives || [])].map(([a, d]) => ({
        anchor: new THREE.Vector3().fromArray(a),
        tip: new THREE.Vector3().fromArray(a).add(new THREE.Vector3().fromArray(d)),
      }));
      return {
        legend: lg,
        span,
        anchor: places[0].anchor, // the preferred place (framing uses it)
        places,
        quad: new Float64Array(8), // the oriented box as placed in this update
        width: 0, // text width and height at REF_FONT (measured once)
        height: 0,
        shown: false,
        px: 0, // unrounded position in this update, for the duplicate test
        py: 0,
        x: NaN, // last values written to the span (rounded), to skip unchanged writes
        y: NaN,
        size: NaN,
        angle: NaN,
      };
    });
    // Names first, then row and column labels, then dimension labels, each in the
    // header's order (the root first).
    this.order = [...this.items].sort((a, b) => rank(a) - rank(b));
    // Row and column labels by matrix and side, in index order: the level of detail.
    this.groups = new Map();
    for (const item of this.items) {
      if (!isEdge(item.legend)) continue;
      const key = item.legend.view + ":" + item.legend.kind;
      if (!this.groups.has(key)) this.groups.set(key, { items: [], stride: 1, size: MIN_FONT });
      const group = this.groups.get(key);
      item.group = group;
      item.index = group.items.length;
      group.items.push(item);
    }
    this.measureText();
    this.scale = 1; // deco.legends relative to the size the scene was built with
    this.showShape = true;
    this.visible = true;
    this.reserved = []; // quads no label may cover (the toolbar), in stage pixels
    this._p = new THREE.Vector3();
    this._q = new THREE.Vector3();
    this._pose = { x: 0, y: 0, size: 0, angle: 0 };
    this._scratch = new Float64Array(8);
    this._placed = []; // quads placed so far in this update (reused: no per-frame allocation)
    this._owners = []; // the item of each placed quad (null: a reserved rectangle)
  }

  /** Text sizes at REF_FONT, read in one layout pass; widths scale with the font size. */
  measureText() {
    for (const item of this.items) item.span.style.fontSize = REF_FONT + "px";
    for (const item of this.items) {
      item.width = item.span.offsetWidth;
      item.height = item.span.offsetHeight;
    }
    for (const item of this.items) item.span.style.fontSize = "";
  }

  /** Show or hide everything; `scale` multiplies every legend's size; `shape` toggles dimension legends. */
  configure({ visible = this.visible, scale = this.scale, shape = this.showShape } = {}) {
    this.visible = visible;
    this.scale = scale;
    this.showShape = shape;
    this.layer.hidden = !visible;
  }

  /** Rectangles (stage CSS pixels, {x, y, w, h}) that labels must keep clear of. */
  reserve(rects) {
    this.reserved = rects.map((r) => {
      const q = new Float64Array(8);
      q.set([r.x, r.y, r.x + r.w, r.y, r.x + r.w, r.y + r.h, r.x, r.y + r.h]);
      return q;
    });
  }

  /**
   * The screen pose of `item` at its place `place` for `camera` on a `width` × `height`
   * view, into `out`; false when the place is behind the camera.
   */
  pose(item, place, camera, width, height, out) {
    const p = this._p;
    const q = this._q;
    p.copy(place.anchor).applyMatrix4(camera.matrixWorldInverse);
    const depth = -p.z;
    if (depth <= camera.near) return false;
    p.copy(place.anchor).project(camera);
    out.x = ((p.x + 1) / 2) * width;
    out.y = ((1 - p.y) / 2) * height;
    const tanHalf = Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
    const pxPerUnit = height / (2 * tanHalf * depth);
    const name = item.legend.kind === "name";
    const least = name ? MIN_NAME_FONT : MIN_FONT;
    out.size = Math.min(MAX_FONT, Math.max(least, item.legend.size * this.scale * (name ? 1 : 1.2) * pxPerUnit));
    q.copy(place.tip).project(camera);
    const dx = ((q.x + 1) / 2) * width - out.x;
    const dy = ((1 - q.y) / 2) * height - out.y;
    out.angle = 0;
    const seen = Math.hypot(dx, dy) > 0.3 * pxPerUnit;
    if (seen) {
      out.angle = (Math.atan2(dy, dx) * 180) / Math.PI;
      if (out.angle > 90) out.angle -= 180;
      else if (out.angle <= -90) out.angle += 180;
    }
    if (item.group) {
      // A row or column label: its group's size, its text reaching outward from the anchor.
      out.size = item.group.size;
      const half = (item.width * out.size) / REF_FONT / 2;
      const len = Math.hypot(dx, dy);
      if (seen) {
        out.x += (dx / len) * half;
        out.y += (dy / len) * half;
      }
    }
    return true;
  }

  /**
   * Each side's font size and stride for this view: the spacing of its labels on screen
   * sets the size; under MIN_FONT, every n-th label is shown at MIN_FONT.
   */
  levelOfDetail(camera, width, height) {
    const a = this._p;
    const b = this._q;
    for (const group of this.groups.values()) {
      const items = group.items;
      let pitch = Infinity;
      // The smallest step from one label to the next on screen (perspective brings the
      // far rows closer), across the text's direction: labels read outward, so only
      // that component keeps two lines apart.
      let px = 0;
      let py = 0;
      for (let k = 0; k < items.length; k++) {
        const place = items[k].places[0];
        a.copy(place.anchor).project(camera);
        const x = ((a.x + 1) / 2) * width;
        const y = ((1 - a.y) / 2) * height;
        if (k > 0) {
          b.copy(place.tip).project(camera);
          const tx = ((b.x + 1) / 2) * width - x;
          const ty = ((1 - b.y) / 2) * height - y;
          const t = Math.hypot(tx, ty);
          const sx = x - px;
          const sy = y - py;
          pitch = Math.min(pitch, t > 1e-6 ? Math.abs(sx * ty - sy * tx) / t : Math.hypot(sx, sy));
        }
        px = x;
        py = y;
      }
      // The largest size whose lines (and EDGE_GAP) fit one spacing; under MIN_FONT,
      // MIN_FONT on every n-th label, n the spacings one such line needs.
      const line = items[0].height / REF_FONT; // line height per px of font size
      // (A pixel more than EDGE_GAP: neighbours turn by slightly different angles.)
      const fit = (pitch - EDGE_GAP - 1) / line;
      group.stride = fit >= MIN_FONT ? 1 : Math.ceil((MIN_FONT * line + EDGE_GAP + 1) / Math.max(pitch, 1e-6));
      group.size = Math.min(MAX_EDGE_FONT, Math.max(MIN_FONT, fit));
    }
  }

  /**
   * Place every legend for `camera` on a `width` × `height` CSS-pixel view.
   * Equal texts closer than a line apart are shown once (a shared edge).
   */
  update(camera, width, height) {
    if (!this.visible) return;
    const placed = this._placed;
    const owners = this._owners;
    placed.length = 0;
    owners.length = 0;
    for (const q of this.reserved) {
      placed.push(q);
      owners.push(null);
    }
    const pose = this._pose;
    const scratch = this._scratch;
    this.levelOfDetail(camera, width, height);
    for (const item of this.order) {
      const lg = item.legend;
      const name = lg.kind === "name";
      let show = false;
      const wanted = item.group ? item.index % item.group.stride === 0 : name || this.showShape;
      if (wanted) {
        let best = -1;
        let fewest = Infinity;
        // Each place at its own size; for a name, each place again at the smallest size.
        const tries = name ? 2 * item.places.length : item.places.length;
        for (let n = 0; n < tries && !show; n++) {
          const place = item.places[n % item.places.length];
          if (!this.pose(item, place, camera, width, height, pose)) continue;
          if (n >= item.places.length) pose.size = MIN_NAME_FONT;
          const gap = item.group ? EDGE_GAP : GAP;
          setQuad(scratch, pose, (item.width * pose.size) / REF_FONT + gap, (item.height * pose.size) / REF_FONT + gap);
          const hits = collisions(scratch, placed);
          if (hits === 0 && fitsInside(scratch, width, height, MARGIN)) {
            show = true;
          } else if (name && hits < fewest) {
            fewest = hits;
            best = n;
          }
        }
        if (!show && name && best >= 0) {
          // A name is never dropped: where it collides least, pulled inside the figure.
          this.pose(item, item.places[best % item.places.length], camera, width, height, pose);
          if (best >= item.places.length) pose.size = MIN_NAME_FONT;
          setQuad(scratch, pose, (item.width * pose.size) / REF_FONT + GAP, (item.height * pose.size) / REF_FONT + GAP);
          clampInside(scratch, pose, width, height, MARGIN);
          show = true;
        }
        for (let m = 0; m < owners.length && show; m++) {
          const other = owners[m];
          if (other && other.legend.text === lg.text && Math.hypot(pose.x - other.px, pose.y - other.py) < pose.size) {
            show = false;
          }
        }
      }
      if (!show) {
        if (item.shown) {
          item.span.style.visibility = "hidden";
          item.shown = false;
        }
        continue;
      }
      item.quad.set(scratch);
      placed.push(item.quad);
      owners.push(item);
      this.write(item, pose);
    }
  }

  /** Move `item`'s span to `pose` (rounded; unchanged values are not written again). */
  write(item, pose) {
    item.px = pose.x;
    item.py = pose.y;
    const x = Math.round(pose.x * 10) / 10;
    const y = Math.round(pose.y * 10) / 10;
    const size = Math.round(pose.size * 10) / 10;
    const angle = Math.round(pose.angle * 10) / 10;
    if (x !== item.x || y !== item.y || size !== item.size || angle !== item.angle) {
      item.x = x;
      item.y = y;
      item.angle = angle;
      if (size !== item.size) item.span.style.fontSize = size + "px";
      item.size = size;
      item.span.style.transform =
        `translate(${x}px, ${y}px) translate(-50%, -50%)` + (Math.abs(angle) > 0.5 ? ` rotate(${angle}deg)` : "");
    }
    if (!item.shown) {
      item.span.style.visibility = "visible";
      item.shown = true;
    }
  }

  /**
   * Paint the legends as shown now onto a 2D context whose pixels are `scale`
   * times CSS pixels (the PNG export: DOM text is not in the canvas).
   */
  paint(ctx, scale) {
    if (!this.visible) return;
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    // The halo behind the text: the stage's colour in the figure's theme (viewer.css).
    const halo = getComputedStyle(this.layer).getPropertyValue("--mm-legend-halo").trim() || "#000";
    for (const item of this.items) {
      if (!item.shown) continue;
      const style = getComputedStyle(item.span);
      ctx.setTransform(scale, 0, 0, scale, item.x * scale, item.y * scale);
      ctx.rotate((item.angle * Math.PI) / 180);
      ctx.font = `${style.fontWeight} ${item.size}px ${style.fontFamily}`;
      if (item.legend.kind === "name") {
        // The name's chip, as viewer.css draws it behind the span.
        const w = (item.width * item.size) / REF_FONT;
        const h = (item.height * item.size) / REF_FONT;
        ctx.globalAlpha = 0.72;
        ctx.fillStyle = halo;
        ctx.fillRect(-w / 2, -h / 2, w, h);
        ctx.globalAlpha = 1;
      }
      ctx.lineWidth = Math.max(2, item.size / 5);
      ctx.strokeStyle = halo;
      ctx.strokeText(item.legend.text, 0, 0);
      ctx.fillStyle = style.color;
      ctx.fillText(item.legend.text, 0, 0);
    }
    ctx.restore();
  }

  dispose() {
    this.layer.remove();
    this.items = [];
    this.order = [];
  }
}

function rank(item) {
  return item.legend.kind === "name" ? 0 : isEdge(item.legend) ? 1 : 2;
}

/** Whether a legend is a row or column label. */
export function isEdge(legend) {
  return legend.kind === "row" || legend.kind === "col";
}
