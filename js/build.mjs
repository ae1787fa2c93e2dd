// Bundles src/main.ts into ../web/xyz_studio.js, and the standalone viewer src/viewer/main.ts
// into ../xyz_studio/export/assets/viewer.js (both into the folder given as the first argument
// instead: the test that checks the committed bundles builds to a temporary folder and compares).
// ComfyUI is reached through window.comfyAPI (src/host.ts), never imported: the bundle has no imports.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, "..", "web"));
const viewerDir = path.resolve(process.argv[2] ?? path.join(here, "..", "xyz_studio", "export", "assets"));

await build({
  entryPoints: [path.join(here, "src", "main.ts")],
  outfile: path.join(outdir, "xyz_studio.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  legalComments: "none",
  charset: "utf8",
  banner: { js: "// XYZ Plot Studio editor extension. Built from js/src by `npm run build` in js/: do not edit." },
  logLevel: "warning",
});

// The viewer opens from file:// (no modules there): one classic script, no imports left.
await build({
  entryPoints: [path.join(here, "src", "viewer", "main.ts")],
  outfile: path.join(viewerDir, "viewer.js"),
  bundle: true,
  format: "iife",
  target: "es2020",
  platform: "browser",
  legalComments: "none",
  charset: "utf8",
  banner: { js: "// XYZ Plot Studio standalone viewer. Built from js/src/viewer by `npm run build` in js/: do not edit." },
  logLevel: "warning",
});
