// The viewer's table: one row per cell (its thumbnail, number, a column per axis, status, time, each
// metric), sorted by a click on a heading and filtered by the words typed (a shift+click on a row pins its
// cell for compare, as on a tile), with the explorer's own
// columns and rows (src/explorer/model.ts). Virtualised: every row has one height, and only the rows
// inside the scroll box (and a few around) are in the page, between two spacer rows that keep the
// scroll height of them all. Every text is set as text.
import type { CellView } from "../experiment_view";
import { nextSort, tableColumns, tableRows, type TableColumn } from "../explorer/model";
import type { ExplorerState } from "../explorer/state";
import { cellNumber, type Experiment, type ViewState } from "./view_model";
import { element as el, sortHeadings } from "../dom";
import { bestCell, notRun } from "../search_model";
import { PIN_NAMES, cellPin, pinOf, togglePin } from "../explorer/compare";

export const ROW_HEIGHT = 48;  // px; .xyz-v-table-row in viewer.css
const OVERSCAN = 8;

export class ViewerTable {
  readonly root = el("div", "xyz-v-table-box");
  private readonly filter = el("input", "xyz-v-filter");
  private readonly count = el("div", "xyz-v-table-count");
  private readonly scroller = el("div", "xyz-v-table-scroll");
  private readonly head = el("thead");
  private readonly body = el("tbody");
  private state: ViewState | null = null;
  private rows: CellView[] = [];
  private rowsKey = "";
  private pinsKey = "";
  private columns: TableColumn[] = [];
  private drawnRange = "";
  private frame = 0;
  private readonly best: CellView | null;  // a search's best cell: its row is marked

  constructor(private readonly ex: Experiment, private readonly apply: (next: ExplorerState) => void,
              private readonly open: (cell: CellView, rows: CellView[]) => void) {
    this.filter.type = "search";
    this.filter.placeholder = "Filter: words of labels, status, errors";
    this.filter.setAttribute("aria-label", "Filter the cells");
    this.filter.addEventListener("input", () => {
      if (this.state) this.apply({ ...this.state, filter: this.filter.value });
    });
    this.head.addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest?.(".xyz-v-sort") as HTMLElement | null;
      if (button && this.state) this.apply({ ...this.state, sort: nextSort(this.state, button.dataset.key!) });
    });
    this.body.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();  // a shift+click pins: it would select the table's text otherwise
    });
    this.body.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest?.("tr") as HTMLElement | null;
      const cell = row?.dataset.at ? this.ex.view.cells[Number(row.dataset.at)] : undefined;
      if (cell && e.shiftKey && this.state) {  // pinned for compare, as a shift+click on a tile (not an empty one)
        if (!notRun(this.ex.view, cell)) this.apply(togglePin(this.state, cellPin(this.ex.view, cell)));
        return;
      }
      if (cell && this.ex.files[cell.index]) this.open(cell, this.rows);
    });
    this.scroller.addEventListener("scroll", () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
    }, { passive: true });
    window.addEventListener("resize", () => this.draw());
    const table = el("table", "xyz-v-table");
    table.append(this.head, this.body);
    this.scroller.append(table);
    const tools = el("div", "xyz-v-table-tools");
    tools.append(this.filter, this.count);
    this.root.append(tools, this.scroller);
    this.columns = tableColumns(ex.view);
    const { search, dryRun, cells } = ex.view;
    this.best = search && !dryRun ? bestCell(cells, search.objective, search.goal) : null;
  }

  render(state: ViewState): void {
    this.state = state;
    if (this.filter.value !== state.filter) this.filter.value = state.filter;
    const headings = sortHeadings(this.columns, state.sort, { thumb: "xyz-v-table-thumb", sort: "xyz-v-sort" });
    this.head.replaceChildren(headings);
    // the rows change with the filter, the sort and the values shown (and their order), not with a slider
    const key = JSON.stringify([state.filter, state.sort, state.hidden, (state as { order?: unknown }).order]);
    if (key !== this.rowsKey) {
      this.rows = tableRows(this.ex.view, state);
      this.rowsKey = key;
      this.drawnRange = "";
      this.scroller.scrollTop = 0;
    }
    const pins = JSON.stringify(state.pins);
    if (pins !== this.pinsKey) {  // the same rows, marked anew
      this.pinsKey = pins;
      this.drawnRange = "";
    }
    const total = this.ex.data.cells.length;
    this.count.textContent = `${this.rows.length} of ${total} cells`;
    this.draw();
  }

  /** The rows in view between their two spacers. */
  draw(): void {
    if (this.root.hidden || !this.state) return;
    const top = this.scroller.scrollTop, height = this.scroller.clientHeight || innerHeight;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const range = `${first}:${last}`;
    if (range === this.drawnRange) return;
    this.drawnRange = range;
    const spacer = (rows: number) => {
      const tr = el("tr", "xyz-v-spacer");
      tr.style.height = `${rows * ROW_HEIGHT}px`;
      tr.append(el("td"));
      return tr;
    };
    const drawn = this.rows.slice(first, last).map((cell) => this.row(cell));
    this.body.replaceChildren(spacer(first), ...drawn, spacer(this.rows.length - last));
  }

  private row(cell: CellView): HTMLTableRowElement {
    const file = this.ex.files[cell.index];
    const tr = el("tr", "xyz-v-table-row");
    tr.dataset.at = String(cell.index);
    tr.dataset.index = String(cellNumber(this.ex, cell));
    tr.dataset.status = file?.status ?? "missing";
    const thumb = el("td", "xyz-v-table-thumb");
    if (file?.thumb) {
      const img = el("img");
      img.loading = "lazy";
      img.decoding = "async";
      img.alt = "";
      img.src = file.thumb;
      thumb.append(img);
    }
    tr.append(thumb, ...this.columns.map((column) => el("td", "", column.text(cell))));
    const pin = this.state ? pinOf(this.ex.view, this.state, cell) : -1;
    if (pin >= 0) tr.dataset.pin = thumb.dataset.pin = PIN_NAMES[pin]!;  // the thumbnail's corner says which
    if (cell.error) tr.title = cell.error;  // a failed cell's error on hover, as text
    if (cell === this.best) {
      tr.dataset.best = "";
      tr.title = `best ${this.ex.view.search!.objective}`;
    }
    return tr;
  }

  /** The cells in the table's order (what the overlay's arrows step through). */
  get shownCells(): CellView[] {
    return this.rows;
  }
}
