import { describe, expect, it } from "vitest";
import { rowMeta } from "../src/sidebar_row";
import type { ExperimentRow } from "../src/routes";

function row(over: Partial<ExperimentRow>): ExperimentRow {
  return { id: "e1", name: "n", created: 1, updated: 1, finished: null, status: "running", dry_run: false, total: 400,
           grids: [], counts: { done: 4 }, shape: { x: 5, y: 4, z: 4, axis4: 5 }, cover: null, disk_bytes: 0,
           search_budget: null, ...over };
}

describe("a sidebar row's line of facts", () => {
  it("gives every axis of the shape and a sweep's cells done of all", () => {
    expect(rowMeta(row({}))).toBe("5 × 4 × 4 × 5 · running · 4/400 done");
    expect(rowMeta(row({ shape: null, counts: { done: 2, failed: 1 } }))).toBe("? · running · 2/400 done · 1 failed");
  });

  it("counts a search's cells against its budget, not against every cell it leaves unrun", () => {
    expect(rowMeta(row({ search_budget: 80 }))).toBe("5 × 4 × 4 × 5 · running · search · 4/80 run of 400");
    // a budget beyond the cells: all of them
    expect(rowMeta(row({ search_budget: 1000, total: 12, shape: { x: 3, y: 4 } })))
      .toBe("3 × 4 · running · search · 4/12 run of 12");
  });
});
