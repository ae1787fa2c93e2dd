"""API format -> UI format: build an editor workflow from an API prompt.

``api_to_ui`` builds a graph (schema version 0.4) a stock editor can load, with a simple
automatic layout: nodes in columns by dependency depth, stacked in execution order.
``output_names_from_object_info`` supplies the output slot names it shows.
Only the example-workflow generator (harness.make_workflows) and the tests build UI
workflows, so this direction lives in the harness; the pack itself only reads them
(xyz_studio.workflow.ui_to_api).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xyz_studio import protocol as P
from xyz_studio.comfyui.node_specs import InputSpec, NodeSpec, parse_node_spec
from xyz_studio.workflow.shared import MODE_ALWAYS, WorkflowFormatError, control_slots, is_api_prompt

__all__ = ["api_to_ui", "output_names_from_object_info"]

# Value written after a control-after-generate widget when we build a UI workflow.
_CONTROL_DEFAULT = "fixed"

_MISSING = object()


def output_names_from_object_info(object_info: dict) -> dict[str, list[str]]:
    """``{class: output names}`` from GET /object_info, for :func:`api_to_ui`."""
    names: dict[str, list[str]] = {}
    for class_type, info in object_info.items():
        if isinstance(info, dict) and isinstance(info.get("output_name"), (list, tuple)):
            names[class_type] = [str(n) for n in info["output_name"]]
    return names


def _widgets_of(spec: NodeSpec) -> list[InputSpec]:
    return [inp for inp in spec.inputs.values() if inp.is_widget]


def _unboxed(value: Any) -> Any:
    """A prompt's literal as a widget holds it (the prompt boxes lists so they are not links)."""
    if isinstance(value, dict) and set(value) == {"__value__"}:
        return value["__value__"]
    return value


def _is_link(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and isinstance(value[0], (str, int)) and not isinstance(value[0], bool)
            and isinstance(value[1], int) and not isinstance(value[1], bool))


def _ui_node_id(key: str) -> int | str:
    """Numeric prompt ids become int node ids; others stay strings so they round-trip."""
    try:
        number = int(key)
    except ValueError:
        return key
    return number if str(number) == key else key


def _placeholder(inp: InputSpec) -> Any:
    """A widget value for a linked widget input (never sent; shown if unlinked)."""
    if inp.default is not None:
        return inp.default
    if inp.type == "COMBO" and inp.options:
        return inp.options[0]
    return None


def _topological_order(prompt: dict, edges: dict[str, list[str]]) -> tuple[list[str], dict[str, int]]:
    """Nodes in dependency order (ties in prompt order) and each node's depth."""
    position = {key: i for i, key in enumerate(prompt)}
    depth: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    order: list[str] = []

    def visit(start: str) -> None:
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(edges[start], key=position.__getitem__)))]
        state[start] = 1
        while stack:
            key, parents = stack[-1]
            for parent in parents:
                if state.get(parent) == 1:
                    raise WorkflowFormatError(f"node {parent} ({prompt[parent]['class_type']}): "
                                              f"the prompt has a cycle through it")
                if state.get(parent) is None:
                    state[parent] = 1
                    stack.append((parent, iter(sorted(edges[parent], key=position.__getitem__))))
                    break
            else:
                stack.pop()
                state[key] = 2
                depth[key] = 1 + max((depth[p] for p in edges[key]), default=-1)
                order.append(key)

    for key in prompt:
        if key not in state:
            visit(key)
    return order, depth


NODE_WIDTH = 320
COLUMN_GAP = 200  # 1.32's Vue renderer draws nodes 1.2 times as wide on a layout 0.86 times as large
PANEL_NODE_SIZE = (460, 560)  # a Grid Assembler, sized for its Z-scrubber panel


def _node_height(n_slots: int, widget_inputs: list[InputSpec]) -> int:
    height = 10 + 20 * n_slots
    for inp in widget_inputs:
        height += 60 if inp.type == "STRING" else 24
        height += 24 * control_slots(inp)
    return max(height, 46)


def api_to_ui(prompt: dict, specs: dict[str, NodeSpec],
              output_names: dict[str, list[str]] | None = None) -> dict:
    """Build an editor workflow (schema version 0.4) from an API prompt.

    Nodes are laid out in columns by dependency depth. ``output_names`` (see
    :func:`output_names_from_object_info`) names output slots; otherwise their types are used.
    ``ui_to_api(api_to_ui(p, specs), specs) == p`` for a valid prompt ``p`` (apart from
    ``_meta``, which ``ui_to_api`` always adds).
    """
    if not is_api_prompt(prompt):
        raise WorkflowFormatError(
            "not an API prompt: expected an object of {id: {'class_type': ..., 'inputs': {...}}}")
    output_names = output_names or {}

    node_specs: dict[str, NodeSpec] = {}
    edges: dict[str, list[str]] = {}
    for key, entry in prompt.items():
        class_type = entry["class_type"]
        spec = specs.get(class_type)
        if spec is None:
            raise WorkflowFormatError(
                f"node {key} ({class_type}): unknown node type {class_type!r} (missing custom node?)")
        node_specs[key] = spec
        parents: list[str] = []
        for name, value in (entry.get("inputs") or {}).items():
            if not _is_link(value):
                continue
            origin = str(value[0])
            if origin not in prompt:
                raise WorkflowFormatError(
                    f"node {key} ({class_type}): input {name!r} is linked to node {origin}, "
                    f"which is not in the prompt")
            origin_spec = specs.get(prompt[origin]["class_type"])
            if origin_spec is not None and not 0 <= value[1] < len(origin_spec.outputs):
                raise WorkflowFormatError(
                    f"node {key} ({class_type}): input {name!r} uses output {value[1]} of node "
                    f"{origin} ({origin_spec.class_type}), which has "
                    f"{len(origin_spec.outputs)} output(s)")
            if origin not in parents:
                parents.append(origin)
        edges[key] = parents

    order, depth = _topological_order(prompt, edges)
    ui_ids = {key: _ui_node_id(key) for key in prompt}

    # Assign link ids in execution order, inputs in declaration order.
    links: list[list[Any]] = []
    node_links: dict[str, dict[str, int]] = {key: {} for key in prompt}   # input -> link id
    out_links: dict[str, dict[int, list[int]]] = {key: {} for key in prompt}
    input_lists: dict[str, list[dict]] = {}
    for key in order:
        entry, spec = prompt[key], node_specs[key]
        given = entry.get("inputs") or {}
        sockets: list[dict] = []
        widget_sockets: list[dict] = []
        extra_sockets: list[dict] = []
        names = list(spec.inputs) + [n for n in given if n not in spec.inputs]
        for name in names:
            inp = spec.inputs.get(name)
            value = given.get(name, _MISSING)
            linked = value is not _MISSING and _is_link(value)
            if not linked:
                if inp is None:
                    raise WorkflowFormatError(
                        f"node {key} ({spec.class_type}): input {name!r} is not declared by "
                        f"{spec.class_type}, so a UI workflow cannot hold its value")
                if value is not _MISSING and not inp.is_widget:
                    raise WorkflowFormatError(
                        f"node {key} ({spec.class_type}): input {name!r} ({inp.type}) has no "
                        f"widget, so a UI workflow cannot hold its literal value {value!r}")
                if not inp.is_widget:
                    sockets.append({"name": name, "type": inp.type, "link": None})
                continue
            origin, origin_slot = str(value[0]), int(value[1])
            origin_spec = node_specs[origin]
            link_type = (origin_spec.outputs[origin_slot]
                         if origin_slot < len(origin_spec.outputs) else "*")
            link_id = len(links) + 1
            node_links[key][name] = link_id
            out_links[origin].setdefault(origin_slot, []).append(link_id)
            slot = {"name": name, "type": inp.type if inp is not None else link_type,
                    "link": link_id}
            if inp is None:
                extra_sockets.append(slot)
            elif inp.is_widget:
                slot["widget"] = {"name": name}
                widget_sockets.append(slot)
            else:
                sockets.append(slot)
            # target slot is filled in below once the node's input list is final
            links.append([link_id, ui_ids[origin], origin_slot, ui_ids[key], None, link_type])
        input_lists[key] = sockets + widget_sockets + extra_sockets

    slot_of_link: dict[int, int] = {}
    for slots in input_lists.values():
        for index, slot in enumerate(slots):
            if slot["link"] is not None:
                slot_of_link[slot["link"]] = index
    for link in links:
        link[4] = slot_of_link[link[0]]

    nodes: list[dict] = []
    node_columns: list[int] = []
    column_y: dict[int, float] = {}
    for index, key in enumerate(order):
        entry, spec = prompt[key], node_specs[key]
        given = entry.get("inputs") or {}
        widgets = _widgets_of(spec)
        values: list[Any] = []
        for inp in widgets:
            value = given.get(inp.name, _MISSING)
            if value is _MISSING:
                values.append(None)   # absent: ui_to_api leaves it out again
            elif _is_link(value):
                values.append(_placeholder(inp))
            else:
                values.append(_unboxed(value))
            if control_slots(inp):
                values.append(_CONTROL_DEFAULT)
                if control_slots(inp) == 2:
                    values.append("")
        while values and values[-1] is None:
            values.pop()

        inputs = input_lists[key]
        names = output_names.get(spec.class_type) or []
        outputs = []
        for out_slot, out_type in enumerate(spec.outputs):
            outputs.append({
                "name": names[out_slot] if out_slot < len(names) else out_type,
                "type": out_type,
                "links": out_links[key].get(out_slot, []),
                "slot_index": out_slot,
            })

        column = depth[key]
        n_slots = max(len(inputs), len(outputs))
        height = _node_height(n_slots, widgets)
        y = column_y.get(column, 0)
        # room below each node: 1.32's Vue renderer draws a node up to 1.5 times as tall as this
        # estimate, on a layout 0.86 times as large
        column_y[column] = y + max(int(height * 1.5) + 90, 30 + 40 * (len(spec.inputs) + 1))

        width = NODE_WIDTH
        if spec.class_type == P.NODE_ASSEMBLER:  # room for its panel: nothing beside it is covered
            width, height = PANEL_NODE_SIZE[0], max(height, PANEL_NODE_SIZE[1])
            column_y[column] = y + height + 70
        node_columns.append(column)
        node: dict[str, Any] = {
            "id": ui_ids[key],
            "type": spec.class_type,
            "pos": [0, y],
            "size": [width, height],
            "flags": {},
            "order": index,
            "mode": MODE_ALWAYS,
        }
        if inputs:
            node["inputs"] = inputs
        node["outputs"] = outputs
        meta = entry.get("_meta")
        title = meta.get("title") if isinstance(meta, dict) else None
        if title is not None and title != spec.display_name:
            node["title"] = title
        node["properties"] = {"Node name for S&R": spec.class_type}
        if widgets:
            node["widgets_values"] = values
        nodes.append(node)

    # each column as wide as its widest node, with the same gap after every column
    widths: dict[int, int] = {}
    for node, column in zip(nodes, node_columns):
        widths[column] = max(widths.get(column, 0), node["size"][0])
    for node, column in zip(nodes, node_columns):
        node["pos"][0] = sum(widths.get(c, NODE_WIDTH) + COLUMN_GAP for c in range(column))
    int_ids = [i for i in ui_ids.values() if isinstance(i, int)]
    return {
        "last_node_id": max(int_ids, default=0),
        "last_link_id": len(links),
        "nodes": nodes,
        "links": links,
        "groups": [],
        "config": {},
        "extra": {},
        "version": 0.4,
    }


def editor_workflow(client, graph) -> dict:
    """A test graph (harness.graphs) as the editor holds it, laid out like the shipped workflows,
    from the server's node declarations."""
    info = client.object_info()
    specs = {name: parse_node_spec(name, entry) for name, entry in info.items()}
    return api_to_ui(graph.prompt, specs, output_names_from_object_info(info))
