"""A node's saved widget values, by input name.

Positional ``widgets_values`` follow the node's widget list (``shared.widget_layout``:
control values and extension buttons hold places without being inputs); newer frontends
also save ``widgets_values_named`` (name -> value), but both pinned frontends restore by
position unless the experimental setting Comfy.Workflow.NamedValuesRestore is on (off by
default), so a named value only fills an input the positions do not reach.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

import re
from typing import Any

from ..comfyui.node_specs import InputSpec, NodeSpec
from .graph import UiNode, describe
from .shared import WorkflowFormatError, widget_layout

MISSING = object()


def values_by_name(node: UiNode, spec: NodeSpec) -> dict[str, Any]:
    """Map input name -> stored widget value (absent when the workflow has none)."""
    named = node.get("widgets_values_named")
    values = node.get("widgets_values")
    found: dict[str, Any] = {}
    if values is not None:
        if isinstance(values, dict):
            found = {name: values[name] for name in spec.inputs if name in values}
        elif not isinstance(values, list):
            raise WorkflowFormatError(
                f"{describe(node)}: widgets_values must be a list or an object, "
                f"not {type(values).__name__}")
        else:
            layout = widget_layout(spec)
            if any(inp.force_input for inp in spec.inputs.values()):
                legacy = widget_layout(spec, legacy=True)
                if len(values) == len(legacy) != len(layout):
                    layout = legacy
            # Extra trailing values (an image upload button, extension widgets) are ignored.
            found = {name: value for name, value in zip(layout, values) if name is not None}
    if isinstance(named, dict):
        found.update({name: named[name] for name in spec.inputs if name in named and name not in found})
    return found


def widget_value(node: UiNode, spec: NodeSpec, inp: InputSpec, values: dict[str, Any]) -> Any:
    """The value the node's widget for ``inp`` holds; MISSING for an optional one without."""
    value = values.get(inp.name, MISSING)
    if value is MISSING or value is None:
        # An optional input without a value is left out (the node then uses its
        # own default); this also keeps api_to_ui's None placeholders round-tripping.
        if inp.optional:
            return MISSING
        if inp.default is not None:
            return inp.default
        raise WorkflowFormatError(
            f"{describe(node, spec)}: required input {inp.name!r} has no value "
            f"in widgets_values and no default")
    return value


# JavaScript's /\/\*[\s\S]*?\*\/|\/\/.*/g: "." stops at any JS line terminator
_COMMENTS = re.compile(r"/\*[\s\S]*?\*/|//[^\n\r\u2028\u2029]*")
_ESCAPED = re.compile(r"\\([{}|])")


class RandomChoice(Exception):
    """A {a|b} choice the frontend makes at random when it queues."""


def dynamic_prompt(text: str) -> str:
    """What the frontend queues for a text widget declared with dynamicPrompts (both pinned
    frontends' formatUtil.processDynamicPrompt, the Comfy.DynamicPrompts extension's
    serializeValue): C-style comments stripped, a {block} replaced by its content, escapes
    kept. A block with alternatives ({a|b}) is a random pick: RandomChoice."""
    text = _COMMENTS.sub("", text)
    i = 0
    out: list[str] = []

    def escape() -> str:
        nonlocal i
        i += 1
        return "\\" + (text[i - 1] if i - 1 < len(text) else "undefined")

    def choice_block() -> str:
        nonlocal i
        options, choice, depth = [], "", 0
        while i < len(text):
            char = text[i]
            i += 1
            if char == "\\":
                choice += escape()
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if not depth:
                    break
                depth -= 1
            elif char == "|" and not depth:
                options.append(choice)
                choice = ""
                continue
            choice += char
        options.append(choice)
        if len(options) > 1:
            raise RandomChoice("|".join(options))
        return dynamic_prompt(options[0])

    while i < len(text):
        char = text[i]
        i += 1
        out.append(escape() if char == "\\" else choice_block() if char == "{" else char)
    return _ESCAPED.sub(r"\1", "".join(out))
