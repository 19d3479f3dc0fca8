// One block (or one texture tile of a block) of a matrix: a single quad.
// aCell is the block-local (row, col) cell coordinate of each corner, so the
// fragment shader finds the cell under a pixel from the interpolated vCell.
precision highp float;

uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;

in vec3 position;
in vec2 aCell;

out vec2 vCell;

void main() {
  vCell = aCell;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
