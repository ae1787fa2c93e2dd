import { describe, expect, it } from "vitest";
import { fromManifest } from "../src/experiment_view";
import { cellPin, clearPins, comparePairs, describeDifference, difference, pinLines, pinOf, readPins, slicePin,
         swapPins, togglePin } from "../src/explorer/compare";
import { initialState, moveValue, readState, settle, shownValues, stepSlider,
         toggleValue } from "../src/explorer/state";
import { fourAxes } from "./manifest3";

const view = () => fromManifest(fourAxes());
const start = () => settle(view(), initialState());
const shown = (state: ReturnType<typeof start>) => (slot: string) =>
  shownValues(state, view().axes.find((a) => a.slot === slot)!);

describe("pins", () => {
  it("pins two cells, unpins one pinned again, and drops the oldest for a third", () => {
    const v = view();
    const [c0, c1, c2] = [v.cells[0]!, v.cells[7]!, v.cells[23]!];
    let s = settle(v, togglePin(start(), cellPin(v, c0)));
    s = settle(v, togglePin(s, cellPin(v, c1)));
    expect(s.pins.map((p) => p.at)).toEqual([{ x: 0, y: 0, z: 0, axis4: 0 }, { x: 1, y: 0, z: 1, axis4: 0 }]);
    expect([pinOf(v, s, c0), pinOf(v, s, c1), pinOf(v, s, c2)]).toEqual([0, 1, -1]);
    expect(settle(v, togglePin(s, cellPin(v, c0))).pins).toEqual([cellPin(v, c1)]);
    const three = settle(v, togglePin(s, cellPin(v, c2)));
    expect(three.pins).toEqual([cellPin(v, c1), cellPin(v, c2)]);
    expect(swapPins(three).pins).toEqual([cellPin(v, c2), cellPin(v, c1)]);
    expect(clearPins(three).pins).toEqual([]);
  });

  it("compares two cells, their labels on every axis as text", () => {
    const v = view();
    const s = settle(v, togglePin(togglePin(start(), cellPin(v, v.cells[2]!)), cellPin(v, v.cells[3]!)));
    const pairs = comparePairs(v, s, shown(s));
    expect(pairs.map((p) => [p.a.index, p.b.index, p.where])).toEqual([[2, 3, ""]]);
    expect(pinLines(v, s.pins[0]!)).toEqual(["cfg: <b>9</b>", "sampler: euler", "steps: 10", "seed: 1"]);
  });

  it("pins two slices and compares them tile by tile, in the order and with the values the view shows", () => {
    const v = view();
    let s = settle(v, togglePin(start(), slicePin(v, start())));
    s = stepSlider(v, s, "axis4", 1);
    s = settle(v, togglePin(s, slicePin(v, s)));
    expect(s.pins.map((p) => [p.at, p.columns, p.rows])).toEqual([[{ z: 0, axis4: 0 }, "x", "y"],
                                                                  [{ z: 0, axis4: 1 }, "x", "y"]]);
    expect(pinLines(v, s.pins[1]!)).toEqual(["cfg: (across)", "sampler: (down)", "steps: 10", "seed: 2"]);
    expect(comparePairs(v, s, shown(s)).map((p) => [p.a.index, p.b.index])).toEqual(
      [[0, 12], [1, 13], [2, 14], [3, 15], [4, 16], [5, 17]]);
    s = moveValue(v, toggleValue(v, s, "x", 1), "x", 2, 0);
    const pairs = comparePairs(v, s, shown(s));
    expect(pairs.map((p) => [p.a.index, p.b.index])).toEqual([[2, 14], [0, 12], [5, 17], [3, 15]]);
    expect(pairs[0]!.where).toBe("cfg: <b>9</b> · sampler: euler");
    // a cell pinned after slices starts the pins afresh
    expect(settle(v, togglePin(s, cellPin(v, v.cells[0]!))).pins).toEqual([cellPin(v, v.cells[0]!)]);
  });

  it("keeps the pins through JSON, drops those the experiment does not have, and compares only with two", () => {
    const v = view();
    let s = settle(v, togglePin(togglePin(start(), cellPin(v, v.cells[2]!)), cellPin(v, v.cells[3]!)));
    s = { ...s, mode: "compare", compare: "difference" };
    expect(settle(v, readState(JSON.parse(JSON.stringify(s))))).toEqual(s);
    const junk = readPins([{ at: { x: 9, y: 0, z: 0, axis4: 0 }, columns: null, rows: null },
                           { at: { x: 1, y: 0, z: 0 }, columns: null, rows: null }, "pin", { at: [1] },
                           { at: { z: 0, axis4: 1 }, columns: "x", rows: "x" },
                           { at: { x: 1, y: 1, z: 1, axis4: 1 }, columns: null, rows: null }]);
    const repaired = settle(v, { ...s, pins: junk });
    expect(repaired.pins).toEqual([{ at: { x: 1, y: 1, z: 1, axis4: 1 }, columns: null, rows: null }]);
    expect(repaired.mode).toBe("grid");  // one pin: nothing to compare
    expect(settle(fromManifest({ ...fourAxes(), id: "e5" }), s).pins).toEqual([]);  // another experiment
  });
});

describe("the difference of two images", () => {
  const rgba = (...pixels: number[][]) => Uint8ClampedArray.from(pixels.flat());

  it("is the per-pixel |A - B| of red, green and blue, amplified so small differences show", () => {
    const d = difference(rgba([10, 20, 30, 255], [0, 0, 0, 255]), rgba([12, 20, 27, 0], [0, 0, 0, 255]));
    expect([d.mean, d.max, d.gain, d.changed]).toEqual([5 / 6, 3, 85, 0.5]);
    expect(d.gain).toBe(85);
    expect([...d.pixels]).toEqual([170, 0, 255, 255, 0, 0, 0, 255]);
    expect(describeDifference(d)).toBe("mean |A − B| 0.83 of 255 · max 3 · 50.0% of pixels differ · shown ×85");
  });

  it("is zero for two equal images, and full for black and white", () => {
    const same = difference(rgba([9, 9, 9, 255]), rgba([9, 9, 9, 255]));
    expect([same.mean, same.max, same.gain, same.changed, [...same.pixels]]).toEqual([0, 0, 1, 0, [0, 0, 0, 255]]);
    const full = difference(rgba([0, 0, 0, 255]), rgba([255, 255, 255, 255]));
    expect([full.mean, full.gain]).toEqual([255, 1]);
    expect(() => difference(rgba([0, 0, 0, 255]), rgba([0, 0, 0, 255], [0, 0, 0, 255]))).toThrow(/4 and 8 bytes/);
  });
});
