import { describe, expect, it } from "vitest";
import { slice, tableRows } from "../src/explorer/model";
import { toggleValue } from "../src/explorer/state";
import { describe as describeCell, experiment, heatLevel, settle, type ViewerData } from "../src/viewer/view_model";
import { initialView } from "../src/viewer/url";

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

const ids = (rows: { index: number }[][]) => rows.map((row) => row.map((c) => c.index));

describe("the viewer's data as the explorer's experiment", () => {
  it("slices the cells for any pair of axes with the explorer's own model", () => {
    const ex = experiment(viewerData());
    const start = initialView(ex);
    expect(ids(slice(ex.view, start).cells)).toEqual([[0, 1, 2], [3, 4, 5]]);
    const zByX = settle(ex, { ...start, columns: "z", rows: "x", at: { y: 1 } });
    expect(ids(slice(ex.view, zByX).cells)).toEqual([[3, 9], [4, 10], [5, 11]]);
    expect(ex.files[9]!.thumb).toBe("t9");
  });

  it("leaves a cell the export lacks as a placeholder, and keeps the viewer's own fields through settle", () => {
    const data = viewerData();
    data.cells = data.cells.filter((c) => c.index !== 5);
    const ex = experiment(data);
    expect(ex.view.cells).toHaveLength(12);
    expect(ex.files[5]).toBeUndefined();
    expect(describeCell(ex, ex.view.cells[5]!)).toEqual(["cfg: 9", "steps: 20", "sampler: euler", "no cell"]);
    const s = settle(ex, { ...initialView(ex), zoom: 99999, heat: "nope" });
    expect([s.zoom, s.heat]).toEqual([768, null]);
    expect(settle(ex, { ...s, heat: "score", zoom: 300 })).toMatchObject({ heat: "score", zoom: 300, columns: "x" });
  });

  it("toggles values off in the grid and the table, sorts by a metric and filters by words", () => {
    const ex = experiment(viewerData());
    const off = settle(ex, toggleValue(ex.view, initialView(ex), "x", 1) as never);
    expect(ids(slice(ex.view, off).cells)).toEqual([[0, 2], [3, 5]]);
    const byScore = { ...off, mode: "table" as const, sort: { key: "metric:score", descending: true } };
    expect(tableRows(ex.view, byScore).map((c) => c.index)).toEqual([11, 9, 8, 6, 5, 3, 2, 0]);
    expect(tableRows(ex.view, { ...byScore, filter: "DPM 20" }).map((c) => c.index)).toEqual([11, 9]);
    expect(tableRows(ex.view, { ...byScore, hidden: {}, filter: "failed" }).map((c) => c.index)).toEqual([4]);
  });

  it("colours by a metric's goal and leaves missing values uncoloured", () => {
    const d = viewerData();
    expect(heatLevel(d, "score", 0)).toBe(1);     // lower is better: the smallest is the best
    expect(heatLevel(d, "score", 11)).toBe(0);
    expect(heatLevel(d, "score", null)).toBeNull();
    const ex = experiment(d);
    expect(describeCell(ex, ex.view.cells[7]!)).toEqual(["cfg: 7", "steps: 10", "sampler: <b>dpm</b>",
                                                         "time: 3.5 s", "score: –"]);
  });
});
