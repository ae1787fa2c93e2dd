// Every touch of the ComfyUI frontend (app, api, extensionManager) is here, typed by
// what we use and feature-detected: the toast and sidebar APIs differ between
// frontend 1.32 and 1.58. Nothing else in the extension reaches into the editor.

/** The parts of a graph node the panel uses (LiteGraph's LGraphNode, public members only). */
export interface HostNode {
  id: number | string;
  type: string;
  /** the node's class: set before `type` is (a node made in the editor has type '' in nodeCreated) */
  comfyClass?: string;
  size: [number, number];
  properties: Record<string, unknown>;
  flags?: { collapsed?: boolean };
  addDOMWidget?: (name: string, type: string, element: HTMLElement, options: Record<string, unknown>) => HostWidget;
  setSize?: (size: [number, number]) => void;
  setDirtyCanvas?: (foreground: boolean, background?: boolean) => void;
  onRemoved?: () => void;
}

export interface HostWidget {
  name: string;
  serialize?: boolean;
  options?: Record<string, unknown>;
}

interface ComfyApi extends EventTarget {
  fetchApi(route: string, options?: RequestInit): Promise<Response>;
  apiURL(route: string): string;
  clientId?: string;
  initialClientId?: string;
}

interface SidebarTab {
  id: string;
  title: string;
  icon: string;
  tooltip?: string;
  type: "custom";
  render: (element: HTMLElement) => void;
  destroy?: () => void;
}

interface ConfirmOptions {
  title: string;
  message: string;
  type?: "default" | "delete" | "overwrite";
}

interface ExtensionManager {
  registerSidebarTab?: (tab: SidebarTab) => void;
  toast?: { add?: (message: Record<string, unknown>) => void };
  /** 1.32 and 1.58: confirm resolves true (confirmed), false (denied) or null (closed) */
  dialog?: { confirm?: (options: ConfirmOptions) => Promise<boolean | null> };
}

export interface ComfyExtension {
  name: string;
  init?: () => void | Promise<void>;
  setup?: () => void | Promise<void>;
  nodeCreated?: (node: HostNode) => void;
  loadedGraphNode?: (node: HostNode) => void;
  [hook: string]: unknown;
}

interface ComfyApp {
  registerExtension(extension: ComfyExtension): void;
  loadGraphData(graph: unknown, clean?: boolean, restore?: boolean, workflow?: unknown): Promise<void>;
  extensionManager?: ExtensionManager;
  graph?: { id?: string; nodes?: HostNode[]; getNodeById?: (id: number | string) => HostNode | null };
  rootGraph?: { id?: string; nodes?: HostNode[] };
}

interface ComfyGlobals {
  comfyAPI?: { app?: { app?: ComfyApp }; api?: { api?: ComfyApi } };
}

function globals(): ComfyGlobals {
  return globalThis as unknown as ComfyGlobals;
}

export function comfyApp(): ComfyApp {
  const app = globals().comfyAPI?.app?.app;
  if (!app) throw new Error("XYZ Plot Studio: the ComfyUI app is not loaded (window.comfyAPI.app.app)");
  return app;
}

function comfyApi(): ComfyApi {
  const api = globals().comfyAPI?.api?.api;
  if (!api) throw new Error("XYZ Plot Studio: the ComfyUI api is not loaded (window.comfyAPI.api.api)");
  return api;
}

export function registerExtension(extension: ComfyExtension): void {
  comfyApp().registerExtension(extension);
}

/** Listen to a server event (the pack's own or ComfyUI's); returns the function that stops it. */
export function onServerEvent<T>(name: string, listener: (detail: T) => void): () => void {
  const api = comfyApi();
  const handler = (event: Event) => listener((event as CustomEvent<T>).detail);
  api.addEventListener(name, handler);
  return () => api.removeEventListener(name, handler);
}

/** GET/POST one of the pack's routes through the frontend's own fetch (it adds the /api
 * prefix and whatever credentials the editor sends). Errors carry the route's message. */
export async function callRoute<T>(path: string, method: "GET" | "POST" = "GET", body?: unknown): Promise<T> {
  const init: RequestInit = { method, cache: "no-store" };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const response = await comfyApi().fetchApi(path, init);
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data && typeof data === "object" && "error" in data ? String((data as { error: unknown }).error) : text;
    throw new RouteError(response.status, message || `HTTP ${response.status}`);
  }
  return data as T;
}

export class RouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** An URL for an <img> (the frontend's api base, so a sub-path install works too). */
export function routeURL(path: string): string {
  return comfyApi().apiURL(path);
}

export function clientId(): string | undefined {
  const api = comfyApi();
  return api.clientId ?? api.initialClientId;
}

export type Severity = "success" | "info" | "warn" | "error";

/** A toast where the frontend has them (`add` in both 1.32 and 1.58), else the console. */
export function toast(severity: Severity, summary: string, detail: string): void {
  const add = comfyApp().extensionManager?.toast?.add;
  if (typeof add === "function") {
    add.call(comfyApp().extensionManager?.toast, { severity, summary, detail, life: 5000 });
  } else if (severity === "error") {
    console.warn(`XYZ Plot Studio: ${summary}: ${detail}`);
  }
}

/** Ask the user to confirm: the editor's own dialog where it has one (its text is text, not
 * markup), else the browser's. `type` "delete" gives the editor's red Delete button. */
export async function confirmDialog(title: string, message: string, type: ConfirmOptions["type"] = "default"): Promise<boolean> {
  const dialog = comfyApp().extensionManager?.dialog;
  if (dialog && typeof dialog.confirm === "function") return (await dialog.confirm({ title, message, type })) === true;
  return window.confirm(`${title}\n\n${message}`);
}

/** Register the sidebar tab if this frontend has the sidebar API; false when it does not. */
export function registerSidebarTab(tab: SidebarTab): boolean {
  const manager = comfyApp().extensionManager;
  if (!manager || typeof manager.registerSidebarTab !== "function") return false;
  manager.registerSidebarTab(tab);
  return true;
}

/** Replace the editor's graph with a saved UI workflow (the experiment's source). */
export async function loadWorkflow(workflow: unknown): Promise<void> {
  await comfyApp().loadGraphData(workflow);
}

/** The nodes of the graph on screen (root graph where the frontend has it). */
export function graphNodes(): HostNode[] {
  const app = comfyApp();
  return app.rootGraph?.nodes ?? app.graph?.nodes ?? [];
}

/** The id of the workflow on screen (the root graph's own id, saved in the workflow as `id`). */
export function workflowId(): string | null {
  const app = comfyApp();
  const id = app.rootGraph?.id ?? app.graph?.id;
  return typeof id === "string" && id ? id : null;
}

/** A node's class name, whether or not the frontend has set its `type` yet. */
export function nodeClass(node: HostNode): string {
  return node.comfyClass || node.type;
}

/** Chain a handler onto a node's onRemoved (fires on delete, on clearing the graph and on
 * switching workflow tabs), keeping whatever was there. */
export function onNodeRemoved(node: HostNode, handler: () => void): void {
  const previous = node.onRemoved;
  node.onRemoved = function (this: HostNode) {
    handler();
    return previous?.call(this);
  };
}

/** Add a UI-only DOM widget: never in the API prompt (options.serialize) nor in
 * widgets_values (widget.serialize), and added last so it shifts no saved value. */
export function addPanelWidget(node: HostNode, name: string, element: HTMLElement,
                               minHeight: () => number): HostWidget | null {
  if (typeof node.addDOMWidget !== "function") return null;
  const widget = node.addDOMWidget(name, "xyz_studio.panel", element, {
    serialize: false,
    hideOnZoom: false,
    getMinHeight: minHeight,
    margin: 6,
  });
  widget.serialize = false;
  return widget;
}

export function redraw(node: HostNode): void {
  node.setDirtyCanvas?.(true, true);
}

// -- node shapes (node_shapes.ts): which widgets and outputs a node shows ---------------

/** A node's input or output slot (LiteGraph's, the members the node shapes read). */
export interface HostSlot {
  name: string;
  type?: string | number;
  link?: number | null;          // an input's link
  links?: number[] | null;       // an output's links
  widget?: { name: string };     // the widget an input belongs to
}

interface ShapedWidget extends HostWidget {
  value?: unknown;
  hidden?: boolean;
  callback?: (...args: unknown[]) => unknown;
  computeSize?: (width?: number) => [number, number];
}

const ZERO_ROW = (): [number, number] => [0, -4];  // LiteGraph adds 4 px to a widget's height
const ownComputeSize = new WeakMap<ShapedWidget, ShapedWidget["computeSize"]>();

interface ShapedNode extends HostNode {
  widgets?: ShapedWidget[];
  inputs?: HostSlot[];
  outputs?: HostSlot[];
  graph?: { trigger?: (action: string, param: unknown) => void; onNodeAdded?: (node: unknown) => void } | null;
  onConnectionsChange?: (...args: unknown[]) => unknown;
  addOutput?: (name: string, type: string | number) => unknown;
  removeOutput?: (slot: number) => void;
  addInput?: (name: string, type: string | number, extra?: Record<string, unknown>) => unknown;
  removeInput?: (slot: number) => void;
  computeSize?: () => [number, number];
}

function shaped(node: HostNode): ShapedNode {
  return node as ShapedNode;
}

export function widgetValue(node: HostNode, name: string): unknown {
  return shaped(node).widgets?.find((w) => w.name === name)?.value;
}

/** Whether an input (a socket, or a widget's own socket) has a link. */
export function inputLinked(node: HostNode, name: string): boolean {
  const input = shaped(node).inputs?.find((i) => i.name === name || i.widget?.name === name);
  return input?.link !== undefined && input?.link !== null;
}

export function outputs(node: HostNode): HostSlot[] {
  return shaped(node).outputs ?? [];
}

export function outputLinked(slot: HostSlot): boolean {
  return (slot.links?.length ?? 0) > 0;
}

/** Hide or show a widget without removing it (widgets_values are positional, and the API
 * prompt reads every widget, hidden or not): `widget.hidden` is what the classic canvas
 * reads on 1.32 and 1.58; `options.hidden` what 1.32's Vue renderer reads (1.58 reads both).
 * True when it changed. */
export function setWidgetHidden(node: HostNode, name: string, hidden: boolean): boolean {
  const widget = shaped(node).widgets?.find((w) => w.name === name);
  if (!widget || Boolean(widget.hidden) === hidden) return false;
  widget.hidden = hidden;
  widget.options = widget.options ?? {};
  widget.options["hidden"] = hidden;
  if (!("visibility" in widget)) {
    // 1.32's classic canvas skips a hidden widget when drawing but still lays out its row:
    // a zero height closes the gap (1.58 lays out visible widgets only)
    if (hidden) {
      if (Object.prototype.hasOwnProperty.call(widget, "computeSize")) ownComputeSize.set(widget, widget.computeSize);
      widget.computeSize = ZERO_ROW;
    } else if (ownComputeSize.has(widget)) {
      widget.computeSize = ownComputeSize.get(widget);
      ownComputeSize.delete(widget);
    } else {
      delete widget.computeSize;
    }
  }
  return true;
}

/** Remove the node's last output (the node shapes only ever remove a trailing, unlinked one,
 * so no link's output index shifts). */
export function removeLastOutput(node: HostNode): void {
  const n = shaped(node);
  if (n.outputs?.length) n.removeOutput?.(n.outputs.length - 1);
}

export function addOutput(node: HostNode, name: string, type: string | number): void {
  shaped(node).addOutput?.(name, type);
}

export function inputs(node: HostNode): HostSlot[] {
  return shaped(node).inputs ?? [];
}

/** Remove the node's last input (only ever a trailing, unlinked one: no link's input index shifts). */
export function removeLastInput(node: HostNode): void {
  const n = shaped(node);
  if (n.inputs?.length) n.removeInput?.(n.inputs.length - 1);
}

/** Add an input at the end; `label` is what both renderers show for it. */
export function addInput(node: HostNode, name: string, type: string | number, label: string): void {
  shaped(node).addInput?.(name, type, { label });
}

/** Call `handler` after any link to or from the node is made or removed. */
export function onConnectionsChanged(node: HostNode, handler: () => void): void {
  const n = shaped(node);
  const previous = n.onConnectionsChange;
  n.onConnectionsChange = function (this: HostNode, ...args: unknown[]) {
    const result = previous?.apply(this, args);
    handler();
    return result;
  };
}

/** Call `handler` after widget `name` changes (typing, a combo pick; both renderers call it). */
export function onWidgetChanged(node: HostNode, name: string, handler: () => void): void {
  const widget = shaped(node).widgets?.find((w) => w.name === name);
  if (!widget) return;
  const previous = widget.callback;
  widget.callback = function (this: unknown, ...args: unknown[]) {
    const result = previous?.apply(this, args);
    handler();
    return result;
  };
}

function vueRenderer(): boolean {
  const setting = comfyApp().extensionManager as { setting?: { get?: (id: string) => unknown } } | undefined;
  return setting?.setting?.get?.("Comfy.VueNodes.Enabled") === true;
}

/** After widgets were hidden or outputs changed: redraw, tell the Vue renderer, and with
 * `fit` give the node the height its content now needs. 1.58's Vue nodes follow a widget's
 * visibility themselves. 1.32's keep a copy of the node's widgets and slots: a slot event
 * copies the slots again, but the widgets are copied once for good at the node's first link
 * change, so only what the renderer does for an added node (read the node afresh) shows a
 * widget hidden or shown after that. */
export function reshaped(node: HostNode, changedWidgets: string[], fit: boolean): void {
  const n = shaped(node);
  const copiesWidgets = changedWidgets.length > 0 && !n.widgets?.some((w) => "visibility" in w);
  if (copiesWidgets && vueRenderer()) n.graph?.onNodeAdded?.(node);
  n.graph?.trigger?.("node:slot-errors:changed", { nodeId: node.id });
  if (fit && n.computeSize) node.setSize?.([node.size[0], n.computeSize()[1]]);
  node.setDirtyCanvas?.(true, true);
}
