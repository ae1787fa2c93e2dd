import { describe, expect, it } from "vitest";
import { slice, tableRows } from "../src/explorer/model";
import { toggleValue } from "../src/explorer/state";
import { describe as describeCell, experiment, heatLevel, settle } from "../src/viewer/view_model";
import { initialView } from "../src/viewer/url";
import { viewerData } from "./view_model_data";

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

  it("reads a cell the export wrote without what it lacks (no error, time, metrics or files)", () => {
    const data = viewerData();
    data.cells[0] = { index: 0, at: [0, 0, 0], status: "planned" };
    const ex = experiment(data);
    expect(ex.files[0]).toEqual({ index: 0, at: [0, 0, 0], status: "planned", error: null, seconds: null, metrics: {},
                                  thumb: null, full: null, finished_at: null });
    expect(ex.view.cells[0]).toMatchObject({ status: "planned", files: [], metrics: {}, seconds: null });
    expect(heatLevel(data, "score", 1)).toBe(1);  // the cell without metrics has no value: 1 is the best now
    expect(heatLevel(data, "score", 2)).toBeCloseTo(0.9);
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
