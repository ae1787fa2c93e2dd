// The standalone viewer's data and view state, without the DOM (unit-tested in
// test/view_model.test.ts). The export (xyz_studio/export/html_viewer.py) embeds the data
// in index.html; the view lives in the URL hash so a link reopens the same view.
import { describeCell } from "../format";

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
}

export interface ViewerData {
  id: string;
  name: string;
  axes: ViewerAxis[];
  metrics: ViewerMetric[];
  cells: ViewerCell[];
}

export interface ViewState {
  /** axis positions shown across the columns and down the rows (rows null: one row) */
  cols: number;
  rows: number | null;
  /** the value index of every axis; those of the columns and rows axes are ignored */
  at: number[];
  /** tile size in CSS px */
  zoom: number;
  /** the metric that colours the tiles, or null */
  heat: string | null;
}

export const ZOOM = { min: 48, max: 768, initial: 192 } as const;

export function initialView(data: ViewerData): ViewState {
  return { cols: 0, rows: data.axes.length > 1 ? 1 : null, at: data.axes.map(() => 0), zoom: ZOOM.initial,
           heat: null };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Make any state valid for `data`: distinct axes, positions and zoom in range, a known metric. */
export function settle(data: ViewerData, view: ViewState): ViewState {
  const n = data.axes.length;
  const cols = Number.isInteger(view.cols) ? clamp(view.cols, 0, n - 1) : 0;
  let rows = view.rows;
  if (rows !== null && (!Number.isInteger(rows) || rows < 0 || rows >= n || rows === cols)) rows = null;
  const at = data.axes.map((axis, k) => {
    const v = view.at[k];
    return Number.isInteger(v) ? clamp(v as number, 0, axis.labels.length - 1) : 0;
  });
  const zoom = Number.isFinite(view.zoom) ? clamp(Math.round(view.zoom), ZOOM.min, ZOOM.max) : ZOOM.initial;
  const heat = view.heat !== null && data.metrics.some((m) => m.name === view.heat) ? view.heat : null;
  return { cols, rows, at, zoom, heat };
}

export function toHash(view: ViewState): string {
  const parts = [`cols=${view.cols}`, `rows=${view.rows ?? "none"}`, `at=${view.at.join(",")}`, `zoom=${view.zoom}`];
  if (view.heat !== null) parts.push(`heat=${encodeURIComponent(view.heat)}`);
  return "#" + parts.join("&");
}

export function fromHash(data: ViewerData, hash: string): ViewState {
  const view = initialView(data);
  for (const part of hash.replace(/^#/, "").split("&")) {
    const [key, raw = ""] = part.split("=");
    if (key === "cols") view.cols = Number(raw);
    else if (key === "rows") view.rows = raw === "none" ? null : Number(raw);
    else if (key === "at") view.at = raw.split(",").map(Number);
    else if (key === "zoom") view.zoom = Number(raw);
    else if (key === "heat") view.heat = safeDecode(raw);
  }
  return settle(data, view);
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The axes that get a slider: all but the columns and rows ones. */
export function sliderAxes(data: ViewerData, view: ViewState): number[] {
  return data.axes.map((_, k) => k).filter((k) => k !== view.cols && k !== view.rows);
}

export class CellIndex {
  private readonly byKey = new Map<string, ViewerCell>();
  constructor(data: ViewerData) {
    for (const cell of data.cells) this.byKey.set(cell.at.join(","), cell);
  }
  get(at: number[]): ViewerCell | undefined {
    return this.byKey.get(at.join(","));
  }
}

/** The cells of the current view, row by row (undefined where the experiment has none). */
export function slice(data: ViewerData, cells: CellIndex, view: ViewState): (ViewerCell | undefined)[][] {
  const ncols = data.axes[view.cols]!.labels.length;
  const nrows = view.rows === null ? 1 : data.axes[view.rows]!.labels.length;
  const out: (ViewerCell | undefined)[][] = [];
  for (let r = 0; r < nrows; r++) {
    const row: (ViewerCell | undefined)[] = [];
    for (let c = 0; c < ncols; c++) {
      const at = [...view.at];
      at[view.cols] = c;
      if (view.rows !== null) at[view.rows] = r;
      row.push(cells.get(at));
    }
    out.push(row);
  }
  return out;
}

/** 0 (worst) .. 1 (best) for a metric value among all cells, by the metric's goal; null if missing. */
export function heatLevel(data: ViewerData, metric: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const values = data.cells.map((c) => c.metrics[metric]).filter((v): v is number => typeof v === "number");
  const lo = Math.min(...values), hi = Math.max(...values);
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
export function describe(data: ViewerData, cell: ViewerCell): string[] {
  return describeCell({
    axes: data.axes.map((axis, k) => [axis.title, axis.labels[cell.at[k] ?? 0] ?? ""] as const),
    status: cell.status, seconds: cell.seconds,
    metrics: data.metrics.map((m) => [m.name, cell.metrics[m.name] ?? null] as const),
    server: null, error: cell.error,
  });
}
