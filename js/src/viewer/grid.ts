// The viewer's grid of one slice, virtualised: the labels of every column and row are laid out, but
// only the tiles inside the scroll box (and a tile around it) are in the page; scrolling brings the
// others in and takes those scrolled away out. A tile's image is the export's thumbnail, loaded when
// its tile is drawn. Tiles taken out are kept (a bounded number, the least recently drawn dropped
// first), so a slider moved back or a swap undone shows them again with their images decoded. A pinned
// cell's tile carries its pin's name (data-pin); the tile hovered has a pin button.
import type { CellView } from "../experiment_view";
import { formatMetric } from "../format";
import type { Slice } from "../explorer/model";
import { cellNumber, describe, heatColour, heatLevel, type Experiment } from "./view_model";
import { element as el } from "../dom";
import { bestCell, notRun } from "../search_model";

const GAP = 4;
const CORNER_SCALE = 12 / 14;  // the corner's 12 px text, measured at the labels' 14 px (a little wide: bold)
const CORNER_LINE = 16;  // px per line of the corner's text
const PAD = 12;        // the page's margin inside the scroll box
const KEPT = 400;      // tiles kept out of the page for reuse
const OVERSCAN = 1;    // rows and columns drawn beyond the visible ones

export interface Tile {
  cell: CellView;
  row: number;
  col: number;
}

const measure = document.createElement("canvas").getContext("2d");

function textWidth(text: string): number {
  if (!measure) return text.length * 8;
  measure.font = "600 14px system-ui, sans-serif";
  return measure.measureText(text).width;
}

export class TileGrid {
  /** the scroll box */
  readonly root = el("div", "xyz-v-grid");
  private readonly page = el("div", "xyz-v-page");
  private slice: Slice | null = null;
  private zoom = 0;
  private heat: string | null = null;
  private pins: ReadonlyMap<number, string> = new Map();
  private readonly pinButton = el("button", "xyz-v-pin", "Pin");
  private labelsKey = "";
  private left = 0;  // where the first tile column and row start inside the page
  private top = 0;
  // the labels, in two bands that stay in view as the grid scrolls (the columns' at the top, the rows' at the left)
  private labels: HTMLElement[] = [];
  private readonly drawn = new Map<string, HTMLElement>();  // key: cell index, heat and zoom
  private readonly kept = new Map<string, HTMLElement>();
  private frame = 0;
  // the scroll box's scroll position and size, kept as the scroll and resize events tell them: reading them
  // while drawing would make the browser lay the page out in the middle of a slider step
  private readonly box = { left: 0, top: 0, width: 0, height: 0 };
  /** a search's best cell (the export is of one moment: it never changes), by explorer cell index */
  private readonly best: number | null;

  constructor(private readonly ex: Experiment, private readonly events: {
    tip: (cell: CellView | null, e: MouseEvent) => void; open: (tile: Tile, e: MouseEvent) => void;
  }) {
    const view = ex.view;
    this.best = view.search && !view.dryRun
      ? bestCell(view.cells, view.search.objective, view.search.goal)?.index ?? null : null;
    this.root.append(this.page);
    this.pinButton.type = "button";
    this.pinButton.title = "Pin this cell to compare (or shift+click the tile)";
    this.pinButton.setAttribute("aria-label", "Pin this cell to compare");
    this.page.addEventListener("mouseover", (e) => {
      const node = (e.target as HTMLElement).closest?.(".xyz-v-tile:not(.xyz-v-missing):not(.xyz-v-empty)");
      if (node && this.pinButton.parentElement !== node) node.append(this.pinButton);
    });
    this.page.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();  // a shift+click pins: it would select the page's text otherwise
    });
    this.root.addEventListener("scroll", () => {
      this.box.left = this.root.scrollLeft;
      this.box.top = this.root.scrollTop;
      if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
    }, { passive: true });
    new ResizeObserver(() => {
      Object.assign(this.box, { left: this.root.scrollLeft, top: this.root.scrollTop, width: this.root.clientWidth,
                                height: this.root.clientHeight });
      this.draw();
    }).observe(this.root);
    this.page.addEventListener("mouseover", (e) => this.events.tip(this.tileOf(e)?.cell ?? null, e));
    this.page.addEventListener("mousemove", (e) => this.events.tip(this.tileOf(e)?.cell ?? null, e));
    this.page.addEventListener("mouseleave", (e) => this.events.tip(null, e));
    this.page.addEventListener("click", (e) => {
      const tile = this.tileOf(e);
      if (tile) this.events.open(tile, e);
    });
  }

  private tileOf(e: Event): Tile | null {
    const node = (e.target as HTMLElement).closest?.(".xyz-v-tile") as HTMLElement | null;
    if (!node || !this.slice || node.classList.contains("xyz-v-missing")) return null;
    const row = Number(node.dataset.row), col = Number(node.dataset.col);
    const cell = this.slice.cells[row]?.[col];
    return cell ? { cell, row, col } : null;
  }

  /** Show a slice at a tile size, coloured by a metric (or not); `pins`: pin names by explorer cell index. */
  render(slice: Slice, zoom: number, heat: string | null, pins: ReadonlyMap<number, string> = new Map()): void {
    this.slice = slice;
    this.pins = pins;
    this.zoom = zoom;
    this.heat = heat;
    const labelsKey = JSON.stringify([slice.across.slot, slice.down?.slot ?? null, slice.columns, slice.rows, zoom]);
    if (labelsKey !== this.labelsKey) this.layOut(slice, zoom);
    this.labelsKey = labelsKey;
    this.draw();
  }

  /** The corner, the column and row labels, and the page's size. */
  private layOut(slice: Slice, zoom: number): void {
    const step = zoom + GAP;
    const down = slice.down;
    const rowLabels = down ? slice.rows.map((r) => down.labels[r] ?? "") : [""];
    const cornerText = down ? `${down.title} \\ ${slice.across.title}` : slice.across.title;
    // wide enough for the row labels and for the corner's "rows \ columns" on one line (short
    // row labels such as 1, 3 left it two lines in a one-line band, its first line cut off)
    const needed = Math.max(...rowLabels.map(textWidth), textWidth(cornerText) * CORNER_SCALE);
    this.left = down ? Math.min(240, Math.max(48, Math.ceil(needed) + 16)) : 8;
    const widest = Math.max(...slice.columns.map((c) => textWidth(slice.across.labels[c] ?? "")));
    // a corner wider than the band's 240 px (titles naming a subgraph path) wraps: the band grows
    // to its lines, up to three, and the rest ends in an ellipsis (the whole text is its tooltip)
    const cornerLines = Math.min(3, Math.ceil(textWidth(cornerText) * CORNER_SCALE / Math.max(1, this.left - 8)));
    this.top = Math.max(22 * Math.min(3, Math.max(1, Math.ceil(widest / Math.max(1, zoom - 4)))) + 4,
                        CORNER_LINE * cornerLines + 8);
    const width = this.left + slice.columns.length * step;
    const corner = el("div", "xyz-v-corner");
    corner.append(el("span", "xyz-v-corner-text", cornerText));
    corner.title = cornerText;
    Object.assign(corner.style, { left: "0px", top: "0px", width: `${this.left}px`, height: `${this.top}px` });
    const across = el("div", "xyz-v-col-band");
    Object.assign(across.style, { width: `${width}px`, height: `${this.top}px` });
    across.append(corner, ...slice.columns.map((c, i) => {
      const label = el("div", "xyz-v-col-label", slice.across.labels[c] ?? "");
      Object.assign(label.style, { left: `${this.left + i * step}px`, top: "0px", width: `${zoom}px`,
                                   height: `${this.top - GAP}px` });
      return label;
    }));
    const labels: HTMLElement[] = [across];
    if (down) {
      const band = el("div", "xyz-v-row-band");
      Object.assign(band.style, { width: `${this.left - 4}px`, height: `${slice.rows.length * step}px` });
      band.append(...rowLabels.map((text, i) => {
        const label = el("div", "xyz-v-row-label", text);
        Object.assign(label.style, { left: "0px", top: `${i * step}px`, width: `${this.left - 8}px`,
                                     height: `${zoom}px` });
        return label;
      }));
      labels.push(band);
    }
    for (const tile of this.drawn.values()) this.keep(tile);
    this.drawn.clear();
    this.labels = labels;
    this.page.replaceChildren(...labels);
    this.page.style.width = `${width}px`;
    this.page.style.height = `${this.top + slice.rows.length * step}px`;
  }

  /** Draw the tiles in view, take out the others. */
  draw(): void {
    const slice = this.slice;
    if (!slice || this.root.hidden) return;
    const step = this.zoom + GAP;
    const x = this.box.left - PAD, y = this.box.top - PAD;
    const width = this.box.width || innerWidth, height = this.box.height || innerHeight;
    const span = (from: number, size: number, start: number, count: number): [number, number] => [
      Math.max(0, Math.floor((from - start) / step) - OVERSCAN),
      Math.min(count - 1, Math.floor((from + size - start) / step) + OVERSCAN),
    ];
    const [c0, c1] = span(x, width, this.left, slice.columns.length);
    const [r0, r1] = span(y, height, this.top, slice.rows.length);
    const wanted = new Map<string, HTMLElement>();
    let changed = false;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = slice.cells[r]![c]!;
        const key = `${cell.index}|${this.heat ?? ""}|${this.zoom}`;
        let tile = this.drawn.get(key) ?? this.kept.get(key);
        if (!tile) tile = this.tile(cell);
        if (!this.drawn.has(key)) changed = true;
        this.kept.delete(key);
        tile.dataset.row = String(r);
        tile.dataset.col = String(c);
        tile.style.left = `${this.left + c * step}px`;
        tile.style.top = `${this.top + r * step}px`;
        const pin = this.pins.get(cell.index);
        if (pin) tile.dataset.pin = pin;
        else delete tile.dataset.pin;
        wanted.set(key, tile);
      }
    }
    for (const [key, tile] of this.drawn) {
      if (wanted.has(key)) continue;
      this.keep(tile, key);
      changed = true;
    }
    this.drawn.clear();
    for (const [key, tile] of wanted) this.drawn.set(key, tile);
    // one change of the page's children, not one per tile in and out (a slider step swaps them all)
    if (changed) this.page.replaceChildren(...this.labels, ...wanted.values());
  }

  /** A tile taken out of the page (by the caller), kept for reuse. */
  private keep(tile: HTMLElement, key = tile.dataset.key ?? ""): void {
    this.kept.set(key, tile);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
  }

  private tile(cell: CellView): HTMLElement {
    const tile = el("div", "xyz-v-tile");
    tile.dataset.key = `${cell.index}|${this.heat ?? ""}|${this.zoom}`;
    Object.assign(tile.style, { width: `${this.zoom}px`, height: `${this.zoom}px` });
    const file = this.ex.files[cell.index];
    if (!file) {
      tile.classList.add("xyz-v-missing");
      tile.textContent = "no cell";
      return tile;
    }
    tile.dataset.index = String(cellNumber(this.ex, cell));
    tile.dataset.status = file.status;
    if (cell.index === this.best) tile.dataset.best = "";
    if (notRun(this.ex.view, cell)) {
      tile.classList.add("xyz-v-empty");  // a cell the search has not run: an empty tile, no text
    } else if (file.thumb) {
      const img = el("img");
      img.decoding = "async";
      img.alt = describe(this.ex, cell).join(", ");
      img.src = file.thumb;
      tile.append(img);
    } else {
      tile.append(el("div", "xyz-v-text", file.status === "failed" ? `failed: ${file.error ?? ""}` : file.status));
    }
    if (this.heat !== null) {
      const value = file.metrics[this.heat];
      const level = heatLevel(this.ex.data, this.heat, value);
      if (level !== null) tile.style.setProperty("--heat", heatColour(level));
      tile.classList.add("xyz-v-heat");
      tile.append(el("span", "xyz-v-heat-value", formatMetric(value)));
    }
    return tile;
  }

  /** The tiles in the page, row by row (for tests and the overlay). */
  get tiles(): HTMLElement[] {
    return [...this.drawn.values()];
  }
}
