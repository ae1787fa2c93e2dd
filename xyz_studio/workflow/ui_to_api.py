"""UI format -> API format: turn an editor workflow into the prompt POST /prompt accepts.

``ui_to_api`` mirrors what the ComfyUI frontend does when it queues a graph (its
``graphToPrompt`` and ``ExecutableNodeDTO.resolveInput``): muted nodes are dropped,
bypassed nodes are wired through, Reroute nodes are followed, PrimitiveNode values are
written into the inputs they feed, and the per-widget "control after generate" values are
skipped, and dynamicPrompts texts are resolved as the frontend serialises them. Subgraph
instances are flattened as the frontend does (see :mod:`.graph`), in the reading of a given
frontend version where two frontends read a subgraph differently (:mod:`.dialect`).

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from typing import Any

from ..comfyui.node_specs import InputSpec, NodeSpec
from .dialect import NEWEST, FrontendDialect, check_same_reading
from .graph import Dto, Flat, renumbered
from .promoted import check_container
from .resolve import Resolver
from .shared import MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_ui_workflow, is_widget, literal
from .widgets import MISSING, RandomChoice, dynamic_prompt, values_by_name, widget_value

__all__ = ["ui_to_api", "FrontendDialect"]


def _serialized(dto: Dto, spec: NodeSpec, inp: InputSpec, value: Any) -> Any:
    """A widget's value as graphToPrompt serialises it: a dynamicPrompts text resolved."""
    if not (inp.dynamic_prompts and isinstance(value, str)):
        return value
    try:
        return dynamic_prompt(value)
    except RandomChoice as exc:
        raise WorkflowFormatError(
            f"{dto.where(spec)}: input {inp.name!r} has the choice {{{exc}}}, which the editor makes at random "
            f"each time it queues; the converter cannot make the same choice: queue this workflow from the "
            f"editor, or write one of the options (an axis can vary them)") from None


def _node_inputs(flat: Flat, resolver: Resolver, dto: Dto, spec: NodeSpec) -> dict[str, Any]:
    """Widget values first, then whatever the node's linked sockets resolve to (graphToPrompt)."""
    resolved: dict[str, Any] = {}
    for index, slot in enumerate(flat.runtime_inputs(dto)):
        if slot.link is None:
            continue
        declared = spec.inputs.get(slot.name)
        want = declared.type if declared is not None else slot.type
        result = resolver.resolve_input(dto, index, set(), want)
        if result is None:
            continue  # nothing arrives: the widget value (if any) stays
        if result[0] == "link":
            resolved[slot.name] = [result[1], result[2]]
        elif result[0] == "value" and declared is not None:  # a PrimitiveNode's value, set into the widget
            resolved[slot.name] = literal(_serialized(dto, spec, declared, result[1]))
        else:
            resolved[slot.name] = literal(result[1])

    values = values_by_name(dto.node, spec)
    values.update(resolver.shared_text(dto))
    inputs: dict[str, Any] = {}
    for inp in spec.inputs.values():
        if inp.name in resolved:
            inputs[inp.name] = resolved[inp.name]
        elif is_widget(inp):
            value = widget_value(dto.node, spec, inp, values)
            if value is not MISSING:
                inputs[inp.name] = literal(_serialized(dto, spec, inp, value))
    for name, value in resolved.items():
        if name not in inputs:
            inputs[name] = value  # inputs added dynamically by the node's frontend code
    return inputs


def ui_to_api(workflow: dict[str, Any], specs: dict[str, NodeSpec],
              dialect: FrontendDialect = NEWEST) -> dict[str, dict[str, Any]]:
    """Convert an editor workflow to the API prompt POST /prompt accepts.

    ``specs`` maps class names to declarations, e.g.
    ``{name: parse_node_spec(name, info) for name, info in object_info.items()}``.
    Subgraph instances are flattened into their inner nodes, whose ids are execution ids
    (``"12:5"``). Node ids become strings; each node gets ``"_meta": {"title": ...}``.

    ``dialect`` is the reading of the frontend the target server serves. An older frontend
    that reads the workflow differently from the newest one (mostly: it was saved by a newer
    one, whose subgraphs the old one misreads) raises NewerFrontendRequired rather than giving
    the old reading: that reading is what the user's editor would queue, but it is not what the
    workflow says (a widget with another widget's value, a muted subgraph's nodes run), and
    updating ComfyUI fixes it, while a silent misreading would spoil every cell of a grid.
    """
    prompt = _convert(workflow, specs, dialect, dialect.renumbers_inner_ids)
    newest = FrontendDialect.newest()
    if dialect is not newest:
        # the same ids on both sides: other execution ids alone are no other reading
        check_same_reading(workflow, prompt, _convert(workflow, specs, newest, dialect.renumbers_inner_ids), dialect)
    return prompt


def _convert(workflow: dict[str, Any], specs: dict[str, NodeSpec], dialect: FrontendDialect,
             renumber: bool) -> dict[str, dict[str, Any]]:
    if not is_ui_workflow(workflow):
        raise WorkflowFormatError("not a UI workflow: expected an object with a 'nodes' list")
    if renumber:
        workflow = renumbered(workflow)
    flat = Flat(workflow, specs, dialect)
    for dto in flat.dtos.values():
        flat.check_supported(dto)
        if flat.is_container(dto.node):
            check_container(flat, dto)
    resolver = Resolver(flat)

    prompt: dict[str, dict[str, Any]] = {}
    for exec_id, dto in flat.dtos.items():
        spec = flat.spec_of(dto.node)
        if spec is None or flat.is_container(dto.node) or dto.mode in (MODE_NEVER, MODE_BYPASS):
            continue
        prompt[exec_id] = {
            "inputs": _node_inputs(flat, resolver, dto, spec),
            "class_type": spec.class_type,
            "_meta": {"title": dto.node.get("title") or spec.display_name},
        }

    # Links from nodes that were not emitted (muted ones) vanish, as in graphToPrompt.
    for entry in prompt.values():
        inputs = entry["inputs"]
        for name in [n for n, v in inputs.items()
                     if isinstance(v, list) and len(v) == 2 and v[0] not in prompt]:
            del inputs[name]
    return prompt
