// Bundles src/main.ts into ../web/xyz_studio.js (or into the folder given as the first
// argument: the test that checks web/ builds to a temporary folder and compares).
// ComfyUI's own modules stay imports, resolved by the browser next to the editor.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, "..", "web"));

await build({
  entryPoints: [path.join(here, "src", "main.ts")],
  outfile: path.join(outdir, "xyz_studio.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  external: ["../../scripts/app.js", "../../scripts/api.js"],
  legalComments: "none",
  charset: "utf8",
  banner: { js: "// XYZ Plot Studio editor extension. Built from js/src by `npm run build` in js/: do not edit." },
  logLevel: "warning",
});
