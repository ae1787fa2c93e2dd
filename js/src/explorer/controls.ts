// The explorer's controls: grid or table, the axis across and the one down (and a swap of the
// two), a slider per other axis, and a chip per value of every axis to toggle it off and on, dragged
// (pointer events: HTML5 drag and drop is unreliable over the editor's canvas) or moved with alt+arrow
// to reorder the axis's values. They show a state and hand every change to `apply`; all text goes in as text.
import type { ExperimentView } from "../experiment_view";
import { element } from "../dom";
import { activeSlider, axisOf, explorerAxes, moveSlider, moveValue, pivotColumns, pivotRows, shiftValue, shownValues,
         sliderAxes, swapAxes, toggleValue, valueOrder, type ExplorerState } from "./state";

const NO_ROWS = "";  // the rows picker's "one row"

/** A chip held down: where, and whether it has moved far enough to be a drag. */
interface ChipDrag {
  chip: HTMLElement;
  x: number;
  y: number;
  moved: boolean;
}

/** Follow a pressed pointer until it is released: its moves and its release are seen on the window in the
 * capture phase, so neither a stopped event nor a lost pointer capture hides them (in frontend 1.58's
 * classic canvas an element's capture ended after the first move, as the press also selects the node). */
export function followPointer(down: PointerEvent, move: (e: PointerEvent) => void,
                              end: (e: PointerEvent, cancelled: boolean) => void): void {
  const onMove = (e: PointerEvent) => {
    if (e.pointerId === down.pointerId) move(e);
  };
  const onEnd = (e: PointerEvent) => {
    if (e.pointerId !== down.pointerId) return;
    window.removeEventListener("pointermove", onMove, true);
    window.removeEventListener("pointerup", onEnd, true);
    window.removeEventListener("pointercancel", onEnd, true);
    end(e, e.type === "pointercancel");
  };
  window.addEventListener("pointermove", onMove, true);
  window.addEventListener("pointerup", onEnd, true);
  window.addEventListener("pointercancel", onEnd, true);
}

const DRAG_START = 5;  // px the pointer moves before a press on a chip is a drag, not a click

/** Value chips reordered: a chip (a `chipClass` element with data-slot and data-value, in a row of its axis's
 * chips) dragged to a place among the others, or moved a place by alt+arrow. The explorer's and the standalone
 * viewer's chips both; `move` and `shift` get the chip's slot and value index. */
export class ChipReorder {
  /** a drag just ended: the click that follows it is no toggle */
  private dragged = false;

  constructor(values: HTMLElement, private readonly chipClass: string,
              move: (slot: string, value: number, to: number) => void,
              shift: (slot: string, value: number, step: number) => void) {
    const chipOf = (e: Event) => (e.target as HTMLElement).closest?.(`.${chipClass}`) as HTMLElement | null;
    values.addEventListener("pointerdown", (e) => {
      const chip = chipOf(e);
      this.dragged = false;
      if (!chip || e.button !== 0) return;
      const drag: ChipDrag = { chip, x: e.clientX, y: e.clientY, moved: false };
      followPointer(e, (m) => {
        if (!drag.moved && Math.hypot(m.clientX - drag.x, m.clientY - drag.y) < DRAG_START) return;
        drag.moved = true;
        chip.classList.add("xyz-dragging");
        this.markDrop(chip, this.dropPlace(chip, m.clientX, m.clientY));
      }, (up, cancelled) => {
        chip.classList.remove("xyz-dragging");
        this.markDrop(chip, -1);
        if (!drag.moved || cancelled) return;
        this.dragged = true;
        move(chip.dataset.slot!, Number(chip.dataset.value), this.dropPlace(chip, up.clientX, up.clientY));
      });
    });
    values.addEventListener("keydown", (e) => {
      const chip = chipOf(e);
      if (!chip || !e.altKey || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
      e.preventDefault();
      e.stopPropagation();  // not a slider step
      shift(chip.dataset.slot!, Number(chip.dataset.value), e.key === "ArrowRight" ? 1 : -1);
      chip.focus();  // moved in the row, it keeps the focus for the next step
    });
  }

  /** Whether this click ends a drag (then it is no toggle); asked once per click. */
  endsDrag(): boolean {
    const dragged = this.dragged;
    this.dragged = false;
    return dragged;
  }

  /** The chips of each row put in their axis's order (`order(slot)`: value indices), where they are not yet. */
  static order(values: HTMLElement, rowClass: string, chipClass: string, order: (slot: string) => number[]): void {
    for (const row of values.querySelectorAll<HTMLElement>(`.${rowClass}`)) {
      const chips = [...row.querySelectorAll<HTMLElement>(`.${chipClass}`)];
      const wanted = order(row.dataset.slot!);
      if (wanted.length && chips.map((c) => c.dataset.value).join() !== wanted.join()) {
        row.append(...wanted.map((v) => chips.find((c) => c.dataset.value === String(v))!));
      }
    }
  }

  /** The other chips of `chip`'s axis in the order shown. */
  private siblings(chip: HTMLElement): HTMLElement[] {
    return [...chip.parentElement!.querySelectorAll<HTMLElement>(`.${this.chipClass}`)].filter((c) => c !== chip);
  }

  /** Where a chip dropped at (x, y) goes among the others of its axis: how many come before that point
   * (the chips wrap: one ends before it when on an earlier line, or on its line left of it). */
  private dropPlace(chip: HTMLElement, x: number, y: number): number {
    return this.siblings(chip).filter((c) => {
      const r = c.getBoundingClientRect();
      return r.bottom < y || (r.top <= y && r.left + r.width / 2 < x);
    }).length;
  }

  /** Show where a dragged chip would go (-1: nowhere). */
  private markDrop(chip: HTMLElement, place: number): void {
    this.siblings(chip).forEach((c, k, all) => {
      c.classList.toggle("xyz-drop-before", k === place);
      c.classList.toggle("xyz-drop-after", place === all.length && k === all.length - 1);
    });
  }
}

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
  private readonly reorder = new ChipReorder(this.values, "xyz-value",
    (slot, value, to) => this.change((v, s) => moveValue(v, s, slot, value, to)),
    (slot, value, step) => this.change((v, s) => shiftValue(v, s, slot, value, step)));

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
    this.modeButton.addEventListener("click", () => this.change((_, s) => ({ ...s,
                                                                             mode: s.mode === "table" ? "grid" : "table" })));
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
      if (this.reorder.endsDrag() || !chip) return;
      this.change((v, s) => toggleValue(v, s, chip.dataset.slot!, Number(chip.dataset.value)));
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
    const table = state.mode === "table";
    this.modeButton.textContent = table ? "Grid" : "Table";
    this.modeButton.title = table ? "Back to the grid" : "One row per cell, sortable and filterable";
    this.modeButton.classList.toggle("xyz-on", table);
    this.pickers.hidden = !grid || axes.length < 2;
    this.swapButton.hidden = !grid || state.rows === null;
    this.swapButton.setAttribute("aria-pressed", String(state.columns !== axes[0]!.slot));
    this.swapButton.classList.toggle("xyz-on", state.columns !== axes[0]!.slot);
    this.columns.value = state.columns;
    this.rows.value = state.rows ?? NO_ROWS;
    // a long title (an input inside subgraphs: "Sampler › Inner › KSampler · cfg") is cut in the
    // picker; its tooltip says it whole
    this.columns.title = `The axis across the columns: ${this.columns.selectedOptions[0]?.text ?? ""}`;
    this.rows.title = `The axis down the rows: ${this.rows.selectedOptions[0]?.text ?? ""}`;
    ChipReorder.order(this.values, "xyz-values-axis", "xyz-value", (slot) => {
      const axis = axisOf(view, slot);
      return axis ? valueOrder(state, axis) : [];
    });
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
        chip.title = `${axis.title}: ${label} (click to hide or show; drag, or alt+←/→, to move)`;
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
