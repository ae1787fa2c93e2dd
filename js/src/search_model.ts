// A search experiment as the explorer and the viewer show it (issue 20): its settings as the manifest's
// `options.search` stores them, the cells it has run in the order it ran them (the objective's history),
// the best cell so far, and the chart's geometry. Pure: no DOM (unit-tested in test/search_model.test.ts).
import type { CellView, ExperimentView } from "./experiment_view";
import { formatMetric } from "./format";

export type SearchGoal = "higher" | "lower";

/** The manifest's options.search (xyz_studio/search/settings.py's SearchSettings, its goal resolved). */
export interface SearchSettings {
  objective: string;
  budget: number;
  sampler: string;
  seed: number;
  coarseFraction: number;
  goal: SearchGoal;
}

/** options.search read from a manifest or an export: null when absent or not a search (an ordinary sweep).
 * The goal is stored as "higher"/"lower" or as the metric's "higher is better"/"lower is better". */
export function readSearch(raw: unknown): SearchSettings | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.objective !== "string" || !r.objective) return null;
  const budget = Number(r.budget);
  const goal: SearchGoal = typeof r.goal === "string" && r.goal.trim().toLowerCase().startsWith("lower")
    ? "lower" : "higher";
  return { objective: r.objective, budget: Number.isFinite(budget) && budget > 0 ? Math.floor(budget) : 0,
           sampler: typeof r.sampler === "string" ? r.sampler : "", seed: Number(r.seed) || 0,
           coarseFraction: Number(r.coarse_fraction) || 0, goal };
}

/** A cell the search has not run: drawn as an empty tile (a dry run's planned cells keep their placeholder). */
export const notRun = (view: ExperimentView, cell: CellView): boolean =>
  view.search !== null && !view.dryRun && cell.status === "planned";

/** Whether `a` is better than `b` under `goal`. */
export const better = (goal: SearchGoal, a: number, b: number): boolean => (goal === "lower" ? a < b : a > b);

/** A done cell's objective value, or null (not done, missing, not a finite number). */
export function objectiveValue(cell: CellView, objective: string): number | null {
  if (cell.status !== "done") return null;
  const v = cell.metrics[objective];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The done cell with the best objective value under `goal` (the first one run of equal ones); null: none yet. */
export function bestCell(cells: readonly CellView[], objective: string, goal: SearchGoal): CellView | null {
  let best: CellView | null = null, bestValue = 0;
  for (const cell of cells) {
    const v = objectiveValue(cell, objective);
    if (v === null) continue;
    if (best === null || better(goal, v, bestValue) || (v === bestValue && runsBefore(cell, best))) {
      best = cell;
      bestValue = v;
    }
  }
  return best;
}

/** Run order: by the time a cell finished (a cell without one after those with), then by cell index. */
function runsBefore(a: CellView, b: CellView): boolean {
  const fa = a.finished ?? Infinity, fb = b.finished ?? Infinity;
  return fa !== fb ? fa < fb : a.index < b.index;
}

/** One cell run, in the order run: its objective value (null: failed or no value) and the best so far. */
export interface RunPoint {
  cell: CellView;
  value: number | null;
  best: number | null;
}

/** The objective's history: the done and failed cells in the order they finished, each with the best so far. */
export function searchHistory(cells: readonly CellView[], objective: string, goal: SearchGoal): RunPoint[] {
  const run = cells.filter((c) => c.status === "done" || c.status === "failed");
  run.sort((a, b) => (runsBefore(a, b) ? -1 : runsBefore(b, a) ? 1 : 0));
  let best: number | null = null;
  return run.map((cell) => {
    const value = objectiveValue(cell, objective);
    if (value !== null && (best === null || better(goal, value, best))) best = value;
    return { cell, value, best };
  });
}

/** A point of the chart in its box's pixels; a failed cell (no value) sits on the X axis. */
export interface ChartPoint {
  x: number;
  y: number;
  failed: boolean;
  point: RunPoint;
}

export interface ChartGeometry {
  points: ChartPoint[];
  /** the best-so-far step line as an SVG path ("" before any value) */
  step: string;
  /** the values at the top and the bottom of the plot */
  top: number;
  bottom: number;
  /** the largest and the smallest value (one when equal, none before a value) where they are drawn */
  labels: { value: number; y: number }[];
  /** the plot's box inside the chart: where the X axis is drawn */
  plot: { left: number; right: number; top: number; bottom: number };
}

export interface ChartBox {
  width: number;
  height: number;
  /** space left of the plot (the value labels), and above and below it */
  left: number;
  pad: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The chart over a box: run k of `slots` (the budget, or the cells run if more) across, the values up (the
 * larger up whatever the goal, with a margin; a single value centred). */
export function chartGeometry(history: readonly RunPoint[], slots: number, box: ChartBox): ChartGeometry {
  const plot = { left: box.left, right: box.width - box.pad, top: box.pad, bottom: box.height - box.pad };
  const values = history.map((p) => p.value).filter((v): v is number => v !== null);
  const min = Math.min(...values), max = Math.max(...values);
  let lo = min, hi = max;
  if (!values.length) [lo, hi] = [0, 1];
  else if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const margin = (hi - lo) * 0.08;
  const bottom = lo - margin, top = hi + margin;
  const n = Math.max(1, slots, history.length);
  // run k (0-based) at the middle of its slot of the width: n slots, the first at half a slot in
  const x = (k: number) => round(plot.left + ((k + 0.5) * (plot.right - plot.left)) / n);
  const y = (v: number) => round(plot.bottom - ((v - bottom) * (plot.bottom - plot.top)) / (top - bottom));
  const points = history.map((point, k) => ({ x: x(k), y: point.value === null ? plot.bottom : y(point.value),
                                              failed: point.value === null, point }));
  const parts: string[] = [];
  let last: number | null = null;
  history.forEach((p, k) => {
    if (p.best === null) return;
    const px = x(k), py = y(p.best);
    if (last === null) parts.push(`M${px} ${py}`);
    else if (py !== last) parts.push(`H${px}`, `V${py}`);
    last = py;
  });
  if (last !== null) parts.push(`H${x(history.length - 1)}`);
  const labels = !values.length ? [] : min === max ? [{ value: max, y: y(max) }]
    : [{ value: max, y: y(max) }, { value: min, y: y(min) }];
  return { points, step: parts.join(" "), top, bottom, labels, plot };
}

/** The texts around the chart: its title, the best cell's value and values, the progress. */
export interface SearchText {
  title: string;
  best: string;
  progress: string;
}

/** The best cell's labels on the axes ("cfg 7, steps 20"). */
export function cellValues(view: ExperimentView, cell: CellView): string {
  return view.axes.filter((a) => a.title || a.labels.some(Boolean))
    .map((a) => {
      const label = a.labels[cell.at[a.position] ?? 0] ?? "";  // experiment_view's cellLabel (it imports this module)
      return a.title ? `${a.title} ${label}` : label;
    }).join(", ");
}

export function searchText(view: ExperimentView, search: SearchSettings, history: readonly RunPoint[]): SearchText {
  const best = bestCell(history.map((p) => p.cell), search.objective, search.goal);
  const budget = Math.min(search.budget || view.cells.length, view.cells.length);
  const failed = history.filter((p) => p.cell.status === "failed").length;
  return {
    title: `${search.objective} (${search.goal} is better)`,
    best: best ? `best ${formatMetric(objectiveValue(best, search.objective))} at ${cellValues(view, best)}`
      : "no value yet",
    progress: `run ${history.length} of budget ${budget}${failed ? ` · ${failed} failed` : ""}`
      + (search.sampler ? ` · ${search.sampler}` : ""),
  };
}
