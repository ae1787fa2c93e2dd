// One row of the sidebar's list: thumbnail, name (renamed in place), when it was made and
// its disk use, its shape, status and progress, and its actions. Every text goes in as text.
import { thumbnailURL, type ExperimentRow, type LifecycleAction } from "./routes";
import { element } from "./dom";
import { formatBytes, formatFullDate, formatWhen } from "./format";

export interface RowActions {
  pick(row: ExperimentRow): void;
  act(id: string, action: LifecycleAction): void;
  /** save a new name; resolves false when it was refused (the field stays open) */
  rename(row: ExperimentRow, name: string): Promise<boolean>;
  remove(row: ExperimentRow): void;
  /** a name is being edited: the list must not be rebuilt under the user's typing */
  editing(on: boolean): void;
}

function iconButton(className: string, icon: string, label: string): HTMLButtonElement {
  const b = element("button", `xyz-button xyz-icon-button ${className}`);
  b.type = "button";
  b.title = label;
  b.setAttribute("aria-label", label);
  b.append(element("i", `pi ${icon}`));
  return b;
}

export function experimentRow(row: ExperimentRow, selected: boolean, actions: RowActions): HTMLElement {
  const item = element("div", "xyz-row");
  item.dataset.id = row.id;
  item.dataset.status = row.status;
  item.dataset.created = String(row.created);
  item.classList.toggle("xyz-selected", selected);
  const thumb = element("div", "xyz-row-thumb");
  if (row.cover) {
    const img = element("img", "");
    img.loading = "lazy";
    img.alt = "";
    img.src = thumbnailURL(row.id, row.cover, 128);
    thumb.append(img);
  }
  const text = element("div", "xyz-row-text");
  const name = element("div", "xyz-row-name", row.name);
  name.title = `${row.name}\n${row.id} (double-click to rename)`;
  const when = element("span", "xyz-row-when", formatWhen(row.created));
  when.title = formatFullDate(row.created);
  const disk = element("span", "xyz-row-disk", formatBytes(row.disk_bytes));
  disk.title = `${row.disk_bytes.toLocaleString()} bytes on disk`;
  const facts = element("div", "xyz-row-facts");
  facts.append(when, " · ", disk);
  text.append(name, facts, element("div", "xyz-row-meta", rowMeta(row)));

  const buttons = element("div", "xyz-row-buttons");
  const add = (label: string, action: LifecycleAction, shown: boolean) => {
    if (!shown) return;
    const b = element("button", `xyz-button xyz-${action}`, label);
    b.type = "button";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      actions.act(row.id, action);
    });
    buttons.append(b);
  };
  add("Cancel", "cancel", row.status === "running");
  add("Resume", "resume", row.status === "interrupted" || row.status === "cancelled");
  add("Retry failed", "retry", (row.counts["failed"] ?? 0) > 0 && row.status !== "running");
  const rename = iconButton("xyz-rename", "pi-pencil", "Rename");
  const remove = iconButton("xyz-delete", "pi-trash", "Delete");
  if (row.status === "running") {
    remove.disabled = true;  // the server refuses too (409): this only says so before the click
    remove.title = "Delete: cancel it first, or wait for it to finish";
  }
  rename.addEventListener("click", (e) => {
    e.stopPropagation();
    editName(name, row, actions);
  });
  remove.addEventListener("click", (e) => {
    e.stopPropagation();
    actions.remove(row);
  });
  name.addEventListener("dblclick", (e) => {
    e.stopPropagation();
    editName(name, row, actions);
  });
  const tools = element("div", "xyz-row-tools");  // one narrow column, so the texts keep their width
  tools.append(rename, remove);
  item.append(thumb, text, buttons, tools);
  item.addEventListener("click", () => actions.pick(row));
  return item;
}

/** Edit the name in place: Enter or leaving the field saves, Escape puts the old name back. */
function editName(name: HTMLElement, row: ExperimentRow, actions: RowActions): void {
  if (name.querySelector("input")) return;
  const input = element("input", "xyz-rename-input");
  input.type = "text";
  input.value = row.name;
  input.maxLength = 200;
  input.setAttribute("aria-label", "Experiment name");
  let settled = false;
  const close = (shown: string) => {
    settled = true;
    name.textContent = shown;
    actions.editing(false);
  };
  const save = async () => {
    if (settled) return;
    const wanted = input.value.trim();
    if (!wanted || wanted === row.name) return close(row.name);
    input.disabled = true;
    if (await actions.rename(row, wanted)) {
      row.name = wanted;
      close(wanted);
    } else {
      input.disabled = false;
      input.focus();
    }
  };
  input.addEventListener("keydown", (e) => {
    e.stopPropagation();  // the editor's own shortcuts (Delete, Ctrl+Z ...) are not for this field
    if (e.key === "Enter") {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close(row.name);
    }
  });
  input.addEventListener("blur", () => {
    if (!input.disabled) void save();
  });
  for (const type of ["click", "dblclick", "pointerdown"]) input.addEventListener(type, (e) => e.stopPropagation());
  actions.editing(true);
  name.replaceChildren(input);
  input.focus();
  input.select();
}

/** Its shape (values per axis, every axis), status and progress: a sweep's cells done of all of them, a
 * search's of its budget (it runs at most that many of the cells; the rest stay empty by design). */
export function rowMeta(row: ExperimentRow): string {
  const done = row.counts["done"] ?? 0, failed = row.counts["failed"] ?? 0;
  const shape = row.shape ? Object.values(row.shape).join(" × ") : "?";
  const progress = row.search_budget === null
    ? `${done}/${row.total} done`
    : `search · ${done}/${Math.min(row.search_budget, row.total)} run of ${row.total}`;
  return `${shape} · ${row.status} · ${progress}${failed ? ` · ${failed} failed` : ""}`;
}
