// The explorer's grid: one plane of labels and tiles per slice seen. Slices are built on first view and
// then only hidden and shown, so a slider step back to a slice seen touches one attribute and reloads no
// image. Tiles of pinned cells carry their pin's name (data-pin). Every label is set as text.
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
  tiles: Map<number, Tile>;  // by cell index
}

const PLANES_KEPT = 32;

export class Planes {
  readonly grid = element("div", "xyz-grid");
  private planes = new Map<string, Plane>();
  private shown: Plane | null = null;
  private tileSize = 96;
  private marked: HTMLElement[] = [];
  private bestMarked: HTMLElement[] = [];

  /** The slice shown (null before any). */
  get slice(): Slice | null {
    return this.shown?.slice ?? null;
  }

  /** Drop every slice built (another experiment, or a fresh copy of this one). */
  reset(): void {
    this.planes.clear();
    this.shown = null;
    this.marked = [];
    this.bestMarked = [];
    this.grid.replaceChildren();
  }

  /** Show the slice of the state, built on first view; the one shown before is hidden. */
  show(view: ExperimentView, state: ExplorerState): void {
    const key = sliceKey(view, state);
    let plane = this.planes.get(key);
    if (!plane) {
      plane = this.build(view, state, key);
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
        this.paint(view, t, cell);
      }
    });
    this.grid.append(root);
    return { root, slice: s, tiles };
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

/** An axis label: wraps between words only (a number is never cut in two); one long word
 * ends in an ellipsis instead; the whole text is the hover title. */
function label(className: string, text: string): HTMLDivElement {
  const node = element("div", className, text);
  node.title = text;
  if (!/\s/.test(text.trim())) node.classList.add("xyz-one-word");
  return node;
}
