"""Convert between ComfyUI's two workflow formats.

* UI format ("workflow"): the editor's serialised graph, ``{"nodes": [...], "links": [...],
  "version": 0.4, ...}``. Widget values are stored positionally in ``widgets_values``;
  links live in a separate table and are referenced by id from each node's ``inputs``.
* API format ("prompt"): what ``POST /prompt`` accepts, ``{"3": {"class_type": "KSampler",
  "inputs": {"seed": 5, "model": ["4", 0], ...}}, ...}``.

``ui_to_api`` mirrors what the ComfyUI frontend does when it queues a graph (its
``graphToPrompt`` and ``ExecutableNodeDTO.resolveInput``): muted nodes are dropped,
bypassed nodes are wired through, Reroute nodes are followed, PrimitiveNode values are
written into the inputs they feed, and the per-widget "control after generate" values are
skipped. ``api_to_ui`` builds a graph a stock editor can load, with a simple automatic
layout. Node declarations come from GET /object_info, parsed by :mod:`node_specs`.

The two directions live in :mod:`workflow_ui_to_api` and :mod:`workflow_api_to_ui`
(the ``widgets_values`` layout they share in :mod:`workflow_widgets`); this module holds
what both share and re-exports their entry points, so callers import from here.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "WorkflowFormatError",
    "is_ui_workflow",
    "is_api_prompt",
    "ui_to_api",
    "api_to_ui",
    "output_names_from_object_info",
]

# Node modes as litegraph numbers them (LGraphEventMode).
MODE_ALWAYS = 0
MODE_NEVER = 2      # "muted" in the editor
MODE_BYPASS = 4


class WorkflowFormatError(ValueError):
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

# The conversion modules import the names above from this module, so these imports
# must stay below them; import the conversions through this module, not directly.
from .workflow_api_to_ui import api_to_ui, output_names_from_object_info  # noqa: E402
from .workflow_ui_to_api import ui_to_api  # noqa: E402
