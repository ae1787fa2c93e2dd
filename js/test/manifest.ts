// A small running experiment, 3 x 2 x 2, all cells queued: what the manifest route answered in schema 2
// (no `at`: the panel derives it from x, y, z).
import type { Manifest } from "../src/routes";

export function manifest(): Manifest {
  const cells = [];
  let index = 0;
  for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    cells.push({ index, x, y, z, run_order: index++, status: "queued" as const, prompt_id: null, attempts: 0,
                 seconds: null, started_at: null, finished_at: null, files: [], error: null, metrics: {},
                 worker: null, labels: {}, values: {} });
  }
  return {
    schema: "xyz-studio/manifest/2", id: "e1", name: "demo", status: "running", dry_run: false, created: 1000,
    finished: null, shape: { x: 3, y: 2, z: 2 }, order: ["z", "y", "x"],
    axes: [
      { slot: "x", node_id: "10", title: "cfg", mode: "values", search: null, targets: [[["3", "cfg"]]],
        values: [[5], [7], [9]], labels: ["5", "7", "<b>9</b>"] },
      { slot: "y", node_id: "11", title: "sampler", mode: "values", search: null, targets: [[["3", "sampler_name"]]],
        values: [["euler"], ["dpm"]], labels: ["euler", "dpm"] },
      { slot: "z", node_id: "12", title: "steps", mode: "values", search: null, targets: [[["3", "steps"]]],
        values: [[10], [20]], labels: ["10", "20"] },
    ],
    fixed: [], options: { servers: null }, counts: { queued: 12 }, cells, grids: [], metrics: [], tracking: null,
  } as unknown as Manifest;  // schema 2: no `at`, no super_grids
}
