// Making elements: every text goes in as text (textContent), never as markup.

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string,
                                                              text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
