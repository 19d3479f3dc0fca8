// One quad drawn by matrix.frag: a matrix block (or one texture tile of a block), or
// a plane of the animation inside a cube (uPlane).  Both are one program, so a
// figure's first frame compiles one (figure/warmup.js): in software WebGL a program
// is compiled at its first draw and that compile is most of a first frame.
//
// A matrix block: aCell is the block-local (row, col) cell coordinate of each
// corner, so the fragment shader finds the cell under a pixel from the
// interpolated vCell.
//
// An animation plane (animator.js): the plane or vector of products a track shows at
// its current step, or a split-k partial-result plane, placed here from uniforms, so
// a step moves it by changing uLocal only.  Cell coordinates c = (ci, cj, ck) are
// counted from the block's outer corner (uOrigin) along the cube's unit axes
// (uCubeAxes' columns).  The quad spans the block along its row and column axes
// (uAxes) — or, for a vector, only the current cell along the `uStrip` one — and sits
// at the centre of the current cell along the remaining axis (or at uFixedAt cells,
// for partial planes).  A block whose current index is past its size (blocks may be
// short) draws nothing, nor does a track that is not running (uOn = 0).
precision highp float;
precision highp int;

uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;

uniform bool uPlane;  // an animation plane (the uniforms below), else a matrix block (aCell)
uniform mat3 uCubeAxes;  // columns: one cell along i, j, k in world units
uniform vec3 uOrigin;  // world position of the block's outer corner
uniform ivec3 uBlockCells;  // the block's cells along i, j, k
uniform ivec2 uAxes;  // the quad's row and column axes (0 i, 1 j, 2 k)
uniform int uStrip;  // -1 a plane; 0 or 1: the row or column axis spans the current cell only
uniform ivec3 uLocal;  // the track's current within-block index along i, j, k
uniform ivec3 uCheck;  // 1 on axes whose current index must lie inside the block
uniform float uOn;  // 0: not drawn
uniform float uFixedAt;  // coordinate along the fixed axis, in cells; below -1e8: the current cell's centre

in vec3 position;  // a block: the corner's position; a plane: (0 or 1, 0 or 1, 0), the corner
in vec2 aCell;  // a block: the corner's cell (a plane's are unused zeros)
out vec2 vCell;

void main() {
  if (!uPlane) {
    vCell = aCell;
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    return;
  }
  ivec3 e = ivec3(0, 1, 2);
  vec3 mr = vec3(equal(e, ivec3(uAxes.x)));
  vec3 mc = vec3(equal(e, ivec3(uAxes.y)));
  vec3 mf = vec3(1.0) - mr - mc;
  vec3 local = vec3(uLocal);
  vec3 size = vec3(uBlockCells);
  float lr = dot(local, mr);
  float lc = dot(local, mc);
  vec2 lo = vec2(uStrip == 0 ? lr : 0.0, uStrip == 1 ? lc : 0.0);
  vec2 hi = vec2(uStrip == 0 ? lr + 1.0 : dot(size, mr), uStrip == 1 ? lc + 1.0 : dot(size, mc));
  vec2 cell = mix(lo, hi, position.xy);
  vec3 fixedAt = uFixedAt > -1e8 ? vec3(uFixedAt) : local + 0.5;
  vec3 c = mr * cell.x + mc * cell.y + mf * fixedAt;
  bool past = dot(vec3(uCheck), step(size, local)) > 0.5;  // local >= size on a checked axis
  vCell = cell;
  if (uOn < 0.5 || past) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: nothing drawn
  } else {
    gl_Position = projectionMatrix * modelViewMatrix * vec4(uOrigin + uCubeAxes * c, 1.0);
  }
}
