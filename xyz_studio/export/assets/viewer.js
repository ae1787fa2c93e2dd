// XYZ Plot Studio standalone viewer. Built from js/src/viewer by `npm run build` in js/: do not edit.
"use strict";
(() => {
  var __defProp = Object.defineProperty;
  var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
  var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

  // src/format.ts
  var TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  var DAY = { month: "short", day: "numeric" };
  var DAY_AND_YEAR = { ...DAY, year: "numeric" };
  var FULL = { ...DAY_AND_YEAR, ...TIME, second: "2-digit", weekday: "short" };
  var MISSING = "–";
  var UNKNOWN_TIME = "?";
  var SIGNIFICANT = 4;
  var EXPONENT_BELOW = -4;
  var WHOLE_FROM = 3;
  var EXPONENT_FROM = 6;
  function plain(digits, exponent) {
    const kept = digits.replace(/0+$/, "") || "0";
    if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + kept;
    const whole = kept.slice(0, exponent + 1).padEnd(exponent + 1, "0"), fraction = kept.slice(exponent + 1);
    return fraction ? `${whole}.${fraction}` : whole;
  }
  function formatMetric(value) {
    if (value === null || value === void 0 || !Number.isFinite(value)) return MISSING;
    if (value === 0) return "0";
    const sign = value < 0 ? "-" : "", size = Math.abs(value);
    const [mantissa = "0", power = "0"] = size.toExponential(SIGNIFICANT - 1).split("e");
    const exponent = Number(power), digits = mantissa.replace(".", "");
    if (exponent >= EXPONENT_BELOW && exponent < WHOLE_FROM) return sign + plain(digits, exponent);
    if (exponent >= WHOLE_FROM && size < 10 ** EXPONENT_FROM) {
      const whole = size.toFixed(0);
      if (whole.length <= EXPONENT_FROM) return sign + whole;
    }
    const kept = digits.replace(/0+$/, "") || "0";
    const shown = kept.length > 1 ? `${kept[0]}.${kept.slice(1)}` : kept;
    return `${sign}${shown}e${exponent >= 0 ? "+" : "-"}${Math.abs(exponent)}`;
  }
  function formatSeconds(seconds) {
    if (seconds === null || seconds === void 0 || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN_TIME;
    const tenths = seconds.toFixed(1);
    if (Number(tenths) < 10) return `${tenths} s`;
    const whole = Number(seconds.toFixed(0));
    if (whole < 60) return `${whole} s`;
    const h = Math.floor(whole / 3600), m = Math.floor(whole % 3600 / 60), s = whole % 60;
    const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  }
  function describeCell(facts) {
    const lines = facts.axes.map(([title, label]) => `${title}: ${label}`);
    lines.push(facts.seconds !== null ? `time: ${formatSeconds(facts.seconds)}` : `status: ${facts.status}`);
    for (const [name, value] of facts.metrics) lines.push(`${name}: ${formatMetric(value)}`);
    if (facts.server) lines.push(`server: ${facts.server}`);
    if (facts.error) lines.push(`error: ${facts.error}`);
    return lines;
  }

  // src/viewer/view_model.ts
  var ZOOM = { min: 48, max: 768, initial: 192 };
  function initialView(data) {
    return {
      cols: 0,
      rows: data.axes.length > 1 ? 1 : null,
      at: data.axes.map(() => 0),
      zoom: ZOOM.initial,
      heat: null
    };
  }
  var clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
  function settle(data, view) {
    const n = data.axes.length;
    const cols = Number.isInteger(view.cols) ? clamp(view.cols, 0, n - 1) : 0;
    let rows = view.rows;
    if (rows !== null && (!Number.isInteger(rows) || rows < 0 || rows >= n || rows === cols)) rows = null;
    const at = data.axes.map((axis, k) => {
      const v = view.at[k];
      return Number.isInteger(v) ? clamp(v, 0, axis.labels.length - 1) : 0;
    });
    const zoom = Number.isFinite(view.zoom) ? clamp(Math.round(view.zoom), ZOOM.min, ZOOM.max) : ZOOM.initial;
    const heat = view.heat !== null && data.metrics.some((m) => m.name === view.heat) ? view.heat : null;
    return { cols, rows, at, zoom, heat };
  }
  function toHash(view) {
    const parts = [`cols=${view.cols}`, `rows=${view.rows ?? "none"}`, `at=${view.at.join(",")}`, `zoom=${view.zoom}`];
    if (view.heat !== null) parts.push(`heat=${encodeURIComponent(view.heat)}`);
    return "#" + parts.join("&");
  }
  function fromHash(data, hash) {
    const view = initialView(data);
    for (const part of hash.replace(/^#/, "").split("&")) {
      const [key, raw = ""] = part.split("=");
      if (key === "cols") view.cols = Number(raw);
      else if (key === "rows") view.rows = raw === "none" ? null : Number(raw);
      else if (key === "at") view.at = raw.split(",").map(Number);
      else if (key === "zoom") view.zoom = Number(raw);
      else if (key === "heat") view.heat = safeDecode(raw);
    }
    return settle(data, view);
  }
  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  function sliderAxes(data, view) {
    return data.axes.map((_, k) => k).filter((k) => k !== view.cols && k !== view.rows);
  }
  var CellIndex = class {
    constructor(data) {
      __publicField(this, "byKey", /* @__PURE__ */ new Map());
      for (const cell of data.cells) this.byKey.set(cell.at.join(","), cell);
    }
    get(at) {
      return this.byKey.get(at.join(","));
    }
  };
  function slice(data, cells, view) {
    const ncols = data.axes[view.cols].labels.length;
    const nrows = view.rows === null ? 1 : data.axes[view.rows].labels.length;
    const out = [];
    for (let r = 0; r < nrows; r++) {
      const row = [];
      for (let c = 0; c < ncols; c++) {
        const at = [...view.at];
        at[view.cols] = c;
        if (view.rows !== null) at[view.rows] = r;
        row.push(cells.get(at));
      }
      out.push(row);
    }
    return out;
  }
  function heatLevel(data, metric, value) {
    if (value === null || value === void 0 || !Number.isFinite(value)) return null;
    const values = data.cells.map((c) => c.metrics[metric]).filter((v) => typeof v === "number");
    const lo = Math.min(...values), hi = Math.max(...values);
    const level = hi > lo ? (value - lo) / (hi - lo) : 1;
    const goal = data.metrics.find((m) => m.name === metric)?.goal ?? "higher is better";
    return goal === "lower is better" ? 1 - level : level;
  }
  function heatColour(level) {
    const hue = Math.round(120 * clamp(level, 0, 1));
    return `hsl(${hue} 70% 45%)`;
  }
  function describe(data, cell) {
    return describeCell({
      axes: data.axes.map((axis, k) => [axis.title, axis.labels[cell.at[k] ?? 0] ?? ""]),
      status: cell.status,
      seconds: cell.seconds,
      metrics: data.metrics.map((m) => [m.name, cell.metrics[m.name] ?? null]),
      server: null,
      error: cell.error
    });
  }

  // src/viewer/main.ts
  function el(tag, className = "", text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== void 0) node.textContent = text;
    return node;
  }
  function option(value, label, selected) {
    const o = el("option", "", label);
    o.value = value;
    o.selected = selected;
    return o;
  }
  var PAGES_KEPT = 24;
  var Viewer = class {
    constructor(data, root2) {
      __publicField(this, "data", data);
      __publicField(this, "view");
      __publicField(this, "cells");
      __publicField(this, "controls", el("div", "xyz-v-controls"));
      __publicField(this, "sliders", el("div", "xyz-v-sliders"));
      __publicField(this, "grid", el("div", "xyz-v-grid"));
      __publicField(this, "tip", el("div", "xyz-v-tip"));
      __publicField(this, "overlay", el("div", "xyz-v-overlay"));
      __publicField(this, "shown", []);
      __publicField(this, "open", null);
      // Views built before, kept in the page and only hidden: going back to one (a slider moved
      // back and forth, a swap undone) shows it at once, its images already decoded.
      __publicField(this, "pages", /* @__PURE__ */ new Map());
      this.cells = new CellIndex(data);
      this.view = fromHash(data, location.hash);
      const header = el("header", "xyz-v-header");
      header.append(el("h1", "", data.name), this.controls);
      root2.append(header, this.sliders, this.grid, this.tip, this.overlay);
      this.overlay.hidden = true;
      this.tip.hidden = true;
      window.addEventListener("hashchange", () => this.set(fromHash(this.data, location.hash), false));
      window.addEventListener("keydown", (e) => this.key(e));
      this.overlay.addEventListener("click", (e) => {
        if (e.target === this.overlay) this.close();
      });
      this.render();
    }
    set(view, toUrl = true) {
      this.view = settle(this.data, view);
      if (toUrl) history.replaceState(null, "", toHash(this.view));
      this.render();
    }
    render() {
      this.renderControls();
      this.renderSliders();
      this.renderGrid();
    }
    renderControls() {
      const { data, view } = this;
      const axisSelect = (label, value, allowNone, pick) => {
        const wrap = el("label", "xyz-v-control", label + " ");
        const select = el("select");
        select.dataset.role = label.toLowerCase();
        if (allowNone) select.append(option("none", "(one row)", value === null));
        data.axes.forEach((axis, k) => select.append(option(String(k), axis.title || axis.slot.toUpperCase(), k === value)));
        select.addEventListener("change", () => pick(select.value === "none" ? null : Number(select.value)));
        wrap.append(select);
        return wrap;
      };
      const cols = axisSelect("Columns", view.cols, false, (v) => {
        const next = { ...view, cols: v ?? 0 };
        if (next.rows === next.cols) next.rows = view.cols;
        this.set(next);
      });
      const rows = axisSelect("Rows", view.rows, true, (v) => {
        const next = { ...view, rows: v };
        if (v === view.cols) next.cols = view.rows ?? view.cols;
        this.set(next);
      });
      const swap = el("button", "xyz-v-swap", "Swap ⇄");
      swap.disabled = view.rows === null;
      swap.addEventListener("click", () => {
        if (view.rows !== null) this.set({ ...view, cols: view.rows, rows: view.cols });
      });
      const zoomWrap = el("label", "xyz-v-control", "Zoom ");
      const zoom = el("input");
      Object.assign(zoom, { type: "range", min: String(ZOOM.min), max: String(ZOOM.max), value: String(view.zoom) });
      zoom.dataset.role = "zoom";
      zoom.addEventListener("input", () => this.set({ ...this.view, zoom: Number(zoom.value) }));
      zoomWrap.append(zoom);
      this.controls.replaceChildren(cols, rows, swap, zoomWrap);
      if (data.metrics.length) {
        const heatWrap = el("label", "xyz-v-control", "Heatmap ");
        const heat = el("select");
        heat.dataset.role = "heatmap";
        heat.append(option("", "(none)", view.heat === null));
        for (const m of data.metrics) heat.append(option(m.name, `${m.name} (${m.goal})`, m.name === view.heat));
        heat.addEventListener("change", () => this.set({ ...this.view, heat: heat.value || null }));
        heatWrap.append(heat);
        this.controls.append(heatWrap);
      }
    }
    renderSliders() {
      const { data, view } = this;
      const rows = sliderAxes(data, view).map((k) => {
        const axis = data.axes[k];
        const wrap = el("label", "xyz-v-slider");
        wrap.dataset.slot = axis.slot;
        const range = el("input");
        Object.assign(range, { type: "range", min: "0", max: String(axis.labels.length - 1), value: String(view.at[k]) });
        const value = el("span", "xyz-v-slider-value", axis.labels[view.at[k] ?? 0] ?? "");
        range.addEventListener("input", () => {
          const at = [...this.view.at];
          at[k] = Number(range.value);
          this.set({ ...this.view, at });
        });
        wrap.append(el("span", "xyz-v-slider-title", axis.title || axis.slot.toUpperCase()), range, value);
        return wrap;
      });
      this.sliders.replaceChildren(...rows);
    }
    renderGrid() {
      const { data, view } = this;
      this.grid.style.setProperty("--tile", `${view.zoom}px`);
      const key = JSON.stringify([view.cols, view.rows, sliderAxes(data, view).map((k) => view.at[k]), view.heat]);
      let built = this.pages.get(key);
      if (!built) {
        built = this.build();
        this.grid.append(built.page);
        this.pages.set(key, built);
        if (this.pages.size > PAGES_KEPT) {
          const [oldest, { page }] = this.pages.entries().next().value;
          page.remove();
          this.pages.delete(oldest);
        }
      } else {
        this.pages.delete(key);
        this.pages.set(key, built);
      }
      for (const { page } of this.pages.values()) page.hidden = page !== built.page;
      this.shown = built.shown;
    }
    build() {
      const { data, view } = this;
      const shown = slice(data, this.cells, view);
      const colAxis = data.axes[view.cols];
      const rowAxis = view.rows === null ? null : data.axes[view.rows];
      const page = el("div", "xyz-v-page");
      page.style.gridTemplateColumns = `max-content repeat(${colAxis.labels.length}, var(--tile))`;
      page.append(el("div", "xyz-v-corner", rowAxis ? `${rowAxis.title} \\ ${colAxis.title}` : colAxis.title));
      for (const label of colAxis.labels) page.append(el("div", "xyz-v-col-label", label));
      shown.forEach((row, r) => {
        page.append(el("div", "xyz-v-row-label", rowAxis ? rowAxis.labels[r] ?? "" : ""));
        row.forEach((cell, c) => page.append(this.tile(cell, r, c)));
      });
      return { page, shown };
    }
    tile(cell, row, col) {
      const tile = el("div", "xyz-v-tile");
      if (!cell) {
        tile.classList.add("xyz-v-missing");
        tile.textContent = "no cell";
        return tile;
      }
      tile.dataset.index = String(cell.index);
      tile.dataset.status = cell.status;
      if (cell.thumb) {
        const img = el("img");
        img.loading = "lazy";
        img.decoding = "async";
        img.alt = describe(this.data, cell).join(", ");
        img.src = cell.thumb;
        tile.append(img);
      } else {
        tile.append(el("div", "xyz-v-text", cell.status === "failed" ? `failed: ${cell.error ?? ""}` : cell.status));
      }
      if (this.view.heat !== null) {
        const value = cell.metrics[this.view.heat];
        const level = heatLevel(this.data, this.view.heat, value);
        if (level !== null) tile.style.setProperty("--heat", heatColour(level));
        tile.classList.add("xyz-v-heat");
        tile.append(el("span", "xyz-v-heat-value", formatMetric(value)));
      }
      tile.addEventListener("mouseenter", (e) => this.showTip(cell, e));
      tile.addEventListener("mousemove", (e) => this.moveTip(e));
      tile.addEventListener("mouseleave", () => {
        this.tip.hidden = true;
      });
      tile.addEventListener("click", () => this.show(row, col));
      return tile;
    }
    showTip(cell, e) {
      this.tip.replaceChildren(...describe(this.data, cell).map((line) => el("div", "", line)));
      this.tip.hidden = false;
      this.moveTip(e);
    }
    moveTip(e) {
      this.tip.style.left = `${e.clientX + 14}px`;
      this.tip.style.top = `${e.clientY + 14}px`;
    }
    show(row, col) {
      const cell = this.shown[row]?.[col];
      if (!cell) return;
      this.open = { row, col };
      const frame = el("figure", "xyz-v-full");
      if (cell.full) {
        const img = el("img");
        img.src = cell.full;
        img.alt = describe(this.data, cell).join(", ");
        const link = el("a", "xyz-v-full-link", "open the full-size file");
        link.href = cell.full;
        link.target = "_blank";
        frame.append(img, link);
      } else {
        frame.append(el("div", "xyz-v-text", cell.error ? `failed: ${cell.error}` : cell.status));
      }
      const caption = el("figcaption");
      caption.append(...describe(this.data, cell).map((line) => el("div", "", line)));
      frame.append(caption);
      this.overlay.replaceChildren(frame);
      this.overlay.dataset.index = String(cell.index);
      this.overlay.hidden = false;
    }
    close() {
      this.open = null;
      this.overlay.hidden = true;
    }
    key(e) {
      if (!this.open) return;
      const steps = {
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0]
      };
      if (e.key === "Escape") {
        this.close();
      } else if (steps[e.key]) {
        const [dr, dc] = steps[e.key];
        const rows = this.shown.length, cols = this.shown[0]?.length ?? 1;
        this.show((this.open.row + dr + rows) % rows, (this.open.col + dc + cols) % cols);
      } else {
        return;
      }
      e.preventDefault();
    }
  };
  var source = document.getElementById("xyz-data");
  var root = document.getElementById("xyz-viewer");
  if (source && root) {
    const data = JSON.parse(source.textContent ?? "{}");
    window.xyzViewer = new Viewer(data, root);
  }
})();
