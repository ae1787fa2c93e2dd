"""The Grid Assembler's panel state inside a saved UI workflow.

The editor's panel shows the experiment whose id is in its node's properties
(`protocol.ASSEMBLER_EXPERIMENT_PROPERTY`). The grid PNGs carry the workflow that made
them; with that property set on the Grid Assembler the experiment ran through,
dropping a grid onto the editor shows its results in the panel, not an empty one.
"""
from __future__ import annotations

import copy
from typing import Any

from ..protocol import ASSEMBLER_EXPERIMENT_PROPERTY


def showing_experiment(workflow: dict[str, Any], assembler_id: str, experiment_id: str) -> dict[str, Any]:
    """A copy of `workflow` whose Grid Assembler `assembler_id` shows `experiment_id`.

    Only that node changes, and only its one property: the rest is the user's workflow as
    queued. An assembler inside a subgraph (id "12:5") has no panel of its own on the
    root graph, so such a workflow is returned unchanged, as is one without that node.
    """
    nodes = workflow.get("nodes") if isinstance(workflow, dict) else None
    if not isinstance(nodes, list) or ":" in assembler_id:
        return workflow
    at = next((k for k, n in enumerate(nodes) if isinstance(n, dict) and str(n.get("id")) == assembler_id), None)
    if at is None:
        return workflow
    node = copy.deepcopy(nodes[at])
    properties = node.get("properties")
    node["properties"] = {**(properties if isinstance(properties, dict) else {}),
                          ASSEMBLER_EXPERIMENT_PROPERTY: experiment_id}
    return {**workflow, "nodes": [*nodes[:at], node, *nodes[at + 1:]]}
