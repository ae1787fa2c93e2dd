"""UI format -> API format: turn an editor workflow into the prompt POST /prompt accepts.

``ui_to_api`` mirrors what the ComfyUI frontend does when it queues a graph (its
``graphToPrompt`` and ``ExecutableNodeDTO.resolveInput``): muted nodes are dropped,
bypassed nodes are wired through, Reroute nodes are followed, PrimitiveNode values are
written into the inputs they feed, and the per-widget "control after generate" values are
skipped.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..comfyui.node_specs import NodeSpec
from .shared import MODE_ALWAYS, MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_ui_workflow, literal, widget_layout

__all__ = ["ui_to_api"]

UiNode = dict[str, Any]      # one node of the editor's workflow JSON
Resolved = tuple[Any, ...]   # where an input's value comes from: ("value", v) or ("link", node id, output slot)
Visited = set[tuple[str, str, int]]  # (node id, "I" or "O", slot) already followed: a cycle is an error

# Frontend-only node types the editor resolves itself before queueing.
REROUTE = "Reroute"
PRIMITIVE = "PrimitiveNode"

_MISSING = object()


@dataclass(frozen=True)
class _Link:
    id: int
    origin_id: str
    origin_slot: int
    target_id: str
    target_slot: int
    type: Any


@dataclass(frozen=True)
class _Slot:
    """One input socket of a node as the editor holds it at run time."""

    name: str
    type: Any
    link: Any


def _describe(node: UiNode, spec: NodeSpec | None = None) -> str:
    node_id = node.get("id", "?")
    node_type = node.get("type", "?")
    title = node.get("title")
    if not title and spec is not None:
        title = spec.display_name
    if title and title != node_type:
        return f'node {node_id} "{title}" ({node_type})'
    return f"node {node_id} ({node_type})"


def _as_int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WorkflowFormatError(f"{what} is not a number: {value!r}") from None


def _parse_links(raw: Any) -> dict[int, _Link]:
    links: dict[int, _Link] = {}
    for item in raw or []:
        if isinstance(item, dict):
            try:
                parts = [item["id"], item["origin_id"], item["origin_slot"],
                         item["target_id"], item["target_slot"], item.get("type")]
            except KeyError as exc:
                raise WorkflowFormatError(f"link {item!r} lacks {exc.args[0]!r}") from None
        elif isinstance(item, (list, tuple)) and len(item) >= 5:
            parts = list(item[:6]) + [None] * (6 - len(item[:6]))
        elif item is None:
            continue
        else:
            raise WorkflowFormatError(f"malformed link entry {item!r}")
        link_id = _as_int(parts[0], "link id")
        links[link_id] = _Link(
            id=link_id, origin_id=str(parts[1]),
            origin_slot=_as_int(parts[2], f"link {link_id} origin slot"),
            target_id=str(parts[3]),
            target_slot=_as_int(parts[4], f"link {link_id} target slot"),
            type=parts[5])
    return links


def _valid_connection(a: Any, b: Any) -> bool:
    """LiteGraph.isValidConnection: '*' and '' match anything; 'A,B' lists alternatives."""
    if a in ("", "*", None, 0) or b in ("", "*", None, 0) or a == b:
        return True
    a_s, b_s = str(a).lower(), str(b).lower()
    if "," not in a_s and "," not in b_s:
        return a_s == b_s
    return any(_valid_connection(x, y) for x in a_s.split(",") for y in b_s.split(","))



# --------------------------------------------------------------------------- widgets_values


def _widget_values_by_name(node: UiNode, spec: NodeSpec) -> dict[str, Any]:
    """Map input name -> stored widget value (absent when the workflow has none)."""
    values = node.get("widgets_values")
    if values is None:
        return {}
    if isinstance(values, dict):
        return {name: values[name] for name in spec.inputs if name in values}
    if not isinstance(values, list):
        raise WorkflowFormatError(
            f"{_describe(node)}: widgets_values must be a list or an object, "
            f"not {type(values).__name__}")
    layout = widget_layout(spec)
    if any(inp.force_input for inp in spec.inputs.values()):
        legacy = widget_layout(spec, legacy=True)
        if len(values) == len(legacy) != len(layout):
            layout = legacy
    # Extra trailing values (an image upload button, extension widgets) are ignored.
    return {name: value for name, value in zip(layout, values) if name is not None}


# --------------------------------------------------------------------------- the graph


class _UiGraph:
    """Resolves the links of a UI workflow the way the frontend does when queueing."""

    def __init__(self, workflow: dict[str, Any], specs: dict[str, NodeSpec]):
        self.specs = specs
        self.nodes: dict[str, UiNode] = {}
        for node in workflow["nodes"]:
            if "id" not in node:
                raise WorkflowFormatError(f"a node of type {node.get('type')!r} has no id")
            key = str(node["id"])
            if key in self.nodes:
                raise WorkflowFormatError(f"two nodes share the id {key}")
            self.nodes[key] = node
        self.links = _parse_links(workflow.get("links"))
        definitions = workflow.get("definitions") or {}
        self.subgraph_ids = {str(sg.get("id")) for sg in (definitions.get("subgraphs") or [])
                             if isinstance(sg, dict)}
        self.group_nodes = set((workflow.get("extra") or {}).get("groupNodes") or {})
        linked: set[str] = set()
        for link in self.links.values():
            linked.add(link.origin_id)
            linked.add(link.target_id)
        self.linked_ids = linked

    # -- node classification

    def spec_of(self, node: UiNode) -> NodeSpec | None:
        node_type = node.get("type")
        if node_type in (REROUTE, PRIMITIVE) or not isinstance(node_type, str):
            return None
        return self.specs.get(node_type)

    def has_links(self, node: UiNode) -> bool:
        if str(node.get("id")) in self.linked_ids:
            return True
        if any(isinstance(i, dict) and i.get("link") is not None for i in node.get("inputs") or []):
            return True
        return any(isinstance(o, dict) and o.get("links") for o in node.get("outputs") or [])

    def check_supported(self, node: UiNode) -> None:
        node_type = str(node.get("type"))
        if node_type in self.subgraph_ids:
            raise WorkflowFormatError(
                f"{_describe(node)}: subgraphs are not supported yet; unpack the subgraph "
                f"in the editor (right-click > Unpack Subgraph) and save again")
        if node_type in (REROUTE, PRIMITIVE) or node_type in self.specs:
            return
        if node.get("mode", MODE_ALWAYS) in (MODE_NEVER, MODE_BYPASS):
            return  # dropped or wired through without needing its declaration
        if not self.has_links(node):
            return  # Note, MarkdownNote and other frontend-only decorations
        if node_type.startswith(("workflow>", "workflow/")) or node_type.split(">")[-1] in self.group_nodes:
            raise WorkflowFormatError(
                f"{_describe(node)}: group nodes are not supported; convert the group node "
                f"back to nodes in the editor and save again")
        raise WorkflowFormatError(
            f"{_describe(node)}: unknown node type {node_type!r} (missing custom node?)")

    # -- run-time inputs

    def runtime_inputs(self, node: UiNode) -> list[_Slot]:
        """The node's input sockets in the editor's order: plain sockets, then widget sockets.

        Saved workflows drop unconnected widget sockets, so for declared nodes the list is
        rebuilt from the declaration (litegraphService #addInputs) with links by name.
        """
        saved = [i for i in node.get("inputs") or [] if isinstance(i, dict)]
        spec = self.spec_of(node)
        if spec is None:
            return [_Slot(str(i.get("name", "")), i.get("type"), i.get("link")) for i in saved]
        by_name = {str(i.get("name")): i for i in saved}
        slots: list[_Slot] = []
        ordered = ([inp for inp in spec.inputs.values() if not inp.is_widget]
                   + [inp for inp in spec.inputs.values() if inp.is_widget])
        for inp in ordered:  # the declaration's type wins over the saved one, as on load
            slots.append(_Slot(inp.name, inp.type, by_name.get(inp.name, {}).get("link")))
        for name, entry in by_name.items():
            if name not in spec.inputs:
                slots.append(_Slot(name, entry.get("type"), entry.get("link")))
        return slots

    def output_type(self, node: UiNode, slot: int) -> Any:
        spec = self.spec_of(node)
        if spec is not None and slot < len(spec.outputs):
            return spec.outputs[slot]
        outputs = node.get("outputs") or []
        if slot < len(outputs) and isinstance(outputs[slot], dict):
            return outputs[slot].get("type")
        return None

    # -- resolution (ExecutableNodeDTO.resolveInput / resolveOutput)

    def resolve_link(self, node: UiNode, link_id: Any, input_name: str, input_type: Any,
                     visited: Visited) -> Resolved | None:
        """Follow the link into one input: ('link', id, slot), ('value', v) or None."""
        if link_id is None:
            return None
        link = self.links.get(_as_int(link_id, f"{_describe(node)} input {input_name!r} link"))
        if link is None:
            raise WorkflowFormatError(
                f"{_describe(node)}: input {input_name!r} refers to link {link_id}, "
                f"which is not in the links list")
        origin = self.nodes.get(link.origin_id)
        if origin is None:
            raise WorkflowFormatError(
                f"{_describe(node)}: input {input_name!r} is linked to node {link.origin_id}, "
                f"which is not in the workflow")
        return self.resolve_output(origin, link.origin_slot, input_type, visited)

    def resolve_output(self, node: UiNode, slot: int, want_type: Any, visited: Visited) -> Resolved | None:
        key = (str(node.get("id")), "O", slot)
        if key in visited:
            raise WorkflowFormatError(f"{_describe(node)}: circular link through output {slot}")
        visited.add(key)
        node_type = node.get("type")
        if node_type == PRIMITIVE:
            # applyToGraph writes its value into every widget it feeds, whatever its mode.
            values = node.get("widgets_values")
            if isinstance(values, dict):
                values = list(values.values())
            if not values:
                raise WorkflowFormatError(f"{_describe(node)}: PrimitiveNode has no value")
            return ("value", values[0])
        if node.get("mode", MODE_ALWAYS) == MODE_BYPASS:
            slots = self.runtime_inputs(node)
            index = self._bypass_index(slots, self.output_type(node, slot), slot, want_type)
            if index < 0:
                return None
            return self.resolve_input(node, slots, index, None, visited)
        if node_type == REROUTE:
            slots = self.runtime_inputs(node)
            if slot >= len(slots):
                return None
            return self.resolve_input(node, slots, slot, want_type, visited)
        return ("link", str(node.get("id")), slot)

    def resolve_input(self, node: UiNode, slots: list[_Slot], index: int, want_type: Any,
                      visited: Visited) -> Resolved | None:
        key = (str(node.get("id")), "I", index)
        if key in visited:
            raise WorkflowFormatError(f"{_describe(node)}: circular link through input {index}")
        visited.add(key)
        slot = slots[index]
        return self.resolve_link(node, slot.link, slot.name,
                                 want_type if want_type is not None else slot.type, visited)

    @staticmethod
    def _bypass_index(slots: list[_Slot], output_type: Any, slot: int, want_type: Any) -> int:
        """Which input a bypassed node passes to output ``slot`` (#getBypassSlotIndex)."""
        if not slots:
            return -1
        if want_type in ("*", "", None):
            return slot if len(slots) > slot else 0
        if slot < len(slots):
            opposite = slots[slot]
            if (_valid_connection(opposite.type, output_type)
                    and _valid_connection(opposite.type, want_type)):
                return slot
        for i, s in enumerate(slots):
            if s.type == want_type:
                return i
        for i, s in enumerate(slots):
            if _valid_connection(s.type, output_type) and _valid_connection(s.type, want_type):
                return i
        return -1

    # -- one node

    def node_inputs(self, node: UiNode, spec: NodeSpec) -> dict[str, Any]:
        saved = [i for i in node.get("inputs") or [] if isinstance(i, dict)]
        resolved: dict[str, Any] = {}
        for entry in saved:
            name = str(entry.get("name"))
            if entry.get("link") is None:
                continue
            declared = spec.inputs.get(name)
            want = declared.type if declared is not None else entry.get("type")
            result = self.resolve_link(node, entry["link"], name, want, set())
            if result is None:
                continue  # nothing arrives: the widget value (if any) stays
            if result[0] == "value":
                resolved[name] = literal(result[1])
            else:
                resolved[name] = [result[1], result[2]]

        values = _widget_values_by_name(node, spec)
        inputs: dict[str, Any] = {}
        for inp in spec.inputs.values():
            if inp.name in resolved:
                inputs[inp.name] = resolved[inp.name]
                continue
            if not inp.is_widget:
                continue
            value = values.get(inp.name, _MISSING)
            if value is _MISSING or value is None:
                # An optional input without a value is left out (the node then uses its
                # own default); this also keeps api_to_ui's None placeholders round-tripping.
                if inp.optional:
                    continue
                if inp.default is not None:
                    value = inp.default
                else:
                    raise WorkflowFormatError(
                        f"{_describe(node, spec)}: required input {inp.name!r} has no value "
                        f"in widgets_values and no default")
            inputs[inp.name] = literal(value)
        for name, value in resolved.items():
            if name not in inputs:
                inputs[name] = value  # inputs added dynamically by the node's frontend code
        return inputs


def ui_to_api(workflow: dict[str, Any], specs: dict[str, NodeSpec]) -> dict[str, dict[str, Any]]:
    """Convert an editor workflow to the API prompt POST /prompt accepts.

    ``specs`` maps class names to declarations, e.g.
    ``{name: parse_node_spec(name, info) for name, info in object_info.items()}``.
    Node ids become strings; each node gets ``"_meta": {"title": ...}``.
    """
    if not is_ui_workflow(workflow):
        raise WorkflowFormatError("not a UI workflow: expected an object with a 'nodes' list")
    graph = _UiGraph(workflow, specs)
    for node in graph.nodes.values():
        graph.check_supported(node)

    prompt: dict[str, dict[str, Any]] = {}
    for key, node in graph.nodes.items():
        spec = graph.spec_of(node)
        if spec is None or node.get("mode", MODE_ALWAYS) in (MODE_NEVER, MODE_BYPASS):
            continue
        prompt[key] = {
            "inputs": graph.node_inputs(node, spec),
            "class_type": spec.class_type,
            "_meta": {"title": node.get("title") or spec.display_name},
        }

    # Links from nodes that were not emitted (muted ones) vanish, as in graphToPrompt.
    for entry in prompt.values():
        inputs = entry["inputs"]
        for name in [n for n, v in inputs.items()
                     if isinstance(v, list) and len(v) == 2 and v[0] not in prompt]:
            del inputs[name]
    return prompt
