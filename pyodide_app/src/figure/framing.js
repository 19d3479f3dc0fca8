// A figure's camera and how the scene is framed in it: the scene file's view
// (home), fitting the scene to the view on request, the field of view for the
// stage's aspect, near/far planes that hug the scene, and spin.
//
// The header's camera is the first frame's, exactly (tests project with it);
// `fit()` ("f", the toolbar) tightens the framing only when asked.

import * as THREE from "three";
import { v3 } from "./scenegraph.js";

const Y_AXIS = new THREE.Vector3(0, 1, 0);
const MAX_FOV = 120; // degrees: a very narrow stage keeps its width up to this
const FIT_MARGIN = 1.08;

export class Framing {
  /**
   * @param {import("./scenegraph.js").SceneGraph} graph what is framed (bounds, views, arrows)
   * @param {{position: number[], target: number[], up?: number[], fov?: number, cover?: number[]}} home
   *   the header's camera; `cover` (a camera the core framed) is what the view must keep showing
   * @param {number[]} cssSize the stage's [width, height] in CSS pixels
   */
  constructor(graph, home, cssSize) {
    this.graph = graph;
    this.home = {
      position: v3(home.position),
      target: v3(home.target),
      up: v3(home.up || [0, 1, 0]),
      fov: Number(home.fov) || 45,
      cover: Array.isArray(home.cover) ? home.cover.map(Number) : null,
    };
    this.camera = new THREE.PerspectiveCamera(this.home.fov, 1, 0.1, 1000);
    this.orbit = null; // the controls' OrbitControls, once attached: its target is looked at
    this.size = cssSize;
    this._fitPoints = null;
    this.goHome();
  }

  /** Take the controls' orbit: home and fit move its target too. */
  attach(orbit) {
    this.orbit = orbit;
  }

  /** Back to the scene file's camera. */
  goHome() {
    const cam = this.camera;
    cam.up.copy(this.home.up);
    cam.position.copy(this.home.position);
    cam.lookAt(this.home.target);
    this.setSize(this.size);
    if (this.orbit) {
      this.orbit.target.copy(this.home.target);
      this.orbit.update();
    }
  }

  /**
   * The vertical field of view for the stage's aspect.  A camera the core framed (for a
   * 16:9 view, camera.py) widens it on a narrower stage until the figure's extent
   * (`cover`) is in view again, so nothing is cut in a 688-px column or on a phone;
   * otherwise (an author's or mm's camera) narrow stages keep the width.
   */
  setSize(cssSize) {
    this.size = cssSize;
    const cam = this.camera;
    const [w, h] = cssSize;
    const aspect = w > 0 && h > 0 ? w / h : 16 / 9;
    let fov = this.home.fov;
    const cover = this.home.cover;
    if (cover) {
      const t = Math.max(Math.tan(THREE.MathUtils.degToRad(fov) / 2), cover[1], cover[0] / aspect);
      fov = Math.min(MAX_FOV, THREE.MathUtils.radToDeg(2 * Math.atan(t)));
    } else if (aspect < 1) {
      const t = Math.tan(THREE.MathUtils.degToRad(fov) / 2) / aspect;
      fov = Math.min(MAX_FOV, THREE.MathUtils.radToDeg(2 * Math.atan(t)));
    }
    cam.fov = fov;
    cam.aspect = aspect;
    this.updateClip(true);
  }

  /** Near/far planes hugging the scene from where the camera is (before every frame). */
  updateClip(force = false) {
    const cam = this.camera;
    const d = cam.position.distanceTo(this.graph.center);
    const r = this.graph.reach;
    const near = Math.max(d - r, d * 0.002, 0.01);
    const far = d + r;
    if (force || Math.abs(near - cam.near) > 1e-3 * near || Math.abs(far - cam.far) > 1e-3 * far) {
      cam.near = near;
      cam.far = far;
      cam.updateProjectionMatrix();
    }
  }

  /** Turn the camera by `angle` radians about the world's Y axis through the orbit's target. */
  spin(angle) {
    const target = this.orbit.target;
    const cam = this.camera;
    cam.position.sub(target).applyAxisAngle(Y_AXIS, angle).add(target);
    cam.lookAt(target);
  }

  /**
   * Keep the view direction; aim at the scene and move so it fills the view.
   * @param {THREE.Vector3[]} [extra] more points to keep in view (the legends' anchors)
   */
  fit(extra = []) {
    const cam = this.camera;
    const orbit = this.orbit;
    const center = this.graph.center;
    const dir = new THREE.Vector3().subVectors(cam.position, orbit.target).normalize();
    cam.updateMatrixWorld();
    const right = new THREE.Vector3().setFromMatrixColumn(cam.matrixWorld, 0);
    const up = new THREE.Vector3().setFromMatrixColumn(cam.matrixWorld, 1);
    const pts = this.fitPoints().concat(extra); // the cached list stays as it is
    // Centre the target on the points' extent across the view, then back off until all fit.
    let xmin = Infinity;
    let xmax = -Infinity;
    let ymin = Infinity;
    let ymax = -Infinity;
    for (const p of pts) {
      const q = p.clone().sub(center);
      xmin = Math.min(xmin, q.dot(right));
      xmax = Math.max(xmax, q.dot(right));
      ymin = Math.min(ymin, q.dot(up));
      ymax = Math.max(ymax, q.dot(up));
    }
    const target = center
      .clone()
      .addScaledVector(right, (xmin + xmax) / 2)
      .addScaledVector(up, (ymin + ymax) / 2);
    const tanV = Math.tan(THREE.MathUtils.degToRad(cam.fov) / 2);
    const tanH = tanV * cam.aspect;
    let dist = 0;
    for (const p of pts) {
      const q = p.clone().sub(target);
      const x = Math.abs(q.dot(right));
      const y = Math.abs(q.dot(up));
      const z = q.dot(dir);
      dist = Math.max(dist, z + x / tanH, z + y / tanV);
    }
    dist *= FIT_MARGIN;
    orbit.target.copy(target);
    cam.position.copy(target).addScaledVector(dir, dist);
    cam.lookAt(target);
    orbit.update();
  }

  /** What `fit` frames: every block's corners and the flow arrows (made once). */
  fitPoints() {
    if (this._fitPoints) return this._fitPoints;
    const pts = [];
    for (const view of this.graph.views) {
      for (const b of view.data.blocks) {
        const o = v3(b.origin);
        const nr = b.rows[1] - b.rows[0];
        const nc = b.cols[1] - b.cols[0];
        for (const [r, c] of [[0, 0], [nr, 0], [0, nc], [nr, nc]]) {
          pts.push(o.clone().addScaledVector(view.a0, r).addScaledVector(view.a1, c));
        }
      }
    }
    for (const cube of this.graph.header.cubes || []) {
      if (cube.arrow) for (const p of [...cube.arrow.left_vane, ...cube.arrow.right_vane]) pts.push(v3(p));
    }
    if (pts.length === 0) pts.push(this.graph.bbox.min.clone(), this.graph.bbox.max.clone());
    this._fitPoints = pts;
    return pts;
  }
}
