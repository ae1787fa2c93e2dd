"""Node input declarations as ComfyUI publishes them in GET /object_info.

The same parser serves the Grid Driver (checking axis values against the inputs they
drive) and the headless runner (turning UI-format workflows into API prompts), so
both read declarations through the one public, stable format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDGET_TYPES = frozenset({"INT", "FLOAT", "STRING", "BOOLEAN", "COMBO"})


@dataclass(frozen=True)
class InputSpec:
    """One input of a node as declared by its class."""

    name: str
    type: str
    optional: bool = False
    options: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    default: Any = None
    force_input: bool = False
    control_after_generate: bool = False
    multiline: bool = False   # a STRING the frontend edits in a text area (a DOM widget)
    dynamic_prompts: bool = False   # the frontend resolves {a|b} and strips comments when it queues

    @property
    def is_widget(self) -> bool:
        """True when the input holds a literal value (a widget), not only a link."""
        return self.type in WIDGET_TYPES and not self.force_input

    def describe(self) -> str:
        """Human wording of what the input accepts, for error messages."""
        if self.type == "COMBO":
            shown = ", ".join(str(o) for o in (self.options or ())[:12])
            more = len(self.options or ()) - 12
            return f"one of: {shown}" + (f" (and {more} more)" if more > 0 else "")
        if self.type in ("INT", "FLOAT"):
            kind = "an integer" if self.type == "INT" else "a number"
            if self.min is not None and self.max is not None:
                return f"{kind} from {_num(self.min)} to {_num(self.max)}"
            if self.min is not None:
                return f"{kind} of at least {_num(self.min)}"
            if self.max is not None:
                return f"{kind} of at most {_num(self.max)}"
            return kind
        if self.type == "BOOLEAN":
            return "true or false"
        if self.type == "STRING":
            return "text"
        return f"a {self.type} connection"


@dataclass(frozen=True)
class NodeSpec:
    """A node class: its inputs in declaration order, outputs and flags."""

    class_type: str
    display_name: str
    category: str
    inputs: dict[str, InputSpec] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def parse_input(name: str, decl: Any, optional: bool) -> InputSpec:
    """Parse one `[type, options]` entry of object_info's input section."""
    if not isinstance(decl, (list, tuple)) or not decl:
        return InputSpec(name=name, type=str(decl), optional=optional)
    kind = decl[0]
    opts = decl[1] if len(decl) > 1 and isinstance(decl[1], dict) else {}
    if isinstance(kind, (list, tuple)):  # legacy COMBO: the list of choices itself
        return InputSpec(name=name, type="COMBO", optional=optional, options=tuple(kind),
                         default=opts.get("default"), force_input=bool(opts.get("forceInput")))
    kind = str(kind)
    options = opts.get("options")
    return InputSpec(
        name=name,
        type=kind,
        optional=optional,
        options=tuple(options) if kind == "COMBO" and options is not None else None,
        min=opts.get("min"),
        max=opts.get("max"),
        default=opts.get("default"),
        force_input=bool(opts.get("forceInput")),
        control_after_generate=bool(opts.get("control_after_generate")),
        multiline=bool(opts.get("multiline")),
        dynamic_prompts=bool(opts.get("dynamicPrompts")),
    )


def parse_node_spec(class_type: str, info: dict[str, Any]) -> NodeSpec:
    """Parse one value of GET /object_info (or /object_info/{class})[class]."""
    inputs: dict[str, InputSpec] = {}
    section = info.get("input") or {}
    order = info.get("input_order") or {}
    for part, optional in (("required", False), ("optional", True)):
        decls = section.get(part) or {}
        names = order.get(part) or list(decls)
        for name in names:
            if name in decls:
                inputs[name] = parse_input(name, decls[name], optional)
    return NodeSpec(
        class_type=class_type,
        display_name=str(info.get("display_name") or class_type),
        category=str(info.get("category") or ""),
        inputs=inputs,
        outputs=tuple(str(o) for o in (info.get("output") or ())),
    )
