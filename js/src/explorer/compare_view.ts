// The explorer's compare view: the two pinned cells (or, for two pinned slices, one tile position of
// each, stepped through) side by side, wiped one over the other (a divider dragged, or a range input
// and its keys), or their per-pixel difference amplified on a canvas with its figures in words. The
// pins' labels on every axis are shown as text. The images are the cells' own files: in the editor the
// pack's file route (same origin, so the canvas may read their pixels); in the standalone viewer the
// export's files, whose pixels a page opened from disk may not read (then the difference says so).
import type { ExperimentView } from "../experiment_view";
import { element } from "../dom";
import { PIN_NAMES, clearPins, comparePairs, describeDifference, difference, pinLines, slicePin, swapPins,
         togglePin } from "./compare";
import { followPointer } from "./controls";
import { axisOf, shownValues, type CompareView, type ExplorerState } from "./state";

/** Why there is no difference when the browser will not let the page read the images' pixels: Chromium and
 * Firefox treat each file of a page opened from disk (file://) as an origin of its own. */
export const UNREADABLE = "This browser does not let a page opened from disk read its images' pixels, so the "
  + "difference cannot be computed here (side by side and wipe work). To see it, serve the export's folder over "
  + "http, e.g. run `python3 -m http.server` in it and open http://localhost:8000/ (the same link's # part keeps "
  + "this view).";

const VIEWS: [CompareView, string][] = [["side", "Side by side"], ["wipe", "Wipe"], ["difference", "Difference"]];

export class ComparePanel {
  /** for the explorer's button row: pin the slice shown, and open the compare view */
  readonly pinSliceButton = button("xyz-pin-slice", "Pin slice");
  readonly compareButton = button("xyz-compare-button", "Compare");
  readonly root = element("div", "xyz-compare");
  private readonly viewButtons = new Map<CompareView, HTMLButtonElement>();
  private readonly pairText = element("span", "xyz-compare-where");
  private readonly pairBar = element("div", "xyz-compare-pairs");
  private readonly previous = button("xyz-compare-previous", "◀");
  private readonly next = button("xyz-compare-next", "▶");
  private readonly labels = [element("div", "xyz-compare-label"), element("div", "xyz-compare-label")];
  private readonly images = [element("img", "xyz-compare-image"), element("img", "xyz-compare-image")];
  private readonly side = element("div", "xyz-compare-side");
  private readonly wipe = element("div", "xyz-wipe");
  private readonly wipeImages = [element("img", "xyz-wipe-a"), element("img", "xyz-wipe-b")];
  private readonly divider = element("div", "xyz-wipe-divider");
  private readonly wipeInput = element("input", "xyz-wipe-input");
  private readonly canvas = element("canvas", "xyz-difference");
  private readonly figure = element("div", "xyz-compare-figure");
  private readonly differenceBox = element("div", "xyz-difference-box");
  private view: ExperimentView | null = null;
  private state: ExplorerState | null = null;
  private drawn = "";  // the pair whose difference the canvas holds (or is being computed)

  /** `url`: where a cell's file is (the editor: the pack's file route; the viewer: the export's relative path;
   * given, not imported, so the viewer's bundle has none of the editor's routes). */
  constructor(private readonly apply: (next: ExplorerState) => void,
              private readonly url: (view: ExperimentView, file: string) => string) {
    const tools = element("div", "xyz-compare-tools");
    for (const [kind, text] of VIEWS) {
      const b = button(`xyz-show-${kind}`, text);
      b.addEventListener("click", () => this.change((s) => ({ ...s, compare: kind })));
      this.viewButtons.set(kind, b);
      tools.append(b);
    }
    const swap = button("xyz-compare-swap", "⇄ Swap A/B"), clear = button("xyz-compare-clear", "Clear pins");
    swap.addEventListener("click", () => this.change(swapPins));
    clear.addEventListener("click", () => this.change((s) => ({ ...clearPins(s), mode: "grid" })));
    tools.append(swap, clear);
    this.previous.addEventListener("click", () => this.change((s) => ({ ...s, pair: Math.max(0, s.pair - 1) })));
    this.next.addEventListener("click", () => this.change((s) => ({ ...s, pair: s.pair + 1 })));
    this.previous.setAttribute("aria-label", "Previous tile");
    this.next.setAttribute("aria-label", "Next tile");
    this.pairBar.append(this.previous, this.pairText, this.next);
    const labels = element("div", "xyz-compare-labels");
    labels.append(...this.labels);
    this.images.forEach((img, k) => {
      const half = element("figure", "xyz-compare-half");
      half.append(img, element("figcaption", "", PIN_NAMES[k]));
      this.side.append(half);
    });
    this.wipeInput.type = "range";
    this.wipeInput.min = "0";
    this.wipeInput.max = "100";
    this.wipeInput.value = "50";
    this.wipeInput.setAttribute("aria-label", "Wipe: how much of A shows (left of the divider), B on the right");
    this.wipeInput.addEventListener("input", () => this.setWipe(Number(this.wipeInput.value)));
    this.wipe.append(this.wipeImages[1]!, this.wipeImages[0]!, this.divider);
    this.wipe.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();  // no text selection while dragging
      this.wipeTo(e);
      followPointer(e, (m) => this.wipeTo(m), () => undefined);
    });
    const wipeBox = element("div", "xyz-wipe-box");
    wipeBox.append(this.wipe, this.wipeInput);
    this.canvas.hidden = true;  // until a difference is drawn: no blank canvas
    this.differenceBox.append(this.canvas, this.figure);
    const stage = element("div", "xyz-compare-stage");
    stage.append(this.side, wipeBox, this.differenceBox);
    this.root.append(tools, this.pairBar, labels, stage);
    this.pinSliceButton.title = "Pin the slice shown (two slices pinned compare tile by tile); shift+click a tile "
      + "or its pin button pins one cell";
    this.pinSliceButton.addEventListener("click", () => this.change((s) => togglePin(s, slicePin(this.view!, s))));
    this.compareButton.addEventListener("click", () => this.change((s) => ({ ...s, mode: s.mode === "compare" ? "grid"
      : "compare" })));
    for (const b of [this.root, this.pinSliceButton, this.compareButton]) {
      b.addEventListener("click", (e) => e.stopPropagation());  // not a click on the canvas
    }
    this.setWipe(50);
  }

  private change(next: (state: ExplorerState) => ExplorerState): void {
    if (this.view && this.state) this.apply(next(this.state));
  }

  render(view: ExperimentView | null, state: ExplorerState | null): void {
    this.view = view;
    this.state = state;
    const pins = state?.pins ?? [];
    const slices = pins.length > 0 && pins[0]!.columns !== null;
    this.pinSliceButton.hidden = !view || state?.mode === "table";
    this.pinSliceButton.classList.toggle("xyz-on", slices);
    // in the table too once a cell is pinned there (shift+click on a row): two pins compare from either view
    this.compareButton.hidden = !view || !pins.length || (state?.mode === "table" && slices);
    this.compareButton.disabled = pins.length < 2;
    this.compareButton.textContent = state?.mode === "compare" ? "Back to grid"
      : `Compare ${slices ? "slices" : "cells"} (${pins.length}/2)`;
    this.compareButton.title = pins.length < 2 ? "Pin one more cell or slice to compare" : "The two pinned, compared";
    this.root.hidden = !view || !state || state.mode !== "compare";
    if (!view || !state || state.mode !== "compare") return;
    const pairs = comparePairs(view, state, (slot) => shownValues(state, axisOf(view, slot)!));
    const at = Math.min(state.pair, pairs.length - 1);
    const pair = pairs[at]!;
    this.pairBar.hidden = pairs.length < 2;
    this.pairText.textContent = `tile ${at + 1} of ${pairs.length}: ${pair.where}`;
    this.previous.disabled = at === 0;
    this.next.disabled = at === pairs.length - 1;
    pins.forEach((pin, k) => {
      this.labels[k]!.replaceChildren(element("div", "xyz-compare-pin", PIN_NAMES[k]),
                                      ...pinLines(view, pin).map((line) => element("div", "", line)));
    });
    for (const [kind, b] of this.viewButtons) {
      b.classList.toggle("xyz-on", kind === state.compare);
      b.setAttribute("aria-pressed", String(kind === state.compare));
    }
    const cells = [pair.a, pair.b];
    const urls = cells.map((c) => (c.status === "done" && c.files.length ? this.url(view, c.files[0]!) : ""));
    [...this.images, ...this.wipeImages].forEach((img, k) => {
      const url = urls[k % 2]!;
      img.alt = url ? "" : `${PIN_NAMES[k % 2]}: ${cells[k % 2]!.status}`;
      if (img.getAttribute("src") !== url) {
        if (url) img.src = url;
        else img.removeAttribute("src");
      }
    });
    this.side.hidden = state.compare !== "side";
    this.wipe.parentElement!.hidden = state.compare !== "wipe";
    this.differenceBox.hidden = state.compare !== "difference";
    if (state.compare === "difference") void this.drawDifference(urls[0]!, urls[1]!);
  }

  private wipeTo(event: PointerEvent): void {
    const box = this.wipe.getBoundingClientRect();
    if (box.width > 0) this.setWipe(Math.round((100 * (event.clientX - box.left)) / box.width));
  }

  /** The divider at `percent` of the width: A shows on its left, B on its right. */
  private setWipe(percent: number): void {
    const p = Math.max(0, Math.min(100, percent));
    this.wipeInput.value = String(p);
    this.wipeImages[0]!.style.clipPath = `inset(0 ${100 - p}% 0 0)`;
    this.divider.style.left = `${p}%`;
    this.wipe.dataset.wipe = String(p);
  }

  /** The two images' difference on the canvas (B drawn at A's size), and its figures in words. */
  private async drawDifference(a: string, b: string): Promise<void> {
    const key = `${a}|${b}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.figure.textContent = "computing the difference…";
    delete this.figure.dataset.mean;
    delete this.figure.dataset.error;
    if (!a || !b) {
      this.figure.textContent = "both cells must be finished to compare their pixels";
      return;
    }
    try {
      const [ia, ib] = await Promise.all([decoded(a), decoded(b)]);
      if (this.drawn !== key) return;  // another pair meanwhile
      const width = ia.naturalWidth, height = ia.naturalHeight;
      const pixels = (img: HTMLImageElement) => {
        const c = element("canvas", "");
        c.width = width;
        c.height = height;
        const g = c.getContext("2d", { willReadFrequently: true })!;
        g.drawImage(img, 0, 0, width, height);
        return g.getImageData(0, 0, width, height).data;
      };
      const d = difference(pixels(ia), pixels(ib));
      this.canvas.width = width;
      this.canvas.height = height;
      this.canvas.getContext("2d")!.putImageData(new ImageData(d.pixels, width, height), 0, 0);
      const sizes = ib.naturalWidth !== width || ib.naturalHeight !== height
        ? ` · B is ${ib.naturalWidth}×${ib.naturalHeight}, drawn at A's ${width}×${height}` : "";
      this.figure.textContent = describeDifference(d) + sizes;
      this.figure.dataset.mean = d.mean.toFixed(4);
      this.canvas.hidden = false;
    } catch (error) {
      if (this.drawn !== key) return;
      this.canvas.hidden = true;  // no stale or blank difference under the message
      this.figure.textContent = (error as Error)?.name === "SecurityError" ? UNREADABLE
        : `could not read the images: ${String(error)}`;
      this.figure.dataset.error = (error as Error)?.name ?? "Error";
    }
  }
}

function button(className: string, text: string): HTMLButtonElement {
  const b = element("button", `xyz-button ${className}`, text);
  b.type = "button";
  return b;
}

async function decoded(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}
