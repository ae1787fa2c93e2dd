"""A W&B run of a sweep inside nested subgraphs: its config keeps the execution ids (`103:102:3`) as
the manifest has them, and its table's columns and captions name the inputs by their subgraph path."""
from __future__ import annotations

from plan_fixtures import axis_plan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.tracking.run_content import cell_caption, cell_row, run_config, table_columns

CFG = "Sampler › Inner › KSampler · cfg"


def _plan() -> Plan:
    cfg = axis_plan(slot="x", node_id="100", title=CFG, mode=AxisMode.VALUES, values=[[4.0], [7.0]],
                    labels=["4", "7"], targets=[[["103:102:3", "cfg"]]])
    return Plan(axes=(cfg,), loop_order=["x"], cell_nodes=["103:102:3", "9"], final_nodes=["9"],
                base={"103:102:3": {"class_type": "KSampler", "inputs": {"cfg": ["100", 1]}},
                      "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {"image": ["103:8", 0]}}},
                assembler_id="9")


def test_the_config_keeps_the_execution_ids_and_the_table_names_the_path():
    plan = _plan()
    experiment = Experiment(id="20261203-000000-abcdef", name="nested", created=1.0, updated=1.0, finished=2.0,
                            status=ExperimentStatus.COMPLETE, dry_run=False, total=2, final_prompt_id=None,
                            plan=plan, options=Options())
    config = run_config(experiment, plan)
    assert config["axes"]["x"]["targets"] == [[["103:102:3", "cfg"]]] and config["axes"]["x"]["title"] == CFG
    assert table_columns(plan, with_images=False) == ["index", "status", "seconds", "error message",
                                                      f"x: {CFG}", "x value"]
    cell = Cell(experiment_id=experiment.id, index=1, x=1, y=0, z=0, run_order=1, status=CellStatus.DONE)
    row = cell_row(plan, cell, 0.5)
    assert row[f"x: {CFG}"] == "7" and row["x value"] == 7.0
    assert cell_caption(plan, cell, 0.5) == f"{CFG}: 7, time: 0.5 s"
