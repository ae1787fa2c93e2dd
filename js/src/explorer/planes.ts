// The explorer's grid: one plane of labels and tiles per slice seen. Slices are built on first view and
// then only hidden and shown, so a slider step back to a slice seen touches one attribute and reloads no
// image. A big slice (100 x 100 values: 10,000 tiles) gets its tiles row by row as the rows come in sight
// (the panel's scroll box, the canvas's pan and zoom): every label is laid out at once, a row not built yet
// is one placeholder of the row's size, so the scroll bars span the whole slice and a pivot or a step shows
// only what was built. A slice not shown keeps its layout (styles.ts). Tiles of pinned cells carry their
// pin's name (data-pin). Every label is set as text.
import type { CellView, ExperimentView } from "../experiment_view";
import { fitGrid, thumbnailSize } from "../layout";
import { thumbnailURL } from "../routes";
import { element } from "../dom";
import { PIN_NAMES, cellAt } from "./compare";
import { bestCell, notRun } from "../search_model";
import { slice, sliceKey, type Slice } from "./model";
import type { ExplorerState } from "./state";

interface Tile {
  root: HTMLDivElement;
  image: HTMLImageElement;
  caption: HTMLDivElement;
}

interface Plane {
  root: HTMLDivElement;
  slice: Slice;
  tiles: Map<number, Tile>;  // by cell index, those built
  rowsDue: IntersectionObserver | null;  // builds a row not built yet when its placeholder nears the view
}

const PLANES_KEPT = 32;
const EAGER_TILES = 1500;  // tiles built with the plane; a bigger slice builds its other rows as they near the view
const ROWS_AHEAD = "300px";  // how far outside the window a row is built (inside a scroll box: once in its view)
export class Planes {
  readonly grid = element("div", "xyz-grid");
  private planes = new Map<string, Plane>();
  private shown: Plane | null = null;
  private tileSize = 96;
  private marked: HTMLElement[] = [];
  private bestMarked: HTMLElement[] = [];
  private view: ExperimentView | null = null;  // the last shown: a row built later paints its cells from it
  private state: ExplorerState | null = null;

  /** The slice shown (null before any). */
  get slice(): Slice | null {
    return this.shown?.slice ?? null;
  }

  /** Drop every slice built (another experiment, or a fresh copy of this one). */
  reset(): void {
    for (const plane of this.planes.values()) discard(plane);
    this.planes.clear();
    this.shown = null;
    this.marked = [];
    this.bestMarked = [];
  }

  /** Show the slice of the state, built on first view; the one shown before is hidden. */
  show(view: ExperimentView, state: ExplorerState): void {
    this.view = view;
    this.state = state;
    const key = sliceKey(view, state);
    let plane = this.planes.get(key);
    if (!plane) {
      plane = this.build(view, state, key);
      if (this.planes.size >= PLANES_KEPT) {
        const [oldest, old] = this.planes.entries().next().value!;
        discard(old);
        this.planes.delete(oldest);
      }
      this.planes.set(key, plane);
    }
    if (this.shown && this.shown !== plane) this.shown.root.hidden = true;
    plane.root.hidden = false;
    this.shown = plane;
    this.grid.style.setProperty("--xyz-columns", String(plane.slice.columns.length));
    this.markPins(view, state);
    this.markBest(view);
  }

  /** Outline a search's best cell so far (the done cell with the best objective value) in every slice kept. */
  markBest(view: ExperimentView): void {
    const best = view.search && !view.dryRun ? bestCell(view.cells, view.search.objective, view.search.goal) : null;
    const tiles = best ? [...this.planes.values()].map((p) => p.tiles.get(best.index)?.root)
      .filter((t): t is HTMLDivElement => !!t) : [];
    if (tiles.length === this.bestMarked.length && tiles.every((t, k) => t === this.bestMarked[k])) return;
    for (const tile of this.bestMarked) delete tile.dataset.best;
    for (const tile of tiles) tile.dataset.best = "";
    this.bestMarked = tiles;
  }

  /** Name the tiles of the pinned cells (A, B) in every slice kept. */
  markPins(view: ExperimentView, state: ExplorerState): void {
    for (const tile of this.marked) delete tile.dataset.pin;
    this.marked = [];
    state.pins.forEach((pin, k) => {
      if (pin.columns !== null) return;  // a slice pin marks no tile
      const index = cellAt(view, pin.at).index;
      for (const plane of this.planes.values()) {
        const tile = plane.tiles.get(index)?.root;
        if (tile) {
          tile.dataset.pin = PIN_NAMES[k]!;
          this.marked.push(tile);
        }
      }
    });
  }

  /** One cell changed: redraw its tile wherever a slice kept shows it. */
  updateCell(view: ExperimentView, cell: CellView): void {
    this.view = view;
    for (const plane of this.planes.values()) {
      const tile = plane.tiles.get(cell.index);
      if (tile) this.paint(view, tile, cell);
    }
    this.markBest(view);
  }

  private build(view: ExperimentView, state: ExplorerState, key: string): Plane {
    const s = slice(view, state);
    const { across, down } = s;
    const root = element("div", "xyz-plane");
    root.dataset.key = key;
    root.style.setProperty("--xyz-columns", String(s.columns.length));
    const corner = element("div", "xyz-corner");
    corner.title = down ? `${down.title} \\ ${across.title}` : across.title;
    corner.append(element("span", "xyz-corner-text", corner.title));
    root.append(corner);
    for (const c of s.columns) root.append(label("xyz-col-label", across.labels[c] ?? ""));
    const plane: Plane = { root, slice: s, tiles: new Map(), rowsDue: null };
    const eagerRows = s.cells.length * s.columns.length <= EAGER_TILES ? s.cells.length
      : Math.max(1, Math.ceil(EAGER_TILES / Math.max(1, s.columns.length)));
    const due = new Map<Element, number>();  // a placeholder -> its row
    s.cells.forEach((_row, r) => {
      root.append(label("xyz-row-label", down?.labels[s.rows[r]!] ?? ""));
      if (r < eagerRows) {
        root.append(...this.rowTiles(view, plane, r));
      } else {
        const placeholder = element("div", "xyz-row-due");
        root.append(placeholder);
        due.set(placeholder, r);
      }
    });
    if (due.size) {
      plane.rowsDue = new IntersectionObserver((entries) => {
        let built = false;
        for (const entry of entries) {
          const r = due.get(entry.target);
          if (!entry.isIntersecting || r === undefined || !this.view) continue;
          due.delete(entry.target);
          plane.rowsDue?.unobserve(entry.target);
          entry.target.replaceWith(...this.rowTiles(this.view, plane, r));
          built = true;
        }
        if (!due.size) plane.rowsDue?.disconnect();
        if (built && this.view && this.state) {  // its tiles may be pinned or the best
          this.markPins(this.view, this.state);
          this.markBest(this.view);
        }
      }, { rootMargin: ROWS_AHEAD });  // the window: the panel's own box scrolls on the classic canvas, but a
      // Vue node grows to its content, and the canvas's pan and zoom are what bring its rows in sight there
      for (const placeholder of due.keys()) plane.rowsDue.observe(placeholder);
    }
    this.grid.append(root);
    return plane;
  }

  /** The tiles of row `r` of the plane's slice, painted and recorded in the plane. */
  private rowTiles(view: ExperimentView, plane: Plane, r: number): HTMLDivElement[] {
    return plane.slice.cells[r]!.map((cell) => {
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
      const t = { root: tile, image, caption };
      plane.tiles.set(cell.index, t);
      this.paint(view, t, view.cells[cell.index] ?? cell);
      return tile;
    });
  }

  private repaint(view: ExperimentView): void {
    for (const plane of this.planes.values()) {
      for (const [index, tile] of plane.tiles) this.paint(view, tile, view.cells[index]!);
    }
  }

  private paint(view: ExperimentView, tile: Tile, cell: CellView): void {
    tile.root.dataset.status = cell.status;
    // a cell the search has not run: an empty tile (a dry run's planned cells keep their placeholder)
    if (notRun(view, cell)) tile.root.dataset.notRun = "";
    else delete tile.root.dataset.notRun;
    if (cell.status === "done" && cell.files.length) {
      const src = thumbnailURL(view.id, cell.files[0]!, thumbnailSize(this.tileSize, window.devicePixelRatio));
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

  /** Size the tiles to fill `box` (the grid box's own CSS size). */
  layout(view: ExperimentView, box: { width: number; height: number }): void {
    const plane = this.shown;
    if (!plane || box.width < 2) return;  // collapsed or not on screen yet: keep the last size
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
      if (grew) this.repaint(view);  // a bigger tile may want a bigger thumbnail
    }
  }
}

/** Take a plane off the page, with the observer that would build its rows. */
function discard(plane: Plane): void {
  plane.rowsDue?.disconnect();
  plane.root.remove();
}

/** An axis label: wraps between words only (a number is never cut in two); one long word
 * ends in an ellipsis instead; the whole text is the hover title. */
function label(className: string, text: string): HTMLDivElement {
  const node = element("div", className, text);
  node.title = text;
  if (!/\s/.test(text.trim())) node.classList.add("xyz-one-word");
  return node;
}
