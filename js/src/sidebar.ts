// The "XYZ" sidebar tab: this server's experiments, newest first, a page at a time, with
// live status for running ones, when each was made and its disk use, search, rename and
// delete, and a large explorer of the one picked (with "Load this workflow", which puts
// its source workflow back in the editor).
// New runs show up on the first page as they come; a later page keeps its place (the rows
// under the user's pointer do not shift) and says "N new experiments — show" instead.
import { confirmDialog, loadWorkflow, RouteError, toast } from "./host";
import { lifecycleAction } from "./actions";
import type { ExperimentFeed, Watcher } from "./feed";
import type { CellView, ExperimentView } from "./experiment_view";
import { deleteExperiment, listExperiments, renameExperiment, sourceWorkflow, type ExperimentPage, type ExperimentRow,
         type LifecycleAction } from "./routes";
import { Explorer } from "./explorer/explorer";
import { element } from "./dom";
import { formatBytes, formatWhen } from "./format";
import { experimentRow, type RowActions } from "./sidebar_row";

export const SIDEBAR_ID = "xyz-studio";
const PAGE = 20;
const REFRESH_MS = 3000;       // while a listed experiment runs
const IDLE_REFRESH_MS = 6000;  // otherwise: runs queued elsewhere (another tab, the runner) show up too
const SEARCH_DEBOUNCE_MS = 250;


export class ExperimentsSidebar implements Watcher {
  readonly root = element("div", "xyz-sidebar");
  private readonly list = element("div", "xyz-list");
  private readonly pager = element("div", "xyz-pager");
  private readonly pageText = element("span", "xyz-page-text");
  private readonly previous = element("button", "xyz-button xyz-previous", "Newer");
  private readonly next = element("button", "xyz-button xyz-next", "Older");
  private readonly detail = element("div", "xyz-detail");
  private readonly loadButton = element("button", "xyz-button xyz-load-workflow", "Load this workflow");
  private readonly deleteButton = element("button", "xyz-button xyz-delete-picked", "Delete…");
  private readonly search = element("input", "xyz-search");
  private readonly summary = element("div", "xyz-sidebar-summary");
  private readonly newRuns = element("button", "xyz-button xyz-new-runs");
  private readonly scrubber: Explorer;
  private offset = 0;
  private total = 0;
  private selected: string | null = null;
  private unwatch: (() => void) | null = null;
  private timer: number | null = null;
  private mounted = false;
  private query = "";
  private anchor: number | null = null;  // a later page lists the runs created at or before it
  private newest: number | null = null;  // the newest run the first page showed
  private rows = new Map<string, ExperimentRow>();
  private pickedRow: ExperimentRow | null = null;
  private editing = false;
  private searchTimer: number | null = null;
  private asked = 0;  // refreshes asked for: only the latest one's answer is shown
  private readonly rowActions: RowActions = {
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
    },
  };

  /** `workflowLoaded`: an experiment's source workflow was put in the editor ("Load this workflow"). */
  constructor(private readonly feed: ExperimentFeed,
              private readonly workflowLoaded: (id: string, assembler: string | null) => void) {
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
    this.search.addEventListener("keydown", (e) => e.stopPropagation());  // typing is not for the editor's shortcuts
    this.pager.append(this.previous, this.pageText, this.next);
    const detailActions = element("div", "xyz-detail-actions");
    detailActions.append(this.loadButton, this.deleteButton);
    this.detail.append(detailActions, this.scrubber.root);
    this.detail.hidden = true;
    const head = element("div", "xyz-sidebar-head");
    head.append(element("div", "xyz-sidebar-title", "XYZ experiments"), this.summary, this.search);
    this.root.append(head, this.newRuns, this.list, this.pager, this.detail);
  }

  /** Mount into the sidebar's element (called on every opening of the tab). */
  render(container: HTMLElement): void {
    if (this.root.parentElement !== container) container.replaceChildren(this.root);
    this.mounted = true;
    void this.refresh();
  }

  unmount(): void {
    this.mounted = false;
    this.stopTimer();
  }

  select(id: string): void {
    this.selected = id;
    this.unwatch?.();
    this.unwatch = this.feed.watch(id, this);
    this.detail.hidden = false;
    for (const row of this.list.children) (row as HTMLElement).classList.toggle("xyz-selected", (row as HTMLElement).dataset.id === id);
  }

  loaded(view: ExperimentView): void {
    if (view.id === this.selected) this.scrubber.show(view);
  }

  cell(cell: CellView): void {
    this.scrubber.updateCell(cell);
  }

  status(): void {
    this.scrubber.updateStatus();
    void this.refresh();
  }

  /** Its experiment was deleted (here or in another tab): the large scrubber goes. */
  deleted(id: string): void {
    if (id !== this.selected) return;
    this.unwatch?.();
    this.unwatch = null;
    this.selected = this.pickedRow = null;
    this.scrubber.show(null);
    this.detail.hidden = true;
    void this.refresh();
  }

  private page(offset: number): void {
    const target = Math.max(0, offset);
    // a later page counts from the newest run the first page showed, so new runs do not shift it
    this.anchor = target === 0 ? null : this.anchor ?? this.newest;
    this.offset = target;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    if (!this.mounted) return;
    if (this.editing) return this.schedule(REFRESH_MS);  // never rebuild the list under a name being typed
    const asked = ++this.asked;
    let page: ExperimentPage;
    try {
      page = await listExperiments(PAGE, this.offset, this.query, this.anchor);
    } catch (error) {
      if (asked !== this.asked) return;
      this.list.replaceChildren(element("div", "xyz-empty", `Could not list the experiments: ${String(error)}`));
      return this.schedule(IDLE_REFRESH_MS);
    }
    if (asked !== this.asked || !this.mounted) return;  // a newer refresh was asked for meanwhile
    if (this.editing) return this.schedule(REFRESH_MS);
    const rows = page.experiments;
    if (!rows.length && this.offset > 0 && page.total > 0) return this.page(this.offset - PAGE);  // its last rows went
    this.total = page.total;
    if (this.offset === 0) this.newest = rows[0]?.created ?? null;
    this.rows = new Map(rows.map((row) => [row.id, row]));
    const picked = this.selected ? this.rows.get(this.selected) : undefined;
    if (picked) this.pickedRow = picked;
    this.deleteButton.disabled = !this.pickedRow || this.pickedRow.status === "running";
    this.list.replaceChildren(...rows.map((row) => experimentRow(row, row.id === this.selected, this.rowActions)));
    if (!rows.length) {
      this.list.append(element("div", "xyz-empty",
                               this.query ? `No experiment matches "${this.query}".` : "No experiments on this server yet."));
    }
    const last = Math.min(this.total, this.offset + rows.length);
    this.pageText.textContent = this.total ? `${this.offset + 1}–${last} of ${this.total}` : "";
    this.previous.disabled = this.offset === 0;
    this.next.disabled = last >= this.total;
    const newer = this.offset > 0 ? page.newer : 0;
    this.newRuns.hidden = newer === 0;
    this.newRuns.textContent = `${newer} new experiment${newer === 1 ? "" : "s"} — show`;
    this.summary.textContent = (this.query ? `${this.total + newer} matching` : `${this.total + newer} experiments`)
      + ` · ${formatBytes(page.disk_bytes)} on disk`;
    this.summary.title = `All experiments' folders and the store: ${page.disk_bytes.toLocaleString()} bytes`;
    this.schedule(rows.some((r) => r.status === "running") ? REFRESH_MS : IDLE_REFRESH_MS);
  }

  /** Read the list again in `ms` (new runs show up on their own, from this tab or any other). */
  private schedule(ms: number): void {
    this.stopTimer();
    if (this.mounted) this.timer = window.setTimeout(() => void this.refresh(), ms);
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private searchSoon(): void {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => {
      this.searchTimer = null;
      const query = this.search.value.trim();
      if (query === this.query) return;
      this.query = query;
      this.page(0);
    }, SEARCH_DEBOUNCE_MS);
  }

  private async rename(row: ExperimentRow, name: string): Promise<boolean> {
    try {
      await renameExperiment(row.id, name);
      void this.feed.reload(row.id);  // the scrubbers showing it take the new name
      return true;
    } catch (error) {
      toast("error", "Could not rename", error instanceof RouteError ? error.message : String(error));
      return false;
    }
  }

  /** Delete after the user confirms, naming the experiment; the server refuses while it runs. */
  private async remove(row: ExperimentRow): Promise<void> {
    const confirmed = await confirmDialog("Delete this experiment?",
      `"${row.name}" (${formatWhen(row.created)}, ${row.id}): its record and its folder of `
      + `${formatBytes(row.disk_bytes)} (cells and grids) are removed from disk. This cannot be undone.`, "delete");
    if (!confirmed) return;
    try {
      await deleteExperiment(row.id);
      toast("success", "Deleted", `"${row.name}" (${row.id})`);
      this.feed.forget(row.id);  // its panels show their empty state (other tabs hear it from the server)
    } catch (error) {
      const refused = error instanceof RouteError && error.status === 409;
      toast(refused ? "warn" : "error", "Could not delete", error instanceof RouteError ? error.message : String(error));
    }
    await this.refresh();
  }

  private async act(id: string | null, action: LifecycleAction): Promise<void> {
    if (!id) return;
    await lifecycleAction(this.feed, id, action);
    await this.refresh();
  }

  private async loadSource(): Promise<void> {
    const id = this.selected;
    if (!id) return;
    try {
      const source = await sourceWorkflow(id);
      if (!source.workflow) {
        toast("info", "No editor workflow", "this experiment was queued as an API prompt (runner or script)");
        return;
      }
      await loadWorkflow(source.workflow);
      this.workflowLoaded(id, source.assembler);  // its Grid Assembler kept what it showed when it was queued
    } catch (error) {
      toast("error", "Could not load the workflow", String(error));
    }
  }

  destroy(): void {
    this.unwatch?.();
    this.stopTimer();
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.scrubber.destroy();
  }
}
