import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
const srcAlias = { name: "three-src", setup(b) {
  b.onResolve({ filter: /^three$/ }, () => ({ path: join(process.cwd(), "node_modules/three/src/Three.js") }));
}};
const r = await build({ entryPoints: ["src/viewer.js"], bundle: true, format: "esm", target: "es2020", minify: true, write: false, metafile: true, outfile: "/tmp/x.js", loader: { ".glsl": "text", ".vert": "text", ".frag": "text" }, legalComments: "external", plugins: [srcAlias]});
const out = Object.values(r.metafile.outputs).find(o => o.entryPoint);
const rows = Object.entries(out.inputs).map(([k, v]) => [v.bytesInOutput, k]).sort((a,b)=>b[0]-a[0]);
let tot=0, three=0; for (const [b,k] of rows) { tot+=b; if (k.includes('three/')) three+=b; }
console.log("total", tot, "three", three, "gz", gzipSync(r.outputFiles.find(f=>f.path.endsWith('x.js')).contents,{level:9}).length);
for (const [b,k] of rows.slice(0,40)) console.log(b,k);
let sh=0; for (const [b,k] of rows) if (/shaders\/(ShaderChunk|ShaderLib)\//.test(k)) sh+=b;
console.log("shader strings", sh);
const grp={}; for (const [b,k] of rows) { const m=k.match(/three\/src\/([^/]+\/[^/]+)/); const g=m?m[1]:k.split('/').slice(0,2).join('/'); grp[g]=(grp[g]||0)+b;} console.log(Object.entries(grp).sort((a,b)=>b[1]-a[1]).slice(0,25));
