// Hand-written schema-3 manifests (xyz-studio/manifest/3): shape per slot in slot order, an axis per slot
// that has one, each cell with `at` (value index per slot), its x (column), y (row) and z (grid number).
import type { Manifest, ManifestAxis } from "../src/routes";

function axis(slot: string, title: string, labels: string[]): ManifestAxis {
  return { slot, node_id: slot, title, mode: "values", search: null, targets: [[["3", slot]]],
           values: labels.map((l) => [l]), labels };
}

/** Every cell of `shape` (slot order) queued; `axes` for the slots that have one. */
export function manifest3(shape: Record<string, number>, axes: ManifestAxis[], id = "e4"): Manifest {
  const slots = Object.keys(shape), sizes = slots.map((s) => shape[s]!);
  const total = sizes.reduce((a, b) => a * b, 1), nx = sizes[0]!, ny = sizes[1]!;
  const cells = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const at: Record<string, number> = {};
    slots.forEach((slot, k) => {
      at[slot] = rest % sizes[k]!;
      rest = Math.floor(rest / sizes[k]!);
    });
    const labels: Record<string, string> = {};
    for (const a of axes) labels[a.slot] = a.labels[at[a.slot]!]!;
    cells.push({ index, x: index % nx, y: Math.floor(index / nx) % ny, z: Math.floor(index / (nx * ny)),
                 run_order: index, status: "queued" as const, prompt_id: null, attempts: 0, seconds: null,
                 started_at: null, finished_at: null, files: [], error: null, metrics: {}, worker: null, labels,
                 values: {}, at });
  }
  return {
    schema: "xyz-studio/manifest/3", id, name: "four axes", status: "running", dry_run: false, created: 1000,
    finished: null, shape, order: [...slots].reverse(), axes, fixed: [], options: { servers: null },
    counts: { queued: total }, cells, grids: [], super_grids: [], metrics: [], tracking: null,
  };
}

/** 3 cfg x 2 samplers x 2 steps x 2 seeds = 24 cells. */
export function fourAxes(): Manifest {
  return manifest3({ x: 3, y: 2, z: 2, axis4: 2 }, [
    axis("x", "cfg", ["5", "7", "<b>9</b>"]), axis("y", "sampler", ["euler", "dpm"]),
    axis("z", "steps", ["10", "20"]), axis("axis4", "seed", ["1", "2"]),
  ]);
}
