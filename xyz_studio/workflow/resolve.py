"""Following links the way the frontend does when it queues (``ExecutableNodeDTO``'s
``resolveInput`` / ``resolveOutput``): through bypassed nodes and Reroutes, into subgraph
instances through their outputs, out of them through their inputs, and to the value of a
promoted widget when a subgraph input is a widget nobody links to.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from typing import Any

from .graph import PRIMITIVE, REROUTE, SUBGRAPH_INPUT_ID, Dto, Flat, Slot, as_int
from .promoted import promoted_value, shadowed_1_32
from .shared import MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_widget
from .widgets import MISSING, values_by_name, widget_value

Resolved = tuple[Any, ...]   # ("value", v), ("promoted", v) or ("link", execution id, output slot)
Visited = set[tuple[str, str, int]]  # (execution id, "I" or "O", slot) already followed: a cycle is an error


def valid_connection(a: Any, b: Any) -> bool:
    """LiteGraph.isValidConnection: '*' and '' match anything; 'A,B' lists alternatives."""
    if a in ("", "*", None, 0) or b in ("", "*", None, 0) or a == b:
        return True
    a_s, b_s = str(a).lower(), str(b).lower()
    if "," not in a_s and "," not in b_s:
        return a_s == b_s
    return any(valid_connection(x, y) for x in a_s.split(",") for y in b_s.split(","))


def bypass_index(slots: list[Slot], output_type: Any, slot: int, want_type: Any) -> int:
    """Which input a bypassed node passes to output ``slot`` (#getBypassSlotIndex)."""
    if not slots:
        return -1
    if want_type in ("*", "", None):
        return slot if len(slots) > slot else 0
    if slot < len(slots):
        opposite = slots[slot]
        if valid_connection(opposite.type, output_type) and valid_connection(opposite.type, want_type):
            return slot
    for i, s in enumerate(slots):
        if s.type == want_type:
            return i
    for i, s in enumerate(slots):
        if valid_connection(s.type, output_type) and valid_connection(s.type, want_type):
            return i
    return -1


def js_string(value: bool | int | float) -> str:
    """JavaScript's String(value) for a boolean or a number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Resolver:
    def __init__(self, flat: Flat):
        self.flat = flat
        self._shared: dict[str, dict[str, Any]] | None = None

    def _inner(self, container: Dto, node_id: str) -> Dto:
        exec_id = f"{container.exec_id}:{node_id}"
        dto = self.flat.dtos.get(exec_id)
        if dto is None:
            raise WorkflowFormatError(
                f"{container.where()}: its subgraph links to node {node_id}, which is not in it")
        return dto

    def resolve_input(self, dto: Dto, index: int, visited: Visited, want_type: Any = None) -> Resolved | None:
        key = (dto.exec_id, "I", index)
        if key in visited:
            raise WorkflowFormatError(f"{dto.where()}: circular link through input {index}")
        visited.add(key)
        slots = self.flat.runtime_inputs(dto)
        if index >= len(slots):
            raise WorkflowFormatError(f"{dto.where()}: a link reaches input {index}, which it does not have")
        slot = slots[index]
        if slot.link is None:
            return None
        link = dto.scope.links.get(as_int(slot.link, f"{dto.where()} input {slot.name!r} link"))
        if link is None:
            raise WorkflowFormatError(
                f"{dto.where()}: input {slot.name!r} refers to link {slot.link}, which is not in the links list")
        if dto.container is not None and link.origin_id == SUBGRAPH_INPUT_ID:
            return self._from_container_input(dto.container, link.origin_slot, visited)
        origin = dto.scope.nodes.get(link.origin_id)
        if origin is None:
            raise WorkflowFormatError(
                f"{dto.where()}: input {slot.name!r} is linked to node {link.origin_id}, "
                f"which is not in the workflow")
        origin_dto = self.flat.dtos[":".join(dto.path + (link.origin_id,))]
        return self.resolve_output(origin_dto, link.origin_slot,
                                   want_type if want_type is not None else slot.type, visited)

    def _from_container_input(self, container: Dto, index: int, visited: Visited) -> Resolved | None:
        """Up and out of a subgraph: what arrives at its instance's input ``index``."""
        slots = self.flat.runtime_inputs(container)
        if index >= len(slots):
            raise WorkflowFormatError(f"{container.where()}: its subgraph uses input {index}, which it lacks")
        if slots[index].link is None:
            has, value = self.slot_widget(container, index)
            # the instance's widget value as it is: graphToPrompt does not serialise it (no dynamic prompts)
            return ("promoted", value) if has else None
        return self.resolve_input(container, index, visited)

    def resolve_output(self, dto: Dto, slot: int, want_type: Any, visited: Visited) -> Resolved | None:
        key = (dto.exec_id, "O", slot)
        if key in visited:
            raise WorkflowFormatError(f"{dto.where()}: circular link through output {slot}")
        visited.add(key)
        node = dto.node
        if node.get("type") == PRIMITIVE:
            # applyToGraph writes its value into every widget it feeds, whatever its mode.
            values = node.get("widgets_values")
            if isinstance(values, dict):
                values = list(values.values())
            if not values:
                raise WorkflowFormatError(f"{dto.where()}: PrimitiveNode has no value")
            return ("value", values[0])
        if dto.mode == MODE_NEVER:
            return None  # muted nodes produce no output
        if dto.mode == MODE_BYPASS:
            slots = self.flat.runtime_inputs(dto)
            index = bypass_index(slots, self.flat.output_type(dto, slot), slot, want_type)
            return None if index < 0 else self.resolve_input(dto, index, visited)
        if self.flat.is_container(node):
            scope = self.flat.definitions[str(node.get("type"))]
            link = scope.output_link(slot)
            if link is None:
                return None
            return self.resolve_output(self._inner(dto, link.origin_id), link.origin_slot, want_type, visited)
        if node.get("type") == REROUTE:
            slots = self.flat.runtime_inputs(dto)
            return None if slot >= len(slots) else self.resolve_input(dto, slot, visited, want_type)
        return ("link", dto.exec_id, slot)

    # -- widgets, including those promoted onto subgraph instances

    def slot_widget(self, dto: Dto, index: int) -> tuple[bool, Any]:
        """Whether input ``index`` of the node has a widget, and the value it holds."""
        if self.flat.is_container(dto.node):
            return self._promoted(dto, index)
        spec = self.flat.spec_of(dto.node)
        slots = self.flat.runtime_inputs(dto)
        if spec is None or index >= len(slots):
            return False, None
        inp = spec.inputs.get(slots[index].name)
        if inp is None or not is_widget(inp):
            return False, None
        value = widget_value(dto.node, spec, inp, values_by_name(dto.node, spec))
        return True, (None if value is MISSING else value)

    def _inner_target(self, container: Dto, name: str) -> tuple[Dto, int, Any] | None:
        """The first widget inside the subgraph that its input ``name`` feeds (#setWidget): the
        inner node, its input index and the widget's value."""
        scope = self.flat.definitions[str(container.node.get("type"))]
        entry = next((s for s in scope.inputs if s.get("name") == name), None)
        for link_id in (entry or {}).get("linkIds") or []:
            link = scope.links.get(as_int(link_id, f"subgraph {scope.name!r} input link"))
            if link is None or link.target_id not in scope.nodes:
                continue
            inner = self._inner(container, link.target_id)
            held = self._holding(inner, link) if self.flat.dialect.follows_held_links else link.target_slot
            if held is None:
                continue
            has, value = self.slot_widget(inner, held)
            if has:
                return inner, held, value
        return None

    def _inner_widget(self, container: Dto, name: str) -> tuple[bool, Any]:
        target = self._inner_target(container, name)
        return (False, None) if target is None else (True, target[2])

    def shared_text(self, dto: Dto) -> dict[str, Any]:
        """(1.32) Values the node's text areas get from the instance holding it: 1.32's promoted
        copy of a DOM widget (a multiline STRING) shares the inner widget's text area, so the
        instance's value becomes the inner widget's own, even the one a stale link slot names."""
        if not self.flat.dialect.shares_text_areas:
            return {}
        if self._shared is None:
            self._shared = {}
            for container in self.flat.dtos.values():
                if container.exec_id not in self.flat.opened:
                    continue
                for index, slot in enumerate(self.flat.runtime_inputs(container)):
                    target = self._inner_target(container, slot.name)
                    spec = None if target is None else self.flat.spec_of(target[0].node)
                    if target is None or spec is None:
                        continue
                    inner, held, _ = target
                    inp = spec.inputs.get(self.flat.runtime_inputs(inner)[held].name)
                    if inp is not None and inp.multiline:
                        has, value = self._promoted(container, index)
                        if has:
                            self._shared.setdefault(inner.exec_id, {})[inp.name] = value
        return self._shared.get(dto.exec_id, {})

    def _holding(self, inner: Dto, link: Any) -> int | None:
        """The inner input a subgraph input's link ends at: the one holding the link's id. A save
        from a since-edited definition can keep a stale ``target_slot`` in the link; the
        frontend's node holds the link on its input by name, so that input is the one that
        gets the widget (a nested instance's too: its inputs are matched by name). None when no
        input holds it (a socket the node lost on load, Graph._dropped): no widget, as on 1.58."""
        held = [k for k, slot in enumerate(self.flat.runtime_inputs(inner)) if slot.link == link.id]
        return held[0] if held else None

    def _promoted(self, container: Dto, index: int) -> tuple[bool, Any]:
        """A subgraph instance's promoted widget: the value it loads with (:mod:`.promoted`)."""
        slots = self.flat.runtime_inputs(container)
        slot = slots[index]
        if self.flat.dialect.drops_shadowed_widgets and shadowed_1_32(self.flat, container, slot.name):
            return False, None
        has, inner_value = self._inner_widget(container, slot.name)
        if not has:
            return False, None
        position = sum(1 for i in range(index) if self._inner_widget(container, slots[i].name)[0])
        value = promoted_value(self.flat, container, slot.name, position, inner_value)
        if self.flat.dialect.promoted_text_is_text and slot.type == "STRING" and isinstance(value, (bool, int, float)):
            value = js_string(value)
        return True, value
