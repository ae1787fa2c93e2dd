"""The core's exception family: what went wrong, in words a user can act on.

Each carries a message and nothing about HTTP; the route layer maps each kind to its
status in one table (api_views.HTTP_STATUS). Every PlanError names the node, the
input, the bad value and what was expected, so a user can fix the graph from the
error alone (the ComfyUI error dialog shows it).
"""
from __future__ import annotations

from enum import Enum


class StudioError(Exception):
    """Base of every error the core reports on purpose."""


class BadRequest(StudioError, ValueError):
    """A request (route parameters, body, workflow file) that is malformed."""


class TooLarge(BadRequest):
    """A request body larger than the pack accepts."""


class NotFound(StudioError, LookupError):
    """No such experiment, cell or file."""


class ConflictReason(str, Enum):
    """Why an action does not fit the experiment's state; clients (the runner, the editor) act on it."""

    STILL_RUNNING = "still_running"      # ComfyUI still holds its prompts
    ALREADY_COMPLETE = "already_complete"  # every cell is settled: nothing to resume
    NO_FAILED_CELLS = "no_failed_cells"  # nothing to retry
    NOT_RUNNING = "not_running"          # nothing to cancel
    DRY_RUN = "dry_run"                  # a dry run renders nothing: queue the workflow again


class Conflict(StudioError):
    """The request does not fit the experiment's state (cancel a finished run, resume a running one)."""

    def __init__(self, message: str, reason: ConflictReason):
        self.reason = reason
        super().__init__(message)


class PlanError(StudioError, ValueError):
    """A problem with the axes, values or graph found before any cell runs."""

    def __init__(self, node: str, input_name: str, value: object, expected: str, detail: str = ""):
        self.node = node  # "Title #id": the editor marks the node with that id (planning/preflight.py)
        self.input_name = input_name
        shown = value if isinstance(value, str) else repr(value)
        text = f'{node}, input "{input_name}": got "{shown}"; expected {expected}'
        if detail:
            text += f" ({detail})"
        super().__init__(text + ".")


class HostUnsupported(StudioError):
    """This ComfyUI lacks something the pack needs; the message says what and what to do."""


class NotInstalled(StudioError):
    """An optional extra the asked-for feature needs is not installed; the message says how to install it."""


class WorkflowRejected(StudioError, ValueError):
    """ComfyUI's own validation refused the workflow (outside what the axes vary)."""


class NewerRecord(StudioError):
    """A stored experiment written by a newer version of the pack than this one can read."""
