// The explorer: one experiment of any number of axes, with progress and the lifecycle buttons.
// Any axis across the columns and any other down the rows, a slider per other axis (arrow keys and
// the wheel step it), values toggled off and on, or a table of every cell. The node panel and the
// sidebar both show it; its view state is one record (state.ts) the panel keeps with its node.
// Every label, value and error is set as text.
import { canResume, canRetry, describeCell, isRunning, type CellView, type ExperimentView } from "../experiment_view";
import { fitGrid, thumbnailSize } from "../layout";
import { thumbnailURL, type LifecycleAction } from "../routes";
import { element } from "../dom";
import { ExportMenu } from "../export_menu";
import { HoverText } from "../hover";
import { Overlay } from "../overlay";
import { ExplorerControls } from "./controls";
import { ExplorerHead } from "./head";
import { slice, sliceKey, type Slice } from "./model";
import { activeSlider, initialState, settle, sliderAxes, stepSlider, swappedXY, type ExplorerState } from "./state";
import { ExplorerTable } from "./table";

export interface ExplorerCallbacks {
  /** a lifecycle button was pressed */
  action: (action: LifecycleAction) => void;
  /** the view state changed (the panel keeps it with its node) */
  viewChanged?: (state: ExplorerState) => void;
}

interface Tile {
  root: HTMLDivElement;
  image: HTMLImageElement;
  caption: HTMLDivElement;
}

/** One slice's labels and tiles. Slices are built on first view and then only hidden and shown, so a
 * slider step back to a slice seen touches one attribute and reloads no image. */
interface Plane {
  root: HTMLDivElement;
  slice: Slice;
  tiles: Map<number, Tile>;  // by cell index
}

const PLANES_KEPT = 32;

export class Explorer {
  readonly root: HTMLDivElement;
  private readonly head = new ExplorerHead();
  private readonly buttons = element("div", "xyz-buttons");
  private readonly gridBox = element("div", "xyz-grid-box");
  private readonly grid = element("div", "xyz-grid");
  private readonly hover = new HoverText();
  private readonly exportMenu = new ExportMenu();
  private readonly controls = new ExplorerControls((next) => this.apply(next));
  private readonly table = new ExplorerTable((next) => this.apply(next), (cell) => this.openCell(cell,
    () => this.table.shownCells));
  private readonly empty = element("div", "xyz-empty", "Queue an XYZ workflow: its grid fills in here.");
  private readonly actionButtons: Record<LifecycleAction, HTMLButtonElement>;
  private view: ExperimentView | null = null;
  private state: ExplorerState = initialState();
  private planes = new Map<string, Plane>();
  private shown: Plane | null = null;
  private tileSize = 96;
  private overlay: Overlay | null = null;
  private readonly resizeObserver: ResizeObserver;
  private tableDue: number | null = null;

  constructor(private readonly callbacks: ExplorerCallbacks, large = false) {
    this.root = element("div", `xyz-scrubber xyz-explorer widget-expands${large ? " xyz-large" : ""}`);
    this.root.tabIndex = 0;
    this.root.dataset.captureWheel = "true";  // the Vue renderer sends the wheel to the canvas otherwise
    this.buttons.append(this.controls.modeButton, this.controls.pickers, this.controls.swapButton,
                        this.controls.valuesButton, this.exportMenu.button);
    this.actionButtons = {
      cancel: this.button("Cancel", "cancel"),
      resume: this.button("Resume", "resume"),
      retry: this.button("Retry failed", "retry"),
    };
    this.gridBox.append(this.grid, this.empty);
    this.root.append(this.head.root, this.buttons, this.controls.values, this.controls.sliders, this.gridBox, this.table.root);
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener("pointerdown", (e) => {
      if (e.button === 0) e.stopPropagation();  // frontend 1.32's Vue nodes would drag the node
    });
    this.grid.addEventListener("pointerover", (e) => this.onHover(e));
    this.grid.addEventListener("pointerleave", () => this.hover.hide());
    this.grid.addEventListener("click", (e) => this.onClick(e));
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.gridBox);
    this.render();
  }

  private button(text: string, action: LifecycleAction): HTMLButtonElement {
    const b = element("button", `xyz-button xyz-${action}`, text);
    b.type = "button";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      this.callbacks.action(action);
    });
    this.buttons.append(b);
    return b;
  }

  get experimentId(): string | null {
    return this.view?.id ?? null;
  }

  get viewState(): ExplorerState {
    return this.state;
  }

  /** Whether X runs down the rows and Y across (the former "Swap X/Y"). */
  get swapped(): boolean {
    return swappedXY(this.state);
  }

  /** Take a view state (read back from a node): it applies to the experiment shown, or the next. */
  setState(state: ExplorerState): void {
    this.state = this.view ? settle(this.view, state) : state;
    this.resetPlanes();
    this.render();
  }

  /** Show an experiment (a new one, or a fresh copy of the one shown, from the routes). */
  show(view: ExperimentView | null): void {
    this.view = view;
    this.resetPlanes();
    if (view) this.state = settle(view, this.state);
    this.render();
  }

  /** One cell changed (from an event): redraw its tile wherever a slice kept shows it. */
  updateCell(cell: CellView): void {
    for (const plane of this.planes.values()) {
      const tile = plane.tiles.get(cell.index);
      if (tile) this.paintTile(tile, cell);
    }
    if (this.state.mode === "table") this.renderTableSoon();
    this.overlay?.refresh();
    this.renderStatus();
  }

  /** The experiment's status or counts changed. */
  updateStatus(): void {
    this.renderStatus();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.overlay?.close();
    this.hover.destroy();
    this.exportMenu.destroy();
    this.head.destroy();
    if (this.tableDue !== null) cancelAnimationFrame(this.tableDue);
    this.root.remove();
  }

  /** A new view state from a control, a key or the wheel. */
  private apply(next: ExplorerState): void {
    if (!this.view || next === this.state) return;
    const settled = settle(this.view, next), before = this.state;
    if (JSON.stringify(settled) === JSON.stringify(before)) return;
    this.state = settled;
    const sameShape = settled.mode === before.mode && settled.columns === before.columns
      && settled.rows === before.rows && JSON.stringify(settled.hidden) === JSON.stringify(before.hidden);
    if (sameShape && settled.mode === "grid") {
      // a slider step: the same columns and rows, so the tiles keep their size; laying out again would
      // read the label bands and force the page's layout on every key press
      this.controls.render(this.view, settled);
      this.exportMenu.update(this.view, settled);
      this.showPlane();
    } else {
      this.render();
    }
    this.callbacks.viewChanged?.(settled);
  }

  private render(): void {
    const view = this.view;
    const grid = this.state.mode === "grid";
    this.empty.hidden = !!view;
    this.grid.hidden = !view;
    this.gridBox.hidden = !!view && !grid;
    this.table.root.hidden = !view || grid;
    this.controls.render(view, view ? this.state : null);
    if (view && grid) this.showPlane();
    if (view && !grid) this.table.render(view, this.state);
    this.renderStatus();
    this.layout();
  }

  private renderTableSoon(): void {
    if (this.tableDue !== null) return;
    this.tableDue = requestAnimationFrame(() => {
      this.tableDue = null;
      if (this.view && this.state.mode === "table") this.table.render(this.view, this.state);
    });
  }

  private renderStatus(): void {
    const view = this.view;
    this.head.render(view);
    this.buttons.hidden = !view;
    this.exportMenu.update(view, view ? this.state : null);
    if (!view) return;
    this.actionButtons.cancel.hidden = !isRunning(view.status);
    this.actionButtons.resume.hidden = !canResume(view);
    this.actionButtons.retry.hidden = !canRetry(view);
  }

  /** Drop every slice built (another experiment, or a fresh copy of this one). */
  private resetPlanes(): void {
    this.planes.clear();
    this.shown = null;
    this.grid.replaceChildren();
  }

  /** Show the slice of the state, built on first view; the one shown before is hidden. */
  private showPlane(): void {
    const view = this.view!;
    const key = sliceKey(view, this.state);
    let plane = this.planes.get(key);
    if (!plane) {
      plane = this.buildPlane(view, key);
      if (this.planes.size >= PLANES_KEPT) {
        const [oldest, old] = this.planes.entries().next().value!;
        old.root.remove();
        this.planes.delete(oldest);
      }
      this.planes.set(key, plane);
    }
    if (this.shown && this.shown !== plane) this.shown.root.hidden = true;
    plane.root.hidden = false;
    this.shown = plane;
    this.grid.style.setProperty("--xyz-columns", String(plane.slice.columns.length));
  }

  private buildPlane(view: ExperimentView, key: string): Plane {
    const s = slice(view, this.state);
    const { across, down } = s;
    const root = element("div", "xyz-plane");
    root.dataset.key = key;
    root.style.setProperty("--xyz-columns", String(s.columns.length));
    root.append(label("xyz-corner", down ? `${down.title} \\ ${across.title}` : across.title));
    for (const c of s.columns) root.append(label("xyz-col-label", across.labels[c] ?? ""));
    const tiles = new Map<number, Tile>();
    s.cells.forEach((row, r) => {
      root.append(label("xyz-row-label", down?.labels[s.rows[r]!] ?? ""));
      for (const cell of row) {
        const tile = element("div", "xyz-tile");
        tile.dataset.x = String(cell.x);  // the cell's own column and row in its grid, whatever is shown
        tile.dataset.y = String(cell.y);
        tile.dataset.index = String(cell.index);
        const image = element("img", "xyz-tile-image");
        image.loading = "lazy";
        image.decoding = "async";
        image.alt = "";
        const caption = element("div", "xyz-tile-caption");
        tile.append(image, caption);
        root.append(tile);
        const t = { root: tile, image, caption };
        tiles.set(cell.index, t);
        this.paintTile(t, cell);
      }
    });
    this.grid.append(root);
    return { root, slice: s, tiles };
  }

  private repaintPlanes(): void {
    const view = this.view;
    if (!view) return;
    for (const plane of this.planes.values()) {
      for (const [index, tile] of plane.tiles) this.paintTile(tile, view.cells[index]!);
    }
  }

  private paintTile(tile: Tile, cell: CellView): void {
    tile.root.dataset.status = cell.status;
    if (cell.status === "done" && cell.files.length && this.view) {
      const src = thumbnailURL(this.view.id, cell.files[0]!, thumbnailSize(this.tileSize, window.devicePixelRatio));
      if (tile.image.getAttribute("src") !== src) tile.image.src = src;
      tile.image.hidden = false;
      tile.caption.textContent = "";
    } else {
      tile.image.hidden = true;
      tile.image.removeAttribute("src");
      tile.caption.textContent = cell.status === "failed" ? (cell.error || "failed")
        : cell.status === "cancelled" ? "cancelled" : "";
    }
  }

  private layout(): void {
    const plane = this.shown;
    if (!this.view || !plane || this.state.mode !== "grid") return;
    // the box's own CSS size: the canvas zooms a DOM widget with a transform, and a size
    // measured on screen would shrink the tiles by the zoom a second time
    const box = { width: this.gridBox.clientWidth, height: this.gridBox.clientHeight };
    if (box.width < 2) return;  // collapsed or not on screen yet: keep the last size
    // the label bands as drawn (labels wrap, the corner too), so the tiles get the rest of
    // the box: read where the first tile starts, lay out, and read again once, since the
    // column labels wrap differently at the new tile width
    const columns = plane.slice.columns.length, rows = plane.slice.rows.length;
    for (let pass = 0; pass < 2; pass++) {
      const first = plane.root.querySelector(".xyz-tile") as HTMLElement | null;
      const header = first ? first.offsetTop : 28, labels = first ? first.offsetLeft : 72;
      const fit = fitGrid(box.width - 8, Math.max(box.height, 120) - 4, columns, rows, 2,
                          Math.max(labels, 24), Math.max(header, 14));
      if (fit.tile === this.tileSize && pass > 0) break;
      const grew = fit.tile !== this.tileSize;
      this.tileSize = fit.tile;
      this.grid.style.setProperty("--xyz-tile", `${fit.tile}px`);
      if (grew) this.repaintPlanes();  // a bigger tile may want a bigger thumbnail
    }
  }

  private cellAt(target: EventTarget | null): CellView | null {
    const tile = (target as HTMLElement | null)?.closest?.(".xyz-tile") as HTMLElement | null;
    if (!tile || !this.view) return null;
    return this.view.cells[Number(tile.dataset.index)] ?? null;
  }

  private onHover(event: PointerEvent): void {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return this.hover.hide();
    const tile = (event.target as HTMLElement).closest(".xyz-tile") as HTMLElement;
    this.hover.show(describeCell(this.view, cell), tile);
  }

  private onClick(event: MouseEvent): void {
    const cell = this.cellAt(event.target);
    if (!cell || cell.status !== "done") return;
    event.stopPropagation();
    // the arrows step through the slice shown, row by row
    this.openCell(cell, () => this.shown?.slice.cells.flat() ?? []);
  }

  private openCell(cell: CellView, cells: () => CellView[]): void {
    if (!this.view) return;
    this.overlay?.close();
    this.overlay = new Overlay(this.view, cell, cells, () => (this.overlay = null));
  }

  /** Left and Right step the active slider; Up and Down step it too when it is the only one, and
   * otherwise pick the slider above or below. Only in the grid, and not while typing or picking. */
  private onKey(event: KeyboardEvent): void {
    const view = this.view;
    if (!view || this.state.mode !== "grid") return;
    const target = event.target as HTMLElement;
    if (target.tagName === "SELECT" || (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "range")) {
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
      const next = sliders[Math.max(0, Math.min(sliders.length - 1, at + (key === "ArrowDown" ? 1 : -1)))]!;
      this.apply({ ...this.state, active: next.slot });
      return;
    }
    const slot = (target.closest?.(".xyz-slider") as HTMLElement | null)?.dataset.slot ?? active.slot;
    this.apply(stepSlider(view, this.state, slot, key === "ArrowRight" || key === "ArrowUp" ? 1 : -1));
  }

  /** The wheel steps the slider it is over, or the active one; in the table it scrolls. */
  private onWheel(event: WheelEvent): void {
    const view = this.view;
    if (!view || this.state.mode !== "grid") return;
    const over = (event.target as HTMLElement).closest?.(".xyz-slider") as HTMLElement | null;
    const slot = over?.dataset.slot ?? activeSlider(view, this.state)?.slot;
    const axis = view.axes.find((a) => a.slot === slot);
    if (!slot || !axis || axis.labels.length < 2) return;
    event.preventDefault();
    event.stopPropagation();
    this.apply(stepSlider(view, this.state, slot, event.deltaY > 0 ? 1 : -1));
  }
}

/** An axis label: wraps between words only (a number is never cut in two); one long word
 * ends in an ellipsis instead; the whole text is the hover title. */
function label(className: string, text: string): HTMLDivElement {
  const node = element("div", className, text);
  node.title = text;
  if (!/\s/.test(text.trim())) node.classList.add("xyz-one-word");
  return node;
}
