// The viewer's whole view state in the URL hash, so a link opens the same view (pure; unit-tested in
// test/view_model_url.test.ts). Readable keys for what the viewer shows:
//   #cols=z&rows=x&at=y:1,axis4:0&off=x:1.2;z:0&order=x:2.0.1&mode=table&sort=-metric:score&q=euler&active=y
//   &zoom=192&heat=score&pins=x:0,y:1,z:0;x:2,y:1,z:0&compare=wipe&pair=3
// (`order`: each axis's value indices in the order shown; `pins`: the two pinned, a cell as its value on every
// axis, a slice as its values but on its columns and rows axes, then /columns/rows: `z:0/x/y;z:1/x/y`), and
// any further field the explorer's state has as key=JSON, read back through the explorer's own readState().
// A hash of the former viewer (cols=<axis number>&rows=<number|none>&at=<value per axis>&zoom=&heat=) still
// opens its view, and so does an `order` or `pins` written as JSON (as the viewer wrote the order before).
import type { Pin } from "../explorer/compare";
import { initialState, readState } from "../explorer/state";
import { settle, ZOOM, type Experiment, type ViewState } from "./view_model";

/** The fields written under their own keys; every other field of the state goes as JSON. */
const OWN = new Set(["experiment", "columns", "rows", "at", "hidden", "mode", "sort", "filter", "active", "zoom",
                     "heat", "order", "pins", "compare", "pair"]);
const enc = encodeURIComponent;

export function initialView(ex: Experiment): ViewState {
  const axes = ex.view.axes;
  return settle(ex, { ...initialState(), experiment: ex.view.id, columns: axes[0]!.slot, rows: axes[1]?.slot ?? null,
                      zoom: ZOOM.initial, heat: null });
}

export function toHash(state: ViewState): string {
  const parts = [`cols=${enc(state.columns)}`, `rows=${state.rows === null ? "none" : enc(state.rows)}`];
  const at = Object.entries(state.at).map(([slot, v]) => `${enc(slot)}:${v}`);
  if (at.length) parts.push(`at=${at.join(",")}`);
  const off = Object.entries(state.hidden).filter(([, v]) => v.length)
    .map(([slot, v]) => `${enc(slot)}:${v.join(".")}`);
  if (off.length) parts.push(`off=${off.join(";")}`);
  const order = Object.entries(state.order).map(([slot, v]) => `${enc(slot)}:${v.join(".")}`);
  if (order.length) parts.push(`order=${order.join(";")}`);
  if (state.mode !== "grid") parts.push(`mode=${enc(state.mode)}`);
  if (state.sort) parts.push(`sort=${state.sort.descending ? "-" : ""}${enc(state.sort.key)}`);
  if (state.filter) parts.push(`q=${enc(state.filter)}`);
  if (state.active !== null) parts.push(`active=${enc(state.active)}`);
  parts.push(`zoom=${state.zoom}`);
  if (state.heat !== null) parts.push(`heat=${enc(state.heat)}`);
  if (state.pins.length) parts.push(`pins=${state.pins.map(pinText).join(";")}`);
  if (state.compare !== "side") parts.push(`compare=${enc(state.compare)}`);
  if (state.pair > 0) parts.push(`pair=${state.pair}`);
  const blank = initialState() as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(state)) {
    if (OWN.has(key) || !(key in blank) || value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(blank[key])) continue;  // as a fresh state has it: no need
    parts.push(`${enc(key)}=${enc(JSON.stringify(value))}`);
  }
  return "#" + parts.join("&");
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const isNumber = (text: string) => /^\d+$/.test(text);

/** The view a hash names, made valid for the experiment (anything unusable is dropped or repaired). */
export function fromHash(ex: Experiment, hash: string): ViewState {
  const axes = ex.view.axes;
  const start = initialView(ex);
  const raw: Record<string, unknown> = { ...start, at: {}, hidden: {} };
  const slotOf = (text: string) => (isNumber(text) ? axes[Number(text)]?.slot ?? "" : decode(text) ?? "");
  const blank = initialState() as unknown as Record<string, unknown>;
  let zoom: number = start.zoom, heat: string | null = null;
  for (const part of hash.replace(/^#/, "").split("&")) {
    const cut = part.indexOf("=");
    if (cut < 0) continue;
    const key = part.slice(0, cut), value = part.slice(cut + 1);
    if (key === "cols") raw.columns = slotOf(value);
    else if (key === "rows") raw.rows = value === "none" ? null : slotOf(value);
    else if (key === "at") raw.at = readAt(value, axes.map((a) => a.slot));
    else if (key === "off") raw.hidden = readOff(value);
    else if (key === "order") raw.order = isJson(value) ? json(decode(value)) : readOff(value);
    else if (key === "pins") raw.pins = isJson(value) ? json(decode(value)) : readPinsText(value);
    else if (key === "compare") raw.compare = decode(value);
    else if (key === "pair") raw.pair = /^\d+$/.test(value) ? Number(value) : 0;
    else if (key === "mode") raw.mode = decode(value);
    else if (key === "sort") {
      const descending = value.startsWith("-");
      const sortKey = decode(descending ? value.slice(1) : value);
      if (sortKey) raw.sort = { key: sortKey, descending };
    } else if (key === "q") raw.filter = decode(value) ?? "";
    else if (key === "active") raw.active = decode(value);
    else if (key === "zoom") zoom = value === "" ? NaN : Number(value);
    else if (key === "heat") heat = decode(value);
    else if (!OWN.has(key) && key in blank) raw[key] = json(decode(value));
  }
  // the explorer reads its own fields (those it knows, in the types it wants); the viewer's two ride along
  return settle(ex, { ...start, ...readState(raw), experiment: ex.view.id, zoom, heat });
}

/** A value written as JSON (an object or a list), as the viewer wrote its further fields. */
const isJson = (value: string) => /^(%5B|%7B|\[|\{)/i.test(value);

/** A pin as text: `slot:v,...` (a cell), with `/columns/rows` after it for a slice (no rows: empty). */
function pinText(pin: Pin): string {
  const at = Object.entries(pin.at).map(([slot, v]) => `${enc(slot)}:${v}`).join(",");
  return pin.columns === null ? at : `${at}/${enc(pin.columns)}/${pin.rows === null ? "" : enc(pin.rows)}`;
}

/** Pins from their text (settle() drops any the experiment does not have). */
function readPinsText(text: string): Pin[] {
  return text.split(";").filter((item) => item !== "").map((item) => {
    const [at = "", columns, rows] = item.split("/");
    const slice = columns !== undefined;
    return { at: readAt(at, []), columns: slice ? decode(columns) : null,
             rows: slice && rows ? decode(rows) : null };
  });
}

function json(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `y:1,axis4:0` (by slot), or the former viewer's `0,1,1` (a value per axis, in the axes' order). */
function readAt(text: string, slots: string[]): Record<string, number> {
  const at: Record<string, number> = {};
  text.split(",").forEach((item, k) => {
    const cut = item.lastIndexOf(":");
    const slot = cut < 0 ? slots[k] : decode(item.slice(0, cut));
    const value = Number(cut < 0 ? item : item.slice(cut + 1));
    if (slot && item !== "" && Number.isInteger(value)) at[slot] = value;
  });
  return at;
}

/** `x:1.2;z:0`: the value indices toggled off, by slot. */
function readOff(text: string): Record<string, number[]> {
  const off: Record<string, number[]> = {};
  for (const item of text.split(";")) {
    const cut = item.lastIndexOf(":");
    const slot = cut < 0 ? null : decode(item.slice(0, cut));
    if (!slot) continue;
    off[slot] = item.slice(cut + 1).split(".").filter((v) => v !== "").map(Number).filter(Number.isInteger);
  }
  return off;
}
