import { describe, expect, it } from "vitest";
import { experiment, type ViewState } from "../src/viewer/view_model";
import { fromHash, initialView, toHash } from "../src/viewer/url";
import { viewerData } from "./view_model_data";

describe("the viewer's view in the URL", () => {
  it("round-trips the whole view: pivot, positions, toggles, mode, sort, filter, active slider, zoom, heat", () => {
    const ex = experiment(viewerData());
    const view: ViewState = { ...initialView(ex), columns: "z", rows: "x", at: { x: 0, y: 1, z: 0 },
                              hidden: { x: [1] }, mode: "table", sort: { key: "metric:score", descending: true },
                              filter: "dpm & <b> 20%", active: "y", zoom: 300, heat: "score" };
    const hash = toHash(view);
    expect(hash).toContain("cols=z&rows=x&at=x:0,y:1,z:0&off=x:1&mode=table&sort=-metric%3Ascore");
    expect(fromHash(ex, hash)).toEqual(view);
    expect(fromHash(ex, toHash(initialView(ex)))).toEqual(initialView(ex));
  });

  it("opens a hash of the former viewer (axes and positions by number) as the same view", () => {
    const ex = experiment(viewerData());
    expect(fromHash(ex, "#cols=2&rows=0&at=0,1,1&zoom=300&heat=score")).toMatchObject(
      { columns: "z", rows: "x", at: { y: 1 }, zoom: 300, heat: "score", mode: "grid" });
    expect(fromHash(ex, "#cols=1&rows=none&at=2,0,1&zoom=192")).toMatchObject({ columns: "y", rows: null,
                                                                              at: { x: 2, z: 1 } });
  });

  it("repairs what it cannot use, and carries any further explorer field as JSON", () => {
    const ex = experiment(viewerData());
    const hash = "#cols=9&rows=q&at=x:5,y:-1,z:x&off=x:0.1.2;w:1&mode=pie&sort=nope&zoom=99999&heat=%";
    const repaired = fromHash(ex, hash);
    // x's positions 0 and 1 are toggled off: its position 5 (out of range) lands on the shown value 2
    expect(repaired).toMatchObject({ columns: "x", rows: "y", at: { x: 2, y: 0, z: 0 }, hidden: { x: [0, 1] },
                                     mode: "grid", sort: null, zoom: 768, heat: null });
    const extra = { ...initialView(ex), later: { a: [1, 2] } } as ViewState;
    expect(toHash(extra)).not.toContain("later");  // only fields the explorer's state has
    expect(fromHash(ex, toHash(initialView(ex)) + "&later=%7B%7D")).toEqual(initialView(ex));
  });

  it("keeps a field the explorer gained (the values' order) in the URL, as JSON its readState() reads", () => {
    const ex = experiment(viewerData());
    if (!("order" in initialView(ex))) return;  // the explorer's state before value order: nothing to carry
    const view = { ...initialView(ex), order: { x: [2, 0, 1] } } as ViewState;
    expect(toHash(view)).toContain(`order=${encodeURIComponent(JSON.stringify({ x: [2, 0, 1] }))}`);
    expect(fromHash(ex, toHash(view))).toEqual(view);
  });
});
