import { describe, expect, it } from "vitest";
import { applyCellEvent, fromManifest } from "../src/experiment_view";
import { slice, sliceKey, tableColumns, tableRows, nextSort } from "../src/explorer/model";
import { initialState, pivotColumns, pivotRows, settle, stepSlider, toggleValue } from "../src/explorer/state";
import { fourAxes } from "./manifest3";

const view = () => fromManifest(fourAxes());
const indices = (cells: { index: number }[][]) => cells.map((row) => row.map((c) => c.index));

describe("the explorer's slice", () => {
  it("is X by Y at the sliders' values, and follows a pivot and a slider step", () => {
    const v = view();
    let s = settle(v, initialState());
    expect(indices(slice(v, s).cells)).toEqual([[0, 1, 2], [3, 4, 5]]);
    s = stepSlider(v, s, "axis4", 1);                          // seed 2: cells 12 .. 23
    expect(indices(slice(v, s).cells)).toEqual([[12, 13, 14], [15, 16, 17]]);
    s = pivotColumns(v, s, "z");                               // steps across, sampler down, cfg a slider
    const sl = slice(v, s);
    expect([sl.across.title, sl.down?.title]).toEqual(["steps", "sampler"]);
    expect(indices(sl.cells)).toEqual([[12, 18], [15, 21]]);
    s = stepSlider(v, s, "x", 2);
    expect(indices(slice(v, s).cells)).toEqual([[14, 20], [17, 23]]);
    s = pivotRows(v, s, null);
    expect(indices(slice(v, s).cells)).toEqual([[14, 20]]);    // one row; sampler is a slider at its first value
  });

  it("leaves out the values toggled off, and names each slice by what it shows", () => {
    const v = view();
    const s = settle(v, initialState());
    const t = toggleValue(v, s, "x", 1);
    const sl = slice(v, t);
    expect(sl.columns).toEqual([0, 2]);
    expect(indices(sl.cells)).toEqual([[0, 2], [3, 5]]);
    const keys = new Set([s, t, stepSlider(v, s, "z", 1), pivotColumns(v, s, "z")].map((x) => sliceKey(v, x)));
    expect(keys.size).toBe(4);
    expect(sliceKey(v, stepSlider(v, s, "x", 1))).toBe(sliceKey(v, s));  // X is not a slider: same slice
  });

  it("keeps up with cell events, by index", () => {
    const v = view();
    const s = settle(v, stepSlider(v, settle(v, initialState()), "axis4", 1));
    const cell = applyCellEvent(v, { experiment: "e4", index: 16, x: 1, y: 1, z: 2, status: "done",
                                     files: ["cells/cfg-7_sampler-dpm_x001_y001.png"], done: 1, failed: 0, total: 24 },
                                null);
    expect(cell).toBe(slice(v, s).cells[1]![1]);
    expect(cell?.at).toEqual([1, 1, 0, 1]);
    expect(slice(v, s).cells[1]![1]!.files).toEqual(["cells/cfg-7_sampler-dpm_x001_y001.png"]);
  });
});

describe("the explorer's table", () => {
  function finished() {
    const m = fourAxes();
    m.cells.forEach((c, i) => Object.assign(c, { status: i % 5 === 0 ? "failed" : "done", seconds: (i * 7) % 11,
                                                 metrics: { score: i === 3 ? null : (i * 13) % 24 } }));
    m.cells[4]!.error = "out of memory";
    return fromManifest(m);
  }

  it("has a row per cell and a column per axis, status, time and metric", () => {
    const v = finished();
    const s = settle(v, initialState());
    expect(tableRows(v, s).length).toBe(24);
    const columns = tableColumns(v);
    expect(columns.map((c) => c.title)).toEqual(["#", "cfg", "sampler", "steps", "seed", "status", "time", "score"]);
    expect(columns.map((c) => c.text(v.cells[23]!))).toEqual(["23", "<b>9</b>", "dpm", "20", "2", "done", "7.0 s",
                                                              "11"]);
  });

  it("sorts by an axis, a metric (missing last either way), status or time, then by index", () => {
    const v = finished();
    const s = settle(v, initialState());
    const by = (key: string, descending = false) => tableRows(v, { ...s, sort: { key, descending } }).map((c) => c.index);
    expect(by("axis:axis4", true).slice(0, 3)).toEqual([12, 13, 14]);
    expect(by("axis:x").slice(0, 8)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    const scores = by("metric:score");
    expect(scores.at(-1)).toBe(3);
    expect(by("metric:score", true).at(-1)).toBe(3);
    expect(scores.slice(0, 3)).toEqual([0, 13, 2]);  // scores 0, 1, 2 (i * 13 % 24)
  });

  it("filters by every word, in any case, and leaves out values toggled off", () => {
    const v = finished();
    let s = settle(v, initialState());
    expect(tableRows(v, { ...s, filter: "DPM  <B>9" }).map((c) => c.index)).toEqual([5, 11, 17, 23]);
    expect(tableRows(v, { ...s, filter: "memory" }).map((c) => c.index)).toEqual([4]);
    s = toggleValue(v, s, "y", 0);
    expect(tableRows(v, s).every((c) => c.y === 1)).toBe(true);
    expect(tableRows(v, s).length).toBe(12);
  });

  it("clicks through ascending, descending and the cells' own order", () => {
    const s = settle(view(), initialState());
    const a = nextSort(s, "status");
    const b = nextSort({ ...s, sort: a }, "status");
    expect([a, b, nextSort({ ...s, sort: b }, "status")]).toEqual([
      { key: "status", descending: false }, { key: "status", descending: true }, null]);
  });
});
