// The standalone viewer's data and view state, without the DOM (unit-tested in
// test/view_model.test.ts). The export (xyz_studio/export/html_viewer.py) embeds the data in
// index.html; here it becomes the ExperimentView the editor's explorer works on, so the viewer
// pivots, slices, toggles, sorts and filters with the explorer's own pure modules
// (src/explorer/state.ts, model.ts), not a copy of them. The view lives in the URL (url.ts).
import { cellIndex, describeCell, type CellView, type ExperimentView } from "../experiment_view";
import type { CellStatus } from "../protocol";
import { readSearch } from "../search_model";
import { settle as settleExplorer, type ExplorerState } from "../explorer/state";

export interface ViewerAxis {
  slot: string;
  title: string;
  labels: string[];
}

export interface ViewerMetric {
  name: string;
  goal: string;
}

export interface ViewerCell {
  index: number;
  /** value index on each axis, in the order of ViewerData.axes */
  at: number[];
  status: string;
  error: string | null;
  seconds: number | null;
  metrics: Record<string, number | null>;
  /** relative paths inside the export: the scaled image and the full-size file (null: none) */
  thumb: string | null;
  full: string | null;
  /** when it finished (epoch seconds): a search's history is in this order */
  finished_at: number | null;
}

/** A cell as the export writes it: what it lacks (no error, no time, no metrics, no files) is left out. */
export type ExportedCell = Pick<ViewerCell, "index" | "at" | "status">
  & Partial<Pick<ViewerCell, "error" | "seconds" | "metrics" | "thumb" | "full" | "finished_at">>;

export interface ViewerData {
  id: string;
  name: string;
  axes: ViewerAxis[];
  metrics: ViewerMetric[];
  cells: ExportedCell[];
  /** the manifest's options.search (a search experiment); absent: a sweep */
  search?: unknown;
  /** a dry run's export: its planned cells are placeholders, not cells a search left out */
  dry_run?: boolean;
}

/** The explorer's state (whatever fields it has) and what only the viewer has: tile size and heat map. */
export type ViewState = ExplorerState & {
  /** tile size in CSS px */
  zoom: number;
  /** the metric that colours the tiles, or null */
  heat: string | null;
};

export const ZOOM = { min: 48, max: 768, initial: 192 } as const;

/** What the viewer works on: the experiment as the explorer sees it, and each cell's files by its index. */
export interface Experiment {
  data: ViewerData;
  view: ExperimentView;
  /** the exported cell of each explorer cell index (undefined: the export has none there) */
  files: (ViewerCell | undefined)[];
}

const STATUSES = new Set(["queued", "done", "failed", "cancelled", "planned"]);

/** The viewer's data as an ExperimentView: one slot per axis in the data's order (a slot without an axis
 * has one value, so leaving it out keeps every cell index), every index of the shape with a cell. */
export function experiment(data: ViewerData): Experiment {
  const sizes = data.axes.map((a) => Math.max(1, a.labels.length));
  const slots = data.axes.map((a) => a.slot);
  const count = sizes.reduce((a, b) => a * b, 1);
  const cells: CellView[] = new Array<CellView>(count);
  const files: (ViewerCell | undefined)[] = new Array(count);
  const place = (index: number, at: number[]): CellView => ({
    index, x: at[0] ?? 0, y: at[1] ?? 0, z: 0, at, status: "queued", files: [], error: null, seconds: null, labels: {},
    metrics: {}, worker: null, finished: null,
  });
  for (const c of data.cells) {
    if (c.at.length !== sizes.length || c.at.some((v, k) => !Number.isInteger(v) || v < 0 || v >= sizes[k]!)) continue;
    const index = cellIndex(c.at, sizes);
    const file: ViewerCell = { index: c.index, at: c.at, status: c.status, error: c.error ?? null,
                               seconds: c.seconds ?? null, metrics: c.metrics ?? {}, thumb: c.thumb ?? null,
                               full: c.full ?? null, finished_at: c.finished_at ?? null };
    const status = (STATUSES.has(c.status) ? c.status : "queued") as CellStatus;
    cells[index] = { ...place(index, [...c.at]), status, files: file.full ? [file.full] : [], error: file.error,
                     seconds: file.seconds, metrics: file.metrics, finished: file.finished_at };
    files[index] = file;
  }
  for (let index = 0; index < count; index++) {
    if (!cells[index]) cells[index] = place(index, coords(index, sizes));
  }
  const done = data.cells.filter((c) => c.status === "done").length;
  const view: ExperimentView = {
    id: data.id, name: data.name, status: "complete", slots, sizes,
    axes: data.axes.map((a, position) => ({ slot: a.slot, position, title: a.title, labels: a.labels })),
    cells, done, failed: data.cells.filter((c) => c.status === "failed").length, total: count, created: 0,
    finished: null, grids: [], gridLabels: {}, superGrids: [], servers: false,
    dryRun: data.dry_run === true, search: readSearch(data.search),
  };
  return { data, view, files };
}

function coords(index: number, sizes: readonly number[]): number[] {
  return sizes.map((size) => {
    const v = index % size;
    index = Math.floor(index / size);
    return v;
  });
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Any state made valid for the experiment: the explorer's settle() (pivot, positions, toggles, sort, and
 * whatever else it knows), a zoom in range, a metric the data has. */
export function settle(ex: Experiment, state: ViewState): ViewState {
  const zoom = Number.isFinite(state.zoom) ? clamp(Math.round(state.zoom), ZOOM.min, ZOOM.max) : ZOOM.initial;
  const heat = state.heat !== null && ex.data.metrics.some((m) => m.name === state.heat) ? state.heat : null;
  return { ...settleExplorer(ex.view, { ...state, experiment: ex.view.id }), zoom, heat };
}

/** Each metric's smallest and largest value, worked out once per data (not per tile). */
const ranges = new WeakMap<ViewerData, Map<string, [number, number] | null>>();

function range(data: ViewerData, metric: string): [number, number] | null {
  let known = ranges.get(data);
  if (!known) ranges.set(data, (known = new Map()));
  if (!known.has(metric)) {
    let lo = Infinity, hi = -Infinity;
    for (const c of data.cells) {
      const v = c.metrics?.[metric];
      if (typeof v === "number" && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    known.set(metric, lo <= hi ? [lo, hi] : null);
  }
  return known.get(metric) ?? null;
}

/** 0 (worst) .. 1 (best) for a metric value among all cells, by the metric's goal; null if missing. */
export function heatLevel(data: ViewerData, metric: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const [lo, hi] = range(data, metric) ?? [value, value];
  const level = hi > lo ? (value - lo) / (hi - lo) : 1;
  const goal = data.metrics.find((m) => m.name === metric)?.goal ?? "higher is better";
  return goal === "lower is better" ? 1 - level : level;
}

/** A heat level as a colour: red (worst) through amber to green (best). */
export function heatColour(level: number): string {
  const hue = Math.round(120 * clamp(level, 0, 1));
  return `hsl(${hue} 70% 45%)`;
}

/** What hovering a cell shows: every axis's title and value, then time, metrics, error. */
export function describe(ex: Experiment, cell: CellView): string[] {
  if (!ex.files[cell.index]) return [...describeCell(ex.view, cell).slice(0, ex.view.axes.length), "no cell"];
  return describeCell(ex.view, cell);
}

/** The exported cell's number (the manifest's index) of an explorer cell. */
export const cellNumber = (ex: Experiment, cell: CellView): number => ex.files[cell.index]?.index ?? cell.index;
