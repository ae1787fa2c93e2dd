"""The one error type the planner raises for bad axes, values and graphs.

Every message names the node, the input, the bad value and what was expected, so a
user can fix the graph from the error alone (the ComfyUI error dialog shows it).
"""
from __future__ import annotations


class PlanError(ValueError):
    """A problem found before any cell runs."""

    def __init__(self, node: str, input_name: str, value: object, expected: str, detail: str = ""):
        self.node = node
        self.input_name = input_name
        self.value = value
        self.expected = expected
        self.detail = detail
        shown = value if isinstance(value, str) else repr(value)
        text = f'{node}, input "{input_name}": got "{shown}"; expected {expected}'
        if detail:
            text += f" ({detail})"
        super().__init__(text + ".")


class WorkflowRejected(ValueError):
    """ComfyUI's own validation refused the workflow (outside what the axes vary)."""
