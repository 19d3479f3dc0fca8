"""What this machine allows a first frame (issue 15, item 3: <= 350 ms from navigation).

The viewer's first frame waits for the GPU process to compile its program at the first
draw (software WebGL: SwiftShader compiles a shader to machine code then).  This page
does only that: an inline module of a few lines creates a WebGL 2 context as
gl/renderer.js does, compiles a program, draws one pixel with it and reads it back,
marking the time from navigation.  Programs: a trivial one (the fixed cost of a page, a
context, a compile and a draw), and matrix.vert/.frag as the viewer compiles it for a
light page (headless Chromium's palette, our docs site's default) and a dark one.  No
viewer can draw before its program is ready; bench_viewer's first frame also pays its
module's download and run, the scene's fetch, decode and build, and the frame's own draw
(its orbit frame: the cost of a frame once compiled).  Printed: min/median/max over RUNS
fresh loads each, interleaved.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from _browser import launch, new_page, serve, spread

ROOT = Path(__file__).resolve().parents[1]
SHADERS = ROOT / "pyodide_app" / "src" / "gl" / "shaders"
RUNS = 9

TRIVIAL = (
    "in vec3 position; out vec2 vCell; void main() { vCell = position.xy; gl_Position = vec4(position, 1.0); }",
    "precision highp float; in vec2 vCell; out vec4 fragColor; void main() { fragColor = vec4(vCell, 0.0, 1.0); }",
)

# The page: everything inline in one module, nothing else to fetch.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>
<canvas width="1280" height="720"></canvas>
<script type="module">
try {
const [vs, fs] = %s;
const gl = document.querySelector('canvas').getContext('webgl2', {alpha: false, antialias: false,
  depth: true, stencil: false, premultipliedAlpha: true, preserveDrawingBuffer: false,
  powerPreference: 'high-performance'});
const shader = (type, src) => { const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s; };
const p = gl.createProgram();
gl.attachShader(p, shader(gl.VERTEX_SHADER, vs));
gl.attachShader(p, shader(gl.FRAGMENT_SHADER, fs));
gl.linkProgram(p);
if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
gl.useProgram(p);
// One value texture (a half float, as scene files' f2 buffers) on every sampler.
const t = gl.createTexture();
gl.bindTexture(gl.TEXTURE_2D, t);
gl.texImage2D(gl.TEXTURE_2D, 0, gl.R16F, 1, 1, 0, gl.RED, gl.HALF_FLOAT, new Uint16Array([0x3c00]));
gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
const set = (name, f, ...v) => { const at = gl.getUniformLocation(p, name); if (at) gl[f](at, ...v); };
set('uBlockSize', 'uniform2f', 64, 64);
set('uTileSize', 'uniform2i', 1, 1);
set('uRange', 'uniform2f', 0, 1);
set('uLight', 'uniform2f', 0.3, 0.7);
set('uSize', 'uniform2f', 0.3, 1);
set('uReveal', 'uniform4f', 1e9, 1e9, 0, 0);
set('uRevealMod', 'uniform2i', 1 << 30, 1 << 30);
set('uHighlight', 'uniform4f', -1, -1, -1, -1);
set('uHighlightMod', 'uniform2i', 1 << 30, 1 << 30);
set('uDim', 'uniform1f', 1);
set('modelViewMatrix', 'uniformMatrix4fv', false, [1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]);
set('projectionMatrix', 'uniformMatrix4fv', false, [1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]);
const quad = (name, size, data) => {
  const at = gl.getAttribLocation(p, name);
  if (at < 0) return;
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array(data), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(at);
  gl.vertexAttribPointer(at, size, gl.FLOAT, false, 0, 0);
};
quad('position', 3, [-1, -1, 0, 1, -1, 0, -1, 1, 0, 1, 1, 0]);
quad('aCell', 2, [0, 0, 0, 64, 64, 0, 64, 64]);
gl.viewport(0, 0, 1, 1);  // the compile, not the shading of a whole canvas
gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
performance.mark('floor:first-frame');
} catch (err) { document.title = 'error: ' + err.message; }
</script></body></html>
"""


def matrix(light):
    head = "#version 300 es\n" + ("#define LIGHT\n" if light else "")
    return (
        head + (SHADERS / "matrix.vert").read_text(),
        head + (SHADERS / "matrix.frag").read_text(),
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    programs = {
        "trivial program": ("#version 300 es\n" + TRIVIAL[0], "#version 300 es\n" + TRIVIAL[1]),
        "matrix program, light palette": matrix(True),
        "matrix program, dark palette": matrix(False),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for n, (vs, fs) in enumerate(programs.values()):
            (Path(tmp) / ("p%d.html" % n)).write_text(PAGE % json.dumps([vs, fs]), encoding="utf-8")
        server, root = serve(tmp)
        times = {name: [] for name in programs}
        with sync_playwright() as p:
            browser = launch(p)
            for _ in range(RUNS):
                for n, name in enumerate(programs):
                    page = new_page(browser)
                    page.goto(root + "p%d.html" % n)
                    page.wait_for_function(
                        "() => performance.getEntriesByName('floor:first-frame').length"
                        " || document.title.startsWith('error')",
                        timeout=30_000,
                    )
                    if page.title().startswith("error"):
                        raise SystemExit("bench_floor: %s: %s" % (name, page.title()))
                    times[name].append(
                        page.evaluate(
                            "performance.getEntriesByName('floor:first-frame')[0].startTime"
                        )
                    )
                    page.context.close()
            browser.close()
        server.shutdown()
    print("a program compiled and one pixel drawn, nothing else, from navigation:")
    for name, runs in times.items():
        print("  %-30s min/median/max %s ms over %d loads" % (name, spread(runs), len(runs)))
    print(
        "  the matrix program costs %.0f ms more than the trivial one (medians, light palette)"
        % (
            statistics.median(times["matrix program, light palette"])
            - statistics.median(times["trivial program"])
        )
    )


if __name__ == "__main__":
    main()
