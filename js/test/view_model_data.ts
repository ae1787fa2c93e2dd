// The viewer's data of a 3 x 2 x 2 experiment, for its tests.
import type { ViewerData } from "../src/viewer/view_model";

export function viewerData(): ViewerData {
  const cells = [];
  let index = 0;
  for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    const i = index++;
    cells.push({ index: i, at: [x, y, z], status: i === 4 ? "failed" : "done", error: i === 4 ? "out of memory" : null,
                 seconds: 1.5 + (i % 5), thumb: `t${i}`, full: `f${i}`, metrics: { score: i === 7 ? null : i } });
  }
  return {
    id: "e", name: "demo",
    axes: [{ slot: "x", title: "cfg", labels: ["5", "7", "9"] }, { slot: "y", title: "steps", labels: ["10", "20"] },
           { slot: "z", title: "sampler", labels: ["euler", "<b>dpm</b>"] }],
    metrics: [{ name: "score", goal: "lower is better" }], cells,
  };
}
