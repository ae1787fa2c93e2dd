import { describe, expect, it } from "vitest";
import { applyCellEvent, describeCell, fromManifest, type ExperimentView } from "../src/experiment_view";
import { bestCell, chartGeometry, notRun, readSearch, searchHistory, searchText } from "../src/search_model";
import { experiment } from "../src/viewer/view_model";
import { tableColumns } from "../src/explorer/model";
import type { Manifest } from "../src/routes";
import { fourAxes } from "./manifest3";
import { viewerData } from "./view_model_data";

/** The 24-cell fixture as a search on "sharpness": every cell planned, then `run` (index -> [value, finished_at];
 * a null value: failed) done or failed. */
function searched(run: Record<number, [number | null, number]>, goal: string | null = "higher"): Manifest {
  const m = fourAxes();
  m.options = { servers: null, search: { objective: "sharpness", budget: 8, sampler: "TPE", seed: 0,
                                         coarse_fraction: 0, goal } };
  for (const c of m.cells) {
    const r = run[c.index];
    c.status = r ? (r[0] === null ? "failed" : "done") : "planned";
    if (r) {
      c.finished_at = r[1];
      c.metrics = r[0] === null ? {} : { sharpness: r[0], other: -r[0] };
      c.files = r[0] === null ? [] : [`cell_${c.index}.png`];
      c.error = r[0] === null ? "boom" : null;
    }
  }
  return m;
}

const indices = (cells: { index: number }[]) => cells.map((c) => c.index);

describe("readSearch", () => {
  it("reads options.search, its goal in either spelling; none or a bad one: a sweep", () => {
    expect(readSearch({ objective: "s", budget: 8, sampler: "TPE", seed: 3, coarse_fraction: 0.25, goal: "lower" }))
      .toEqual({ objective: "s", budget: 8, sampler: "TPE", seed: 3, coarseFraction: 0.25, goal: "lower" });
    expect(readSearch({ objective: "s", budget: 8, goal: "lower is better" })?.goal).toBe("lower");
    expect(readSearch({ objective: "s", budget: 8, goal: "higher is better" })?.goal).toBe("higher");
    for (const raw of [undefined, null, {}, { objective: "" }, { budget: 3 }, "s"]) expect(readSearch(raw)).toBeNull();
  });

  it("marks the planned cells of a search as not run, never those of a dry run or a sweep", () => {
    const view = fromManifest(searched({ 0: [1, 10] }));
    expect(view.search?.objective).toBe("sharpness");
    expect([notRun(view, view.cells[0]!), notRun(view, view.cells[1]!)]).toEqual([false, true]);
    expect(describeCell(view, view.cells[1]!)).toContain("status: not run by the search");
    const dry = fromManifest({ ...searched({}), dry_run: true });
    expect(notRun(dry, dry.cells[1]!)).toBe(false);
    expect(describeCell(dry, dry.cells[1]!)).toContain("status: planned");
    const status = (v: ExperimentView, k: number) => tableColumns(v).find((c) => c.key === "status")!.text(v.cells[k]!);
    expect([status(view, 1), status(view, 0), status(dry, 1)]).toEqual(["not run", "done", "planned"]);
    const sweep = fourAxes();
    sweep.cells[1]!.status = "planned";
    const plain = fromManifest(sweep);
    expect([plain.search, notRun(plain, plain.cells[1]!)]).toEqual([null, false]);
  });
});

describe("bestCell", () => {
  it("picks the highest or the lowest value by the goal, among done cells only", () => {
    const run = { 3: [0.5, 10], 7: [2.5, 11], 11: [null, 12], 20: [-1, 13] } as Record<number, [number | null, number]>;
    const high = fromManifest(searched(run));
    expect(bestCell(high.cells, "sharpness", "higher")?.index).toBe(7);
    expect(bestCell(high.cells, "sharpness", "lower")?.index).toBe(20);
    expect(bestCell(high.cells, "other", "higher")?.index).toBe(20);  // other = -sharpness
  });

  it("skips missing, null and non-finite values and cells not done; none: null", () => {
    const view = fromManifest(searched({ 1: [3, 10], 2: [9, 11], 5: [4, 12] }));
    view.cells[2]!.metrics = { sharpness: null };
    view.cells[5]!.metrics = { sharpness: Number.NaN };
    expect(bestCell(view.cells, "sharpness", "higher")?.index).toBe(1);
    view.cells[1]!.status = "cancelled";
    expect(bestCell(view.cells, "sharpness", "higher")).toBeNull();
    expect(bestCell(view.cells, "nothing", "lower")).toBeNull();
    expect(bestCell(fromManifest(searched({})).cells, "sharpness", "higher")).toBeNull();
  });

  it("of equal values, picks the one run first", () => {
    const view = fromManifest(searched({ 2: [5, 30], 9: [5, 20], 4: [1, 10] }));
    expect(bestCell(view.cells, "sharpness", "higher")?.index).toBe(9);
  });
});

describe("searchHistory", () => {
  it("lists the done and failed cells by finished_at (not by index), with the best so far", () => {
    const view = fromManifest(searched({ 5: [2, 30], 1: [4, 40], 9: [null, 20], 17: [1, 10], 3: [6, 50] }));
    const h = searchHistory(view.cells, "sharpness", "higher");
    expect(indices(h.map((p) => p.cell))).toEqual([17, 9, 5, 1, 3]);
    expect(h.map((p) => p.value)).toEqual([1, null, 2, 4, 6]);
    expect(h.map((p) => p.best)).toEqual([1, 1, 2, 4, 6]);
    expect(searchHistory(view.cells, "sharpness", "lower").map((p) => p.best)).toEqual([1, 1, 1, 1, 1]);
  });

  it("places a failed cell without finished_at (the store writes none) by when it started", () => {
    const m = searched({ 0: [3, 10], 1: [null, 0], 2: [5, 30] });
    const failed = m.cells.find((c) => c.index === 1)!;
    failed.finished_at = null;
    failed.started_at = 20;
    const order = (mm: Manifest) => indices(searchHistory(fromManifest(mm).cells, "sharpness", "higher")
      .map((p) => p.cell));
    expect(order(m)).toEqual([0, 1, 2]);
    failed.started_at = null;
    expect(order(m)).toEqual([0, 2, 1]);  // no time at all: after the cells with one
  });

  it("puts a cell heard settling after every cell the manifest listed, whatever this page's clock", () => {
    const view = fromManifest(searched({ 0: [3, 4e12], 1: [1, 4e12 + 1] }));  // the server's clock far ahead
    const event = { experiment: view.id, index: 2, x: 2, y: 0, z: 0, status: "done" as const,
                    files: ["c.png"], done: 3, failed: 0, total: 24, metrics: { sharpness: 9 } };
    applyCellEvent(view, event, 1.5);
    expect(indices(searchHistory(view.cells, "sharpness", "higher").map((p) => p.cell))).toEqual([0, 1, 2]);
    expect(bestCell(view.cells, "sharpness", "higher")?.index).toBe(2);
    applyCellEvent(view, { ...event, status: "queued", files: [], metrics: {} }, null);  // a retry queues it again
    expect(view.cells[2]!.finished).toBeNull();
    expect(indices(searchHistory(view.cells, "sharpness", "higher").map((p) => p.cell))).toEqual([0, 1]);
  });
});

describe("chartGeometry", () => {
  const box = { width: 248, height: 100, left: 40, pad: 10 };  // plot: x 40..238, y 10..90

  it("spreads the runs over the budget's slots and the values over the height, the larger up", () => {
    const view = fromManifest(searched({ 0: [0, 1], 1: [10, 2], 2: [null, 3], 3: [5, 4] }));
    const g = chartGeometry(searchHistory(view.cells, "sharpness", "higher"), 9, box);
    expect(g.plot).toEqual({ left: 40, right: 238, top: 10, bottom: 90 });
    expect(g.points.map((p) => p.x)).toEqual([51, 73, 95, 117]);  // 22 px a slot, the first half a slot in
    expect([g.bottom, g.top]).toEqual([-0.8, 10.8]);  // an 8% margin either side
    const y = (v: number) => Math.round((90 - ((v + 0.8) * 80) / 11.6) * 10) / 10;
    expect(g.labels).toEqual([{ value: 10, y: y(10) }, { value: 0, y: y(0) }]);
    expect(g.points.map((p) => p.y)).toEqual([y(0), y(10), 90, y(5)]);
    expect(g.points.map((p) => p.failed)).toEqual([false, false, true, false]);
    expect(g.points[1]!.y).toBeLessThan(g.points[0]!.y);
    // the best so far: 0, then 10 from the second run on, to the last run
    expect(g.step).toBe(`M51 ${y(0)} H73 V${y(10)} H117`);
  });

  it("takes more slots than the budget when more cells ran, and centres a single value", () => {
    const view = fromManifest(searched({ 0: [7, 1], 1: [7, 2], 2: [7, 3] }));
    const g = chartGeometry(searchHistory(view.cells, "sharpness", "lower"), 2, box);
    expect(g.points.map((p) => p.x)).toEqual([73, 139, 205]);
    expect(g.points.every((p) => p.y === 50)).toBe(true);
    expect(g.step).toBe("M73 50 H205");
    expect(g.labels).toEqual([{ value: 7, y: 50 }]);
  });

  it("draws no step line and no dots before a value, failed cells on the axis", () => {
    const view = fromManifest(searched({ 4: [null, 1] }));
    const g = chartGeometry(searchHistory(view.cells, "sharpness", "higher"), 8, box);
    expect([g.step, g.points.length, g.points[0]!.y, g.points[0]!.failed]).toEqual(["", 1, 90, true]);
    expect([g.labels, chartGeometry([], 8, box).points]).toEqual([[], []]);
  });
});

describe("searchText", () => {
  it("titles the chart, names the best cell's values and counts the runs against the budget", () => {
    const view: ExperimentView = fromManifest(searched({ 13: [0.25, 1], 2: [null, 2], 0: [0.5, 3] }, "lower"));
    const text = searchText(view, view.search!, searchHistory(view.cells, "sharpness", "lower"));
    expect(text).toEqual({
      title: "sharpness (lower is better)",
      best: "best 0.25 at cfg 7, sampler euler, steps 10, seed 2",  // cell 13: at [1, 0, 0, 1]
      progress: "run 3 of budget 8 · 1 failed · TPE",
    });
    const none = fromManifest(searched({}));
    expect(searchText(none, none.search!, []).best).toBe("no value yet");
    const big = fromManifest(searched({}));
    big.search!.budget = 500;
    expect(searchText(big, big.search!, []).progress).toBe("run 0 of budget 24 · TPE");  // at most the cells
  });
});

describe("the viewer's search", () => {
  it("reads the export's search and finish times, so its history and best are the editor's", () => {
    const data = viewerData();
    data.search = { objective: "score", budget: 6, sampler: "random", seed: 1, coarse_fraction: 0, goal: "lower" };
    data.cells.forEach((c, k) => {
      (c as { finished_at?: number }).finished_at = 100 - k;  // run in the reverse of the index order
      if (k >= 6) c.status = "planned";
    });
    const ex = experiment(data);
    expect(ex.view.search?.goal).toBe("lower");
    const h = searchHistory(ex.view.cells, "score", "lower");
    expect(indices(h.map((p) => p.cell))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(bestCell(ex.view.cells, "score", "lower")?.index).toBe(0);
    expect([notRun(ex.view, ex.view.cells[7]!), notRun(ex.view, ex.view.cells[0]!)]).toEqual([true, false]);
    expect(experiment(viewerData()).view.search).toBeNull();
  });
});
