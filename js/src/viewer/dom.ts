// Making elements for the viewer: every text goes in as text (textContent), never as markup.
import { element } from "../dom";

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "",
                                                         text?: string): HTMLElementTagNameMap[K] {
  return element(tag, className, text);
}
