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

The two directions live in :mod:`workflow_ui_to_api` and :mod:`workflow_api_to_ui`;
what they share (format detection, the error type, node modes, the ``widgets_values``
layout) lives in :mod:`workflow_basics`. Callers import from this module.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from .workflow_api_to_ui import api_to_ui, output_names_from_object_info
from .workflow_basics import MODE_ALWAYS, MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_api_prompt, is_ui_workflow
from .workflow_ui_to_api import ui_to_api

__all__ = ["WorkflowFormatError", "is_ui_workflow", "is_api_prompt", "ui_to_api", "api_to_ui",
           "output_names_from_object_info", "MODE_ALWAYS", "MODE_NEVER", "MODE_BYPASS"]
