// A tile's hover text. It lives on the page itself (document.body, fixed), not inside the
// panel: a long label or value is never clipped by the panel's edge or the canvas zoom,
// and it is kept inside the window (above the tile when there is no room below).
import { element } from "./dom";

const MARGIN = 4;

export class HoverText {
  readonly root = element("div", "xyz-tooltip");

  constructor() {
    this.root.hidden = true;
  }

  /** Show `lines` (as text) under the element `anchor`. */
  show(lines: string[], anchor: Element): void {
    if (!this.root.isConnected) document.body.append(this.root);
    this.root.replaceChildren(...lines.map((line) => element("div", "", line)));
    this.root.hidden = false;
    const at = anchor.getBoundingClientRect();
    const { width, height } = this.root.getBoundingClientRect();
    const left = Math.max(MARGIN, Math.min(at.left, window.innerWidth - width - MARGIN));
    let top = at.bottom + MARGIN;
    if (top + height > window.innerHeight - MARGIN) top = Math.max(MARGIN, at.top - height - MARGIN);
    this.root.style.left = `${left}px`;
    this.root.style.top = `${top}px`;
  }

  hide(): void {
    this.root.hidden = true;
  }

  destroy(): void {
    this.root.remove();
  }
}
