// The flow arrows' vanes: the vertex colour at uOpacity (deco.flow_guides), blended.
precision highp float;

uniform float uOpacity;

in vec3 vColor;
out vec4 fragColor;

void main() {
  fragColor = vec4(vColor, uOpacity);
}
