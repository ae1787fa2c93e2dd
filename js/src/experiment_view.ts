// What a panel shows of one experiment, built from the routes and kept current by the
// websocket events. Pure: no DOM, no network (unit-tested in test/experiment_view.test.ts).
// Any number of axes: the cells are one flat list by cell index, each with its value index
// on every slot (`at`); manifests of schema 3 list `at`, those of schema 2 (x, y, z only)
// have it derived from the cell's x, y and z.
import { describeCell as describe } from "./format";
import type { CellEvent, ExperimentEvent, ExperimentStatus, Manifest, ManifestCell } from "./protocol";
import { notRun, readSearch, type SearchSettings } from "./search_model";

export interface AxisView {
  slot: string;
  /** where the slot is in ExperimentView.slots (and so in a cell's `at`) */
  position: number;
  title: string;
  labels: string[];
}

/** A cell as the manifest lists it (what a tile and its hover show), kept current by the events. */
export type CellView = Pick<ManifestCell, "index" | "x" | "y" | "z" | "status" | "files" | "error" | "seconds"
                                         | "labels"> & {
  /** its value index on each slot, in the order of ExperimentView.slots */
  at: number[];
  metrics: Record<string, number | null>;
  worker: string | null;
  /** when it finished (epoch seconds; null: not settled): a search's history is in this order */
  finished: number | null;
};

export interface ExperimentView {
  id: string;
  name: string;
  status: ExperimentStatus;
  /** every slot of the manifest's shape, in cell-index order (X varies fastest) */
  slots: string[];
  /** values per slot, in the order of `slots` (1 for a slot without an axis) */
  sizes: number[];
  /** the slots that have an axis, in slot order (X always: a grid has columns) */
  axes: AxisView[];
  /** cells by index; every index of the shape has one */
  cells: CellView[];
  done: number;
  failed: number;
  total: number;
  created: number;
  finished: number | null;
  grids: string[];
  /** each grid file's labels of the axes after Y (schema 3), by file; each super-grid's of the axes after Z */
  gridLabels: Record<string, Record<string, string>>;
  /** the super-grids (every Z value's grid as blocks of one PNG), when the driver drew them */
  superGrids: string[];
  /** spread over several servers: the hover names the server of each cell */
  servers: boolean;
  /** planned only: the layout with placeholder tiles, nothing rendered */
  dryRun: boolean;
  /** a search (options.search): its planned cells are those it has not run; null: an ordinary sweep */
  search: SearchSettings | null;
}

/** x, y, z, then axis4, axis5, ... (what xyz_studio/protocol.py's AXIS_SLOTS lists). */
export function slotRank(slot: string): number {
  const fixed = ["x", "y", "z"].indexOf(slot);
  if (fixed >= 0) return fixed;
  const n = /^axis(\d+)$/.exec(slot);
  return n ? Number(n[1]) - 1 : Number.MAX_SAFE_INTEGER;
}

const bySlot = (a: string, b: string) => slotRank(a) - slotRank(b) || (a < b ? -1 : a > b ? 1 : 0);

/** The cell index of value indices `at` over `sizes` (mixed radix, the first slot fastest). */
export function cellIndex(at: readonly number[], sizes: readonly number[]): number {
  let index = 0;
  for (let k = sizes.length - 1; k >= 0; k--) index = index * sizes[k]! + (at[k] ?? 0);
  return index;
}

/** The value indices of cell `index` over `sizes`. */
export function cellCoords(index: number, sizes: readonly number[]): number[] {
  return sizes.map((size) => {
    const value = index % size;
    index = Math.floor(index / size);
    return value;
  });
}

type ManifestCellAt = ManifestCell & { at?: Record<string, number> };

export function fromManifest(m: Manifest): ExperimentView {
  const slots = [...new Set(["x", "y", "z", ...Object.keys(m.shape ?? {})])].sort(bySlot);
  const sizes = slots.map((slot) => Math.max(1, Math.floor(m.shape?.[slot] ?? 1)));  // no axis: one value
  const axes: AxisView[] = [];
  for (const a of [...m.axes].sort((p, q) => bySlot(p.slot, q.slot))) {
    const position = slots.indexOf(a.slot);
    if (position >= 0) axes.push({ slot: a.slot, position, title: a.title, labels: a.labels.map(String) });
  }
  if (!axes.some((a) => a.slot === "x")) {
    axes.unshift({ slot: "x", position: 0, title: "", labels: Array.from({ length: sizes[0]! }, () => "") });
  }
  const nx = sizes[0]!, ny = sizes[1]!;
  const count = sizes.reduce((a, b) => a * b, 1);
  const cells: CellView[] = new Array<CellView>(count);
  for (let index = 0; index < count; index++) {
    cells[index] = { index, x: index % nx, y: Math.floor(index / nx) % ny, z: Math.floor(index / (nx * ny)),
                     at: cellCoords(index, sizes), status: "queued", files: [], error: null, seconds: null,
                     labels: {}, metrics: {}, worker: null, finished: null };
  }
  for (const c of m.cells as ManifestCellAt[]) {
    const at = c.at ? slots.map((slot) => c.at![slot] ?? 0) : atFromGrid(c.x, c.y, c.z, sizes);
    if (at.some((v, k) => !Number.isInteger(v) || v < 0 || v >= sizes[k]!)) continue;  // not of this shape
    const cell = cells[cellIndex(at, sizes)]!;
    Object.assign(cell, { status: c.status, files: c.files ?? [], error: c.error ?? null, seconds: c.seconds ?? null,
                          labels: c.labels ?? {}, metrics: c.metrics ?? {}, worker: c.worker ?? null,
                          finished: finishedAt(c) });
  }
  const gridLabels: Record<string, Record<string, string>> = {};
  const superGrids = (m.super_grids ?? []) as { file: string; labels?: Record<string, string> }[];  // schema 3
  for (const g of [...m.grids, ...superGrids] as { file: string; labels?: Record<string, string> }[]) {
    if (g.labels) gridLabels[g.file] = g.labels;
  }
  return {
    id: m.id, name: m.name, status: m.status, slots, sizes, axes, cells,
    done: m.counts["done"] ?? 0, failed: m.counts["failed"] ?? 0, total: m.cells.length,
    created: m.created, finished: m.finished, grids: m.grids.map((g) => g.file), gridLabels,
    superGrids: superGrids.map((g) => g.file),
    servers: Boolean(m.options?.servers), dryRun: Boolean(m.dry_run), search: readSearch(m.options?.search),
  };
}

/** When a cell finished: its finished_at; a failed cell's store row has none, its start stands in (else it would
 * go after every cell in a search's history). Null: not settled, or no time known. */
function finishedAt(c: ManifestCell): number | null {
  if (typeof c.finished_at === "number") return c.finished_at;
  return c.status === "failed" && typeof c.started_at === "number" ? c.started_at : null;
}

/** Value indices from a cell's column, row and grid number (the grid number counts the slots after Y, the
 * first fastest: with x, y and z only, it is the Z value index). */
function atFromGrid(x: number, y: number, grid: number, sizes: readonly number[]): number[] {
  return [x, y, ...cellCoords(grid, sizes.slice(2))];
}

/** Apply a cell event; returns the cell that changed (null when the event is not for this
 * view or names no cell of it). Counts follow the server's, which an event carries. */
export function applyCellEvent(view: ExperimentView, event: CellEvent, seconds: number | null): CellView | null {
  if (event.experiment !== view.id) return null;
  const cell = view.cells[event.index];
  // the event's place must be the cell's: an event of another shape (a stale plan) changes nothing
  if (!cell || cell.x !== event.x || cell.y !== event.y || cell.z !== event.z) return null;
  const settled = event.status === "done" || event.status === "failed";
  // an event has no finish time: one settled now finished after every cell known (the server's clock and
  // this page's may differ, so "now" alone could put it before cells the manifest listed)
  if (!settled) cell.finished = null;
  else if (cell.status !== event.status || cell.finished === null) cell.finished = finishedNow(view);
  cell.status = event.status;
  cell.files = event.files ?? [];
  cell.error = event.error ?? null;
  cell.metrics = event.metrics ?? {};
  if (event.worker) cell.worker = event.worker;
  if (seconds !== null) cell.seconds = seconds;
  view.done = event.done;
  view.failed = event.failed;
  view.total = event.total || view.total;
  return cell;
}

function finishedNow(view: ExperimentView): number {
  let latest = -Infinity;
  for (const c of view.cells) if (c.finished !== null && c.finished > latest) latest = c.finished;
  return Math.max(Date.now() / 1000, latest + 0.001);
}

export function applyExperimentEvent(view: ExperimentView, event: ExperimentEvent): boolean {
  if (event.experiment !== view.id) return false;
  view.status = event.status;
  view.done = event.done;
  view.failed = event.failed;
  view.total = event.total || view.total;
  if (event.grids && event.grids.length) view.grids = event.grids;
  return true;
}

export const isRunning = (status: ExperimentStatus) => status === "running";
export const canResume = (view: ExperimentView) => view.status === "interrupted" || view.status === "cancelled";
export const canRetry = (view: ExperimentView) => view.failed > 0 && !isRunning(view.status);

/** A cell's label on an axis. */
export const cellLabel = (axis: AxisView, cell: CellView) => axis.labels[cell.at[axis.position] ?? 0] ?? "";

/** The lines shown when hovering a cell: each axis title and the cell's label, its time, its metrics,
 * the server that ran it (spread over several) and its error. */
export function describeCell(view: ExperimentView, cell: CellView): string[] {
  return describe({
    axes: view.axes.filter((a) => a.title || a.labels.some(Boolean)).map((a) => [a.title, cellLabel(a, cell)] as const),
    status: notRun(view, cell) ? "not run by the search" : cell.status, seconds: cell.seconds,
    metrics: Object.entries(cell.metrics),
    server: view.servers && cell.status !== "queued" ? cell.worker : null, error: cell.error,
  });
}

/** Seconds left at the pace so far, or null before there is a pace to go by. */
export function secondsLeft(settled: number, total: number, elapsed: number): number | null {
  if (settled <= 0 || elapsed <= 0 || settled > total) return null;
  return ((total - settled) * elapsed) / settled;
}
