"""The workflow a grid PNG carries names, on the Grid Assembler the experiment ran
through and nowhere else, the experiment its panel shows; the user's workflow is
otherwise the one queued."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from PIL import Image

from grids.test_grid_drawing import new_experiment, render
from xyz_studio.experiment.cell_writer import save_cell
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.grids.finish import draw_grids
from xyz_studio.protocol import ASSEMBLER_EXPERIMENT_PROPERTY, NODE_ASSEMBLER
from xyz_studio.storage.folder import ExperimentFolder
from xyz_studio.workflow.panel_state import showing_experiment

PANEL_TS = Path(__file__).resolve().parents[3] / "js" / "src" / "panel.ts"
EID = "20261201-101500-a1b2c3"


def workflow() -> dict:
    return {"id": "wf-1", "version": 0.4, "links": [[1, 3, 0, 7, 0, "IMAGE"]], "nodes": [
        {"id": 3, "type": "VAEDecode", "properties": {}, "widgets_values": []},
        {"id": 7, "type": NODE_ASSEMBLER, "properties": {"Node name for S&R": "GA", "xyz_experiment": "old"},
         "widgets_values": ["", "higher is better"]},
        {"id": 8, "type": NODE_ASSEMBLER, "widgets_values": []},
    ]}


def test_the_assembler_that_ran_shows_the_experiment_and_nothing_else_changes():
    before = workflow()
    after = showing_experiment(before, "7", EID)
    assert before == workflow()  # the stored source is not touched
    assert after["nodes"][1]["properties"] == {"Node name for S&R": "GA", ASSEMBLER_EXPERIMENT_PROPERTY: EID}
    expected = copy.deepcopy(before)
    expected["nodes"][1]["properties"][ASSEMBLER_EXPERIMENT_PROPERTY] = EID
    assert after == expected  # the other Grid Assembler, links, values and ids as queued


def test_a_node_without_properties_gets_them():
    after = showing_experiment(workflow(), "8", EID)
    assert after["nodes"][2]["properties"] == {ASSEMBLER_EXPERIMENT_PROPERTY: EID}


def test_no_such_node_a_subgraph_node_or_no_nodes_leave_the_workflow_as_it_is():
    assert showing_experiment(workflow(), "99", EID) == workflow()
    assert showing_experiment(workflow(), "12:7", EID) == workflow()
    assert showing_experiment({"links": []}, "7", EID) == {"links": []}


def test_the_property_is_the_one_the_panel_reads():
    assert f'EXPERIMENT_PROPERTY = "{ASSEMBLER_EXPERIMENT_PROPERTY}"' in PANEL_TS.read_text()


def test_the_grid_png_carries_the_workflow_showing_its_experiment(tmp_path):
    store, eid, plan, cells = new_experiment(tmp_path, x="3, 5", y="a, b")
    source = {"workflow": {"nodes": [{"id": int(plan.assembler_id), "type": NODE_ASSEMBLER, "properties": {}}],
                           "links": []},
              "prompt": {"1": {"class_type": "X", "inputs": {}}}}
    with store._connect() as db:  # the record as the Grid Driver stores it: with the queued source
        db.execute("UPDATE experiments SET source = ? WHERE id = ?", (json.dumps(source), eid))
    for cell in cells:
        save_cell(store, cell_job(eid, plan, cell), [render(cell.index)], {})
    grid = draw_grids(store, eid, previews=False)[0][0]
    with Image.open(ExperimentFolder(tmp_path, eid).dir / grid.file) as png:
        text = png.text
    assert json.loads(text["workflow"])["nodes"][0]["properties"] == {ASSEMBLER_EXPERIMENT_PROPERTY: eid}
    assert json.loads(text["prompt"]) == source["prompt"]
    assert store.experiment(eid).source == source  # the stored source stays as queued
