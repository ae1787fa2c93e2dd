"""A cell's image in the W&B table is captioned as the editor's hover describes the cell."""
from __future__ import annotations

import json
from pathlib import Path

from xyz_studio.planning.plan import Plan
from xyz_studio.storage.records import Cell, CellStatus
from xyz_studio.tracking.run_content import cell_caption

FIXTURE = Path(__file__).resolve().parents[1] / "planning" / "plan_v3_fixture.json"


def test_a_cells_caption_is_its_description_on_one_line():
    plan = Plan.from_dict(json.loads(FIXTURE.read_text(encoding="utf-8"))["plan"])  # 2 x 3 x 2, one metric
    cell = Cell(experiment_id="e", index=5, x=1, y=2, z=0, run_order=5, status=CellStatus.DONE,
                metrics={"brightness": 12345.6})
    axes = 'cfg / steps: 7 / 20, prompt S/R "cat": owl, checkpoint: first'
    assert cell_caption(plan, cell, 3.21) == f"{axes}, time: 3.2 s, brightness: 12346"
    # without a time from ComfyUI's history, the one the store has; a missing value is a dash
    timed = Cell(experiment_id="e", index=5, x=1, y=2, z=0, run_order=5, status=CellStatus.DONE, seconds=75.0)
    assert cell_caption(plan, timed, None) == f"{axes}, time: 1:15, brightness: –"
