// The Z-scrubber: one experiment's grid for the chosen Z value, with progress, a Z
// control, hover details, a full-size overlay and the lifecycle buttons. The node panel
// and the sidebar both show it. Every label, value and error is set as text.
import { canResume, canRetry, describeCell, isRunning, secondsLeft,
         type AxisView, type CellView, type ExperimentView } from "./experiment_view";
import { formatSeconds } from "./format";
import { fitGrid, stepZ, thumbnailSize } from "./layout";
import { thumbnailURL, type LifecycleAction } from "./routes";
import { element } from "./dom";
import { ExportMenu } from "./export_menu";
import { HoverText } from "./hover";
import { Overlay } from "./overlay";

export interface ScrubberCallbacks {
  /** a lifecycle button was pressed */
  action: (action: LifecycleAction) => void;
  /** X and Y were swapped on screen (the panel keeps the choice with its node) */
  swapped?: (on: boolean) => void;
}


interface Tile {
  root: HTMLDivElement;
  image: HTMLImageElement;
  caption: HTMLDivElement;
}

/** One Z slice's labels and tiles. Slices are built on first view and then only hidden
 * and shown, so switching Z touches one attribute per slice and no image reloads. */
interface Plane {
  root: HTMLDivElement;
  tiles: Tile[][];
}

export class ZScrubber {
  readonly root: HTMLDivElement;
  private readonly title = element("div", "xyz-title");
  private readonly progressBar = element("div", "xyz-progress-bar");
  private readonly progressDone = element("div", "xyz-progress-done");
  private readonly progressFailed = element("div", "xyz-progress-failed");
  private readonly progressText = element("div", "xyz-progress-text");
  private readonly zRow = element("div", "xyz-z");
  private readonly zLabel = element("span", "xyz-z-label");
  private readonly zSlider = element("input", "xyz-z-slider");
  private readonly buttons = element("div", "xyz-buttons");
  private readonly gridBox = element("div", "xyz-grid-box");
  private readonly grid = element("div", "xyz-grid");
  private readonly hover = new HoverText();
  private readonly exportMenu = new ExportMenu();
  private readonly swapButton = element("button", "xyz-button xyz-swap", "⇄ Swap X/Y");
  private readonly empty = element("div", "xyz-empty", "Queue an XYZ workflow: its grid fills in here.");
  private readonly actionButtons: Record<LifecycleAction, HTMLButtonElement>;
  private view: ExperimentView | null = null;
  private z = 0;
  private planes: (Plane | null)[] = [];
  private tileSize = 96;
  private swap = false;  // X down the rows and Y across the columns, on screen only
  private overlay: Overlay | null = null;
  private readonly resizeObserver: ResizeObserver;
  private clock: number | null = null;

  constructor(private readonly callbacks: ScrubberCallbacks, large = false) {
    this.root = element("div", `xyz-scrubber widget-expands${large ? " xyz-large" : ""}`);
    this.root.tabIndex = 0;
    this.root.dataset.captureWheel = "true";  // the Vue renderer sends the wheel to the canvas otherwise
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
      retry: this.button("Retry failed", "retry"),
    };
    this.swapButton.type = "button";
    this.swapButton.title = "Show X down the rows and Y across the columns (the files stay as they are)";
    this.swapButton.addEventListener("click", (e) => {
      e.stopPropagation();
      this.setSwapped(!this.swap);
      this.callbacks.swapped?.(this.swap);
    });
    this.buttons.append(this.swapButton, this.exportMenu.button);
    this.gridBox.append(this.grid, this.empty);
    this.root.append(head, this.zRow, this.buttons, this.gridBox);
    this.zSlider.addEventListener("input", () => this.setZ(Number(this.zSlider.value)));
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener("pointerdown", (e) => {
      if (e.button === 0) e.stopPropagation();  // frontend 1.32's Vue nodes would drag the node
    });
    this.grid.addEventListener("pointerover", (e) => this.onHover(e));
    this.grid.addEventListener("pointerleave", () => this.hideTooltip());
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

  get currentZ(): number {
    return this.z;
  }

  get swapped(): boolean {
    return this.swap;
  }

  /** Show X down the rows and Y across the columns (or back). */
  setSwapped(on: boolean): void {
    if (on === this.swap) return;
    this.swap = on;
    this.swapButton.classList.toggle("xyz-on", on);
    this.swapButton.setAttribute("aria-pressed", String(on));
    this.buildGrid();
    this.layout();
  }

  /** Show an experiment (a new one, or a fresh copy of the one shown, from the routes). */
  show(view: ExperimentView | null): void {
    const same = view && this.view && view.id === this.view.id;
    this.view = view;
    if (!same) this.z = 0;
    if (view) this.z = Math.min(this.z, view.shape.z - 1);
    this.buildGrid();
    this.render();
  }

  /** One cell changed (from an event): redraw its tile if it is on screen. */
  updateCell(cell: CellView): void {
    const tile = this.planes[cell.z]?.tiles[cell.y]?.[cell.x];
    if (tile) this.paintTile(tile, cell);
    this.overlay?.refresh();
    this.renderStatus();
  }

  /** The experiment's status or counts changed. */
  updateStatus(): void {
    this.renderStatus();
  }

  setZ(z: number): void {
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

  destroy(): void {
    this.resizeObserver.disconnect();
    this.overlay?.close();
    this.hover.destroy();
    this.exportMenu.destroy();
    if (this.clock !== null) clearInterval(this.clock);
    this.root.remove();
  }

  private render(): void {
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

  private renderZLabel(): void {
    const z = this.view?.z;
    this.zLabel.textContent = z ? `${z.title}: ${z.labels[this.z] ?? ""}  (${this.z + 1}/${z.labels.length})` : "";
  }

  private renderStatus(): void {
    const view = this.view;
    if (!view) {
      this.title.textContent = "XYZ Plot Studio";
      this.progressText.textContent = "";
      this.buttons.hidden = true;
      this.exportMenu.update(null);
      this.progressBar.hidden = true;
      this.stopClock();
      return;
    }
    this.title.textContent = `${view.name} · ${view.status}`;
    this.title.dataset.status = view.status;
    const total = Math.max(1, view.total);
    this.progressBar.hidden = false;
    this.progressDone.style.width = `${(100 * view.done) / total}%`;
    this.progressFailed.style.width = `${(100 * view.failed) / total}%`;
    const settled = view.done + view.failed;
    const end = view.finished ?? Date.now() / 1000;
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
    this.swapButton.hidden = !view.y;
    this.exportMenu.update(view);
    this.buttons.hidden = false;
  }

  private startClock(): void {
    if (this.clock === null) this.clock = window.setInterval(() => this.renderStatus(), 1000);
  }

  private stopClock(): void {
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
  }

  private buildGrid(): void {
    this.grid.replaceChildren();
    const view = this.view;
    this.planes = view ? new Array<Plane | null>(view.shape.z).fill(null) : [];
    if (!view) return;
    this.grid.style.setProperty("--xyz-columns", String(this.onScreen().columns));
    this.showPlane();
  }

  /** The axes across and down as shown (swapped or not), with their value counts. */
  private onScreen(): { across: AxisView; down: AxisView | null; columns: number; rows: number } {
    const view = this.view!;
    const swap = this.swap && !!view.y;
    return swap ? { across: view.y!, down: view.x, columns: view.shape.y, rows: view.shape.x }
      : { across: view.x, down: view.y, columns: view.shape.x, rows: view.shape.y };
  }

  private showPlane(): void {
    const plane = this.planes[this.z] ?? this.buildPlane(this.z);
    if (plane) plane.root.hidden = false;
  }

  private buildPlane(z: number): Plane | null {
    const view = this.view;
    const cells = view?.cells[z];
    if (!view || !cells) return null;
    const { across, down, columns, rows } = this.onScreen();
    const root = element("div", "xyz-plane");
    root.dataset.z = String(z);
    root.append(label("xyz-corner", down ? `${down.title} \\ ${across.title}` : across.title));
    for (let c = 0; c < columns; c++) root.append(label("xyz-col-label", across.labels[c] ?? ""));
    // tiles are kept by the cell's own [y][x], whichever way the axes are shown
    const tiles: Tile[][] = Array.from({ length: view.shape.y }, () => new Array<Tile>(view.shape.x));
    for (let r = 0; r < rows; r++) {
      root.append(label("xyz-row-label", down?.labels[r] ?? ""));
      for (let c = 0; c < columns; c++) {
        const [x, y] = across === view.x ? [c, r] : [r, c];
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
        tiles[y]![x] = { root: tile, image, caption };
      }
    }
    const plane = { root, tiles };
    this.planes[z] = plane;
    this.grid.append(root);
    this.paintPlane(plane, cells);
    return plane;
  }

  private paintPlane(plane: Plane, cells: CellView[][]): void {
    for (const row of cells) for (const cell of row) {
      const tile = plane.tiles[cell.y]?.[cell.x];
      if (tile) this.paintTile(tile, cell);
    }
  }

  private repaintPlanes(): void {
    this.planes.forEach((plane, z) => {
      const cells = this.view?.cells[z];
      if (plane && cells) this.paintPlane(plane, cells);
    });
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
    const view = this.view;
    if (!view) return;
    // the box's own CSS size: the canvas zooms a DOM widget with a transform, and a size
    // measured on screen would shrink the tiles by the zoom a second time
    const box = {width: this.gridBox.clientWidth, height: this.gridBox.clientHeight};
    if (box.width < 2) return;  // collapsed or not on screen yet: keep the last size
    // the label bands as drawn (labels wrap, the corner too), so the tiles get the rest of
    // the box: read where the first tile starts, lay out, and read again once, since the
    // column labels wrap differently at the new tile width
    const { columns, rows } = this.onScreen();
    for (let pass = 0; pass < 2; pass++) {
      const first = this.planes[this.z]?.root.querySelector(".xyz-tile") as HTMLElement | null;
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
    return this.view.cells[this.z]?.[Number(tile.dataset.y)]?.[Number(tile.dataset.x)] ?? null;
  }

  private onHover(event: PointerEvent): void {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return this.hideTooltip();
    const tile = (event.target as HTMLElement).closest(".xyz-tile") as HTMLElement;
    this.hover.show(describeCell(this.view, cell), tile);
  }

  private hideTooltip(): void {
    this.hover.hide();
  }

  private onClick(event: MouseEvent): void {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view || cell.status !== "done") return;
    event.stopPropagation();
    this.overlay?.close();
    this.overlay = new Overlay(this.view, cell, () => (this.overlay = null));
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.view) return;
    const step = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1
      : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    this.setZ(stepZ(this.z, this.view.shape.z, step));
  }

  private onWheel(event: WheelEvent): void {
    if (!this.view || this.view.shape.z < 2) return;
    event.preventDefault();
    event.stopPropagation();
    this.setZ(stepZ(this.z, this.view.shape.z, event.deltaY > 0 ? 1 : -1));
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
