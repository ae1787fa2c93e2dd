// A cell at full size over the page, opened by a click on its tile or table row; the arrow
// keys step through the finished cells of what it was opened from (the slice or the table),
// Escape closes it.
import { describeCell, type CellView, type ExperimentView } from "./experiment_view";
import { fileURL } from "./routes";
import { element } from "./dom";

/** A cell at full size over the page; arrows step through `cells()`'s finished ones. */
export class Overlay {
  private readonly root = element("div", "xyz-overlay");
  private readonly image = element("img", "xyz-overlay-image");
  private readonly caption = element("div", "xyz-overlay-caption");
  private readonly onKey = (e: KeyboardEvent) => this.key(e);

  constructor(private readonly view: ExperimentView, private cell: CellView, private readonly cells: () => CellView[],
              private readonly closed: () => void) {
    this.root.tabIndex = -1;
    const close = element("button", "xyz-overlay-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => this.close());
    this.root.addEventListener("click", (e) => {
      if (e.target === this.root) this.close();
    });
    this.root.append(this.image, this.caption, close);
    document.body.append(this.root);
    document.addEventListener("keydown", this.onKey, true);
    this.refresh();
    this.root.focus();
  }

  refresh(): void {
    const file = this.cell.files[0];
    if (file) {
      const src = fileURL(this.view.id, file);
      if (this.image.getAttribute("src") !== src) this.image.src = src;
    }
    this.caption.replaceChildren(...describeCell(this.view, this.cell).map((line) => element("div", "", line)));
  }

  private finishedCells(): CellView[] {
    return this.cells().filter((c) => c.status === "done" && c.files.length);
  }

  private key(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      this.close();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const cells = this.finishedCells();
      const at = cells.indexOf(this.cell);
      const next = cells[(at + (event.key === "ArrowRight" ? 1 : cells.length - 1)) % cells.length];
      if (next) {
        this.cell = next;
        this.refresh();
      }
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  close(): void {
    document.removeEventListener("keydown", this.onKey, true);
    this.root.remove();
    this.closed();
  }
}
