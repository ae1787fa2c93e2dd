// What a Grid Assembler and an XYZ Axis show in the editor: only what the user needs now.
// A metric's name and goal widgets appear once its input is connected (or they hold a name);
// `show_metrics` once any metric does. An XYZ Axis shows value_2..value_4 only when its
// values pair several components with `|`, or those outputs are connected.
// Nothing saved changes: widgets are hidden, never removed (widgets_values are positional
// and the API prompt reads every widget), and only trailing, unconnected outputs come and go
// (links name an output by its index). A Grid Driver grows an axis input (axis9, axis10, ...)
// each time its last one is wired, so it takes any number of axes on every host and frontend
// with the same input names.
import {
  AXIS_SLOTS, AXIS_TYPE, AXIS_VALUE_OUTPUTS, METRIC_WIDGETS, NODE_ASSEMBLER, NODE_AXIS, NODE_DRIVER, SHOW_METRICS_INPUT,
} from "./protocol";
import {
  addInput, addOutput, inputLinked, inputs, nodeClass, onConnectionsChanged, onWidgetChanged, outputLinked, outputs,
  removeLastInput, removeLastOutput, reshaped, setWidgetHidden, widgetValue, type HostNode,
} from "./host";

const AXIS_VALUES = "values";
const VALUE_OUTPUT_TYPE = "*";
const FIRST_VALUE_OUTPUT = 1;  // output 0 is `axis`; then value, value_2 .. value_4
const shapedNodes = new WeakSet<HostNode>();

/** The most components any item of an axis's text pairs with `|` (1: no pairs). Quotes protect
 * commas and bars as in the value syntax (xyz_studio/planning/value_syntax.py). */
export function pairedComponents(text: string): number {
  let most = 1;
  let parts = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') i++;  // "" inside quotes: a literal quote
      else quoted = !quoted;
    } else if (!quoted && ch === "|") {
      parts++;
      most = Math.max(most, parts);
    } else if (!quoted && (ch === "," || ch === "\n" || ch === "\r")) {
      parts = 1;
    }
  }
  return Math.min(most, AXIS_VALUE_OUTPUTS);
}

function outputName(k: number): string {
  return k === 1 ? "value" : `value_${k}`;
}

/** How many value outputs an axis needs: its pairs' components, and every connected one. */
export function valueOutputsNeeded(components: number, linked: boolean[]): number {
  const lastLinked = linked.lastIndexOf(true) + 1;
  return Math.max(1, components, lastLinked);
}

function shapeAssembler(node: HostNode): string[] {
  const changed: string[] = [];
  let anyMetric = false;
  for (const [metric, widgets] of Object.entries(METRIC_WIDGETS)) {
    const named = typeof widgetValue(node, widgets[0]) === "string" && widgetValue(node, widgets[0]) !== "";
    const shown = inputLinked(node, metric) || named || widgets.some((w) => inputLinked(node, w));
    anyMetric ||= shown;
    for (const w of widgets) if (setWidgetHidden(node, w, !shown)) changed.push(w);
  }
  const showMetrics = anyMetric || widgetValue(node, SHOW_METRICS_INPUT) === true || inputLinked(node, SHOW_METRICS_INPUT);
  if (setWidgetHidden(node, SHOW_METRICS_INPUT, !showMetrics)) changed.push(SHOW_METRICS_INPUT);
  return changed;
}

/** True when the axis's outputs changed. */
function shapeAxis(node: HostNode): boolean {
  const text = widgetValue(node, AXIS_VALUES);
  const slots = outputs(node);
  const linked = slots.slice(FIRST_VALUE_OUTPUT).map(outputLinked);
  const wanted = FIRST_VALUE_OUTPUT + valueOutputsNeeded(pairedComponents(typeof text === "string" ? text : ""), linked);
  const before = slots.length;
  while (outputs(node).length > wanted && !outputLinked(outputs(node)[outputs(node).length - 1]!)) {
    removeLastOutput(node);
  }
  for (let k = outputs(node).length; k < Math.min(wanted, FIRST_VALUE_OUTPUT + AXIS_VALUE_OUTPUTS); k++) {
    addOutput(node, outputName(k), VALUE_OUTPUT_TYPE);
  }
  return outputs(node).length !== before;
}

/** The number of axis `slot` (x 1, y 2, z 3, axisN N); null for any other input. */
export function axisNumber(slot: string): number | null {
  const declared = AXIS_SLOTS.indexOf(slot as (typeof AXIS_SLOTS)[number]);
  if (declared >= 0) return declared + 1;
  const n = /^axis([1-9][0-9]{0,3})$/.exec(slot);
  return n && Number(n[1]) > 3 ? Number(n[1]) : null;
}

/** The highest axis input a Grid Driver should have, given the numbers of its linked axis
 * inputs: the declared ones always, and once the last of those or any later one is linked,
 * one spare after the last linked. */
export function axisInputsWanted(linked: readonly number[]): number {
  const last = Math.max(0, ...linked);
  return last >= AXIS_SLOTS.length ? last + 1 : AXIS_SLOTS.length;
}

/** True when the driver's inputs changed. Only inputs past the declared ones come and go, and
 * only at the end of the node's inputs. */
function shapeDriver(node: HostNode): boolean {
  const linked = inputs(node).filter((i) => i.link !== undefined && i.link !== null)
    .map((i) => axisNumber(i.name)).filter((n): n is number => n !== null);
  const wanted = axisInputsWanted(linked);  // never below the declared slots: those are never removed
  const before = inputs(node).length;
  for (let last = inputs(node).at(-1); last && (axisNumber(last.name) ?? 0) > wanted
       && (last.link === undefined || last.link === null); last = inputs(node).at(-1)) {
    removeLastInput(node);
  }
  const highest = Math.max(AXIS_SLOTS.length, ...inputs(node).map((i) => axisNumber(i.name) ?? 0));
  for (let n = highest + 1; n <= wanted; n++) addInput(node, `axis${n}`, AXIS_TYPE, `axis ${n}`);
  return inputs(node).length !== before;
}

/** nodeCreated: shape the node once it is set up. A node being loaded is configured from
 * its saved form right after this hook (its values, outputs and links), so it is shaped from
 * those; a node made in the editor keeps its first size until then and is fitted to its
 * content. */
export function shapeCreatedNode(node: HostNode): void {
  const kind = nodeClass(node);
  if (kind !== NODE_ASSEMBLER && kind !== NODE_AXIS && kind !== NODE_DRIVER) return;
  const [width, height] = node.size;
  setTimeout(() => shapeNode(node, node.size[0] === width && node.size[1] === height), 0);
}

/** Shape a node now and whenever its links or the widgets that decide its shape change.
 * `fresh`: a node just made in the editor, which takes the height its content needs. */
export function shapeNode(node: HostNode, fresh = false): void {
  const kind = nodeClass(node);
  if (kind !== NODE_ASSEMBLER && kind !== NODE_AXIS && kind !== NODE_DRIVER) return;
  const apply = (fit: boolean) => {
    if (kind === NODE_ASSEMBLER) {
      const changed = shapeAssembler(node);
      if (changed.length) reshaped(node, changed, false);  // its panel keeps the node's size
    } else if (kind === NODE_DRIVER) {
      if (shapeDriver(node)) reshaped(node, [], true);  // a new socket takes a row
    } else if (shapeAxis(node)) {
      reshaped(node, [], fit);
    }
  };
  if (!shapedNodes.has(node)) {
    shapedNodes.add(node);
    onConnectionsChanged(node, () => apply(false));
    const decisive = kind === NODE_ASSEMBLER ? Object.values(METRIC_WIDGETS).map((w) => w[0]!)
      : kind === NODE_AXIS ? [AXIS_VALUES] : [];
    for (const name of decisive) onWidgetChanged(node, name, () => apply(false));
  }
  apply(fresh);
}
