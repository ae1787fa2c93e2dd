// The viewer's controls: the axis across and the one down (and a swap of the two), grid or table, a
// chip per value of every axis to toggle it off and on (and to drag, or move with alt+arrow, to reorder
// the axis's values: the explorer's own ChipReorder), tile size, heat map, and a slider per other axis
// (its keys and the wheel over it step it). State changes go through the explorer's own pure
// functions (src/explorer/state.ts); every label goes in as text.
import { ChipReorder } from "../explorer/controls";
import { activeSlider, axisOf, moveSlider, moveValue, pivotColumns, pivotRows, shiftValue, shownValues, sliderAxes,
         stepSlider, swapAxes, toggleValue, valueOrder, type ExplorerState } from "../explorer/state";
import { ZOOM, type Experiment, type ViewState } from "./view_model";
import { element as el } from "../dom";

const NO_ROWS = "none";

function option(value: string, label: string): HTMLOptionElement {
  const o = el("option", "", label);
  o.value = value;
  return o;
}

interface SliderRow {
  root: HTMLElement;
  input: HTMLInputElement;
  value: HTMLElement;
  shown: number[];
}

export class ViewerControls {
  readonly bar = el("div", "xyz-v-controls");
  readonly values = el("div", "xyz-v-values");
  readonly sliders = el("div", "xyz-v-sliders");
  private readonly columns = el("select");
  private readonly rows = el("select");
  private readonly swap = el("button", "xyz-v-swap", "Swap ⇄");
  private readonly mode = el("button", "xyz-v-mode", "Table");
  private readonly valuesButton = el("button", "xyz-v-values-button", "Values ▾");
  private readonly zoom = el("input");
  private readonly heat = el("select");
  private readonly sliderRows = new Map<string, SliderRow>();
  private readonly pivot: HTMLElement[] = [];  // what only the grid has: the pickers and the swap
  private state: ViewState | null = null;
  private readonly reorder: ChipReorder;

  constructor(private readonly ex: Experiment, private readonly apply: (next: ExplorerState) => void) {
    const { view, data } = ex;
    const label = (text: string, control: HTMLElement) => {
      const wrap = el("label", "xyz-v-control", text + " ");
      wrap.append(control);
      return wrap;
    };
    this.columns.dataset.role = "columns";
    this.rows.dataset.role = "rows";
    const options = () => view.axes.map((a) => option(a.slot, a.title || a.slot.toUpperCase()));
    this.columns.append(...options());
    this.rows.append(option(NO_ROWS, "(one row)"), ...options());
    this.columns.addEventListener("change", () => this.change((s) => pivotColumns(view, s, this.columns.value)));
    this.rows.addEventListener("change", () => this.change((s) =>
      pivotRows(view, s, this.rows.value === NO_ROWS ? null : this.rows.value)));
    this.swap.addEventListener("click", () => this.change((s) => swapAxes(view, s)));
    this.mode.addEventListener("click", () => this.change((s) => ({ ...s,
                                                                     mode: s.mode === "table" ? "grid" : "table" })));
    this.valuesButton.addEventListener("click", () => {
      this.values.hidden = !this.values.hidden;
      this.valuesButton.setAttribute("aria-expanded", String(!this.values.hidden));
    });
    for (const b of [this.swap, this.mode, this.valuesButton]) b.type = "button";
    this.valuesButton.title = "Toggle values of any axis off and on";
    this.valuesButton.setAttribute("aria-expanded", "false");
    Object.assign(this.zoom, { type: "range", min: String(ZOOM.min), max: String(ZOOM.max) });
    this.zoom.dataset.role = "zoom";
    this.zoom.addEventListener("input", () => this.change((s) => ({ ...s, zoom: Number(this.zoom.value) })));
    this.pivot.push(label("Columns", this.columns), label("Rows", this.rows), this.swap);
    this.bar.append(...this.pivot, this.mode, this.valuesButton, label("Zoom", this.zoom));
    if (data.metrics.length) {
      this.heat.dataset.role = "heatmap";
      this.heat.append(option("", "(none)"), ...data.metrics.map((m) => option(m.name, `${m.name} (${m.goal})`)));
      this.heat.addEventListener("change", () => this.change((s) => ({ ...s, heat: this.heat.value || null })));
      this.bar.append(label("Heatmap", this.heat));
    }
    this.values.hidden = true;
    this.values.append(...view.axes.map((axis) => {
      const row = el("div", "xyz-v-values-axis");
      row.dataset.slot = axis.slot;
      row.append(el("span", "xyz-v-values-title", axis.title || axis.slot.toUpperCase()));
      axis.labels.forEach((text, i) => {
        const chip = el("button", "xyz-v-value", text);
        chip.type = "button";
        chip.dataset.slot = axis.slot;
        chip.dataset.value = String(i);
        chip.title = `${axis.title}: ${text} (click to hide or show; drag, or alt+←/→, to move)`;
        row.append(chip);
      });
      return row;
    }));
    this.reorder = new ChipReorder(this.values, "xyz-v-value",
      (slot, value, to) => this.change((s) => moveValue(view, s, slot, value, to)),
      (slot, value, step) => this.change((s) => shiftValue(view, s, slot, value, step)));
    this.values.addEventListener("click", (e) => {
      const chip = (e.target as HTMLElement).closest?.(".xyz-v-value") as HTMLElement | null;
      if (this.reorder.endsDrag() || !chip) return;
      this.change((s) => toggleValue(view, s, chip.dataset.slot!, Number(chip.dataset.value)));
    });
    // the wheel over a slider steps it (and makes it the one the arrow keys step)
    this.sliders.addEventListener("wheel", (e) => {
      const slot = ((e.target as HTMLElement).closest?.(".xyz-v-slider") as HTMLElement | null)?.dataset.slot;
      if (!slot || e.deltaY === 0) return;
      e.preventDefault();
      this.change((s) => stepSlider(view, s, slot, e.deltaY > 0 ? 1 : -1));
    }, { passive: false });
  }

  /** The explorer's functions return its own fields only: the viewer merges them over its state. */
  private change(next: (state: ViewState) => ExplorerState): void {
    if (this.state) this.apply(next(this.state));
  }

  render(state: ViewState): void {
    this.state = state;
    const grid = state.mode === "grid", table = state.mode === "table";  // compare: neither pivot nor sliders
    this.columns.value = state.columns;
    this.rows.value = state.rows ?? NO_ROWS;
    this.swap.disabled = state.rows === null;
    for (const control of this.pivot) control.hidden = !grid;
    this.mode.textContent = table ? "Grid" : "Table";
    this.mode.title = table ? "Back to the grid" : "One row per cell, sortable and filterable";
    this.mode.setAttribute("aria-pressed", String(table));
    this.zoom.value = String(state.zoom);
    this.heat.value = state.heat ?? "";
    ChipReorder.order(this.values, "xyz-v-values-axis", "xyz-v-value", (slot) => {
      const axis = axisOf(this.ex.view, slot);
      return axis ? valueOrder(state, axis) : [];
    });
    for (const chip of this.values.querySelectorAll<HTMLElement>(".xyz-v-value")) {
      const off = (state.hidden[chip.dataset.slot!] ?? []).includes(Number(chip.dataset.value));
      chip.setAttribute("aria-pressed", String(!off));
      chip.classList.toggle("xyz-v-off", off);
    }
    this.renderSliders(state);
    this.sliders.hidden = !grid;
  }

  private renderSliders(state: ViewState): void {
    const { view } = this.ex;
    const axes = sliderAxes(view, state);
    if (axes.map((a) => a.slot).join() !== [...this.sliderRows.keys()].join()) {
      this.sliderRows.clear();
      this.sliders.replaceChildren(...axes.map((axis) => {
        const row = this.sliderRow(axis.slot, axis.title || axis.slot.toUpperCase());
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
      row.input.max = String(Math.max(0, row.shown.length - 1));
      row.input.value = String(position);
      row.input.disabled = row.shown.length < 2;
      row.value.textContent = axis.labels[value] ?? "";
      row.root.classList.toggle("xyz-v-active", axes.length > 1 && axis.slot === active);
    }
  }

  /** A slider's row; its range runs over the values shown, so values toggled off are no stops. */
  private sliderRow(slot: string, title: string): SliderRow {
    const root = el("label", "xyz-v-slider");
    root.dataset.slot = slot;
    const input = el("input");
    Object.assign(input, { type: "range", min: "0", step: "1" });
    input.setAttribute("aria-label", `${title} value`);
    const value = el("span", "xyz-v-slider-value");
    const row: SliderRow = { root, input, value, shown: [] };
    input.addEventListener("input", () => this.change((s) =>
      moveSlider(this.ex.view, s, slot, row.shown[Number(input.value)] ?? 0)));
    input.addEventListener("focus", () => this.change((s) => (s.active === slot ? s : { ...s, active: slot })));
    root.append(el("span", "xyz-v-slider-title", title), input, value);
    return row;
  }
}
