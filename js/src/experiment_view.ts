// What a panel shows of one experiment, built from the routes and kept current by the
// websocket events. Pure: no DOM, no network (unit-tested in test/experiment_view.test.ts).
import { describeCell as describe } from "./format";
import type { CellEvent, ExperimentEvent, ExperimentStatus, Manifest, ManifestCell } from "./protocol";

export interface AxisView {
  title: string;
  labels: string[];
}

/** A cell as the manifest lists it (what a tile and its hover show), kept current by the events. */
export type CellView = Pick<ManifestCell, "index" | "x" | "y" | "z" | "status" | "files" | "error" | "seconds"
                                         | "labels"> & {
  metrics: Record<string, number | null>;
  worker: string | null;
};

export interface ExperimentView {
  id: string;
  name: string;
  status: ExperimentStatus;
  shape: { x: number; y: number; z: number };
  x: AxisView;
  y: AxisView | null;
  z: AxisView | null;
  /** cells by [z][y][x]; every coordinate has one */
  cells: CellView[][][];
  done: number;
  failed: number;
  total: number;
  created: number;
  finished: number | null;
  grids: string[];
  /** spread over several servers: the hover names the server of each cell */
  servers: boolean;
  /** planned only: the layout with placeholder tiles, nothing rendered */
  dryRun: boolean;
}

export function fromManifest(m: Manifest): ExperimentView {
  const axis = (slot: "x" | "y" | "z"): AxisView | null => {
    const a = m.axes.find((candidate) => candidate.slot === slot);
    return a ? { title: a.title, labels: a.labels.map(String) } : null;
  };
  const size = (slot: string) => m.shape[slot] ?? 1;  // a slot without an axis has one value
  const nx = size("x"), ny = size("y"), nz = size("z");
  const cells: CellView[][][] = [];
  for (let z = 0; z < nz; z++) {
    const plane: CellView[][] = [];
    for (let y = 0; y < ny; y++) {
      const row: CellView[] = [];
      for (let x = 0; x < nx; x++) {
        row.push({ index: -1, x, y, z, status: "queued", files: [], error: null, seconds: null, labels: {},
                   metrics: {}, worker: null });
      }
      plane.push(row);
    }
    cells.push(plane);
  }
  for (const c of m.cells) {
    const slot = cells[c.z]?.[c.y]?.[c.x];
    if (!slot) continue;
    Object.assign(slot, { index: c.index, status: c.status, files: c.files ?? [], error: c.error ?? null,
                          seconds: c.seconds ?? null, labels: c.labels ?? {}, metrics: c.metrics ?? {},
                          worker: c.worker ?? null });
  }
  return {
    id: m.id, name: m.name, status: m.status, shape: { x: nx, y: ny, z: nz },
    x: axis("x") ?? { title: "", labels: Array.from({ length: nx }, () => "") },
    y: axis("y"), z: axis("z"), cells,
    done: m.counts["done"] ?? 0, failed: m.counts["failed"] ?? 0, total: m.cells.length,
    created: m.created, finished: m.finished, grids: m.grids.map((g) => g.file),
    servers: Boolean(m.options?.servers), dryRun: Boolean(m.dry_run),
  };
}

/** Apply a cell event; returns the cell that changed (null when the event is not for this
 * view or names no cell of it). Counts follow the server's, which an event carries. */
export function applyCellEvent(view: ExperimentView, event: CellEvent, seconds: number | null): CellView | null {
  if (event.experiment !== view.id) return null;
  const cell = view.cells[event.z]?.[event.y]?.[event.x];
  if (!cell) return null;
  cell.index = event.index;
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

/** The lines shown when hovering a cell: each axis title and the cell's label, its time, its metrics,
 * the server that ran it (spread over several) and its error. */
export function describeCell(view: ExperimentView, cell: CellView): string[] {
  const axes: [AxisView | null, number][] = [[view.x, cell.x], [view.y, cell.y], [view.z, cell.z]];
  return describe({
    axes: axes.flatMap(([axis, i]) => (axis ? [[axis.title, axis.labels[i] ?? ""] as const] : [])),
    status: cell.status, seconds: cell.seconds, metrics: Object.entries(cell.metrics),
    server: view.servers && cell.status !== "queued" ? cell.worker : null, error: cell.error,
  });
}

/** Seconds left at the pace so far, or null before there is a pace to go by. */
export function secondsLeft(settled: number, total: number, elapsed: number): number | null {
  if (settled <= 0 || elapsed <= 0 || settled > total) return null;
  return ((total - settled) * elapsed) / settled;
}
