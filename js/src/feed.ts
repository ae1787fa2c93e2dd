// One hub per page for the experiments on screen: it loads each from the routes,
// applies the pack's websocket events to it and tells whoever watches. The server is
// the source of truth: events only speed things up. After a lost socket, a reload or
// a quiet spell while running, the experiments are read again from the routes.
import { EVENT_CELL, EVENT_DELETED, EVENT_EXPERIMENT, type CellEvent, type ExperimentEvent } from "./protocol";
import { onServerEvent, RouteError } from "./host";
import { applyCellEvent, applyExperimentEvent, fromManifest, isRunning,
         type CellView, type ExperimentView } from "./experiment_view";
import { manifest, type Manifest } from "./routes";

export interface Watcher {
  /** the whole experiment was (re)loaded */
  loaded(view: ExperimentView): void;
  /** one cell changed */
  cell(cell: CellView): void;
  /** status or counts changed */
  status(): void;
  /** it was deleted (here, in another tab, or a read found it gone): show the empty state */
  deleted?(id: string): void;
}

/** Where the feed reads experiments and hears events: the routes and the host's socket,
 * or, in the unit tests, something the test drives. */
export interface FeedSources {
  load(id: string): Promise<Manifest>;
  subscribe<T>(name: string, listener: (detail: T) => void): () => void;
}

const HOST_SOURCES: FeedSources = { load: manifest, subscribe: onServerEvent };

const QUIET_SECONDS = 5;  // a running experiment with no event for this long is read again
const STARTS_KEPT = 500;

function failedTiles(view: ExperimentView): number {
  let failed = 0;
  for (const cell of view.cells) if (cell.status === "failed") failed++;
  return failed;
}


export class ExperimentFeed {
  private readonly views = new Map<string, ExperimentView>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly loading = new Map<string, Promise<ExperimentView | null>>();
  // While a read is in flight its answer may already be older than the events that
  // arrive meanwhile: those cell events are applied again to what it returns, and a read
  // asked for meanwhile (say, at completion) runs once more after it.
  private readonly heardWhileLoading = new Map<string, CellEvent[]>();
  // likewise the last experiment event (a cancel told by another tab must not be undone by
  // an answer read just before it)
  private readonly stateWhileLoading = new Map<string, ExperimentEvent>();
  private readonly readAgain = new Set<string>();
  private readonly lastEvent = new Map<string, number>();
  private readonly starts = new Map<string, number>();  // prompt id -> when ComfyUI started it (ms)
  // failed tiles of each view read, kept up to date by its cell events: a scan of every cell
  // per event would cost a 10,000-cell run 10^8 steps (a new read is a new view: counted again)
  private readonly failedShown = new WeakMap<ExperimentView, number>();
  private readonly stops: (() => void)[] = [];
  private readonly heartbeat: ReturnType<typeof setInterval>;
  /** called for an experiment event of an experiment nobody watches yet (the panel of its Grid Assembler may show it) */
  onNewExperiment: ((event: ExperimentEvent) => void) | null = null;

  constructor(private readonly sources: FeedSources = HOST_SOURCES) {
    this.stops.push(
      sources.subscribe<ExperimentEvent>(EVENT_EXPERIMENT, (e) => this.experimentEvent(e)),
      sources.subscribe<CellEvent>(EVENT_CELL, (e) => this.cellEvent(e)),
      sources.subscribe<{ prompt_id?: string }>("execution_start", (e) => this.started(e)),
      sources.subscribe<unknown>("reconnected", () => this.reloadAll()),
      sources.subscribe<{ experiment?: unknown }>(EVENT_DELETED, (e) => {
        if (e && typeof e.experiment === "string") this.forget(e.experiment);
      }),
    );
    this.heartbeat = setInterval(() => this.catchUp(), 1000);
  }

  /** How many watchers are registered, all experiments together (tests check nothing leaks). */
  watchedCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Watch an experiment: `watcher.loaded` is called once it is read, then on every change. */
  watch(id: string, watcher: Watcher): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(watcher);
    const view = this.views.get(id);
    if (view) watcher.loaded(view);
    else void this.reload(id);
    return () => {
      set!.delete(watcher);
      if (!set!.size) {
        this.watchers.delete(id);
        this.views.delete(id);
        this.lastEvent.delete(id);
      }
    };
  }

  /** Read an experiment again from the routes and hand it to its watchers. */
  reload(id: string): Promise<ExperimentView | null> {
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
      // The counts shown are always the server's (never counted here): those of the answer or
      // of the last event heard meanwhile, whichever is newer. While a run goes, settled cells
      // only grow, so the newer is the one with more of them.
      if (read.done + read.failed > view.done + view.failed) Object.assign(view, read);
      if (this.watchers.has(id)) {
        this.views.set(id, view);
        this.lastEvent.set(id, Date.now());
        for (const w of this.watchers.get(id) ?? []) w.loaded(view);
      }
      return view;
    }).catch((error: unknown) => {
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
  forget(id: string): void {
    this.views.delete(id);
    this.lastEvent.delete(id);
    for (const w of [...(this.watchers.get(id) ?? [])]) w.deleted?.(id);
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    clearInterval(this.heartbeat);
    this.watchers.clear();
    this.views.clear();
  }

  private reloadAll(): void {
    for (const id of this.watchers.keys()) void this.reload(id);
  }

  private catchUp(): void {
    const now = Date.now();
    for (const [id, view] of this.views) {
      if (isRunning(view.status) && now - (this.lastEvent.get(id) ?? 0) > QUIET_SECONDS * 1000) {
        this.lastEvent.set(id, now);
        void this.reload(id);
      }
    }
  }

  private started(detail: { prompt_id?: string }): void {
    if (!detail || typeof detail.prompt_id !== "string") return;
    this.starts.set(detail.prompt_id, performance.now());
    if (this.starts.size > STARTS_KEPT) this.starts.delete(this.starts.keys().next().value!);
  }

  private experimentEvent(event: ExperimentEvent): void {
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
    const resumed = !isRunning(view.status) && isRunning(event.status);  // resumed or retried, maybe in another tab
    applyExperimentEvent(view, event);
    for (const w of this.watchers.get(event.experiment) ?? []) w.status();
    // settled cells and times (finished, cancelled), or cells queued again (resumed)
    if (gridsDrawn || !isRunning(event.status) || resumed) void this.reload(event.experiment);
  }

  private cellEvent(event: CellEvent): void {
    if (!event || typeof event.experiment !== "string") return;
    this.heardWhileLoading.get(event.experiment)?.push(event);
    const view = this.views.get(event.experiment);
    if (!view) return;
    this.lastEvent.set(event.experiment, Date.now());
    const start = event.prompt_id ? this.starts.get(event.prompt_id) : undefined;
    const seconds = start === undefined ? null : (performance.now() - start) / 1000;
    const before = view.cells[event.index]?.status;
    const shown = this.failedShown.get(view) ?? failedTiles(view);  // counted once per view read, then kept
    const cell = applyCellEvent(view, event, seconds);
    if (!cell) return;
    const failed = shown + (cell.status === "failed" ? 1 : 0) - (before === "failed" ? 1 : 0);
    this.failedShown.set(view, failed);
    for (const w of this.watchers.get(event.experiment) ?? []) w.cell(cell);
    // cells that fail in ComfyUI never reach the Grid Assembler: the counts say so, the routes say which
    if (failed < event.failed) void this.reload(event.experiment);
  }
}
