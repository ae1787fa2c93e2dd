import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromManifest } from "../src/experiment_view";
import { exportItems, flipbookItems } from "../src/export_menu";
import { initialState, moveSlider, pivotColumns, settle, toggleValue } from "../src/explorer/state";
import { manifest3, fourAxes } from "./manifest3";

// the routes' URLs go through ComfyUI's api: a stand-in that prefixes /api, as ComfyUI's does
const g = globalThis as Record<string, unknown>;
beforeEach(() => {
  g["comfyAPI"] = { api: { api: { apiURL: (path: string) => `/api${path}` } } };
});
afterEach(() => {
  delete g["comfyAPI"];
});

const query = (href: string) => Object.fromEntries(new URL(href, "http://host").searchParams);

describe("the export menu's flipbook", () => {
  it("runs along the active slider, the other sliders where they stand, columns and rows at their first shown value", () => {
    const view = fromManifest(fourAxes());
    let state = settle(view, initialState());
    state = moveSlider(view, state, "z", 1);
    state = moveSlider(view, state, "axis4", 1);  // the active slider now
    state = toggleValue(view, state, "x", 0);     // the columns start at cfg 7
    const [webp, gif] = flipbookItems(view, state);
    expect(webp!.label).toBe("Flipbook along seed (WebP)");
    expect(gif!.label).toBe("Flipbook along seed (GIF)");
    expect(webp!.href.split("?")[0]).toBe("/api/xyz_studio/experiments/e4/export/flipbook");
    expect(query(webp!.href)).toEqual({ axis: "axis4", at: "x=1,y=0,z=1", format: "webp", ms: "500" });
    expect(query(gif!.href)).toEqual({ axis: "axis4", at: "x=1,y=0,z=1", format: "gif", ms: "500" });
    expect(webp!.href).toContain("at=x%3D1%2Cy%3D0%2Cz%3D1");  // encoded, not raw
    expect(webp!.download).toBe("xyz-e4-axis4.webp");
    expect(exportItems(view, state).map((i) => i.label)).toContain("Flipbook along seed (GIF)");
  });

  it("follows a pivot: the axis that became a slider holds its value, the one now across is at its first", () => {
    const view = fromManifest(fourAxes());
    let state = moveSlider(view, settle(view, initialState()), "z", 1);
    state = pivotColumns(view, state, "axis4");  // x becomes a slider at 0; the active one is z again
    state = moveSlider(view, state, "x", 2);
    expect(query(flipbookItems(view, state)[0]!.href)).toEqual(
      { axis: "x", at: "y=0,z=1,axis4=0", format: "webp", ms: "500" });
  });

  it("runs along the columns axis when there is no slider, and escapes an odd id", () => {
    const m = manifest3({ x: 3, y: 2 }, fourAxes().axes.slice(0, 2), "a b&c");
    const view = fromManifest(m);
    const state = toggleValue(view, settle(view, initialState()), "y", 0);
    const [webp] = flipbookItems(view, state);
    expect(webp!.label).toBe("Flipbook along cfg (WebP)");
    expect(webp!.href.split("?")[0]).toBe("/api/xyz_studio/experiments/a%20b%26c/export/flipbook");
    expect(query(webp!.href)).toEqual({ axis: "x", at: "y=1", format: "webp", ms: "500" });
  });

  it("offers none without a view state, or along an axis of one value", () => {
    const view = fromManifest(fourAxes());
    expect(exportItems(view).some((i) => i.label.startsWith("Flipbook"))).toBe(false);
    const single = fromManifest(manifest3({ x: 1 }, []));
    expect(flipbookItems(single, settle(single, initialState()))).toEqual([]);
  });
});
