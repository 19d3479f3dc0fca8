// Draws the elements of one matrix block: the cell under the pixel is found from
// vCell, its value read from a float texture, and drawn with mm's mapping
// (mm-reference §1.9, mm_docs_plugin/core/colors.py):
//
//   vol   = clamp((|x| - absmin) / (absmax - absmin), 0, 1)
//   size  = min_size + (1 - min_size) * sqrt(vol)
//   hue   = fract(zero_hue + hue_gap * sign + hue_spread * sign * vol)
//   light = min_light + (max_light - min_light) * sqrt(vol);  HSL(hue, 1, light)
//
// On a light page (the LIGHT define, theme.js) the stage is LIGHT_PAPER and each
// colour's CIE lightness is mirrored about it (onPaper, colors.py's on_paper):
// an element stands out from the paper as much as from mm's black, small |x|
// lighter, large ones deep; dimming fades toward the paper, not black.  A define, not
// a uniform: a dark page's program carries none of that code, which is a quarter of
// the compile a first frame waits for; a switch of palette compiles the other once.
//
// Zeros are not drawn; NaN and ±Inf are white (black on light) at full size.  Cells of a few
// pixels or more are shaded discs (diameter min(1, elem_scale * 0.72 * size) of
// a cell, as the SVG poster); smaller cells become flat squares dimmed by size,
// and when several cells share a pixel the one of largest |x| is shown.  Cost
// is per pixel covered, whatever the number of elements.
//
// The animation's planes (anim/animator.js) are drawn by the same shader, exactly like
// the matrices; only the value changes:
//   uProduct  a plane or vector of products L[i,k]·R[k,j] at the track's current
//             index (matrix.vert's uPlane places the quad; uLocal is shared by the
//             track).  A uniform, not a define: matrix blocks and product planes are
//             then one program, the one a first frame compiles (figure/warmup.js).
// and, rarer, with a define (a program of their own, compiled on first use):
//   PARTIAL  a split-k partial-result plane: Σ over one k block of L[i,k]·R[k,j]
//   ACCUM    the result face of vvprod/axpy: the running partial sum Σ_{k'<=k},
//            raw (animstate.js documents uAccum)
// L and R are read with one addressing for every buffer: element (r, c) of a
// buffer with C columns is texel (n % W, n / W), n = r·C + c, W the texture's width
// (an untiled buffer's own texture has W = C; a tiled one gets a flat copy).
precision highp float;
precision highp int;
precision highp sampler2D;

uniform sampler2D uValues;  // R16F or R32F; texel (x, y) = buffer (column, row)
uniform ivec2 uTileOrigin;  // buffer (row, col) of texel (0, 0)
uniform ivec2 uTileSize;  // texture (rows, cols)
uniform bool uTransposed;  // the view's (i, j) is the buffer's [j, i]
uniform ivec2 uBlockStart;  // view (row, col) of the block's cell (0, 0)
uniform vec2 uBlockSize;  // the block's rows, cols

uniform vec2 uRange;  // absmin, absmax of |x|
uniform vec3 uHue;  // zero_hue, hue_gap, hue_spread
uniform vec2 uLight;  // min_light, max_light
uniform vec2 uSize;  // min_size, elem_scale
uniform vec3 uDeco;  // row guide brightness, cell grid brightness, sign rings (0 or 1)

// Animation hooks (values from animstate.js), in cube-local coordinates: a view
// cell (r, c) counts as (r % mod.x, c % mod.y), its index within the cube's blocks.
//   uReveal (major, minor, colMajor, 0): the cell is drawn iff a < major, or
//     a == major and b < minor, with (a, b) the cube-local cell (swapped if colMajor)
//   uHighlight: cells in rows [x, z) × cols [y, w) brightened like mm's +0x808080
//   uDim scales the other elements' brightness (0 hides the view's elements)
// The spec's highlight (figure/highlight.js), compiled in only with the HIGHLIGHT define
// (a matrix with a highlight: its program is made when one is first shown; the other
// quads compile and run none of it): uMarked holds a byte per row (texels
// [0, h)) and per column ([h, h + w)), uMarkedInfo.w texels a line; uMarkedInfo is
// (on, h, w, line width).  Cells outside every highlighted row, column and cell are
// dimmed toward the paper; highlighted regions get a frame in the ink colour.
#ifdef HIGHLIGHT
uniform sampler2D uMarked;
uniform ivec4 uMarkedInfo;
uniform ivec2 uMarkedCells[32];
uniform int uMarkedCellCount;
const float MARK_DIM = 0.2;  // what is left of an element that is not highlighted
#endif

uniform vec4 uReveal;
uniform ivec2 uRevealMod;
uniform vec4 uHighlight;
uniform ivec2 uHighlightMod;
uniform float uDim;

uniform sampler2D uL;  // the left argument's values
uniform sampler2D uR;  // the right argument's values
uniform ivec3 uLInfo;  // buffer columns, texture width, 1 if the argument is the buffer transposed
uniform ivec3 uRInfo;

float argAt(sampler2D t, ivec3 info, int r, int c) {
  ivec2 b = info.z != 0 ? ivec2(c, r) : ivec2(r, c);
  int n = b.x * info.x + b.y;
  return texelFetch(t, ivec2(n % info.y, n / info.y), 0).r;
}

float lAt(int i, int k) {
  return argAt(uL, uLInfo, i, k);
}

float rAt(int k, int j) {
  return argAt(uR, uRInfo, k, j);
}

uniform bool uProduct;  // a plane of products (below), else the stored values
uniform ivec3 uStart;  // (i, j, k) of the block's first cell (PARTIAL: the quad spans i × j)
uniform ivec3 uLocal;  // the track's current within-block index along i, j, k
uniform ivec2 uAxes;  // the quad's row and column axes (0 i, 1 j, 2 k)

#ifdef PARTIAL
uniform int uKCount;  // cells of this k block
#endif

#ifdef ACCUM
uniform vec4 uAccum;  // mode, first current column, k count, flags (animstate.js)
uniform ivec3 uKInfo;  // K, the k block size, the j block size
#endif

in vec2 vCell;
out vec4 fragColor;

const vec3 LIGHT_DIR = vec3(-0.45, 0.55, 0.70);
const vec3 LIGHT_PAPER = vec3(250.0 / 255.0);  // #fafafa, THEMES.light.paper in theme.js
const float PAPER_L = 98.272;  // LIGHT_PAPER's CIE L*
const float LIGHT_FLOOR = 23.0;  // colors.py's
const vec3 REC709 = vec3(0.2126, 0.7152, 0.0722);

bool nonFinite(float x) {
  // Bit test: robust where isnan()/comparisons get optimised away.
  return (floatBitsToUint(x) & 0x7f800000u) == 0x7f800000u;
}

float storedAt(ivec2 cell) {
#if defined(PARTIAL)
  return 0.0;
#else
  ivec2 v = cell + uBlockStart;
  ivec2 b = uTransposed ? v.yx : v;
  ivec2 t = clamp(b - uTileOrigin, ivec2(0), uTileSize - 1);
  return texelFetch(uValues, t.yx, 0).r;
#endif
}

#ifdef ACCUM
// Σ L[i,k]·R[k,j] over the first `count` k of every k block (raw: no epilog).
float partialSum(int i, int j, int count) {
  float s = 0.0;
  for (int k0 = 0; k0 < uKInfo.x; k0 += uKInfo.y) {
    int n = min(count, uKInfo.x - k0);
    for (int t = 0; t < n; t++) {
      s += lAt(i, k0 + t) * rAt(k0 + t, j);
    }
  }
  return s;
}
#endif

// The value shown in block-local cell `cell`.
float valueAt(ivec2 cell) {
#if defined(PARTIAL)
  int i = uStart.x + cell.x;
  int j = uStart.y + cell.y;
  float s = 0.0;
  for (int t = 0; t < uKCount; t++) {
    s += lAt(i, uStart.z + t) * rAt(uStart.z + t, j);
  }
  return s;
#elif defined(ACCUM)
  if (uAccum.x < 0.5) {
    return storedAt(cell);
  }
  ivec2 v = cell + uBlockStart;
  int flags = int(uAccum.w);
  if (float(v.y % uKInfo.z) >= uAccum.y) {  // a current column
    return (flags & 2) != 0 ? storedAt(cell) : partialSum(v.x, v.y, int(uAccum.z));
  }
  return (flags & 1) != 0 ? partialSum(v.x, v.y, uKInfo.y) : storedAt(cell);
#else
  if (uProduct) {
    ivec3 e = ivec3(0, 1, 2);
    ivec3 mr = ivec3(equal(e, ivec3(uAxes.x)));
    ivec3 mc = ivec3(equal(e, ivec3(uAxes.y)));
    ivec3 g = uStart + mr * cell.x + mc * cell.y + (ivec3(1) - mr - mc) * uLocal;
    return lAt(g.x, g.z) * rAt(g.z, g.y);
  }
  return storedAt(cell);
#endif
}

#ifdef HIGHLIGHT
bool markedAt(ivec2 v) {
  if (v.x < 0 || v.y < 0 || v.x >= uMarkedInfo.y || v.y >= uMarkedInfo.z) {
    return false;
  }
  int lw = uMarkedInfo.w;
  int c = uMarkedInfo.y + v.y;
  if (texelFetch(uMarked, ivec2(v.x % lw, v.x / lw), 0).r > 0.5 || texelFetch(uMarked, ivec2(c % lw, c / lw), 0).r > 0.5) {
    return true;
  }
  for (int n = 0; n < 32; n++) {
    if (n >= uMarkedCellCount) {
      break;
    }
    if (uMarkedCells[n] == v) {
      return true;
    }
  }
  return false;
}
#endif

bool inRect(vec2 v, vec4 r) {
  return v.x >= r.x && v.x < r.z && v.y >= r.y && v.y < r.w;
}

bool revealed(ivec2 view) {
  vec2 l = vec2(view % uRevealMod);
  vec2 a = uReveal.z > 0.5 ? l.yx : l;
  return a.x < uReveal.x || (a.x == uReveal.x && a.y < uReveal.y);
}

float volOf(float ax) {
  float lo = uRange.x;
  float hi = uRange.y;
  if (hi > lo) {
    return clamp((ax - lo) / (hi - lo), 0.0, 1.0);
  }
  return ax >= hi ? 1.0 : 0.0;
}

vec3 hsl(float h, float s, float l) {
  float a = s * min(l, 1.0 - l);
  vec3 k = mod(vec3(0.0, 8.0, 4.0) + h * 12.0, 12.0);
  return l - a * clamp(min(k - 3.0, 9.0 - k), -1.0, 1.0);
}

#ifdef LIGHT
vec3 toLinear(vec3 c) {
  return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(0.04045, c));
}

vec3 toSrgb(vec3 c) {
  return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

// colors.py's on_paper: c (of hue `hue`) with its CIE L* mirrored about the paper,
// softly floored: the pure hue scaled in linear light (or mixed with white).
vec3 onPaper(vec3 c, float hue) {
  float y = dot(toLinear(c), REC709);
  float l = y > 216.0 / 24389.0 ? 116.0 * pow(y, 1.0 / 3.0) - 16.0 : y * 24389.0 / 27.0;
  l = length(vec2(max(PAPER_L - l, 0.0), LIGHT_FLOOR));
  y = l > 8.0 ? pow((l + 16.0) / 116.0, 3.0) : l * 27.0 / 24389.0;  // the target
  vec3 p = toLinear(hsl(hue, 1.0, 0.5));
  float yp = dot(p, REC709);
  return toSrgb(clamp(y <= yp ? p * (y / yp) : mix(p, vec3(1.0), (y - yp) / (1.0 - yp)), 0.0, 1.0));
}
#endif

// 1 on a line at pixel distance 0, fading out over about a pixel.
float lineMask(float distPx) {
  return 1.0 - smoothstep(0.5, 1.5, distPx);
}

void main() {
  vec2 dx = dFdx(vCell);
  vec2 dy = dFdy(vCell);
  float gr = max(length(vec2(dx.x, dy.x)), 1e-6);  // rows per pixel
  float gc = max(length(vec2(dx.y, dy.y)), 1e-6);  // columns per pixel
  float pxLen = max(gr, gc);  // cells per pixel, worst axis
  float cellPx = 1.0 / pxLen;  // pixels per cell

  vec2 n = uBlockSize;
  ivec2 last = ivec2(n) - 1;
  ivec2 cell = clamp(ivec2(floor(vCell)), ivec2(0), last);
  ivec2 view = cell + uBlockStart;

  // The cell under the pixel's centre; when several cells share the pixel, four more
  // samples a quarter pixel around it, keeping the one of largest |x| (non-finite
  // first).  One loop with a bound the compiler cannot know keeps a single copy of
  // valueAt in the program: compile time in SwiftShader grows with the code inlined.
  float x = 0.0;
  int samples = cellPx < 1.0 ? 5 : 1;
  for (int s = 0; s < samples; s++) {
    vec2 o = s == 0 ? vec2(0.0) : vec2(float((s - 1) & 1), float((s - 1) >> 1)) - 0.5;
    ivec2 c = clamp(ivec2(floor(vCell + 0.5 * (o.x * dx + o.y * dy))), ivec2(0), last);
    float y = valueAt(c);
    if (s == 0 || nonFinite(y) || (!nonFinite(x) && abs(y) > abs(x))) {
      x = y;
    }
  }
  if (!revealed(view)) {
    x = 0.0;
  }

  // Background: row guides (side rails, ~9 lines along the rows, a diagonal
  // cutting the (0, 0) corner to show orientation) and a faint cell grid.
  float blockPx = min(n.x / gr, n.y / gc);
  float guideA = 0.0;
  if (uDeco.x > 0.0) {
    float rails = lineMask(min(vCell.y, n.y - vCell.y) / gc);
    float k = clamp(floor(vCell.x * 9.0 / n.x + 0.5), 1.0, 8.0);
    float r = floor(k * n.x / 9.0 + 0.5);
    float rows = (r > 0.0 && r < n.x) ? lineMask(abs(vCell.x - r) / gr) : 0.0;
    rows *= smoothstep(4.0, 10.0, n.x / 9.0 / gr);  // fade when lines crowd
    float c = max(1.0, floor(min(n.x, n.y) / 6.0 + 0.5));
    float gd = max(length(vec2(dx.x + dx.y, dy.x + dy.y)), 1e-6);
    float diag = lineMask(abs(vCell.x + vCell.y - c) / gd);
    guideA = max(max(rails, rows), diag) * smoothstep(16.0, 48.0, blockPx);
  }
  float gridA = 0.0;
  if (uDeco.y > 0.0) {
    vec2 f = fract(vCell);
    float dr = min(f.x, 1.0 - f.x) / gr;
    float dc = min(f.y, 1.0 - f.y) / gc;
    float grid = lineMask(min(dr, dc) + 0.5) * smoothstep(8.0, 16.0, cellPx);
    float frame = lineMask(min(min(vCell.x, n.x - vCell.x) / gr, min(vCell.y, n.y - vCell.y) / gc));
    gridA = max(grid, frame) * uDeco.y;
  }
  float bg = max(guideA * uDeco.x * 0.5, gridA * 0.13);
#ifdef LIGHT
  const bool light = true;
#else
  const bool light = false;
#endif
  vec3 paper = light ? LIGHT_PAPER : vec3(0.0);
  vec3 ink = light ? vec3(0.0) : vec3(1.0);  // guides, grid and non-finite marks

  // The spec's highlight: a frame where a highlighted cell meets one that is not (or
  // the matrix's edge), about 2 px wide, where cells are large enough to show it.
  float frameA = 0.0;
#ifdef HIGHLIGHT
  bool marking = uMarkedInfo.x != 0;
  bool marked = marking && markedAt(view);
  if (marked) {
    vec2 f = fract(vCell);
    // distances to the cell's four sides, in pixels: above, below, left, right
    vec4 side = vec4(f.x / gr, (1.0 - f.x) / gr, f.y / gc, (1.0 - f.y) / gc);
    float d = 1e6;
    for (int k = 0; k < 4 * uMarkedInfo.x; k++) {  // a bound unknown to the compiler: one markedAt
      ivec2 o = k < 2 ? ivec2(2 * k - 1, 0) : ivec2(0, 2 * k - 5);
      if (!markedAt(view + o)) d = min(d, side[k]);
    }
    frameA = (1.0 - smoothstep(1.0, 2.0, d)) * smoothstep(3.0, 6.0, cellPx) * 0.9;
  }
#endif

  vec3 elem = vec3(0.0);
  float cov = 0.0;
  bool bad = nonFinite(x);
  if (bad || x != 0.0) {
    float vol = bad ? 1.0 : volOf(abs(x));
    float sv = sqrt(vol);
    float size = bad ? 1.0 : uSize.x + (1.0 - uSize.x) * sv;
    float sgn = x < 0.0 ? -1.0 : 1.0;
    float hue = fract(uHue.x + uHue.y * sgn + uHue.z * sgn * vol);
    float lightness = uLight.x + (uLight.y - uLight.x) * sv;
    vec3 base = bad ? ink : hsl(hue, 1.0, lightness);

    // Level of detail: flat squares below ~3 px per cell, discs above.  A flat
    // square's brightness follows the disc's area (relative to the largest
    // element's), so zooming out keeps the picture's weight without popping.
    float discMix = smoothstep(2.0, 4.0, cellPx);
    float diameter = min(1.0, uSize.y * 0.72 * size);
    float fullDiameter = min(1.0, uSize.y * 0.72);
    float area = bad ? 1.0 : (diameter * diameter) / max(fullDiameter * fullDiameter, 1e-6);
    // On light, mm's fade (toward black) mirrored: a paler tint, not a greyed colour.
    float fade = 0.3 + 0.7 * area;
    vec3 flatColor = mix(paper, base, fade);
#ifdef LIGHT
    // The flat square's tint, and the disc's where discs show, through one copy of
    // onPaper: a loop whose bound the compiler cannot know is not unrolled (compile time).
    vec3 tints[2] = vec3[2](base * fade, base);
    for (int n = 0; n < (discMix > 0.0 ? 2 : 1); n++) {
      tints[n] = onPaper(tints[n], hue);
    }
    if (!bad) {
      flatColor = tints[0];
      base = tints[1];
    }
#endif
    elem = flatColor;
    cov = 1.0;
    // Cells below ~2 px are flat squares (discMix 0): the disc's shading is skipped,
    // the cheap path where cells are smaller than a pixel (a big figure seen whole).
    if (discMix > 0.0) {
      vec2 f = fract(vCell) - 0.5;
      float radius = max(0.5 * diameter, 0.6 * pxLen);  // never below about a pixel
      float radiusPx = radius * cellPx;
      float d = length(f);
      float discCov = clamp((radius - d) / pxLen + 0.5, 0.0, 1.0);
      vec2 q = f / radius;
      float q2 = min(dot(q, q), 1.0);
      vec3 nrm = vec3(q.y, -q.x, sqrt(1.0 - q2));
      float diffuse = max(dot(nrm, normalize(LIGHT_DIR)), 0.0);
      // Sphere shading (lighter centre, darker rim) only where the disc has pixels to show it.
      float shade = smoothstep(1.5, 5.0, radiusPx);
      vec3 badDisc = light ? vec3(0.25 * shade * pow(diffuse, 8.0)) : vec3(mix(1.0, 0.8 + 0.2 * diffuse, shade));
      vec3 disc = bad
        ? badDisc
        : base * mix(1.0, 0.5 + 0.55 * diffuse, shade) + vec3(0.12 * shade * pow(diffuse, 32.0));
      if (sgn < 0.0 && !bad) {
        // Sign by shape, not only hue: negative discs carry a darker ring.
        float rq = sqrt(q2);
        float ring = smoothstep(0.45, 0.58, rq) * (1.0 - smoothstep(0.70, 0.83, rq));
        disc *= 1.0 - 0.4 * ring * uDeco.z * smoothstep(3.0, 7.0, radiusPx);
      }
      elem = mix(flatColor, disc, discMix);
      cov = mix(1.0, discCov, discMix);
    }
#ifdef HIGHLIGHT
    if (marking && !marked) {
      elem = mix(paper, elem, MARK_DIM);
    }
#endif
    if (inRect(vec2(view % uHighlightMod), uHighlight)) {
      // highlighted cells are never dimmed… (on light: deepened, away from the paper)
      elem = light ? elem * 0.6 : min(elem + 0.5, vec3(1.0));
    } else {
      elem = mix(paper, elem, uDim);
    }
    cov *= step(0.001, uDim);  // …but a hidden view hides them too
  }

  if (cov < 0.02 && bg < 0.004 && frameA < 0.004) {
    discard;
  }
  // Coverage fades to the paper (black, or LIGHT_PAPER on light): anti-aliased
  // edges without blending or sorting.
  fragColor = vec4(mix(mix(mix(paper, ink, bg), elem, cov), ink, frameA), 1.0);
}
