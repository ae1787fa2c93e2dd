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

  it("keeps the values' order in the URL as text, and opens a link that wrote it as JSON", () => {
    const ex = experiment(viewerData());
    const view: ViewState = { ...initialView(ex), order: { x: [2, 0, 1], z: [1, 0] } };
    const hash = toHash(view);
    expect(hash).toContain("&order=x:2.0.1;z:1.0&");
    expect(fromHash(ex, hash)).toEqual(view);
    const former = `${toHash(initialView(ex))}&order=${encodeURIComponent(JSON.stringify({ x: [2, 0, 1] }))}`;
    expect(fromHash(ex, former)).toEqual({ ...initialView(ex), order: { x: [2, 0, 1] } });
    // not a permutation: made one (valid indices once each, then the missing ones)
    expect(fromHash(ex, "#cols=x&rows=y&order=x:2.2.9;y:1").order).toEqual({ x: [2, 0, 1], y: [1, 0] });
  });

  it("round-trips two pinned cells in compare (wipe), with the order and toggles", () => {
    const ex = experiment(viewerData());
    const view: ViewState = { ...initialView(ex), mode: "compare", compare: "wipe", order: { x: [1, 0, 2] },
                              hidden: { y: [0] }, at: { x: 0, y: 1, z: 0 },
                              pins: [{ at: { x: 0, y: 1, z: 0 }, columns: null, rows: null },
                                     { at: { x: 2, y: 0, z: 1 }, columns: null, rows: null }] };
    const hash = toHash(view);
    expect(hash).toContain("&pins=x:0,y:1,z:0;x:2,y:0,z:1&compare=wipe");
    expect(hash).toContain("mode=compare");
    expect(fromHash(ex, hash)).toEqual(view);
  });

  it("round-trips two pinned slices and the tile compared; repairs or drops pins it cannot use", () => {
    const ex = experiment(viewerData());
    const slices: ViewState = { ...initialView(ex), mode: "compare", compare: "difference", pair: 3,
                                pins: [{ at: { z: 0 }, columns: "x", rows: "y" },
                                       { at: { z: 1 }, columns: "x", rows: "y" }] };
    const hash = toHash(slices);
    expect(hash).toContain("&pins=z:0/x/y;z:1/x/y&compare=difference&pair=3");
    expect(fromHash(ex, hash)).toEqual(slices);
    // a slice of one row (no rows axis)
    const row: ViewState = { ...initialView(ex), rows: null,
                             pins: [{ at: { y: 1, z: 0 }, columns: "x", rows: null },
                                    { at: { y: 0, z: 1 }, columns: "x", rows: null }] };
    expect(toHash(row)).toContain("pins=y:1,z:0/x/;y:0,z:1/x/");
    expect(fromHash(ex, toHash(row))).toEqual(row);
    // out of range, of another kind, an axis it lacks: dropped; with one pin left, no compare
    const bad = fromHash(ex, "#cols=x&rows=y&mode=compare&pins=x:9,y:0,z:0;z:0/x/y;z:1/q/y;junk");
    expect(bad.pins).toEqual([{ at: { z: 0 }, columns: "x", rows: "y" }]);
    expect(bad.mode).toBe("grid");
    // pins written as JSON (any explorer field rode along as JSON before) still open
    const json = `${toHash(initialView(ex))}&mode=compare&pins=${encodeURIComponent(JSON.stringify(slices.pins))}`;
    expect(fromHash(ex, json)).toMatchObject({ mode: "compare", pins: slices.pins });
  });
});
