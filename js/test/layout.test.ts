import { describe, expect, it } from "vitest";
import { fitGrid, MAX_TILE, MIN_TILE, thumbnailSize } from "../src/layout";

describe("fitGrid", () => {
  it("takes the largest square tile that fits both ways", () => {
    const fit = fitGrid(72 + 4 * 100 + 5 * 2, 28 + 3 * 100 + 4 * 2, 4, 3);
    expect(fit.tile).toBe(100);
    expect(fitGrid(1000, 200, 4, 3).tile).toBe(Math.floor((200 - 28 - 8) / 3));  // height-bound
  });

  it("never goes below or above its bounds", () => {
    expect(fitGrid(50, 50, 20, 20).tile).toBe(MIN_TILE);
    expect(fitGrid(5000, 5000, 1, 1).tile).toBe(MAX_TILE);
  });
});

describe("thumbnailSize", () => {
  it("asks for the next listed size up, counting the screen's pixel ratio", () => {
    expect(thumbnailSize(60, 1)).toBe(64);
    expect(thumbnailSize(100, 2)).toBe(256);
    expect(thumbnailSize(400, 2)).toBe(512);
  });
});
