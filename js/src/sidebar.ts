// The "XYZ" sidebar tab: this server's experiments, newest first, a page at a time, with
// live status for running ones, their actions, and a large Z-scrubber of the one picked
// (with "Load this workflow", which puts its source workflow back in the editor).
import { loadWorkflow, toast } from "./host";
import { lifecycleAction } from "./actions";
import type { ExperimentFeed, Watcher } from "./feed";
import type { CellView, ExperimentView } from "./experiment_view";
import { listExperiments, sourceWorkflow, thumbnailURL, type ExperimentRow, type LifecycleAction } from "./routes";
import { ZScrubber } from "./scrubber";
import { element } from "./dom";

export const SIDEBAR_ID = "xyz-studio";
const PAGE = 20;
const REFRESH_MS = 3000;  // while a listed experiment runs


export class ExperimentsSidebar implements Watcher {
  readonly root = element("div", "xyz-sidebar");
  private readonly list = element("div", "xyz-list");
  private readonly pager = element("div", "xyz-pager");
  private readonly pageText = element("span", "xyz-page-text");
  private readonly previous = element("button", "xyz-button xyz-previous", "Newer");
  private readonly next = element("button", "xyz-button xyz-next", "Older");
  private readonly detail = element("div", "xyz-detail");
  private readonly loadButton = element("button", "xyz-button xyz-load-workflow", "Load this workflow");
  private readonly scrubber: ZScrubber;
  private offset = 0;
  private total = 0;
  private selected: string | null = null;
  private unwatch: (() => void) | null = null;
  private timer: number | null = null;
  private mounted = false;

  constructor(private readonly feed: ExperimentFeed, private readonly picked: (id: string) => void) {
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
    this.picked(id);
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

  private page(offset: number): void {
    this.offset = Math.max(0, offset);
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    if (!this.mounted) return;
    let rows: ExperimentRow[];
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

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private row(row: ExperimentRow): HTMLElement {
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
    text.append(element("div", "xyz-row-name", row.name),
                element("div", "xyz-row-meta", `${shape} · ${row.status} · ${done}/${row.total} done${failed ? ` · ${failed} failed` : ""}`));
    const buttons = element("div", "xyz-row-buttons");
    const add = (label: string, action: LifecycleAction, shown: boolean) => {
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
      this.picked(id);  // its Grid Assemblers kept the experiment they showed when it was queued
    } catch (error) {
      toast("error", "Could not load the workflow", String(error));
    }
  }

  destroy(): void {
    this.unwatch?.();
    this.stopTimer();
    this.scrubber.destroy();
  }
}
