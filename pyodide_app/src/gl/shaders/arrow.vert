// The flow arrows' vanes (figure/scenegraph.js): flat triangles, one colour per vertex.
// A tiny program of our own rather than three's MeshBasicMaterial: that one is
// compiled twice (a transparent double-sided material is drawn back then front),
// and each compile costs tens of milliseconds of software WebGL before a first frame.
precision highp float;

uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;

in vec3 position;
in vec3 color;  // sRGB, as written (no colour management: the page's colours as the poster's)

out vec3 vColor;

void main() {
  vColor = color;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
