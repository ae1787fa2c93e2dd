// The standalone viewer of an exported experiment: opens from file:// with no server and no
// network. Every label, value and error reaches the page as text (textContent), never as markup.
import { formatMetric } from "../format";
import { CellIndex, ZOOM, describe, fromHash, heatColour, heatLevel, settle, slice, sliderAxes, toHash,
         type ViewState, type ViewerCell, type ViewerData } from "./view_model";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = el("option", "", label);
  o.value = value;
  o.selected = selected;
  return o;
}

const PAGES_KEPT = 24;  // built views kept (hidden) in the page, the least recently shown dropped first

class Viewer {
  private view: ViewState;
  private readonly cells: CellIndex;
  private readonly controls = el("div", "xyz-v-controls");
  private readonly sliders = el("div", "xyz-v-sliders");
  private readonly grid = el("div", "xyz-v-grid");
  private readonly tip = el("div", "xyz-v-tip");
  private readonly overlay = el("div", "xyz-v-overlay");
  private shown: (ViewerCell | undefined)[][] = [];
  private open: { row: number; col: number } | null = null;
  // Views built before, kept in the page and only hidden: going back to one (a slider moved
  // back and forth, a swap undone) shows it at once, its images already decoded.
  private readonly pages = new Map<string, { page: HTMLElement; shown: (ViewerCell | undefined)[][] }>();

  constructor(private readonly data: ViewerData, root: HTMLElement) {
    this.cells = new CellIndex(data);
    this.view = fromHash(data, location.hash);
    const header = el("header", "xyz-v-header");
    header.append(el("h1", "", data.name), this.controls);
    root.append(header, this.sliders, this.grid, this.tip, this.overlay);
    this.overlay.hidden = true;
    this.tip.hidden = true;
    window.addEventListener("hashchange", () => this.set(fromHash(this.data, location.hash), false));
    window.addEventListener("keydown", (e) => this.key(e));
    this.overlay.addEventListener("click", (e) => { if (e.target === this.overlay) this.close(); });
    this.render();
  }

  private set(view: ViewState, toUrl = true): void {
    this.view = settle(this.data, view);
    if (toUrl) history.replaceState(null, "", toHash(this.view));
    this.render();
  }

  private render(): void {
    this.renderControls();
    this.renderSliders();
    this.renderGrid();
  }

  private renderControls(): void {
    const { data, view } = this;
    const axisSelect = (label: string, value: number | null, allowNone: boolean, pick: (v: number | null) => void) => {
      const wrap = el("label", "xyz-v-control", label + " ");
      const select = el("select");
      select.dataset.role = label.toLowerCase();
      if (allowNone) select.append(option("none", "(one row)", value === null));
      data.axes.forEach((axis, k) => select.append(option(String(k), axis.title || axis.slot.toUpperCase(), k === value)));
      select.addEventListener("change", () => pick(select.value === "none" ? null : Number(select.value)));
      wrap.append(select);
      return wrap;
    };
    const cols = axisSelect("Columns", view.cols, false, (v) => {
      const next = { ...view, cols: v ?? 0 };
      if (next.rows === next.cols) next.rows = view.cols;  // picking the rows' axis swaps the two
      this.set(next);
    });
    const rows = axisSelect("Rows", view.rows, true, (v) => {
      const next = { ...view, rows: v };
      if (v === view.cols) next.cols = view.rows ?? view.cols;
      this.set(next);
    });
    const swap = el("button", "xyz-v-swap", "Swap ⇄");
    swap.disabled = view.rows === null;
    swap.addEventListener("click", () => {
      if (view.rows !== null) this.set({ ...view, cols: view.rows, rows: view.cols });
    });
    const zoomWrap = el("label", "xyz-v-control", "Zoom ");
    const zoom = el("input");
    Object.assign(zoom, { type: "range", min: String(ZOOM.min), max: String(ZOOM.max), value: String(view.zoom) });
    zoom.dataset.role = "zoom";
    zoom.addEventListener("input", () => this.set({ ...this.view, zoom: Number(zoom.value) }));
    zoomWrap.append(zoom);
    this.controls.replaceChildren(cols, rows, swap, zoomWrap);
    if (data.metrics.length) {
      const heatWrap = el("label", "xyz-v-control", "Heatmap ");
      const heat = el("select");
      heat.dataset.role = "heatmap";
      heat.append(option("", "(none)", view.heat === null));
      for (const m of data.metrics) heat.append(option(m.name, `${m.name} (${m.goal})`, m.name === view.heat));
      heat.addEventListener("change", () => this.set({ ...this.view, heat: heat.value || null }));
      heatWrap.append(heat);
      this.controls.append(heatWrap);
    }
  }

  private renderSliders(): void {
    const { data, view } = this;
    const rows = sliderAxes(data, view).map((k) => {
      const axis = data.axes[k]!;
      const wrap = el("label", "xyz-v-slider");
      wrap.dataset.slot = axis.slot;
      const range = el("input");
      Object.assign(range, { type: "range", min: "0", max: String(axis.labels.length - 1), value: String(view.at[k]) });
      const value = el("span", "xyz-v-slider-value", axis.labels[view.at[k] ?? 0] ?? "");
      range.addEventListener("input", () => {
        const at = [...this.view.at];
        at[k] = Number(range.value);
        this.set({ ...this.view, at });
      });
      wrap.append(el("span", "xyz-v-slider-title", axis.title || axis.slot.toUpperCase()), range, value);
      return wrap;
    });
    this.sliders.replaceChildren(...rows);
  }

  private renderGrid(): void {
    const { data, view } = this;
    this.grid.style.setProperty("--tile", `${view.zoom}px`);  // zoom is the one thing pages share
    const key = JSON.stringify([view.cols, view.rows, sliderAxes(data, view).map((k) => view.at[k]), view.heat]);
    let built = this.pages.get(key);
    if (!built) {
      built = this.build();
      this.grid.append(built.page);
      this.pages.set(key, built);
      if (this.pages.size > PAGES_KEPT) {
        const [oldest, { page }] = this.pages.entries().next().value!;
        page.remove();
        this.pages.delete(oldest);
      }
    } else {  // most recently used last
      this.pages.delete(key);
      this.pages.set(key, built);
    }
    for (const { page } of this.pages.values()) page.hidden = page !== built.page;
    this.shown = built.shown;
  }

  private build(): { page: HTMLElement; shown: (ViewerCell | undefined)[][] } {
    const { data, view } = this;
    const shown = slice(data, this.cells, view);
    const colAxis = data.axes[view.cols]!;
    const rowAxis = view.rows === null ? null : data.axes[view.rows]!;
    const page = el("div", "xyz-v-page");
    page.style.gridTemplateColumns = `max-content repeat(${colAxis.labels.length}, var(--tile))`;
    page.append(el("div", "xyz-v-corner", rowAxis ? `${rowAxis.title} \\ ${colAxis.title}` : colAxis.title));
    for (const label of colAxis.labels) page.append(el("div", "xyz-v-col-label", label));
    shown.forEach((row, r) => {
      page.append(el("div", "xyz-v-row-label", rowAxis ? rowAxis.labels[r] ?? "" : ""));
      row.forEach((cell, c) => page.append(this.tile(cell, r, c)));
    });
    return { page, shown };
  }

  private tile(cell: ViewerCell | undefined, row: number, col: number): HTMLElement {
    const tile = el("div", "xyz-v-tile");
    if (!cell) {
      tile.classList.add("xyz-v-missing");
      tile.textContent = "no cell";
      return tile;
    }
    tile.dataset.index = String(cell.index);
    tile.dataset.status = cell.status;
    if (cell.thumb) {
      const img = el("img");
      img.loading = "lazy";
      img.decoding = "async";
      img.alt = describe(this.data, cell).join(", ");
      img.src = cell.thumb;
      tile.append(img);
    } else {
      tile.append(el("div", "xyz-v-text", cell.status === "failed" ? `failed: ${cell.error ?? ""}` : cell.status));
    }
    if (this.view.heat !== null) {
      const value = cell.metrics[this.view.heat];
      const level = heatLevel(this.data, this.view.heat, value);
      if (level !== null) tile.style.setProperty("--heat", heatColour(level));
      tile.classList.add("xyz-v-heat");
      tile.append(el("span", "xyz-v-heat-value", formatMetric(value)));
    }
    tile.addEventListener("mouseenter", (e) => this.showTip(cell, e));
    tile.addEventListener("mousemove", (e) => this.moveTip(e));
    tile.addEventListener("mouseleave", () => { this.tip.hidden = true; });
    tile.addEventListener("click", () => this.show(row, col));
    return tile;
  }

  private showTip(cell: ViewerCell, e: MouseEvent): void {
    this.tip.replaceChildren(...describe(this.data, cell).map((line) => el("div", "", line)));
    this.tip.hidden = false;
    this.moveTip(e);
  }

  private moveTip(e: MouseEvent): void {
    this.tip.style.left = `${e.clientX + 14}px`;
    this.tip.style.top = `${e.clientY + 14}px`;
  }

  private show(row: number, col: number): void {
    const cell = this.shown[row]?.[col];
    if (!cell) return;
    this.open = { row, col };
    const frame = el("figure", "xyz-v-full");
    if (cell.full) {
      const img = el("img");
      img.src = cell.full;
      img.alt = describe(this.data, cell).join(", ");
      const link = el("a", "xyz-v-full-link", "open the full-size file");
      link.href = cell.full;
      link.target = "_blank";
      frame.append(img, link);
    } else {
      frame.append(el("div", "xyz-v-text", cell.error ? `failed: ${cell.error}` : cell.status));
    }
    const caption = el("figcaption");
    caption.append(...describe(this.data, cell).map((line) => el("div", "", line)));
    frame.append(caption);
    this.overlay.replaceChildren(frame);
    this.overlay.dataset.index = String(cell.index);
    this.overlay.hidden = false;
  }

  private close(): void {
    this.open = null;
    this.overlay.hidden = true;
  }

  private key(e: KeyboardEvent): void {
    if (!this.open) return;
    const steps: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0],
                                                       ArrowDown: [1, 0] };
    if (e.key === "Escape") {
      this.close();
    } else if (steps[e.key]) {
      const [dr, dc] = steps[e.key]!;
      const rows = this.shown.length, cols = this.shown[0]?.length ?? 1;
      this.show((this.open.row + dr + rows) % rows, (this.open.col + dc + cols) % cols);
    } else {
      return;
    }
    e.preventDefault();
  }
}

const source = document.getElementById("xyz-data");
const root = document.getElementById("xyz-viewer");
if (source && root) {
  const data = JSON.parse(source.textContent ?? "{}") as ViewerData;
  (window as unknown as { xyzViewer: Viewer }).xyzViewer = new Viewer(data, root);
}
