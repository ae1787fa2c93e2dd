import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromManifest } from "../src/experiment_view";
import { exportItems } from "../src/export_menu";
import { manifest } from "./manifest";
import { fourAxes } from "./manifest3";

// the routes' URLs go through ComfyUI's api: a stand-in that prefixes /api, as ComfyUI's does
const g = globalThis as Record<string, unknown>;
beforeEach(() => {
  g["comfyAPI"] = { api: { api: { apiURL: (path: string) => `/api${path}` } } };
});
afterEach(() => {
  delete g["comfyAPI"];
});

describe("the export menu", () => {
  it("names each grid of a schema-3 experiment by its labels on the axes after Y", () => {
    const m = fourAxes();
    m.grids = [{ z: 3, file: "grids/grid_z003.png", width: 10, height: 10, labels: { z: "20", axis4: "2" } }];
    const [grid] = exportItems(fromManifest(m));
    expect(grid!.label).toBe("Grid · steps: 20 · seed: 2 (PNG)");
    expect(grid!.download).toBe("xyz-e4-grid_z003.png");
  });

  it("offers each super-grid, named by its labels on the axes after Z", () => {
    const m = fourAxes();
    m.super_grids = [{ index: 1, file: "grids/super_001.png", width: 10, height: 10, labels: { axis4: "2" } }];
    expect(exportItems(fromManifest(m)).map((i) => i.label)).toContain("Super-grid · seed: 2 (PNG)");
  });

  it("names a schema-2 grid by the Z value its file name gives", () => {
    const m = manifest();
    m.grids = [{ z: 1, file: "grids/grid_z001.png", width: 10, height: 10 } as (typeof m.grids)[number]];
    expect(exportItems(fromManifest(m))[0]!.label).toBe("Grid · steps: 20 (PNG)");
  });
});
