// The explorer's controls: grid or table, the axis across and the one down (and a swap of the
// two), a slider per other axis, and a chip per value of every axis to toggle it off and on.
// They show a state and hand every change to `apply`; all text goes in as text.
import type { ExperimentView } from "../experiment_view";
import { element } from "../dom";
import { activeSlider, explorerAxes, moveSlider, pivotColumns, pivotRows, shownValues, sliderAxes, swapAxes,
         toggleValue, type ExplorerState } from "./state";

const NO_ROWS = "";  // the rows picker's "one row"

interface SliderRow {
  root: HTMLDivElement;
  label: HTMLSpanElement;
  input: HTMLInputElement;
  shown: number[];
}

export class ExplorerControls {
  /** the pickers and buttons, for the panel's button row */
  readonly pickers = element("span", "xyz-pickers");
  readonly modeButton = element("button", "xyz-button xyz-mode", "Table");
  readonly swapButton = element("button", "xyz-button xyz-swap", "⇄ Swap");
  readonly valuesButton = element("button", "xyz-button xyz-values-button", "Values ▾");
  /** the value chips, shown by the Values button */
  readonly values = element("div", "xyz-values");
  /** a row per slider */
  readonly sliders = element("div", "xyz-sliders");
  private readonly columns = element("select", "xyz-columns");
  private readonly rows = element("select", "xyz-rows");
  private readonly sliderRows = new Map<string, SliderRow>();
  private view: ExperimentView | null = null;
  private state: ExplorerState | null = null;
  private built = "";  // the experiment and axes the pickers and chips were built for

  constructor(private readonly apply: (next: ExplorerState) => void) {
    for (const b of [this.modeButton, this.swapButton, this.valuesButton]) b.type = "button";
    this.columns.setAttribute("aria-label", "Axis across the columns");
    this.rows.setAttribute("aria-label", "Axis down the rows");
    this.columns.title = "The axis across the columns";
    this.rows.title = "The axis down the rows";
    this.swapButton.title = "Swap the columns and rows axes (the files stay as they are)";
    this.valuesButton.title = "Toggle values of any axis off and on";
    this.pickers.append(element("span", "xyz-picker-label", "Columns"), this.columns,
                        element("span", "xyz-picker-label", "Rows"), this.rows);
    this.values.hidden = true;
    this.valuesButton.setAttribute("aria-expanded", "false");
    this.modeButton.addEventListener("click", () => this.change((_, s) => ({ ...s, mode: s.mode === "grid" ? "table" : "grid" })));
    this.swapButton.addEventListener("click", () => this.change(swapAxes));
    this.valuesButton.addEventListener("click", () => {
      this.values.hidden = !this.values.hidden;
      this.valuesButton.setAttribute("aria-expanded", String(!this.values.hidden));
    });
    this.columns.addEventListener("change", () => this.change((v, s) => pivotColumns(v, s, this.columns.value)));
    this.rows.addEventListener("change", () => this.change((v, s) =>
      pivotRows(v, s, this.rows.value === NO_ROWS ? null : this.rows.value)));
    this.values.addEventListener("click", (e) => {
      const chip = (e.target as HTMLElement).closest?.(".xyz-value") as HTMLElement | null;
      if (chip) this.change((v, s) => toggleValue(v, s, chip.dataset.slot!, Number(chip.dataset.value)));
    });
    for (const control of [this.pickers, this.modeButton, this.swapButton, this.valuesButton, this.values]) {
      control.addEventListener("click", (e) => e.stopPropagation());  // not a click on the canvas
    }
  }

  private change(next: (view: ExperimentView, state: ExplorerState) => ExplorerState): void {
    if (this.view && this.state) this.apply(next(this.view, this.state));
  }

  render(view: ExperimentView | null, state: ExplorerState | null): void {
    this.view = view;
    this.state = state;
    if (!view || !state) {
      this.sliders.replaceChildren();
      this.sliderRows.clear();
      this.built = "";
      return;
    }
    const axes = explorerAxes(view);
    const built = JSON.stringify([view.id, axes.map((a) => [a.slot, a.title, a.labels])]);
    if (built !== this.built) this.build(view);
    this.built = built;
    const grid = state.mode === "grid";
    this.modeButton.textContent = grid ? "Table" : "Grid";
    this.modeButton.title = grid ? "One row per cell, sortable and filterable" : "Back to the grid";
    this.modeButton.classList.toggle("xyz-on", !grid);
    this.pickers.hidden = !grid || axes.length < 2;
    this.swapButton.hidden = !grid || state.rows === null;
    this.swapButton.setAttribute("aria-pressed", String(state.columns !== axes[0]!.slot));
    this.swapButton.classList.toggle("xyz-on", state.columns !== axes[0]!.slot);
    this.columns.value = state.columns;
    this.rows.value = state.rows ?? NO_ROWS;
    for (const chip of this.values.querySelectorAll<HTMLButtonElement>(".xyz-value")) {
      const off = (state.hidden[chip.dataset.slot!] ?? []).includes(Number(chip.dataset.value));
      chip.setAttribute("aria-pressed", String(!off));
      chip.classList.toggle("xyz-off", off);
    }
    this.renderSliders(view, state);
    this.sliders.hidden = !grid;
  }

  /** The pickers' options and the value chips of an experiment's axes. */
  private build(view: ExperimentView): void {
    const axes = explorerAxes(view);
    const option = (value: string, text: string) => {
      const o = element("option", "", text);
      o.value = value;
      return o;
    };
    this.columns.replaceChildren(...axes.map((a) => option(a.slot, a.title || a.slot)));
    this.rows.replaceChildren(option(NO_ROWS, "(one row)"), ...axes.map((a) => option(a.slot, a.title || a.slot)));
    this.values.replaceChildren(...axes.map((axis) => {
      const row = element("div", "xyz-values-axis");
      row.dataset.slot = axis.slot;
      row.append(element("span", "xyz-values-title", axis.title || axis.slot));
      axis.labels.forEach((label, i) => {
        const chip = element("button", "xyz-button xyz-value", label);
        chip.type = "button";
        chip.dataset.slot = axis.slot;
        chip.dataset.value = String(i);
        chip.title = `${axis.title}: ${label} (click to hide or show)`;
        row.append(chip);
      });
      return row;
    }));
  }

  private renderSliders(view: ExperimentView, state: ExplorerState): void {
    const axes = sliderAxes(view, state).filter((a) => a.labels.length > 1);
    const slots = axes.map((a) => a.slot);
    if (slots.join() !== [...this.sliderRows.keys()].join()) {
      this.sliderRows.clear();
      this.sliders.replaceChildren(...axes.map((axis) => {
        const row = this.sliderRow(axis.slot, axis.title);
        this.sliderRows.set(axis.slot, row);
        return row.root;
      }));
    }
    const active = activeSlider(view, state)?.slot;
    for (const axis of axes) {
      const row = this.sliderRows.get(axis.slot)!;
      row.shown = shownValues(state, axis);
      const value = state.at[axis.slot] ?? 0;
      const position = Math.max(0, row.shown.indexOf(value));
      row.input.max = String(row.shown.length - 1);
      row.input.value = String(position);
      row.input.disabled = row.shown.length < 2;
      row.label.textContent = `${axis.title}: ${axis.labels[value] ?? ""}  (${position + 1}/${row.shown.length})`;
      row.root.classList.toggle("xyz-active", axes.length > 1 && axis.slot === active);
    }
  }

  /** A slider's row; its range runs over the values shown, so values toggled off are no stops. */
  private sliderRow(slot: string, title: string): SliderRow {
    // the class names of the former Z row: the first slider of a three-axis experiment is Z's
    const root = element("div", "xyz-z xyz-slider");
    root.dataset.slot = slot;
    const label = element("span", "xyz-z-label");
    const input = element("input", "xyz-z-slider");
    input.type = "range";
    input.min = "0";
    input.step = "1";
    input.setAttribute("aria-label", `${title || slot} value`);
    const row: SliderRow = { root, label, input, shown: [] };
    input.addEventListener("input", () => this.change((v, s) =>
      moveSlider(v, s, slot, row.shown[Number(input.value)] ?? 0)));
    input.addEventListener("focus", () => this.change((_, s) => (s.active === slot ? s : { ...s, active: slot })));
    root.append(label, input);
    return row;
  }
}
