// Compare, the pure part: the two cells or two slices pinned (kept in the view state), the pairs of
// cells they compare, and the per-pixel difference of two images. No DOM (test/explorer_compare.test.ts).
import { cellIndex, cellLabel, type CellView, type ExperimentView } from "../experiment_view";
import type { ExplorerState } from "./state";

/** A pinned cell (`columns` null: `at` holds every axis) or slice (`at` holds every axis but the
 * slice's columns and rows axes, which run over the values the view shows). */
export interface Pin {
  at: Record<string, number>;
  columns: string | null;
  rows: string | null;
}

/** Two cells compared; for two slices, the tile's place in them named too. */
export interface ComparePair {
  a: CellView;
  b: CellView;
  /** the tile's labels on the slices' columns and rows axes ("" for two cells) */
  where: string;
}

export const PIN_NAMES = ["A", "B"] as const;

const isSlice = (pin: Pin) => pin.columns !== null;
const samePin = (p: Pin, q: Pin) => JSON.stringify(p) === JSON.stringify(q);
/** Two pins compare with each other: two cells, or two slices of the same columns and rows. */
const compatible = (p: Pin, q: Pin) => isSlice(p) === isSlice(q) && p.columns === q.columns && p.rows === q.rows;

export function cellPin(view: ExperimentView, cell: CellView): Pin {
  const at: Record<string, number> = {};
  for (const axis of view.axes) at[axis.slot] = cell.at[axis.position] ?? 0;
  return { at, columns: null, rows: null };
}

/** The slice `state` shows, pinned: its slider positions, columns and rows. */
export function slicePin(view: ExperimentView, state: ExplorerState): Pin {
  const at: Record<string, number> = {};
  for (const axis of view.axes) {
    if (axis.slot !== state.columns && axis.slot !== state.rows) at[axis.slot] = state.at[axis.slot] ?? 0;
  }
  return { at, columns: state.columns, rows: state.rows };
}

/** `pin` pinned, or unpinned when it is already; a third pin drops the oldest, and a pin of another kind
 * (a cell after slices, a slice of other columns or rows) starts the pins afresh. Pins settle in settle(). */
export function togglePin(state: ExplorerState, pin: Pin): ExplorerState {
  const at = state.pins.findIndex((p) => samePin(p, pin));
  const pins = at >= 0 ? state.pins.filter((_, k) => k !== at)
    : [...state.pins.filter((p) => compatible(p, pin)), pin].slice(-2);
  return { ...state, pins, pair: 0 };
}

export const swapPins = (state: ExplorerState): ExplorerState => ({ ...state, pins: [...state.pins].reverse() });
export const clearPins = (state: ExplorerState): ExplorerState => ({ ...state, pins: [], pair: 0 });

/** Pins read back from JSON: records of the right shape only (settlePins checks them against an experiment). */
export function readPins(saved: unknown): Pin[] {
  if (!Array.isArray(saved)) return [];
  const slot = (v: unknown) => (typeof v === "string" ? v : null);
  return saved.flatMap((p) => {
    if (!p || typeof p !== "object" || !p.at || typeof p.at !== "object" || Array.isArray(p.at)) return [];
    const at: Record<string, number> = {};
    for (const [k, v] of Object.entries(p.at as Record<string, unknown>)) if (Number.isInteger(v)) at[k] = v as number;
    return [{ at, columns: slot(p.columns), rows: slot(p.rows) }];
  });
}

/** The pins of `pins` that `view` has, made exact: a cell's value on every axis, a slice's on every axis but
 * its columns and rows (two distinct axes of it); no duplicates, of one kind, the last two. */
export function settlePins(view: ExperimentView, pins: readonly Pin[]): Pin[] {
  const axes = view.axes;
  const has = (slot: string | null) => slot !== null && axes.some((a) => a.slot === slot);
  const kept: Pin[] = [];
  for (const pin of pins) {
    const badRows = pin.rows !== null && (!has(pin.rows) || pin.rows === pin.columns);
    if (pin.columns !== null && (!has(pin.columns) || badRows)) continue;
    const rows = pin.columns === null ? null : pin.rows;
    const at: Record<string, number> = {};
    const fits = axes.every((a) => {
      if (a.slot === pin.columns || a.slot === rows) return true;
      const v = pin.at[a.slot];
      at[a.slot] = v as number;
      return Number.isInteger(v) && v! >= 0 && v! < a.labels.length;
    });
    const settled = { at, columns: pin.columns, rows };
    if (fits && !kept.some((p) => samePin(p, settled))) kept.push(settled);
  }
  const last = kept[kept.length - 1];
  return last ? kept.filter((p) => compatible(p, last)).slice(-2) : [];
}

/** The cell at value indices `at` (by slot; a slot without an axis at its one value). */
export function cellAt(view: ExperimentView, at: Record<string, number>): CellView {
  return view.cells[cellIndex(view.slots.map((slot) => at[slot] ?? 0), view.sizes)]!;
}

/** Which pin a cell is (0: A, 1: B), or -1; cells only (a slice pin marks no tile). */
export function pinOf(view: ExperimentView, state: ExplorerState, cell: CellView): number {
  return state.pins.findIndex((p) => !isSlice(p) && cellAt(view, p.at) === cell);
}

/** A pin's labels, one line per axis ("title: label"; a slice's columns and rows axes say so). */
export function pinLines(view: ExperimentView, pin: Pin): string[] {
  return view.axes.map((axis) => {
    const title = axis.title || axis.slot;
    if (axis.slot === pin.columns) return `${title}: (across)`;
    if (axis.slot === pin.rows) return `${title}: (down)`;
    return `${title}: ${axis.labels[pin.at[axis.slot] ?? 0] ?? ""}`;
  });
}

/** The pairs of cells the two pins compare: one for two cells; for two slices, one per tile of the
 * first slice's columns and rows as the view shows them (its toggles and order), row by row. */
export function comparePairs(view: ExperimentView, state: ExplorerState,
                             shown: (slot: string) => number[]): ComparePair[] {
  const [a, b] = state.pins;
  if (!a || !b) return [];
  if (!isSlice(a)) return [{ a: cellAt(view, a.at), b: cellAt(view, b.at), where: "" }];
  const across = view.axes.find((x) => x.slot === a.columns)!;
  const down = view.axes.find((x) => x.slot === a.rows);
  const pairs: ComparePair[] = [];
  for (const r of down ? shown(down.slot) : [0]) {
    for (const c of shown(across.slot)) {
      const tile: Record<string, number> = { [across.slot]: c, ...(down ? { [down.slot]: r } : {}) };
      const cellA = cellAt(view, { ...a.at, ...tile });
      const where = [across, ...(down ? [down] : [])].map((x) => `${x.title || x.slot}: ${cellLabel(x, cellA)}`);
      pairs.push({ a: cellA, b: cellAt(view, { ...b.at, ...tile }), where: where.join(" · ") });
    }
  }
  return pairs;
}

export interface Difference {
  /** RGBA: each channel's |A - B| times `gain`, opaque */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** the mean |A - B| over every pixel's red, green and blue, 0..255 */
  mean: number;
  /** the largest |A - B| of any channel */
  max: number;
  /** how much the pixels are amplified so small differences show (the largest difference maps near 255) */
  gain: number;
  /** the share of pixels with any channel different, 0..1 */
  changed: number;
}

/** The per-pixel difference of two RGBA images of the same size (alpha is not compared). */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Difference {
  if (a.length !== b.length || a.length % 4) throw new Error(`difference: images of ${a.length} and ${b.length} bytes`);
  const n = a.length / 4;
  const raw = new Uint8ClampedArray(a.length);
  let sum = 0, max = 0, changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    const r = Math.abs(a[i]! - b[i]!), g = Math.abs(a[i + 1]! - b[i + 1]!), bl = Math.abs(a[i + 2]! - b[i + 2]!);
    raw[i] = r;
    raw[i + 1] = g;
    raw[i + 2] = bl;
    sum += r + g + bl;
    const most = Math.max(r, g, bl);
    if (most > max) max = most;
    if (most) changed++;
  }
  const gain = max > 0 ? Math.floor(255 / max) : 1;
  for (let i = 0; i < raw.length; i += 4) {
    raw[i] = raw[i]! * gain;
    raw[i + 1] = raw[i + 1]! * gain;
    raw[i + 2] = raw[i + 2]! * gain;
    raw[i + 3] = 255;
  }
  return { pixels: raw, mean: n ? sum / (3 * n) : 0, max, gain, changed: n ? changed / n : 0 };
}

/** The difference in words: the mean, the largest, the share of pixels changed and the amplification. */
export function describeDifference(d: Difference): string {
  return `mean |A − B| ${d.mean.toFixed(2)} of 255 · max ${d.max} · ${(100 * d.changed).toFixed(1)}% of pixels differ`
    + (d.gain > 1 ? ` · shown ×${d.gain}` : "");
}
