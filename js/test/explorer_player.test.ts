import { describe, expect, it } from "vitest";
import { fromManifest } from "../src/experiment_view";
import { nextFrame } from "../src/explorer/player";
import { initialState, moveValue, settle, stepSlider, toggleValue } from "../src/explorer/state";
import { fourAxes } from "./manifest3";

const view = () => fromManifest(fourAxes());
const start = () => settle(view(), initialState());

describe("the explorer's player", () => {
  it("steps the active slider one shown value a frame, from the last round to the first", () => {
    const v = view();
    let s = start();  // sliders z and axis4 (two values each); z is active
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      s = nextFrame(v, s)!;
      seen.push(s.at.z!);
    }
    expect(seen).toEqual([1, 0, 1, 0]);
    expect(s.at.axis4).toBe(0);  // the other slider stays
  });

  it("plays the slider the user picked, in the axis's own order, skipping values toggled off", () => {
    const v = view();
    let s = stepSlider(v, start(), "axis4", 0);  // axis4 active
    s = moveValue(v, s, "axis4", 1, 0);  // its second value first: the order is 1, 0, and it stands at 0, the last
    s = nextFrame(v, s)!;
    expect([s.at.axis4, s.at.z]).toEqual([1, 0]);  // round to the first in its order; z stays
    expect(nextFrame(v, s)!.at.axis4).toBe(0);
    const one = toggleValue(v, start(), "z", 1);  // z has one value left: nothing to play on it
    expect(nextFrame(v, one)).toBeNull();
  });

  it("has nothing to play in the table or without a slider", () => {
    const v = view();
    expect(nextFrame(v, { ...start(), mode: "table" })).toBeNull();
    expect(nextFrame(v, settle(v, { ...start(), columns: "z", rows: "axis4" }))).not.toBeNull();  // x, y sliders
  });
});
