// The standalone viewer of an exported experiment: opens from file:// with no server and no
// network. The editor's explorer, over the data the export embeds: any axis across and any down,
// a slider per other axis (and Play along it), values toggled off and on and reordered, a sortable and
// filterable table, two cells or slices pinned and compared (the explorer's own compare view, over the
// export's files), and the whole view in the URL hash. Every label, value and error reaches the page as
// text (textContent).
import type { CellView } from "../experiment_view";
import { slice, type Slice } from "../explorer/model";
import { PIN_NAMES, cellAt, cellPin, togglePin } from "../explorer/compare";
import { ComparePanel } from "../explorer/compare_view";
import { SliderPlayer, nextFrame } from "../explorer/player";
import { activeSlider, sliderAxes, stepSlider, type ExplorerState } from "../explorer/state";
import { ViewerControls } from "./controls";
import { element as el } from "../dom";
import { TileGrid, type Tile } from "./grid";
import { ViewerTable } from "./table";
import { fromHash, toHash } from "./url";
import { SEARCH_CSS, SearchChart } from "../search_chart";
import { notRun } from "../search_model";
import { describe, experiment, settle, type Experiment, type ViewState, type ViewerData } from "./view_model";

const URL_DELAY = 200;  // ms

type Opened = { list: "grid"; row: number; col: number } | { list: "table"; at: number; rows: CellView[] };

class Viewer {
  private state: ViewState;
  private readonly ex: Experiment;
  private readonly controls: ViewerControls;
  private readonly grid: TileGrid;
  private readonly table: ViewerTable;
  private readonly compare: ComparePanel;
  private readonly player: SliderPlayer;
  private readonly chart: SearchChart;
  private readonly tip = el("div", "xyz-v-tip");
  private readonly overlay = el("div", "xyz-v-overlay");
  private shown: Slice | null = null;
  private open: Opened | null = null;
  private urlDue = 0;

  constructor(data: ViewerData, root: HTMLElement) {
    this.ex = experiment(data);
    this.state = fromHash(this.ex, location.hash);
    const apply = (next: ExplorerState) => this.set(next);
    this.controls = new ViewerControls(this.ex, apply);
    this.grid = new TileGrid(this.ex, { tip: (cell, e) => this.showTip(cell, e), open: (t, e) => this.openTile(t, e) });
    // the export's files are next to index.html: a cell's file is its relative path
    this.compare = new ComparePanel(apply, (_view, file) => file);
    this.player = new SliderPlayer(() => this.playFrame());
    this.controls.bar.append(this.player.button, this.compare.pinSliceButton, this.compare.compareButton);
    this.table = new ViewerTable(this.ex, apply,
                                 (cell, rows) => this.show({ list: "table", at: rows.indexOf(cell), rows }));
    // a search's chart: a click on a dot opens that cell, the arrows then step through the cells in the order run
    this.chart = new SearchChart((cell, run) => this.show({ list: "table", at: run.indexOf(cell), rows: run }), 110);
    this.chart.root.classList.add("xyz-v-objective");
    const style = el("style");
    style.textContent = SEARCH_CSS + VIEWER_SEARCH_CSS;
    document.head.append(style);
    const header = el("header", "xyz-v-header");
    header.append(el("h1", "", data.name), this.controls.bar);
    root.append(header, this.chart.root, this.controls.values, this.controls.sliders, this.grid.root, this.table.root,
                this.compare.root, this.tip, this.overlay);
    this.overlay.hidden = true;
    this.tip.hidden = true;
    window.addEventListener("hashchange", () => this.set(fromHash(this.ex, location.hash), false));
    window.addEventListener("keydown", (e) => this.key(e));
    this.overlay.addEventListener("click", (e) => { if (e.target === this.overlay) this.close(); });
    this.render();
    this.chart.render(this.ex.view);
  }

  /** A new view from a control, a key, the wheel or the URL; the explorer's functions return only its own
   * fields, so they are merged over the viewer's (tile size, heat map). */
  private set(next: ExplorerState, toUrl = true): void {
    const settled = settle(this.ex, { ...this.state, ...next } as ViewState);
    if (JSON.stringify(settled) === JSON.stringify(this.state)) return;
    this.state = settled;
    if (toUrl) this.writeUrl();
    this.render();
  }

  /** The view into the URL a moment later, in a task of its own: a history change costs from 1 to 20 ms on a
   * busy machine (too much inside a slider step's handler), and Chromium ignores a page's history changes
   * beyond a few hundred in ten seconds, which a key held down would make. At most one write per URL_DELAY,
   * of the latest view. */
  private writeUrl(): void {
    if (this.urlDue) return;
    this.urlDue = window.setTimeout(() => {
      this.urlDue = 0;
      history.replaceState(null, "", toHash(this.state));
    }, URL_DELAY);
  }

  private render(): void {
    const { mode } = this.state, view = this.ex.view;
    this.controls.render(this.state);
    this.grid.root.hidden = mode !== "grid";
    this.table.root.hidden = mode !== "table";
    this.player.render(mode === "grid" && sliderAxes(view, this.state).length > 0);
    this.compare.render(view, this.state);
    if (mode === "table") {
      this.table.render(this.state);
    } else if (mode === "grid") {
      this.shown = slice(view, this.state);
      const pins = new Map<number, string>();
      this.state.pins.forEach((pin, k) => {
        if (pin.columns === null) pins.set(cellAt(view, pin.at).index, PIN_NAMES[k]!);  // a slice pin marks no tile
      });
      this.grid.render(this.shown, this.state.zoom, this.state.heat, pins);
    }
  }

  /** One frame of Play: false when there is nothing to play (the player stops). */
  private playFrame(): boolean {
    const next = nextFrame(this.ex.view, this.state);
    if (!next) return false;
    this.set(next);
    return true;
  }

  private showTip(cell: CellView | null, e: MouseEvent): void {
    if (!cell) {
      this.tip.hidden = true;
      return;
    }
    if (this.tip.dataset.cell !== String(cell.index) || this.tip.hidden) {
      this.tip.replaceChildren(...describe(this.ex, cell).map((line) => el("div", "", line)));
      this.tip.dataset.cell = String(cell.index);
    }
    this.tip.hidden = false;
    this.tip.style.left = `${e.clientX + 14}px`;
    this.tip.style.top = `${e.clientY + 14}px`;
  }

  /** A click opens the cell at full size; shift+click or the tile's pin button pins it (again: unpins). */
  private openTile(tile: Tile, e: MouseEvent): void {
    if (notRun(this.ex.view, tile.cell)) return;  // an empty tile: nothing to open or pin
    if (e.shiftKey || (e.target as HTMLElement).closest?.(".xyz-v-pin")) {
      this.set(togglePin(this.state, cellPin(this.ex.view, tile.cell)));
      return;
    }
    this.show({ list: "grid", row: tile.row, col: tile.col });
  }

  private cellOf(opened: Opened): CellView | undefined {
    return opened.list === "grid" ? this.shown?.cells[opened.row]?.[opened.col] : opened.rows[opened.at];
  }

  private show(opened: Opened): void {
    const cell = this.cellOf(opened);
    const file = cell ? this.ex.files[cell.index] : undefined;
    if (!cell || !file) return;
    this.open = opened;
    const frame = el("figure", "xyz-v-full");
    if (file.full) {
      const img = el("img");
      img.src = file.full;
      img.alt = describe(this.ex, cell).join(", ");
      const link = el("a", "xyz-v-full-link", "open the full-size file");
      link.href = file.full;
      link.target = "_blank";
      frame.append(img, link);
    } else {
      frame.append(el("div", "xyz-v-text", file.error ? `failed: ${file.error}` : file.status));
    }
    const caption = el("figcaption");
    caption.append(...describe(this.ex, cell).map((line) => el("div", "", line)));
    frame.append(caption);
    this.overlay.replaceChildren(frame);
    this.overlay.dataset.index = String(file.index);
    this.overlay.hidden = false;
  }

  private close(): void {
    this.open = null;
    this.overlay.hidden = true;
  }

  private key(e: KeyboardEvent): void {
    if (this.open) {
      this.overlayKey(e);
      return;
    }
    // the arrow keys step the active slider (Up and Down pick another when there are several);
    // not while typing, picking, or on a slider (which steps itself)
    const target = e.target as HTMLElement;
    if (this.state.mode !== "grid" || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    if (!["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"].includes(e.key)) return;
    const view = this.ex.view;
    const sliders = sliderAxes(view, this.state).filter((a) => a.labels.length > 1);
    const active = activeSlider(view, this.state);
    if (!active || !sliders.length) return;
    e.preventDefault();
    if ((e.key === "ArrowUp" || e.key === "ArrowDown") && sliders.length > 1) {
      const at = sliders.findIndex((a) => a.slot === active.slot);
      const next = sliders[Math.max(0, Math.min(sliders.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))]!;
      this.set({ ...this.state, active: next.slot });
    } else {
      this.set(stepSlider(view, this.state, active.slot, e.key === "ArrowRight" || e.key === "ArrowUp" ? 1 : -1));
    }
  }

  private overlayKey(e: KeyboardEvent): void {
    const open = this.open!;
    const steps: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0],
                                                       ArrowDown: [1, 0] };
    if (e.key === "Escape") {
      this.close();
    } else if (steps[e.key] && open.list === "grid") {
      const [dr, dc] = steps[e.key]!;
      const rows = this.shown?.rows.length ?? 1, cols = this.shown?.columns.length ?? 1;
      this.show({ list: "grid", row: (open.row + dr + rows) % rows, col: (open.col + dc + cols) % cols });
    } else if (steps[e.key] && open.list === "table") {
      const [dr, dc] = steps[e.key]!, n = open.rows.length;
      this.show({ ...open, at: (open.at + dr + dc + n) % n });
    } else {
      return;
    }
    e.preventDefault();
  }
}

/** A search's empty tiles and best cell in the viewer (its own stylesheet, viewer.css, is the export's asset). */
const VIEWER_SEARCH_CSS = `
.xyz-v-objective { padding: 6px 16px; border-bottom: 1px solid var(--line); }
.xyz-v-objective .xyz-objective-svg { max-width: 720px; }
.xyz-v-tile.xyz-v-empty { background: transparent; border: 1px solid var(--line); cursor: default; }
.xyz-v-tile[data-best] { outline: 3px solid #e3b341; outline-offset: -3px; }
.xyz-v-tile[data-best]::before { content: "best"; position: absolute; left: 4px; bottom: 4px; padding: 0 4px;
  border-radius: 3px; font: 700 11px/1.4 system-ui, sans-serif; color: #222; background: #e3b341; }
.xyz-v-table-row[data-best] { box-shadow: inset 3px 0 0 #e3b341; background: rgba(227, 179, 65, 0.14); }
`;

const source = document.getElementById("xyz-data");
const root = document.getElementById("xyz-viewer");
if (source && root) {
  const data = JSON.parse(source.textContent ?? "{}") as ViewerData;
  (window as unknown as { xyzViewer: Viewer }).xyzViewer = new Viewer(data, root);
}
