"""Planning an experiment: from the queued prompt and its axes to a Plan.

The planner reads the API prompt the user queued, finds what each axis drives,
checks every value against the declaration of the input it drives, orders the axes
so expensive nodes change least often, and keeps everything needed to rebuild any
cell's prompt later. Every problem is a PlanError raised before a single cell is
queued, naming the node, the input, the value and what was expected.
"""
from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Any

from .. import protocol as P
from ..comfyui.node_specs import InputSpec, NodeSpec
from ..comfyui.prompt_graph import Prompt, ancestors, consumers_of, descendants, is_link, subset, widget_value
from ..errors import PlanError
from ..metrics.declared import declared_metrics
from .axis_values import ValueProblem, convert_component, convert_literal, expand_sourced, format_value, refuse_repeats
from .cell_order import CellOrder, axis_costs, loop_order
from .node_names import NodeNames
from .plan import AxisMode, AxisPlan, AxisRequest, AxisValue, FixedParameter, Plan, Target
from .value_syntax import Item, SyntaxProblem, split_items

FOOTER_VALUE_CHARS = 60


def plan_experiment(prompt: Prompt, driver_id: str, requests: dict[str, AxisRequest],
                    specs: dict[str, NodeSpec], max_cells: int,
                    rng: random.Random | None = None, order: CellOrder | str = CellOrder.COST_AWARE,
                    workflow: Any = None) -> Plan:
    """Resolve and validate every axis of the queued prompt; raise PlanError on any problem.

    `workflow` is the editor workflow queued with the prompt (extra_pnginfo), if any: it names the
    subgraphs a node sits in, in labels and messages.
    """
    driver_id = str(driver_id)
    names = NodeNames.of(prompt, specs, workflow)
    driver = names.label(driver_id)
    if "x" not in requests:
        raise PlanError(driver, "x", "(nothing)", "an XYZ Axis connected to x")
    _check_distinct_axes(requests, driver)
    _check_json_numbers(prompt, names)
    assembler_id = _find_assembler(prompt, driver)
    feeds = ancestors(prompt, assembler_id) | {assembler_id}
    axis_ids = {nid for nid, n in prompt.items() if n.get("class_type") == P.NODE_AXIS}
    _check_stray_axes(prompt, axis_ids, requests, names)

    axes: list[AxisPlan] = []
    claimed: dict[tuple[str, str], str] = {}
    for slot in P.axis_slots_in(requests):
        if slot not in requests:
            continue
        axis = _resolve_axis(slot, requests[slot], prompt, names, feeds, axis_ids, rng)
        _check_overlap(names, axis, axes)
        for target in axis.all_targets():
            claimed[(target.node_id, target.input)] = slot
        axes.append(axis)

    total = math.prod(a.size for a in axes)
    if total > max_cells:
        sizes = " x ".join(f"{len(a.values)} ({a.slot.upper()})" for a in axes)
        raise PlanError(driver, "max_cells", total, f"at most {max_cells} cells",
                        f"{sizes}; raise max_cells or trim an axis")

    cell_nodes = sorted(feeds - axis_ids, key=_id_key)
    after = descendants(prompt, [assembler_id])
    final_graph = {k: v for k, v in prompt.items()}
    assembler_inputs = prompt[assembler_id].get("inputs", {})
    final_graph[assembler_id] = {**prompt[assembler_id],
                                 "inputs": {k: v for k, v in assembler_inputs.items() if k not in P.CELL_INPUTS}}
    final = {assembler_id} | after
    for node_id in after:
        final |= ancestors(final_graph, node_id)
    stray = (final & axis_ids) | {n for n in final if prompt[n].get("class_type") == P.NODE_DRIVER}
    final -= stray
    base = subset(prompt, set(cell_nodes) | final)
    costs = axis_costs(base, axes, specs, set(cell_nodes))
    strategy = parse_cell_order(order, driver)
    fixed = _fixed_parameters(base, cell_nodes, claimed, names)
    assembler = names.label(assembler_id)
    metrics = declared_metrics(assembler_inputs, assembler)
    return Plan(axes=tuple(axes), loop_order=loop_order([a.slot for a in axes], costs, strategy), cell_nodes=cell_nodes,
                final_nodes=sorted(final, key=_id_key), base=base, assembler_id=assembler_id, fixed=fixed,
                costs=costs, metrics=tuple(metrics), show_metrics=bool(metrics) and assembler_inputs.get(
                    P.SHOW_METRICS_INPUT) is True)


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return False


def _check_json_numbers(prompt: Prompt, names: NodeNames) -> None:
    """Every cell prompt is a copy of this one: a NaN or Infinity in it would reach
    ComfyUI's queue and history, which then stop being JSON for every client."""
    for node_id, node in prompt.items():
        for name, value in (node.get("inputs") or {}).items():
            if _non_finite(value):
                raise PlanError(names.label(node_id), name, value,
                                "a finite number", "JSON, which ComfyUI's queue and history speak, has no NaN "
                                "or Infinity")


def parse_cell_order(order: str, driver: str) -> CellOrder:
    """The Grid Driver's `order` input as a CellOrder (PlanError naming the driver otherwise)."""
    try:
        return CellOrder(order)
    except ValueError:
        raise PlanError(driver, "order", order, f"one of: {', '.join(CellOrder)}") from None


def _check_overlap(names: NodeNames, axis: AxisPlan, earlier: list[AxisPlan]) -> None:
    """Two axes must not fight over one input.

    A link can only come from one axis, so for value axes the graph already
    guarantees this; prompt S/R axes share texts, and two overlapping search terms
    would make the later axis silently find nothing once the earlier one replaced it.
    """
    mine = set(axis.all_targets())
    for other in earlier:
        shared = mine & set(other.all_targets())
        if not shared:
            continue
        if axis.mode == AxisMode.REPLACE and other.mode == AxisMode.REPLACE and not (
                (axis.search or "") in (other.search or "") or (other.search or "") in (axis.search or "")):
            continue
        node_id, name = min((t.node_id, t.input) for t in shared)
        raise PlanError(_axis_name(names, axis.node_id), "values",
                        axis.search or axis.values[0].components[0],
                        "each input driven by one axis only",
                        f"the {other.slot.upper()} axis already changes {names.label(node_id)} {name}")


def _id_key(node_id: str) -> tuple[int, int, str]:
    return (0, int(node_id), "") if node_id.isdigit() else (1, 0, node_id)


def _axis_name(names: NodeNames, node_id: str) -> str:
    return names.label(node_id, "XYZ Axis")


def _check_distinct_axes(requests: dict[str, AxisRequest], driver: str) -> None:
    seen: dict[str, str] = {}
    for slot in P.axis_slots_in(requests):
        if slot in requests:
            nid = requests[slot].node_id
            if nid in seen:
                raise PlanError(driver, slot, f"XYZ Axis #{nid}", "a different XYZ Axis on each axis input",
                                f"it is already connected to {seen[nid]}")
            seen[nid] = slot


def _find_assembler(prompt: Prompt, driver: str) -> str:
    found = [nid for nid, n in prompt.items() if n.get("class_type") == P.NODE_ASSEMBLER]
    if len(found) != 1:
        got = "none" if not found else f"{len(found)} (#{', #'.join(found)})"
        raise PlanError(driver, "graph", got, "exactly one Grid Assembler in the workflow",
                        "its image input receives each cell's picture")
    return found[0]


def _check_stray_axes(prompt: Prompt, axis_ids: set[str], requests: dict[str, AxisRequest],
                      names: NodeNames) -> None:
    used = {r.node_id for r in requests.values()}
    for nid in sorted(axis_ids - used, key=_id_key):
        if any(consumers_of(prompt, nid, out) for out in range(1, P.AXIS_VALUE_OUTPUTS + 1)):
            raise PlanError(_axis_name(names, nid), "axis", "(not connected)",
                            "its axis output connected to an axis input of the Grid Driver (x, y, z, axis 4 ...)",
                            "its values are wired to inputs, so it must be part of the experiment")


def _resolve_axis(slot: str, req: AxisRequest, prompt: Prompt, names: NodeNames,
                  feeds: set[str], axis_ids: set[str], rng: random.Random | None) -> AxisPlan:
    name = _axis_name(names, req.node_id)
    try:
        mode = AxisMode(req.mode)
    except ValueError:
        raise PlanError(name, "mode", req.mode, f"one of: {', '.join(AxisMode)}") from None
    try:
        items = split_items(req.values)
    except SyntaxProblem as e:
        raise PlanError(name, "values", e.fragment, e.expected) from None
    if not items:
        raise PlanError(name, "values", req.values.strip(), "at least one value", "the axis is empty")
    if mode == AxisMode.REPLACE:
        axis = _resolve_replace(slot, req, items, prompt, names.specs, feeds, axis_ids, name)
    else:
        axis = _resolve_values(slot, req, items, prompt, names, feeds, name, rng)
    labels = _labels(req, axis, name)
    return replace(axis, values=tuple(AxisValue(v.components, label) for v, label in zip(axis.values, labels)))


def _target_spec(names: NodeNames, node_id: str, input_name: str, axis_name: str) -> InputSpec:
    class_type = names.prompt[node_id].get("class_type", "")
    spec = names.specs.get(class_type)
    where = f"{names.label(node_id)} {input_name}"
    if spec is None or input_name not in spec.inputs:
        raise PlanError(axis_name, "value", where, "an input that the node declares",
                        f"unknown node type {class_type}" if spec is None else "no such input")
    ispec = spec.inputs[input_name]
    if not ispec.is_widget:
        raise PlanError(axis_name, "value", where, "a widget input (INT, FLOAT, STRING, BOOLEAN or a list of choices)",
                        f"this input takes a {ispec.type} connection")
    return ispec


def _resolve_values(slot: str, req: AxisRequest, items: list[Item], prompt: Prompt, names: NodeNames,
                    feeds: set[str], name: str, rng: random.Random | None) -> AxisPlan:
    wired: dict[int, tuple[Target, ...]] = {}
    for out in range(1, P.AXIS_VALUE_OUTPUTS + 1):
        consumers = sorted(consumers_of(prompt, req.node_id, out))
        if consumers:
            wired[out] = tuple(Target(c, n) for c, n in consumers)
    if not wired:
        raise PlanError(name, "value", "(not connected)", "its value output connected to the input it varies",
                        "drag from 'value' to e.g. KSampler cfg")
    width = max(len(i.parts) for i in items)
    for item in items:
        if len(item.parts) != width:
            raise PlanError(name, "values", item.raw, f"{width} components joined by '|' like the other values")
    for out in range(1, width + 1):
        if out not in wired:
            raise PlanError(name, _output_name(out), "(not connected)",
                            f"a connection, because each value has {width} components",
                            f"component {out} has no input to drive")
    extra = sorted(o for o in wired if o > width)
    if extra:
        raise PlanError(name, _output_name(extra[0]), "(connected)",
                        f"no connection, because the values have only {width} component(s)",
                        "add a '|' component to every value or remove the link")
    targets = tuple(wired[k] for k in range(1, width + 1))
    for component in targets:
        for target in component:
            if target.node_id not in feeds:
                raise PlanError(name, "value", f"{names.label(target.node_id)} {target.input}",
                                "an input of a node that feeds the Grid Assembler",
                                "this node's result never reaches the grid")
    specs_per = [[_target_spec(names, t.node_id, t.input, name) for t in comp] for comp in targets]
    try:
        if width == 1:
            first = specs_per[0][0]
            expanded, sources = expand_sourced(items, first, rng)
            values = [[v] for v in expanded]
            for other in specs_per[0][1:]:
                for v in values:
                    convert_literal(str(v[0]) if not isinstance(v[0], str) else v[0], other)
        else:
            values = []
            for item in items:
                row = []
                for k, part in enumerate(item.parts):
                    row.append(convert_component(part.text, specs_per[k][0]))
                    for other in specs_per[k][1:]:
                        convert_component(part.text, other)
                values.append(row)
            sources = list(range(len(items)))
        refuse_repeats(values, sources, items)
    except ValueProblem as e:
        where = _where(names, targets)
        raise PlanError(name, "values", e.value, e.expected + where, e.detail) from None
    title = req.title.strip() or " / ".join(names.input(comp[0]) for comp in targets)
    return AxisPlan(slot=slot, node_id=req.node_id, title=title, mode=AxisMode.VALUES,
                    values=_unlabelled(values), targets=targets)


def _unlabelled(values: list[list[Any]]) -> tuple[AxisValue, ...]:
    """An axis's values before their labels are known (`_resolve_axis` labels them)."""
    return tuple(AxisValue(tuple(components), "") for components in values)


def _where(names: NodeNames, targets: tuple[tuple[Target, ...], ...]) -> str:
    inputs = [f"{names.label(t.node_id)} {t.input}" for comp in targets for t in comp]
    return f" for {', '.join(inputs[:3])}" + (" ..." if len(inputs) > 3 else "")


def _output_name(out: int) -> str:
    return "value" if out == 1 else f"value_{out}"


def _resolve_replace(slot: str, req: AxisRequest, items: list[Item], prompt: Prompt, specs: dict[str, NodeSpec],
                     feeds: set[str], axis_ids: set[str], name: str) -> AxisPlan:
    if any(consumers_of(prompt, req.node_id, out) for out in range(1, P.AXIS_VALUE_OUTPUTS + 1)):
        raise PlanError(name, "value", "(connected)", "no connection in prompt S/R mode",
                        "S/R rewrites the prompt texts themselves; leave 'value' unconnected")
    for item in items:
        if item.is_paired:
            raise PlanError(name, "values", item.raw, "one replacement text per value in prompt S/R mode",
                            "quote text that contains '|'")
    search = items[0].parts[0].text
    if not search:
        raise PlanError(name, "values", '""', "a non-empty search term as the first value")
    targets: list[Target] = []
    for node_id in sorted(feeds - axis_ids, key=_id_key):
        node = prompt[node_id]
        spec = specs.get(node.get("class_type", ""))
        for input_name, value in (node.get("inputs") or {}).items():
            if isinstance(value, str) and search in value:
                ispec = spec.inputs.get(input_name) if spec else None
                if ispec is None or ispec.type == "STRING":
                    targets.append(Target(node_id, input_name))
    if not targets:
        raise PlanError(name, "values", search, "a search term that occurs in a prompt text of the workflow",
                        "the first value is searched for and replaced by each value in turn")
    values = [[item.parts[0].text] for item in items]
    try:
        refuse_repeats(values, list(range(len(items))), items)
    except ValueProblem as e:
        raise PlanError(name, "values", e.value, e.expected, e.detail) from None
    title = req.title.strip() or f'prompt S/R "{search}"'
    return AxisPlan(slot=slot, node_id=req.node_id, title=title, mode=AxisMode.REPLACE,
                    values=_unlabelled(values), targets=(tuple(targets),), search=search)


def _labels(req: AxisRequest, axis: AxisPlan, name: str) -> list[str]:
    default = [" / ".join(format_value(c) for c in v.components) for v in axis.values]
    if not req.labels.strip():
        return default
    try:
        items = split_items(req.labels)
    except SyntaxProblem as e:
        raise PlanError(name, "labels", e.fragment, e.expected) from None
    if len(items) != len(axis.values):
        raise PlanError(name, "labels", req.labels.strip(), f"{len(axis.values)} labels, one per value",
                        f"got {len(items)}")
    return [" | ".join(p.text for p in item.parts) for item in items]


def _fixed_parameters(base: Prompt, cell_nodes: list[str], varied: dict[tuple[str, str], str],
                      names: NodeNames) -> tuple[FixedParameter, ...]:
    fixed: list[FixedParameter] = []
    for node_id in cell_nodes:
        node = base[node_id]
        if node.get("class_type") in P.OUR_NODES:
            continue
        spec = names.specs.get(node.get("class_type", ""))
        title = names.title(node_id)
        for input_name, value in (node.get("inputs") or {}).items():
            if is_link(value) or (node_id, input_name) in varied:
                continue
            if spec is not None and input_name in spec.inputs and not spec.inputs[input_name].is_widget:
                continue
            value = widget_value(value)  # a list (a multi-select's choices) comes boxed
            text = (", ".join(map(format_value, value)) if isinstance(value, list) else format_value(value)).replace(
                "\n", " ")
            if len(text) > FOOTER_VALUE_CHARS:
                text = text[: FOOTER_VALUE_CHARS - 1] + "…"
            fixed.append(FixedParameter(title, input_name, text))
    return tuple(fixed)

