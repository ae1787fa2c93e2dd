"""Refusing a wrong XYZ workflow when it is queued, on the node at fault.

ComfyUI validates a posted prompt before it queues it: a node whose `validate_inputs`
returns a message gets a `node_errors` entry, which both editors show as an outline on
that node with the message (and the headless runner prints). The XYZ checks need the
whole prompt (an axis is checked against the inputs it drives), which a node's
`validate_inputs` never sees; the POST /prompt handler does. So the handler plans the
XYZ part of each posted prompt (`check_prompt`) and leaves what it found in a
ContextVar. ComfyUI validates the same request in the same asyncio task right after
the handlers, so the nodes' `validate_inputs` read it there (`refusal_for`); another
request's task has its own context and never sees it.

Where the context does not reach (a host that validates elsewhere), `validate_inputs`
finds nothing and the Grid Driver raises the same PlanError when it runs, as before.
Values linked from other nodes are known only then too, so such a driver is left to it.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from .. import protocol as P
from ..comfyui.node_specs import NodeSpec
from ..comfyui.prompt_graph import Prompt, ancestors, consumers_of, is_link
from ..errors import PlanError
from ..search.settings import checked
from ..workflow.left_out import left_out_targets
from .cell_order import CellOrder
from .node_names import NodeNames
from .plan import AxisMode, AxisRequest, Plan
from .planner import plan_experiment

log = logging.getLogger("xyz_studio")

SpecsOf = Callable[[set[str]], "dict[str, NodeSpec] | None"]  # None: some class cannot be read here
AXIS_TEXT_INPUTS = {"values": "", "mode": AxisMode.VALUES.value, "title": "", "labels": ""}  # and defaults


@dataclass(frozen=True)
class Refusal:
    """Why one Grid Driver's experiment is refused, and on which node the editor shows it."""

    driver_id: str
    node_id: str  # the node at fault when ComfyUI validates it (an axis of this driver), else the driver
    message: str
    assembler_id: str | None


@dataclass(frozen=True)
class Refusals:
    """What the check of one POST /prompt found, for that request's validation."""

    workflow_id: str | None  # the editor workflow it was queued from (its tabs' panels say "Not queued")
    items: tuple[Refusal, ...]

    def message_for(self, node_id: str) -> str | None:
        found = dict.fromkeys(r.message for r in self.items if r.node_id == node_id)
        return "\n".join(found) or None

    def of_driver(self, driver_id: str) -> Refusal | None:
        return next((r for r in self.items if r.driver_id == driver_id), None)


REFUSALS: ContextVar[Refusals | None] = ContextVar("xyz_studio_refusals", default=None)


def refusal_for(node_id: str) -> str | None:
    """The message to show on this node for the request being validated, if any."""
    found = REFUSALS.get()
    return found.message_for(str(node_id)) if found else None


def driver_refusal(driver_id: str) -> tuple[Refusal, str | None] | None:
    """This driver's refusal in the request being validated, and the editor workflow it came from."""
    found = REFUSALS.get()
    refusal = found.of_driver(str(driver_id)) if found else None
    return (refusal, found.workflow_id) if refusal and found else None


def prompt_handler(specs_of: SpecsOf) -> Callable[[Any], Any]:
    """The POST /prompt handler: checks the body's XYZ part and returns the body unchanged."""
    def check(body: Any) -> Any:
        REFUSALS.set(None)  # nothing from an earlier request in this task may be shown
        try:
            REFUSALS.set(check_prompt(body, specs_of))
        except Exception:  # a bug here must not cost the user the check the driver makes when it runs
            log.exception("xyz_studio: could not check the queued workflow; the Grid Driver checks it when it runs")
        return body
    return check


def check_prompt(body: Any, specs_of: SpecsOf) -> Refusals | None:
    """Plan every Grid Driver of a POST /prompt body; None when it has none or all are fine."""
    prompt = body.get("prompt") if isinstance(body, dict) else None
    if not isinstance(prompt, dict):
        return None
    drivers = [str(k) for k, n in prompt.items() if isinstance(n, dict) and n.get("class_type") == P.NODE_DRIVER]
    if not drivers:
        return None  # every cell prompt the pack queues: nothing more to do
    extra = body.get("extra_data") if isinstance(body.get("extra_data"), dict) else {}
    workflow = (extra.get("extra_pnginfo") or {}).get("workflow") if isinstance(extra.get("extra_pnginfo"), dict) \
        else None
    specs = specs_of({str(n.get("class_type")) for n in prompt.values() if isinstance(n, dict)})
    if specs is None:
        return None
    found = tuple(r for d in sorted(drivers) if (r := _check_driver(prompt, d, workflow, specs)) is not None)
    return Refusals(saved_workflow_id(workflow), found) if found else None


def saved_workflow_id(workflow: Any) -> str | None:
    """The editor's own id of a saved workflow (its panels listen for that id), if it has one."""
    found = workflow.get("id") if isinstance(workflow, dict) else None
    return found if isinstance(found, str) and found else None


def _check_driver(prompt: Prompt, driver_id: str, workflow: Any, specs: dict[str, NodeSpec]) -> Refusal | None:
    inputs = prompt[driver_id].get("inputs") or {}
    try:
        _check_further_slots(prompt, driver_id, inputs, lambda: NodeNames.of(prompt, specs, workflow))
    except PlanError as e:
        return Refusal(driver_id, driver_id, str(e), assembler_of(prompt))
    requests = _requests(prompt, inputs)
    max_cells, order = inputs.get("max_cells", 500), inputs.get("order", CellOrder.COST_AWARE.value)
    if requests is None or not _whole_number(max_cells) or not isinstance(order, str):
        return None  # linked from another node: known only when the driver runs, which checks it then
    try:
        check_left_out_targets(prompt, requests, workflow, specs)
        plan = plan_experiment(prompt, driver_id, requests, specs, int(max_cells), random.Random(0), order, workflow)
        _check_search(prompt, inputs.get("search"), plan)
    except PlanError as e:
        return Refusal(driver_id, _shown_on(e, prompt, driver_id), str(e), assembler_of(prompt))
    return None


def _check_search(prompt: Prompt, link: Any, plan: Plan) -> None:
    """A Search node on the driver, checked against the plan (its objective must be one of the
    metrics) when its inputs are written on it; one with a linked input is checked when the driver runs."""
    node = prompt.get(str(link[0])) if is_link(link) else None
    if not isinstance(node, dict) or node.get("class_type") != P.NODE_SEARCH:
        return
    inputs = node.get("inputs") or {}
    if not any(is_link(v) for v in inputs.values()):
        checked(f"Search #{link[0]}", inputs, plan.metrics, plan.cell_count)


def _whole_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()


def _check_further_slots(prompt: Prompt, driver_id: str, driver_inputs: dict[str, Any],
                         names_of: Callable[[], NodeNames]) -> None:
    """The axis inputs after the declared ones (axis9, ...) are the editor's own, so ComfyUI
    checks neither their type nor what they link to: each must be an XYZ Axis's `axis` output.
    The node names (a walk of the workflow) are read only to word a refusal."""
    for slot in P.axis_slots_in(driver_inputs)[len(P.AXIS_SLOTS):]:
        value = driver_inputs.get(slot)
        if value is None:
            continue
        source = prompt.get(str(value[0])) if is_link(value) else None
        if isinstance(source, dict) and source.get("class_type") == P.NODE_AXIS and value[1] == 0:
            continue
        names = names_of()
        if isinstance(source, dict):
            shown = f"output {value[1]} of {names.label(str(value[0]), str(source.get('class_type')))}"
        else:
            shown = "a link to a missing node" if is_link(value) else value
        raise PlanError(names.label(driver_id), slot, shown, "a link from the `axis` output of an XYZ Axis")


def _requests(prompt: Prompt, driver_inputs: dict[str, Any]) -> dict[str, AxisRequest] | None:
    """The axes' requests as the driver will receive them; None if any part is linked in."""
    requests: dict[str, AxisRequest] = {}
    for slot in P.axis_slots_in(driver_inputs):
        link = driver_inputs.get(slot)
        if link is None:
            continue
        axis = prompt.get(str(link[0])) if is_link(link) else None
        if not isinstance(axis, dict) or axis.get("class_type") != P.NODE_AXIS:
            return None
        values = {name: (axis.get("inputs") or {}).get(name, default) for name, default in AXIS_TEXT_INPUTS.items()}
        if not all(isinstance(v, str) for v in values.values()):
            return None
        requests[slot] = AxisRequest(node_id=str(link[0]), **values)
    return requests


def _shown_on(error: PlanError, prompt: Prompt, driver_id: str) -> str:
    """The node the editor marks: the one the message names when ComfyUI validates it and it
    shows our messages (an axis of this driver); the driver otherwise (the message names the node)."""
    node_id = error.node.rpartition(" #")[2] if " #" in error.node else driver_id
    node = prompt.get(node_id)
    validated = ancestors(prompt, driver_id)  # ComfyUI validates only the driver and what it depends on
    if node_id in validated and isinstance(node, dict) and node.get("class_type") in (P.NODE_AXIS, P.NODE_SEARCH):
        return node_id
    return driver_id


def assembler_of(prompt: Prompt) -> str | None:
    """The Grid Assembler's node id (its panel shows a refusal), when there is exactly one."""
    found = [str(k) for k, n in prompt.items() if isinstance(n, dict) and n.get("class_type") == P.NODE_ASSEMBLER]
    return found[0] if len(found) == 1 else None


def check_left_out_targets(prompt: Prompt, requests: dict[str, AxisRequest], workflow: Any,
                           specs: dict[str, NodeSpec]) -> None:
    """PlanError when an axis output is linked in the editor only to nodes that are bypassed or
    muted: the queued prompt leaves those out, so the output looks unconnected there."""
    for slot in P.axis_slots_in(requests):
        request = requests.get(slot)
        if request is None or request.mode != AxisMode.VALUES.value:
            continue
        for out in range(1, P.AXIS_VALUE_OUTPUTS + 1):
            if consumers_of(prompt, request.node_id, out):
                continue
            targets = left_out_targets(workflow, request.node_id, out)
            if not targets:
                continue
            target = targets[0]
            spec = specs.get(target.node_type)
            shown = target.title if target.title != target.node_type or spec is None else spec.display_name
            where, output = f"{shown} #{target.node_id}", "value" if out == 1 else f"value_{out}"
            raise PlanError(NodeNames.of(prompt, specs, workflow).label(request.node_id, "XYZ Axis"),
                            output, f"{where} ({target.why.value})", "a connection to a node that runs",
                            f"the editor leaves a {target.why.value} node out of the queued prompt, so nothing "
                            f"would vary; {target.why.undo} {where} ({target.why.shortcut}) or connect "
                            f'"{output}" to a node that runs')
