"""Keeping the queued XYZ workflow from rendering anything itself.

When a prompt holding a Grid Driver is posted, only the Grid Drivers (and what they
depend on: the axes) are executed; the rest of the graph runs later, once per cell,
in the prompts the driver queues. This works through POST /prompt's
`partial_execution_targets`, set by a prompt handler before ComfyUI validates the
prompt. Without it, a Preview Image on the image path of a prompt-S/R-only workflow
(where no axis link blocks anything) would render once with the unreplaced prompt.
"""
from __future__ import annotations

from typing import Any

from .. import protocol as P


def restrict_to_drivers(body: Any) -> Any:
    """The POST /prompt body, executing only its Grid Drivers when it has any."""
    if not isinstance(body, dict) or not isinstance(body.get("prompt"), dict):
        return body
    drivers = sorted(str(node_id) for node_id, node in body["prompt"].items()
                     if isinstance(node, dict) and node.get("class_type") == P.NODE_DRIVER)
    if not drivers:
        return body
    targets = body.get("partial_execution_targets")
    if isinstance(targets, list) and not set(map(str, targets)) & set(drivers):
        return body  # the user runs other selected outputs on purpose
    return {**body, "partial_execution_targets": drivers}
