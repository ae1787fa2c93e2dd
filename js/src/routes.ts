// The pack's HTTP routes, typed. Shapes: the answers generated into protocol.ts from xyz_studio/answers.py,
// and the manifest (schema "xyz-studio/manifest/3", in the README) from xyz_studio/storage/manifest.py.
import {
  ROUTES, type CancelledAnswer, type DeletedAnswer, type ExperimentPageAnswer, type LatestAnswer,
  type ListedExperimentAnswer, type Manifest, type RenamedAnswer, type RequeuedAnswer, type SourceWorkflowAnswer,
} from "./protocol";
import { callRoute, clientId, routeURL } from "./host";

export type { GridFile, Manifest, ManifestAxis, ManifestCell } from "./protocol";
export type ExperimentRow = ListedExperimentAnswer;
export type ExperimentPage = ExperimentPageAnswer;
export type SourceWorkflow = SourceWorkflowAnswer;

function fill(route: string, experimentId: string, name?: string): string {
  let path = route.replace("{experiment_id}", encodeURIComponent(experimentId));
  if (name !== undefined) path = path.replace("{name:.+}", name.split("/").map(encodeURIComponent).join("/"));
  return path;
}

/** A page of experiments, newest first; `q` searches names and id starts; `before` (a `created`
 * time) keeps a later page in place while new runs come in. */
export function listExperiments(limit: number, offset: number, q = "", before: number | null = null) {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (q) query.set("q", q);
  if (before !== null) query.set("before", String(before));
  return callRoute<ExperimentPage>(`${ROUTES.experiments}?${query}`);
}

/** Delete an experiment's record and folder (a RouteError 409 while it runs). */
export const deleteExperiment = (id: string) => callRoute<DeletedAnswer>(fill(ROUTES.delete, id), "POST", {});
export const renameExperiment = (id: string, name: string) =>
  callRoute<RenamedAnswer>(fill(ROUTES.rename, id), "POST", { name });
export const manifest = (id: string) => callRoute<Manifest>(fill(ROUTES.manifest, id));
export const sourceWorkflow = (id: string) => callRoute<SourceWorkflow>(fill(ROUTES.workflow, id));

/** The newest experiment run through Grid Assembler `assembler` of workflow `workflow` (null: none). */
export const latestExperiment = (workflow: string, assembler: string) =>
  callRoute<LatestAnswer>(
    `${ROUTES.latest}?workflow=${encodeURIComponent(workflow)}&assembler=${encodeURIComponent(assembler)}`);

/** Downloads of an experiment, for the panel's export menu. */
export const exportURLs = (id: string) => ({
  viewer: routeURL(fill(ROUTES.export_html, id)),
  script: routeURL(fill(ROUTES.export_script, id)),
  cells: routeURL(fill(ROUTES.export_cells, id)),
});

export type FlipbookFormat = "webp" | "gif";
/** A frame's time in a flipbook from the panel (the route's own default). */
export const FLIPBOOK_MS = 500;

/** An animated flipbook along `axis` (a slot), every other axis held at its value index in `at`. */
export function flipbookURL(id: string, axis: string, at: Record<string, number>, format: FlipbookFormat,
                            ms = FLIPBOOK_MS): string {
  const held = Object.entries(at).map(([slot, index]) => `${slot}=${index}`).join(",");
  return routeURL(`${fill(ROUTES.export_flipbook, id)}?axis=${encodeURIComponent(axis)}&at=${encodeURIComponent(held)}`
    + `&format=${encodeURIComponent(format)}&ms=${encodeURIComponent(String(ms))}`);
}

export type LifecycleAction = "cancel" | "resume" | "retry";
/** What each action's route answers. */
export interface ActionAnswers { cancel: CancelledAnswer; resume: RequeuedAnswer; retry: RequeuedAnswer }

export function runAction<A extends LifecycleAction>(id: string, action: A): Promise<ActionAnswers[A]> {
  const cid = clientId();
  return callRoute<ActionAnswers[A]>(fill(ROUTES[action], id), "POST", cid ? { client_id: cid } : {});
}

/** A scaled copy of a cell or grid (the server snaps `size` to its list of sizes). */
export const thumbnailURL = (id: string, file: string, size: number) =>
  routeURL(`${fill(ROUTES.thumbnail, id, file)}?size=${size}`);
export const fileURL = (id: string, file: string) => routeURL(fill(ROUTES.file, id, file));
