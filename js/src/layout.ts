// Sizing the grid inside a panel of a given size: pure maths, unit-tested.

export interface GridFit {
  tile: number;      // px, the side of a square tile
  labelWidth: number; // px, the row-label column
  headerHeight: number; // px, the column-label row
}

export const MIN_TILE = 24;
export const MAX_TILE = 256;

/** The largest square tile with which `columns` x `rows` tiles and their labels fit in
 * width x height (at least MIN_TILE, so a tiny panel scrolls instead of vanishing). */
export function fitGrid(width: number, height: number, columns: number, rows: number, gap = 2,
                        labelWidth = 72, headerHeight = 28): GridFit {
  const usableW = Math.max(0, width - labelWidth - gap * (columns + 1));
  const usableH = Math.max(0, height - headerHeight - gap * (rows + 1));
  const tile = Math.floor(Math.min(usableW / Math.max(1, columns), usableH / Math.max(1, rows)));
  return { tile: Math.max(MIN_TILE, Math.min(MAX_TILE, tile)), labelWidth, headerHeight };
}

/** The thumbnail size to ask for a tile shown at `tile` CSS px on a `dpr` screen. */
export function thumbnailSize(tile: number, dpr: number): number {
  const wanted = Math.ceil(tile * Math.max(1, dpr));
  for (const size of [64, 128, 256, 512]) if (size >= wanted) return size;
  return 512;
}
