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
    const lines = facts.axes.map(([title, label2]) => `${title}: ${label2}`);
    lines.push(facts.seconds !== null ? `time: ${formatSeconds(facts.seconds)}` : `status: ${facts.status}`);
    for (const [name, value] of facts.metrics) lines.push(`${name}: ${formatMetric(value)}`);
    if (facts.server) lines.push(`server: ${facts.server}`);
    if (facts.error) lines.push(`error: ${facts.error}`);
    return lines;
  }

  // src/search_model.ts
  function readSearch(raw) {
    if (!raw || typeof raw !== "object") return null;
    const r = raw;
    if (typeof r.objective !== "string" || !r.objective) return null;
    const budget = Number(r.budget);
    const goal = typeof r.goal === "string" && r.goal.trim().toLowerCase().startsWith("lower") ? "lower" : "higher";
    return {
      objective: r.objective,
      budget: Number.isFinite(budget) && budget > 0 ? Math.floor(budget) : 0,
      sampler: typeof r.sampler === "string" ? r.sampler : "",
      seed: Number(r.seed) || 0,
      coarseFraction: Number(r.coarse_fraction) || 0,
      goal
    };
  }
  var notRun = (view, cell) => view.search !== null && !view.dryRun && cell.status === "planned";
  var better = (goal, a, b) => goal === "lower" ? a < b : a > b;
  function objectiveValue(cell, objective) {
    if (cell.status !== "done") return null;
    const v = cell.metrics[objective];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  }
  function bestCell(cells, objective, goal) {
    let best = null, bestValue = 0;
    for (const cell of cells) {
      const v = objectiveValue(cell, objective);
      if (v === null) continue;
      if (best === null || better(goal, v, bestValue) || v === bestValue && runsBefore(cell, best)) {
        best = cell;
        bestValue = v;
      }
    }
    return best;
  }
  function runsBefore(a, b) {
    const fa = a.finished ?? Infinity, fb = b.finished ?? Infinity;
    return fa !== fb ? fa < fb : a.index < b.index;
  }
  function searchHistory(cells, objective, goal) {
    const run = cells.filter((c) => c.status === "done" || c.status === "failed");
    run.sort((a, b) => runsBefore(a, b) ? -1 : runsBefore(b, a) ? 1 : 0);
    let best = null;
    return run.map((cell) => {
      const value = objectiveValue(cell, objective);
      if (value !== null && (best === null || better(goal, value, best))) best = value;
      return { cell, value, best };
    });
  }
  var round = (n) => Math.round(n * 10) / 10;
  function chartGeometry(history2, slots, box) {
    const plot = { left: box.left, right: box.width - box.pad, top: box.pad, bottom: box.height - box.pad };
    const values = history2.map((p) => p.value).filter((v) => v !== null);
    const min = Math.min(...values), max = Math.max(...values);
    let lo = min, hi = max;
    if (!values.length) [lo, hi] = [0, 1];
    else if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
    const margin = (hi - lo) * 0.08;
    const bottom = lo - margin, top = hi + margin;
    const n = Math.max(1, slots, history2.length);
    const x = (k) => round(plot.left + (k + 0.5) * (plot.right - plot.left) / n);
    const y = (v) => round(plot.bottom - (v - bottom) * (plot.bottom - plot.top) / (top - bottom));
    const points = history2.map((point, k) => ({
      x: x(k),
      y: point.value === null ? plot.bottom : y(point.value),
      failed: point.value === null,
      point
    }));
    const parts = [];
    let last = null;
    history2.forEach((p, k) => {
      if (p.best === null) return;
      const px = x(k), py = y(p.best);
      if (last === null) parts.push(`M${px} ${py}`);
      else if (py !== last) parts.push(`H${px}`, `V${py}`);
      last = py;
    });
    if (last !== null) parts.push(`H${x(history2.length - 1)}`);
    const labels = !values.length ? [] : min === max ? [{ value: max, y: y(max) }] : [{ value: max, y: y(max) }, { value: min, y: y(min) }];
    return { points, step: parts.join(" "), top, bottom, labels, plot };
  }
  function cellValues(view, cell) {
    return view.axes.filter((a) => a.title || a.labels.some(Boolean)).map((a) => {
      const label2 = a.labels[cell.at[a.position] ?? 0] ?? "";
      return a.title ? `${a.title} ${label2}` : label2;
    }).join(", ");
  }
  function searchText(view, search, history2) {
    const best = bestCell(history2.map((p) => p.cell), search.objective, search.goal);
    const budget = Math.min(search.budget || view.cells.length, view.cells.length);
    const failed = history2.filter((p) => p.cell.status === "failed").length;
    return {
      title: `${search.objective} (${search.goal} is better)`,
      best: best ? `best ${formatMetric(objectiveValue(best, search.objective))} at ${cellValues(view, best)}` : "no value yet",
      progress: `run ${history2.length} of budget ${budget}${failed ? ` · ${failed} failed` : ""}` + (search.sampler ? ` · ${search.sampler}` : "")
    };
  }

  // src/experiment_view.ts
  function cellIndex(at, sizes) {
    let index = 0;
    for (let k = sizes.length - 1; k >= 0; k--) index = index * sizes[k] + (at[k] ?? 0);
    return index;
  }
  var cellLabel = (axis, cell) => axis.labels[cell.at[axis.position] ?? 0] ?? "";
  function describeCell2(view, cell) {
    return describeCell({
      axes: view.axes.filter((a) => a.title || a.labels.some(Boolean)).map((a) => [a.title, cellLabel(a, cell)]),
      status: notRun(view, cell) ? "not run by the search" : cell.status,
      seconds: cell.seconds,
      metrics: Object.entries(cell.metrics),
      server: view.servers && cell.status !== "queued" ? cell.worker : null,
      error: cell.error
    });
  }

  // src/explorer/compare.ts
  var PIN_NAMES = ["A", "B"];
  var isSlice = (pin) => pin.columns !== null;
  var samePin = (p, q) => JSON.stringify(p) === JSON.stringify(q);
  var compatible = (p, q) => isSlice(p) === isSlice(q) && p.columns === q.columns && p.rows === q.rows;
  function cellPin(view, cell) {
    const at = {};
    for (const axis of view.axes) at[axis.slot] = cell.at[axis.position] ?? 0;
    return { at, columns: null, rows: null };
  }
  function slicePin(view, state) {
    const at = {};
    for (const axis of view.axes) {
      if (axis.slot !== state.columns && axis.slot !== state.rows) at[axis.slot] = state.at[axis.slot] ?? 0;
    }
    return { at, columns: state.columns, rows: state.rows };
  }
  function togglePin(state, pin) {
    const at = state.pins.findIndex((p) => samePin(p, pin));
    const pins = at >= 0 ? state.pins.filter((_, k) => k !== at) : [...state.pins.filter((p) => compatible(p, pin)), pin].slice(-2);
    return { ...state, pins, pair: 0 };
  }
  var swapPins = (state) => ({ ...state, pins: [...state.pins].reverse() });
  var clearPins = (state) => ({ ...state, pins: [], pair: 0 });
  function readPins(saved) {
    if (!Array.isArray(saved)) return [];
    const slot = (v) => typeof v === "string" ? v : null;
    return saved.flatMap((p) => {
      if (!p || typeof p !== "object" || !p.at || typeof p.at !== "object" || Array.isArray(p.at)) return [];
      const at = {};
      for (const [k, v] of Object.entries(p.at)) if (Number.isInteger(v)) at[k] = v;
      return [{ at, columns: slot(p.columns), rows: slot(p.rows) }];
    });
  }
  function settlePins(view, pins) {
    const axes = view.axes;
    const has = (slot) => slot !== null && axes.some((a) => a.slot === slot);
    const kept = [];
    for (const pin of pins) {
      const badRows = pin.rows !== null && (!has(pin.rows) || pin.rows === pin.columns);
      if (pin.columns !== null && (!has(pin.columns) || badRows)) continue;
      const rows = pin.columns === null ? null : pin.rows;
      const at = {};
      const fits = axes.every((a) => {
        if (a.slot === pin.columns || a.slot === rows) return true;
        const v = pin.at[a.slot];
        at[a.slot] = v;
        return Number.isInteger(v) && v >= 0 && v < a.labels.length;
      });
      const settled = { at, columns: pin.columns, rows };
      if (fits && !kept.some((p) => samePin(p, settled))) kept.push(settled);
    }
    const last = kept[kept.length - 1];
    return last ? kept.filter((p) => compatible(p, last)).slice(-2) : [];
  }
  function cellAt(view, at) {
    return view.cells[cellIndex(view.slots.map((slot) => at[slot] ?? 0), view.sizes)];
  }
  function pinOf(view, state, cell) {
    return state.pins.findIndex((p) => !isSlice(p) && cellAt(view, p.at) === cell);
  }
  function pinLines(view, pin) {
    return view.axes.map((axis) => {
      const title = axis.title || axis.slot;
      if (axis.slot === pin.columns) return `${title}: (across)`;
      if (axis.slot === pin.rows) return `${title}: (down)`;
      return `${title}: ${axis.labels[pin.at[axis.slot] ?? 0] ?? ""}`;
    });
  }
  function comparePairs(view, state, shown) {
    const [a, b] = state.pins;
    if (!a || !b) return [];
    if (!isSlice(a)) return [{ a: cellAt(view, a.at), b: cellAt(view, b.at), where: "" }];
    const across = view.axes.find((x) => x.slot === a.columns);
    const down = view.axes.find((x) => x.slot === a.rows);
    const pairs = [];
    for (const r of down ? shown(down.slot) : [0]) {
      for (const c of shown(across.slot)) {
        const tile = { [across.slot]: c, ...down ? { [down.slot]: r } : {} };
        const cellA = cellAt(view, { ...a.at, ...tile });
        const where = [across, ...down ? [down] : []].map((x) => `${x.title || x.slot}: ${cellLabel(x, cellA)}`);
        pairs.push({ a: cellA, b: cellAt(view, { ...b.at, ...tile }), where: where.join(" · ") });
      }
    }
    return pairs;
  }
  function difference(a, b) {
    if (a.length !== b.length || a.length % 4) throw new Error(`difference: images of ${a.length} and ${b.length} bytes`);
    const n = a.length / 4;
    const raw = new Uint8ClampedArray(a.length);
    let sum = 0, max = 0, changed = 0;
    for (let i = 0; i < a.length; i += 4) {
      const r = Math.abs(a[i] - b[i]), g = Math.abs(a[i + 1] - b[i + 1]), bl = Math.abs(a[i + 2] - b[i + 2]);
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = bl;
      sum += r + g + bl;
      const most = Math.max(r, g, bl);
      if (most > max) max = most;
      if (most) changed++;
    }
    const gain = max > 0 ? Math.floor(255 / max) : 1;
    for (let i = 0; i < raw.length; i += 4) {
      raw[i] = raw[i] * gain;
      raw[i + 1] = raw[i + 1] * gain;
      raw[i + 2] = raw[i + 2] * gain;
      raw[i + 3] = 255;
    }
    return { pixels: raw, mean: n ? sum / (3 * n) : 0, max, gain, changed: n ? changed / n : 0 };
  }
  function describeDifference(d) {
    return `mean |A − B| ${d.mean.toFixed(2)} of 255 · max ${d.max} · ${(100 * d.changed).toFixed(1)}% of pixels differ` + (d.gain > 1 ? ` · shown ×${d.gain}` : "");
  }

  // src/explorer/state.ts
  var COMPARE_VIEWS = ["side", "wipe", "difference"];
  function initialState() {
    return {
      experiment: null,
      columns: "x",
      rows: "y",
      at: {},
      hidden: {},
      mode: "grid",
      sort: null,
      filter: "",
      active: null,
      order: {},
      pins: [],
      compare: "side",
      pair: 0
    };
  }
  var explorerAxes = (view) => view.axes;
  var axisOf = (view, slot) => slot === null ? void 0 : view.axes.find((a) => a.slot === slot);
  var isIndex = (v, size) => Number.isInteger(v) && v >= 0 && v < size;
  function settle(view, state) {
    const axes = explorerAxes(view);
    const fresh = state.experiment !== view.id;
    const columns = axes.some((a) => a.slot === state.columns) ? state.columns : axes[0].slot;
    let rows = state.rows;
    if (rows !== null && (rows === columns || !axes.some((a) => a.slot === rows))) {
      rows = axes.find((a) => a.slot !== columns)?.slot ?? null;
    }
    const hidden = {};
    const at = {};
    const order = {};
    for (const axis of axes) {
      const size = axis.labels.length;
      const ordered = fresh ? identity(size) : permutation(state.order[axis.slot], size);
      if (ordered.some((v, i) => v !== i)) order[axis.slot] = ordered;
      const off = fresh ? [] : [...new Set((state.hidden[axis.slot] ?? []).filter((v) => isIndex(v, size)))].sort(
        (a, b) => a - b
      );
      if (off.length >= size) off.pop();
      if (off.length) hidden[axis.slot] = off;
      const wanted = fresh ? 0 : state.at[axis.slot];
      at[axis.slot] = nearestShown(isIndex(wanted, size) ? wanted : 0, ordered, off);
    }
    const sliders = axes.filter((a) => a.slot !== columns && a.slot !== rows).map((a) => a.slot);
    const active = state.active !== null && sliders.includes(state.active) ? state.active : null;
    const sort = state.sort && sortKeys(view).includes(state.sort.key) ? { ...state.sort } : null;
    const pins = fresh ? [] : settlePins(view, state.pins);
    const mode = state.mode === "table" ? "table" : state.mode === "compare" && pins.length === 2 ? "compare" : "grid";
    return {
      experiment: view.id,
      columns,
      rows,
      at,
      hidden,
      mode,
      sort,
      filter: fresh ? "" : state.filter,
      active,
      order,
      pins,
      compare: COMPARE_VIEWS.includes(state.compare) ? state.compare : "side",
      pair: Number.isInteger(state.pair) && state.pair > 0 ? state.pair : 0
    };
  }
  var identity = (size) => Array.from({ length: size }, (_, i) => i);
  function permutation(wanted, size) {
    const seen = /* @__PURE__ */ new Set();
    for (const v of wanted ?? []) if (isIndex(v, size)) seen.add(v);
    for (let i = 0; i < size; i++) seen.add(i);
    return [...seen];
  }
  function nearestShown(value, ordered, off) {
    const here = Math.max(0, ordered.indexOf(value));
    for (let d = 0; d < ordered.length; d++) {
      for (const k of [here + d, here - d]) {
        const v = ordered[k];
        if (v !== void 0 && !off.includes(v)) return v;
      }
    }
    return value;
  }
  function valueOrder(state, axis) {
    const order = state.order[axis.slot];
    return order && order.length === axis.labels.length ? order : identity(axis.labels.length);
  }
  function shownValues(state, axis) {
    const off = state.hidden[axis.slot] ?? [];
    return valueOrder(state, axis).filter((i) => !off.includes(i));
  }
  function moveValue(view, state, slot, value, to) {
    const axis = axisOf(view, slot);
    if (!axis || !isIndex(value, axis.labels.length)) return state;
    const order = valueOrder(state, axis).filter((v) => v !== value);
    order.splice(Math.max(0, Math.min(order.length, to)), 0, value);
    return settle(view, { ...state, order: { ...state.order, [slot]: order } });
  }
  function shiftValue(view, state, slot, value, step) {
    const axis = axisOf(view, slot);
    if (!axis) return state;
    return moveValue(view, state, slot, value, valueOrder(state, axis).indexOf(value) + step);
  }
  function sliderAxes(view, state) {
    return explorerAxes(view).filter((a) => a.slot !== state.columns && a.slot !== state.rows);
  }
  function activeSlider(view, state) {
    const sliders = sliderAxes(view, state);
    return sliders.find((a) => a.slot === state.active) ?? sliders[0];
  }
  function stepSlider(view, state, slot, step) {
    const axis = axisOf(view, slot);
    if (!axis) return state;
    const shown = shownValues(state, axis);
    const here = shown.indexOf(state.at[slot] ?? 0);
    const next = shown[Math.max(0, Math.min(shown.length - 1, (here < 0 ? 0 : here) + step))];
    if (next === state.at[slot] && state.active === slot) return state;
    return { ...state, at: { ...state.at, [slot]: next }, active: slot };
  }
  function moveSlider(view, state, slot, value) {
    const axis = axisOf(view, slot);
    if (!axis) return state;
    const v = nearestShown(
      Math.max(0, Math.min(axis.labels.length - 1, value)),
      valueOrder(state, axis),
      state.hidden[slot] ?? []
    );
    return { ...state, at: { ...state.at, [slot]: v }, active: slot };
  }
  function pivotColumns(view, state, slot) {
    if (slot === state.columns || !axisOf(view, slot)) return state;
    const rows = state.rows === slot ? state.columns : state.rows;
    return settle(view, { ...state, columns: slot, rows });
  }
  function pivotRows(view, state, slot) {
    if (slot === state.rows || slot !== null && !axisOf(view, slot)) return state;
    if (slot === state.columns) {
      if (state.rows === null) return state;
      return settle(view, { ...state, columns: state.rows, rows: slot });
    }
    return settle(view, { ...state, rows: slot });
  }
  function swapAxes(view, state) {
    if (state.rows === null) return state;
    return settle(view, { ...state, columns: state.rows, rows: state.columns });
  }
  function toggleValue(view, state, slot, value) {
    const axis = axisOf(view, slot);
    if (!axis || !isIndex(value, axis.labels.length)) return state;
    const off = state.hidden[slot] ?? [];
    const next = off.includes(value) ? off.filter((v) => v !== value) : [...off, value];
    if (next.length >= axis.labels.length) return state;
    return settle(view, { ...state, hidden: { ...state.hidden, [slot]: next } });
  }
  function readState(saved, legacySwap = false) {
    const state = initialState();
    if (legacySwap) Object.assign(state, { columns: "y", rows: "x" });
    if (!saved || typeof saved !== "object") return state;
    const s = saved;
    const text = (v) => typeof v === "string";
    if (text(s.experiment)) state.experiment = s.experiment;
    if (text(s.columns)) state.columns = s.columns;
    if (s.rows === null || text(s.rows)) state.rows = s.rows;
    if (s.mode === "table" || s.mode === "grid" || s.mode === "compare") state.mode = s.mode;
    if (COMPARE_VIEWS.includes(s.compare)) state.compare = s.compare;
    if (Number.isInteger(s.pair)) state.pair = s.pair;
    state.pins = readPins(s.pins);
    if (text(s.filter)) state.filter = s.filter;
    if (text(s.active)) state.active = s.active;
    if (s.sort && typeof s.sort === "object" && text(s.sort.key)) {
      state.sort = { key: s.sort.key, descending: s.sort.descending === true };
    }
    for (const [slot, v] of Object.entries(record(s.at))) if (Number.isInteger(v)) state.at[slot] = v;
    for (const [slot, v] of Object.entries(record(s.hidden))) {
      if (Array.isArray(v)) state.hidden[slot] = v.filter((i) => Number.isInteger(i));
    }
    for (const [slot, v] of Object.entries(record(s.order))) {
      if (Array.isArray(v)) state.order[slot] = v.filter((i) => Number.isInteger(i));
    }
    return state;
  }
  var record = (v) => v && typeof v === "object" && !Array.isArray(v) ? v : {};
  function metricNames(view) {
    const names = /* @__PURE__ */ new Set();
    for (const cell of view.cells) for (const name in cell.metrics) names.add(name);
    return [...names];
  }
  function sortKeys(view) {
    return [
      "index",
      ...explorerAxes(view).map((a) => `axis:${a.slot}`),
      "status",
      "seconds",
      ...metricNames(view).map((m) => `metric:${m}`)
    ];
  }

  // src/explorer/model.ts
  function slice(view, state) {
    const across = axisOf(view, state.columns);
    const down = axisOf(view, state.rows) ?? null;
    const columns = shownValues(state, across);
    const rows = down ? shownValues(state, down) : [0];
    const at = view.slots.map(() => 0);
    for (const axis of sliderAxes(view, state)) at[axis.position] = state.at[axis.slot] ?? 0;
    const cells = rows.map((r) => columns.map((c) => {
      at[across.position] = c;
      if (down) at[down.position] = r;
      return view.cells[cellIndex(at, view.sizes)];
    }));
    return { across, down, columns, rows, cells };
  }
  function tableColumns(view) {
    return [
      { key: "index", title: "#", text: (c) => String(c.index) },
      ...explorerAxes(view).map((axis) => ({
        key: `axis:${axis.slot}`,
        title: axis.title || axis.slot,
        text: (c) => cellLabel(axis, c)
      })),
      // a cell a search has not run says so (its status word, "planned", is a dry run's)
      { key: "status", title: "status", text: (c) => notRun(view, c) ? "not run" : c.status },
      { key: "seconds", title: "time", text: (c) => c.seconds === null ? "" : formatSeconds(c.seconds) },
      ...metricNames(view).map((name) => ({
        key: `metric:${name}`,
        title: name,
        text: (c) => formatMetric(c.metrics[name] ?? null)
      }))
    ];
  }
  function sortValue(view, state, key) {
    if (key === "status") return (c) => c.status;
    if (key === "seconds") return (c) => c.seconds;
    if (key.startsWith("axis:")) {
      const axis = axisOf(view, key.slice(5));
      if (!axis) return (c) => c.index;
      const rank = new Map(valueOrder(state, axis).map((v, k) => [v, k]));
      return (c) => rank.get(c.at[axis.position] ?? 0) ?? 0;
    }
    if (key.startsWith("metric:")) {
      const name = key.slice(7);
      return (c) => {
        const v = c.metrics[name];
        return typeof v === "number" && Number.isFinite(v) ? v : null;
      };
    }
    return (c) => c.index;
  }
  var axisTexts = /* @__PURE__ */ new WeakMap();
  function axisText(axes, cell) {
    let text = axisTexts.get(cell);
    if (text === void 0) {
      text = axes.map((a) => `${a.title}: ${cellLabel(a, cell)}`).join("\n").toLowerCase();
      axisTexts.set(cell, text);
    }
    return text;
  }
  function tableRows(view, state) {
    const axes = explorerAxes(view);
    const off = axes.map((a) => new Set(state.hidden[a.slot] ?? []));
    const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = view.cells.filter((cell) => {
      if (axes.some((a, k) => off[k].has(cell.at[a.position] ?? 0))) return false;
      if (!words.length) return true;
      const text = `${axisText(axes, cell)}
${[cell.status, cell.error ?? "", cell.worker ?? "", ...cell.files].join("\n").toLowerCase()}`;
      return words.every((w) => text.includes(w));
    });
    if (!state.sort) return rows;
    const value = sortValue(view, state, state.sort.key);
    const sign = state.sort.descending ? -1 : 1;
    const keyed = rows.map((cell) => ({ cell, v: value(cell) }));
    keyed.sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.cell.index - b.cell.index : a.v === null ? 1 : -1;
      const order = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return sign * order || a.cell.index - b.cell.index;
    });
    return keyed.map((k) => k.cell);
  }
  function nextSort(state, key) {
    if (!state.sort || state.sort.key !== key) return { key, descending: false };
    return state.sort.descending ? null : { key, descending: true };
  }

  // src/dom.ts
  function element(tag, className = "", text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== void 0) node.textContent = text;
    return node;
  }
  function sortHeadings(columns, sort, classes) {
    const headings = element("tr");
    headings.append(element("th", classes.thumb));
    for (const column of columns) {
      const th = element("th");
      const sorted = sort?.key === column.key ? sort : null;
      th.setAttribute("aria-sort", sorted ? sorted.descending ? "descending" : "ascending" : "none");
      const button2 = element("button", classes.sort, column.title + (sorted ? sorted.descending ? " ▼" : " ▲" : ""));
      button2.type = "button";
      button2.dataset.key = column.key;
      button2.title = `Sort by ${column.title}`;
      th.append(button2);
      headings.append(th);
    }
    return headings;
  }

  // src/explorer/controls.ts
  function followPointer(down, move, end) {
    const onMove = (e) => {
      if (e.pointerId === down.pointerId) move(e);
    };
    const onEnd = (e) => {
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
  var DRAG_START = 5;
  var ChipReorder = class {
    constructor(values, chipClass, move, shift) {
      __publicField(this, "chipClass", chipClass);
      /** a drag just ended: the click that follows it is no toggle */
      __publicField(this, "dragged", false);
      const chipOf = (e) => e.target.closest?.(`.${chipClass}`);
      values.addEventListener("pointerdown", (e) => {
        const chip = chipOf(e);
        this.dragged = false;
        if (!chip || e.button !== 0) return;
        const drag = { chip, x: e.clientX, y: e.clientY, moved: false };
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
          move(chip.dataset.slot, Number(chip.dataset.value), this.dropPlace(chip, up.clientX, up.clientY));
        });
      });
      values.addEventListener("keydown", (e) => {
        const chip = chipOf(e);
        if (!chip || !e.altKey || e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
        e.preventDefault();
        e.stopPropagation();
        shift(chip.dataset.slot, Number(chip.dataset.value), e.key === "ArrowRight" ? 1 : -1);
        chip.focus();
      });
    }
    /** Whether this click ends a drag (then it is no toggle); asked once per click. */
    endsDrag() {
      const dragged = this.dragged;
      this.dragged = false;
      return dragged;
    }
    /** The chips of each row put in their axis's order (`order(slot)`: value indices), where they are not yet. */
    static order(values, rowClass, chipClass, order) {
      for (const row of values.querySelectorAll(`.${rowClass}`)) {
        const chips = [...row.querySelectorAll(`.${chipClass}`)];
        const wanted = order(row.dataset.slot);
        if (wanted.length && chips.map((c) => c.dataset.value).join() !== wanted.join()) {
          row.append(...wanted.map((v) => chips.find((c) => c.dataset.value === String(v))));
        }
      }
    }
    /** The other chips of `chip`'s axis in the order shown. */
    siblings(chip) {
      return [...chip.parentElement.querySelectorAll(`.${this.chipClass}`)].filter((c) => c !== chip);
    }
    /** Where a chip dropped at (x, y) goes among the others of its axis: how many come before that point
     * (the chips wrap: one ends before it when on an earlier line, or on its line left of it). */
    dropPlace(chip, x, y) {
      return this.siblings(chip).filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom < y || r.top <= y && r.left + r.width / 2 < x;
      }).length;
    }
    /** Show where a dragged chip would go (-1: nowhere). */
    markDrop(chip, place) {
      this.siblings(chip).forEach((c, k, all) => {
        c.classList.toggle("xyz-drop-before", k === place);
        c.classList.toggle("xyz-drop-after", place === all.length && k === all.length - 1);
      });
    }
  };

  // src/explorer/compare_view.ts
  var UNREADABLE = "This browser does not let a page opened from disk read its images' pixels, so the difference cannot be computed here (side by side and wipe work). To see it, serve the export's folder over http, e.g. run `python3 -m http.server` in it and open http://localhost:8000/ (the same link's # part keeps this view).";
  var VIEWS = [["side", "Side by side"], ["wipe", "Wipe"], ["difference", "Difference"]];
  var ComparePanel = class {
    // the pair whose difference the canvas holds (or is being computed)
    /** `url`: where a cell's file is (the editor: the pack's file route; the viewer: the export's relative path;
     * given, not imported, so the viewer's bundle has none of the editor's routes). */
    constructor(apply, url) {
      __publicField(this, "apply", apply);
      __publicField(this, "url", url);
      /** for the explorer's button row: pin the slice shown, and open the compare view */
      __publicField(this, "pinSliceButton", button("xyz-pin-slice", "Pin slice"));
      __publicField(this, "compareButton", button("xyz-compare-button", "Compare"));
      __publicField(this, "root", element("div", "xyz-compare"));
      __publicField(this, "viewButtons", /* @__PURE__ */ new Map());
      __publicField(this, "pairText", element("span", "xyz-compare-where"));
      __publicField(this, "pairBar", element("div", "xyz-compare-pairs"));
      __publicField(this, "previous", button("xyz-compare-previous", "◀"));
      __publicField(this, "next", button("xyz-compare-next", "▶"));
      __publicField(this, "labels", [element("div", "xyz-compare-label"), element("div", "xyz-compare-label")]);
      __publicField(this, "images", [element("img", "xyz-compare-image"), element("img", "xyz-compare-image")]);
      __publicField(this, "side", element("div", "xyz-compare-side"));
      __publicField(this, "wipe", element("div", "xyz-wipe"));
      __publicField(this, "wipeImages", [element("img", "xyz-wipe-a"), element("img", "xyz-wipe-b")]);
      __publicField(this, "divider", element("div", "xyz-wipe-divider"));
      __publicField(this, "wipeInput", element("input", "xyz-wipe-input"));
      __publicField(this, "canvas", element("canvas", "xyz-difference"));
      __publicField(this, "figure", element("div", "xyz-compare-figure"));
      __publicField(this, "differenceBox", element("div", "xyz-difference-box"));
      __publicField(this, "view", null);
      __publicField(this, "state", null);
      __publicField(this, "drawn", "");
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
      this.wipe.append(this.wipeImages[1], this.wipeImages[0], this.divider);
      this.wipe.addEventListener("pointerdown", (e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        this.wipeTo(e);
        followPointer(e, (m) => this.wipeTo(m), () => void 0);
      });
      const wipeBox = element("div", "xyz-wipe-box");
      wipeBox.append(this.wipe, this.wipeInput);
      this.canvas.hidden = true;
      this.differenceBox.append(this.canvas, this.figure);
      const stage = element("div", "xyz-compare-stage");
      stage.append(this.side, wipeBox, this.differenceBox);
      this.root.append(tools, this.pairBar, labels, stage);
      this.pinSliceButton.title = "Pin the slice shown (two slices pinned compare tile by tile); shift+click a tile or its pin button pins one cell";
      this.pinSliceButton.addEventListener("click", () => this.change((s) => togglePin(s, slicePin(this.view, s))));
      this.compareButton.addEventListener("click", () => this.change((s) => ({ ...s, mode: s.mode === "compare" ? "grid" : "compare" })));
      for (const b of [this.root, this.pinSliceButton, this.compareButton]) {
        b.addEventListener("click", (e) => e.stopPropagation());
      }
      this.setWipe(50);
    }
    change(next) {
      if (this.view && this.state) this.apply(next(this.state));
    }
    render(view, state) {
      this.view = view;
      this.state = state;
      const pins = state?.pins ?? [];
      const slices = pins.length > 0 && pins[0].columns !== null;
      this.pinSliceButton.hidden = !view || state?.mode === "table";
      this.pinSliceButton.classList.toggle("xyz-on", slices);
      this.compareButton.hidden = !view || !pins.length || state?.mode === "table" && slices;
      this.compareButton.disabled = pins.length < 2;
      this.compareButton.textContent = state?.mode === "compare" ? "Back to grid" : `Compare ${slices ? "slices" : "cells"} (${pins.length}/2)`;
      this.compareButton.title = pins.length < 2 ? "Pin one more cell or slice to compare" : "The two pinned, compared";
      this.root.hidden = !view || !state || state.mode !== "compare";
      if (!view || !state || state.mode !== "compare") return;
      const pairs = comparePairs(view, state, (slot) => shownValues(state, axisOf(view, slot)));
      const at = Math.min(state.pair, pairs.length - 1);
      const pair = pairs[at];
      this.pairBar.hidden = pairs.length < 2;
      this.pairText.textContent = `tile ${at + 1} of ${pairs.length}: ${pair.where}`;
      this.previous.disabled = at === 0;
      this.next.disabled = at === pairs.length - 1;
      pins.forEach((pin, k) => {
        this.labels[k].replaceChildren(
          element("div", "xyz-compare-pin", PIN_NAMES[k]),
          ...pinLines(view, pin).map((line) => element("div", "", line))
        );
      });
      for (const [kind, b] of this.viewButtons) {
        b.classList.toggle("xyz-on", kind === state.compare);
        b.setAttribute("aria-pressed", String(kind === state.compare));
      }
      const cells = [pair.a, pair.b];
      const urls = cells.map((c) => c.status === "done" && c.files.length ? this.url(view, c.files[0]) : "");
      [...this.images, ...this.wipeImages].forEach((img, k) => {
        const url = urls[k % 2];
        img.alt = url ? "" : `${PIN_NAMES[k % 2]}: ${cells[k % 2].status}`;
        if (img.getAttribute("src") !== url) {
          if (url) img.src = url;
          else img.removeAttribute("src");
        }
      });
      this.side.hidden = state.compare !== "side";
      this.wipe.parentElement.hidden = state.compare !== "wipe";
      this.differenceBox.hidden = state.compare !== "difference";
      if (state.compare === "difference") void this.drawDifference(urls[0], urls[1]);
    }
    wipeTo(event) {
      const box = this.wipe.getBoundingClientRect();
      if (box.width > 0) this.setWipe(Math.round(100 * (event.clientX - box.left) / box.width));
    }
    /** The divider at `percent` of the width: A shows on its left, B on its right. */
    setWipe(percent) {
      const p = Math.max(0, Math.min(100, percent));
      this.wipeInput.value = String(p);
      this.wipeImages[0].style.clipPath = `inset(0 ${100 - p}% 0 0)`;
      this.divider.style.left = `${p}%`;
      this.wipe.dataset.wipe = String(p);
    }
    /** The two images' difference on the canvas (B drawn at A's size), and its figures in words. */
    async drawDifference(a, b) {
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
        if (this.drawn !== key) return;
        const width = ia.naturalWidth, height = ia.naturalHeight;
        const pixels = (img) => {
          const c = element("canvas", "");
          c.width = width;
          c.height = height;
          const g = c.getContext("2d", { willReadFrequently: true });
          g.drawImage(img, 0, 0, width, height);
          return g.getImageData(0, 0, width, height).data;
        };
        const d = difference(pixels(ia), pixels(ib));
        this.canvas.width = width;
        this.canvas.height = height;
        this.canvas.getContext("2d").putImageData(new ImageData(d.pixels, width, height), 0, 0);
        const sizes = ib.naturalWidth !== width || ib.naturalHeight !== height ? ` · B is ${ib.naturalWidth}×${ib.naturalHeight}, drawn at A's ${width}×${height}` : "";
        this.figure.textContent = describeDifference(d) + sizes;
        this.figure.dataset.mean = d.mean.toFixed(4);
        this.canvas.hidden = false;
      } catch (error) {
        if (this.drawn !== key) return;
        this.canvas.hidden = true;
        this.figure.textContent = error?.name === "SecurityError" ? UNREADABLE : `could not read the images: ${String(error)}`;
        this.figure.dataset.error = error?.name ?? "Error";
      }
    }
  };
  function button(className, text) {
    const b = element("button", `xyz-button ${className}`, text);
    b.type = "button";
    return b;
  }
  async function decoded(url) {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  }

  // src/explorer/player.ts
  var FRAME_MS = 700;
  function nextFrame(view, state) {
    if (state.mode !== "grid") return null;
    const slider = activeSlider(view, state);
    if (!slider) return null;
    const shown = shownValues(state, slider);
    if (shown.length < 2) return null;
    const here = shown.indexOf(state.at[slider.slot] ?? 0);
    return moveSlider(view, state, slider.slot, shown[(here + 1) % shown.length]);
  }
  var SliderPlayer = class {
    /** `frame`: move one frame on; false when there is nothing to play (the player stops). */
    constructor(frame) {
      __publicField(this, "frame", frame);
      __publicField(this, "button", element("button", "xyz-button xyz-play", "▶ Play"));
      __publicField(this, "timer", null);
      this.button.type = "button";
      this.button.title = "Play along the active slider's axis (the arrow keys pick another slider)";
      this.button.addEventListener("click", (e) => {
        e.stopPropagation();
        if (this.playing) this.stop();
        else this.start();
      });
    }
    get playing() {
      return this.timer !== null;
    }
    /** Shown only while the view has a slider to play. */
    render(available) {
      this.button.hidden = !available;
      if (!available) this.stop();
    }
    start() {
      if (this.timer !== null || !this.frame()) return;
      this.timer = setInterval(() => {
        if (!this.frame()) this.stop();
      }, FRAME_MS);
      this.button.textContent = "⏸ Pause";
      this.button.setAttribute("aria-pressed", "true");
    }
    stop() {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.button.textContent = "▶ Play";
      this.button.setAttribute("aria-pressed", "false");
    }
  };

  // src/viewer/view_model.ts
  var ZOOM = { min: 48, max: 768, initial: 192 };
  var STATUSES = /* @__PURE__ */ new Set(["queued", "done", "failed", "cancelled", "planned"]);
  function experiment(data) {
    const sizes = data.axes.map((a) => Math.max(1, a.labels.length));
    const slots = data.axes.map((a) => a.slot);
    const count = sizes.reduce((a, b) => a * b, 1);
    const cells = new Array(count);
    const files = new Array(count);
    const place = (index, at) => ({
      index,
      x: at[0] ?? 0,
      y: at[1] ?? 0,
      z: 0,
      at,
      status: "queued",
      files: [],
      error: null,
      seconds: null,
      labels: {},
      metrics: {},
      worker: null,
      finished: null
    });
    for (const c of data.cells) {
      if (c.at.length !== sizes.length || c.at.some((v, k) => !Number.isInteger(v) || v < 0 || v >= sizes[k])) continue;
      const index = cellIndex(c.at, sizes);
      const file = {
        index: c.index,
        at: c.at,
        status: c.status,
        error: c.error ?? null,
        seconds: c.seconds ?? null,
        metrics: c.metrics ?? {},
        thumb: c.thumb ?? null,
        full: c.full ?? null,
        finished_at: c.finished_at ?? null
      };
      const status = STATUSES.has(c.status) ? c.status : "queued";
      cells[index] = {
        ...place(index, [...c.at]),
        status,
        files: file.full ? [file.full] : [],
        error: file.error,
        seconds: file.seconds,
        metrics: file.metrics,
        finished: file.finished_at
      };
      files[index] = file;
    }
    for (let index = 0; index < count; index++) {
      if (!cells[index]) cells[index] = place(index, coords(index, sizes));
    }
    const done = data.cells.filter((c) => c.status === "done").length;
    const view = {
      id: data.id,
      name: data.name,
      status: "complete",
      slots,
      sizes,
      axes: data.axes.map((a, position) => ({ slot: a.slot, position, title: a.title, labels: a.labels })),
      cells,
      done,
      failed: data.cells.filter((c) => c.status === "failed").length,
      total: count,
      created: 0,
      finished: null,
      grids: [],
      gridLabels: {},
      superGrids: [],
      servers: false,
      dryRun: data.dry_run === true,
      search: readSearch(data.search)
    };
    return { data, view, files };
  }
  function coords(index, sizes) {
    return sizes.map((size) => {
      const v = index % size;
      index = Math.floor(index / size);
      return v;
    });
  }
  var clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
  function settle2(ex, state) {
    const zoom = Number.isFinite(state.zoom) ? clamp(Math.round(state.zoom), ZOOM.min, ZOOM.max) : ZOOM.initial;
    const heat = state.heat !== null && ex.data.metrics.some((m) => m.name === state.heat) ? state.heat : null;
    return { ...settle(ex.view, { ...state, experiment: ex.view.id }), zoom, heat };
  }
  var ranges = /* @__PURE__ */ new WeakMap();
  function range(data, metric) {
    let known = ranges.get(data);
    if (!known) ranges.set(data, known = /* @__PURE__ */ new Map());
    if (!known.has(metric)) {
      let lo = Infinity, hi = -Infinity;
      for (const c of data.cells) {
        const v = c.metrics?.[metric];
        if (typeof v === "number" && Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      known.set(metric, lo <= hi ? [lo, hi] : null);
    }
    return known.get(metric) ?? null;
  }
  function heatLevel(data, metric, value) {
    if (value === null || value === void 0 || !Number.isFinite(value)) return null;
    const [lo, hi] = range(data, metric) ?? [value, value];
    const level = hi > lo ? (value - lo) / (hi - lo) : 1;
    const goal = data.metrics.find((m) => m.name === metric)?.goal ?? "higher is better";
    return goal === "lower is better" ? 1 - level : level;
  }
  function heatColour(level) {
    const hue = Math.round(120 * clamp(level, 0, 1));
    return `hsl(${hue} 70% 45%)`;
  }
  function describe(ex, cell) {
    if (!ex.files[cell.index]) return [...describeCell2(ex.view, cell).slice(0, ex.view.axes.length), "no cell"];
    return describeCell2(ex.view, cell);
  }
  var cellNumber = (ex, cell) => ex.files[cell.index]?.index ?? cell.index;

  // src/viewer/controls.ts
  var NO_ROWS = "none";
  function option(value, label2) {
    const o = element("option", "", label2);
    o.value = value;
    return o;
  }
  var ViewerControls = class {
    constructor(ex, apply) {
      __publicField(this, "ex", ex);
      __publicField(this, "apply", apply);
      __publicField(this, "bar", element("div", "xyz-v-controls"));
      __publicField(this, "values", element("div", "xyz-v-values"));
      __publicField(this, "sliders", element("div", "xyz-v-sliders"));
      __publicField(this, "columns", element("select"));
      __publicField(this, "rows", element("select"));
      __publicField(this, "swap", element("button", "xyz-v-swap", "Swap ⇄"));
      __publicField(this, "mode", element("button", "xyz-v-mode", "Table"));
      __publicField(this, "valuesButton", element("button", "xyz-v-values-button", "Values ▾"));
      __publicField(this, "zoom", element("input"));
      __publicField(this, "heat", element("select"));
      __publicField(this, "sliderRows", /* @__PURE__ */ new Map());
      __publicField(this, "pivot", []);
      // what only the grid has: the pickers and the swap
      __publicField(this, "state", null);
      __publicField(this, "reorder");
      const { view, data } = ex;
      const label2 = (text, control) => {
        const wrap = element("label", "xyz-v-control", text + " ");
        wrap.append(control);
        return wrap;
      };
      this.columns.dataset.role = "columns";
      this.rows.dataset.role = "rows";
      const options = () => view.axes.map((a) => option(a.slot, a.title || a.slot.toUpperCase()));
      this.columns.append(...options());
      this.rows.append(option(NO_ROWS, "(one row)"), ...options());
      this.columns.addEventListener("change", () => this.change((s) => pivotColumns(view, s, this.columns.value)));
      this.rows.addEventListener("change", () => this.change((s) => pivotRows(view, s, this.rows.value === NO_ROWS ? null : this.rows.value)));
      this.swap.addEventListener("click", () => this.change((s) => swapAxes(view, s)));
      this.mode.addEventListener("click", () => this.change((s) => ({
        ...s,
        mode: s.mode === "table" ? "grid" : "table"
      })));
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
      this.pivot.push(label2("Columns", this.columns), label2("Rows", this.rows), this.swap);
      this.bar.append(...this.pivot, this.mode, this.valuesButton, label2("Zoom", this.zoom));
      if (data.metrics.length) {
        this.heat.dataset.role = "heatmap";
        this.heat.append(option("", "(none)"), ...data.metrics.map((m) => option(m.name, `${m.name} (${m.goal})`)));
        this.heat.addEventListener("change", () => this.change((s) => ({ ...s, heat: this.heat.value || null })));
        this.bar.append(label2("Heatmap", this.heat));
      }
      this.values.hidden = true;
      this.values.append(...view.axes.map((axis) => {
        const row = element("div", "xyz-v-values-axis");
        row.dataset.slot = axis.slot;
        row.append(element("span", "xyz-v-values-title", axis.title || axis.slot.toUpperCase()));
        axis.labels.forEach((text, i) => {
          const chip = element("button", "xyz-v-value", text);
          chip.type = "button";
          chip.dataset.slot = axis.slot;
          chip.dataset.value = String(i);
          chip.title = `${axis.title}: ${text} (click to hide or show; drag, or alt+←/→, to move)`;
          row.append(chip);
        });
        return row;
      }));
      this.reorder = new ChipReorder(
        this.values,
        "xyz-v-value",
        (slot, value, to) => this.change((s) => moveValue(view, s, slot, value, to)),
        (slot, value, step) => this.change((s) => shiftValue(view, s, slot, value, step))
      );
      this.values.addEventListener("click", (e) => {
        const chip = e.target.closest?.(".xyz-v-value");
        if (this.reorder.endsDrag() || !chip) return;
        this.change((s) => toggleValue(view, s, chip.dataset.slot, Number(chip.dataset.value)));
      });
      this.sliders.addEventListener("wheel", (e) => {
        const slot = e.target.closest?.(".xyz-v-slider")?.dataset.slot;
        if (!slot || e.deltaY === 0) return;
        e.preventDefault();
        this.change((s) => stepSlider(view, s, slot, e.deltaY > 0 ? 1 : -1));
      }, { passive: false });
    }
    /** The explorer's functions return its own fields only: the viewer merges them over its state. */
    change(next) {
      if (this.state) this.apply(next(this.state));
    }
    render(state) {
      this.state = state;
      const grid = state.mode === "grid", table = state.mode === "table";
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
      for (const chip of this.values.querySelectorAll(".xyz-v-value")) {
        const off = (state.hidden[chip.dataset.slot] ?? []).includes(Number(chip.dataset.value));
        chip.setAttribute("aria-pressed", String(!off));
        chip.classList.toggle("xyz-v-off", off);
      }
      this.renderSliders(state);
      this.sliders.hidden = !grid;
    }
    renderSliders(state) {
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
        const row = this.sliderRows.get(axis.slot);
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
    sliderRow(slot, title) {
      const root2 = element("label", "xyz-v-slider");
      root2.dataset.slot = slot;
      const input = element("input");
      Object.assign(input, { type: "range", min: "0", step: "1" });
      input.setAttribute("aria-label", `${title} value`);
      const value = element("span", "xyz-v-slider-value");
      const row = { root: root2, input, value, shown: [] };
      input.addEventListener("input", () => this.change((s) => moveSlider(this.ex.view, s, slot, row.shown[Number(input.value)] ?? 0)));
      input.addEventListener("focus", () => this.change((s) => s.active === slot ? s : { ...s, active: slot }));
      root2.append(element("span", "xyz-v-slider-title", title), input, value);
      return row;
    }
  };

  // src/viewer/grid.ts
  var GAP = 4;
  var CORNER_SCALE = 12 / 14;
  var CORNER_LINE = 16;
  var PAD = 12;
  var KEPT = 400;
  var OVERSCAN = 1;
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text) {
    if (!measure) return text.length * 8;
    measure.font = "600 14px system-ui, sans-serif";
    return measure.measureText(text).width;
  }
  var TileGrid = class {
    constructor(ex, events) {
      __publicField(this, "ex", ex);
      __publicField(this, "events", events);
      /** the scroll box */
      __publicField(this, "root", element("div", "xyz-v-grid"));
      __publicField(this, "page", element("div", "xyz-v-page"));
      __publicField(this, "slice", null);
      __publicField(this, "zoom", 0);
      __publicField(this, "heat", null);
      __publicField(this, "pins", /* @__PURE__ */ new Map());
      __publicField(this, "pinButton", element("button", "xyz-v-pin", "Pin"));
      __publicField(this, "labelsKey", "");
      __publicField(this, "left", 0);
      // where the first tile column and row start inside the page
      __publicField(this, "top", 0);
      // the labels, in two bands that stay in view as the grid scrolls (the columns' at the top, the rows' at the left)
      __publicField(this, "labels", []);
      __publicField(this, "drawn", /* @__PURE__ */ new Map());
      // key: cell index, heat and zoom
      __publicField(this, "kept", /* @__PURE__ */ new Map());
      __publicField(this, "frame", 0);
      // the scroll box's scroll position and size, kept as the scroll and resize events tell them: reading them
      // while drawing would make the browser lay the page out in the middle of a slider step
      __publicField(this, "box", { left: 0, top: 0, width: 0, height: 0 });
      /** a search's best cell (the export is of one moment: it never changes), by explorer cell index */
      __publicField(this, "best");
      const view = ex.view;
      this.best = view.search && !view.dryRun ? bestCell(view.cells, view.search.objective, view.search.goal)?.index ?? null : null;
      this.root.append(this.page);
      this.pinButton.type = "button";
      this.pinButton.title = "Pin this cell to compare (or shift+click the tile)";
      this.pinButton.setAttribute("aria-label", "Pin this cell to compare");
      this.page.addEventListener("mouseover", (e) => {
        const node = e.target.closest?.(".xyz-v-tile:not(.xyz-v-missing):not(.xyz-v-empty)");
        if (node && this.pinButton.parentElement !== node) node.append(this.pinButton);
      });
      this.page.addEventListener("mousedown", (e) => {
        if (e.shiftKey) e.preventDefault();
      });
      this.root.addEventListener("scroll", () => {
        this.box.left = this.root.scrollLeft;
        this.box.top = this.root.scrollTop;
        if (!this.frame) this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.draw();
        });
      }, { passive: true });
      new ResizeObserver(() => {
        Object.assign(this.box, {
          left: this.root.scrollLeft,
          top: this.root.scrollTop,
          width: this.root.clientWidth,
          height: this.root.clientHeight
        });
        this.draw();
      }).observe(this.root);
      this.page.addEventListener("mouseover", (e) => this.events.tip(this.tileOf(e)?.cell ?? null, e));
      this.page.addEventListener("mousemove", (e) => this.events.tip(this.tileOf(e)?.cell ?? null, e));
      this.page.addEventListener("mouseleave", (e) => this.events.tip(null, e));
      this.page.addEventListener("click", (e) => {
        const tile = this.tileOf(e);
        if (tile) this.events.open(tile, e);
      });
    }
    tileOf(e) {
      const node = e.target.closest?.(".xyz-v-tile");
      if (!node || !this.slice || node.classList.contains("xyz-v-missing")) return null;
      const row = Number(node.dataset.row), col = Number(node.dataset.col);
      const cell = this.slice.cells[row]?.[col];
      return cell ? { cell, row, col } : null;
    }
    /** Show a slice at a tile size, coloured by a metric (or not); `pins`: pin names by explorer cell index. */
    render(slice2, zoom, heat, pins = /* @__PURE__ */ new Map()) {
      this.slice = slice2;
      this.pins = pins;
      this.zoom = zoom;
      this.heat = heat;
      const labelsKey = JSON.stringify([slice2.across.slot, slice2.down?.slot ?? null, slice2.columns, slice2.rows, zoom]);
      if (labelsKey !== this.labelsKey) this.layOut(slice2, zoom);
      this.labelsKey = labelsKey;
      this.draw();
    }
    /** The corner, the column and row labels, and the page's size. */
    layOut(slice2, zoom) {
      const step = zoom + GAP;
      const down = slice2.down;
      const rowLabels = down ? slice2.rows.map((r) => down.labels[r] ?? "") : [""];
      const cornerText = down ? `${down.title} \\ ${slice2.across.title}` : slice2.across.title;
      const needed = Math.max(...rowLabels.map(textWidth), textWidth(cornerText) * CORNER_SCALE);
      this.left = down ? Math.min(240, Math.max(48, Math.ceil(needed) + 16)) : 8;
      const widest = Math.max(...slice2.columns.map((c) => textWidth(slice2.across.labels[c] ?? "")));
      const cornerLines = Math.min(3, Math.ceil(textWidth(cornerText) * CORNER_SCALE / Math.max(1, this.left - 8)));
      this.top = Math.max(
        22 * Math.min(3, Math.max(1, Math.ceil(widest / Math.max(1, zoom - 4)))) + 4,
        CORNER_LINE * cornerLines + 8
      );
      const width = this.left + slice2.columns.length * step;
      const corner = element("div", "xyz-v-corner");
      corner.append(element("span", "xyz-v-corner-text", cornerText));
      corner.title = cornerText;
      Object.assign(corner.style, { left: "0px", top: "0px", width: `${this.left}px`, height: `${this.top}px` });
      const across = element("div", "xyz-v-col-band");
      Object.assign(across.style, { width: `${width}px`, height: `${this.top}px` });
      across.append(corner, ...slice2.columns.map((c, i) => {
        const label2 = element("div", "xyz-v-col-label", slice2.across.labels[c] ?? "");
        Object.assign(label2.style, {
          left: `${this.left + i * step}px`,
          top: "0px",
          width: `${zoom}px`,
          height: `${this.top - GAP}px`
        });
        return label2;
      }));
      const labels = [across];
      if (down) {
        const band = element("div", "xyz-v-row-band");
        Object.assign(band.style, { width: `${this.left - 4}px`, height: `${slice2.rows.length * step}px` });
        band.append(...rowLabels.map((text, i) => {
          const label2 = element("div", "xyz-v-row-label", text);
          Object.assign(label2.style, {
            left: "0px",
            top: `${i * step}px`,
            width: `${this.left - 8}px`,
            height: `${zoom}px`
          });
          return label2;
        }));
        labels.push(band);
      }
      for (const tile of this.drawn.values()) this.keep(tile);
      this.drawn.clear();
      this.labels = labels;
      this.page.replaceChildren(...labels);
      this.page.style.width = `${width}px`;
      this.page.style.height = `${this.top + slice2.rows.length * step}px`;
    }
    /** Draw the tiles in view, take out the others. */
    draw() {
      const slice2 = this.slice;
      if (!slice2 || this.root.hidden) return;
      const step = this.zoom + GAP;
      const x = this.box.left - PAD, y = this.box.top - PAD;
      const width = this.box.width || innerWidth, height = this.box.height || innerHeight;
      const span = (from, size, start, count) => [
        Math.max(0, Math.floor((from - start) / step) - OVERSCAN),
        Math.min(count - 1, Math.floor((from + size - start) / step) + OVERSCAN)
      ];
      const [c0, c1] = span(x, width, this.left, slice2.columns.length);
      const [r0, r1] = span(y, height, this.top, slice2.rows.length);
      const wanted = /* @__PURE__ */ new Map();
      let changed = false;
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const cell = slice2.cells[r][c];
          const key = `${cell.index}|${this.heat ?? ""}|${this.zoom}`;
          let tile = this.drawn.get(key) ?? this.kept.get(key);
          if (!tile) tile = this.tile(cell);
          if (!this.drawn.has(key)) changed = true;
          this.kept.delete(key);
          tile.dataset.row = String(r);
          tile.dataset.col = String(c);
          tile.style.left = `${this.left + c * step}px`;
          tile.style.top = `${this.top + r * step}px`;
          const pin = this.pins.get(cell.index);
          if (pin) tile.dataset.pin = pin;
          else delete tile.dataset.pin;
          wanted.set(key, tile);
        }
      }
      for (const [key, tile] of this.drawn) {
        if (wanted.has(key)) continue;
        this.keep(tile, key);
        changed = true;
      }
      this.drawn.clear();
      for (const [key, tile] of wanted) this.drawn.set(key, tile);
      if (changed) this.page.replaceChildren(...this.labels, ...wanted.values());
    }
    /** A tile taken out of the page (by the caller), kept for reuse. */
    keep(tile, key = tile.dataset.key ?? "") {
      this.kept.set(key, tile);
      if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value);
    }
    tile(cell) {
      const tile = element("div", "xyz-v-tile");
      tile.dataset.key = `${cell.index}|${this.heat ?? ""}|${this.zoom}`;
      Object.assign(tile.style, { width: `${this.zoom}px`, height: `${this.zoom}px` });
      const file = this.ex.files[cell.index];
      if (!file) {
        tile.classList.add("xyz-v-missing");
        tile.textContent = "no cell";
        return tile;
      }
      tile.dataset.index = String(cellNumber(this.ex, cell));
      tile.dataset.status = file.status;
      if (cell.index === this.best) tile.dataset.best = "";
      if (notRun(this.ex.view, cell)) {
        tile.classList.add("xyz-v-empty");
      } else if (file.thumb) {
        const img = element("img");
        img.decoding = "async";
        img.alt = describe(this.ex, cell).join(", ");
        img.src = file.thumb;
        tile.append(img);
      } else {
        tile.append(element("div", "xyz-v-text", file.status === "failed" ? `failed: ${file.error ?? ""}` : file.status));
      }
      if (this.heat !== null) {
        const value = file.metrics[this.heat];
        const level = heatLevel(this.ex.data, this.heat, value);
        if (level !== null) tile.style.setProperty("--heat", heatColour(level));
        tile.classList.add("xyz-v-heat");
        tile.append(element("span", "xyz-v-heat-value", formatMetric(value)));
      }
      return tile;
    }
    /** The tiles in the page, row by row (for tests and the overlay). */
    get tiles() {
      return [...this.drawn.values()];
    }
  };

  // src/viewer/table.ts
  var ROW_HEIGHT = 48;
  var OVERSCAN2 = 8;
  var ViewerTable = class {
    // a search's best cell: its row is marked
    constructor(ex, apply, open) {
      __publicField(this, "ex", ex);
      __publicField(this, "apply", apply);
      __publicField(this, "open", open);
      __publicField(this, "root", element("div", "xyz-v-table-box"));
      __publicField(this, "filter", element("input", "xyz-v-filter"));
      __publicField(this, "count", element("div", "xyz-v-table-count"));
      __publicField(this, "scroller", element("div", "xyz-v-table-scroll"));
      __publicField(this, "head", element("thead"));
      __publicField(this, "body", element("tbody"));
      __publicField(this, "state", null);
      __publicField(this, "rows", []);
      __publicField(this, "rowsKey", "");
      __publicField(this, "pinsKey", "");
      __publicField(this, "columns", []);
      __publicField(this, "drawnRange", "");
      __publicField(this, "frame", 0);
      __publicField(this, "best");
      this.filter.type = "search";
      this.filter.placeholder = "Filter: words of labels, status, errors";
      this.filter.setAttribute("aria-label", "Filter the cells");
      this.filter.addEventListener("input", () => {
        if (this.state) this.apply({ ...this.state, filter: this.filter.value });
      });
      this.head.addEventListener("click", (e) => {
        const button2 = e.target.closest?.(".xyz-v-sort");
        if (button2 && this.state) this.apply({ ...this.state, sort: nextSort(this.state, button2.dataset.key) });
      });
      this.body.addEventListener("mousedown", (e) => {
        if (e.shiftKey) e.preventDefault();
      });
      this.body.addEventListener("click", (e) => {
        const row = e.target.closest?.("tr");
        const cell = row?.dataset.at ? this.ex.view.cells[Number(row.dataset.at)] : void 0;
        if (cell && e.shiftKey && this.state) {
          if (!notRun(this.ex.view, cell)) this.apply(togglePin(this.state, cellPin(this.ex.view, cell)));
          return;
        }
        if (cell && this.ex.files[cell.index]) this.open(cell, this.rows);
      });
      this.scroller.addEventListener("scroll", () => {
        if (!this.frame) this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.draw();
        });
      }, { passive: true });
      window.addEventListener("resize", () => this.draw());
      const table = element("table", "xyz-v-table");
      table.append(this.head, this.body);
      this.scroller.append(table);
      const tools = element("div", "xyz-v-table-tools");
      tools.append(this.filter, this.count);
      this.root.append(tools, this.scroller);
      this.columns = tableColumns(ex.view);
      const { search, dryRun, cells } = ex.view;
      this.best = search && !dryRun ? bestCell(cells, search.objective, search.goal) : null;
    }
    render(state) {
      this.state = state;
      if (this.filter.value !== state.filter) this.filter.value = state.filter;
      const headings = sortHeadings(this.columns, state.sort, { thumb: "xyz-v-table-thumb", sort: "xyz-v-sort" });
      this.head.replaceChildren(headings);
      const key = JSON.stringify([state.filter, state.sort, state.hidden, state.order]);
      if (key !== this.rowsKey) {
        this.rows = tableRows(this.ex.view, state);
        this.rowsKey = key;
        this.drawnRange = "";
        this.scroller.scrollTop = 0;
      }
      const pins = JSON.stringify(state.pins);
      if (pins !== this.pinsKey) {
        this.pinsKey = pins;
        this.drawnRange = "";
      }
      const total = this.ex.data.cells.length;
      this.count.textContent = `${this.rows.length} of ${total} cells`;
      this.draw();
    }
    /** The rows in view between their two spacers. */
    draw() {
      if (this.root.hidden || !this.state) return;
      const top = this.scroller.scrollTop, height = this.scroller.clientHeight || innerHeight;
      const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN2);
      const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN2);
      const range2 = `${first}:${last}`;
      if (range2 === this.drawnRange) return;
      this.drawnRange = range2;
      const spacer = (rows) => {
        const tr = element("tr", "xyz-v-spacer");
        tr.style.height = `${rows * ROW_HEIGHT}px`;
        tr.append(element("td"));
        return tr;
      };
      const drawn = this.rows.slice(first, last).map((cell) => this.row(cell));
      this.body.replaceChildren(spacer(first), ...drawn, spacer(this.rows.length - last));
    }
    row(cell) {
      const file = this.ex.files[cell.index];
      const tr = element("tr", "xyz-v-table-row");
      tr.dataset.at = String(cell.index);
      tr.dataset.index = String(cellNumber(this.ex, cell));
      tr.dataset.status = file?.status ?? "missing";
      const thumb = element("td", "xyz-v-table-thumb");
      if (file?.thumb) {
        const img = element("img");
        img.loading = "lazy";
        img.decoding = "async";
        img.alt = "";
        img.src = file.thumb;
        thumb.append(img);
      }
      tr.append(thumb, ...this.columns.map((column) => element("td", "", column.text(cell))));
      const pin = this.state ? pinOf(this.ex.view, this.state, cell) : -1;
      if (pin >= 0) tr.dataset.pin = thumb.dataset.pin = PIN_NAMES[pin];
      if (cell.error) tr.title = cell.error;
      if (cell === this.best) {
        tr.dataset.best = "";
        tr.title = `best ${this.ex.view.search.objective}`;
      }
      return tr;
    }
    /** The cells in the table's order (what the overlay's arrows step through). */
    get shownCells() {
      return this.rows;
    }
  };

  // src/viewer/url.ts
  var OWN = /* @__PURE__ */ new Set([
    "experiment",
    "columns",
    "rows",
    "at",
    "hidden",
    "mode",
    "sort",
    "filter",
    "active",
    "zoom",
    "heat",
    "order",
    "pins",
    "compare",
    "pair"
  ]);
  var enc = encodeURIComponent;
  function initialView(ex) {
    const axes = ex.view.axes;
    return settle2(ex, {
      ...initialState(),
      experiment: ex.view.id,
      columns: axes[0].slot,
      rows: axes[1]?.slot ?? null,
      zoom: ZOOM.initial,
      heat: null
    });
  }
  function toHash(state) {
    const parts = [`cols=${enc(state.columns)}`, `rows=${state.rows === null ? "none" : enc(state.rows)}`];
    const at = Object.entries(state.at).map(([slot, v]) => `${enc(slot)}:${v}`);
    if (at.length) parts.push(`at=${at.join(",")}`);
    const off = Object.entries(state.hidden).filter(([, v]) => v.length).map(([slot, v]) => `${enc(slot)}:${v.join(".")}`);
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
    const blank = initialState();
    for (const [key, value] of Object.entries(state)) {
      if (OWN.has(key) || !(key in blank) || value === void 0) continue;
      if (JSON.stringify(value) === JSON.stringify(blank[key])) continue;
      parts.push(`${enc(key)}=${enc(JSON.stringify(value))}`);
    }
    return "#" + parts.join("&");
  }
  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  var isNumber = (text) => /^\d+$/.test(text);
  function fromHash(ex, hash) {
    const axes = ex.view.axes;
    const start = initialView(ex);
    const raw = { ...start, at: {}, hidden: {} };
    const slotOf = (text) => isNumber(text) ? axes[Number(text)]?.slot ?? "" : decode(text) ?? "";
    const blank = initialState();
    let zoom = start.zoom, heat = null;
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
    return settle2(ex, { ...start, ...readState(raw), experiment: ex.view.id, zoom, heat });
  }
  var isJson = (value) => /^(%5B|%7B|\[|\{)/i.test(value);
  function pinText(pin) {
    const at = Object.entries(pin.at).map(([slot, v]) => `${enc(slot)}:${v}`).join(",");
    return pin.columns === null ? at : `${at}/${enc(pin.columns)}/${pin.rows === null ? "" : enc(pin.rows)}`;
  }
  function readPinsText(text) {
    return text.split(";").filter((item) => item !== "").map((item) => {
      const [at = "", columns, rows] = item.split("/");
      const slice2 = columns !== void 0;
      return {
        at: readAt(at, []),
        columns: slice2 ? decode(columns) : null,
        rows: slice2 && rows ? decode(rows) : null
      };
    });
  }
  function json(text) {
    if (text === null) return void 0;
    try {
      return JSON.parse(text);
    } catch {
      return void 0;
    }
  }
  function readAt(text, slots) {
    const at = {};
    text.split(",").forEach((item, k) => {
      const cut = item.lastIndexOf(":");
      const slot = cut < 0 ? slots[k] : decode(item.slice(0, cut));
      const value = Number(cut < 0 ? item : item.slice(cut + 1));
      if (slot && item !== "" && Number.isInteger(value)) at[slot] = value;
    });
    return at;
  }
  function readOff(text) {
    const off = {};
    for (const item of text.split(";")) {
      const cut = item.lastIndexOf(":");
      const slot = cut < 0 ? null : decode(item.slice(0, cut));
      if (!slot) continue;
      off[slot] = item.slice(cut + 1).split(".").filter((v) => v !== "").map(Number).filter(Number.isInteger);
    }
    return off;
  }

  // src/search_chart.ts
  var SVG = "http://www.w3.org/2000/svg";
  var LEFT = 48;
  var PAD2 = 6;
  var SEARCH_CSS = `
.xyz-objective[hidden] { display: none; }
.xyz-objective { display: flex; flex: none; flex-direction: column; gap: 2px; font-variant-numeric: tabular-nums; }
.xyz-objective-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.xyz-objective-title { font-weight: 600; }
.xyz-objective-progress, .xyz-objective-best { opacity: .85; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.xyz-objective-svg { display: block; width: 100%; overflow: visible; }
.xyz-objective-axis { stroke: currentColor; stroke-opacity: .35; stroke-width: 1; fill: none; }
.xyz-objective-label { fill: currentColor; fill-opacity: .7; font-size: 10px; }
.xyz-objective-step { stroke: #e3b341; stroke-width: 2; fill: none; }
.xyz-objective-point { fill: #4a90e2; fill-opacity: .9; }
.xyz-objective-point[data-done] { cursor: pointer; }
.xyz-objective-point.xyz-objective-top { fill: #e3b341; stroke: #fff; stroke-width: 1; }
.xyz-objective-failed { stroke: #e5534b; stroke-width: 2; }
`;
  var SearchChart = class {
    /** `pick`: a done cell's dot was clicked; `height`: the plot's height in px. */
    constructor(pick, height = 84) {
      __publicField(this, "pick", pick);
      __publicField(this, "height", height);
      __publicField(this, "root", element("div", "xyz-objective"));
      __publicField(this, "title", element("span", "xyz-objective-title"));
      __publicField(this, "progress", element("span", "xyz-objective-progress"));
      __publicField(this, "svg", document.createElementNS(SVG, "svg"));
      __publicField(this, "best", element("div", "xyz-objective-best"));
      __publicField(this, "view", null);
      __publicField(this, "width", 0);
      __publicField(this, "resized", new ResizeObserver(() => {
        const width = this.svg.clientWidth;
        if (width > 0 && width !== this.width && this.view) this.render(this.view);
      }));
      const head = element("div", "xyz-objective-head");
      head.append(this.title, this.progress);
      this.svg.classList.add("xyz-objective-svg");
      this.svg.setAttribute("height", String(height));
      this.svg.setAttribute("role", "img");
      this.root.append(head, this.svg, this.best);
      this.root.hidden = true;
      this.svg.addEventListener("click", (e) => {
        const dot = e.target.closest?.("[data-done]");
        const cell = dot && this.view ? this.view.cells[Number(dot.dataset.index)] : void 0;
        if (!cell || !this.view?.search) return;
        e.stopPropagation();
        const run = searchHistory(this.view.cells, this.view.search.objective, this.view.search.goal).map((p) => p.cell).filter((c) => c.status === "done");
        this.pick(cell, run);
      });
      this.resized.observe(this.svg);
    }
    destroy() {
      this.resized.disconnect();
    }
    /** Draw `view`'s search (hidden for a sweep or a dry run). */
    render(view) {
      this.view = view;
      const search = view?.search;
      this.root.hidden = !view || !search || view.dryRun;
      if (!view || !search || view.dryRun) return;
      const history2 = searchHistory(view.cells, search.objective, search.goal);
      const text = searchText(view, search, history2);
      this.title.textContent = text.title;
      this.progress.textContent = text.progress;
      this.best.textContent = text.best;
      this.best.title = text.best;
      this.width = this.svg.clientWidth || 320;
      const budget = Math.min(search.budget || view.cells.length, view.cells.length);
      this.draw(view, history2, budget, bestCell(view.cells, search.objective, search.goal));
    }
    draw(view, history2, budget, best) {
      const g = chartGeometry(history2, budget, { width: this.width, height: this.height, left: LEFT, pad: PAD2 });
      const { plot } = g;
      this.svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
      const nodes = [
        svg("path", { class: "xyz-objective-axis", d: `M${plot.left} ${plot.top} V${plot.bottom} H${plot.right}` }),
        ...g.labels.map((l) => label(plot.left - 4, l.y + 3, formatMetric(l.value)))
      ];
      if (g.step) nodes.push(svg("path", { class: "xyz-objective-step", d: g.step }));
      g.points.forEach(({ x, y, failed, point }, k) => {
        const about = `#${k + 1} ${point.cell.status}: ${formatMetric(point.value)} at ${cellValues(view, point.cell)}`;
        let dot;
        if (failed) {
          dot = svg("path", { class: "xyz-objective-failed", d: `M${x - 3} ${y - 3} l6 6 m0 -6 l-6 6` });
        } else {
          dot = svg("circle", { class: "xyz-objective-point", cx: String(x), cy: String(y), r: "3" });
          dot.dataset.done = "";
          if (point.cell === best) {
            dot.classList.add("xyz-objective-top");
            dot.setAttribute("r", "4.5");
          }
        }
        dot.dataset.index = String(point.cell.index);
        const title = document.createElementNS(SVG, "title");
        title.textContent = about;
        dot.append(title);
        nodes.push(dot);
      });
      this.svg.replaceChildren(...nodes);
    }
  };
  function svg(name, attributes) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }
  function label(x, y, text) {
    const node = svg("text", { class: "xyz-objective-label", x: String(x), y: String(y), "text-anchor": "end" });
    node.textContent = text;
    return node;
  }

  // src/viewer/main.ts
  var URL_DELAY = 200;
  var Viewer = class {
    constructor(data, root2) {
      __publicField(this, "state");
      __publicField(this, "ex");
      __publicField(this, "controls");
      __publicField(this, "grid");
      __publicField(this, "table");
      __publicField(this, "compare");
      __publicField(this, "player");
      __publicField(this, "chart");
      __publicField(this, "tip", element("div", "xyz-v-tip"));
      __publicField(this, "overlay", element("div", "xyz-v-overlay"));
      __publicField(this, "shown", null);
      __publicField(this, "open", null);
      __publicField(this, "urlDue", 0);
      this.ex = experiment(data);
      this.state = fromHash(this.ex, location.hash);
      const apply = (next) => this.set(next);
      this.controls = new ViewerControls(this.ex, apply);
      this.grid = new TileGrid(this.ex, { tip: (cell, e) => this.showTip(cell, e), open: (t, e) => this.openTile(t, e) });
      this.compare = new ComparePanel(apply, (_view, file) => file);
      this.player = new SliderPlayer(() => this.playFrame());
      this.controls.bar.append(this.player.button, this.compare.pinSliceButton, this.compare.compareButton);
      this.table = new ViewerTable(
        this.ex,
        apply,
        (cell, rows) => this.show({ list: "table", at: rows.indexOf(cell), rows })
      );
      this.chart = new SearchChart((cell, run) => this.show({ list: "table", at: run.indexOf(cell), rows: run }), 110);
      this.chart.root.classList.add("xyz-v-objective");
      const style = element("style");
      style.textContent = SEARCH_CSS + VIEWER_SEARCH_CSS;
      document.head.append(style);
      const header = element("header", "xyz-v-header");
      header.append(element("h1", "", data.name), this.controls.bar);
      root2.append(
        header,
        this.chart.root,
        this.controls.values,
        this.controls.sliders,
        this.grid.root,
        this.table.root,
        this.compare.root,
        this.tip,
        this.overlay
      );
      this.overlay.hidden = true;
      this.tip.hidden = true;
      window.addEventListener("hashchange", () => this.set(fromHash(this.ex, location.hash), false));
      window.addEventListener("keydown", (e) => this.key(e));
      this.overlay.addEventListener("click", (e) => {
        if (e.target === this.overlay) this.close();
      });
      this.render();
      this.chart.render(this.ex.view);
    }
    /** A new view from a control, a key, the wheel or the URL; the explorer's functions return only its own
     * fields, so they are merged over the viewer's (tile size, heat map). */
    set(next, toUrl = true) {
      const settled = settle2(this.ex, { ...this.state, ...next });
      if (JSON.stringify(settled) === JSON.stringify(this.state)) return;
      this.state = settled;
      if (toUrl) this.writeUrl();
      this.render();
    }
    /** The view into the URL a moment later, in a task of its own: a history change costs from 1 to 20 ms on a
     * busy machine (too much inside a slider step's handler), and Chromium ignores a page's history changes
     * beyond a few hundred in ten seconds, which a key held down would make. At most one write per URL_DELAY,
     * of the latest view. */
    writeUrl() {
      if (this.urlDue) return;
      this.urlDue = window.setTimeout(() => {
        this.urlDue = 0;
        history.replaceState(null, "", toHash(this.state));
      }, URL_DELAY);
    }
    render() {
      const { mode } = this.state, view = this.ex.view;
      this.controls.render(this.state);
      this.grid.root.hidden = mode !== "grid";
      this.table.root.hidden = mode !== "table";
      this.player.render(mode === "grid" && sliderAxes(view, this.state).length > 0);
      this.compare.render(view, this.state);
      if (mode === "table") {
        this.table.render(this.state);
      } else if (mode === "grid") {
        this.shown = slice(view, this.state);
        const pins = /* @__PURE__ */ new Map();
        this.state.pins.forEach((pin, k) => {
          if (pin.columns === null) pins.set(cellAt(view, pin.at).index, PIN_NAMES[k]);
        });
        this.grid.render(this.shown, this.state.zoom, this.state.heat, pins);
      }
    }
    /** One frame of Play: false when there is nothing to play (the player stops). */
    playFrame() {
      const next = nextFrame(this.ex.view, this.state);
      if (!next) return false;
      this.set(next);
      return true;
    }
    showTip(cell, e) {
      if (!cell) {
        this.tip.hidden = true;
        return;
      }
      if (this.tip.dataset.cell !== String(cell.index) || this.tip.hidden) {
        this.tip.replaceChildren(...describe(this.ex, cell).map((line) => element("div", "", line)));
        this.tip.dataset.cell = String(cell.index);
      }
      this.tip.hidden = false;
      this.tip.style.left = `${e.clientX + 14}px`;
      this.tip.style.top = `${e.clientY + 14}px`;
    }
    /** A click opens the cell at full size; shift+click or the tile's pin button pins it (again: unpins). */
    openTile(tile, e) {
      if (notRun(this.ex.view, tile.cell)) return;
      if (e.shiftKey || e.target.closest?.(".xyz-v-pin")) {
        this.set(togglePin(this.state, cellPin(this.ex.view, tile.cell)));
        return;
      }
      this.show({ list: "grid", row: tile.row, col: tile.col });
    }
    cellOf(opened) {
      return opened.list === "grid" ? this.shown?.cells[opened.row]?.[opened.col] : opened.rows[opened.at];
    }
    show(opened) {
      const cell = this.cellOf(opened);
      const file = cell ? this.ex.files[cell.index] : void 0;
      if (!cell || !file) return;
      this.open = opened;
      const frame = element("figure", "xyz-v-full");
      if (file.full) {
        const img = element("img");
        img.src = file.full;
        img.alt = describe(this.ex, cell).join(", ");
        const link = element("a", "xyz-v-full-link", "open the full-size file");
        link.href = file.full;
        link.target = "_blank";
        frame.append(img, link);
      } else {
        frame.append(element("div", "xyz-v-text", file.error ? `failed: ${file.error}` : file.status));
      }
      const caption = element("figcaption");
      caption.append(...describe(this.ex, cell).map((line) => element("div", "", line)));
      frame.append(caption);
      this.overlay.replaceChildren(frame);
      this.overlay.dataset.index = String(file.index);
      this.overlay.hidden = false;
    }
    close() {
      this.open = null;
      this.overlay.hidden = true;
    }
    key(e) {
      if (this.open) {
        this.overlayKey(e);
        return;
      }
      const target = e.target;
      if (this.state.mode !== "grid" || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
      if (!["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"].includes(e.key)) return;
      const view = this.ex.view;
      const sliders = sliderAxes(view, this.state).filter((a) => a.labels.length > 1);
      const active = activeSlider(view, this.state);
      if (!active || !sliders.length) return;
      e.preventDefault();
      if ((e.key === "ArrowUp" || e.key === "ArrowDown") && sliders.length > 1) {
        const at = sliders.findIndex((a) => a.slot === active.slot);
        const next = sliders[Math.max(0, Math.min(sliders.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
        this.set({ ...this.state, active: next.slot });
      } else {
        this.set(stepSlider(view, this.state, active.slot, e.key === "ArrowRight" || e.key === "ArrowUp" ? 1 : -1));
      }
    }
    overlayKey(e) {
      const open = this.open;
      const steps = {
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0]
      };
      if (e.key === "Escape") {
        this.close();
      } else if (steps[e.key] && open.list === "grid") {
        const [dr, dc] = steps[e.key];
        const rows = this.shown?.rows.length ?? 1, cols = this.shown?.columns.length ?? 1;
        this.show({ list: "grid", row: (open.row + dr + rows) % rows, col: (open.col + dc + cols) % cols });
      } else if (steps[e.key] && open.list === "table") {
        const [dr, dc] = steps[e.key], n = open.rows.length;
        this.show({ ...open, at: (open.at + dr + dc + n) % n });
      } else {
        return;
      }
      e.preventDefault();
    }
  };
  var VIEWER_SEARCH_CSS = `
.xyz-v-objective { padding: 6px 16px; border-bottom: 1px solid var(--line); }
.xyz-v-objective .xyz-objective-svg { max-width: 720px; }
.xyz-v-tile.xyz-v-empty { background: transparent; border: 1px solid var(--line); cursor: default; }
.xyz-v-tile[data-best] { outline: 3px solid #e3b341; outline-offset: -3px; }
.xyz-v-tile[data-best]::before { content: "best"; position: absolute; left: 4px; bottom: 4px; padding: 0 4px;
  border-radius: 3px; font: 700 11px/1.4 system-ui, sans-serif; color: #222; background: #e3b341; }
.xyz-v-table-row[data-best] { box-shadow: inset 3px 0 0 #e3b341; background: rgba(227, 179, 65, 0.14); }
`;
  var source = document.getElementById("xyz-data");
  var root = document.getElementById("xyz-viewer");
  if (source && root) {
    const data = JSON.parse(source.textContent ?? "{}");
    window.xyzViewer = new Viewer(data, root);
  }
})();
