// Legends (matrix names, `I = 256 / 8` shapes) as DOM text over the canvas.
//
// Each legend is one absolutely positioned span, placed after every frame at the
// projection of its anchor, turned along its edge but never upside down (the
// poster's rule, mm_docs_plugin/poster.py `_legend_style`), sized from its world
// height at its depth (10–24 px), and hidden when behind the camera.  Text is
// set with textContent only.

import * as THREE from "three";

const MIN_FONT = 10;
const MAX_FONT = 24;

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
      span.className = "mm-legend mm-legend-" + (lg.kind === "name" ? "name" : "shape");
      span.textContent = String(lg.text);
      this.layer.appendChild(span);
      return {
        legend: lg,
        span,
        anchor: new THREE.Vector3().fromArray(lg.anchor),
        tip: new THREE.Vector3().fromArray(lg.anchor).add(new THREE.Vector3().fromArray(lg.direction)),
        shown: false,
        px: 0, // unrounded position in this update, for the duplicate test
        py: 0,
        x: NaN, // last values written to the span (rounded), to skip unchanged writes
        y: NaN,
        size: NaN,
        angle: NaN,
      };
    });
    this.scale = 1; // deco.legends relative to the size the scene was built with
    this.showShape = true;
    this.visible = true;
    this._p = new THREE.Vector3();
    this._q = new THREE.Vector3();
    this._placed = []; // items shown so far in this update (reused: no per-frame allocation)
  }

  /** Show or hide everything; `scale` multiplies every legend's size; `shape` toggles dimension legends. */
  configure({ visible = this.visible, scale = this.scale, shape = this.showShape } = {}) {
    this.visible = visible;
    this.scale = scale;
    this.showShape = shape;
    this.layer.hidden = !visible;
  }

  /**
   * Place every legend for `camera` on a `width` × `height` CSS-pixel view.
   * Equal texts closer than a line apart are shown once (a shared edge).
   */
  update(camera, width, height) {
    if (!this.visible) return;
    const p = this._p;
    const q = this._q;
    const tanHalf = Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
    const placed = this._placed;
    placed.length = 0;
    for (let n = 0; n < this.items.length; n++) {
      const item = this.items[n];
      const lg = item.legend;
      let show = this.showShape || lg.kind === "name";
      let x = 0;
      let y = 0;
      let size = 0;
      let angle = 0;
      if (show) {
        // Depth along the view axis: behind the camera (or too near) means hidden.
        p.copy(item.anchor).applyMatrix4(camera.matrixWorldInverse);
        const depth = -p.z;
        if (depth <= camera.near) {
          show = false;
        } else {
          p.copy(item.anchor).project(camera);
          x = ((p.x + 1) / 2) * width;
          y = ((1 - p.y) / 2) * height;
          const pxPerUnit = height / (2 * tanHalf * depth);
          const factor = lg.kind === "name" ? 1 : 1.2;
          size = Math.min(MAX_FONT, Math.max(MIN_FONT, lg.size * this.scale * factor * pxPerUnit));
          q.copy(item.tip).project(camera);
          const dx = ((q.x + 1) / 2) * width - x;
          const dy = ((1 - q.y) / 2) * height - y;
          if (Math.hypot(dx, dy) > 0.3 * pxPerUnit) {
            angle = (Math.atan2(dy, dx) * 180) / Math.PI;
            if (angle > 90) angle -= 180;
            else if (angle <= -90) angle += 180;
          }
          if (x < -width || x > 2 * width || y < -height || y > 2 * height) show = false;
          for (let m = 0; m < placed.length && show; m++) {
            const other = placed[m];
            if (other.legend.text === lg.text && Math.hypot(x - other.px, y - other.py) < size) show = false;
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
      item.px = x;
      item.py = y;
      placed.push(item);
      x = Math.round(x * 10) / 10;
      y = Math.round(y * 10) / 10;
      size = Math.round(size * 10) / 10;
      angle = Math.round(angle * 10) / 10;
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
  }
}
