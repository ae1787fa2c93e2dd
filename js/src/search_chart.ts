// The search's chart (issue 20), in the explorer (node panel, sidebar) and the standalone viewer: the
// objective's value for each cell in the order run (a dot; a failed cell or one without a value a cross on the
// axis), the best so far as a step line, the best cell's value and values, and "run N of budget B". An SVG
// drawn by hand (no library); every text is set as text. A click on a done cell's dot picks that cell.
import type { CellView, ExperimentView } from "./experiment_view";
import { formatMetric } from "./format";
import { element } from "./dom";
import { bestCell, cellValues, chartGeometry, searchHistory, searchText, type RunPoint } from "./search_model";

const SVG = "http://www.w3.org/2000/svg";
const LEFT = 48;  // px for the value labels left of the plot
const PAD = 6;

/** The chart's and the best tile's styles (the editor's stylesheet and the viewer's page add them). */
export const SEARCH_CSS = `
.xyz-objective[hidden] { display: none; }
.xyz-objective { display: flex; flex: none; flex-direction: column; gap: 2px; font-variant-numeric: tabular-nums; }
.xyz-objective-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.xyz-objective-title { font-weight: 600; }
.xyz-objective-progress, .xyz-objective-best { opacity: .85; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.xyz-objective-svg { display: block; width: 100%; overflow: visible; }
.xyz-objective-axis { stroke: currentColor; stroke-opacity: .35; stroke-width: 1; fill: none; }
.xyz-objective-label { fill: currentColor; fill-opacity: .7; font-size: 10px; }
.xyz-objective-step { stroke: #e3b341; stroke-width: 2; fill: none; }
.xyz-objective-point { fill: #4a90e2; fill-opacity: .9; }
.xyz-objective-point[data-done] { cursor: pointer; }
.xyz-objective-point.xyz-objective-top { fill: #e3b341; stroke: #fff; stroke-width: 1; }
.xyz-objective-failed { stroke: #e5534b; stroke-width: 2; }
`;

export class SearchChart {
  readonly root = element("div", "xyz-objective");
  private readonly title = element("span", "xyz-objective-title");
  private readonly progress = element("span", "xyz-objective-progress");
  private readonly svg = document.createElementNS(SVG, "svg");
  private readonly best = element("div", "xyz-objective-best");
  private view: ExperimentView | null = null;
  private width = 0;

  /** `pick`: a done cell's dot was clicked; `height`: the plot's height in px. */
  constructor(private readonly pick: (cell: CellView, run: CellView[]) => void, private readonly height = 84) {
    const head = element("div", "xyz-objective-head");
    head.append(this.title, this.progress);
    this.svg.classList.add("xyz-objective-svg");
    this.svg.setAttribute("height", String(height));
    this.svg.setAttribute("role", "img");
    this.root.append(head, this.svg, this.best);
    this.root.hidden = true;
    this.svg.addEventListener("click", (e) => {
      const dot = (e.target as Element).closest?.("[data-done]") as SVGElement | null;
      const cell = dot && this.view ? this.view.cells[Number(dot.dataset.index)] : undefined;
      if (!cell || !this.view?.search) return;
      e.stopPropagation();
      const run = searchHistory(this.view.cells, this.view.search.objective, this.view.search.goal)
        .map((p) => p.cell).filter((c) => c.status === "done");
      this.pick(cell, run);
    });
    // the width is the box's: drawn again when it changes (a node resized, the sidebar dragged wider)
    this.resized.observe(this.svg);
  }

  private readonly resized = new ResizeObserver(() => {
    const width = this.svg.clientWidth;
    if (width > 0 && width !== this.width && this.view) this.render(this.view);
  });

  destroy(): void {
    this.resized.disconnect();
  }

  /** Draw `view`'s search (hidden for a sweep or a dry run). */
  render(view: ExperimentView | null): void {
    this.view = view;
    const search = view?.search;
    this.root.hidden = !view || !search || view.dryRun;
    if (!view || !search || view.dryRun) return;
    const history = searchHistory(view.cells, search.objective, search.goal);
    const text = searchText(view, search, history);
    this.title.textContent = text.title;
    this.progress.textContent = text.progress;
    this.best.textContent = text.best;
    this.best.title = text.best;
    this.width = this.svg.clientWidth || 320;  // not laid out yet (hidden): a panel's width
    const budget = Math.min(search.budget || view.cells.length, view.cells.length);
    this.draw(view, history, budget, bestCell(view.cells, search.objective, search.goal));
  }

  private draw(view: ExperimentView, history: RunPoint[], budget: number, best: CellView | null): void {
    const g = chartGeometry(history, budget, { width: this.width, height: this.height, left: LEFT, pad: PAD });
    const { plot } = g;
    this.svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
    const nodes: SVGElement[] = [
      svg("path", { class: "xyz-objective-axis", d: `M${plot.left} ${plot.top} V${plot.bottom} H${plot.right}` }),
      ...g.labels.map((l) => label(plot.left - 4, l.y + 3, formatMetric(l.value))),
    ];
    if (g.step) nodes.push(svg("path", { class: "xyz-objective-step", d: g.step }));
    g.points.forEach(({ x, y, failed, point }, k) => {
      const about = `#${k + 1} ${point.cell.status}: ${formatMetric(point.value)} at ${cellValues(view, point.cell)}`;
      let dot: SVGElement;
      if (failed) {
        dot = svg("path", { class: "xyz-objective-failed", d: `M${x - 3} ${y - 3} l6 6 m0 -6 l-6 6` });
      } else {
        dot = svg("circle", { class: "xyz-objective-point", cx: String(x), cy: String(y), r: "3" });
        dot.dataset.done = "";
        if (point.cell === best) {
          dot.classList.add("xyz-objective-top");
          dot.setAttribute("r", "4.5");
        }
      }
      dot.dataset.index = String(point.cell.index);
      const title = document.createElementNS(SVG, "title");
      title.textContent = about;
      dot.append(title);
      nodes.push(dot);
    });
    this.svg.replaceChildren(...nodes);
  }
}

function svg(name: string, attributes: Record<string, string>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** A value label at the plot's left edge, right-aligned. */
function label(x: number, y: number, text: string): SVGElement {
  const node = svg("text", { class: "xyz-objective-label", x: String(x), y: String(y), "text-anchor": "end" });
  node.textContent = text;
  return node;
}
