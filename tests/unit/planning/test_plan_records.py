"""The typed Plan: a stored version-3 plan (captured from the pack before the Plan was made of
records) reads back whole and is written back byte for byte; the store hands out Plans, or an
UnreadablePlan that keeps its experiment listable; a plan of more than three axes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plan_fixtures import axis_plan
from xyz_studio.errors import NewerRecord
from xyz_studio.planning.plan import PLAN_VERSION, AxisMode, AxisValue, FixedParameter, Plan, Target
from xyz_studio.storage.manifest import build_manifest
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options, UnreadablePlan
from xyz_studio.storage.store import ExperimentStore
from xyz_studio.tracking.run_content import cell_row, run_config, table_columns

# Written by plan_experiment before issue 17: the plan's JSON, and what that code made of it.
CAPTURED = json.loads((Path(__file__).parent / "plan_v3_fixture.json").read_text())
EID = "20261126-000000-abcdef"
REPO = Path(__file__).resolve().parents[3]


def _experiment(plan: Plan | UnreadablePlan) -> Experiment:
    return Experiment(id=EID, name="fixture", created=1.0, updated=2.0, finished=None, status=ExperimentStatus.RUNNING,
                      dry_run=False, total=12, final_prompt_id=None, plan=plan, options=Options(name="fixture"))


def _cells(plan: Plan) -> list[Cell]:
    # as the capture made them
    return [Cell(experiment_id=EID, index=i, x=c[0], y=c[1], z=c[2], run_order=plan.run_sequence().index(i),
                 status=CellStatus.DONE if i % 3 else CellStatus.QUEUED,
                 metrics={"brightness": float(i % 5)} if i % 3 else {}, seconds=1.5 if i % 3 else None)
            for i in range(plan.cell_count) for c in [plan.coords(i)]]


def test_a_stored_version_3_plan_reads_as_records():
    plan = Plan.from_dict(CAPTURED["plan"])
    x, y, z = plan.axes
    assert x.values == (AxisValue((5.0, 10), "5 / 10"), AxisValue((7.0, 20), "7 / 20"))
    assert x.targets == ((Target("3", "cfg"),), (Target("3", "steps"),))
    assert (y.mode, y.search, y.targets) == (AxisMode.REPLACE, "cat", ((Target("2", "text"),),))
    assert z.labels == ("first", "second") and plan.fixed == (FixedParameter("Sampler", "seed", "7"),)
    assert plan.shape == (2, 3, 2) and (plan.columns, plan.rows, plan.grid_count, plan.cell_count) == (2, 3, 2, 12)


def test_a_stored_plan_rebuilds_the_same_prompts_coordinates_and_order():
    plan = Plan.from_dict(CAPTURED["plan"])
    assert list(plan.shape) == CAPTURED["shape"] and plan.run_sequence() == CAPTURED["run_sequence"]
    for index, cell in CAPTURED["cells"].items():
        assert list(plan.coords(int(index))) == list(plan.place(int(index))) == cell["coords"]
        assert plan.cell_in_grid(*cell["coords"]) == int(index) == plan.index(cell["coords"])
        assert plan.cell_prompt(int(index)) == cell["prompt"]
    assert plan.final_prompt() == CAPTURED["final_prompt"]
    assert plan.final_prompt(after_cell=3) == CAPTURED["final_prompt_after_3"]
    assert plan.labels_of(5) == CAPTURED["labels_of_5"] and plan.values_of(5) == CAPTURED["values_of_5"]


def test_the_stored_form_is_unchanged_so_older_packs_read_new_plans():
    plan = Plan.from_dict(CAPTURED["plan"])
    assert PLAN_VERSION == 3
    assert json.dumps(plan.to_dict(), sort_keys=True) == json.dumps(CAPTURED["plan"], sort_keys=True)
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


def test_the_manifest_and_the_wandb_run_are_what_they_were():
    plan = Plan.from_dict(CAPTURED["plan"])
    cells = _cells(plan)
    assert json.loads(json.dumps(build_manifest(_experiment(plan), cells))) == CAPTURED["manifest"]
    assert json.loads(json.dumps(run_config(_experiment(plan), plan))) == CAPTURED["run_config"]
    assert table_columns(plan, True) == CAPTURED["table_columns"]
    assert json.loads(json.dumps([cell_row(plan, c, None) for c in cells])) == CAPTURED["cell_rows"]


def test_the_store_hands_out_the_plan_read_once(tmp_path):
    store = ExperimentStore(tmp_path)
    plan = Plan.from_dict(CAPTURED["plan"])
    store.create(_experiment(plan), _cells(plan))
    stored = store.experiment(EID)
    assert isinstance(stored.plan, Plan) and stored.plan == plan and stored.readable_plan is stored.plan
    assert stored.assembler_id == "9"


@pytest.mark.parametrize("stored, problem", [
    ({**CAPTURED["plan"], "version": 4}, "newer XYZ Plot Studio .plan version 4.; update the pack"),
    ({**CAPTURED["plan"], "axes": "x"}, "string indices"),
    ({k: v for k, v in CAPTURED["plan"].items() if k != "base"}, "base"),
    ({**CAPTURED["plan"], "axes": list(reversed(CAPTURED["plan"]["axes"]))}, "in that order"),
])
def test_a_plan_this_version_cannot_read_keeps_its_experiment_listed(tmp_path, stored, problem):
    store = ExperimentStore(tmp_path)
    store.create(_experiment(UnreadablePlan(stored, NewerRecord("as stored"))), [])
    experiment = store.experiment(EID)
    assert isinstance(experiment.plan, UnreadablePlan) and experiment.plan.stored == stored
    assert experiment.assembler_id == "9"  # still known: the panels find its workflow's Grid Assembler
    with pytest.raises(Exception, match=problem) as raised:
        _ = experiment.readable_plan
    assert isinstance(raised.value, NewerRecord) == (stored.get("version") == 4)


def test_plan_from_dict_is_called_by_the_store_alone():
    calls = [f"{path.relative_to(REPO)}:{n}" for folder in ("xyz_studio", "host", "nodes", "harness", "bench")
             for path in sorted((REPO / folder).rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bPlan\.from_dict\(", line)]
    assert [c.split(":")[0] for c in calls] == ["xyz_studio/storage/rows.py"], calls


def test_a_plan_of_four_axes():
    axes = [axis_plan(slot, f"10{k}", slot.upper(), AxisMode.VALUES, [[v] for v in range(n)],
                      [f"{slot}{v}" for v in range(n)], [[[str(k + 1), "value"]]])
            for k, (slot, n) in enumerate([("x", 3), ("y", 2), ("z", 2), ("axis4", 3)])]
    base = {str(k): {"class_type": "Node", "inputs": {"value": [f"10{k - 1}", 1]}} for k in range(1, 5)}
    plan = Plan(axes=tuple(axes), loop_order=["axis4", "x", "y", "z"], cell_nodes=["1", "2", "3", "4"],
                final_nodes=["4"], base=base, assembler_id="4")
    assert plan.shape == (3, 2, 2, 3) and plan.cell_count == 36 and plan.grid_count == 6
    for index in range(plan.cell_count):
        x, y, z, w = plan.coords(index)
        assert plan.index((x, y, z, w)) == index == plan.cell_in_grid(x, y, z + 2 * w)
        assert plan.place(index) == (x, y, z + 2 * w)  # the grid stands for Z and W together
        assert plan.labels_of(index) == {"x": f"x{x}", "y": f"y{y}", "z": f"z{z}", "axis4": f"axis4{w}"}
        prompt = plan.cell_prompt(index)
        assert [prompt[n]["inputs"]["value"] for n in "1234"] == [x, y, z, w]
    assert [(a.slot, label) for a, label in plan.grid_labels(5)] == [("z", "z1"), ("axis4", "axis42")]
    order = plan.run_sequence()
    assert sorted(order) == list(range(36))
    assert [plan.coords_by_slot(i)["axis4"] for i in order] == sorted(plan.coords_by_slot(i)["axis4"] for i in order)


def test_a_wired_request_is_named_after_the_node_its_input_links_to():
    # ComfyUI's cache gives two axis nodes with the same inputs one output (the first node's id)
    from xyz_studio.planning.plan import AxisRequest

    cached = {"node_id": "100", "values": "1, 2", "mode": "values", "title": "", "labels": ""}
    driver_inputs = {"x": ["100", 0], "y": ["101", 0], "name": "test"}
    assert AxisRequest.wired(cached, driver_inputs, "x").node_id == "100"
    assert AxisRequest.wired(cached, driver_inputs, "y").node_id == "101"
    assert AxisRequest.wired(cached, driver_inputs, "y").values == "1, 2"
    assert AxisRequest.wired(cached, {}, "z").node_id == "100"  # no link to read: as handed over
