// Adaptive resolution while the camera moves (as Potree and Cesium do it).
//
// A figure's cost is per pixel drawn (matrix.frag finds the cell under each pixel),
// so a big figure in software WebGL takes ~100 ms a frame at 1280 × 720 (issue 15,
// bench_layer.py).  While the reader orbits, zooms or pans such a figure, its frames
// are drawn at `scale` of its pixel size in each direction (a quarter of the pixels
// at 0.5) and stretched into its canvas; SETTLE_MS after the last camera change one
// full-resolution frame is drawn.  A still figure is never drawn at less than full
// resolution, so screenshots, tests and PNG exports are unchanged.
//
// Motion is any camera change through the orbit controls (drag, wheel, keys, a named
// view's eased move); mm's spin is not (it never settles).  Only big figures drop
// resolution (`motionScaleFor`): a small one draws fast enough at full resolution, and
// would only get blurrier.

/** Drawn elements from which frames in motion drop resolution. */
export const MOTION_MIN_ELEMENTS = 1_000_000;
/** The scale of each side of a frame in motion for such a figure (0.5: a quarter of the pixels). */
export const MOTION_SCALE = 0.5;
/** Milliseconds after the last camera change before the full-resolution frame. */
export const SETTLE_MS = 150;

/** Drawn elements of a scene header: every matrix's rows × columns. */
export function drawnElements(header) {
  let n = 0;
  for (const m of header.matrices || []) n += m.shape[0] * m.shape[1];
  return n;
}

/** The resolution scale for frames in motion of the scene `header` describes. */
export function motionScaleFor(header) {
  return drawnElements(header) >= MOTION_MIN_ELEMENTS ? MOTION_SCALE : 1;
}

export class Motion {
  /**
   * @param {() => void} redraw asks for a frame (the figure's markDirty)
   * @param {number} scale the scale of frames in motion (`motionScaleFor`); 1 turns it off
   */
  constructor(redraw, scale) {
    this.redraw = redraw;
    this.motionScale = scale;
    this.moving = false;
    this._timer = 0;
  }

  /** The scale to draw the next frame at: `motionScale` while moving, else 1. */
  get scale() {
    return this.moving ? this.motionScale : 1;
  }

  /** The reader moved the camera: frames are in motion until SETTLE_MS of stillness. */
  moved() {
    if (this.motionScale >= 1) return;
    this.moving = true;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  /** Motion over: the next frame is at full resolution (drawn now if anything moved). */
  settle() {
    clearTimeout(this._timer);
    this._timer = 0;
    if (!this.moving) return;
    this.moving = false;
    this.redraw();
  }

  dispose() {
    clearTimeout(this._timer);
    this._timer = 0;
    this.moving = false;
  }
}
