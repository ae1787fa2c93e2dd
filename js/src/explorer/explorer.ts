// The explorer: one experiment of any number of axes, with progress and the lifecycle buttons.
// Any axis across the columns and any other down the rows, a slider per other axis (arrow keys and
// the wheel step it), values toggled off and on and reordered, a table of every cell, or two cells or
// slices pinned and compared. The node panel and the sidebar both show it; its view state is one
// record (state.ts) the panel keeps with its node. Every label, value and error is set as text.
import { canResume, canRetry, describeCell, isRunning, type CellView, type ExperimentView } from "../experiment_view";
import { fileURL, type LifecycleAction } from "../routes";
import { element } from "../dom";
import { ExportMenu } from "../export_menu";
import { SearchChart } from "../search_chart";
import { HoverText } from "../hover";
import { Overlay } from "../overlay";
import { cellPin, togglePin } from "./compare";
import { ComparePanel } from "./compare_view";
import { ExplorerControls } from "./controls";
import { ExplorerHead } from "./head";
import { Planes } from "./planes";
import { SliderPlayer, nextFrame } from "./player";
import { activeSlider, initialState, settle, sliderAxes, stepSlider, swappedXY, type ExplorerState } from "./state";
import { ExplorerTable } from "./table";

export interface ExplorerCallbacks {
  /** a lifecycle button was pressed */
  action: (action: LifecycleAction) => void;
  /** the view state changed (the panel keeps it with its node) */
  viewChanged?: (state: ExplorerState) => void;
}

export class Explorer {
  readonly root: HTMLDivElement;
  private readonly head = new ExplorerHead();
  private readonly chart: SearchChart;
  private readonly buttons = element("div", "xyz-buttons");
  private readonly gridBox = element("div", "xyz-grid-box");
  private readonly planes = new Planes();
  private readonly grid = this.planes.grid;
  private readonly compare = new ComparePanel((next) => this.apply(next), (view, file) => fileURL(view.id, file));
  private readonly pinButton = element("button", "xyz-pin-button");
  private readonly hover = new HoverText();
  private readonly exportMenu = new ExportMenu();
  private readonly controls = new ExplorerControls((next) => this.apply(next));
  private readonly player = new SliderPlayer(() => this.playFrame());
  private readonly table = new ExplorerTable((next) => this.apply(next), (cell) => this.openCell(cell,
    () => this.table.shownCells));
  private readonly empty = element("div", "xyz-empty", "Queue an XYZ workflow: its grid fills in here.");
  private readonly actionButtons: Record<LifecycleAction, HTMLButtonElement>;
  private view: ExperimentView | null = null;
  private state: ExplorerState = initialState();
  private overlay: Overlay | null = null;
  private readonly resizeObserver: ResizeObserver;
  private tableDue: number | null = null;

  constructor(private readonly callbacks: ExplorerCallbacks, large = false) {
    this.root = element("div", `xyz-scrubber xyz-explorer widget-expands${large ? " xyz-large" : ""}`);
    this.root.tabIndex = 0;
    this.root.dataset.captureWheel = "true";  // the Vue renderer sends the wheel to the canvas otherwise
    // a search's chart; a click on a dot opens that cell, the arrows then step through the cells in the order run
    this.chart = new SearchChart((cell, run) => this.openCell(cell, () => run), large ? 110 : 64);
    this.buttons.append(this.controls.modeButton, this.controls.pickers, this.controls.swapButton,
                        this.controls.valuesButton, this.player.button, this.compare.pinSliceButton,
                        this.compare.compareButton,
                        this.exportMenu.button);
    this.actionButtons = {
      cancel: this.button("Cancel", "cancel"),
      resume: this.button("Resume", "resume"),
      retry: this.button("Retry failed", "retry"),
    };
    this.gridBox.append(this.grid, this.empty);
    this.root.append(this.head.root, this.chart.root, this.buttons, this.controls.values, this.controls.sliders, this.gridBox,
                     this.table.root, this.compare.root);
    this.pinButton.type = "button";
    this.pinButton.append(element("i", "pi pi-thumbtack"));  // PrimeIcons: both frontends ship them
    this.pinButton.title = "Pin this cell to compare (or shift+click the tile)";
    this.pinButton.setAttribute("aria-label", "Pin this cell to compare");
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener("pointerdown", (e) => {
      if (e.button === 0) e.stopPropagation();  // frontend 1.32's Vue nodes would drag the node
    });
    this.grid.addEventListener("pointerover", (e) => this.onHover(e));
    this.grid.addEventListener("pointerleave", () => this.hover.hide());
    this.grid.addEventListener("click", (e) => this.onClick(e));
    this.grid.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();  // a shift+click pins: it would select the page's text otherwise
    });
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
    if (this.view) this.planes.updateCell(this.view, cell);
    if (this.state.mode === "table") this.renderTableSoon();
    if (this.state.mode === "compare") this.compare.render(this.view, this.state);
    this.overlay?.refresh();
    this.chart.render(this.view);
    this.renderStatus();
  }

  /** The experiment's status or counts changed. */
  updateStatus(): void {
    this.renderStatus();
  }

  destroy(): void {
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
  private playFrame(): boolean {
    const next = this.view ? nextFrame(this.view, this.state) : null;
    if (!next) return false;
    this.apply(next);
    return true;
  }

  /** A new view state from a control, a key or the wheel. */
  private apply(next: ExplorerState): void {
    if (!this.view || next === this.state) return;
    const settled = settle(this.view, next), before = this.state;
    if (JSON.stringify(settled) === JSON.stringify(before)) return;
    this.state = settled;
    const sameShape = settled.mode === before.mode && settled.columns === before.columns
      && settled.rows === before.rows && JSON.stringify(settled.hidden) === JSON.stringify(before.hidden)
      && JSON.stringify(settled.order) === JSON.stringify(before.order);
    if (sameShape && settled.mode === "grid") {
      // a slider step: the same columns and rows, so the tiles keep their size; laying out again would
      // read the label bands and force the page's layout on every key press
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

  private render(): void {
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

  private resetPlanes(): void {
    this.planes.reset();
    this.pinButton.remove();
  }

  private layout(): void {
    if (!this.view || this.state.mode !== "grid") return;
    // the box's own CSS size: the canvas zooms a DOM widget with a transform, and a size
    // measured on screen would shrink the tiles by the zoom a second time
    this.planes.layout(this.view, { width: this.gridBox.clientWidth, height: this.gridBox.clientHeight });
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
    if (this.pinButton.parentElement !== tile) tile.append(this.pinButton);  // one pin button, on the tile hovered
  }

  /** A click opens the cell at full size; shift+click or the tile's pin button pins it (again: unpins). */
  private onClick(event: MouseEvent): void {
    const cell = this.cellAt(event.target);
    if (!cell || !this.view) return;
    if (event.shiftKey || (event.target as HTMLElement).closest?.(".xyz-pin-button")) {
      event.stopPropagation();
      this.apply(togglePin(this.state, cellPin(this.view, cell)));
      return;
    }
    if (cell.status !== "done") return;
    event.stopPropagation();
    // the arrows step through the slice shown, row by row
    this.openCell(cell, () => this.planes.slice?.cells.flat() ?? []);
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
