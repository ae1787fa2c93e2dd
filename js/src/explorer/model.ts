// What the explorer draws for a view state: the grid of one slice (the columns axis across, the
// rows axis down, every other axis at its slider's value, toggled-off values left out) and the
// table (one row per cell, filtered and sorted). Pure (test/explorer_model.test.ts).
import { cellIndex, cellLabel, type AxisView, type CellView, type ExperimentView } from "../experiment_view";
import { formatMetric, formatSeconds } from "../format";
import { notRun } from "../search_model";
import { axisOf, explorerAxes, metricNames, shownValues, sliderAxes, valueOrder, type ExplorerState } from "./state";

export interface Slice {
  across: AxisView;
  down: AxisView | null;
  /** the value indices shown across and down (one row, [0], without a rows axis) */
  columns: number[];
  rows: number[];
  /** the cells by [row][column] of the lists above */
  cells: CellView[][];
}

/** The slice `state` shows (state settled for `view`). */
export function slice(view: ExperimentView, state: ExplorerState): Slice {
  const across = axisOf(view, state.columns)!;
  const down = axisOf(view, state.rows) ?? null;
  const columns = shownValues(state, across);
  const rows = down ? shownValues(state, down) : [0];
  const at = view.slots.map(() => 0);
  for (const axis of sliderAxes(view, state)) at[axis.position] = state.at[axis.slot] ?? 0;
  const cells = rows.map((r) => columns.map((c) => {
    at[across.position] = c;
    if (down) at[down.position] = r;
    return view.cells[cellIndex(at, view.sizes)]!;
  }));
  return { across, down, columns, rows, cells };
}

/** A key naming the slice `state` shows: equal keys, equal slices. */
export function sliceKey(view: ExperimentView, state: ExplorerState): string {
  const positions = sliderAxes(view, state).map((a) => `${a.slot}=${state.at[a.slot] ?? 0}`);
  const off = Object.entries(state.hidden).map(([slot, values]) => `${slot}-${values.join(".")}`);
  const order = Object.entries(state.order).map(([slot, values]) => `${slot}-${values.join(".")}`);
  return [state.columns, state.rows ?? "", positions.join(","), off.join(","), order.join(",")].join("|");
}

/** One column of the table: its sort key, its heading and each cell's text. */
export interface TableColumn {
  key: string;
  title: string;
  text: (cell: CellView) => string;
}

export function tableColumns(view: ExperimentView): TableColumn[] {
  return [
    { key: "index", title: "#", text: (c) => String(c.index) },
    ...explorerAxes(view).map((axis) => ({ key: `axis:${axis.slot}`, title: axis.title || axis.slot,
                                           text: (c: CellView) => cellLabel(axis, c) })),
    // a cell a search has not run says so (its status word, "planned", is a dry run's)
    { key: "status", title: "status", text: (c) => (notRun(view, c) ? "not run" : c.status) },
    { key: "seconds", title: "time", text: (c) => (c.seconds === null ? "" : formatSeconds(c.seconds)) },
    ...metricNames(view).map((name) => ({ key: `metric:${name}`, title: name,
                                          text: (c: CellView) => formatMetric(c.metrics[name] ?? null) })),
  ];
}

/** A cell's value to sort by: a number, a word, or null (missing: sorted last either way). */
function sortValue(view: ExperimentView, state: ExplorerState,
                   key: string): (cell: CellView) => number | string | null {
  if (key === "status") return (c) => c.status;
  if (key === "seconds") return (c) => c.seconds;
  if (key.startsWith("axis:")) {
    const axis = axisOf(view, key.slice(5));
    if (!axis) return (c) => c.index;
    const rank = new Map(valueOrder(state, axis).map((v, k) => [v, k] as const));  // the values in the order shown
    return (c) => rank.get(c.at[axis.position] ?? 0) ?? 0;
  }
  if (key.startsWith("metric:")) {
    const name = key.slice(7);
    return (c) => {
      const v = c.metrics[name];
      return typeof v === "number" && Number.isFinite(v) ? v : null;
    };
  }
  return (c) => c.index;
}

// a cell's axis labels never change: their lower-cased text is kept, so filtering 10,000 cells
// as the user types does not rebuild it on every key
const axisTexts = new WeakMap<CellView, string>();

function axisText(axes: AxisView[], cell: CellView): string {
  let text = axisTexts.get(cell);
  if (text === undefined) {
    text = axes.map((a) => `${a.title}: ${cellLabel(a, cell)}`).join("\n").toLowerCase();
    axisTexts.set(cell, text);
  }
  return text;
}

/** The table's rows: every cell whose values are all shown and whose text holds every word of the
 * filter (axis labels, status, error, server, file names; any case), in the order asked for. */
export function tableRows(view: ExperimentView, state: ExplorerState): CellView[] {
  const axes = explorerAxes(view);
  const off = axes.map((a) => new Set(state.hidden[a.slot] ?? []));
  const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = view.cells.filter((cell) => {
    if (axes.some((a, k) => off[k]!.has(cell.at[a.position] ?? 0))) return false;
    if (!words.length) return true;
    const text = `${axisText(axes, cell)}\n${[cell.status, cell.error ?? "", cell.worker ?? "", ...cell.files]
      .join("\n").toLowerCase()}`;
    return words.every((w) => text.includes(w));
  });
  if (!state.sort) return rows;
  const value = sortValue(view, state, state.sort.key);
  const sign = state.sort.descending ? -1 : 1;
  const keyed = rows.map((cell) => ({ cell, v: value(cell) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.cell.index - b.cell.index : a.v === null ? 1 : -1;
    const order = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    return sign * order || a.cell.index - b.cell.index;
  });
  return keyed.map((k) => k.cell);
}

/** The sort after a click on column `key`: by it ascending, then descending, then back to the cells' order. */
export function nextSort(state: ExplorerState, key: string): ExplorerState["sort"] {
  if (!state.sort || state.sort.key !== key) return { key, descending: false };
  return state.sort.descending ? null : { key, descending: true };
}
