"""A W&B run of a sweep over axes past the declared eight: its config, table columns and rows
carry every axis by slot, as they do for x, y and z."""
from __future__ import annotations

from plan_fixtures import axis_plan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.tracking.run_content import cell_row, run_config, table_columns


def test_axes_nine_and_ten_are_in_the_config_the_columns_and_each_row():
    cfg = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[4.0], [7.0]],
                    labels=["4", "7"], targets=[[["3", "cfg"]]])
    seed = axis_plan(slot="axis9", node_id="101", title="seed", mode=AxisMode.VALUES, values=[[1], [2], [3]],
                     labels=["1", "2", "3"], targets=[[["3", "seed"]]])
    sampler = axis_plan(slot="axis10", node_id="102", title="sampler", mode=AxisMode.VALUES,
                        values=[["euler"], ["ddim"]], labels=["euler", "ddim"], targets=[[["3", "sampler_name"]]])
    plan = Plan(axes=(cfg, seed, sampler), loop_order=["axis10", "axis9", "x"], cell_nodes=["3", "9"],
                final_nodes=["9"], base={"3": {"class_type": "KSampler", "inputs": {}},
                                         "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {}}},
                assembler_id="9")
    experiment = Experiment(id="20261204-000000-abcdef", name="ten", created=1.0, updated=1.0, finished=2.0,
                            status=ExperimentStatus.COMPLETE, dry_run=False, total=12, final_prompt_id=None,
                            plan=plan, options=Options())
    config = run_config(experiment, plan)
    assert config["shape"] == {"x": 2, "y": 1, "z": 1, "axis4": 1, "axis5": 1, "axis6": 1, "axis7": 1, "axis8": 1,
                               "axis9": 3, "axis10": 2}
    assert list(config["axes"]) == ["x", "axis9", "axis10"] and config["axes"]["axis10"]["labels"] == ["euler", "ddim"]
    assert table_columns(plan, with_images=False)[4:] == ["x: cfg", "x value", "axis9: seed", "axis9 value",
                                                          "axis10: sampler", "axis10 value"]
    last = Cell(experiment_id=experiment.id, index=11, x=1, y=0, z=5, run_order=12, status=CellStatus.DONE)
    row = cell_row(plan, last, 0.5)
    assert (row["x value"], row["axis9 value"], row["axis10: sampler"], row["axis10 value"]) == (7.0, 3, "ddim", "ddim")
