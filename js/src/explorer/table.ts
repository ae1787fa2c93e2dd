// The explorer's table: one row per cell (its thumbnail, index, a column per axis, status, time,
// each metric), sorted by a click on a heading and filtered by the words typed. Every text is set
// as text. At most ROWS_DRAWN rows are drawn; the count line says how many match.
import type { CellView, ExperimentView } from "../experiment_view";
import { thumbnailURL } from "../routes";
import { element } from "../dom";
import { nextSort, tableColumns, tableRows } from "./model";
import type { ExplorerState } from "./state";

const ROWS_DRAWN = 500;
const THUMB = 64;  // px asked of the server for a 40 px thumbnail

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
    this.body.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest?.("tr") as HTMLElement | null;
      const cell = row ? this.view?.cells[Number(row.dataset.index)] : undefined;
      if (cell && cell.status === "done") {
        e.stopPropagation();
        this.open(cell);
      }
    });
    this.table.append(this.head, this.body);
    const scroller = element("div", "xyz-table-scroll");
    scroller.append(this.table);
    const tools = element("div", "xyz-table-tools");
    tools.append(this.filter, this.count);
    this.root.append(tools, scroller);
  }

  /** The cells in the table's order (what the overlay's arrows step through). */
  get shownCells(): CellView[] {
    return this.rows.slice(0, ROWS_DRAWN);
  }

  render(view: ExperimentView, state: ExplorerState): void {
    this.view = view;
    this.state = state;
    if (this.filter.value !== state.filter) this.filter.value = state.filter;
    const columns = tableColumns(view);
    const headings = element("tr", "");
    headings.append(element("th", "xyz-table-thumb"));
    for (const column of columns) {
      const th = element("th", "");
      const sorted = state.sort?.key === column.key ? state.sort : null;
      th.setAttribute("aria-sort", sorted ? (sorted.descending ? "descending" : "ascending") : "none");
      const button = element("button", "xyz-sort", column.title + (sorted ? (sorted.descending ? " ▼" : " ▲") : ""));
      button.type = "button";
      button.dataset.key = column.key;
      button.title = `Sort by ${column.title}`;
      th.append(button);
      headings.append(th);
    }
    this.head.replaceChildren(headings);
    this.rows = tableRows(view, state);
    const drawn = this.rows.slice(0, ROWS_DRAWN);
    this.body.replaceChildren(...drawn.map((cell) => {
      const tr = element("tr", "xyz-table-row");
      tr.dataset.index = String(cell.index);
      tr.dataset.status = cell.status;
      const thumb = element("td", "xyz-table-thumb");
      if (cell.status === "done" && cell.files.length) {
        const img = element("img", "");
        img.loading = "lazy";
        img.alt = "";
        img.src = thumbnailURL(view.id, cell.files[0]!, THUMB);
        thumb.append(img);
      }
      tr.append(thumb, ...columns.map((column) => element("td", "", column.text(cell))));
      if (cell.error) tr.title = cell.error;  // a failed cell's error on hover, as text
      return tr;
    }));
    const total = view.cells.length;
    this.count.textContent = this.rows.length > drawn.length
      ? `${drawn.length} of ${this.rows.length} matching cells shown (of ${total}): filter to narrow`
      : `${this.rows.length} of ${total} cells`;
  }
}
