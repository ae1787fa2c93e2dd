// The panel's "Export" menu: what an experiment leaves, downloadable from the editor (the
// grid PNGs, every cell as a zip, the standalone HTML viewer, the sweep as a ComfyScript, a flipbook
// along the explorer's active slider).
// The menu is on the page itself (document.body), so a small panel does not clip it.
import type { ExperimentView } from "./experiment_view";
import { exportURLs, fileURL, flipbookURL, type FlipbookFormat } from "./routes";
import { activeSlider, axisOf, shownValues, type ExplorerState } from "./explorer/state";
import { element } from "./dom";

export interface ExportItem {
  label: string;
  href: string;
  /** the file name the browser saves it under */
  download: string;
}

/** What the menu offers for `view`, shown in the explorer as `state` (pure: unit-tested). */
export function exportItems(view: ExperimentView, state: ExplorerState | null = null): ExportItem[] {
  const urls = exportURLs(view.id);
  const items: ExportItem[] = view.grids.map((file) => ({
    label: `Grid${gridCaption(view, file)} (PNG)`, href: fileURL(view.id, file),
    download: `xyz-${view.id}-${file.split("/").pop() ?? "grid.png"}`,
  }));
  for (const file of view.superGrids) {
    items.push({ label: `Super-grid${gridCaption(view, file)} (PNG)`, href: fileURL(view.id, file),
                 download: `xyz-${view.id}-${file.split("/").pop() ?? "super_grid.png"}` });
  }
  if (view.done > 0) items.push({ label: "All finished cells (zip)", href: urls.cells, download: `xyz-${view.id}-cells.zip` });
  if (state) items.push(...flipbookItems(view, state));
  items.push({ label: "Standalone HTML viewer (zip)", href: urls.viewer, download: `xyz-${view.id}-viewer.zip` });
  if (!view.dryRun) items.push({ label: "Sweep as a ComfyScript (.py)", href: urls.script, download: `xyz-${view.id}.py` });
  return items;
}

const FLIPBOOK_FORMATS: [FlipbookFormat, string][] = [["webp", "WebP"], ["gif", "GIF"]];

/** A flipbook along the active slider's axis (no slider: the columns axis), every other axis held where
 * the view shows it: a slider's axis at its value, the columns and rows axes at their first shown value. */
export function flipbookItems(view: ExperimentView, state: ExplorerState): ExportItem[] {
  const along = activeSlider(view, state) ?? axisOf(view, state.columns);
  if (!along || along.labels.length < 2) return [];  // one value: nothing to flip through
  const at: Record<string, number> = {};
  // an axis of one value is left out: the route holds it at its only value, and the explorer's stand-in X
  // (an experiment without an X axis) is no axis the route knows
  for (const axis of view.axes) {
    if (axis.slot === along.slot || axis.labels.length < 2) continue;
    const onGrid = axis.slot === state.columns || axis.slot === state.rows;
    at[axis.slot] = (onGrid ? shownValues(state, axis)[0] : state.at[axis.slot]) ?? 0;
  }
  return FLIPBOOK_FORMATS.map(([format, name]) => ({
    label: `Flipbook along ${along.title} (${name})`, href: flipbookURL(view.id, along.slot, at, format),
    download: `xyz-${view.id}-${along.slot}.${format}`,
  }));
}

/** " · steps: 20 · seed: 2" for a grid of several: its labels of the axes after Y (schema 3), or, in an
 * experiment of schema 2, the Z value its file name gives. */
function gridCaption(view: ExperimentView, file: string): string {
  const titles = new Map(view.axes.map((a) => [a.slot, a.title]));
  const labels = view.gridLabels[file];
  if (labels) return Object.entries(labels).map(([slot, label]) => ` · ${titles.get(slot) ?? slot}: ${label}`).join("");
  const z = /grid_z(\d+)/.exec(file), axis = view.axes.find((a) => a.slot === "z");
  if (!z || !axis) return "";
  return ` · ${axis.title}: ${axis.labels[Number(z[1])] ?? z[1]}`;
}

export class ExportMenu {
  readonly button = element("button", "xyz-button xyz-export", "Export ▾");
  private readonly menu = element("div", "xyz-export-menu");
  private view: ExperimentView | null = null;
  private state: ExplorerState | null = null;
  private readonly outside = (event: Event) => {
    if (!this.menu.contains(event.target as Node) && event.target !== this.button) this.close();
  };
  private readonly onKey = (event: KeyboardEvent) => {
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
  update(view: ExperimentView | null, state: ExplorerState | null = null): void {
    this.view = view;
    this.state = view ? state : null;
    this.button.hidden = !view;
    if (!this.menu.hidden) this.fill();
  }

  private open(): void {
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

  private fill(): void {
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

  close(): void {
    this.menu.hidden = true;
    document.removeEventListener("pointerdown", this.outside, true);
    document.removeEventListener("keydown", this.onKey, true);
  }

  destroy(): void {
    this.close();
    this.menu.remove();
  }
}
