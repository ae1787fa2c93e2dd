import { describe, expect, it } from "vitest";
import { CellIndex, ZOOM, describe as describeCell, fromHash, heatLevel, initialView, settle, slice, sliderAxes,
         toHash, type ViewerData } from "../src/viewer/view_model";

function data(): ViewerData {
  const cells = [];
  let index = 0;
  for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    const i = index++;
    cells.push({ index: i, at: [x, y, z], status: "done", error: null, seconds: 1.5, thumb: `t${i}`, full: `f${i}`,
                 metrics: { score: i === 7 ? null : i } });
  }
  return {
    id: "e", name: "demo",
    axes: [{ slot: "x", title: "cfg", labels: ["5", "7", "9"] }, { slot: "y", title: "steps", labels: ["10", "20"] },
           { slot: "z", title: "sampler", labels: ["euler", "<b>dpm</b>"] }],
    metrics: [{ name: "score", goal: "lower is better" }], cells,
  };
}

describe("the viewer's view", () => {
  it("slices the cells for any pair of axes", () => {
    const d = data(), cells = new CellIndex(d);
    const first = slice(d, cells, initialView(d));
    expect(first.map((row) => row.map((c) => c!.index))).toEqual([[0, 1, 2], [3, 4, 5]]);
    const zByX = slice(d, cells, { ...initialView(d), cols: 2, rows: 0, at: [0, 1, 0] });
    expect(zByX.map((row) => row.map((c) => c!.index))).toEqual([[3, 9], [4, 10], [5, 11]]);
    expect(sliderAxes(d, { ...initialView(d), cols: 2, rows: 0 })).toEqual([1]);
  });

  it("round-trips through the URL hash and repairs what it cannot use", () => {
    const d = data();
    const view = { cols: 2, rows: 0, at: [1, 1, 0], zoom: 300, heat: "score" };
    expect(fromHash(d, toHash(view))).toEqual(view);
    const repaired = fromHash(d, "#cols=9&rows=9&at=5,-1,x&zoom=99999&heat=nope%");
    expect(repaired).toEqual({ cols: 2, rows: null, at: [2, 0, 0], zoom: ZOOM.max, heat: null });
    expect(settle(d, { ...initialView(d), cols: 1, rows: 1 }).rows).toBeNull();  // never one axis twice
  });

  it("colours by a metric's goal, leaves missing values uncoloured and describes a cell as text", () => {
    const d = data();
    expect(heatLevel(d, "score", 0)).toBe(1);     // lower is better: the smallest is the best
    expect(heatLevel(d, "score", 11)).toBe(0);
    expect(heatLevel(d, "score", null)).toBeNull();
    expect(describeCell(d, d.cells[7]!)).toEqual(["cfg: 7", "steps: 10", "sampler: <b>dpm</b>", "time: 1.5 s",
                                                  "score: –"]);
  });
});
