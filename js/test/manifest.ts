// A small running experiment, 3 x 2 x 2, all cells queued: what the manifest route answers.
import type { Manifest } from "../src/routes";

export function manifest(): Manifest {
  const cells = [];
  let index = 0;
  for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    cells.push({ index: index++, x, y, z, status: "queued" as const, files: [], error: null, seconds: null,
                 labels: {}, prompt_id: null });
  }
  return {
    id: "e1", name: "demo", status: "running", dry_run: false, created: 1000, finished: null,
    shape: { x: 3, y: 2, z: 2 },
    axes: [
      { slot: "x", title: "cfg", labels: ["5", "7", "<b>9</b>"], values: [5, 7, 9], mode: "values" },
      { slot: "y", title: "sampler", labels: ["euler", "dpm"], values: ["euler", "dpm"], mode: "values" },
      { slot: "z", title: "steps", labels: ["10", "20"], values: [10, 20], mode: "values" },
    ],
    counts: { queued: 12 }, cells, grids: [],
  };
}
