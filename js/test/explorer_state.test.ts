import { describe, expect, it } from "vitest";
import { fromManifest } from "../src/experiment_view";
import { slice, sliceKey, tableRows } from "../src/explorer/model";
import { activeSlider, initialState, moveSlider, moveValue, pivotColumns, pivotRows, readState, settle, shiftValue,
         shownValues, sliderAxes, stepSlider, swapAxes, swappedXY, toggleValue } from "../src/explorer/state";
import { manifest } from "./manifest";
import { fourAxes } from "./manifest3";

const view = () => fromManifest(fourAxes());
const start = () => settle(view(), initialState());
const slots = (axes: { slot: string }[]) => axes.map((a) => a.slot);

describe("the explorer's view state", () => {
  it("starts with X across, Y down and a slider at the first value of every other axis", () => {
    const s = start();
    expect([s.columns, s.rows, s.experiment]).toEqual(["x", "y", "e4"]);
    expect(s.at).toEqual({ x: 0, y: 0, z: 0, axis4: 0 });
    expect(slots(sliderAxes(view(), s))).toEqual(["z", "axis4"]);
    expect(activeSlider(view(), s)?.slot).toBe("z");
  });

  it("pivots any axis across or down; the axis it displaces takes the other place", () => {
    const v = view();
    let s = pivotColumns(v, start(), "axis4");
    expect([s.columns, s.rows]).toEqual(["axis4", "y"]);
    expect(slots(sliderAxes(v, s))).toEqual(["x", "z"]);
    s = pivotColumns(v, s, "y");  // the rows axis across: the former columns go down
    expect([s.columns, s.rows]).toEqual(["y", "axis4"]);
    s = pivotRows(v, s, "y");
    expect([s.columns, s.rows]).toEqual(["axis4", "y"]);
    s = pivotRows(v, s, null);
    expect([s.columns, s.rows]).toEqual(["axis4", null]);
    expect(slots(sliderAxes(v, s))).toEqual(["x", "y", "z"]);
    expect(pivotRows(v, s, "axis4")).toBe(s);  // the columns need an axis
    expect(pivotColumns(v, s, "nope")).toBe(s);
  });

  it("swaps columns and rows in one step, and says when that is the former X/Y swap", () => {
    const v = view();
    const s = swapAxes(v, start());
    expect([s.columns, s.rows, swappedXY(s)]).toEqual(["y", "x", true]);
    expect(swappedXY(swapAxes(v, pivotColumns(v, start(), "z")))).toBe(false);
  });

  it("steps a slider within its values, skipping the ones toggled off, and remembers which it was", () => {
    const v = view();
    let s = stepSlider(v, start(), "axis4", 1);
    expect([s.at.axis4, s.active]).toEqual([1, "axis4"]);
    expect(stepSlider(v, s, "axis4", 1).at.axis4).toBe(1);  // clamped at the end
    expect(stepSlider(v, s, "axis4", -5).at.axis4).toBe(0);
    expect(activeSlider(v, s)?.slot).toBe("axis4");
    s = toggleValue(v, s, "x", 1);
    s = pivotColumns(v, s, "y");  // x now goes down the rows... (rows were y: x goes down)
    s = pivotRows(v, s, "z");     // ...and x becomes a slider
    expect(slots(sliderAxes(v, s))).toEqual(["x", "axis4"]);
    s = stepSlider(v, s, "x", 1);
    expect(s.at.x).toBe(2);       // value 1 is off: straight to 2
    expect(moveSlider(v, s, "x", 1).at.x).toBe(2);
  });

  it("toggles values off and on, never the last one, and moves a slider off a value toggled off", () => {
    const v = view();
    let s = stepSlider(v, start(), "z", 1);
    s = toggleValue(v, s, "z", 1);
    expect([s.hidden.z, s.at.z]).toEqual([[1], 0]);
    expect(toggleValue(v, s, "z", 0)).toBe(s);  // the last shown value of steps stays
    expect(shownValues(s, v.axes[2]!)).toEqual([0]);
    s = toggleValue(v, s, "z", 1);
    expect(s.hidden.z).toBeUndefined();
    expect(toggleValue(v, s, "x", 7)).toBe(s);
  });

  it("reads itself back from a node's properties as JSON, and repairs what it cannot use", () => {
    const v = view();
    let s = toggleValue(v, stepSlider(v, pivotColumns(v, start(), "z"), "axis4", 1), "x", 2);
    s = { ...s, mode: "table", sort: { key: "axis:y", descending: true }, filter: "euler" };
    expect(settle(v, readState(JSON.parse(JSON.stringify(s))))).toEqual(s);
    const junk = readState({ columns: 3, rows: "q", at: { z: 9, axis4: "1" }, hidden: { x: [0, 1, 2], y: "0" },
                             mode: "cards", sort: { key: "metric:nope" }, experiment: "e4" });
    const repaired = settle(v, junk);
    expect([repaired.columns, repaired.rows, repaired.mode, repaired.sort]).toEqual(["x", "y", "grid", null]);
    expect(repaired.at).toEqual({ x: 2, y: 0, z: 0, axis4: 0 });  // off the values toggled off
    expect(repaired.hidden).toEqual({ x: [0, 1] });  // one value of cfg stays shown
  });

  it("keeps the pivot for another experiment, and starts its positions, toggles and filter afresh", () => {
    const v = view();
    const s = { ...toggleValue(v, stepSlider(v, pivotColumns(v, start(), "z"), "axis4", 1), "x", 2), filter: "dpm" };
    const other = fromManifest({ ...fourAxes(), id: "e5" });
    const t = settle(other, s);
    expect([t.experiment, t.columns, t.rows, t.at.axis4, t.hidden, t.filter]).toEqual(["e5", "z", "y", 0, {}, ""]);
  });

  it("migrates the former X/Y swap of a node saved before, and fits a three-axis experiment", () => {
    const old = fromManifest(manifest());
    const s = settle(old, readState(undefined, true));
    expect([s.columns, s.rows, swappedXY(s)]).toEqual(["y", "x", true]);
    expect(slots(sliderAxes(old, s))).toEqual(["z"]);
    const saved = settle(old, readState({ columns: "axis4", rows: "z" }));  // of a wider experiment
    expect([saved.columns, saved.rows]).toEqual(["x", "z"]);
  });
});

describe("the values' order", () => {
  it("moves a value to any place of its axis, or a step along it, and the grid, sliders and sort follow", () => {
    const v = view();
    let s = moveValue(v, start(), "x", 2, 0);
    expect(s.order).toEqual({ x: [2, 0, 1] });
    expect(shownValues(s, v.axes[0]!)).toEqual([2, 0, 1]);
    expect(slice(v, s).cells[0]!.map((c) => c.index)).toEqual([2, 0, 1]);
    expect(sliceKey(v, s)).not.toBe(sliceKey(v, start()));
    s = shiftValue(v, s, "x", 2, 1);
    expect(s.order.x).toEqual([0, 2, 1]);
    expect(shiftValue(v, s, "x", 1, 5).order.x).toEqual([0, 2, 1]);  // at the end already
    expect(shiftValue(v, s, "x", 1, -1).order).toEqual({});  // back to the values' own order
    // a slider steps in the order shown, and a value toggled off is skipped
    s = moveValue(v, start(), "z", 1, 0);
    expect(s.at.z).toBe(0);
    expect(stepSlider(v, s, "z", -1).at.z).toBe(1);
    expect(stepSlider(v, stepSlider(v, s, "z", -1), "z", 1).at.z).toBe(0);
    // the table's sort by an axis goes by the order shown
    s = { ...moveValue(v, start(), "y", 1, 0), sort: { key: "axis:y", descending: false } };
    expect(tableRows(v, s).slice(0, 3).map((c) => c.at[1])).toEqual([1, 1, 1]);
  });

  it("is always a permutation of the axis's values, read back from JSON", () => {
    const v = view();
    const s = settle(v, readState({ experiment: "e4", order: { x: [2, 2, 7, "a"], y: [1, 0], z: [0, 1], q: [1] } }));
    expect(s.order).toEqual({ x: [2, 0, 1], y: [1, 0] });
    expect(settle(v, readState(JSON.parse(JSON.stringify(s))))).toEqual(s);
    expect(settle(fromManifest({ ...fourAxes(), id: "e5" }), s).order).toEqual({});  // another experiment
  });
});
