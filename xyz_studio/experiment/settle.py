"""Settling cells from ComfyUI's history: their times, and why a cell that never
reached the Grid Assembler (an error, an interrupt) failed."""
from __future__ import annotations

from typing import Any

from ..comfyui.history import HistoryLookup, PromptOutcome, PromptState, outcome
from ..storage.records import CellStatus
from ..storage.store import ExperimentStore


def settle_cells(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None,
                 only: set[int] | None = None) -> None:
    """Record outcome and timing of cells (all, or `only` these) from ComfyUI's history."""
    settled = (CellStatus.QUEUED, CellStatus.DONE)
    cells = [c for c in store.cells(experiment_id) if c.status in settled and (only is None or c.index in only)
             and not (c.status == CellStatus.DONE and c.seconds is not None)]  # a done cell timed before stays
    # the cells that never reached the Grid Assembler first: a lookup reads a bounded number of
    # entries one by one (comfyui/history.py), and their failures are what the user reads
    wanted = [c.prompt_id for c in sorted(cells, key=lambda c: c.status != CellStatus.QUEUED) if c.prompt_id]
    entries = lookup(wanted) if lookup and wanted else {}
    updates: dict[int, dict[str, Any]] = {}
    for c in cells:
        result: PromptOutcome = outcome(entries.get(c.prompt_id) if c.prompt_id else None)
        fields: dict[str, Any] = dict(result.timing())
        if c.status == CellStatus.QUEUED:
            fields["status"] = CellStatus.FAILED
            if result.state == PromptState.SUCCESS:
                fields["error"] = "the cell finished but no image reached the Grid Assembler"
            else:
                fields["error"] = result.error or "the cell did not finish"
        if fields:
            updates[c.index] = fields
    store.update_cells(experiment_id, updates)
