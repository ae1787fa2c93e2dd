// XYZ Plot Studio editor extension. Built from js/src by `npm run build` in js/: do not edit.

// src/protocol.ts
var NODE_ASSEMBLER = "XYZStudio.GridAssembler";
var NODE_DRIVER = "XYZStudio.GridDriver";
var NODE_AXIS = "XYZStudio.Axis";
var AXIS_VALUE_OUTPUTS = 4;
var AXIS_TYPE = "XYZ_AXIS";
var AXIS_SLOTS = ["x", "y", "z", "axis4", "axis5", "axis6", "axis7", "axis8"];
var METRIC_WIDGETS = {
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
var SHOW_METRICS_INPUT = "show_metrics";
var EVENT_DELETED = "xyz_studio.deleted";
var EVENT_EXPERIMENT = "xyz_studio.experiment";
var EVENT_CELL = "xyz_studio.cell";
var EVENT_REFUSED = "xyz_studio.refused";
var ROUTES = {
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
};

// src/host.ts
function globals() {
  return globalThis;
}
function comfyApp() {
  const app = globals().comfyAPI?.app?.app;
  if (!app) throw new Error("XYZ Plot Studio: the ComfyUI app is not loaded (window.comfyAPI.app.app)");
  return app;
}
function comfyApi() {
  const api = globals().comfyAPI?.api?.api;
  if (!api) throw new Error("XYZ Plot Studio: the ComfyUI api is not loaded (window.comfyAPI.api.api)");
  return api;
}
function registerExtension(extension) {
  comfyApp().registerExtension(extension);
}
function onServerEvent(name, listener) {
  const api = comfyApi();
  const handler = (event) => listener(event.detail);
  api.addEventListener(name, handler);
  return () => api.removeEventListener(name, handler);
}
async function callRoute(path, method = "GET", body) {
  const init = { method, cache: "no-store" };
  if (body !== void 0) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const response = await comfyApi().fetchApi(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data && typeof data === "object" && "error" in data ? String(data.error) : text;
    throw new RouteError(response.status, message || `HTTP ${response.status}`);
  }
  return data;
}
var RouteError = class extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  status;
};
function routeURL(path) {
  return comfyApi().apiURL(path);
}
function clientId() {
  const api = comfyApi();
  return api.clientId ?? api.initialClientId;
}
function toast(severity, summary, detail) {
  const add = comfyApp().extensionManager?.toast?.add;
  if (typeof add === "function") {
    add.call(comfyApp().extensionManager?.toast, { severity, summary, detail, life: 5e3 });
  } else if (severity === "error") {
    console.warn(`XYZ Plot Studio: ${summary}: ${detail}`);
  }
}
async function confirmDialog(title, message, type = "default") {
  const dialog = comfyApp().extensionManager?.dialog;
  if (dialog && typeof dialog.confirm === "function") return await dialog.confirm({ title, message, type }) === true;
  return window.confirm(`${title}

${message}`);
}
function registerSidebarTab(tab) {
  const manager = comfyApp().extensionManager;
  if (!manager || typeof manager.registerSidebarTab !== "function") return false;
  manager.registerSidebarTab(tab);
  return true;
}
async function loadWorkflow(workflow) {
  await comfyApp().loadGraphData(workflow);
}
function graphNodes() {
  const app = comfyApp();
  return app.rootGraph?.nodes ?? app.graph?.nodes ?? [];
}
function workflowId() {
  const app = comfyApp();
  const id = app.rootGraph?.id ?? app.graph?.id;
  return typeof id === "string" && id ? id : null;
}
function nodeClass(node) {
  return node.comfyClass || node.type;
}
function onNodeRemoved(node, handler) {
  const previous = node.onRemoved;
  node.onRemoved = function() {
    handler();
    return previous?.call(this);
  };
}
function addPanelWidget(node, name, element2, minHeight) {
  if (typeof node.addDOMWidget !== "function") return null;
  const widget = node.addDOMWidget(name, "xyz_studio.panel", element2, {
    serialize: false,
    hideOnZoom: false,
    getMinHeight: minHeight,
    margin: 6
  });
  widget.serialize = false;
  return widget;
}
function redraw(node) {
  node.setDirtyCanvas?.(true, true);
}
var ZERO_ROW = () => [0, -4];
var ownComputeSize = /* @__PURE__ */ new WeakMap();
function shaped(node) {
  return node;
}
function widgetValue(node, name) {
  return shaped(node).widgets?.find((w) => w.name === name)?.value;
}
function inputLinked(node, name) {
  const input = shaped(node).inputs?.find((i) => i.name === name || i.widget?.name === name);
  return input?.link !== void 0 && input?.link !== null;
}
function outputs(node) {
  return shaped(node).outputs ?? [];
}
function outputLinked(slot) {
  return (slot.links?.length ?? 0) > 0;
}
function setWidgetHidden(node, name, hidden) {
  const widget = shaped(node).widgets?.find((w) => w.name === name);
  if (!widget || Boolean(widget.hidden) === hidden) return false;
  widget.hidden = hidden;
  widget.options = widget.options ?? {};
  widget.options["hidden"] = hidden;
  if (!("visibility" in widget)) {
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
function removeLastOutput(node) {
  const n = shaped(node);
  if (n.outputs?.length) n.removeOutput?.(n.outputs.length - 1);
}
function addOutput(node, name, type) {
  shaped(node).addOutput?.(name, type);
}
function inputs(node) {
  return shaped(node).inputs ?? [];
}
function removeLastInput(node) {
  const n = shaped(node);
  if (n.inputs?.length) n.removeInput?.(n.inputs.length - 1);
}
function addInput(node, name, type, label3) {
  shaped(node).addInput?.(name, type, { label: label3 });
}
function onConnectionsChanged(node, handler) {
  const n = shaped(node);
  const previous = n.onConnectionsChange;
  n.onConnectionsChange = function(...args) {
    const result = previous?.apply(this, args);
    handler();
    return result;
  };
}
function onWidgetChanged(node, name, handler) {
  const widget = shaped(node).widgets?.find((w) => w.name === name);
  if (!widget) return;
  const previous = widget.callback;
  widget.callback = function(...args) {
    const result = previous?.apply(this, args);
    handler();
    return result;
  };
}
function vueRenderer() {
  const setting = comfyApp().extensionManager;
  return setting?.setting?.get?.("Comfy.VueNodes.Enabled") === true;
}
function reshaped(node, changedWidgets, fit) {
  const n = shaped(node);
  const copiesWidgets = changedWidgets.length > 0 && !n.widgets?.some((w) => "visibility" in w);
  if (copiesWidgets && vueRenderer()) n.graph?.onNodeAdded?.(node);
  n.graph?.trigger?.("node:slot-errors:changed", { nodeId: node.id });
  if (fit && n.computeSize) node.setSize?.([node.size[0], n.computeSize()[1]]);
  node.setDirtyCanvas?.(true, true);
}

// src/format.ts
var TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
var DAY = { month: "short", day: "numeric" };
var DAY_AND_YEAR = { ...DAY, year: "numeric" };
var FULL = { ...DAY_AND_YEAR, ...TIME, second: "2-digit", weekday: "short" };
function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
function formatWhen(seconds, now = /* @__PURE__ */ new Date(), locale) {
  const when = new Date(seconds * 1e3);
  const time = when.toLocaleTimeString(locale, TIME);
  if (sameDay(when, now)) return `today ${time}`;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (sameDay(when, yesterday)) return `yesterday ${time}`;
  const day = when.toLocaleDateString(locale, when.getFullYear() === now.getFullYear() ? DAY : DAY_AND_YEAR);
  return `${day}, ${time}`;
}
function formatFullDate(seconds, locale) {
  return new Date(seconds * 1e3).toLocaleString(locale, FULL);
}
var UNITS = ["KB", "MB", "GB", "TB"];
function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 1e3) return `${bytes > 0 && bytes < 1e3 ? Math.round(bytes) : 0} B`;
  let value = bytes;
  let unit = -1;
  while ((unit < 0 || value >= 999.5) && unit < UNITS.length - 1) {
    value /= 1e3;
    unit++;
  }
  const shown = value >= 99.95 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}
var MISSING = "–";
var UNKNOWN_TIME = "?";
var SIGNIFICANT = 4;
var EXPONENT_BELOW = -4;
var WHOLE_FROM = 3;
var EXPONENT_FROM = 6;
function plain(digits, exponent) {
  const kept = digits.replace(/0+$/, "") || "0";
  if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + kept;
  const whole = kept.slice(0, exponent + 1).padEnd(exponent + 1, "0"), fraction = kept.slice(exponent + 1);
  return fraction ? `${whole}.${fraction}` : whole;
}
function formatMetric(value) {
  if (value === null || value === void 0 || !Number.isFinite(value)) return MISSING;
  if (value === 0) return "0";
  const sign = value < 0 ? "-" : "", size = Math.abs(value);
  const [mantissa = "0", power = "0"] = size.toExponential(SIGNIFICANT - 1).split("e");
  const exponent = Number(power), digits = mantissa.replace(".", "");
  if (exponent >= EXPONENT_BELOW && exponent < WHOLE_FROM) return sign + plain(digits, exponent);
  if (exponent >= WHOLE_FROM && size < 10 ** EXPONENT_FROM) {
    const whole = size.toFixed(0);
    if (whole.length <= EXPONENT_FROM) return sign + whole;
  }
  const kept = digits.replace(/0+$/, "") || "0";
  const shown = kept.length > 1 ? `${kept[0]}.${kept.slice(1)}` : kept;
  return `${sign}${shown}e${exponent >= 0 ? "+" : "-"}${Math.abs(exponent)}`;
}
function formatSeconds(seconds) {
  if (seconds === null || seconds === void 0 || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN_TIME;
  const tenths = seconds.toFixed(1);
  if (Number(tenths) < 10) return `${tenths} s`;
  const whole = Number(seconds.toFixed(0));
  if (whole < 60) return `${whole} s`;
  const h = Math.floor(whole / 3600), m = Math.floor(whole % 3600 / 60), s = whole % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
function describeCell(facts) {
  const lines = facts.axes.map(([title, label3]) => `${title}: ${label3}`);
  lines.push(facts.seconds !== null ? `time: ${formatSeconds(facts.seconds)}` : `status: ${facts.status}`);
  for (const [name, value] of facts.metrics) lines.push(`${name}: ${formatMetric(value)}`);
  if (facts.server) lines.push(`server: ${facts.server}`);
  if (facts.error) lines.push(`error: ${facts.error}`);
  return lines;
}

// src/search_model.ts
function readSearch(raw) {
  if (!raw || typeof raw !== "object") return null;
  const r = raw;
  if (typeof r.objective !== "string" || !r.objective) return null;
  const budget = Number(r.budget);
  const goal = typeof r.goal === "string" && r.goal.trim().toLowerCase().startsWith("lower") ? "lower" : "higher";
  return {
    objective: r.objective,
    budget: Number.isFinite(budget) && budget > 0 ? Math.floor(budget) : 0,
    sampler: typeof r.sampler === "string" ? r.sampler : "",
    seed: Number(r.seed) || 0,
    coarseFraction: Number(r.coarse_fraction) || 0,
    goal
  };
}
var notRun = (view, cell) => view.search !== null && !view.dryRun && cell.status === "planned";
var better = (goal, a, b) => goal === "lower" ? a < b : a > b;
function objectiveValue(cell, objective) {
  if (cell.status !== "done") return null;
  const v = cell.metrics[objective];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function bestCell(cells, objective, goal) {
  let best = null, bestValue = 0;
  for (const cell of cells) {
    const v = objectiveValue(cell, objective);
    if (v === null) continue;
    if (best === null || better(goal, v, bestValue) || v === bestValue && runsBefore(cell, best)) {
      best = cell;
      bestValue = v;
    }
  }
  return best;
}
function runsBefore(a, b) {
  const fa = a.finished ?? Infinity, fb = b.finished ?? Infinity;
  return fa !== fb ? fa < fb : a.index < b.index;
}
function searchHistory(cells, objective, goal) {
  const run = cells.filter((c) => c.status === "done" || c.status === "failed");
  run.sort((a, b) => runsBefore(a, b) ? -1 : runsBefore(b, a) ? 1 : 0);
  let best = null;
  return run.map((cell) => {
    const value = objectiveValue(cell, objective);
    if (value !== null && (best === null || better(goal, value, best))) best = value;
    return { cell, value, best };
  });
}
var round = (n) => Math.round(n * 10) / 10;
function chartGeometry(history, slots, box) {
  const plot = { left: box.left, right: box.width - box.pad, top: box.pad, bottom: box.height - box.pad };
  const values = history.map((p) => p.value).filter((v) => v !== null);
  const min = Math.min(...values), max = Math.max(...values);
  let lo = min, hi = max;
  if (!values.length) [lo, hi] = [0, 1];
  else if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const margin = (hi - lo) * 0.08;
  const bottom = lo - margin, top = hi + margin;
  const n = Math.max(1, slots, history.length);
  const x = (k) => round(plot.left + (k + 0.5) * (plot.right - plot.left) / n);
  const y = (v) => round(plot.bottom - (v - bottom) * (plot.bottom - plot.top) / (top - bottom));
  const points = history.map((point, k) => ({
    x: x(k),
    y: point.value === null ? plot.bottom : y(point.value),
    failed: point.value === null,
    point
  }));
  const parts = [];
  let last = null;
  history.forEach((p, k) => {
    if (p.best === null) return;
    const px = x(k), py = y(p.best);
    if (last === null) parts.push(`M${px} ${py}`);
    else if (py !== last) parts.push(`H${px}`, `V${py}`);
    last = py;
  });
  if (last !== null) parts.push(`H${x(history.length - 1)}`);
  const labels = !values.length ? [] : min === max ? [{ value: max, y: y(max) }] : [{ value: max, y: y(max) }, { value: min, y: y(min) }];
  return { points, step: parts.join(" "), top, bottom, labels, plot };
}
function cellValues(view, cell) {
  return view.axes.filter((a) => a.title || a.labels.some(Boolean)).map((a) => {
    const label3 = a.labels[cell.at[a.position] ?? 0] ?? "";
    return a.title ? `${a.title} ${label3}` : label3;
  }).join(", ");
}
function searchText(view, search, history) {
  const best = bestCell(history.map((p) => p.cell), search.objective, search.goal);
  const budget = Math.min(search.budget || view.cells.length, view.cells.length);
  const failed = history.filter((p) => p.cell.status === "failed").length;
  return {
    title: `${search.objective} (${search.goal} is better)`,
    best: best ? `best ${formatMetric(objectiveValue(best, search.objective))} at ${cellValues(view, best)}` : "no value yet",
    progress: `run ${history.length} of budget ${budget}${failed ? ` · ${failed} failed` : ""}` + (search.sampler ? ` · ${search.sampler}` : "")
  };
}

// src/experiment_view.ts
function slotRank(slot) {
  const fixed = ["x", "y", "z"].indexOf(slot);
  if (fixed >= 0) return fixed;
  const n = /^axis(\d+)$/.exec(slot);
  return n ? Number(n[1]) - 1 : Number.MAX_SAFE_INTEGER;
}
var bySlot = (a, b) => slotRank(a) - slotRank(b) || (a < b ? -1 : a > b ? 1 : 0);
function cellIndex(at, sizes) {
  let index = 0;
  for (let k = sizes.length - 1; k >= 0; k--) index = index * sizes[k] + (at[k] ?? 0);
  return index;
}
function cellCoords(index, sizes) {
  return sizes.map((size) => {
    const value = index % size;
    index = Math.floor(index / size);
    return value;
  });
}
function fromManifest(m) {
  const slots = [.../* @__PURE__ */ new Set(["x", "y", "z", ...Object.keys(m.shape ?? {})])].sort(bySlot);
  const sizes = slots.map((slot) => Math.max(1, Math.floor(m.shape?.[slot] ?? 1)));
  const axes = [];
  for (const a of [...m.axes].sort((p, q) => bySlot(p.slot, q.slot))) {
    const position = slots.indexOf(a.slot);
    if (position >= 0) axes.push({ slot: a.slot, position, title: a.title, labels: a.labels.map(String) });
  }
  if (!axes.some((a) => a.slot === "x")) {
    axes.unshift({ slot: "x", position: 0, title: "", labels: Array.from({ length: sizes[0] }, () => "") });
  }
  const nx = sizes[0], ny = sizes[1];
  const count = sizes.reduce((a, b) => a * b, 1);
  const cells = new Array(count);
  for (let index = 0; index < count; index++) {
    cells[index] = {
      index,
      x: index % nx,
      y: Math.floor(index / nx) % ny,
      z: Math.floor(index / (nx * ny)),
      at: cellCoords(index, sizes),
      status: "queued",
      files: [],
      error: null,
      seconds: null,
      labels: {},
      metrics: {},
      worker: null,
      finished: null
    };
  }
  for (const c of m.cells) {
    const at = c.at ? slots.map((slot) => c.at[slot] ?? 0) : atFromGrid(c.x, c.y, c.z, sizes);
    if (at.some((v, k) => !Number.isInteger(v) || v < 0 || v >= sizes[k])) continue;
    const cell = cells[cellIndex(at, sizes)];
    Object.assign(cell, {
      status: c.status,
      files: c.files ?? [],
      error: c.error ?? null,
      seconds: c.seconds ?? null,
      labels: c.labels ?? {},
      metrics: c.metrics ?? {},
      worker: c.worker ?? null,
      finished: finishedAt(c)
    });
  }
  const gridLabels = {};
  const superGrids = m.super_grids ?? [];
  for (const g of [...m.grids, ...superGrids]) {
    if (g.labels) gridLabels[g.file] = g.labels;
  }
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    slots,
    sizes,
    axes,
    cells,
    done: m.counts["done"] ?? 0,
    failed: m.counts["failed"] ?? 0,
    total: m.cells.length,
    created: m.created,
    finished: m.finished,
    grids: m.grids.map((g) => g.file),
    gridLabels,
    superGrids: superGrids.map((g) => g.file),
    servers: Boolean(m.options?.servers),
    dryRun: Boolean(m.dry_run),
    search: readSearch(m.options?.search)
  };
}
function finishedAt(c) {
  if (typeof c.finished_at === "number") return c.finished_at;
  return c.status === "failed" && typeof c.started_at === "number" ? c.started_at : null;
}
function atFromGrid(x, y, grid, sizes) {
  return [x, y, ...cellCoords(grid, sizes.slice(2))];
}
function applyCellEvent(view, event, seconds) {
  if (event.experiment !== view.id) return null;
  const cell = view.cells[event.index];
  if (!cell || cell.x !== event.x || cell.y !== event.y || cell.z !== event.z) return null;
  const settled = event.status === "done" || event.status === "failed";
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
function finishedNow(view) {
  let latest = -Infinity;
  for (const c of view.cells) if (c.finished !== null && c.finished > latest) latest = c.finished;
  return Math.max(Date.now() / 1e3, latest + 1e-3);
}
function applyExperimentEvent(view, event) {
  if (event.experiment !== view.id) return false;
  view.status = event.status;
  view.done = event.done;
  view.failed = event.failed;
  view.total = event.total || view.total;
  if (event.grids && event.grids.length) view.grids = event.grids;
  return true;
}
var isRunning = (status) => status === "running";
var canResume = (view) => view.status === "interrupted" || view.status === "cancelled";
var canRetry = (view) => view.failed > 0 && !isRunning(view.status);
var cellLabel = (axis, cell) => axis.labels[cell.at[axis.position] ?? 0] ?? "";
function describeCell2(view, cell) {
  return describeCell({
    axes: view.axes.filter((a) => a.title || a.labels.some(Boolean)).map((a) => [a.title, cellLabel(a, cell)]),
    status: notRun(view, cell) ? "not run by the search" : cell.status,
    seconds: cell.seconds,
    metrics: Object.entries(cell.metrics),
    server: view.servers && cell.status !== "queued" ? cell.worker : null,
    error: cell.error
  });
}
function secondsLeft(settled, total, elapsed) {
  if (settled <= 0 || elapsed <= 0 || settled > total) return null;
  return (total - settled) * elapsed / settled;
}

// src/routes.ts
function fill(route, experimentId, name) {
  let path = route.replace("{experiment_id}", encodeURIComponent(experimentId));
  if (name !== void 0) path = path.replace("{name:.+}", name.split("/").map(encodeURIComponent).join("/"));
  return path;
}
function listExperiments(limit, offset, q = "", before = null) {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (q) query.set("q", q);
  if (before !== null) query.set("before", String(before));
  return callRoute(`${ROUTES.experiments}?${query}`);
}
var deleteExperiment = (id) => callRoute(fill(ROUTES.delete, id), "POST", {});
var renameExperiment = (id, name) => callRoute(fill(ROUTES.rename, id), "POST", { name });
var manifest = (id) => callRoute(fill(ROUTES.manifest, id));
var sourceWorkflow = (id) => callRoute(fill(ROUTES.workflow, id));
var latestExperiment = (workflow, assembler) => callRoute(
  `${ROUTES.latest}?workflow=${encodeURIComponent(workflow)}&assembler=${encodeURIComponent(assembler)}`
);
var exportURLs = (id) => ({
  viewer: routeURL(fill(ROUTES.export_html, id)),
  script: routeURL(fill(ROUTES.export_script, id)),
  cells: routeURL(fill(ROUTES.export_cells, id))
});
var FLIPBOOK_MS = 500;
function flipbookURL(id, axis, at, format, ms = FLIPBOOK_MS) {
  const held = Object.entries(at).map(([slot, index]) => `${slot}=${index}`).join(",");
  return routeURL(`${fill(ROUTES.export_flipbook, id)}?axis=${encodeURIComponent(axis)}&at=${encodeURIComponent(held)}&format=${encodeURIComponent(format)}&ms=${encodeURIComponent(String(ms))}`);
}
function runAction(id, action) {
  const cid = clientId();
  return callRoute(fill(ROUTES[action], id), "POST", cid ? { client_id: cid } : {});
}
var thumbnailURL = (id, file, size) => routeURL(`${fill(ROUTES.thumbnail, id, file)}?size=${size}`);
var fileURL = (id, file) => routeURL(fill(ROUTES.file, id, file));

// src/feed.ts
var HOST_SOURCES = { load: manifest, subscribe: onServerEvent };
var QUIET_SECONDS = 5;
var STARTS_KEPT = 500;
function failedTiles(view) {
  let failed = 0;
  for (const cell of view.cells) if (cell.status === "failed") failed++;
  return failed;
}
var ExperimentFeed = class {
  constructor(sources = HOST_SOURCES) {
    this.sources = sources;
    this.stops.push(
      sources.subscribe(EVENT_EXPERIMENT, (e) => this.experimentEvent(e)),
      sources.subscribe(EVENT_CELL, (e) => this.cellEvent(e)),
      sources.subscribe("execution_start", (e) => this.started(e)),
      sources.subscribe("reconnected", () => this.reloadAll()),
      sources.subscribe(EVENT_DELETED, (e) => {
        if (e && typeof e.experiment === "string") this.forget(e.experiment);
      })
    );
    this.heartbeat = setInterval(() => this.catchUp(), 1e3);
  }
  sources;
  views = /* @__PURE__ */ new Map();
  watchers = /* @__PURE__ */ new Map();
  loading = /* @__PURE__ */ new Map();
  // While a read is in flight its answer may already be older than the events that
  // arrive meanwhile: those cell events are applied again to what it returns, and a read
  // asked for meanwhile (say, at completion) runs once more after it.
  heardWhileLoading = /* @__PURE__ */ new Map();
  // likewise the last experiment event (a cancel told by another tab must not be undone by
  // an answer read just before it)
  stateWhileLoading = /* @__PURE__ */ new Map();
  readAgain = /* @__PURE__ */ new Set();
  lastEvent = /* @__PURE__ */ new Map();
  starts = /* @__PURE__ */ new Map();
  // prompt id -> when ComfyUI started it (ms)
  // failed tiles of each view read, kept up to date by its cell events: a scan of every cell
  // per event would cost a 10,000-cell run 10^8 steps (a new read is a new view: counted again)
  failedShown = /* @__PURE__ */ new WeakMap();
  stops = [];
  heartbeat;
  /** called for an experiment event of an experiment nobody watches yet (the panel of its Grid Assembler may show it) */
  onNewExperiment = null;
  /** How many watchers are registered, all experiments together (tests check nothing leaks). */
  watchedCount() {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }
  /** Watch an experiment: `watcher.loaded` is called once it is read, then on every change. */
  watch(id, watcher) {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, set = /* @__PURE__ */ new Set());
    set.add(watcher);
    const view = this.views.get(id);
    if (view) watcher.loaded(view);
    else void this.reload(id);
    return () => {
      set.delete(watcher);
      if (!set.size) {
        this.watchers.delete(id);
        this.views.delete(id);
        this.lastEvent.delete(id);
      }
    };
  }
  /** Read an experiment again from the routes and hand it to its watchers. */
  reload(id) {
    const pending = this.loading.get(id);
    if (pending) {
      this.readAgain.add(id);
      return pending;
    }
    this.heardWhileLoading.set(id, []);
    const load = this.sources.load(id).then((m) => {
      const view = fromManifest(m);
      const read = { done: view.done, failed: view.failed };
      const heard = this.heardWhileLoading.get(id) ?? [];
      const state = this.stateWhileLoading.get(id);
      if (state) applyExperimentEvent(view, state);
      for (const event of heard) applyCellEvent(view, event, null);
      if (read.done + read.failed > view.done + view.failed) Object.assign(view, read);
      if (this.watchers.has(id)) {
        this.views.set(id, view);
        this.lastEvent.set(id, Date.now());
        for (const w of this.watchers.get(id) ?? []) w.loaded(view);
      }
      return view;
    }).catch((error) => {
      console.debug("XYZ Plot Studio: could not read experiment", id, error);
      if (error instanceof RouteError && error.status === 404) this.forget(id);
      return null;
    }).finally(() => {
      this.loading.delete(id);
      this.heardWhileLoading.delete(id);
      this.stateWhileLoading.delete(id);
      if (this.readAgain.delete(id) && this.watchers.has(id)) void this.reload(id);
    });
    this.loading.set(id, load);
    return load;
  }
  /** The experiment is gone: whoever watches it shows their empty state (and stops watching). */
  forget(id) {
    this.views.delete(id);
    this.lastEvent.delete(id);
    for (const w of [...this.watchers.get(id) ?? []]) w.deleted?.(id);
  }
  destroy() {
    for (const stop of this.stops) stop();
    clearInterval(this.heartbeat);
    this.watchers.clear();
    this.views.clear();
  }
  reloadAll() {
    for (const id of this.watchers.keys()) void this.reload(id);
  }
  catchUp() {
    const now = Date.now();
    for (const [id, view] of this.views) {
      if (isRunning(view.status) && now - (this.lastEvent.get(id) ?? 0) > QUIET_SECONDS * 1e3) {
        this.lastEvent.set(id, now);
        void this.reload(id);
      }
    }
  }
  started(detail) {
    if (!detail || typeof detail.prompt_id !== "string") return;
    this.starts.set(detail.prompt_id, performance.now());
    if (this.starts.size > STARTS_KEPT) this.starts.delete(this.starts.keys().next().value);
  }
  experimentEvent(event) {
    if (!event || typeof event.experiment !== "string") return;
    if (this.loading.has(event.experiment)) this.stateWhileLoading.set(event.experiment, event);
    const view = this.views.get(event.experiment);
    if (!view) {
      if (this.watchers.has(event.experiment)) void this.reload(event.experiment);
      else this.onNewExperiment?.(event);
      return;
    }
    this.lastEvent.set(event.experiment, Date.now());
    const gridsDrawn = (event.grids?.length ?? 0) > 0;
    const resumed = !isRunning(view.status) && isRunning(event.status);
    applyExperimentEvent(view, event);
    for (const w of this.watchers.get(event.experiment) ?? []) w.status();
    if (gridsDrawn || !isRunning(event.status) || resumed) void this.reload(event.experiment);
  }
  cellEvent(event) {
    if (!event || typeof event.experiment !== "string") return;
    this.heardWhileLoading.get(event.experiment)?.push(event);
    const view = this.views.get(event.experiment);
    if (!view) return;
    this.lastEvent.set(event.experiment, Date.now());
    const start = event.prompt_id ? this.starts.get(event.prompt_id) : void 0;
    const seconds = start === void 0 ? null : (performance.now() - start) / 1e3;
    const before = view.cells[event.index]?.status;
    const shown = this.failedShown.get(view) ?? failedTiles(view);
    const cell = applyCellEvent(view, event, seconds);
    if (!cell) return;
    const failed = shown + (cell.status === "failed" ? 1 : 0) - (before === "failed" ? 1 : 0);
    this.failedShown.set(view, failed);
    for (const w of this.watchers.get(event.experiment) ?? []) w.cell(cell);
    if (failed < event.failed) void this.reload(event.experiment);
  }
};

// src/actions.ts
var DONE = {
  cancel: "Cancelled",
  resume: "Resumed",
  retry: "Retrying the failed cells"
};
async function lifecycleAction(feed2, id, action) {
  try {
    await runAction(id, action);
    toast("success", DONE[action], `experiment ${id}`);
  } catch (error) {
    const detail = error instanceof RouteError ? error.message : String(error);
    toast(error instanceof RouteError && error.status === 409 ? "info" : "error", `Could not ${action}`, detail);
  } finally {
    await feed2.reload(id);
  }
}

// src/dom.ts
function element(tag, className = "", text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== void 0) node.textContent = text;
  return node;
}
function sortHeadings(columns, sort, classes) {
  const headings = element("tr");
  headings.append(element("th", classes.thumb));
  for (const column of columns) {
    const th = element("th");
    const sorted = sort?.key === column.key ? sort : null;
    th.setAttribute("aria-sort", sorted ? sorted.descending ? "descending" : "ascending" : "none");
    const button2 = element("button", classes.sort, column.title + (sorted ? sorted.descending ? " ▼" : " ▲" : ""));
    button2.type = "button";
    button2.dataset.key = column.key;
    button2.title = `Sort by ${column.title}`;
    th.append(button2);
    headings.append(th);
  }
  return headings;
}

// src/explorer/compare.ts
var PIN_NAMES = ["A", "B"];
var isSlice = (pin) => pin.columns !== null;
var samePin = (p, q) => JSON.stringify(p) === JSON.stringify(q);
var compatible = (p, q) => isSlice(p) === isSlice(q) && p.columns === q.columns && p.rows === q.rows;
function cellPin(view, cell) {
  const at = {};
  for (const axis of view.axes) at[axis.slot] = cell.at[axis.position] ?? 0;
  return { at, columns: null, rows: null };
}
function slicePin(view, state) {
  const at = {};
  for (const axis of view.axes) {
    if (axis.slot !== state.columns && axis.slot !== state.rows) at[axis.slot] = state.at[axis.slot] ?? 0;
  }
  return { at, columns: state.columns, rows: state.rows };
}
function togglePin(state, pin) {
  const at = state.pins.findIndex((p) => samePin(p, pin));
  const pins = at >= 0 ? state.pins.filter((_, k) => k !== at) : [...state.pins.filter((p) => compatible(p, pin)), pin].slice(-2);
  return { ...state, pins, pair: 0 };
}
var swapPins = (state) => ({ ...state, pins: [...state.pins].reverse() });
var clearPins = (state) => ({ ...state, pins: [], pair: 0 });
function readPins(saved) {
  if (!Array.isArray(saved)) return [];
  const slot = (v) => typeof v === "string" ? v : null;
  return saved.flatMap((p) => {
    if (!p || typeof p !== "object" || !p.at || typeof p.at !== "object" || Array.isArray(p.at)) return [];
    const at = {};
    for (const [k, v] of Object.entries(p.at)) if (Number.isInteger(v)) at[k] = v;
    return [{ at, columns: slot(p.columns), rows: slot(p.rows) }];
  });
}
function settlePins(view, pins) {
  const axes = view.axes;
  const has = (slot) => slot !== null && axes.some((a) => a.slot === slot);
  const kept = [];
  for (const pin of pins) {
    const badRows = pin.rows !== null && (!has(pin.rows) || pin.rows === pin.columns);
    if (pin.columns !== null && (!has(pin.columns) || badRows)) continue;
    const rows = pin.columns === null ? null : pin.rows;
    const at = {};
    const fits = axes.every((a) => {
      if (a.slot === pin.columns || a.slot === rows) return true;
      const v = pin.at[a.slot];
      at[a.slot] = v;
      return Number.isInteger(v) && v >= 0 && v < a.labels.length;
    });
    const settled = { at, columns: pin.columns, rows };
    if (fits && !kept.some((p) => samePin(p, settled))) kept.push(settled);
  }
  const last = kept[kept.length - 1];
  return last ? kept.filter((p) => compatible(p, last)).slice(-2) : [];
}
function cellAt(view, at) {
  return view.cells[cellIndex(view.slots.map((slot) => at[slot] ?? 0), view.sizes)];
}
function pinOf(view, state, cell) {
  return state.pins.findIndex((p) => !isSlice(p) && cellAt(view, p.at) === cell);
}
function pinLines(view, pin) {
  return view.axes.map((axis) => {
    const title = axis.title || axis.slot;
    if (axis.slot === pin.columns) return `${title}: (across)`;
    if (axis.slot === pin.rows) return `${title}: (down)`;
    return `${title}: ${axis.labels[pin.at[axis.slot] ?? 0] ?? ""}`;
  });
}
function comparePairs(view, state, shown) {
  const [a, b] = state.pins;
  if (!a || !b) return [];
  if (!isSlice(a)) return [{ a: cellAt(view, a.at), b: cellAt(view, b.at), where: "" }];
  const across = view.axes.find((x) => x.slot === a.columns);
  const down = view.axes.find((x) => x.slot === a.rows);
  const pairs = [];
  for (const r of down ? shown(down.slot) : [0]) {
    for (const c of shown(across.slot)) {
      const tile = { [across.slot]: c, ...down ? { [down.slot]: r } : {} };
      const cellA = cellAt(view, { ...a.at, ...tile });
      const where = [across, ...down ? [down] : []].map((x) => `${x.title || x.slot}: ${cellLabel(x, cellA)}`);
      pairs.push({ a: cellA, b: cellAt(view, { ...b.at, ...tile }), where: where.join(" · ") });
    }
  }
  return pairs;
}
function difference(a, b) {
  if (a.length !== b.length || a.length % 4) throw new Error(`difference: images of ${a.length} and ${b.length} bytes`);
  const n = a.length / 4;
  const raw = new Uint8ClampedArray(a.length);
  let sum = 0, max = 0, changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    const r = Math.abs(a[i] - b[i]), g = Math.abs(a[i + 1] - b[i + 1]), bl = Math.abs(a[i + 2] - b[i + 2]);
    raw[i] = r;
    raw[i + 1] = g;
    raw[i + 2] = bl;
    sum += r + g + bl;
    const most = Math.max(r, g, bl);
    if (most > max) max = most;
    if (most) changed++;
  }
  const gain = max > 0 ? Math.floor(255 / max) : 1;
  for (let i = 0; i < raw.length; i += 4) {
    raw[i] = raw[i] * gain;
    raw[i + 1] = raw[i + 1] * gain;
    raw[i + 2] = raw[i + 2] * gain;
    raw[i + 3] = 255;
  }
  return { pixels: raw, mean: n ? sum / (3 * n) : 0, max, gain, changed: n ? changed / n : 0 };
}
function describeDifference(d) {
  return `mean |A − B| ${d.mean.toFixed(2)} of 255 · max ${d.max} · ${(100 * d.changed).toFixed(1)}% of pixels differ` + (d.gain > 1 ? ` · shown ×${d.gain}` : "");
}

// src/explorer/state.ts
var COMPARE_VIEWS = ["side", "wipe", "difference"];
function initialState() {
  return {
    experiment: null,
    columns: "x",
    rows: "y",
    at: {},
    hidden: {},
    mode: "grid",
    sort: null,
    filter: "",
    active: null,
    order: {},
    pins: [],
    compare: "side",
    pair: 0
  };
}
var explorerAxes = (view) => view.axes;
var axisOf = (view, slot) => slot === null ? void 0 : view.axes.find((a) => a.slot === slot);
var isIndex = (v, size) => Number.isInteger(v) && v >= 0 && v < size;
function settle(view, state) {
  const axes = explorerAxes(view);
  const fresh = state.experiment !== view.id;
  const columns = axes.some((a) => a.slot === state.columns) ? state.columns : axes[0].slot;
  let rows = state.rows;
  if (rows !== null && (rows === columns || !axes.some((a) => a.slot === rows))) {
    rows = axes.find((a) => a.slot !== columns)?.slot ?? null;
  }
  const hidden = {};
  const at = {};
  const order = {};
  for (const axis of axes) {
    const size = axis.labels.length;
    const ordered = fresh ? identity(size) : permutation(state.order[axis.slot], size);
    if (ordered.some((v, i) => v !== i)) order[axis.slot] = ordered;
    const off = fresh ? [] : [...new Set((state.hidden[axis.slot] ?? []).filter((v) => isIndex(v, size)))].sort(
      (a, b) => a - b
    );
    if (off.length >= size) off.pop();
    if (off.length) hidden[axis.slot] = off;
    const wanted = fresh ? 0 : state.at[axis.slot];
    at[axis.slot] = nearestShown(isIndex(wanted, size) ? wanted : 0, ordered, off);
  }
  const sliders = axes.filter((a) => a.slot !== columns && a.slot !== rows).map((a) => a.slot);
  const active = state.active !== null && sliders.includes(state.active) ? state.active : null;
  const sort = state.sort && sortKeys(view).includes(state.sort.key) ? { ...state.sort } : null;
  const pins = fresh ? [] : settlePins(view, state.pins);
  const mode = state.mode === "table" ? "table" : state.mode === "compare" && pins.length === 2 ? "compare" : "grid";
  return {
    experiment: view.id,
    columns,
    rows,
    at,
    hidden,
    mode,
    sort,
    filter: fresh ? "" : state.filter,
    active,
    order,
    pins,
    compare: COMPARE_VIEWS.includes(state.compare) ? state.compare : "side",
    pair: Number.isInteger(state.pair) && state.pair > 0 ? state.pair : 0
  };
}
var identity = (size) => Array.from({ length: size }, (_, i) => i);
function permutation(wanted, size) {
  const seen = /* @__PURE__ */ new Set();
  for (const v of wanted ?? []) if (isIndex(v, size)) seen.add(v);
  for (let i = 0; i < size; i++) seen.add(i);
  return [...seen];
}
function nearestShown(value, ordered, off) {
  const here = Math.max(0, ordered.indexOf(value));
  for (let d = 0; d < ordered.length; d++) {
    for (const k of [here + d, here - d]) {
      const v = ordered[k];
      if (v !== void 0 && !off.includes(v)) return v;
    }
  }
  return value;
}
function valueOrder(state, axis) {
  const order = state.order[axis.slot];
  return order && order.length === axis.labels.length ? order : identity(axis.labels.length);
}
function shownValues(state, axis) {
  const off = state.hidden[axis.slot] ?? [];
  return valueOrder(state, axis).filter((i) => !off.includes(i));
}
function moveValue(view, state, slot, value, to) {
  const axis = axisOf(view, slot);
  if (!axis || !isIndex(value, axis.labels.length)) return state;
  const order = valueOrder(state, axis).filter((v) => v !== value);
  order.splice(Math.max(0, Math.min(order.length, to)), 0, value);
  return settle(view, { ...state, order: { ...state.order, [slot]: order } });
}
function shiftValue(view, state, slot, value, step) {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  return moveValue(view, state, slot, value, valueOrder(state, axis).indexOf(value) + step);
}
function sliderAxes(view, state) {
  return explorerAxes(view).filter((a) => a.slot !== state.columns && a.slot !== state.rows);
}
function activeSlider(view, state) {
  const sliders = sliderAxes(view, state);
  return sliders.find((a) => a.slot === state.active) ?? sliders[0];
}
function stepSlider(view, state, slot, step) {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  const shown = shownValues(state, axis);
  const here = shown.indexOf(state.at[slot] ?? 0);
  const next = shown[Math.max(0, Math.min(shown.length - 1, (here < 0 ? 0 : here) + step))];
  if (next === state.at[slot] && state.active === slot) return state;
  return { ...state, at: { ...state.at, [slot]: next }, active: slot };
}
function moveSlider(view, state, slot, value) {
  const axis = axisOf(view, slot);
  if (!axis) return state;
  const v = nearestShown(
    Math.max(0, Math.min(axis.labels.length - 1, value)),
    valueOrder(state, axis),
    state.hidden[slot] ?? []
  );
  return { ...state, at: { ...state.at, [slot]: v }, active: slot };
}
function pivotColumns(view, state, slot) {
  if (slot === state.columns || !axisOf(view, slot)) return state;
  const rows = state.rows === slot ? state.columns : state.rows;
  return settle(view, { ...state, columns: slot, rows });
}
function pivotRows(view, state, slot) {
  if (slot === state.rows || slot !== null && !axisOf(view, slot)) return state;
  if (slot === state.columns) {
    if (state.rows === null) return state;
    return settle(view, { ...state, columns: state.rows, rows: slot });
  }
  return settle(view, { ...state, rows: slot });
}
function swapAxes(view, state) {
  if (state.rows === null) return state;
  return settle(view, { ...state, columns: state.rows, rows: state.columns });
}
function toggleValue(view, state, slot, value) {
  const axis = axisOf(view, slot);
  if (!axis || !isIndex(value, axis.labels.length)) return state;
  const off = state.hidden[slot] ?? [];
  const next = off.includes(value) ? off.filter((v) => v !== value) : [...off, value];
  if (next.length >= axis.labels.length) return state;
  return settle(view, { ...state, hidden: { ...state.hidden, [slot]: next } });
}
var swappedXY = (state) => state.columns === "y" && state.rows === "x";
function readState(saved, legacySwap = false) {
  const state = initialState();
  if (legacySwap) Object.assign(state, { columns: "y", rows: "x" });
  if (!saved || typeof saved !== "object") return state;
  const s = saved;
  const text = (v) => typeof v === "string";
  if (text(s.experiment)) state.experiment = s.experiment;
  if (text(s.columns)) state.columns = s.columns;
  if (s.rows === null || text(s.rows)) state.rows = s.rows;
  if (s.mode === "table" || s.mode === "grid" || s.mode === "compare") state.mode = s.mode;
  if (COMPARE_VIEWS.includes(s.compare)) state.compare = s.compare;
  if (Number.isInteger(s.pair)) state.pair = s.pair;
  state.pins = readPins(s.pins);
  if (text(s.filter)) state.filter = s.filter;
  if (text(s.active)) state.active = s.active;
  if (s.sort && typeof s.sort === "object" && text(s.sort.key)) {
    state.sort = { key: s.sort.key, descending: s.sort.descending === true };
  }
  for (const [slot, v] of Object.entries(record(s.at))) if (Number.isInteger(v)) state.at[slot] = v;
  for (const [slot, v] of Object.entries(record(s.hidden))) {
    if (Array.isArray(v)) state.hidden[slot] = v.filter((i) => Number.isInteger(i));
  }
  for (const [slot, v] of Object.entries(record(s.order))) {
    if (Array.isArray(v)) state.order[slot] = v.filter((i) => Number.isInteger(i));
  }
  return state;
}
var record = (v) => v && typeof v === "object" && !Array.isArray(v) ? v : {};
function metricNames(view) {
  const names = /* @__PURE__ */ new Set();
  for (const cell of view.cells) for (const name in cell.metrics) names.add(name);
  return [...names];
}
function sortKeys(view) {
  return [
    "index",
    ...explorerAxes(view).map((a) => `axis:${a.slot}`),
    "status",
    "seconds",
    ...metricNames(view).map((m) => `metric:${m}`)
  ];
}

// src/export_menu.ts
function exportItems(view, state = null) {
  const urls = exportURLs(view.id);
  const items = view.grids.map((file) => ({
    label: `Grid${gridCaption(view, file)} (PNG)`,
    href: fileURL(view.id, file),
    download: `xyz-${view.id}-${file.split("/").pop() ?? "grid.png"}`
  }));
  for (const file of view.superGrids) {
    items.push({
      label: `Super-grid${gridCaption(view, file)} (PNG)`,
      href: fileURL(view.id, file),
      download: `xyz-${view.id}-${file.split("/").pop() ?? "super_grid.png"}`
    });
  }
  if (view.done > 0) items.push({ label: "All finished cells (zip)", href: urls.cells, download: `xyz-${view.id}-cells.zip` });
  if (state) items.push(...flipbookItems(view, state));
  items.push({ label: "Standalone HTML viewer (zip)", href: urls.viewer, download: `xyz-${view.id}-viewer.zip` });
  if (!view.dryRun) items.push({ label: "Sweep as a ComfyScript (.py)", href: urls.script, download: `xyz-${view.id}.py` });
  return items;
}
var FLIPBOOK_FORMATS = [["webp", "WebP"], ["gif", "GIF"]];
function flipbookItems(view, state) {
  const along = activeSlider(view, state) ?? axisOf(view, state.columns);
  if (!along || along.labels.length < 2) return [];
  const at = {};
  for (const axis of view.axes) {
    if (axis.slot === along.slot || axis.labels.length < 2) continue;
    const onGrid = axis.slot === state.columns || axis.slot === state.rows;
    at[axis.slot] = (onGrid ? shownValues(state, axis)[0] : state.at[axis.slot]) ?? 0;
  }
  return FLIPBOOK_FORMATS.map(([format, name]) => ({
    label: `Flipbook along ${along.title} (${name})`,
    href: flipbookURL(view.id, along.slot, at, format),
    download: `xyz-${view.id}-${along.slot}.${format}`
  }));
}
function gridCaption(view, file) {
  const titles = new Map(view.axes.map((a) => [a.slot, a.title]));
  const labels = view.gridLabels[file];
  if (labels) return Object.entries(labels).map(([slot, label3]) => ` · ${titles.get(slot) ?? slot}: ${label3}`).join("");
  const z = /grid_z(\d+)/.exec(file), axis = view.axes.find((a) => a.slot === "z");
  if (!z || !axis) return "";
  return ` · ${axis.title}: ${axis.labels[Number(z[1])] ?? z[1]}`;
}
var ExportMenu = class {
  button = element("button", "xyz-button xyz-export", "Export ▾");
  menu = element("div", "xyz-export-menu");
  view = null;
  state = null;
  outside = (event) => {
    if (!this.menu.contains(event.target) && event.target !== this.button) this.close();
  };
  onKey = (event) => {
    if (event.key === "Escape") this.close();
  };
  constructor() {
    this.button.type = "button";
    this.button.setAttribute("aria-haspopup", "menu");
    this.menu.setAttribute("role", "menu");
    this.menu.hidden = true;
    this.button.addEventListener("click", (event) => {
      event.stopPropagation();
      if (this.menu.hidden) this.open();
      else this.close();
    });
  }
  /** `state`: how the explorer shows `view` now (what a flipbook holds still). */
  update(view, state = null) {
    this.view = view;
    this.state = view ? state : null;
    this.button.hidden = !view;
    if (!this.menu.hidden) this.fill();
  }
  open() {
    if (!this.view) return;
    if (!this.menu.isConnected) document.body.append(this.menu);
    this.fill();
    this.menu.hidden = false;
    const at = this.button.getBoundingClientRect();
    const { width, height } = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(4, Math.min(at.left, window.innerWidth - width - 4))}px`;
    const below = at.bottom + 2;
    this.menu.style.top = `${below + height > window.innerHeight - 4 ? Math.max(4, at.top - height - 2) : below}px`;
    document.addEventListener("pointerdown", this.outside, true);
    document.addEventListener("keydown", this.onKey, true);
  }
  fill() {
    if (!this.view) return;
    this.menu.replaceChildren(...exportItems(this.view, this.state).map((item) => {
      const link = element("a", "xyz-export-item", item.label);
      link.href = item.href;
      link.download = item.download;
      link.setAttribute("role", "menuitem");
      link.addEventListener("click", () => this.close());
      return link;
    }));
  }
  close() {
    this.menu.hidden = true;
    document.removeEventListener("pointerdown", this.outside, true);
    document.removeEventListener("keydown", this.onKey, true);
  }
  destroy() {
    this.close();
    this.menu.remove();
  }
};

// src/search_chart.ts
var SVG = "http://www.w3.org/2000/svg";
var LEFT = 48;
var PAD = 6;
var SEARCH_CSS = `
.xyz-objective[hidden] { display: none; }
.xyz-objective { display: flex; flex: none; flex-direction: column; gap: 2px; font-variant-numeric: tabular-nums; }
.xyz-objective-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.xyz-objective-title { font-weight: 600; }
.xyz-objective-progress, .xyz-objective-best { opacity: .85; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.xyz-objective-svg { display: block; width: 100%; overflow: visible; }
.xyz-objective-axis { stroke: currentColor; stroke-opacity: .35; stroke-width: 1; fill: none; }
.xyz-objective-label { fill: currentColor; fill-opacity: .7; font-size: 10px; }
.xyz-objective-step { stroke: #e3b341; stroke-width: 2; fill: none; }
.xyz-objective-point { fill: #4a90e2; fill-opacity: .9; }
.xyz-objective-point[data-done] { cursor: pointer; }
.xyz-objective-point.xyz-objective-top { fill: #e3b341; stroke: #fff; stroke-width: 1; }
.xyz-objective-failed { stroke: #e5534b; stroke-width: 2; }
`;
var SearchChart = class {
  /** `pick`: a done cell's dot was clicked; `height`: the plot's height in px. */
  constructor(pick, height = 84) {
    this.pick = pick;
    this.height = height;
    const head = element("div", "xyz-objective-head");
    head.append(this.title, this.progress);
    this.svg.classList.add("xyz-objective-svg");
    this.svg.setAttribute("height", String(height));
    this.svg.setAttribute("role", "img");
    this.root.append(head, this.svg, this.best);
    this.root.hidden = true;
    this.svg.addEventListener("click", (e) => {
      const dot = e.target.closest?.("[data-done]");
      const cell = dot && this.view ? this.view.cells[Number(dot.dataset.index)] : void 0;
      if (!cell || !this.view?.search) return;
      e.stopPropagation();
      const run = searchHistory(this.view.cells, this.view.search.objective, this.view.search.goal).map((p) => p.cell).filter((c) => c.status === "done");
      this.pick(cell, run);
    });
    this.resized.observe(this.svg);
  }
  pick;
  height;
  root = element("div", "xyz-objective");
  title = element("span", "xyz-objective-title");
  progress = element("span", "xyz-objective-progress");
  svg = document.createElementNS(SVG, "svg");
  best = element("div", "xyz-objective-best");
  view = null;
  width = 0;
  resized = new ResizeObserver(() => {
    const width = this.svg.clientWidth;
    if (width > 0 && width !== this.width && this.view) this.render(this.view);
  });
  destroy() {
    this.resized.disconnect();
  }
  /** Draw `view`'s search (hidden for a sweep or a dry run). */
  render(view) {
    this.view = view;
    const search = view?.search;
    this.root.hidden = !view || !search || view.dryRun;
    if (!view || !search || view.dryRun) return;
    const history = searchHistory(view.cells, search.objective, search.goal);
    const text = searchText(view, search, history);
    this.title.textContent = text.title;
    this.progress.textContent = text.progress;
    this.best.textContent = text.best;
    this.best.title = text.best;
    this.width = this.svg.clientWidth || 320;
    const budget = Math.min(search.budget || view.cells.length, view.cells.length);
    this.draw(view, history, budget, bestCell(view.cells, search.objective, search.goal));
  }
  draw(view, history, budget, best) {
    const g = chartGeometry(history, budget, { width: this.width, height: this.height, left: LEFT, pad: PAD });
    const { plot } = g;
    this.svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
    const nodes = [
      svg("path", { class: "xyz-objective-axis", d: `M${plot.left} ${plot.top} V${plot.bottom} H${plot.right}` }),
      ...g.labels.map((l) => label(plot.left - 4, l.y + 3, formatMetric(l.value)))
    ];
    if (g.step) nodes.push(svg("path", { class: "xyz-objective-step", d: g.step }));
    g.points.forEach(({ x, y, failed, point }, k) => {
      const about = `#${k + 1} ${point.cell.status}: ${formatMetric(point.value)} at ${cellValues(view, point.cell)}`;
      let dot;
      if (failed) {
        dot = svg("path", { class: "xyz-objective-failed", d: `M${x - 3} ${y - 3} l6 6 m0 -6 l-6 6` });
      } else {
        dot = svg("circle", { class: "xyz-objective-point", cx: String(x), cy: String(y), r: "3" });
        dot.dataset.done = "";
        if (point.cell === best) {
          dot.classList.add("xyz-objective-top");
          dot.setAttribute("r", "4.5");
        }
      }
      dot.dataset.index = String(point.cell.index);
      const title = document.createElementNS(SVG, "title");
      title.textContent = about;
      dot.append(title);
      nodes.push(dot);
    });
    this.svg.replaceChildren(...nodes);
  }
};
function svg(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}
function label(x, y, text) {
  const node = svg("text", { class: "xyz-objective-label", x: String(x), y: String(y), "text-anchor": "end" });
  node.textContent = text;
  return node;
}

// src/hover.ts
var MARGIN = 4;
var HoverText = class {
  root = element("div", "xyz-tooltip");
  constructor() {
    this.root.hidden = true;
  }
  /** Show `lines` (as text) under the element `anchor`. */
  show(lines, anchor) {
    if (!this.root.isConnected) document.body.append(this.root);
    this.root.replaceChildren(...lines.map((line) => element("div", "", line)));
    this.root.hidden = false;
    const at = anchor.getBoundingClientRect();
    const { width, height } = this.root.getBoundingClientRect();
    const left = Math.max(MARGIN, Math.min(at.left, window.innerWidth - width - MARGIN));
    let top = at.bottom + MARGIN;
    if (top + height > window.innerHeight - MARGIN) top = Math.max(MARGIN, at.top - height - MARGIN);
    this.root.style.left = `${left}px`;
    this.root.style.top = `${top}px`;
  }
  hide() {
    this.root.hidden = true;
  }
  destroy() {
    this.root.remove();
  }
};

// src/overlay.ts
var Overlay = class {
  constructor(view, cell, cells, closed) {
    this.view = view;
    this.cell = cell;
    this.cells = cells;
    this.closed = closed;
    this.root.tabIndex = -1;
    const close = element("button", "xyz-overlay-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => this.close());
    this.root.addEventListener("click", (e) => {
      if (e.target === this.root) this.close();
    });
    this.root.append(this.image, this.caption, close);
    document.body.append(this.root);
    document.addEventListener("keydown", this.onKey, true);
    this.refresh();
    this.root.focus();
  }
  view;
  cell;
  cells;
  closed;
  root = element("div", "xyz-overlay");
  image = element("img", "xyz-overlay-image");
  caption = element("div", "xyz-overlay-caption");
  onKey = (e) => this.key(e);
  refresh() {
    const file = this.cell.files[0];
    if (file) {
      const src = fileURL(this.view.id, file);
      if (this.image.getAttribute("src") !== src) this.image.src = src;
    }
    this.caption.replaceChildren(...describeCell2(this.view, this.cell).map((line) => element("div", "", line)));
  }
  finishedCells() {
    return this.cells().filter((c) => c.status === "done" && c.files.length);
  }
  key(event) {
    if (event.key === "Escape") {
      this.close();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const cells = this.finishedCells();
      const at = cells.indexOf(this.cell);
      const next = cells[(at + (event.key === "ArrowRight" ? 1 : cells.length - 1)) % cells.length];
      if (next) {
        this.cell = next;
        this.refresh();
      }
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
  close() {
    document.removeEventListener("keydown", this.onKey, true);
    this.root.remove();
    this.closed();
  }
};

// src/explorer/controls.ts
var NO_ROWS = "";
function followPointer(down, move, end) {
  const onMove = (e) => {
    if (e.pointerId === down.pointerId) move(e);
  };
  const onEnd = (e) => {
    if (e.pointerId !== down.pointerId) return;
    window.removeEventListener("pointermove", onMove, true);
    window.removeEventListener("pointerup", onEnd, true);
    window.removeEventListener("pointercancel", onEnd, true);
    end(e, e.type === "pointercancel");
  };
  window.addEventListener("pointermove", onMove, true);
  window.addEventListener("pointerup", onEnd, true);
  window.addEventListener("pointercancel", onEnd, true);
}
var DRAG_START = 5;
var ChipReorder = class {
  constructor(values, chipClass, move, shift) {
    this.chipClass = chipClass;
    const chipOf = (e) => e.target.closest?.(`.${chipClass}`);
    values.addEventListener("pointerdown", (e) => {
      const chip = chipOf(e);
      this.dragged = false;
      if (!chip || e.button !== 0) return;
      const drag = { chip, x: e.clientX, y: e.clientY, moved: false };
      followPointer(e, (m) => {
        if (!drag.moved && Math.hypot(m.clientX - drag.x, m.clientY - drag.y) < DRAG_START) return;
        drag.moved = true;
        chip.classList.add("xyz-dragging");
        this.markDrop(chip, this.dropPlace(chip, m.clientX, m.clientY));
      }, (up, cancelled) => {
        chip.classList.remove("xyz-dragging");
        this.markDrop(chip, -1);
        if (!drag.moved || cancelled) return;
        this.dragged = true;
        move(chip.dataset.slot, Number(chip.dataset.value), this.dropPlace(chip, up.clientX, up.clientY));
      });
    });
    values.addEventListener("keydown", (e) => {
      const chip = chipOf(e);
      if (!chip || !e.altKey || e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      e.preventDefault();
      e.stopPropagation();
      shift(chip.dataset.slot, Number(chip.dataset.value), e.key === "ArrowRight" ? 1 : -1);
      chip.focus();
    });
  }
  chipClass;
  /** a drag just ended: the click that follows it is no toggle */
  dragged = false;
  /** Whether this click ends a drag (then it is no toggle); asked once per click. */
  endsDrag() {
    const dragged = this.dragged;
    this.dragged = false;
    return dragged;
  }
  /** The chips of each row put in their axis's order (`order(slot)`: value indices), where they are not yet. */
  static order(values, rowClass, chipClass, order) {
    for (const row of values.querySelectorAll(`.${rowClass}`)) {
      const chips = [...row.querySelectorAll(`.${chipClass}`)];
      const wanted = order(row.dataset.slot);
      if (wanted.length && chips.map((c) => c.dataset.value).join() !== wanted.join()) {
        row.append(...wanted.map((v) => chips.find((c) => c.dataset.value === String(v))));
      }
    }
  }
  /** The other chips of `chip`'s axis in the order shown. */
  siblings(chip) {
    return [...chip.parentElement.querySelectorAll(`.${this.chipClass}`)].filter((c) => c !== chip);
  }
  /** Where a chip dropped at (x, y) goes among the others of its axis: how many come before that point
   * (the chips wrap: one ends before it when on an earlier line, or on its line left of it). */
  dropPlace(chip, x, y) {
    return this.siblings(chip).filter((c) => {
      const r = c.getBoundingClientRect();
      return r.bottom < y || r.top <= y && r.left + r.width / 2 < x;
    }).length;
  }
  /** Show where a dragged chip would go (-1: nowhere). */
  markDrop(chip, place) {
    this.siblings(chip).forEach((c, k, all) => {
      c.classList.toggle("xyz-drop-before", k === place);
      c.classList.toggle("xyz-drop-after", place === all.length && k === all.length - 1);
    });
  }
};
var ExplorerControls = class {
  constructor(apply) {
    this.apply = apply;
    for (const b of [this.modeButton, this.swapButton, this.valuesButton]) b.type = "button";
    this.columns.setAttribute("aria-label", "Axis across the columns");
    this.rows.setAttribute("aria-label", "Axis down the rows");
    this.columns.title = "The axis across the columns";
    this.rows.title = "The axis down the rows";
    this.swapButton.title = "Swap the columns and rows axes (the files stay as they are)";
    this.valuesButton.title = "Toggle values of any axis off and on";
    this.pickers.append(
      element("span", "xyz-picker-label", "Columns"),
      this.columns,
      element("span", "xyz-picker-label", "Rows"),
      this.rows
    );
    this.values.hidden = true;
    this.valuesButton.setAttribute("aria-expanded", "false");
    this.modeButton.addEventListener("click", () => this.change((_, s) => ({
      ...s,
      mode: s.mode === "table" ? "grid" : "table"
    })));
    this.swapButton.addEventListener("click", () => this.change(swapAxes));
    this.valuesButton.addEventListener("click", () => {
      this.values.hidden = !this.values.hidden;
      this.valuesButton.setAttribute("aria-expanded", String(!this.values.hidden));
    });
    this.columns.addEventListener("change", () => this.change((v, s) => pivotColumns(v, s, this.columns.value)));
    this.rows.addEventListener("change", () => this.change((v, s) => pivotRows(v, s, this.rows.value === NO_ROWS ? null : this.rows.value)));
    this.values.addEventListener("click", (e) => {
      const chip = e.target.closest?.(".xyz-value");
      if (this.reorder.endsDrag() || !chip) return;
      this.change((v, s) => toggleValue(v, s, chip.dataset.slot, Number(chip.dataset.value)));
    });
    for (const control of [this.pickers, this.modeButton, this.swapButton, this.valuesButton, this.values]) {
      control.addEventListener("click", (e) => e.stopPropagation());
    }
  }
  apply;
  /** the pickers and buttons, for the panel's button row */
  pickers = element("span", "xyz-pickers");
  modeButton = element("button", "xyz-button xyz-mode", "Table");
  swapButton = element("button", "xyz-button xyz-swap", "⇄ Swap");
  valuesButton = element("button", "xyz-button xyz-values-button", "Values ▾");
  /** the value chips, shown by the Values button */
  values = element("div", "xyz-values");
  /** a row per slider */
  sliders = element("div", "xyz-sliders");
  columns = element("select", "xyz-columns");
  rows = element("select", "xyz-rows");
  sliderRows = /* @__PURE__ */ new Map();
  view = null;
  state = null;
  built = "";
  // the experiment and axes the pickers and chips were built for
  reorder = new ChipReorder(
    this.values,
    "xyz-value",
    (slot, value, to) => this.change((v, s) => moveValue(v, s, slot, value, to)),
    (slot, value, step) => this.change((v, s) => shiftValue(v, s, slot, value, step))
  );
  change(next) {
    if (this.view && this.state) this.apply(next(this.view, this.state));
  }
  render(view, state) {
    this.view = view;
    this.state = state;
    if (!view || !state) {
      this.sliders.replaceChildren();
      this.sliderRows.clear();
      this.built = "";
      return;
    }
    const axes = explorerAxes(view);
    const built = JSON.stringify([view.id, axes.map((a) => [a.slot, a.title, a.labels])]);
    if (built !== this.built) this.build(view);
    this.built = built;
    const grid = state.mode === "grid";
    const table = state.mode === "table";
    this.modeButton.textContent = table ? "Grid" : "Table";
    this.modeButton.title = table ? "Back to the grid" : "One row per cell, sortable and filterable";
    this.modeButton.classList.toggle("xyz-on", table);
    this.pickers.hidden = !grid || axes.length < 2;
    this.swapButton.hidden = !grid || state.rows === null;
    this.swapButton.setAttribute("aria-pressed", String(state.columns !== axes[0].slot));
    this.swapButton.classList.toggle("xyz-on", state.columns !== axes[0].slot);
    this.columns.value = state.columns;
    this.rows.value = state.rows ?? NO_ROWS;
    this.columns.title = `The axis across the columns: ${this.columns.selectedOptions[0]?.text ?? ""}`;
    this.rows.title = `The axis down the rows: ${this.rows.selectedOptions[0]?.text ?? ""}`;
    ChipReorder.order(this.values, "xyz-values-axis", "xyz-value", (slot) => {
      const axis = axisOf(view, slot);
      return axis ? valueOrder(state, axis) : [];
    });
    for (const chip of this.values.querySelectorAll(".xyz-value")) {
      const off = (state.hidden[chip.dataset.slot] ?? []).includes(Number(chip.dataset.value));
      chip.setAttribute("aria-pressed", String(!off));
      chip.classList.toggle("xyz-off", off);
    }
    this.renderSliders(view, state);
    this.sliders.hidden = !grid;
  }
  /** The pickers' options and the value chips of an experiment's axes. */
  build(view) {
    const axes = explorerAxes(view);
    const option = (value, text) => {
      const o = element("option", "", text);
      o.value = value;
      return o;
    };
    this.columns.replaceChildren(...axes.map((a) => option(a.slot, a.title || a.slot)));
    this.rows.replaceChildren(option(NO_ROWS, "(one row)"), ...axes.map((a) => option(a.slot, a.title || a.slot)));
    this.values.replaceChildren(...axes.map((axis) => {
      const row = element("div", "xyz-values-axis");
      row.dataset.slot = axis.slot;
      row.append(element("span", "xyz-values-title", axis.title || axis.slot));
      axis.labels.forEach((label3, i) => {
        const chip = element("button", "xyz-button xyz-value", label3);
        chip.type = "button";
        chip.dataset.slot = axis.slot;
        chip.dataset.value = String(i);
        chip.title = `${axis.title}: ${label3} (click to hide or show; drag, or alt+←/→, to move)`;
        row.append(chip);
      });
      return row;
    }));
  }
  renderSliders(view, state) {
    const axes = sliderAxes(view, state).filter((a) => a.labels.length > 1);
    const slots = axes.map((a) => a.slot);
    if (slots.join() !== [...this.sliderRows.keys()].join()) {
      this.sliderRows.clear();
      this.sliders.replaceChildren(...axes.map((axis) => {
        const row = this.sliderRow(axis.slot, axis.title);
        this.sliderRows.set(axis.slot, row);
        return row.root;
      }));
    }
    const active = activeSlider(view, state)?.slot;
    for (const axis of axes) {
      const row = this.sliderRows.get(axis.slot);
      row.shown = shownValues(state, axis);
      const value = state.at[axis.slot] ?? 0;
      const position = Math.max(0, row.shown.indexOf(value));
      row.input.max = String(row.shown.length - 1);
      row.input.value = String(position);
      row.input.disabled = row.shown.length < 2;
      row.label.textContent = `${axis.title}: ${axis.labels[value] ?? ""}  (${position + 1}/${row.shown.length})`;
      row.root.classList.toggle("xyz-active", axes.length > 1 && axis.slot === active);
    }
  }
  /** A slider's row; its range runs over the values shown, so values toggled off are no stops. */
  sliderRow(slot, title) {
    const root = element("div", "xyz-z xyz-slider");
    root.dataset.slot = slot;
    const label3 = element("span", "xyz-z-label");
    const input = element("input", "xyz-z-slider");
    input.type = "range";
    input.min = "0";
    input.step = "1";
    input.setAttribute("aria-label", `${title || slot} value`);
    const row = { root, label: label3, input, shown: [] };
    input.addEventListener("input", () => this.change((v, s) => moveSlider(v, s, slot, row.shown[Number(input.value)] ?? 0)));
    input.addEventListener("focus", () => this.change((_, s) => s.active === slot ? s : { ...s, active: slot }));
    root.append(label3, input);
    return row;
  }
};

// src/explorer/compare_view.ts
var UNREADABLE = "This browser does not let a page opened from disk read its images' pixels, so the difference cannot be computed here (side by side and wipe work). To see it, serve the export's folder over http, e.g. run `python3 -m http.server` in it and open http://localhost:8000/ (the same link's # part keeps this view).";
var VIEWS = [["side", "Side by side"], ["wipe", "Wipe"], ["difference", "Difference"]];
var ComparePanel = class {
  // the pair whose difference the canvas holds (or is being computed)
  /** `url`: where a cell's file is (the editor: the pack's file route; the viewer: the export's relative path;
   * given, not imported, so the viewer's bundle has none of the editor's routes). */
  constructor(apply, url) {
    this.apply = apply;
    this.url = url;
    const tools = element("div", "xyz-compare-tools");
    for (const [kind, text] of VIEWS) {
      const b = button(`xyz-show-${kind}`, text);
      b.addEventListener("click", () => this.change((s) => ({ ...s, compare: kind })));
      this.viewButtons.set(kind, b);
      tools.append(b);
    }
    const swap = button("xyz-compare-swap", "⇄ Swap A/B"), clear = button("xyz-compare-clear", "Clear pins");
    swap.addEventListener("click", () => this.change(swapPins));
    clear.addEventListener("click", () => this.change((s) => ({ ...clearPins(s), mode: "grid" })));
    tools.append(swap, clear);
    this.previous.addEventListener("click", () => this.change((s) => ({ ...s, pair: Math.max(0, s.pair - 1) })));
    this.next.addEventListener("click", () => this.change((s) => ({ ...s, pair: s.pair + 1 })));
    this.previous.setAttribute("aria-label", "Previous tile");
    this.next.setAttribute("aria-label", "Next tile");
    this.pairBar.append(this.previous, this.pairText, this.next);
    const labels = element("div", "xyz-compare-labels");
    labels.append(...this.labels);
    this.images.forEach((img, k) => {
      const half = element("figure", "xyz-compare-half");
      half.append(img, element("figcaption", "", PIN_NAMES[k]));
      this.side.append(half);
    });
    this.wipeInput.type = "range";
    this.wipeInput.min = "0";
    this.wipeInput.max = "100";
    this.wipeInput.value = "50";
    this.wipeInput.setAttribute("aria-label", "Wipe: how much of A shows (left of the divider), B on the right");
    this.wipeInput.addEventListener("input", () => this.setWipe(Number(this.wipeInput.value)));
    this.wipe.append(this.wipeImages[1], this.wipeImages[0], this.divider);
    this.wipe.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      this.wipeTo(e);
      followPointer(e, (m) => this.wipeTo(m), () => void 0);
    });
    const wipeBox = element("div", "xyz-wipe-box");
    wipeBox.append(this.wipe, this.wipeInput);
    this.canvas.hidden = true;
    this.differenceBox.append(this.canvas, this.figure);
    const stage = element("div", "xyz-compare-stage");
    stage.append(this.side, wipeBox, this.differenceBox);
    this.root.append(tools, this.pairBar, labels, stage);
    this.pinSliceButton.title = "Pin the slice shown (two slices pinned compare tile by tile); shift+click a tile or its pin button pins one cell";
    this.pinSliceButton.addEventListener("click", () => this.change((s) => togglePin(s, slicePin(this.view, s))));
    this.compareButton.addEventListener("click", () => this.change((s) => ({ ...s, mode: s.mode === "compare" ? "grid" : "compare" })));
    for (const b of [this.root, this.pinSliceButton, this.compareButton]) {
      b.addEventListener("click", (e) => e.stopPropagation());
    }
    this.setWipe(50);
  }
  apply;
  url;
  /** for the explorer's button row: pin the slice shown, and open the compare view */
  pinSliceButton = button("xyz-pin-slice", "Pin slice");
  compareButton = button("xyz-compare-button", "Compare");
  root = element("div", "xyz-compare");
  viewButtons = /* @__PURE__ */ new Map();
  pairText = element("span", "xyz-compare-where");
  pairBar = element("div", "xyz-compare-pairs");
  previous = button("xyz-compare-previous", "◀");
  next = button("xyz-compare-next", "▶");
  labels = [element("div", "xyz-compare-label"), element("div", "xyz-compare-label")];
  images = [element("img", "xyz-compare-image"), element("img", "xyz-compare-image")];
  side = element("div", "xyz-compare-side");
  wipe = element("div", "xyz-wipe");
  wipeImages = [element("img", "xyz-wipe-a"), element("img", "xyz-wipe-b")];
  divider = element("div", "xyz-wipe-divider");
  wipeInput = element("input", "xyz-wipe-input");
  canvas = element("canvas", "xyz-difference");
  figure = element("div", "xyz-compare-figure");
  differenceBox = element("div", "xyz-difference-box");
  view = null;
  state = null;
  drawn = "";
  change(next) {
    if (this.view && this.state) this.apply(next(this.state));
  }
  render(view, state) {
    this.view = view;
    this.state = state;
    const pins = state?.pins ?? [];
    const slices = pins.length > 0 && pins[0].columns !== null;
    this.pinSliceButton.hidden = !view || state?.mode === "table";
    this.pinSliceButton.classList.toggle("xyz-on", slices);
    this.compareButton.hidden = !view || !pins.length || state?.mode === "table" && slices;
    this.compareButton.disabled = pins.length < 2;
    this.compareButton.textContent = state?.mode === "compare" ? "Back to grid" : `Compare ${slices ? "slices" : "cells"} (${pins.length}/2)`;
    this.compareButton.title = pins.length < 2 ? "Pin one more cell or slice to compare" : "The two pinned, compared";
    this.root.hidden = !view || !state || state.mode !== "compare";
    if (!view || !state || state.mode !== "compare") return;
    const pairs = comparePairs(view, state, (slot) => shownValues(state, axisOf(view, slot)));
    const at = Math.min(state.pair, pairs.length - 1);
    const pair = pairs[at];
    this.pairBar.hidden = pairs.length < 2;
    this.pairText.textContent = `tile ${at + 1} of ${pairs.length}: ${pair.where}`;
    this.previous.disabled = at === 0;
    this.next.disabled = at === pairs.length - 1;
    pins.forEach((pin, k) => {
      this.labels[k].replaceChildren(
        element("div", "xyz-compare-pin", PIN_NAMES[k]),
        ...pinLines(view, pin).map((line) => element("div", "", line))
      );
    });
    for (const [kind, b] of this.viewButtons) {
      b.classList.toggle("xyz-on", kind === state.compare);
      b.setAttribute("aria-pressed", String(kind === state.compare));
    }
    const cells = [pair.a, pair.b];
    const urls = cells.map((c) => c.status === "done" && c.files.length ? this.url(view, c.files[0]) : "");
    [...this.images, ...this.wipeImages].forEach((img, k) => {
      const url = urls[k % 2];
      img.alt = url ? "" : `${PIN_NAMES[k % 2]}: ${cells[k % 2].status}`;
      if (img.getAttribute("src") !== url) {
        if (url) img.src = url;
        else img.removeAttribute("src");
      }
    });
    this.side.hidden = state.compare !== "side";
    this.wipe.parentElement.hidden = state.compare !== "wipe";
    this.differenceBox.hidden = state.compare !== "difference";
    if (state.compare === "difference") void this.drawDifference(urls[0], urls[1]);
  }
  wipeTo(event) {
    const box = this.wipe.getBoundingClientRect();
    if (box.width > 0) this.setWipe(Math.round(100 * (event.clientX - box.left) / box.width));
  }
  /** The divider at `percent` of the width: A shows on its left, B on its right. */
  setWipe(percent) {
    const p = Math.max(0, Math.min(100, percent));
    this.wipeInput.value = String(p);
    this.wipeImages[0].style.clipPath = `inset(0 ${100 - p}% 0 0)`;
    this.divider.style.left = `${p}%`;
    this.wipe.dataset.wipe = String(p);
  }
  /** The two images' difference on the canvas (B drawn at A's size), and its figures in words. */
  async drawDifference(a, b) {
    const key = `${a}|${b}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.figure.textContent = "computing the difference…";
    delete this.figure.dataset.mean;
    delete this.figure.dataset.error;
    if (!a || !b) {
      this.figure.textContent = "both cells must be finished to compare their pixels";
      return;
    }
    try {
      const [ia, ib] = await Promise.all([decoded(a), decoded(b)]);
      if (this.drawn !== key) return;
      const width = ia.naturalWidth, height = ia.naturalHeight;
      const pixels = (img) => {
        const c = element("canvas", "");
        c.width = width;
        c.height = height;
        const g = c.getContext("2d", { willReadFrequently: true });
        g.drawImage(img, 0, 0, width, height);
        return g.getImageData(0, 0, width, height).data;
      };
      const d = difference(pixels(ia), pixels(ib));
      this.canvas.width = width;
      this.canvas.height = height;
      this.canvas.getContext("2d").putImageData(new ImageData(d.pixels, width, height), 0, 0);
      const sizes = ib.naturalWidth !== width || ib.naturalHeight !== height ? ` · B is ${ib.naturalWidth}×${ib.naturalHeight}, drawn at A's ${width}×${height}` : "";
      this.figure.textContent = describeDifference(d) + sizes;
      this.figure.dataset.mean = d.mean.toFixed(4);
      this.canvas.hidden = false;
    } catch (error) {
      if (this.drawn !== key) return;
      this.canvas.hidden = true;
      this.figure.textContent = error?.name === "SecurityError" ? UNREADABLE : `could not read the images: ${String(error)}`;
      this.figure.dataset.error = error?.name ?? "Error";
    }
  }
};
function button(className, text) {
  const b = element("button", `xyz-button ${className}`, text);
  b.type = "button";
  return b;
}
async function decoded(url) {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

// src/explorer/head.ts
var ExplorerHead = class {
  root = element("div", "xyz-head");
  title = element("div", "xyz-title");
  progressBar = element("div", "xyz-progress-bar");
  progressDone = element("div", "xyz-progress-done");
  progressFailed = element("div", "xyz-progress-failed");
  progressText = element("div", "xyz-progress-text");
  view = null;
  clock = null;
  constructor() {
    this.progressBar.append(this.progressDone, this.progressFailed);
    this.root.append(this.title, this.progressBar, this.progressText);
  }
  render(view) {
    this.view = view;
    if (!view) {
      this.title.textContent = "XYZ Plot Studio";
      this.progressText.textContent = "";
      this.progressBar.hidden = true;
      this.stopClock();
      return;
    }
    this.title.textContent = `${view.name} · ${view.status}`;
    this.title.dataset.status = view.status;
    const search = view.search && !view.dryRun ? view.search : null;
    const goal = search ? Math.min(search.budget || view.total, view.total) : view.total;
    const total = Math.max(1, goal);
    this.progressBar.hidden = false;
    this.progressDone.style.width = `${100 * view.done / total}%`;
    this.progressFailed.style.width = `${100 * view.failed / total}%`;
    const settled = view.done + view.failed;
    const end = view.finished ?? Date.now() / 1e3;
    const elapsed = Math.max(0, end - view.created);
    let text = `${view.done} / ${goal} done`;
    if (search) text += ` · search of ${view.total} cells`;
    if (view.failed) text += ` · ${view.failed} failed`;
    text += ` · ${formatSeconds(elapsed)} elapsed`;
    if (isRunning(view.status)) {
      const left = secondsLeft(settled, goal, elapsed);
      text += left === null ? " · estimating" : ` · ~${formatSeconds(left)} left`;
      if (this.clock === null) this.clock = window.setInterval(() => this.render(this.view), 1e3);
    } else {
      this.stopClock();
    }
    this.progressText.textContent = text;
    this.progressText.dataset.done = String(view.done);
    this.progressText.dataset.failed = String(view.failed);
    this.progressText.dataset.total = String(view.total);
  }
  destroy() {
    this.stopClock();
  }
  stopClock() {
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
  }
};

// src/layout.ts
var MIN_TILE = 24;
var MAX_TILE = 256;
function fitGrid(width, height, columns, rows, gap = 2, labelWidth = 72, headerHeight = 28) {
  const usableW = Math.max(0, width - labelWidth - gap * (columns + 1));
  const usableH = Math.max(0, height - headerHeight - gap * (rows + 1));
  const tile = Math.floor(Math.min(usableW / Math.max(1, columns), usableH / Math.max(1, rows)));
  return { tile: Math.max(MIN_TILE, Math.min(MAX_TILE, tile)), labelWidth, headerHeight };
}
function thumbnailSize(tile, dpr) {
  const wanted = Math.ceil(tile * Math.max(1, dpr));
  for (const size of [64, 128, 256, 512]) if (size >= wanted) return size;
  return 512;
}

// src/explorer/model.ts
function slice(view, state) {
  const across = axisOf(view, state.columns);
  const down = axisOf(view, state.rows) ?? null;
  const columns = shownValues(state, across);
  const rows = down ? shownValues(state, down) : [0];
  const at = view.slots.map(() => 0);
  for (const axis of sliderAxes(view, state)) at[axis.position] = state.at[axis.slot] ?? 0;
  const cells = rows.map((r) => columns.map((c) => {
    at[across.position] = c;
    if (down) at[down.position] = r;
    return view.cells[cellIndex(at, view.sizes)];
  }));
  return { across, down, columns, rows, cells };
}
function sliceKey(view, state) {
  const positions = sliderAxes(view, state).map((a) => `${a.slot}=${state.at[a.slot] ?? 0}`);
  const off = Object.entries(state.hidden).map(([slot, values]) => `${slot}-${values.join(".")}`);
  const order = Object.entries(state.order).map(([slot, values]) => `${slot}-${values.join(".")}`);
  return [state.columns, state.rows ?? "", positions.join(","), off.join(","), order.join(",")].join("|");
}
function tableColumns(view) {
  return [
    { key: "index", title: "#", text: (c) => String(c.index) },
    ...explorerAxes(view).map((axis) => ({
      key: `axis:${axis.slot}`,
      title: axis.title || axis.slot,
      text: (c) => cellLabel(axis, c)
    })),
    // a cell a search has not run says so (its status word, "planned", is a dry run's)
    { key: "status", title: "status", text: (c) => notRun(view, c) ? "not run" : c.status },
    { key: "seconds", title: "time", text: (c) => c.seconds === null ? "" : formatSeconds(c.seconds) },
    ...metricNames(view).map((name) => ({
      key: `metric:${name}`,
      title: name,
      text: (c) => formatMetric(c.metrics[name] ?? null)
    }))
  ];
}
function sortValue(view, state, key) {
  if (key === "status") return (c) => c.status;
  if (key === "seconds") return (c) => c.seconds;
  if (key.startsWith("axis:")) {
    const axis = axisOf(view, key.slice(5));
    if (!axis) return (c) => c.index;
    const rank = new Map(valueOrder(state, axis).map((v, k) => [v, k]));
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
var axisTexts = /* @__PURE__ */ new WeakMap();
function axisText(axes, cell) {
  let text = axisTexts.get(cell);
  if (text === void 0) {
    text = axes.map((a) => `${a.title}: ${cellLabel(a, cell)}`).join("\n").toLowerCase();
    axisTexts.set(cell, text);
  }
  return text;
}
function tableRows(view, state) {
  const axes = explorerAxes(view);
  const off = axes.map((a) => new Set(state.hidden[a.slot] ?? []));
  const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = view.cells.filter((cell) => {
    if (axes.some((a, k) => off[k].has(cell.at[a.position] ?? 0))) return false;
    if (!words.length) return true;
    const text = `${axisText(axes, cell)}
${[cell.status, cell.error ?? "", cell.worker ?? "", ...cell.files].join("\n").toLowerCase()}`;
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
function nextSort(state, key) {
  if (!state.sort || state.sort.key !== key) return { key, descending: false };
  return state.sort.descending ? null : { key, descending: true };
}

// src/explorer/planes.ts
var PLANES_KEPT = 32;
var EAGER_TILES = 1500;
var ROWS_AHEAD = "300px";
var Planes = class {
  grid = element("div", "xyz-grid");
  planes = /* @__PURE__ */ new Map();
  shown = null;
  tileSize = 96;
  marked = [];
  bestMarked = [];
  view = null;
  // the last shown: a row built later paints its cells from it
  state = null;
  /** The slice shown (null before any). */
  get slice() {
    return this.shown?.slice ?? null;
  }
  /** Drop every slice built (another experiment, or a fresh copy of this one). */
  reset() {
    for (const plane of this.planes.values()) discard(plane);
    this.planes.clear();
    this.shown = null;
    this.marked = [];
    this.bestMarked = [];
  }
  /** Show the slice of the state, built on first view; the one shown before is hidden. */
  show(view, state) {
    this.view = view;
    this.state = state;
    const key = sliceKey(view, state);
    let plane = this.planes.get(key);
    if (!plane) {
      plane = this.build(view, state, key);
      if (this.planes.size >= PLANES_KEPT) {
        const [oldest, old] = this.planes.entries().next().value;
        discard(old);
        this.planes.delete(oldest);
      }
      this.planes.set(key, plane);
    }
    if (this.shown && this.shown !== plane) this.shown.root.hidden = true;
    plane.root.hidden = false;
    this.shown = plane;
    this.grid.style.setProperty("--xyz-columns", String(plane.slice.columns.length));
    this.markPins(view, state);
    this.markBest(view);
  }
  /** Outline a search's best cell so far (the done cell with the best objective value) in every slice kept. */
  markBest(view) {
    const best = view.search && !view.dryRun ? bestCell(view.cells, view.search.objective, view.search.goal) : null;
    const tiles = best ? [...this.planes.values()].map((p) => p.tiles.get(best.index)?.root).filter((t) => !!t) : [];
    if (tiles.length === this.bestMarked.length && tiles.every((t, k) => t === this.bestMarked[k])) return;
    for (const tile of this.bestMarked) delete tile.dataset.best;
    for (const tile of tiles) tile.dataset.best = "";
    this.bestMarked = tiles;
  }
  /** Name the tiles of the pinned cells (A, B) in every slice kept. */
  markPins(view, state) {
    for (const tile of this.marked) delete tile.dataset.pin;
    this.marked = [];
    state.pins.forEach((pin, k) => {
      if (pin.columns !== null) return;
      const index = cellAt(view, pin.at).index;
      for (const plane of this.planes.values()) {
        const tile = plane.tiles.get(index)?.root;
        if (tile) {
          tile.dataset.pin = PIN_NAMES[k];
          this.marked.push(tile);
        }
      }
    });
  }
  /** One cell changed: redraw its tile wherever a slice kept shows it. */
  updateCell(view, cell) {
    this.view = view;
    for (const plane of this.planes.values()) {
      const tile = plane.tiles.get(cell.index);
      if (tile) this.paint(view, tile, cell);
    }
    this.markBest(view);
  }
  build(view, state, key) {
    const s = slice(view, state);
    const { across, down } = s;
    const root = element("div", "xyz-plane");
    root.dataset.key = key;
    root.style.setProperty("--xyz-columns", String(s.columns.length));
    const corner = element("div", "xyz-corner");
    corner.title = down ? `${down.title} \\ ${across.title}` : across.title;
    corner.append(element("span", "xyz-corner-text", corner.title));
    root.append(corner);
    for (const c of s.columns) root.append(label2("xyz-col-label", across.labels[c] ?? ""));
    const plane = { root, slice: s, tiles: /* @__PURE__ */ new Map(), rowsDue: null };
    const eagerRows = s.cells.length * s.columns.length <= EAGER_TILES ? s.cells.length : Math.max(1, Math.ceil(EAGER_TILES / Math.max(1, s.columns.length)));
    const due = /* @__PURE__ */ new Map();
    s.cells.forEach((_row, r) => {
      root.append(label2("xyz-row-label", down?.labels[s.rows[r]] ?? ""));
      if (r < eagerRows) {
        root.append(...this.rowTiles(view, plane, r));
      } else {
        const placeholder = element("div", "xyz-row-due");
        root.append(placeholder);
        due.set(placeholder, r);
      }
    });
    if (due.size) {
      plane.rowsDue = new IntersectionObserver((entries) => {
        let built = false;
        for (const entry of entries) {
          const r = due.get(entry.target);
          if (!entry.isIntersecting || r === void 0 || !this.view) continue;
          due.delete(entry.target);
          plane.rowsDue?.unobserve(entry.target);
          entry.target.replaceWith(...this.rowTiles(this.view, plane, r));
          built = true;
        }
        if (!due.size) plane.rowsDue?.disconnect();
        if (built && this.view && this.state) {
          this.markPins(this.view, this.state);
          this.markBest(this.view);
        }
      }, { rootMargin: ROWS_AHEAD });
      for (const placeholder of due.keys()) plane.rowsDue.observe(placeholder);
    }
    this.grid.append(root);
    return plane;
  }
  /** The tiles of row `r` of the plane's slice, painted and recorded in the plane. */
  rowTiles(view, plane, r) {
    return plane.slice.cells[r].map((cell) => {
      const tile = element("div", "xyz-tile");
      tile.dataset.x = String(cell.x);
      tile.dataset.y = String(cell.y);
      tile.dataset.index = String(cell.index);
      const image = element("img", "xyz-tile-image");
      image.loading = "lazy";
      image.decoding = "async";
      image.alt = "";
      const caption = element("div", "xyz-tile-caption");
      tile.append(image, caption);
      const t = { root: tile, image, caption };
      plane.tiles.set(cell.index, t);
      this.paint(view, t, view.cells[cell.index] ?? cell);
      return tile;
    });
  }
  repaint(view) {
    for (const plane of this.planes.values()) {
      for (const [index, tile] of plane.tiles) this.paint(view, tile, view.cells[index]);
    }
  }
  paint(view, tile, cell) {
    tile.root.dataset.status = cell.status;
    if (notRun(view, cell)) tile.root.dataset.notRun = "";
    else delete tile.root.dataset.notRun;
    if (cell.status === "done" && cell.files.length) {
      const src = thumbnailURL(view.id, cell.files[0], thumbnailSize(this.tileSize, window.devicePixelRatio));
      if (tile.image.getAttribute("src") !== src) tile.image.src = src;
      tile.image.hidden = false;
      tile.caption.textContent = "";
    } else {
      tile.image.hidden = true;
      tile.image.removeAttribute("src");
      tile.caption.textContent = cell.status === "failed" ? cell.error || "failed" : cell.status === "cancelled" ? "cancelled" : "";
    }
  }
  /** Size the tiles to fill `box` (the grid box's own CSS size). */
  layout(view, box) {
    const plane = this.shown;
    if (!plane || box.width < 2) return;
    const columns = plane.slice.columns.length, rows = plane.slice.rows.length;
    for (let pass = 0; pass < 2; pass++) {
      const first = plane.root.querySelector(".xyz-tile");
      const header = first ? first.offsetTop : 28, labels = first ? first.offsetLeft : 72;
      const fit = fitGrid(
        box.width - 8,
        Math.max(box.height, 120) - 4,
        columns,
        rows,
        2,
        Math.max(labels, 24),
        Math.max(header, 14)
      );
      if (fit.tile === this.tileSize && pass > 0) break;
      const grew = fit.tile !== this.tileSize;
      this.tileSize = fit.tile;
      this.grid.style.setProperty("--xyz-tile", `${fit.tile}px`);
      if (grew) this.repaint(view);
    }
  }
};
function discard(plane) {
  plane.rowsDue?.disconnect();
  plane.root.remove();
}
function label2(className, text) {
  const node = element("div", className, text);
  node.title = text;
  if (!/\s/.test(text.trim())) node.classList.add("xyz-one-word");
  return node;
}

// src/explorer/player.ts
var FRAME_MS = 700;
function nextFrame(view, state) {
  if (state.mode !== "grid") return null;
  const slider = activeSlider(view, state);
  if (!slider) return null;
  const shown = shownValues(state, slider);
  if (shown.length < 2) return null;
  const here = shown.indexOf(state.at[slider.slot] ?? 0);
  return moveSlider(view, state, slider.slot, shown[(here + 1) % shown.length]);
}
var SliderPlayer = class {
  /** `frame`: move one frame on; false when there is nothing to play (the player stops). */
  constructor(frame) {
    this.frame = frame;
    this.button.type = "button";
    this.button.title = "Play along the active slider's axis (the arrow keys pick another slider)";
    this.button.addEventListener("click", (e) => {
      e.stopPropagation();
      if (this.playing) this.stop();
      else this.start();
    });
  }
  frame;
  button = element("button", "xyz-button xyz-play", "▶ Play");
  timer = null;
  get playing() {
    return this.timer !== null;
  }
  /** Shown only while the view has a slider to play. */
  render(available) {
    this.button.hidden = !available;
    if (!available) this.stop();
  }
  start() {
    if (this.timer !== null || !this.frame()) return;
    this.timer = setInterval(() => {
      if (!this.frame()) this.stop();
    }, FRAME_MS);
    this.button.textContent = "⏸ Pause";
    this.button.setAttribute("aria-pressed", "true");
  }
  stop() {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.button.textContent = "▶ Play";
    this.button.setAttribute("aria-pressed", "false");
  }
};

// src/explorer/table.ts
var THUMB = 64;
var ROW_PITCH = 43;
var OVERSCAN = 8;
var ExplorerTable = class {
  constructor(apply, open) {
    this.apply = apply;
    this.open = open;
    this.filter.type = "search";
    this.filter.placeholder = "Filter: words of labels, status, errors";
    this.filter.setAttribute("aria-label", "Filter the cells");
    this.filter.addEventListener("input", () => {
      if (this.state) this.apply({ ...this.state, filter: this.filter.value });
    });
    this.filter.addEventListener("keydown", (e) => e.stopPropagation());
    this.head.addEventListener("click", (e) => {
      const button2 = e.target.closest?.(".xyz-sort");
      if (!button2 || !this.state) return;
      e.stopPropagation();
      this.apply({ ...this.state, sort: nextSort(this.state, button2.dataset.key) });
    });
    this.body.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();
    });
    this.body.addEventListener("click", (e) => {
      const row = e.target.closest?.("tr");
      const cell = row ? this.view?.cells[Number(row.dataset.index)] : void 0;
      if (cell && e.shiftKey && this.view && this.state) {
        e.stopPropagation();
        this.apply(togglePin(this.state, cellPin(this.view, cell)));
        return;
      }
      if (cell && cell.status === "done") {
        e.stopPropagation();
        this.open(cell);
      }
    });
    this.table.append(this.head, this.body);
    this.scroller.append(this.above, this.table, this.below);
    this.scroller.style.overflowAnchor = "none";
    this.scroller.addEventListener("scroll", () => {
      this.scrollDue ??= requestAnimationFrame(() => {
        this.scrollDue = null;
        this.drawRows();
      });
    }, { passive: true });
    new ResizeObserver(() => this.drawRows()).observe(this.scroller);
    const tools = element("div", "xyz-table-tools");
    tools.append(this.filter, this.count);
    this.root.append(tools, this.scroller);
  }
  apply;
  open;
  root = element("div", "xyz-table-box");
  filter = element("input", "xyz-filter");
  count = element("div", "xyz-table-count");
  table = element("table", "xyz-table");
  head = element("thead", "");
  body = element("tbody", "");
  view = null;
  state = null;
  rows = [];
  columns = [];
  best = null;
  // a search's best cell so far: its row is marked
  scroller = element("div", "xyz-table-scroll");
  above = element("div", "xyz-table-spacer");
  below = element("div", "xyz-table-spacer");
  pitch = ROW_PITCH;
  measured = false;
  // the pitch is a drawn row's height
  drawn = "";
  // the rows drawn, as "first:last" of this.rows ("" after a render: draw again)
  scrollDue = null;
  /** The cells in the table's order (what the overlay's arrows step through). */
  get shownCells() {
    return this.rows;
  }
  render(view, state) {
    this.view = view;
    this.state = state;
    if (this.filter.value !== state.filter) this.filter.value = state.filter;
    const columns = tableColumns(view);
    const headings = sortHeadings(columns, state.sort, { thumb: "xyz-table-thumb", sort: "xyz-sort" });
    this.head.replaceChildren(headings);
    this.columns = columns;
    this.rows = tableRows(view, state);
    this.best = view.search && !view.dryRun ? bestCell(view.cells, view.search.objective, view.search.goal) : null;
    this.drawn = "";
    this.drawRows();
    const total = view.cells.length;
    this.count.textContent = `${this.rows.length} of ${total} cells`;
  }
  /** Draw the rows in sight: those the scroll position and the box's height cover, and OVERSCAN more
   * either side. Every row is as tall as the first one measured (one line of text beside a thumbnail). */
  drawRows() {
    const view = this.view;
    if (!view) return;
    const height = this.scroller.clientHeight || 480;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.pitch) - OVERSCAN);
    const last = Math.min(this.rows.length, first + Math.ceil(height / this.pitch) + 2 * OVERSCAN);
    const range = `${first}:${last}`;
    if (range === this.drawn) return;
    this.drawn = range;
    this.above.style.height = `${first * this.pitch}px`;
    this.below.style.height = `${(this.rows.length - last) * this.pitch}px`;
    this.body.replaceChildren(...this.rows.slice(first, last).map((cell) => this.row(view, cell)));
    if (!this.measured && this.body.firstElementChild) {
      const height2 = this.body.firstElementChild.offsetHeight;
      if (height2 > 0) {
        this.measured = true;
        if (height2 !== this.pitch) {
          this.pitch = height2;
          this.drawn = "";
          this.drawRows();
        }
      }
    }
  }
  row(view, cell) {
    const tr = element("tr", "xyz-table-row");
    tr.dataset.index = String(cell.index);
    tr.dataset.status = cell.status;
    tr.style.height = `${ROW_PITCH}px`;
    const thumb = element("td", "xyz-table-thumb");
    if (cell.status === "done" && cell.files.length) {
      const img = element("img", "");
      img.loading = "lazy";
      img.alt = "";
      img.src = thumbnailURL(view.id, cell.files[0], THUMB);
      thumb.append(img);
    }
    tr.append(thumb, ...this.columns.map((column) => element("td", "", column.text(cell))));
    const pin = this.state ? pinOf(view, this.state, cell) : -1;
    if (pin >= 0) tr.dataset.pin = thumb.dataset.pin = PIN_NAMES[pin];
    if (cell.error) tr.title = cell.error;
    if (cell === this.best) {
      tr.dataset.best = "";
      tr.title = `best ${view.search.objective} so far`;
    }
    return tr;
  }
};

// src/explorer/explorer.ts
var Explorer = class {
  constructor(callbacks, large = false) {
    this.callbacks = callbacks;
    this.root = element("div", `xyz-scrubber xyz-explorer widget-expands${large ? " xyz-large" : ""}`);
    this.root.tabIndex = 0;
    this.root.dataset.captureWheel = "true";
    this.chart = new SearchChart((cell, run) => this.openCell(cell, () => run), large ? 110 : 64);
    this.buttons.append(
      this.controls.modeButton,
      this.controls.pickers,
      this.controls.swapButton,
      this.controls.valuesButton,
      this.player.button,
      this.compare.pinSliceButton,
      this.compare.compareButton,
      this.exportMenu.button
    );
    this.actionButtons = {
      cancel: this.button("Cancel", "cancel"),
      resume: this.button("Resume", "resume"),
      retry: this.button("Retry failed", "retry")
    };
    this.gridBox.append(this.grid, this.empty);
    this.root.append(
      this.head.root,
      this.chart.root,
      this.buttons,
      this.controls.values,
      this.controls.sliders,
      this.gridBox,
      this.table.root,
      this.compare.root
    );
    this.pinButton.type = "button";
    this.pinButton.append(element("i", "pi pi-thumbtack"));
    this.pinButton.title = "Pin this cell to compare (or shift+click the tile)";
    this.pinButton.setAttribute("aria-label", "Pin this cell to compare");
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener("pointerdown", (e) => {
      if (e.button === 0) e.stopPropagation();
    });
    this.grid.addEventListener("pointerover", (e) => this.onHover(e));
    this.grid.addEventListener("pointerleave", () => this.hover.hide());
    this.grid.addEventListener("click", (e) => this.onClick(e));
    this.grid.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();
    });
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.gridBox);
    this.render();
  }
  callbacks;
  root;
  head = new ExplorerHead();
  chart;
  buttons = element("div", "xyz-buttons");
  gridBox = element("div", "xyz-grid-box");
  planes = new Planes();
  grid = this.planes.grid;
  compare = new ComparePanel((next) => this.apply(next), (view, file) => fileURL(view.id, file));
  pinButton = element("button", "xyz-pin-button");
  hover = new HoverText();
  exportMenu = new ExportMenu();
  controls = new ExplorerControls((next) => this.apply(next));
  player = new SliderPlayer(() => this.playFrame());
  table = new ExplorerTable((next) => this.apply(next), (cell) => this.openCell(
    cell,
    () => this.table.shownCells
  ));
  empty = element("div", "xyz-empty", "Queue an XYZ workflow: its grid fills in here.");
  actionButtons;
  view = null;
  state = initialState();
  overlay = null;
  resizeObserver;
  tableDue = null;
  button(text, action) {
    const b = element("button", `xyz-button xyz-${action}`, text);
    b.type = "button";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      this.callbacks.action(action);
    });
    this.buttons.append(b);
    return b;
  }
  get experimentId() {
    return this.view?.id ?? null;
  }
  get viewState() {
    return this.state;
  }
  /** Whether X runs down the rows and Y across (the former "Swap X/Y"). */
  get swapped() {
    return swappedXY(this.state);
  }
  /** Take a view state (read back from a node): it applies to the experiment shown, or the next. */
  setState(state) {
    this.state = this.view ? settle(this.view, state) : state;
    this.resetPlanes();
    this.render();
  }
  /** Show an experiment (a new one, or a fresh copy of the one shown, from the routes). */
  show(view) {
    this.view = view;
    this.resetPlanes();
    if (view) this.state = settle(view, this.state);
    this.render();
  }
  /** One cell changed (from an event): redraw its tile wherever a slice kept shows it. */
  updateCell(cell) {
    if (this.view) this.planes.updateCell(this.view, cell);
    if (this.state.mode === "table") this.renderTableSoon();
    if (this.state.mode === "compare") this.compare.render(this.view, this.state);
    this.overlay?.refresh();
    this.chart.render(this.view);
    this.renderStatus();
  }
  /** The experiment's status or counts changed. */
  updateStatus() {
    this.renderStatus();
  }
  destroy() {
    this.resizeObserver.disconnect();
    this.overlay?.close();
    this.player.stop();
    this.hover.destroy();
    this.exportMenu.destroy();
    this.head.destroy();
    this.chart.destroy();
    if (this.tableDue !== null) cancelAnimationFrame(this.tableDue);
    this.root.remove();
  }
  /** One frame of the player: false when there is nothing to play. */
  playFrame() {
    const next = this.view ? nextFrame(this.view, this.state) : null;
    if (!next) return false;
    this.apply(next);
    return true;
  }
  /** A new view state from a control, a key or the wheel. */
  apply(next) {
    if (!this.view || next === this.state) return;
    const settled = settle(this.view, next), before = this.state;
    if (JSON.stringify(settled) === JSON.stringify(before)) return;
    this.state = settled;
    const sameShape = settled.mode === before.mode && settled.columns === before.columns && settled.rows === before.rows && JSON.stringify(settled.hidden) === JSON.stringify(before.hidden) && JSON.stringify(settled.order) === JSON.stringify(before.order);
    if (sameShape && settled.mode === "grid") {
      this.controls.render(this.view, settled);
      this.player.render(sliderAxes(this.view, settled).length > 0);
      this.exportMenu.update(this.view, settled);
      this.compare.render(this.view, settled);
      this.planes.show(this.view, settled);
    } else {
      this.render();
    }
    this.callbacks.viewChanged?.(settled);
  }
  render() {
    const view = this.view;
    const grid = this.state.mode === "grid";
    this.empty.hidden = !!view;
    this.grid.hidden = !view;
    this.gridBox.hidden = !!view && !grid;
    this.table.root.hidden = !view || this.state.mode !== "table";
    this.controls.render(view, view ? this.state : null);
    this.player.render(!!view && grid && sliderAxes(view, this.state).length > 0);
    this.compare.render(view, view ? this.state : null);
    if (view && grid) this.planes.show(view, this.state);
    if (view && this.state.mode === "table") this.table.render(view, this.state);
    this.chart.render(view);
    this.renderStatus();
    this.layout();
  }
  renderTableSoon() {
    if (this.tableDue !== null) return;
    this.tableDue = requestAnimationFrame(() => {
      this.tableDue = null;
      if (this.view && this.state.mode === "table") this.table.render(this.view, this.state);
    });
  }
  renderStatus() {
    const view = this.view;
    this.head.render(view);
    this.buttons.hidden = !view;
    this.exportMenu.update(view, view ? this.state : null);
    if (!view) return;
    this.actionButtons.cancel.hidden = !isRunning(view.status);
    this.actionButtons.resume.hidden = !canResume(view);
    this.actionButtons.retry.hidden = !canRetry(view);
  }
  resetPlanes() {
    this.planes.reset();
    this.pinButton.remove();
  }
  layout() {
    if (!this.view || this.state.mode !== "grid") return;
    this.planes.layout(this.view, { width: this.gridBox.clientWidth, height: this.gridBox.clientHeight });
  }
  cellAt(target) {
    const tile = target?.closest?.(".xyz-tile");
    if (!tile || !this.view) return null;
    return this.view.cells[Number(tile.dataset.index)] ?? null;
  }
  onHover(event) {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return this.hover.hide();
    const tile = event.target.closest(".xyz-tile");
    this.hover.show(describeCell2(this.view, cell), tile);
    if (this.pinButton.parentElement !== tile) tile.append(this.pinButton);
  }
  /** A click opens the cell at full size; shift+click or the tile's pin button pins it (again: unpins). */
  onClick(event) {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return;
    if (event.shiftKey || event.target.closest?.(".xyz-pin-button")) {
      event.stopPropagation();
      this.apply(togglePin(this.state, cellPin(this.view, cell)));
      return;
    }
    if (cell.status !== "done") return;
    event.stopPropagation();
    this.openCell(cell, () => this.planes.slice?.cells.flat() ?? []);
  }
  openCell(cell, cells) {
    if (!this.view) return;
    this.overlay?.close();
    this.overlay = new Overlay(this.view, cell, cells, () => this.overlay = null);
  }
  /** Left and Right step the active slider; Up and Down step it too when it is the only one, and
   * otherwise pick the slider above or below. Only in the grid, and not while typing or picking. */
  onKey(event) {
    const view = this.view;
    if (!view || this.state.mode !== "grid") return;
    const target = event.target;
    if (target.tagName === "SELECT" || target.tagName === "INPUT" && target.type !== "range") {
      return;
    }
    const key = event.key;
    if (!["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"].includes(key)) return;
    const sliders = sliderAxes(view, this.state).filter((a) => a.labels.length > 1);
    const active = activeSlider(view, this.state);
    if (!active || !sliders.length) return;
    event.preventDefault();
    event.stopPropagation();
    const vertical = key === "ArrowUp" || key === "ArrowDown";
    if (vertical && sliders.length > 1) {
      const at = sliders.findIndex((a) => a.slot === active.slot);
      const next = sliders[Math.max(0, Math.min(sliders.length - 1, at + (key === "ArrowDown" ? 1 : -1)))];
      this.apply({ ...this.state, active: next.slot });
      return;
    }
    const slot = target.closest?.(".xyz-slider")?.dataset.slot ?? active.slot;
    this.apply(stepSlider(view, this.state, slot, key === "ArrowRight" || key === "ArrowUp" ? 1 : -1));
  }
  /** The wheel steps the slider it is over, or the active one; in the table it scrolls. */
  onWheel(event) {
    const view = this.view;
    if (!view || this.state.mode !== "grid") return;
    const over = event.target.closest?.(".xyz-slider");
    const slot = over?.dataset.slot ?? activeSlider(view, this.state)?.slot;
    const axis = view.axes.find((a) => a.slot === slot);
    if (!slot || !axis || axis.labels.length < 2) return;
    event.preventDefault();
    event.stopPropagation();
    this.apply(stepSlider(view, this.state, slot, event.deltaY > 0 ? 1 : -1));
  }
};

// src/panel.ts
var EXPERIMENT_PROPERTY = "xyz_experiment";
var VIEW_PROPERTY = "xyz_view";
var SWAP_PROPERTY = "xyz_swap_xy";
var PANEL_MIN_HEIGHT = 360;
var NODE_DEFAULT_SIZE = [440, 520];
var NodePanel = class {
  // show() calls so far: an answer asked for before the last one is stale
  constructor(node, feed2, gone) {
    this.node = node;
    this.feed = feed2;
    this.gone = gone;
    this.scrubber = new Explorer({
      action: (action) => {
        const id = this.scrubber.experimentId;
        if (id) void lifecycleAction(feed2, id, action);
      },
      viewChanged: (state) => {
        this.node.properties = this.node.properties ?? {};
        this.node.properties[VIEW_PROPERTY] = state;
        this.node.properties[SWAP_PROPERTY] = swappedXY(state);
      }
    });
    this.scrubber.root.classList.add("xyz-node-panel");
    addPanelWidget(node, "xyz_panel", this.scrubber.root, () => PANEL_MIN_HEIGHT);
    if (node.size && (node.size[0] < NODE_DEFAULT_SIZE[0] || node.size[1] < NODE_DEFAULT_SIZE[1])) {
      node.setSize?.([Math.max(node.size[0], NODE_DEFAULT_SIZE[0]), Math.max(node.size[1], NODE_DEFAULT_SIZE[1])]);
    }
    onNodeRemoved(node, () => this.destroy());
    this.restore();
  }
  node;
  feed;
  gone;
  scrubber;
  unwatch = null;
  shows = 0;
  /** Show the experiment kept in the node's properties (after a load or a reload), then
   * ask the server whether a newer one ran through this node of this workflow: the page
   * may not have kept the property (a reload mid-run, a second tab). */
  restore() {
    const saved = this.node.properties ?? {};
    this.scrubber.setState(readState(saved[VIEW_PROPERTY], saved[SWAP_PROPERTY] === true));
    const id = this.node.properties?.[EXPERIMENT_PROPERTY];
    if (typeof id === "string" && id !== this.scrubber.experimentId) this.show(id);
    void this.catchUp();
  }
  async catchUp() {
    const workflow = workflowId();
    if (!workflow) return;
    const asked = this.shows;
    try {
      const { experiment } = await latestExperiment(workflow, String(this.node.id));
      if (experiment && asked === this.shows && experiment !== this.shownId()) this.show(experiment);
    } catch (error) {
      console.debug("XYZ Plot Studio: could not ask for this node's latest experiment", error);
    }
  }
  shownId() {
    const id = this.node.properties?.[EXPERIMENT_PROPERTY];
    return typeof id === "string" ? id : null;
  }
  show(id) {
    this.shows++;
    this.unwatch?.();
    this.node.properties = this.node.properties ?? {};
    this.node.properties[EXPERIMENT_PROPERTY] = id;
    this.unwatch = this.feed.watch(id, this);
  }
  loaded(view) {
    this.scrubber.show(view);
    redraw(this.node);
  }
  cell(cell) {
    this.scrubber.updateCell(cell);
  }
  status() {
    this.scrubber.updateStatus();
  }
  /** Its experiment was deleted: the empty state (the node's property is left: a read finds it gone again). */
  deleted() {
    this.unwatch?.();
    this.unwatch = null;
    this.scrubber.show(null);
    redraw(this.node);
  }
  destroy() {
    this.unwatch?.();
    this.unwatch = null;
    this.scrubber.destroy();
    this.gone(this);
  }
};

// src/node_shapes.ts
var AXIS_VALUES = "values";
var VALUE_OUTPUT_TYPE = "*";
var FIRST_VALUE_OUTPUT = 1;
var shapedNodes = /* @__PURE__ */ new WeakSet();
function pairedComponents(text) {
  let most = 1;
  let parts = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') i++;
      else quoted = !quoted;
    } else if (!quoted && ch === "|") {
      parts++;
      most = Math.max(most, parts);
    } else if (!quoted && (ch === "," || ch === "\n" || ch === "\r")) {
      parts = 1;
    }
  }
  return Math.min(most, AXIS_VALUE_OUTPUTS);
}
function outputName(k) {
  return k === 1 ? "value" : `value_${k}`;
}
function valueOutputsNeeded(components, linked) {
  const lastLinked = linked.lastIndexOf(true) + 1;
  return Math.max(1, components, lastLinked);
}
function shapeAssembler(node) {
  const changed = [];
  let anyMetric = false;
  for (const [metric, widgets] of Object.entries(METRIC_WIDGETS)) {
    const named = typeof widgetValue(node, widgets[0]) === "string" && widgetValue(node, widgets[0]) !== "";
    const shown = inputLinked(node, metric) || named || widgets.some((w) => inputLinked(node, w));
    anyMetric ||= shown;
    for (const w of widgets) if (setWidgetHidden(node, w, !shown)) changed.push(w);
  }
  const showMetrics = anyMetric || widgetValue(node, SHOW_METRICS_INPUT) === true || inputLinked(node, SHOW_METRICS_INPUT);
  if (setWidgetHidden(node, SHOW_METRICS_INPUT, !showMetrics)) changed.push(SHOW_METRICS_INPUT);
  return changed;
}
function shapeAxis(node) {
  const text = widgetValue(node, AXIS_VALUES);
  const slots = outputs(node);
  const linked = slots.slice(FIRST_VALUE_OUTPUT).map(outputLinked);
  const wanted = FIRST_VALUE_OUTPUT + valueOutputsNeeded(pairedComponents(typeof text === "string" ? text : ""), linked);
  const before = slots.length;
  while (outputs(node).length > wanted && !outputLinked(outputs(node)[outputs(node).length - 1])) {
    removeLastOutput(node);
  }
  for (let k = outputs(node).length; k < Math.min(wanted, FIRST_VALUE_OUTPUT + AXIS_VALUE_OUTPUTS); k++) {
    addOutput(node, outputName(k), VALUE_OUTPUT_TYPE);
  }
  return outputs(node).length !== before;
}
function axisNumber(slot) {
  const declared = AXIS_SLOTS.indexOf(slot);
  if (declared >= 0) return declared + 1;
  const n = /^axis([1-9][0-9]{0,3})$/.exec(slot);
  return n && Number(n[1]) > 3 ? Number(n[1]) : null;
}
function axisInputsWanted(linked) {
  const last = Math.max(0, ...linked);
  return last >= AXIS_SLOTS.length ? last + 1 : AXIS_SLOTS.length;
}
function shapeDriver(node) {
  const linked = inputs(node).filter((i) => i.link !== void 0 && i.link !== null).map((i) => axisNumber(i.name)).filter((n) => n !== null);
  const wanted = axisInputsWanted(linked);
  const before = inputs(node).length;
  for (let last = inputs(node).at(-1); last && (axisNumber(last.name) ?? 0) > wanted && (last.link === void 0 || last.link === null); last = inputs(node).at(-1)) {
    removeLastInput(node);
  }
  const highest = Math.max(AXIS_SLOTS.length, ...inputs(node).map((i) => axisNumber(i.name) ?? 0));
  for (let n = highest + 1; n <= wanted; n++) addInput(node, `axis${n}`, AXIS_TYPE, `axis ${n}`);
  return inputs(node).length !== before;
}
function shapeCreatedNode(node) {
  const kind = nodeClass(node);
  if (kind !== NODE_ASSEMBLER && kind !== NODE_AXIS && kind !== NODE_DRIVER) return;
  const [width, height] = node.size;
  setTimeout(() => shapeNode(node, node.size[0] === width && node.size[1] === height), 0);
}
function shapeNode(node, fresh = false) {
  const kind = nodeClass(node);
  if (kind !== NODE_ASSEMBLER && kind !== NODE_AXIS && kind !== NODE_DRIVER) return;
  const apply = (fit) => {
    if (kind === NODE_ASSEMBLER) {
      const changed = shapeAssembler(node);
      if (changed.length) reshaped(node, changed, false);
    } else if (kind === NODE_DRIVER) {
      if (shapeDriver(node)) reshaped(node, [], true);
    } else if (shapeAxis(node)) {
      reshaped(node, [], fit);
    }
  };
  if (!shapedNodes.has(node)) {
    shapedNodes.add(node);
    onConnectionsChanged(node, () => apply(false));
    const decisive = kind === NODE_ASSEMBLER ? Object.values(METRIC_WIDGETS).map((w) => w[0]) : kind === NODE_AXIS ? [AXIS_VALUES] : [];
    for (const name of decisive) onWidgetChanged(node, name, () => apply(false));
  }
  apply(fresh);
}

// src/sidebar_row.ts
function iconButton(className, icon, label3) {
  const b = element("button", `xyz-button xyz-icon-button ${className}`);
  b.type = "button";
  b.title = label3;
  b.setAttribute("aria-label", label3);
  b.append(element("i", `pi ${icon}`));
  return b;
}
function experimentRow(row, selected, actions) {
  const item = element("div", "xyz-row");
  item.dataset.id = row.id;
  item.dataset.status = row.status;
  item.dataset.created = String(row.created);
  item.classList.toggle("xyz-selected", selected);
  const thumb = element("div", "xyz-row-thumb");
  if (row.cover) {
    const img = element("img", "");
    img.loading = "lazy";
    img.alt = "";
    img.src = thumbnailURL(row.id, row.cover, 128);
    thumb.append(img);
  }
  const text = element("div", "xyz-row-text");
  const name = element("div", "xyz-row-name", row.name);
  name.title = `${row.name}
${row.id} (double-click to rename)`;
  const when = element("span", "xyz-row-when", formatWhen(row.created));
  when.title = formatFullDate(row.created);
  const disk = element("span", "xyz-row-disk", formatBytes(row.disk_bytes));
  disk.title = `${row.disk_bytes.toLocaleString()} bytes on disk`;
  const facts = element("div", "xyz-row-facts");
  facts.append(when, " · ", disk);
  text.append(name, facts, element("div", "xyz-row-meta", rowMeta(row)));
  const buttons = element("div", "xyz-row-buttons");
  const add = (label3, action, shown) => {
    if (!shown) return;
    const b = element("button", `xyz-button xyz-${action}`, label3);
    b.type = "button";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      actions.act(row.id, action);
    });
    buttons.append(b);
  };
  add("Cancel", "cancel", row.status === "running");
  add("Resume", "resume", row.status === "interrupted" || row.status === "cancelled");
  add("Retry failed", "retry", (row.counts["failed"] ?? 0) > 0 && row.status !== "running");
  const rename = iconButton("xyz-rename", "pi-pencil", "Rename");
  const remove = iconButton("xyz-delete", "pi-trash", "Delete");
  if (row.status === "running") {
    remove.disabled = true;
    remove.title = "Delete: cancel it first, or wait for it to finish";
  }
  rename.addEventListener("click", (e) => {
    e.stopPropagation();
    editName(name, row, actions);
  });
  remove.addEventListener("click", (e) => {
    e.stopPropagation();
    actions.remove(row);
  });
  name.addEventListener("dblclick", (e) => {
    e.stopPropagation();
    editName(name, row, actions);
  });
  const tools = element("div", "xyz-row-tools");
  tools.append(rename, remove);
  item.append(thumb, text, buttons, tools);
  item.addEventListener("click", () => actions.pick(row));
  return item;
}
function editName(name, row, actions) {
  if (name.querySelector("input")) return;
  const input = element("input", "xyz-rename-input");
  input.type = "text";
  input.value = row.name;
  input.maxLength = 200;
  input.setAttribute("aria-label", "Experiment name");
  let settled = false;
  const close = (shown) => {
    settled = true;
    name.textContent = shown;
    actions.editing(false);
  };
  const save = async () => {
    if (settled) return;
    const wanted = input.value.trim();
    if (!wanted || wanted === row.name) return close(row.name);
    input.disabled = true;
    if (await actions.rename(row, wanted)) {
      row.name = wanted;
      close(wanted);
    } else {
      input.disabled = false;
      input.focus();
    }
  };
  input.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Enter") {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close(row.name);
    }
  });
  input.addEventListener("blur", () => {
    if (!input.disabled) void save();
  });
  for (const type of ["click", "dblclick", "pointerdown"]) input.addEventListener(type, (e) => e.stopPropagation());
  actions.editing(true);
  name.replaceChildren(input);
  input.focus();
  input.select();
}
function rowMeta(row) {
  const done = row.counts["done"] ?? 0, failed = row.counts["failed"] ?? 0;
  const shape = row.shape ? Object.values(row.shape).join(" × ") : "?";
  const progress = row.search_budget === null ? `${done}/${row.total} done` : `search · ${done}/${Math.min(row.search_budget, row.total)} run of ${row.total}`;
  return `${shape} · ${row.status} · ${progress}${failed ? ` · ${failed} failed` : ""}`;
}

// src/sidebar.ts
var SIDEBAR_ID = "xyz-studio";
var PAGE = 20;
var REFRESH_MS = 3e3;
var IDLE_REFRESH_MS = 6e3;
var SEARCH_DEBOUNCE_MS = 250;
var ExperimentsSidebar = class {
  /** `workflowLoaded`: an experiment's source workflow was put in the editor ("Load this workflow"). */
  constructor(feed2, workflowLoaded) {
    this.feed = feed2;
    this.workflowLoaded = workflowLoaded;
    this.scrubber = new Explorer({ action: (action) => this.act(this.selected, action) }, true);
    this.previous.type = this.next.type = this.loadButton.type = this.deleteButton.type = this.newRuns.type = "button";
    this.previous.addEventListener("click", () => this.page(this.offset - PAGE));
    this.next.addEventListener("click", () => this.page(this.offset + PAGE));
    this.loadButton.addEventListener("click", () => void this.loadSource());
    this.deleteButton.addEventListener("click", () => {
      if (this.pickedRow) void this.remove(this.pickedRow);
    });
    this.newRuns.addEventListener("click", () => this.page(0));
    this.newRuns.hidden = true;
    this.search.type = "search";
    this.search.placeholder = "Search names or ids";
    this.search.setAttribute("aria-label", "Search experiments by name or id");
    this.search.addEventListener("input", () => this.searchSoon());
    this.search.addEventListener("keydown", (e) => e.stopPropagation());
    this.pager.append(this.previous, this.pageText, this.next);
    const detailActions = element("div", "xyz-detail-actions");
    detailActions.append(this.loadButton, this.deleteButton);
    this.detail.append(detailActions, this.scrubber.root);
    this.detail.hidden = true;
    const head = element("div", "xyz-sidebar-head");
    head.append(element("div", "xyz-sidebar-title", "XYZ experiments"), this.summary, this.search);
    this.root.append(head, this.newRuns, this.list, this.pager, this.detail);
  }
  feed;
  workflowLoaded;
  root = element("div", "xyz-sidebar");
  list = element("div", "xyz-list");
  pager = element("div", "xyz-pager");
  pageText = element("span", "xyz-page-text");
  previous = element("button", "xyz-button xyz-previous", "Newer");
  next = element("button", "xyz-button xyz-next", "Older");
  detail = element("div", "xyz-detail");
  loadButton = element("button", "xyz-button xyz-load-workflow", "Load this workflow");
  deleteButton = element("button", "xyz-button xyz-delete-picked", "Delete…");
  search = element("input", "xyz-search");
  summary = element("div", "xyz-sidebar-summary");
  newRuns = element("button", "xyz-button xyz-new-runs");
  scrubber;
  offset = 0;
  total = 0;
  selected = null;
  unwatch = null;
  timer = null;
  mounted = false;
  query = "";
  anchor = null;
  // a later page lists the runs created at or before it
  newest = null;
  // the newest run the first page showed
  rows = /* @__PURE__ */ new Map();
  pickedRow = null;
  editing = false;
  searchTimer = null;
  asked = 0;
  // refreshes asked for: only the latest one's answer is shown
  rowActions = {
    pick: (row) => {
      this.pickedRow = row;
      this.deleteButton.disabled = row.status === "running";
      this.select(row.id);
    },
    act: (id, action) => void this.act(id, action),
    rename: (row, name) => this.rename(row, name),
    remove: (row) => void this.remove(row),
    editing: (on) => {
      this.editing = on;
      if (!on) void this.refresh();
    }
  };
  /** Mount into the sidebar's element (called on every opening of the tab). */
  render(container) {
    if (this.root.parentElement !== container) container.replaceChildren(this.root);
    this.mounted = true;
    void this.refresh();
  }
  unmount() {
    this.mounted = false;
    this.stopTimer();
  }
  select(id) {
    this.selected = id;
    this.unwatch?.();
    this.unwatch = this.feed.watch(id, this);
    this.detail.hidden = false;
    for (const row of this.list.children) row.classList.toggle("xyz-selected", row.dataset.id === id);
  }
  loaded(view) {
    if (view.id === this.selected) this.scrubber.show(view);
  }
  cell(cell) {
    this.scrubber.updateCell(cell);
  }
  status() {
    this.scrubber.updateStatus();
    void this.refresh();
  }
  /** Its experiment was deleted (here or in another tab): the large scrubber goes. */
  deleted(id) {
    if (id !== this.selected) return;
    this.unwatch?.();
    this.unwatch = null;
    this.selected = this.pickedRow = null;
    this.scrubber.show(null);
    this.detail.hidden = true;
    void this.refresh();
  }
  page(offset) {
    const target = Math.max(0, offset);
    this.anchor = target === 0 ? null : this.anchor ?? this.newest;
    this.offset = target;
    void this.refresh();
  }
  async refresh() {
    if (!this.mounted) return;
    if (this.editing) return this.schedule(REFRESH_MS);
    const asked = ++this.asked;
    let page;
    try {
      page = await listExperiments(PAGE, this.offset, this.query, this.anchor);
    } catch (error) {
      if (asked !== this.asked) return;
      this.list.replaceChildren(element("div", "xyz-empty", `Could not list the experiments: ${String(error)}`));
      return this.schedule(IDLE_REFRESH_MS);
    }
    if (asked !== this.asked || !this.mounted) return;
    if (this.editing) return this.schedule(REFRESH_MS);
    const rows = page.experiments;
    if (!rows.length && this.offset > 0 && page.total > 0) return this.page(this.offset - PAGE);
    this.total = page.total;
    if (this.offset === 0) this.newest = rows[0]?.created ?? null;
    this.rows = new Map(rows.map((row) => [row.id, row]));
    const picked = this.selected ? this.rows.get(this.selected) : void 0;
    if (picked) this.pickedRow = picked;
    this.deleteButton.disabled = !this.pickedRow || this.pickedRow.status === "running";
    this.list.replaceChildren(...rows.map((row) => experimentRow(row, row.id === this.selected, this.rowActions)));
    if (!rows.length) {
      this.list.append(element(
        "div",
        "xyz-empty",
        this.query ? `No experiment matches "${this.query}".` : "No experiments on this server yet."
      ));
    }
    const last = Math.min(this.total, this.offset + rows.length);
    this.pageText.textContent = this.total ? `${this.offset + 1}–${last} of ${this.total}` : "";
    this.previous.disabled = this.offset === 0;
    this.next.disabled = last >= this.total;
    const newer = this.offset > 0 ? page.newer : 0;
    this.newRuns.hidden = newer === 0;
    this.newRuns.textContent = `${newer} new experiment${newer === 1 ? "" : "s"} — show`;
    this.summary.textContent = (this.query ? `${this.total + newer} matching` : `${this.total + newer} experiments`) + ` · ${formatBytes(page.disk_bytes)} on disk`;
    this.summary.title = `All experiments' folders and the store: ${page.disk_bytes.toLocaleString()} bytes`;
    this.schedule(rows.some((r) => r.status === "running") ? REFRESH_MS : IDLE_REFRESH_MS);
  }
  /** Read the list again in `ms` (new runs show up on their own, from this tab or any other). */
  schedule(ms) {
    this.stopTimer();
    if (this.mounted) this.timer = window.setTimeout(() => void this.refresh(), ms);
  }
  stopTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  searchSoon() {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => {
      this.searchTimer = null;
      const query = this.search.value.trim();
      if (query === this.query) return;
      this.query = query;
      this.page(0);
    }, SEARCH_DEBOUNCE_MS);
  }
  async rename(row, name) {
    try {
      await renameExperiment(row.id, name);
      void this.feed.reload(row.id);
      return true;
    } catch (error) {
      toast("error", "Could not rename", error instanceof RouteError ? error.message : String(error));
      return false;
    }
  }
  /** Delete after the user confirms, naming the experiment; the server refuses while it runs. */
  async remove(row) {
    const confirmed = await confirmDialog(
      "Delete this experiment?",
      `"${row.name}" (${formatWhen(row.created)}, ${row.id}): its record and its folder of ${formatBytes(row.disk_bytes)} (cells and grids) are removed from disk. This cannot be undone.`,
      "delete"
    );
    if (!confirmed) return;
    try {
      await deleteExperiment(row.id);
      toast("success", "Deleted", `"${row.name}" (${row.id})`);
      this.feed.forget(row.id);
    } catch (error) {
      const refused = error instanceof RouteError && error.status === 409;
      toast(refused ? "warn" : "error", "Could not delete", error instanceof RouteError ? error.message : String(error));
    }
    await this.refresh();
  }
  async act(id, action) {
    if (!id) return;
    await lifecycleAction(this.feed, id, action);
    await this.refresh();
  }
  async loadSource() {
    const id = this.selected;
    if (!id) return;
    try {
      const source = await sourceWorkflow(id);
      if (!source.workflow) {
        toast("info", "No editor workflow", "this experiment was queued as an API prompt (runner or script)");
        return;
      }
      await loadWorkflow(source.workflow);
      this.workflowLoaded(id, source.assembler);
    } catch (error) {
      toast("error", "Could not load the workflow", String(error));
    }
  }
  destroy() {
    this.unwatch?.();
    this.stopTimer();
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.scrubber.destroy();
  }
};

// src/styles.ts
var CSS = `
.xyz-scrubber { position: relative; display: flex; flex-direction: column; gap: 4px; min-height: 240px;
  height: 100%; box-sizing: border-box; padding: 4px; overflow: hidden; outline: none;
  color: var(--input-text, #ddd); font: 12px/1.3 system-ui, sans-serif; background: var(--comfy-input-bg, #222);
  border-radius: 6px; }
.xyz-node-panel { min-height: 360px; }
.xyz-scrubber:focus-visible { box-shadow: 0 0 0 1px var(--p-primary-color, #4a90e2); }
.xyz-head { display: flex; flex-direction: column; gap: 3px; }
.xyz-title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-title[data-status="failed"], .xyz-title[data-status="interrupted"] { color: #f0a020; }
.xyz-progress-bar { display: flex; height: 6px; border-radius: 3px; overflow: hidden; background: rgba(127,127,127,.3); }
.xyz-progress-done { background: #3fb950; transition: width .2s; }
.xyz-progress-failed { background: #e5534b; transition: width .2s; }
.xyz-progress-text { opacity: .85; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-z { display: flex; align-items: center; gap: 6px; }
.xyz-z-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 0 1 45%; }
.xyz-z-slider { flex: 1; min-width: 60px; }
.xyz-sliders { display: flex; flex-direction: column; gap: 1px; }
.xyz-slider { border-left: 2px solid transparent; padding-left: 2px; }
.xyz-slider.xyz-active { border-left-color: var(--p-primary-color, #4a90e2); }
.xyz-buttons, .xyz-row-buttons { display: flex; gap: 4px; flex-wrap: wrap; }
.xyz-buttons { align-items: center; }
.xyz-pickers { display: inline-flex; gap: 4px; align-items: center; }
.xyz-picker-label { opacity: .75; }
.xyz-columns, .xyz-rows { font: inherit; max-width: 160px; padding: 1px 2px; border-radius: 4px;
  border: 1px solid var(--border-color, #555); background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-values { display: flex; flex-direction: column; gap: 3px; max-height: 30%; overflow: auto; }
.xyz-values-axis { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
.xyz-values-title { font-weight: 600; margin-right: 2px; }
.xyz-value { padding: 0 6px; max-width: 160px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.xyz-value.xyz-off { opacity: .45; text-decoration: line-through; }
.xyz-value { touch-action: none; cursor: grab; }
.xyz-value.xyz-dragging { opacity: .5; cursor: grabbing; }
.xyz-value.xyz-drop-before { box-shadow: -3px 0 0 var(--p-primary-color, #4a90e2); }
.xyz-value.xyz-drop-after { box-shadow: 3px 0 0 var(--p-primary-color, #4a90e2); }
.xyz-pin-button { position: absolute; top: 1px; right: 1px; z-index: 1; display: none; padding: 2px 4px;
  font-size: 10px; line-height: 1; border-radius: 3px; border: none; cursor: pointer; color: #fff;
  background: rgba(0,0,0,.65); }
.xyz-pin-button .pi { font-size: 10px; }
.xyz-tile:hover .xyz-pin-button { display: block; }
.xyz-tile[data-pin] { outline: 2px solid var(--p-primary-color, #4a90e2); outline-offset: -2px; }
.xyz-tile[data-pin]::after { content: attr(data-pin); position: absolute; left: 2px; top: 2px; padding: 0 4px;
  border-radius: 3px; font: 700 10px/1.4 system-ui, sans-serif; color: #fff;
  background: var(--p-primary-color, #4a90e2); }
.xyz-pin-slice.xyz-on, .xyz-compare-tools .xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-compare { flex: 1; min-height: 240px; display: flex; flex-direction: column; gap: 4px; overflow: auto; }
.xyz-compare-tools, .xyz-compare-pairs { display: flex; gap: 4px; flex-wrap: wrap; align-items: center; }
.xyz-compare-labels { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; font-size: 11px; }
.xyz-compare-label { overflow-wrap: anywhere; }
.xyz-compare-pin { font-weight: 700; }
.xyz-compare-stage { flex: 1; min-height: 180px; display: flex; }
.xyz-compare-stage img, .xyz-difference { image-rendering: pixelated; }
.xyz-compare-side { flex: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
.xyz-compare-half { margin: 0; display: flex; flex-direction: column; align-items: center; min-height: 0; }
/* the images and the canvas take the stage's height, never their own (the Vue renderer would grow the node
   to a square image's width) */
.xyz-compare-image { width: 100%; flex: 1 1 0; height: 0; min-height: 140px; object-fit: contain; }
.xyz-wipe-box, .xyz-difference-box { flex: 1; display: flex; flex-direction: column; gap: 4px; }
.xyz-wipe { position: relative; flex: 1; min-height: 160px; cursor: ew-resize; touch-action: none; }
.xyz-wipe img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; pointer-events: none; }
.xyz-wipe-divider { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; background: #fff;
  box-shadow: 0 0 3px #000; pointer-events: none; }
.xyz-difference { flex: 1 1 0; height: 0; min-height: 160px; width: 100%; object-fit: contain; }
.xyz-compare-figure { font-variant-numeric: tabular-nums; }
.xyz-mode.xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-table-box { flex: 1; min-height: 120px; display: flex; flex-direction: column; gap: 4px; overflow: hidden; }
.xyz-table-tools { display: flex; gap: 6px; align-items: center; }
.xyz-filter { flex: 1; min-width: 80px; font: inherit; padding: 2px 6px; border-radius: 4px;
  border: 1px solid var(--border-color, #555); background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-table-count { opacity: .8; white-space: nowrap; font-variant-numeric: tabular-nums; }
.xyz-table-scroll { flex: 1; overflow: auto; }
/* the Vue renderer grows a node to its content: the table scrolls inside a bounded box instead of
   making a node hundreds of rows tall (the classic canvas bounds it by the node's size) */
[data-node-id] .xyz-table-scroll { max-height: 480px; }
.xyz-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.xyz-table th { position: sticky; top: 0; z-index: 1; background: var(--comfy-menu-bg, #333); text-align: left; }
.xyz-table td, .xyz-table th { padding: 1px 6px; border-bottom: 1px solid rgba(127,127,127,.25);
  white-space: nowrap; max-width: 180px; overflow: hidden; text-overflow: ellipsis; }
.xyz-sort { font: inherit; font-weight: 600; background: none; border: none; color: inherit; cursor: pointer;
  padding: 2px 0; }
.xyz-table-row[data-status="done"] { cursor: zoom-in; }
.xyz-table-row[data-status="failed"] { color: #ff9b94; }
.xyz-table-row:hover { background: rgba(127,127,127,.15); }
.xyz-table-thumb { width: 40px; padding: 1px !important; }
.xyz-table-thumb img { width: 40px; height: 40px; object-fit: contain; display: block; }
.xyz-button { font: inherit; padding: 2px 8px; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--border-color, #555); background: var(--comfy-menu-bg, #333); color: inherit; }
.xyz-button:hover { filter: brightness(1.2); }
.xyz-button:disabled { opacity: .4; cursor: default; }
.xyz-grid-box { flex: 1; min-height: 120px; overflow: auto; }
.xyz-grid { --xyz-tile: 96px; }
.xyz-plane { position: relative; display: grid; gap: 2px;
  grid-template-columns: max-content repeat(var(--xyz-columns, 1), var(--xyz-tile)); }
/* the hidden attribute wins over every display rule of ours (a flex row would otherwise stay shown) */
.xyz-scrubber [hidden], .xyz-sidebar [hidden], .xyz-overlay [hidden] { display: none !important; }
/* a slice not shown keeps its layout: content-visibility: hidden skips it and keeps what was laid out, where
   display: none would throw it away, so a pivot or a step back to a slice of thousands of tiles shows it
   again without laying every tile out anew (its size is contained: it takes no room meanwhile); the selector
   outranks the hidden rule above */
@supports (content-visibility: hidden) {
  .xyz-scrubber .xyz-grid > .xyz-plane[hidden] { display: grid !important; content-visibility: hidden; }
}
/* labels wrap between words only and end in an ellipsis past three lines; the column
   labels and the corner stay on top, the row labels on the left, while a big grid scrolls */
.xyz-corner, .xyz-col-label, .xyz-row-label { font-size: 11px; overflow: hidden; overflow-wrap: normal;
  word-break: normal; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3;
  background: var(--comfy-input-bg, #222); color: var(--input-text, #ddd); }
.xyz-one-word { display: block; white-space: nowrap; text-overflow: ellipsis; }
.xyz-corner { align-self: stretch; font-style: italic; max-width: 72px; position: sticky; top: 0; left: 0;
  z-index: 3; display: flex; align-items: flex-end; }
/* the corner's words: three lines at most like every label (its flex box above would undo the clamp) */
.xyz-corner-text { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; }
.xyz-col-label { align-self: stretch; text-align: center; position: sticky; top: 0; z-index: 2;
  padding-top: 1px; }
.xyz-row-label { max-width: 72px; align-self: stretch; text-align: right; position: sticky; left: 0;
  z-index: 1; padding-right: 2px; -webkit-line-clamp: 4; }
.xyz-row-due { grid-column: 2 / -1; height: var(--xyz-tile); }
.xyz-tile { position: relative; width: var(--xyz-tile); height: var(--xyz-tile); border-radius: 2px;
  overflow: hidden; background: rgba(127,127,127,.15); box-sizing: border-box; cursor: default; }
.xyz-tile[data-status="queued"] { border: 1px dashed rgba(127,127,127,.5); }
.xyz-tile[data-status="done"] { cursor: zoom-in; }
.xyz-tile[data-status="failed"] { background: #5c1f1f; border: 1px solid #e5534b; color: #ffd0cc; }
.xyz-tile[data-status="cancelled"] { background: #444; color: #aaa; }
/* a search: a cell it has not run is an empty tile (quieter than a dry run's placeholder); its best cell so far
   is outlined and badged (amber: a pin is blue, a failure red) */
.xyz-tile[data-not-run] { background: rgba(127,127,127,.05); border: 1px solid rgba(127,127,127,.12); }
.xyz-tile[data-best] { outline: 3px solid #e3b341; outline-offset: -3px; }
.xyz-tile[data-best]::before { content: "best"; position: absolute; left: 3px; bottom: 3px; z-index: 1; padding: 0 3px;
  border-radius: 2px; font: 700 9px/1.2 system-ui, sans-serif; color: #222; background: #e3b341; }
.xyz-table-row[data-pin] { outline: 2px solid var(--p-primary-color, #4a90e2); outline-offset: -2px; }
.xyz-table-thumb[data-pin] { position: relative; }
.xyz-table-thumb[data-pin]::after { content: attr(data-pin); position: absolute; left: 2px; top: 2px; padding: 0 4px;
  border-radius: 3px; font: 700 10px/1.4 system-ui, sans-serif; color: #fff; background: var(--p-primary-color, #4a90e2); }
.xyz-table-row[data-best] { box-shadow: inset 3px 0 0 #e3b341; background: rgba(227,179,65,.14); }
.xyz-tile-image { width: 100%; height: 100%; object-fit: contain; display: block; }
.xyz-tile-image[hidden] { display: none; }
.xyz-tile-caption { position: absolute; inset: 2px; font-size: 10px; overflow: hidden; overflow-wrap: anywhere; }
.xyz-empty { opacity: .7; padding: 8px; }
.xyz-tooltip { position: fixed; z-index: 10001; pointer-events: none; max-width: 360px; padding: 4px 6px;
  border-radius: 4px; background: rgba(0,0,0,.88); color: #fff; font: 11px/1.35 system-ui, sans-serif;
  overflow-wrap: anywhere; }
.xyz-export-menu { position: fixed; z-index: 10001; display: flex; flex-direction: column; min-width: 200px;
  padding: 4px 0; border-radius: 6px; border: 1px solid var(--border-color, #555);
  background: var(--comfy-menu-bg, #333); color: var(--input-text, #ddd); font: 12px/1.3 system-ui, sans-serif;
  box-shadow: 0 4px 16px rgba(0,0,0,.4); }
.xyz-export-menu[hidden] { display: none; }
.xyz-export-item { padding: 5px 12px; color: inherit; text-decoration: none; white-space: nowrap; }
.xyz-export-item:hover, .xyz-export-item:focus { background: rgba(127,127,127,.25); outline: none; }
.xyz-swap.xyz-on { border-color: var(--p-primary-color, #4a90e2); }
.xyz-tooltip[hidden] { display: none; }
.xyz-overlay { position: fixed; inset: 0; z-index: 10000; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 8px; background: rgba(0,0,0,.85); outline: none; }
.xyz-overlay-image { width: min(92vw, 80vh); height: min(92vw, 80vh); object-fit: contain; }
.xyz-overlay-caption { color: #eee; font: 13px system-ui, sans-serif; text-align: center; max-width: 90vw;
  overflow-wrap: anywhere; }
.xyz-overlay-close { position: absolute; top: 12px; right: 16px; font-size: 24px; background: none;
  border: none; color: #fff; cursor: pointer; }
.xyz-sidebar { display: flex; flex-direction: column; gap: 6px; padding: 8px; height: 100%; box-sizing: border-box;
  overflow: auto; font: 12px/1.3 system-ui, sans-serif; }
.xyz-sidebar-title { font-weight: 600; font-size: 14px; }
.xyz-list { display: flex; flex-direction: column; gap: 4px; }
.xyz-row { display: flex; gap: 6px; align-items: center; padding: 4px; border-radius: 4px; cursor: pointer;
  border: 1px solid transparent; }
.xyz-row:hover { background: rgba(127,127,127,.15); }
.xyz-row.xyz-selected { border-color: var(--p-primary-color, #4a90e2); }
.xyz-row-thumb { width: 48px; height: 48px; flex: none; background: rgba(127,127,127,.2); border-radius: 3px;
  overflow: hidden; }
.xyz-row-thumb img { width: 100%; height: 100%; object-fit: cover; }
.xyz-row-text { flex: 1; min-width: 0; }
.xyz-row-name { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.xyz-row-meta { opacity: .8; }
.xyz-row-facts { opacity: .8; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.xyz-row-buttons { justify-content: flex-end; max-width: 40%; }
.xyz-row-buttons:empty { display: none; }
.xyz-row-tools { display: flex; flex-direction: column; gap: 3px; flex: none; }
.xyz-icon-button { padding: 1px 5px; line-height: 1.2; }
.xyz-icon-button .pi { font-size: 11px; }
.xyz-delete:not(:disabled):hover, .xyz-delete-picked:not(:disabled):hover { background: #8b2a24; border-color: #e5534b; }
.xyz-rename-input { width: 100%; box-sizing: border-box; font: inherit; font-weight: 600; padding: 1px 4px;
  border-radius: 3px; border: 1px solid var(--p-primary-color, #4a90e2); background: var(--comfy-input-bg, #222);
  color: inherit; }
.xyz-sidebar-head { display: flex; flex-direction: column; gap: 4px; }
.xyz-sidebar-summary { opacity: .8; font-variant-numeric: tabular-nums; }
.xyz-search { font: inherit; padding: 4px 6px; border-radius: 4px; border: 1px solid var(--border-color, #555);
  background: var(--comfy-input-bg, #222); color: inherit; }
.xyz-new-runs { align-self: stretch; text-align: center; border-color: var(--p-primary-color, #4a90e2); }
.xyz-detail-actions { display: flex; gap: 6px; flex-wrap: wrap; }
.xyz-pager { display: flex; gap: 6px; align-items: center; justify-content: space-between; }
.xyz-detail { display: flex; flex-direction: column; gap: 4px; min-height: 420px; }
.xyz-detail[hidden] { display: none; }
.xyz-large { min-height: 400px; }
${SEARCH_CSS}`;
var STYLE_ID = "xyz-studio-style";
function addStyles() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  document.head.append(style);
}

// src/refusal.ts
var BANNER_CLASS = "xyz-refusal";
var BANNER_STYLE = "margin:0 0 6px;padding:6px 8px;border:1px solid #c0392b;border-radius:4px;background:rgba(192,57,43,.18);color:inherit;font-size:12px;line-height:1.35;white-space:pre-wrap;overflow-wrap:anywhere;max-height:9em;overflow:auto";
function listenForRefusals(targets) {
  return onServerEvent(EVENT_REFUSED, (event) => {
    if (!event || typeof event.message !== "string" || event.assembler == null) return;
    if (!event.workflow || event.workflow !== workflowId()) return;
    for (const target of targets()) {
      if (String(target.node.id) === String(event.assembler)) showRefusal(target.root, event.message);
    }
  });
}
function showRefusal(root, message) {
  clearRefusal(root);
  const banner = element("div", BANNER_CLASS);
  banner.setAttribute("role", "alert");
  banner.style.cssText = BANNER_STYLE;
  banner.append(element("strong", "", "Not queued: "), element("span", "", message));
  root.prepend(banner);
}
function clearRefusal(root) {
  for (const banner of root.querySelectorAll(`:scope > .${BANNER_CLASS}`)) banner.remove();
}

// src/main.ts
var panels = /* @__PURE__ */ new Set();
var feed = null;
function theFeed() {
  if (!feed) {
    feed = new ExperimentFeed();
    feed.onNewExperiment = showInItsPanel;
  }
  return feed;
}
function showInItsPanel(event) {
  if (event.assembler === void 0 || event.assembler === null) return;
  if (!event.workflow || event.workflow !== workflowId()) return;
  for (const panel of panels) {
    if (String(panel.node.id) !== String(event.assembler)) continue;
    clearRefusal(panel.scrubber.root);
    panel.show(event.experiment);
  }
}
function attach(node) {
  if (nodeClass(node) !== NODE_ASSEMBLER) return;
  for (const panel of panels) if (panel.node === node) return;
  panels.add(new NodePanel(node, theFeed(), (gone) => panels.delete(gone)));
}
var inspect = {
  panels: () => [...panels].map((p) => ({
    node: p.node.id,
    experiment: p.scrubber.experimentId,
    swapped: p.scrubber.swapped,
    view: p.scrubber.viewState
  })),
  watched: () => feed?.watchedCount() ?? 0
};
registerExtension({
  name: "xyz_studio.editor",
  init() {
    addStyles();
    theFeed();
    globalThis["xyzStudio"] = inspect;
  },
  setup() {
    const sidebar = new ExperimentsSidebar(theFeed(), (id, assembler) => {
      const loaded = [...panels];
      const own = loaded.filter((panel) => String(panel.node.id) === assembler);
      for (const panel of own.length ? own : loaded.slice(0, 1)) panel.show(id);
    });
    listenForRefusals(() => [...panels].map((panel) => ({ node: panel.node, root: panel.scrubber.root })));
    registerSidebarTab({
      id: SIDEBAR_ID,
      title: "XYZ",
      icon: "pi pi-th-large",
      tooltip: "XYZ Plot Studio experiments",
      type: "custom",
      render: (element2) => sidebar.render(element2),
      destroy: () => sidebar.unmount()
    });
    for (const node of graphNodes()) attach(node);
  },
  nodeCreated(node) {
    attach(node);
    shapeCreatedNode(node);
  },
  loadedGraphNode(node) {
    attach(node);
    shapeNode(node);
    for (const panel of panels) if (panel.node === node) panel.restore();
  }
});
