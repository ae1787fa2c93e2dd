import { describe, expect, it } from "vitest";
import { applyCellEvent, applyExperimentEvent, canResume, canRetry, describeCell, fromManifest,
         secondsLeft } from "../src/experiment_view";
import { formatMetric, formatSeconds } from "../src/format";
import { manifest } from "./manifest";
import { fourAxes } from "./manifest3";

/** The cell of the 3 x 2 x 2 fixture at x, y, z. */
const cellAt = (view: ReturnType<typeof fromManifest>, x: number, y: number, z: number) =>
  view.cells[x + 3 * (y + 2 * z)]!;

describe("fromManifest", () => {
  it("places every cell at its coordinates and reads the axes", () => {
    const view = fromManifest(manifest());
    expect(view.cells.length).toBe(12);
    expect([view.slots, view.sizes]).toEqual([["x", "y", "z"], [3, 2, 2]]);
    expect(cellAt(view, 2, 1, 1).index).toBe(11);
    expect(cellAt(view, 2, 1, 1).at).toEqual([2, 1, 1]);  // schema 2: derived from x, y, z
    expect(view.axes[0]!.labels).toEqual(["5", "7", "<b>9</b>"]);
    expect(view.axes[2]!.title).toBe("steps");
    expect(view.total).toBe(12);
  });

  it("fills a coordinate with no cell as queued, so the grid has no hole", () => {
    const m = manifest();
    m.cells = m.cells.filter((c) => c.index !== 4);
    const view = fromManifest(m);
    expect(cellAt(view, 1, 1, 0).status).toBe("queued");
    expect(cellAt(view, 1, 1, 0).index).toBe(4);
  });
});

describe("schema 3", () => {
  it("reads any number of axes: the shape in slot order, each cell placed by its `at`", () => {
    const m = fourAxes();
    m.cells.reverse();  // placed by `at`, not by the list's order
    const view = fromManifest(m);
    expect([view.slots, view.sizes, view.axes.map((a) => a.position)]).toEqual([
      ["x", "y", "z", "axis4"], [3, 2, 2, 2], [0, 1, 2, 3]]);
    expect(view.cells.map((c) => c.index)).toEqual([...Array(24).keys()]);
    expect([view.cells[17]!.at, view.cells[17]!.z]).toEqual([[2, 1, 0, 1], 2]);  // grid number 2
    expect(describeCell(view, view.cells[17]!).slice(0, 4)).toEqual(["cfg: <b>9</b>", "sampler: dpm", "steps: 10",
                                                                     "seed: 2"]);
  });

  it("skips a slot without an axis (one value) and a cell outside the shape", () => {
    const m = fourAxes();
    m.shape = { x: 3, y: 2, z: 1, axis4: 2 };
    m.axes = m.axes.filter((a) => a.slot !== "z");
    m.cells = m.cells.filter((c) => c.at.z === 0);
    m.cells.push({ ...m.cells[0]!, index: 99, at: { x: 5, y: 0, z: 0, axis4: 0 }, status: "done" });
    const view = fromManifest(m);
    expect([view.sizes, view.axes.map((a) => `${a.slot}@${a.position}`)]).toEqual([[3, 2, 1, 2],
      ["x@0", "y@1", "axis4@3"]]);
    expect(view.cells.length).toBe(12);
    expect(view.cells.every((c) => c.status === "queued")).toBe(true);
    expect(view.cells[7]!.at).toEqual([1, 0, 0, 1]);
  });

  it("derives a schema-2 cell's `at` from its grid number over the slots after Y", () => {
    const m = fourAxes();
    for (const c of m.cells) delete (c as { at?: unknown }).at;
    m.schema = "xyz-studio/manifest/2";
    m.cells[13]!.status = "done";  // x 1, y 0, grid 2: steps 10, seed 2
    const view = fromManifest(m);
    expect(view.cells[13]!.at).toEqual([1, 0, 0, 1]);
    expect(view.cells[13]!.status).toBe("done");
  });
});

describe("events", () => {
  it("a cell event updates that cell and the counts, and only for its experiment", () => {
    const view = fromManifest(manifest());
    const event = { experiment: "e1", index: 7, x: 1, y: 0, z: 1, status: "done" as const,
                    files: ["cells/x001_y000_z001.png"], done: 1, failed: 0, total: 12 };
    const cell = applyCellEvent(view, event, 2.5);
    expect(cell?.files).toEqual(["cells/x001_y000_z001.png"]);
    expect(cellAt(view, 1, 0, 1).seconds).toBe(2.5);
    expect(view.done).toBe(1);
    expect(applyCellEvent(view, { ...event, experiment: "other" }, null)).toBeNull();
    expect(applyCellEvent(view, { ...event, x: 9 }, null)).toBeNull();
  });

  it("an experiment event moves the status; what the buttons offer follows it", () => {
    const view = fromManifest(manifest());
    expect(canResume(view)).toBe(false);
    applyExperimentEvent(view, { experiment: "e1", status: "cancelled", total: 12, done: 3, failed: 1 });
    expect(view.status).toBe("cancelled");
    expect(canResume(view)).toBe(true);
    expect(canRetry(view)).toBe(true);
    applyExperimentEvent(view, { experiment: "e1", status: "running", total: 12, done: 3, failed: 1 });
    expect(canRetry(view)).toBe(false);  // not while it runs
  });
});

describe("text", () => {
  it("describes a cell by its axis titles and labels, as given (no markup is made of them)", () => {
    const view = fromManifest(manifest());
    const cell = cellAt(view, 2, 1, 0);
    cell.seconds = 12.34;
    expect(describeCell(view, cell)).toEqual(["cfg: <b>9</b>", "sampler: dpm", "steps: 10", "time: 12 s"]);
    cell.seconds = null;
    cell.status = "failed";
    cell.error = "out of memory";
    expect(describeCell(view, cell).slice(-2)).toEqual(["status: failed", "error: out of memory"]);
  });

  it("formats durations", () => {
    expect(formatSeconds(3.21)).toBe("3.2 s");
    expect(formatSeconds(75)).toBe("1:15");
    expect(formatSeconds(3725)).toBe("1:02:05");
    expect(formatSeconds(Number.NaN)).toBe("?");
  });

  it("estimates the time left at the pace so far", () => {
    expect(secondsLeft(0, 10, 5)).toBeNull();
    expect(secondsLeft(5, 10, 50)).toBe(50);
    expect(secondsLeft(10, 10, 50)).toBe(0);
  });
});

describe("metrics", () => {
  it("come from the manifest and the events, and the hover lists them with missing ones as a dash", () => {
    const m = manifest();
    m.cells[0]!.metrics = { score: 0.123456, width: null };
    const view = fromManifest(m);
    expect(cellAt(view, 0, 0, 0).metrics).toEqual({ score: 0.123456, width: null });
    expect(cellAt(view, 1, 0, 0).metrics).toEqual({});
    const lines = describeCell(view, cellAt(view, 0, 0, 0));
    expect(lines).toContain("score: 0.1235");
    expect(lines).toContain("width: –");
    applyCellEvent(view, { experiment: "e1", index: 1, x: 1, y: 0, z: 0, status: "done", files: ["a.png"], done: 1,
                           failed: 0, total: 12, metrics: { score: 2 } }, null);
    expect(cellAt(view, 1, 0, 0).metrics).toEqual({ score: 2 });
  });

  it("are written with 4 significant digits, a whole number from 1000", () => {
    expect([formatMetric(1), formatMetric(12345.6), formatMetric(0.00001234), formatMetric(-0.5), formatMetric(null)])
      .toEqual(["1", "12346", "1.234e-5", "-0.5", "–"]);
  });
});

describe("several servers", () => {
  it("the hover names the server of a finished cell, from the manifest or the event", () => {
    const m = manifest();
    m.options = { servers: { urls: ["http://10.0.0.2:8188"] } };
    m.cells[0]!.status = "done";
    m.cells[0]!.worker = "http://10.0.0.2:8188";
    m.cells[1]!.worker = "http://10.0.0.3:8188";  // sent there, not back yet
    const view = fromManifest(m);
    expect(describeCell(view, cellAt(view, 0, 0, 0))).toContain("server: http://10.0.0.2:8188");
    expect(describeCell(view, cellAt(view, 1, 0, 0)).some((l) => l.startsWith("server:"))).toBe(false);
    applyCellEvent(view, { experiment: "e1", index: 1, x: 1, y: 0, z: 0, status: "done", files: ["a.png"], done: 2,
                           failed: 0, total: 12, worker: "http://10.0.0.4:8188" }, null);
    expect(describeCell(view, cellAt(view, 1, 0, 0))).toContain("server: http://10.0.0.4:8188");
  });

  it("an experiment on one server does not name it", () => {
    const m = manifest();
    m.cells[0]!.status = "done";
    m.cells[0]!.worker = "http://127.0.0.1:8188";
    const view = fromManifest(m);
    expect(describeCell(view, cellAt(view, 0, 0, 0)).some((l) => l.startsWith("server:"))).toBe(false);
  });
});
