// Making elements: every text goes in as text (textContent), never as markup.

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = "",
                                                              text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A table's heading row: an empty cell over the thumbnails, then a sort button per column, the
 * sorted one marked ▲ or ▼ (and in aria-sort). The explorer's and the viewer's tables alike. */
export function sortHeadings(columns: readonly { key: string; title: string }[],
                             sort: { key: string; descending: boolean } | null,
                             classes: { thumb: string; sort: string }): HTMLTableRowElement {
  const headings = element("tr");
  headings.append(element("th", classes.thumb));
  for (const column of columns) {
    const th = element("th");
    const sorted = sort?.key === column.key ? sort : null;
    th.setAttribute("aria-sort", sorted ? (sorted.descending ? "descending" : "ascending") : "none");
    const button = element("button", classes.sort, column.title + (sorted ? (sorted.descending ? " ▼" : " ▲") : ""));
    button.type = "button";
    button.dataset.key = column.key;
    button.title = `Sort by ${column.title}`;
    th.append(button);
    headings.append(th);
  }
  return headings;
}
