// The explorer's view state: which axis runs across the columns and which down the rows, where
// each other axis's slider stands, which values are toggled off and in which order the values go,
// grid, table or compare (the two cells or slices pinned), the table's sort and filter. One plain
// record, saved on the node (node.properties.xyz_view) so a reload shows the same view; settle() makes any record valid for an experiment. Pure (test/explorer_state.test.ts).
import type { AxisView, ExperimentView } from "../experiment_view";
import { settlePins, readPins, type Pin } from "./compare";

export type ExplorerMode = "grid" | "table" | "compare";
/** How the compare view shows its two cells: side by side, one wiped over the other, or their difference. */
export type CompareView = "side" | "wipe" | "difference";
const COMPARE_VIEWS: readonly CompareView[] = ["side", "wipe", "difference"];

/** What the table is sorted by: "index", "status", "seconds", "axis:<slot>" or "metric:<name>". */
export interface ExplorerSort {
  key: string;
  descending: boolean;
}

export interface ExplorerState {
  /** the experiment the positions, toggles and filter are of (another one starts them afresh) */
  experiment: string | null;
  /** the slot across the columns */
  columns: string;
  /** the slot down the rows; null: one row */
  rows: string | null;
  /** each slider's value index, by slot */
  at: Record<string, number>;
  /** the value indices toggled off, by slot */
  hidden: Record<string, number[]>;
  mode: ExplorerMode;
  sort: ExplorerSort | null;
  filter: string;
  /** the slider the arrow keys and the wheel step (null: the first) */
  active: string | null;
  /** each axis's value indices in the order shown (grid, sliders, table sort), by slot; absent: their own order */
  order: Record<string, number[]>;
  /** the cells or slices pinned to compare (at most two, of one kind) */
  pins: Pin[];
  compare: CompareView;
  /** with two slices pinned, the tile position compared (row by row over the first slice's tiles) */
  pair: number;
}

export function initialState(): ExplorerState {
  return { experiment: null, columns: "x", rows: "y", at: {}, hidden: {}, mode: "grid", sort: null, filter: "",
           active: null, order: {}, pins: [], compare: "side", pair: 0 };
}

/** The axes the explorer offers: every slot with an axis (a slot without one has one value, nothing to pick). */
export const explorerAxes = (view: ExperimentView): AxisView[] => view.axes;

export const axisOf = (view: ExperimentView, slot: string | null): AxisView | undefined =>
  slot === null ? undefined : view.axes.find((a) => a.slot === slot);

const isIndex = (v: unknown, size: number): v is number => Number.isInteger(v) && (v as number) >= 0
  && (v as number) < size;

/** The state made valid for `view`: columns and rows two distinct axes of it (rows null only when
 * asked or when there is one axis), positions in range and on a shown value, toggles of values it has
 * with at least one value left shown per axis, a sort key it can sort by, each axis's order a permutation
 * of its values, pins of cells and slices it has (compare only with two). A state of another experiment
 * keeps its pivot, mode and sort, and starts positions, toggles, order, pins and filter afresh. */
export function settle(view: ExperimentView, state: ExplorerState): ExplorerState {
  const axes = explorerAxes(view);
  const fresh = state.experiment !== view.id;
  const columns = axes.some((a) => a.slot === state.columns) ? state.columns : axes[0]!.slot;
  let rows = state.rows;
  if (rows !== null && (rows === columns || !axes.some((a) => a.slot === rows))) {
    rows = axes.find((a) => a.slot !== columns)?.slot ?? null;
  }
  const hidden: Record<string, number[]> = {};
  const at: Record<string, number> = {};
  const order: Record<string, number[]> = {};
  for (const axis of axes) {
    const size = axis.labels.length;
    const ordered = fresh ? identity(size) : permutation(state.order[axis.slot], size);
    if (ordered.some((v, i) => v !== i)) order[axis.slot] = ordered;
    const off = fresh ? [] : [...new Set((state.hidden[axis.slot] ?? []).filter((v) => isIndex(v, size)))].sort(
      (a, b) => a - b);
    if (off.length >= size) off.pop();  // one value stays shown
    if (off.length) hidden[axis.slot] = off;
    const wanted = fresh ? 0 : state.at[axis.slot];
    at[axis.slot] = nearestShown(isIndex(wanted, size) ? wanted : 0, ordered, off);
  }
  const sliders = axes.filter((a) => a.slot !== columns && a.slot !== rows).map((a) => a.slot);
  const active = state.active !== null && sliders.includes(state.active) ? state.active : null;
  const sort = state.sort && sortKeys(view).includes(state.sort.key) ? { ...state.sort } : null;
  const pins = fresh ? [] : settlePins(view, state.pins);
  const mode = state.mode === "table" ? "table" : state.mode === "compare" && pins.length === 2 ? "compare" : "grid";
  return { experiment: view.id, columns, rows, at, hidden, mode, sort, filter: fresh ? "" : state.filter, active,
           order, pins, compare: COMPARE_VIEWS.includes(state.compare) ? state.compare : "side",
           pair: Number.isInteger(state.pair) && state.pair > 0 ? state.pair : 0 };
}

const identity = (size: number) => Array.from({ length: size }, (_, i) => i);

/** `wanted` made a permutation of 0..size-1: its valid indices once each, then the missing ones in order. */
function permutation(wanted: readonly unknown[] | undefined, size: number): number[] {
  const seen = new Set<number>();
  for (const v of wanted ?? []) if (isIndex(v, size)) seen.add(v);
  for (let i = 0; i < size; i++) seen.add(i);
  return [...seen];
}

/** The shown value nearest `value` in the order shown (the next one first). */
function nearestShown(value: number, ordered: readonly number[], off: readonly number[]): number {
  const here = Math.max(0, ordered.indexOf(value));
  for (let d = 0; d < ordered.length; d++) {
    for (const k of [here + d, here - d]) {
      const v = ordered[k];
      if (v !== undefined && !off.includes(v)) return v;
    }
  }
  return value;
}

/** An axis's value indices in the order shown (every value, shown or not). */
export function valueOrder(state: ExplorerState, axis: AxisView): number[] {
  const order = state.order[axis.slot];
  return order && order.length === axis.labels.length ? order : identity(axis.labels.length);
}

/** The value indices of an axis still shown, in the order shown. */
export function shownValues(state: ExplorerState, axis: AxisView): number[] {
  const off = state.hidden[axis.slot] ?? [];
  return valueOrder(state, axis).filter((i) => !off.includes(i));
}

/** Value `value` of `slot` moved to place `to` of the axis's order (clamped to the ends). */
export function moveValue(view: ExperimentView, state: ExplorerState, slot: string, value: number,
                          to: number): ExplorerState {
  const axis = axisOf(view, slot);
  if (!axis || !isIndex(value, axis.labels.length)) return state;
  const order = valueOrder(state, axis).filter((v) => v !== value);
  order.splice(Math.max(0, Math.min(order.length, to)), 0, value);
  return settle(view, { ...state, order: { ...state.order, [slot]: order } });
}

/** Value `value` of `slot` moved `step` places along the axis's order (alt+arrow on its chip). */
export function shiftValue(view: ExperimentView, state: ExplorerState, slot: string, value: number,
                           step: number): ExplorerState {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  return moveValue(view, state, slot, value, valueOrder(state, axis).indexOf(value) + step);
}

/** The axes that get a slider: every axis but the columns and the rows one, in slot order. */
export function sliderAxes(view: ExperimentView, state: ExplorerState): AxisView[] {
  return explorerAxes(view).filter((a) => a.slot !== state.columns && a.slot !== state.rows);
}

/** The slider the keys and the wheel step: the one last used, or the first. */
export function activeSlider(view: ExperimentView, state: ExplorerState): AxisView | undefined {
  const sliders = sliderAxes(view, state);
  return sliders.find((a) => a.slot === state.active) ?? sliders[0];
}

/** The state with `slot`'s slider `step` shown values on (clamped at the ends; hidden values skipped). */
export function stepSlider(view: ExperimentView, state: ExplorerState, slot: string, step: number): ExplorerState {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  const shown = shownValues(state, axis);
  const here = shown.indexOf(state.at[slot] ?? 0);
  const next = shown[Math.max(0, Math.min(shown.length - 1, (here < 0 ? 0 : here) + step))]!;
  if (next === state.at[slot] && state.active === slot) return state;
  return { ...state, at: { ...state.at, [slot]: next }, active: slot };
}

/** The state with `slot`'s slider on value index `value` (a hidden value: the nearest shown one). */
export function moveSlider(view: ExperimentView, state: ExplorerState, slot: string, value: number): ExplorerState {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  const v = nearestShown(Math.max(0, Math.min(axis.labels.length - 1, value)), valueOrder(state, axis),
                         state.hidden[slot] ?? []);
  return { ...state, at: { ...state.at, [slot]: v }, active: slot };
}

/** `slot` across the columns; if it was the rows axis, the former columns axis goes down the rows. */
export function pivotColumns(view: ExperimentView, state: ExplorerState, slot: string): ExplorerState {
  if (slot === state.columns || !axisOf(view, slot)) return state;
  const rows = state.rows === slot ? state.columns : state.rows;
  return settle(view, { ...state, columns: slot, rows });
}

/** `slot` down the rows (null: one row); if it was the columns axis, the former rows axis goes across. */
export function pivotRows(view: ExperimentView, state: ExplorerState, slot: string | null): ExplorerState {
  if (slot === state.rows || (slot !== null && !axisOf(view, slot))) return state;
  if (slot === state.columns) {
    if (state.rows === null) return state;  // the columns need an axis
    return settle(view, { ...state, columns: state.rows, rows: slot });
  }
  return settle(view, { ...state, rows: slot });
}

/** Columns and rows swapped (nothing to swap with one row). */
export function swapAxes(view: ExperimentView, state: ExplorerState): ExplorerState {
  if (state.rows === null) return state;
  return settle(view, { ...state, columns: state.rows, rows: state.columns });
}

/** Value `value` of `slot` toggled off or back on; the last shown value of an axis stays on. */
export function toggleValue(view: ExperimentView, state: ExplorerState, slot: string, value: number): ExplorerState {
  const axis = axisOf(view, slot);
  if (!axis || !isIndex(value, axis.labels.length)) return state;
  const off = state.hidden[slot] ?? [];
  const next = off.includes(value) ? off.filter((v) => v !== value) : [...off, value];
  if (next.length >= axis.labels.length) return state;
  return settle(view, { ...state, hidden: { ...state.hidden, [slot]: next } });
}

/** Whether X runs down the rows and Y across the columns: the panel's former "Swap X/Y" (kept in
 * node.properties.xyz_swap_xy, still written for workflows and tests that read it). */
export const swappedXY = (state: ExplorerState) => state.columns === "y" && state.rows === "x";

/** A state read back from a node's properties (anything unusable is dropped; settle() finishes the
 * job once the experiment is known). `legacySwap`: the node's xyz_swap_xy, for a node saved before. */
export function readState(saved: unknown, legacySwap = false): ExplorerState {
  const state = initialState();
  if (legacySwap) Object.assign(state, { columns: "y", rows: "x" });
  if (!saved || typeof saved !== "object") return state;
  const s = saved as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === "string";
  if (text(s.experiment)) state.experiment = s.experiment;
  if (text(s.columns)) state.columns = s.columns;
  if (s.rows === null || text(s.rows)) state.rows = s.rows;
  if (s.mode === "table" || s.mode === "grid" || s.mode === "compare") state.mode = s.mode;
  if (COMPARE_VIEWS.includes(s.compare as CompareView)) state.compare = s.compare as CompareView;
  if (Number.isInteger(s.pair)) state.pair = s.pair as number;
  state.pins = readPins(s.pins);
  if (text(s.filter)) state.filter = s.filter;
  if (text(s.active)) state.active = s.active;
  if (s.sort && typeof s.sort === "object" && text((s.sort as ExplorerSort).key)) {
    state.sort = { key: (s.sort as ExplorerSort).key, descending: (s.sort as ExplorerSort).descending === true };
  }
  for (const [slot, v] of Object.entries(record(s.at))) if (Number.isInteger(v)) state.at[slot] = v as number;
  for (const [slot, v] of Object.entries(record(s.hidden))) {
    if (Array.isArray(v)) state.hidden[slot] = v.filter((i): i is number => Number.isInteger(i));
  }
  for (const [slot, v] of Object.entries(record(s.order))) {
    if (Array.isArray(v)) state.order[slot] = v.filter((i): i is number => Number.isInteger(i));
  }
  return state;
}

export const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The metric names of an experiment's cells, in the order first met. */
export function metricNames(view: ExperimentView): string[] {
  const names = new Set<string>();
  for (const cell of view.cells) for (const name in cell.metrics) names.add(name);
  return [...names];
}

/** Every key the table can sort by. */
export function sortKeys(view: ExperimentView): string[] {
  return ["index", ...explorerAxes(view).map((a) => `axis:${a.slot}`), "status", "seconds",
          ...metricNames(view).map((m) => `metric:${m}`)];
}
