// XYZ Plot Studio editor extension. Built from js/src by `npm run build` in js/: do not edit.

// src/protocol.ts
var NODE_ASSEMBLER = "XYZStudio.GridAssembler";
var EVENT_EXPERIMENT = "xyz_studio.experiment";
var EVENT_CELL = "xyz_studio.cell";
var ROUTES = {
  "experiments": "/xyz_studio/experiments",
  "experiment": "/xyz_studio/experiments/{experiment_id}",
  "manifest": "/xyz_studio/experiments/{experiment_id}/manifest",
  "file": "/xyz_studio/experiments/{experiment_id}/files/{name:.+}",
  "thumbnail": "/xyz_studio/experiments/{experiment_id}/thumbnails/{name:.+}",
  "cancel": "/xyz_studio/experiments/{experiment_id}/cancel",
  "resume": "/xyz_studio/experiments/{experiment_id}/resume",
  "retry": "/xyz_studio/experiments/{experiment_id}/retry_failed",
  "workflow": "/xyz_studio/experiments/{experiment_id}/workflow"
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

// src/experiment_view.ts
function fromManifest(m) {
  const axis = (slot) => {
    const a = m.axes.find((candidate) => candidate.slot === slot);
    return a ? { title: a.title, labels: a.labels.map(String) } : null;
  };
  const { x: nx, y: ny, z: nz } = m.shape;
  const cells = [];
  for (let z = 0; z < nz; z++) {
    const plane = [];
    for (let y = 0; y < ny; y++) {
      const row = [];
      for (let x = 0; x < nx; x++) {
        row.push({
          index: -1,
          x,
          y,
          z,
          status: "queued",
          files: [],
          error: null,
          seconds: null,
          labels: {},
          metrics: {},
          worker: null
        });
      }
      plane.push(row);
    }
    cells.push(plane);
  }
  for (const c of m.cells) {
    const slot = cells[c.z]?.[c.y]?.[c.x];
    if (!slot) continue;
    Object.assign(slot, {
      index: c.index,
      status: c.status,
      files: c.files ?? [],
      error: c.error ?? null,
      seconds: c.seconds ?? null,
      labels: c.labels ?? {},
      metrics: c.metrics ?? {},
      worker: c.worker ?? null
    });
  }
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    shape: { ...m.shape },
    x: axis("x") ?? { title: "", labels: Array.from({ length: nx }, () => "") },
    y: axis("y"),
    z: axis("z"),
    cells,
    done: m.counts["done"] ?? 0,
    failed: m.counts["failed"] ?? 0,
    total: m.cells.length,
    created: m.created,
    finished: m.finished,
    grids: m.grids.map((g) => g.file),
    servers: Boolean(m.options?.servers)
  };
}
function applyCellEvent(view, event, seconds) {
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
function describeCell(view, cell) {
  const lines = [];
  const axes = [[view.x, cell.x], [view.y, cell.y], [view.z, cell.z]];
  for (const [axis, i] of axes) {
    if (axis) lines.push(`${axis.title}: ${axis.labels[i] ?? ""}`);
  }
  lines.push(cell.seconds !== null ? `time: ${formatSeconds(cell.seconds)}` : `status: ${cell.status}`);
  for (const [name, value] of Object.entries(cell.metrics)) lines.push(`${name}: ${formatMetric(value)}`);
  if (view.servers && cell.worker && cell.status !== "queued") lines.push(`server: ${cell.worker}`);
  if (cell.error) lines.push(`error: ${cell.error}`);
  return lines;
}
function formatMetric(value) {
  if (value === null || !Number.isFinite(value)) return "–";
  const rounded = Number(value.toPrecision(4));
  const tiny = rounded !== 0 && Math.abs(rounded) < 1e-4;
  return Math.abs(rounded) >= 1e4 || tiny ? rounded.toExponential(3).replace(/\.?0+e/, "e") : String(rounded);
}
function formatSeconds(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600), m = Math.floor(whole % 3600 / 60), s = whole % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
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
var listExperiments = (limit, offset) => callRoute(`${ROUTES.experiments}?limit=${limit}&offset=${offset}`);
var manifest = (id) => callRoute(fill(ROUTES.manifest, id));
var sourceWorkflow = (id) => callRoute(fill(ROUTES.workflow, id));
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
  for (const plane of view.cells) for (const row of plane) for (const cell of row) if (cell.status === "failed") failed++;
  return failed;
}
function settleCounts(view) {
  let done = 0;
  for (const plane of view.cells) for (const row of plane) for (const cell of row) if (cell.status === "done") done++;
  view.done = done;
  view.failed = Math.max(view.failed, failedTiles(view));
}
var ExperimentFeed = class {
  constructor(sources = HOST_SOURCES) {
    this.sources = sources;
    this.stops.push(
      sources.subscribe(EVENT_EXPERIMENT, (e) => this.experimentEvent(e)),
      sources.subscribe(EVENT_CELL, (e) => this.cellEvent(e)),
      sources.subscribe("execution_start", (e) => this.started(e)),
      sources.subscribe("reconnected", () => this.reloadAll())
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
  readAgain = /* @__PURE__ */ new Set();
  lastEvent = /* @__PURE__ */ new Map();
  starts = /* @__PURE__ */ new Map();
  // prompt id -> when ComfyUI started it (ms)
  stops = [];
  heartbeat;
  /** called for an experiment event of an experiment nobody watches yet (a panel may adopt it) */
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
      const heard = this.heardWhileLoading.get(id) ?? [];
      for (const event of heard) applyCellEvent(view, event, null);
      if (heard.length) settleCounts(view);
      if (this.watchers.has(id)) {
        this.views.set(id, view);
        this.lastEvent.set(id, Date.now());
        for (const w of this.watchers.get(id) ?? []) w.loaded(view);
      }
      return view;
    }).catch((error) => {
      console.debug("XYZ Plot Studio: could not read experiment", id, error);
      return null;
    }).finally(() => {
      this.loading.delete(id);
      this.heardWhileLoading.delete(id);
      if (this.readAgain.delete(id) && this.watchers.has(id)) void this.reload(id);
    });
    this.loading.set(id, load);
    return load;
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
    const view = this.views.get(event.experiment);
    if (!view) {
      if (this.watchers.has(event.experiment)) void this.reload(event.experiment);
      else this.onNewExperiment?.(event);
      return;
    }
    this.lastEvent.set(event.experiment, Date.now());
    const gridsDrawn = (event.grids?.length ?? 0) > 0;
    applyExperimentEvent(view, event);
    for (const w of this.watchers.get(event.experiment) ?? []) w.status();
    if (gridsDrawn || !isRunning(event.status)) void this.reload(event.experiment);
  }
  cellEvent(event) {
    if (!event || typeof event.experiment !== "string") return;
    this.heardWhileLoading.get(event.experiment)?.push(event);
    const view = this.views.get(event.experiment);
    if (!view) return;
    this.lastEvent.set(event.experiment, Date.now());
    const start = event.prompt_id ? this.starts.get(event.prompt_id) : void 0;
    const seconds = start === void 0 ? null : (performance.now() - start) / 1e3;
    const cell = applyCellEvent(view, event, seconds);
    if (!cell) return;
    for (const w of this.watchers.get(event.experiment) ?? []) w.cell(cell);
    if (failedTiles(view) < event.failed) void this.reload(event.experiment);
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
function stepZ(current, count, step) {
  return Math.max(0, Math.min(count - 1, current + step));
}

// src/dom.ts
function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== void 0) node.textContent = text;
  return node;
}

// src/scrubber.ts
var ZScrubber = class {
  constructor(callbacks, large = false) {
    this.callbacks = callbacks;
    this.root = element("div", `xyz-scrubber widget-expands${large ? " xyz-large" : ""}`);
    this.root.tabIndex = 0;
    this.root.dataset.captureWheel = "true";
    const head = element("div", "xyz-head");
    this.progressBar.append(this.progressDone, this.progressFailed);
    head.append(this.title, this.progressBar, this.progressText);
    this.zSlider.type = "range";
    this.zSlider.min = "0";
    this.zSlider.step = "1";
    this.zSlider.setAttribute("aria-label", "Z value");
    this.zRow.append(this.zLabel, this.zSlider);
    this.actionButtons = {
      cancel: this.button("Cancel", "cancel"),
      resume: this.button("Resume", "resume"),
      retry: this.button("Retry failed", "retry")
    };
    this.tooltip.hidden = true;
    this.gridBox.append(this.grid, this.empty);
    this.root.append(head, this.zRow, this.buttons, this.gridBox, this.tooltip);
    this.zSlider.addEventListener("input", () => this.setZ(Number(this.zSlider.value)));
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener("pointerdown", (e) => {
      if (e.button === 0) e.stopPropagation();
    });
    this.grid.addEventListener("pointerover", (e) => this.onHover(e));
    this.grid.addEventListener("pointerleave", () => this.hideTooltip());
    this.grid.addEventListener("click", (e) => this.onClick(e));
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.gridBox);
    this.render();
  }
  callbacks;
  root;
  title = element("div", "xyz-title");
  progressBar = element("div", "xyz-progress-bar");
  progressDone = element("div", "xyz-progress-done");
  progressFailed = element("div", "xyz-progress-failed");
  progressText = element("div", "xyz-progress-text");
  zRow = element("div", "xyz-z");
  zLabel = element("span", "xyz-z-label");
  zSlider = element("input", "xyz-z-slider");
  buttons = element("div", "xyz-buttons");
  gridBox = element("div", "xyz-grid-box");
  grid = element("div", "xyz-grid");
  tooltip = element("div", "xyz-tooltip");
  empty = element("div", "xyz-empty", "Queue an XYZ workflow: its grid fills in here.");
  actionButtons;
  view = null;
  z = 0;
  planes = [];
  tileSize = 96;
  overlay = null;
  resizeObserver;
  clock = null;
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
  get currentZ() {
    return this.z;
  }
  /** Show an experiment (a new one, or a fresh copy of the one shown, from the routes). */
  show(view) {
    const same = view && this.view && view.id === this.view.id;
    this.view = view;
    if (!same) this.z = 0;
    if (view) this.z = Math.min(this.z, view.shape.z - 1);
    this.buildGrid();
    this.render();
  }
  /** One cell changed (from an event): redraw its tile if it is on screen. */
  updateCell(cell) {
    const tile = this.planes[cell.z]?.tiles[cell.y]?.[cell.x];
    if (tile) this.paintTile(tile, cell);
    this.overlay?.refresh();
    this.renderStatus();
  }
  /** The experiment's status or counts changed. */
  updateStatus() {
    this.renderStatus();
  }
  setZ(z) {
    if (!this.view) return;
    const next = stepZ(z, this.view.shape.z, 0);
    if (next === this.z && String(next) === this.zSlider.value) return;
    const shown = this.planes[this.z];
    if (shown) shown.root.hidden = true;
    this.z = next;
    this.zSlider.value = String(next);
    this.renderZLabel();
    this.showPlane();
  }
  destroy() {
    this.resizeObserver.disconnect();
    this.overlay?.close();
    if (this.clock !== null) clearInterval(this.clock);
    this.root.remove();
  }
  render() {
    const view = this.view;
    this.empty.hidden = !!view;
    this.grid.hidden = !view;
    this.zRow.hidden = !view || view.shape.z < 2;
    if (view) {
      this.zSlider.max = String(view.shape.z - 1);
      this.zSlider.value = String(this.z);
      this.renderZLabel();
    }
    this.renderStatus();
    this.layout();
  }
  renderZLabel() {
    const z = this.view?.z;
    this.zLabel.textContent = z ? `${z.title}: ${z.labels[this.z] ?? ""}  (${this.z + 1}/${z.labels.length})` : "";
  }
  renderStatus() {
    const view = this.view;
    if (!view) {
      this.title.textContent = "XYZ Plot Studio";
      this.progressText.textContent = "";
      this.buttons.hidden = true;
      this.progressBar.hidden = true;
      this.stopClock();
      return;
    }
    this.title.textContent = `${view.name} · ${view.status}`;
    this.title.dataset.status = view.status;
    const total = Math.max(1, view.total);
    this.progressBar.hidden = false;
    this.progressDone.style.width = `${100 * view.done / total}%`;
    this.progressFailed.style.width = `${100 * view.failed / total}%`;
    const settled = view.done + view.failed;
    const end = view.finished ?? Date.now() / 1e3;
    const elapsed = Math.max(0, end - view.created);
    let text = `${view.done} / ${view.total} done`;
    if (view.failed) text += ` · ${view.failed} failed`;
    text += ` · ${formatSeconds(elapsed)} elapsed`;
    if (isRunning(view.status)) {
      const left = secondsLeft(settled, view.total, elapsed);
      text += left === null ? " · estimating" : ` · ~${formatSeconds(left)} left`;
      this.startClock();
    } else {
      this.stopClock();
    }
    this.progressText.textContent = text;
    this.progressText.dataset.done = String(view.done);
    this.progressText.dataset.failed = String(view.failed);
    this.progressText.dataset.total = String(view.total);
    this.actionButtons.cancel.hidden = !isRunning(view.status);
    this.actionButtons.resume.hidden = !canResume(view);
    this.actionButtons.retry.hidden = !canRetry(view);
    this.buttons.hidden = Object.values(this.actionButtons).every((b) => b.hidden);
  }
  startClock() {
    if (this.clock === null) this.clock = window.setInterval(() => this.renderStatus(), 1e3);
  }
  stopClock() {
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
  }
  buildGrid() {
    this.grid.replaceChildren();
    const view = this.view;
    this.planes = view ? new Array(view.shape.z).fill(null) : [];
    if (!view) return;
    this.grid.style.setProperty("--xyz-columns", String(view.shape.x));
    this.showPlane();
  }
  showPlane() {
    const plane = this.planes[this.z] ?? this.buildPlane(this.z);
    if (plane) plane.root.hidden = false;
  }
  buildPlane(z) {
    const view = this.view;
    const cells = view?.cells[z];
    if (!view || !cells) return null;
    const root = element("div", "xyz-plane");
    root.dataset.z = String(z);
    root.append(element("div", "xyz-corner", view.y ? `${view.y.title} \\ ${view.x.title}` : view.x.title));
    for (let x = 0; x < view.shape.x; x++) root.append(element("div", "xyz-col-label", view.x.labels[x] ?? ""));
    const tiles = [];
    for (let y = 0; y < view.shape.y; y++) {
      root.append(element("div", "xyz-row-label", view.y?.labels[y] ?? ""));
      const row = [];
      for (let x = 0; x < view.shape.x; x++) {
        const tile = element("div", "xyz-tile");
        tile.dataset.x = String(x);
        tile.dataset.y = String(y);
        const image = element("img", "xyz-tile-image");
        image.loading = "lazy";
        image.decoding = "async";
        image.alt = "";
        const caption = element("div", "xyz-tile-caption");
        tile.append(image, caption);
        root.append(tile);
        row.push({ root: tile, image, caption });
      }
      tiles.push(row);
    }
    const plane = { root, tiles };
    this.planes[z] = plane;
    this.grid.append(root);
    this.paintPlane(plane, cells);
    return plane;
  }
  paintPlane(plane, cells) {
    for (const row of cells) for (const cell of row) {
      const tile = plane.tiles[cell.y]?.[cell.x];
      if (tile) this.paintTile(tile, cell);
    }
  }
  repaintPlanes() {
    this.planes.forEach((plane, z) => {
      const cells = this.view?.cells[z];
      if (plane && cells) this.paintPlane(plane, cells);
    });
  }
  paintTile(tile, cell) {
    tile.root.dataset.status = cell.status;
    if (cell.status === "done" && cell.files.length && this.view) {
      const src = thumbnailURL(this.view.id, cell.files[0], thumbnailSize(this.tileSize, window.devicePixelRatio));
      if (tile.image.getAttribute("src") !== src) tile.image.src = src;
      tile.image.hidden = false;
      tile.caption.textContent = "";
    } else {
      tile.image.hidden = true;
      tile.image.removeAttribute("src");
      tile.caption.textContent = cell.status === "failed" ? cell.error || "failed" : cell.status === "cancelled" ? "cancelled" : "";
    }
  }
  layout() {
    const view = this.view;
    if (!view) return;
    const box = { width: this.gridBox.clientWidth, height: this.gridBox.clientHeight };
    if (box.width < 2) return;
    const shown = this.planes[this.z]?.root;
    const header = shown?.querySelector(".xyz-col-label")?.offsetHeight ?? 28;
    const labels = shown?.querySelector(".xyz-row-label")?.offsetWidth ?? 72;
    const fit = fitGrid(
      box.width - 8,
      Math.max(box.height, 120) - 4,
      view.shape.x,
      view.shape.y,
      2,
      Math.max(labels, 24),
      Math.max(header, 14)
    );
    if (fit.tile !== this.tileSize) {
      this.tileSize = fit.tile;
      this.grid.style.setProperty("--xyz-tile", `${fit.tile}px`);
      this.repaintPlanes();
    } else {
      this.grid.style.setProperty("--xyz-tile", `${fit.tile}px`);
    }
  }
  cellAt(target) {
    const tile = target?.closest?.(".xyz-tile");
    if (!tile || !this.view) return null;
    return this.view.cells[this.z]?.[Number(tile.dataset.y)]?.[Number(tile.dataset.x)] ?? null;
  }
  onHover(event) {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return this.hideTooltip();
    this.tooltip.replaceChildren(...describeCell(this.view, cell).map((line) => element("div", "", line)));
    this.tooltip.hidden = false;
    const tile = event.target.closest(".xyz-tile");
    const rootBox = this.root.getBoundingClientRect(), tileBox = tile.getBoundingClientRect();
    const zoom = this.root.offsetWidth ? rootBox.width / this.root.offsetWidth : 1;
    this.tooltip.style.left = `${Math.max(0, (tileBox.left - rootBox.left) / zoom)}px`;
    this.tooltip.style.top = `${(tileBox.bottom - rootBox.top) / zoom + 4}px`;
  }
  hideTooltip() {
    this.tooltip.hidden = true;
  }
  onClick(event) {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view || cell.status !== "done") return;
    event.stopPropagation();
    this.overlay?.close();
    this.overlay = new Overlay(this.view, cell, () => this.overlay = null);
  }
  onKey(event) {
    if (!this.view) return;
    const step = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    this.setZ(stepZ(this.z, this.view.shape.z, step));
  }
  onWheel(event) {
    if (!this.view || this.view.shape.z < 2) return;
    event.preventDefault();
    event.stopPropagation();
    this.setZ(stepZ(this.z, this.view.shape.z, event.deltaY > 0 ? 1 : -1));
  }
};
var Overlay = class {
  constructor(view, cell, closed) {
    this.view = view;
    this.cell = cell;
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
    this.caption.replaceChildren(...describeCell(this.view, this.cell).map((line) => element("div", "", line)));
  }
  finishedCells() {
    return this.view.cells[this.cell.z].flat().filter((c) => c.status === "done" && c.files.length);
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

// src/panel.ts
var EXPERIMENT_PROPERTY = "xyz_experiment";
var PANEL_MIN_HEIGHT = 360;
var NODE_DEFAULT_SIZE = [440, 520];
var NodePanel = class {
  constructor(node, feed2, gone) {
    this.node = node;
    this.feed = feed2;
    this.gone = gone;
    this.scrubber = new ZScrubber({
      action: (action) => {
        const id = this.scrubber.experimentId;
        if (id) void lifecycleAction(feed2, id, action);
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
  /** Show the experiment kept in the node's properties (after a load or a reload). */
  restore() {
    const id = this.node.properties?.[EXPERIMENT_PROPERTY];
    if (typeof id === "string" && id !== this.scrubber.experimentId) this.show(id);
  }
  show(id) {
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
  destroy() {
    this.unwatch?.();
    this.unwatch = null;
    this.scrubber.destroy();
    this.gone(this);
  }
};

// src/sidebar.ts
var SIDEBAR_ID = "xyz-studio";
var PAGE = 20;
var REFRESH_MS = 3e3;
var ExperimentsSidebar = class {
  constructor(feed2, picked) {
    this.feed = feed2;
    this.picked = picked;
    this.scrubber = new ZScrubber({ action: (action) => this.act(this.selected, action) }, true);
    this.previous.type = this.next.type = this.loadButton.type = "button";
    this.previous.addEventListener("click", () => this.page(this.offset - PAGE));
    this.next.addEventListener("click", () => this.page(this.offset + PAGE));
    this.loadButton.addEventListener("click", () => void this.loadSource());
    this.pager.append(this.previous, this.pageText, this.next);
    this.detail.append(this.loadButton, this.scrubber.root);
    this.detail.hidden = true;
    this.root.append(element("div", "xyz-sidebar-title", "XYZ experiments"), this.list, this.pager, this.detail);
  }
  feed;
  picked;
  root = element("div", "xyz-sidebar");
  list = element("div", "xyz-list");
  pager = element("div", "xyz-pager");
  pageText = element("span", "xyz-page-text");
  previous = element("button", "xyz-button xyz-previous", "Newer");
  next = element("button", "xyz-button xyz-next", "Older");
  detail = element("div", "xyz-detail");
  loadButton = element("button", "xyz-button xyz-load-workflow", "Load this workflow");
  scrubber;
  offset = 0;
  total = 0;
  selected = null;
  unwatch = null;
  timer = null;
  mounted = false;
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
    this.picked(id);
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
  page(offset) {
    this.offset = Math.max(0, offset);
    void this.refresh();
  }
  async refresh() {
    if (!this.mounted) return;
    let rows;
    try {
      const page = await listExperiments(PAGE, this.offset);
      rows = page.experiments;
      this.total = page.total;
    } catch (error) {
      this.list.replaceChildren(element("div", "xyz-empty", `Could not list the experiments: ${String(error)}`));
      return;
    }
    this.list.replaceChildren(...rows.map((row) => this.row(row)));
    if (!rows.length) this.list.append(element("div", "xyz-empty", "No experiments on this server yet."));
    const last = Math.min(this.total, this.offset + rows.length);
    this.pageText.textContent = this.total ? `${this.offset + 1}–${last} of ${this.total}` : "";
    this.previous.disabled = this.offset === 0;
    this.next.disabled = last >= this.total;
    this.stopTimer();
    if (this.mounted && rows.some((r) => r.status === "running")) {
      this.timer = window.setTimeout(() => void this.refresh(), REFRESH_MS);
    }
  }
  stopTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  row(row) {
    const item = element("div", "xyz-row");
    item.dataset.id = row.id;
    item.dataset.status = row.status;
    item.classList.toggle("xyz-selected", row.id === this.selected);
    const thumb = element("div", "xyz-row-thumb");
    if (row.cover) {
      const img = element("img", "");
      img.loading = "lazy";
      img.alt = "";
      img.src = thumbnailURL(row.id, row.cover, 128);
      thumb.append(img);
    }
    const text = element("div", "xyz-row-text");
    const done = row.counts["done"] ?? 0, failed = row.counts["failed"] ?? 0;
    const shape = row.shape ? [row.shape.x, row.shape.y, row.shape.z].join(" × ") : "?";
    text.append(
      element("div", "xyz-row-name", row.name),
      element("div", "xyz-row-meta", `${shape} · ${row.status} · ${done}/${row.total} done${failed ? ` · ${failed} failed` : ""}`)
    );
    const buttons = element("div", "xyz-row-buttons");
    const add = (label, action, shown) => {
      if (!shown) return;
      const b = element("button", `xyz-button xyz-${action}`, label);
      b.type = "button";
      b.addEventListener("click", (e) => {
        e.stopPropagation();
        void this.act(row.id, action);
      });
      buttons.append(b);
    };
    add("Cancel", "cancel", row.status === "running");
    add("Resume", "resume", row.status === "interrupted" || row.status === "cancelled");
    add("Retry failed", "retry", failed > 0 && row.status !== "running");
    item.append(thumb, text, buttons);
    item.addEventListener("click", () => this.select(row.id));
    return item;
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
      this.picked(id);
    } catch (error) {
      toast("error", "Could not load the workflow", String(error));
    }
  }
  destroy() {
    this.unwatch?.();
    this.stopTimer();
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
.xyz-z-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 60%; }
.xyz-z-slider { flex: 1; min-width: 60px; }
.xyz-buttons, .xyz-row-buttons { display: flex; gap: 4px; flex-wrap: wrap; }
.xyz-button { font: inherit; padding: 2px 8px; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--border-color, #555); background: var(--comfy-menu-bg, #333); color: inherit; }
.xyz-button:hover { filter: brightness(1.2); }
.xyz-button:disabled { opacity: .4; cursor: default; }
.xyz-grid-box { flex: 1; min-height: 120px; overflow: auto; }
.xyz-grid { --xyz-tile: 96px; }
.xyz-plane { display: grid; gap: 2px;
  grid-template-columns: max-content repeat(var(--xyz-columns, 1), var(--xyz-tile)); }
/* the hidden attribute wins over every display rule of ours (a flex row would otherwise stay shown) */
.xyz-scrubber [hidden], .xyz-sidebar [hidden], .xyz-overlay [hidden] { display: none !important; }
.xyz-corner, .xyz-col-label, .xyz-row-label { font-size: 11px; opacity: .9; overflow: hidden;
  overflow-wrap: anywhere; }
.xyz-corner { align-self: end; font-style: italic; max-width: 72px; }
.xyz-col-label { align-self: end; text-align: center; max-height: 3.9em; }
.xyz-row-label { max-width: 72px; align-self: center; text-align: right; max-height: var(--xyz-tile); }
.xyz-tile { position: relative; width: var(--xyz-tile); height: var(--xyz-tile); border-radius: 2px;
  overflow: hidden; background: rgba(127,127,127,.15); box-sizing: border-box; cursor: default; }
.xyz-tile[data-status="queued"] { border: 1px dashed rgba(127,127,127,.5); }
.xyz-tile[data-status="done"] { cursor: zoom-in; }
.xyz-tile[data-status="failed"] { background: #5c1f1f; border: 1px solid #e5534b; color: #ffd0cc; }
.xyz-tile[data-status="cancelled"] { background: #444; color: #aaa; }
.xyz-tile-image { width: 100%; height: 100%; object-fit: contain; display: block; }
.xyz-tile-image[hidden] { display: none; }
.xyz-tile-caption { position: absolute; inset: 2px; font-size: 10px; overflow: hidden; overflow-wrap: anywhere; }
.xyz-empty { opacity: .7; padding: 8px; }
.xyz-tooltip { position: absolute; z-index: 5; pointer-events: none; max-width: 280px; padding: 4px 6px;
  border-radius: 4px; background: rgba(0,0,0,.85); color: #fff; font-size: 11px; overflow-wrap: anywhere; }
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
.xyz-pager { display: flex; gap: 6px; align-items: center; justify-content: space-between; }
.xyz-detail { display: flex; flex-direction: column; gap: 4px; min-height: 420px; }
.xyz-detail[hidden] { display: none; }
.xyz-large { min-height: 400px; }
`;
var STYLE_ID = "xyz-studio-style";
function addStyles() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  document.head.append(style);
}

// src/main.ts
var panels = /* @__PURE__ */ new Set();
var feed = null;
function theFeed() {
  if (!feed) {
    feed = new ExperimentFeed();
    feed.onNewExperiment = adopt;
  }
  return feed;
}
function adopt(event) {
  if (event.assembler === void 0 || event.assembler === null) return;
  for (const panel of panels) {
    if (String(panel.node.id) === String(event.assembler)) panel.show(event.experiment);
  }
}
function attach(node) {
  if (node.type !== NODE_ASSEMBLER) return;
  for (const panel of panels) if (panel.node === node) return;
  panels.add(new NodePanel(node, theFeed(), (gone) => panels.delete(gone)));
}
var inspect = {
  panels: () => [...panels].map((p) => ({ node: p.node.id, experiment: p.scrubber.experimentId, z: p.scrubber.currentZ })),
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
    const sidebar = new ExperimentsSidebar(theFeed(), (id) => {
      for (const panel of panels) panel.show(id);
    });
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
  },
  loadedGraphNode(node) {
    attach(node);
    for (const panel of panels) if (panel.node === node) panel.restore();
  }
});
