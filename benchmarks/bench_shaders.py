"""Compile time of each matrix.vert/.frag program variant (issue 15: first frame).

In software WebGL (SwiftShader) a program is compiled to machine code at its first
draw, and that is what a figure's first frame waits for (figure/warmup.js compiles the
page's palette's plain variant once per page: "matrix" on a dark page, "matrix LIGHT" on
a light one; it draws matrix blocks and product planes alike).  For each variant this links
the program as three.js would (`#version 300 es`, the defines, the shader files) in a
fresh WebGL 2 context of headless Chromium, draws one pixel and reads it back; a salt
comment makes every source new, so no cache answers.  Printed per variant: link, and
link + first draw, min / median / max over RUNS runs, with the load average.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

SHADERS = ROOT / "pyodide_app" / "src" / "gl" / "shaders"
RUNS = 5
# name: defines; scenegraph.js matrixMaterial's variants
VARIANTS = {
    "matrix": [],
    "matrix LIGHT": ["LIGHT"],
    "matrix HIGHLIGHT": ["HIGHLIGHT"],
    "matrix PARTIAL": ["PARTIAL"],
    "matrix ACCUM": ["ACCUM"],
}

COMPILE = """([vs, fs]) => {
    const c = document.createElement('canvas');
    c.width = c.height = 4;
    const gl = c.getContext('webgl2');
    const t0 = performance.now();
    const shader = (type, src) => {
        const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s;
    };
    const p = gl.createProgram();
    gl.attachShader(p, shader(gl.VERTEX_SHADER, vs));
    gl.attachShader(p, shader(gl.FRAGMENT_SHADER, fs));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
    const t1 = performance.now();
    gl.useProgram(p);
    gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), gl.STATIC_DRAW);
    const at = gl.getAttribLocation(p, 'position');
    gl.enableVertexAttribArray(at);
    gl.vertexAttribPointer(at, 3, gl.FLOAT, false, 0, 0);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return [t1 - t0, performance.now() - t0];
}"""


def spread(values):
    return "min %4.0f / median %4.0f / max %4.0f ms" % (
        min(values),
        statistics.median(values),
        max(values),
    )


def main() -> None:
    from conftest import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    frag = (SHADERS / "matrix.frag").read_text()
    times = {name: [] for name in VARIANTS}
    load = [os.getloadavg()[0]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto("about:blank")
        for _ in range(RUNS):  # variants interleaved: the machine's load hits all alike
            for name, defines in VARIANTS.items():
                head = "#version 300 es\n" + "".join("#define %s\n" % d for d in defines)
                head += "// salt %d\n" % random.getrandbits(48)
                vs = head + (SHADERS / "matrix.vert").read_text()
                times[name].append(page.evaluate(COMPILE, [vs, head + frag]))
        browser.close()
    load.append(os.getloadavg()[0])
    print("matrix.frag programs, %d runs (load average %.2f -> %.2f):" % (RUNS, *load))
    for name, runs in times.items():
        print(
            "  %-17s link %s; link + first draw %s"
            % (name, spread([a for a, _ in runs]), spread([b for _, b in runs]))
        )


if __name__ == "__main__":
    main()
