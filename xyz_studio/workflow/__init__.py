"""ComfyUI's two workflow formats, and reading the editor's one.

* UI format ("workflow"): the editor's serialised graph, ``{"nodes": [...], "links": [...],
  "version": 0.4, ...}``. Widget values are stored positionally in ``widgets_values``;
  links live in a separate table and are referenced by id from each node's ``inputs``.
* API format ("prompt"): what ``POST /prompt`` accepts, ``{"3": {"class_type": "KSampler",
  "inputs": {"seed": 5, "model": ["4", 0], ...}}, ...}``.

The headless runner accepts both, so the pack converts UI to API (:mod:`.ui_to_api`).
What a conversion in either direction needs (format detection, the error type, node
modes, the ``widgets_values`` layout) is in :mod:`.shared`; the other direction, used
only to generate the example workflows, is ``harness/api_to_ui.py``.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

from .dialect import FrontendDialect, NewerFrontendRequired
from .shared import MODE_ALWAYS, MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_api_prompt, is_ui_workflow
from .ui_to_api import ui_to_api

__all__ = ["WorkflowFormatError", "is_ui_workflow", "is_api_prompt", "ui_to_api", "MODE_ALWAYS", "MODE_NEVER",
           "MODE_BYPASS", "FrontendDialect", "NewerFrontendRequired"]
