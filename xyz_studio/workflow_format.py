"""Convert between ComfyUI's two workflow formats.

* UI format ("workflow"): the editor's serialised graph, ``{"nodes": [...], "links": [...],
  "version": 0.4, ...}``. Widget values are stored positionally in ``widgets_values``;
  links live in a separate table and are referenced by id from each node's ``inputs``.
* API format ("prompt"): what ``POST /prompt`` accepts, ``{"3": {"class_type": "KSampler",
  "inputs": {"seed": 5, "model": ["4", 0], ...}}, ...}``.

``ui_to_api`` mirrors what the ComfyUI frontend does when it queues a graph (its
``graphToPrompt`` and ``ExecutableNodeDTO.resolveInput``): muted nodes are dropped,
bypassed nodes are wired through, Reroute nodes are followed, PrimitiveNode values are
written into the inputs they feed, and the per-widget "control after generate" values are
skipped. ``api_to_ui`` builds a graph a stock editor can load, with a simple automatic
layout. Node declarations come from GET /object_info, parsed by :mod:`node_specs`.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .node_specs import InputSpec, NodeSpec

__all__ = [
    "WorkflowFormatError",
    "is_ui_workflow",
    "is_api_prompt",
    "ui_to_api",
    "api_to_ui",
    "output_names_from_object_info",
]

# Node modes as litegraph numbers them (LGraphEventMode).
MODE_ALWAYS = 0
MODE_NEVER = 2      # "muted" in the editor
MODE_BYPASS = 4

# Frontend-only node types the editor resolves itself before queueing.
REROUTE = "Reroute"
PRIMITIVE = "PrimitiveNode"

# The frontend gives an INT input with one of these names a control widget even when
# the declaration does not ask for one (legacy convention, see useIntWidget.ts).
_LEGACY_SEED_NAMES = ("seed", "noise_seed")

# Value written after a control-after-generate widget when we build a UI workflow.
_CONTROL_DEFAULT = "fixed"

_MISSING = object()


class WorkflowFormatError(ValueError):
    """A workflow or prompt that cannot be converted; the message names the node."""


# --------------------------------------------------------------------------- detection


def is_ui_workflow(data: Any) -> bool:
    """True for the editor's serialised graph: a dict with a ``nodes`` list of node dicts."""
    if not isinstance(data, dict):
        return False
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        return False
    links = data.get("links", [])
    return links is None or isinstance(links, list)


def is_api_prompt(data: Any) -> bool:
    """True for an API prompt: a non-empty dict of ``{id: {"class_type": str, "inputs": {...}}}``."""
    if not isinstance(data, dict) or not data:
        return False
    for node in data.values():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            return False
        if not isinstance(node.get("inputs", {}), dict):
            return False
    return True


# --------------------------------------------------------------------------- widgets


def _widget_inputs(spec: NodeSpec) -> list[InputSpec]:
    return [inp for inp in spec.inputs.values() if inp.is_widget]


def _has_control(inp: InputSpec) -> bool:
    return inp.control_after_generate or (inp.type == "INT" and inp.name in _LEGACY_SEED_NAMES)


def _control_slots(inp: InputSpec, legacy: bool = False) -> int:
    """How many extra (non-prompt) widget values the frontend stores after this input.

    INT inputs get one "control after generate" combo; COMBO inputs with that flag also
    get a "control filter list" text widget (widgets.ts addValueControlWidgets). Inputs
    without a widget (forceInput) get none, except in the legacy layout.
    """
    if not _has_control(inp) or (inp.force_input and not legacy):
        return 0
    return 2 if inp.type == "COMBO" else 1


def _widget_layout(spec: NodeSpec, legacy: bool = False) -> list[str | None]:
    """Positions of ``widgets_values``: an input name, or None for a control value.

    With ``legacy`` the layout of frontends before 1.16, where forceInput inputs were
    widgets converted to sockets and so still held a value (see migrateWidgetsValues).
    """
    layout: list[str | None] = []
    for inp in spec.inputs.values():
        if inp.is_widget or (legacy and inp.force_input):
            layout.append(inp.name)
            layout.extend([None] * _control_slots(inp, legacy))
    return layout


def _widget_values_by_name(node: dict, spec: NodeSpec) -> dict[str, Any]:
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
    layout = _widget_layout(spec)
    if any(inp.force_input for inp in spec.inputs.values()):
        legacy = _widget_layout(spec, legacy=True)
        if len(values) == len(legacy) != len(layout):
            layout = legacy
    # Extra trailing values (an image upload button, extension widgets) are ignored.
    return {name: value for name, value in zip(layout, values) if name is not None}


def _literal(value: Any) -> Any:
    """A widget value as the prompt carries it: lists are boxed so they are not links."""
    return {"__value__": value} if isinstance(value, list) else value


def _unbox(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"__value__"}:
        return value["__value__"]
    return value


# --------------------------------------------------------------------------- UI -> API


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


def _describe(node: dict, spec: NodeSpec | None = None) -> str:
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


class _UiGraph:
    """Resolves the links of a UI workflow the way the frontend does when queueing."""

    def __init__(self, workflow: dict, specs: dict[str, NodeSpec]):
        self.specs = specs
        self.nodes: dict[str, dict] = {}
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
        self.group_nodes = set(((workflow.get("extra") or {}).get("groupNodes") or {}))
        linked: set[str] = set()
        for link in self.links.values():
            linked.add(link.origin_id)
            linked.add(link.target_id)
        self.linked_ids = linked

    # -- node classification

    def spec_of(self, node: dict) -> NodeSpec | None:
        node_type = node.get("type")
        if node_type in (REROUTE, PRIMITIVE):
            return None
        return self.specs.get(node_type)

    def has_links(self, node: dict) -> bool:
        if str(node.get("id")) in self.linked_ids:
            return True
        if any(isinstance(i, dict) and i.get("link") is not None for i in node.get("inputs") or []):
            return True
        return any(isinstance(o, dict) and o.get("links") for o in node.get("outputs") or [])

    def check_supported(self, node: dict) -> None:
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

    def runtime_inputs(self, node: dict) -> list[_Slot]:
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

    def output_type(self, node: dict, slot: int) -> Any:
        spec = self.spec_of(node)
        if spec is not None and slot < len(spec.outputs):
            return spec.outputs[slot]
        outputs = node.get("outputs") or []
        if slot < len(outputs) and isinstance(outputs[slot], dict):
            return outputs[slot].get("type")
        return None

    # -- resolution (ExecutableNodeDTO.resolveInput / resolveOutput)

    def resolve_link(self, node: dict, link_id: Any, input_name: str, input_type: Any,
                     visited: set) -> tuple | None:
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

    def resolve_output(self, node: dict, slot: int, want_type: Any, visited: set) -> tuple | None:
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

    def resolve_input(self, node: dict, slots: list[_Slot], index: int, want_type: Any,
                      visited: set) -> tuple | None:
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

    def node_inputs(self, node: dict, spec: NodeSpec) -> dict[str, Any]:
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
                resolved[name] = _literal(result[1])
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
            inputs[inp.name] = _literal(value)
        for name, value in resolved.items():
            if name not in inputs:
                inputs[name] = value  # inputs added dynamically by the node's frontend code
        return inputs


def ui_to_api(workflow: dict, specs: dict[str, NodeSpec]) -> dict:
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

    prompt: dict[str, dict] = {}
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


# --------------------------------------------------------------------------- API -> UI


def output_names_from_object_info(object_info: dict) -> dict[str, list[str]]:
    """``{class: output names}`` from GET /object_info, for :func:`api_to_ui`."""
    names: dict[str, list[str]] = {}
    for class_type, info in object_info.items():
        if isinstance(info, dict) and isinstance(info.get("output_name"), (list, tuple)):
            names[class_type] = [str(n) for n in info["output_name"]]
    return names


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
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(edges[start], key=position.get)))]
        state[start] = 1
        while stack:
            key, parents = stack[-1]
            for parent in parents:
                if state.get(parent) == 1:
                    raise WorkflowFormatError(f"node {parent} ({prompt[parent]['class_type']}): "
                                              f"the prompt has a cycle through it")
                if state.get(parent) is None:
                    state[parent] = 1
                    stack.append((parent, iter(sorted(edges[parent], key=position.get))))
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


def _node_height(n_slots: int, widget_inputs: list[InputSpec]) -> int:
    height = 10 + 20 * n_slots
    for inp in widget_inputs:
        height += 60 if inp.type == "STRING" else 24
        height += 24 * _control_slots(inp)
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
    for key, slots in input_lists.items():
        for index, slot in enumerate(slots):
            if slot["link"] is not None:
                slot_of_link[slot["link"]] = index
    for link in links:
        link[4] = slot_of_link[link[0]]

    nodes: list[dict] = []
    column_y: dict[int, float] = {}
    for index, key in enumerate(order):
        entry, spec = prompt[key], node_specs[key]
        given = entry.get("inputs") or {}
        widgets = _widget_inputs(spec)
        values: list[Any] = []
        for inp in widgets:
            value = given.get(inp.name, _MISSING)
            if value is _MISSING:
                values.append(None)   # absent: ui_to_api leaves it out again
            elif _is_link(value):
                values.append(_placeholder(inp))
            else:
                values.append(_unbox(value))
            if _control_slots(inp):
                values.append(_CONTROL_DEFAULT)
                if _control_slots(inp) == 2:
                    values.append("")
        while values and values[-1] is None:
            values.pop()

        inputs = input_lists[key]
        names = output_names.get(spec.class_type) or []
        outputs = []
        for slot, out_type in enumerate(spec.outputs):
            outputs.append({
                "name": names[slot] if slot < len(names) else out_type,
                "type": out_type,
                "links": out_links[key].get(slot, []),
                "slot_index": slot,
            })

        column = depth[key]
        n_slots = max(len(inputs), len(outputs))
        height = _node_height(n_slots, widgets)
        y = column_y.get(column, 0)
        column_y[column] = y + max(height + 30 + 40, 30 + 40 * (len(spec.inputs) + 1))

        node: dict[str, Any] = {
            "id": ui_ids[key],
            "type": spec.class_type,
            "pos": [column * 400, y],
            "size": [320, height],
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
