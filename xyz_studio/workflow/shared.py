"""What both workflow conversions share: format detection, the error type, node modes
and the order in which a node's widget values are saved.
"""
from __future__ import annotations

from typing import Any

from ..comfyui.node_specs import InputSpec, NodeSpec
from ..errors import BadRequest

MODE_ALWAYS = 0
MODE_NEVER = 2      # "muted" in the editor
MODE_BYPASS = 4


class WorkflowFormatError(BadRequest):
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


# --------------------------------------------------------------------------- conversions


# The frontend gives an INT input with one of these names a control widget even when
# the declaration does not ask for one (legacy convention, see useIntWidget.ts).
_LEGACY_SEED_NAMES = ("seed", "noise_seed")


def _has_control(inp: InputSpec) -> bool:
    return inp.control_after_generate or (inp.type == "INT" and inp.name in _LEGACY_SEED_NAMES)


def control_slots(inp: InputSpec, legacy: bool = False) -> int:
    """How many extra (non-prompt) widget values the frontend stores after this input.

    INT inputs get one "control after generate" combo; COMBO inputs with that flag also
    get a "control filter list" text widget (widgets.ts addValueControlWidgets). Inputs
    without a widget (forceInput) get none, except in the legacy layout.
    """
    if not _has_control(inp) or (inp.force_input and not legacy):
        return 0
    return 2 if inp.type == "COMBO" else 1


# Input types the frontend draws as a widget of its own (a custom widget), with the button
# widgets its extension adds just before it: they hold a place in ``widgets_values`` but
# are no input (extensions/core/load3d.ts: Load3D's "upload 3d model", "upload extra
# resources" and "clear" sit between ``model_file`` and ``image``).
CUSTOM_WIDGETS: dict[str, int] = {"LOAD_3D": 3}


def is_widget(inp: InputSpec) -> bool:
    """True when the frontend gives the input a widget, so it holds a literal value."""
    return inp.is_widget or (inp.type in CUSTOM_WIDGETS and not inp.force_input)


def widget_layout(spec: NodeSpec, legacy: bool = False) -> list[str | None]:
    """Positions of ``widgets_values``: an input name, or None for a control value or a button.

    With ``legacy`` the layout of frontends before 1.16, where forceInput inputs were
    widgets converted to sockets and so still held a value (see migrateWidgetsValues).
    """
    layout: list[str | None] = []
    for inp in spec.inputs.values():
        if is_widget(inp) or (legacy and inp.force_input):
            layout.extend([None] * CUSTOM_WIDGETS.get(inp.type, 0))
            layout.append(inp.name)
            layout.extend([None] * control_slots(inp, legacy))
    return layout


def literal(value: Any) -> Any:
    """A widget value as the prompt carries it: lists are boxed so they are not links."""
    return {"__value__": value} if isinstance(value, list) else value
