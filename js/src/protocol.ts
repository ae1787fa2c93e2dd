// Generated from xyz_studio/protocol.py, answers.py, storage/records.py and storage/manifest.py by
// `python -m harness.make_js_protocol`. Do not edit: change the Python side and run it again.

export const NAMESPACE = "xyz_studio";
export const NODE_ASSEMBLER = "XYZStudio.GridAssembler";
export const NODE_DRIVER = "XYZStudio.GridDriver";
export const NODE_AXIS = "XYZStudio.Axis";
export const AXIS_VALUE_OUTPUTS = 4;
export const AXIS_TYPE = "XYZ_AXIS";
/** The Grid Driver's declared axis inputs; the editor adds axis9, axis10, ... past them. */
export const AXIS_SLOTS = ["x", "y", "z", "axis4", "axis5", "axis6", "axis7", "axis8"] as const;
/** The Grid Assembler's metric inputs, each with its name and goal widgets. */
export const METRIC_WIDGETS: Record<string, readonly string[]> = {
  "metric_1": [
    "metric_1_name",
    "metric_1_goal"
  ],
  "metric_2": [
    "metric_2_name",
    "metric_2_goal"
  ],
  "metric_3": [
    "metric_3_name",
    "metric_3_goal"
  ]
};
export const SHOW_METRICS_INPUT = "show_metrics";
export const EVENT_DELETED = "xyz_studio.deleted";
export const EVENT_EXPERIMENT = "xyz_studio.experiment";
export const EVENT_CELL = "xyz_studio.cell";
export const EVENT_REFUSED = "xyz_studio.refused";

/** Route paths; `{experiment_id}` and `{name:.+}` are filled in by routes.ts. */
export const ROUTES = {
  "experiments": "/xyz_studio/experiments",
  "experiment": "/xyz_studio/experiments/{experiment_id}",
  "manifest": "/xyz_studio/experiments/{experiment_id}/manifest",
  "file": "/xyz_studio/experiments/{experiment_id}/files/{name:.+}",
  "thumbnail": "/xyz_studio/experiments/{experiment_id}/thumbnails/{name:.+}",
  "cancel": "/xyz_studio/experiments/{experiment_id}/cancel",
  "delete": "/xyz_studio/experiments/{experiment_id}/delete",
  "rename": "/xyz_studio/experiments/{experiment_id}/rename",
  "resume": "/xyz_studio/experiments/{experiment_id}/resume",
  "retry": "/xyz_studio/experiments/{experiment_id}/retry_failed",
  "workflow": "/xyz_studio/experiments/{experiment_id}/workflow",
  "export_html": "/xyz_studio/experiments/{experiment_id}/export/html",
  "export_script": "/xyz_studio/experiments/{experiment_id}/export/script",
  "export_cells": "/xyz_studio/experiments/{experiment_id}/export/cells",
  "export_flipbook": "/xyz_studio/experiments/{experiment_id}/export/flipbook",
  "latest": "/xyz_studio/latest"
} as const;

export const CELL_STATUS_WORDS = ["queued", "done", "failed", "cancelled", "planned"] as const;
export type CellStatus = (typeof CELL_STATUS_WORDS)[number];
export const EXPERIMENT_STATUS_WORDS = ["running", "complete", "cancelled", "planned", "interrupted"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUS_WORDS)[number];
export const AXIS_MODE_WORDS = ["values", "prompt S/R"] as const;
export type AxisMode = (typeof AXIS_MODE_WORDS)[number];
export const WORKER_STATE_WORDS = ["up", "down", "left_out"] as const;
export type WorkerState = (typeof WORKER_STATE_WORDS)[number];

/** EVENT_EXPERIMENT: an experiment was planned and queued, or its grids are drawn. */
export interface ExperimentEvent {
  experiment: string;
  status: ExperimentStatus;
  total: number;
  done: number;
  failed: number;
  counts?: Record<string, number>;
  grids?: string[];
  assembler?: string | null;
  workflow?: string | null;
}

/** EVENT_CELL: one cell was saved (status done), or could not be (failed, with the error). */
export interface CellEvent {
  experiment: string;
  index: number;
  x: number;
  y: number;
  z: number;
  status: CellStatus;
  files: string[];
  done: number;
  failed: number;
  total: number;
  error?: string | null;
  prompt_id?: string | null;
  metrics?: Record<string, number | null>;
  worker?: string | null;
}

/** EVENT_REFUSED: a queued XYZ workflow was not queued; ComfyUI's answer marks the node at fault. */
export interface RefusedEvent {
  driver: string;
  message: string;
  assembler?: string | null;
  workflow?: string | null;
}

// Route answers (xyz_studio/answers.py; api_views.py builds them from the same records)

/** One drawn grid: one per combination of the values of the axes after X and Y. */
export interface GridFile {
  z: number;
  file: string;
  width: number;
  height: number;
  labels: Record<string, string>;
}

/** One super-grid (the Grid Driver's super_grid option): the grids of every Z value as blocks of one PNG, one per combination of the values of the axes after Z. Listed apart from the grids (the manifest's `super_grids`), so a reader that takes `grids` as one per grid number reads them as before. */
export interface SuperGridFile {
  index: number;
  file: string;
  width: number;
  height: number;
  labels: Record<string, string>;
}

/** One experiment of a listing page: its headline with the status shown, cell counts, shape and cover. */
export interface ListedExperimentAnswer {
  id: string;
  name: string;
  created: number;
  updated: number;
  finished: number | null;
  status: ExperimentStatus;
  dry_run: boolean;
  total: number;
  grids: GridFile[];
  counts: Record<string, number>;
  shape: Record<string, number> | null;
  cover: string | null;
  disk_bytes: number;
  search_budget: number | null;
}

/** GET ROUTE_EXPERIMENTS: a page of experiments, newest first. */
export interface ExperimentPageAnswer {
  experiments: ListedExperimentAnswer[];
  total: number;
  limit: number;
  offset: number;
  q: string;
  before: number | null;
  newer: number;
  disk_bytes: number;
}

/** One server of an experiment over several, as this process knows it. */
export interface WorkerAnswer {
  url: string;
  state: WorkerState | null;
  done: number;
  last_error: string | null;
}

/** GET ROUTE_EXPERIMENT: an experiment's headline with the status shown, and its progress. */
export interface ExperimentStatusAnswer {
  id: string;
  name: string;
  created: number;
  updated: number;
  finished: number | null;
  status: ExperimentStatus;
  dry_run: boolean;
  total: number;
  grids: GridFile[];
  counts: Record<string, number>;
  done: number;
  failed: number;
  final_prompt_id: string | null;
  folder: string;
  tracking: Record<string, unknown> | null;
  workers: WorkerAnswer[] | null;
}

/** GET ROUTE_LATEST: the newest experiment run through one Grid Assembler of one editor workflow. */
export interface LatestAnswer {
  experiment: string | null;
}

/** GET ROUTE_WORKFLOW: the workflow that started an experiment. */
export interface SourceWorkflowAnswer {
  id: string;
  workflow: unknown;
  prompt: unknown;
  assembler: string | null;
}

/** The store of a health answer, read: where it is, its schema version, how many experiments it holds. */
export interface StoreHealth {
  ok: boolean;
  path: string;
  schema: number;
  experiments: number;
}

/** The store of a health answer, when it cannot be read: where it is and why. */
export interface StoreBroken {
  ok: boolean;
  path: string;
  error: string;
}

/** An experiment of a health answer that is running: its progress, and its servers when spread over several. */
export interface RunningExperimentHealth {
  id: string;
  name: string;
  total: number;
  done: number;
  failed: number;
  servers: string[] | null;
}

/** A worker server as this process knows it (each entry of the health answer's `workers`). */
export interface WorkerHealth {
  url: string;
  state: WorkerState;
  in_flight: number;
  done: number;
  failed: number;
  last_error: string | null;
  since: number;
}

/** GET ROUTE_HEALTH: can the store be read, what each worker server is doing, what runs. */
export interface HealthAnswer {
  ok: boolean;
  store: StoreHealth | StoreBroken;
  workers: WorkerHealth[];
  experiments: RunningExperimentHealth[];
}

/** POST ROUTE_CANCEL: the experiment, finished with what it has. */
export interface CancelledAnswer {
  id: string;
  status: ExperimentStatus;
  cancelled: number;
  counts: Record<string, number>;
  grids: GridFile[];
}

/** POST ROUTE_RESUME and ROUTE_RETRY: the cells queued again. */
export interface RequeuedAnswer {
  id: string;
  status: ExperimentStatus;
  queued: number;
  adopted: number;
  total: number;
}

/** POST ROUTE_DELETE: the experiment's record and folder are gone. */
export interface DeletedAnswer {
  id: string;
  name: string;
  deleted: boolean;
}

/** POST ROUTE_RENAME: the experiment's new name. */
export interface RenamedAnswer {
  id: string;
  name: string;
}

/** An input that no axis varies, as the grid's footer shows it. */
export interface FixedParameter {
  node: string;
  input: string;
  value: string;
}

/** One axis of an experiment: the inputs it sets, its values and their labels (as its plan stores them). */
export interface ManifestAxis {
  slot: string;
  node_id: string;
  title: string;
  mode: AxisMode;
  search: string | null;
  targets: string[][][];
  values: unknown[][];
  labels: string[];
}

/** One cell of an experiment: its place, run and outcome, and its label and values on each axis. */
export interface ManifestCell {
  index: number;
  x: number;
  y: number;
  z: number;
  run_order: number;
  status: CellStatus;
  prompt_id: string | null;
  attempts: number;
  seconds: number | null;
  started_at: number | null;
  finished_at: number | null;
  files: string[];
  error: string | null;
  metrics: Record<string, number | null>;
  worker: string | null;
  labels: Record<string, string>;
  values: Record<string, unknown[]>;
  at: Record<string, number>;
}

/** An experiment's manifest (GET ROUTE_MANIFEST, and manifest.json in its folder). */
export interface Manifest {
  schema: string;
  id: string;
  name: string;
  status: ExperimentStatus;
  dry_run: boolean;
  created: number;
  finished: number | null;
  shape: Record<string, number>;
  order: string[];
  axes: ManifestAxis[];
  fixed: FixedParameter[];
  options: Record<string, unknown>;
  counts: Record<string, number>;
  cells: ManifestCell[];
  grids: GridFile[];
  super_grids: SuperGridFile[];
  metrics: Record<string, unknown>[];
  tracking: Record<string, unknown> | null;
}
