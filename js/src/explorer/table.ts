// The explorer's table: one row per cell (its thumbnail, index, a column per axis, status, time,
// each metric), sorted by a click on a heading and filtered by the words typed; a shift+click on a row pins
// its cell for compare (its row then says A or B), as on a tile. Every text is set
// as text. Only the rows in sight (and a few either side) are drawn: spacers above and below the
// table stand in for the others, so 10,000 cells cost what 30 do, whatever the scroll.
import type { CellView, ExperimentView } from "../experiment_view";
import { thumbnailURL } from "../routes";
import { element, sortHeadings } from "../dom";
import { nextSort, tableColumns, tableRows, type TableColumn } from "./model";
import { bestCell } from "../search_model";
import { PIN_NAMES, cellPin, pinOf, togglePin } from "./compare";
import type { ExplorerState } from "./state";

const THUMB = 64;  // px asked of the server for a 40 px thumbnail
const ROW_PITCH = 43;  // px: a row with its 40 px thumbnail, until one drawn row has been measured
const OVERSCAN = 8;  // rows drawn beyond each edge of the view, so a scroll shows drawn rows at once

export class ExplorerTable {
  readonly root = element("div", "xyz-table-box");
  private readonly filter = element("input", "xyz-filter");
  private readonly count = element("div", "xyz-table-count");
  private readonly table = element("table", "xyz-table");
  private readonly head = element("thead", "");
  private readonly body = element("tbody", "");
  private view: ExperimentView | null = null;
  private state: ExplorerState | null = null;
  private rows: CellView[] = [];
  private columns: TableColumn[] = [];
  private best: CellView | null = null;  // a search's best cell so far: its row is marked
  private readonly scroller = element("div", "xyz-table-scroll");
  private readonly above = element("div", "xyz-table-spacer");
  private readonly below = element("div", "xyz-table-spacer");
  private pitch = ROW_PITCH;
  private measured = false;  // the pitch is a drawn row's height
  private drawn = "";  // the rows drawn, as "first:last" of this.rows ("" after a render: draw again)
  private scrollDue: number | null = null;

  constructor(private readonly apply: (next: ExplorerState) => void, private readonly open: (cell: CellView) => void) {
    this.filter.type = "search";
    this.filter.placeholder = "Filter: words of labels, status, errors";
    this.filter.setAttribute("aria-label", "Filter the cells");
    this.filter.addEventListener("input", () => {
      if (this.state) this.apply({ ...this.state, filter: this.filter.value });
    });
    // typing is for the filter, not for the editor's shortcuts or the explorer's arrow keys
    this.filter.addEventListener("keydown", (e) => e.stopPropagation());
    this.head.addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest?.(".xyz-sort") as HTMLElement | null;
      if (!button || !this.state) return;
      e.stopPropagation();
      this.apply({ ...this.state, sort: nextSort(this.state, button.dataset.key!) });
    });
    this.body.addEventListener("mousedown", (e) => {
      if (e.shiftKey) e.preventDefault();  // a shift+click pins: it would select the table's text otherwise
    });
    this.body.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest?.("tr") as HTMLElement | null;
      const cell = row ? this.view?.cells[Number(row.dataset.index)] : undefined;
      if (cell && e.shiftKey && this.view && this.state) {  // pinned for compare, as a shift+click on a tile
        e.stopPropagation();
        this.apply(togglePin(this.state, cellPin(this.view, cell)));
        return;
      }
      if (cell && cell.status === "done") {
        e.stopPropagation();
        this.open(cell);
      }
    });
    this.table.append(this.head, this.body);
    this.scroller.append(this.above, this.table, this.below);
    // the browser's scroll anchoring would move the scroll as the spacers change, which redraws
    // the rows, which changes the spacers...: the spacers already keep every row where it was
    this.scroller.style.overflowAnchor = "none";
    this.scroller.addEventListener("scroll", () => {
      this.scrollDue ??= requestAnimationFrame(() => {
        this.scrollDue = null;
        this.drawRows();
      });
    }, { passive: true });
    new ResizeObserver(() => this.drawRows()).observe(this.scroller);
    const tools = element("div", "xyz-table-tools");
    tools.append(this.filter, this.count);
    this.root.append(tools, this.scroller);
  }

  /** The cells in the table's order (what the overlay's arrows step through). */
  get shownCells(): CellView[] {
    return this.rows;
  }

  render(view: ExperimentView, state: ExplorerState): void {
    this.view = view;
    this.state = state;
    if (this.filter.value !== state.filter) this.filter.value = state.filter;
    const columns = tableColumns(view);
    const headings = sortHeadings(columns, state.sort, { thumb: "xyz-table-thumb", sort: "xyz-sort" });
    this.head.replaceChildren(headings);
    this.columns = columns;
    this.rows = tableRows(view, state);
    this.best = view.search && !view.dryRun ? bestCell(view.cells, view.search.objective, view.search.goal) : null;
    this.drawn = "";
    this.drawRows();
    const total = view.cells.length;
    this.count.textContent = `${this.rows.length} of ${total} cells`;
  }

  /** Draw the rows in sight: those the scroll position and the box's height cover, and OVERSCAN more
   * either side. Every row is as tall as the first one measured (one line of text beside a thumbnail). */
  private drawRows(): void {
    const view = this.view;
    if (!view) return;
    const height = this.scroller.clientHeight || 480;  // not laid out yet (a hidden table): a screenful
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.pitch) - OVERSCAN);
    const last = Math.min(this.rows.length, first + Math.ceil(height / this.pitch) + 2 * OVERSCAN);
    const range = `${first}:${last}`;
    if (range === this.drawn) return;
    this.drawn = range;
    // the spacers first: rows replaced beside stale spacers would shorten the content for a moment,
    // and the browser would pull the scroll back to fit it
    this.above.style.height = `${first * this.pitch}px`;
    this.below.style.height = `${(this.rows.length - last) * this.pitch}px`;
    this.body.replaceChildren(...this.rows.slice(first, last).map((cell) => this.row(view, cell)));
    if (!this.measured && this.body.firstElementChild) {
      // offsetHeight: layout pixels, as scrollTop counts them (the canvas may scale the panel)
      const height = (this.body.firstElementChild as HTMLElement).offsetHeight;
      if (height > 0) {
        this.measured = true;
        if (height !== this.pitch) {
          this.pitch = height;
          this.drawn = "";
          this.drawRows();
        }
      }
    }
  }

  private row(view: ExperimentView, cell: CellView): HTMLTableRowElement {
    const tr = element("tr", "xyz-table-row");
    tr.dataset.index = String(cell.index);
    tr.dataset.status = cell.status;
    tr.style.height = `${ROW_PITCH}px`;  // every row alike, with or without a thumbnail: the spacers count on it
    const thumb = element("td", "xyz-table-thumb");
    if (cell.status === "done" && cell.files.length) {
      const img = element("img", "");
      img.loading = "lazy";
      img.alt = "";
      img.src = thumbnailURL(view.id, cell.files[0]!, THUMB);
      thumb.append(img);
    }
    tr.append(thumb, ...this.columns.map((column) => element("td", "", column.text(cell))));
    const pin = this.state ? pinOf(view, this.state, cell) : -1;
    if (pin >= 0) tr.dataset.pin = thumb.dataset.pin = PIN_NAMES[pin]!;  // the thumbnail's corner says which
    if (cell.error) tr.title = cell.error;  // a failed cell's error on hover, as text
    if (cell === this.best) {
      tr.dataset.best = "";
      tr.title = `best ${view.search!.objective} so far`;
    }
    return tr;
  }
}
