"""Any number of axes: a plan over x, y, z and the further slots numbers, orders, names and
rebuilds its cells as it does over three, and its grids are the combinations of the axes
after X and Y."""
from __future__ import annotations

import itertools

import pytest

from planning.test_plan import SPECS, axis, graph, spec
from xyz_studio import protocol as P
from xyz_studio.comfyui.node_specs import InputSpec
from xyz_studio.errors import PlanError
from xyz_studio.planning.cell_files import MAX_VALUES_BYTES, cell_file_stem, safe_part
from xyz_studio.planning.plan import AxisRequest
from xyz_studio.planning.planner import plan_experiment

KNOBS = spec("Knobs", "sampling", ("IMAGE",), cond="CONDITIONING",
             **{name: InputSpec(name, "FLOAT", min=0, max=100) for name in ("cfg", "denoise", "eta", "shift")})
MORE_SPECS = {**SPECS, "Knobs": KNOBS}


def five_axes(sizes=(2, 3, 2, 2, 2), slots=("x", "y", "z", "axis4", "axis5")):
    prompt = graph()
    prompt["3"] = {"class_type": "Knobs", "inputs": {"cond": ["2", 0], "cfg": 7.0, "denoise": 1.0, "eta": 0.0,
                                                      "shift": 3.0}}
    targets = [("1", "ckpt_name"), ("3", "cfg"), ("3", "denoise"), ("3", "eta"), ("3", "shift")]
    requests = {}
    for n, (slot, size, (node, name)) in enumerate(zip(slots, sizes, targets)):
        numbers = ", ".join(str(10 * n + v) for v in range(size))
        values = ", ".join(["a", "b"][:size]) if name == "ckpt_name" else numbers
        axis(prompt, str(100 + n), values, [(node, name)])
        requests[slot] = AxisRequest(node_id=str(100 + n), values=values, title=name)
    return prompt, requests


def test_a_plan_over_five_axes_rebuilds_every_cell_once_in_cost_order():
    prompt, requests = five_axes(sizes=(2, 3, 2, 2, 2))
    plan = plan_experiment(prompt, "90", requests, MORE_SPECS, 1000)
    assert plan.slots == ("x", "y", "z", "axis4", "axis5") and plan.shape == (2, 3, 2, 2, 2)
    assert plan.cell_count == 48 and plan.grid_count == 8 and (plan.columns, plan.rows) == (2, 3)
    order = plan.run_sequence()
    assert sorted(order) == list(range(48))
    assert plan.loop_order[0] == "x"  # the checkpoint axis (on X here) changes least often: it loads twice
    ckpts = [plan.cell_prompt(i)["1"]["inputs"]["ckpt_name"] for i in order]
    assert ckpts == ["a"] * 24 + ["b"] * 24
    seen = set()
    for index in range(48):
        at = plan.coords_by_slot(index)
        knobs = plan.cell_prompt(index)["3"]["inputs"]
        assert knobs["cfg"] == [10, 11, 12][at["y"]] and knobs["shift"] == [40, 41][at["axis5"]]
        assert plan.index([at[s] for s in plan.slots]) == index
        x, y, grid = plan.place(index)
        assert (x, y) == (at["x"], at["y"]) and grid == at["z"] + 2 * (at["axis4"] + 2 * at["axis5"])
        assert plan.cell_in_grid(x, y, grid) == index
        seen.add(plan.cell_file_stem(index))
    assert len(seen) == 48  # every cell has a file of its own
    labels = [dict((a.slot, label) for a, label in plan.grid_labels(g)) for g in range(8)]
    assert labels == [{"z": str(20 + z), "axis4": str(30 + w), "axis5": str(40 + v)}
                      for v, w, z in itertools.product(range(2), range(2), range(2))]


def test_three_axes_keep_their_shape_and_a_missing_slot_counts_one():
    prompt, requests = five_axes(sizes=(2, 2, 1), slots=("x", "y", "axis5"))
    plan = plan_experiment(prompt, "90", requests, MORE_SPECS, 1000)
    assert plan.slots == ("x", "y", "z", "axis4", "axis5") and plan.shape == (2, 2, 1, 1, 1)
    prompt, requests = five_axes(sizes=(2, 2, 2), slots=("x", "y", "z"))
    plan = plan_experiment(prompt, "90", requests, MORE_SPECS, 1000)
    assert plan.slots == ("x", "y", "z") and plan.shape_by_slot() == {"x": 2, "y": 2, "z": 2}


def test_the_same_axis_node_on_two_inputs_is_refused_naming_both():
    prompt, requests = five_axes()
    requests["axis5"] = requests["x"]
    with pytest.raises(PlanError) as refused:
        plan_experiment(prompt, "90", requests, MORE_SPECS, 1000)
    assert "axis5" in str(refused.value) and "already connected to x" in str(refused.value)


def test_max_cells_counts_every_axis():
    prompt, requests = five_axes()
    with pytest.raises(PlanError) as refused:
        plan_experiment(prompt, "90", requests, MORE_SPECS, 47)
    assert "48" in str(refused.value) and "AXIS5" in str(refused.value)


def test_cell_files_are_named_by_value_then_coordinates():
    assert cell_file_stem([("cfg", "7"), ("sampler", "euler")], [("x", 2), ("y", 1)]) == "cfg-7_sampler-euler_x002_y001"
    assert cell_file_stem([("steps", "20")], [("x", 0), ("axis4", 12)]) == "steps-20_x000_axis4-012"
    assert cell_file_stem([], [("x", 3)]) == "x003"
    # no path, shell or '..' characters, any script kept, and the name stays short
    assert safe_part("../../etc/passwd") == "etc-passwd" and safe_part("a b|c$d") == "a-b-c-d"
    assert safe_part("猫 と 犬") == "猫-と-犬" and safe_part("...") == "-" and safe_part("") == "-"
    long = cell_file_stem([("prompt", "漢字" * 200), ("p2", "x" * 300)], [("x", 1), ("y", 2), ("z", 3)])
    assert long.endswith("_x001_y002_z003") and len(long.encode()) <= MAX_VALUES_BYTES + 20
    for stem in (long, cell_file_stem([("a/b", "c\\d")], [("x", 0)])):
        assert "/" not in stem and "\\" not in stem and ".." not in stem


def test_axis_slots_go_past_the_declared_ones_by_number():
    assert [P.axis_slot(n) for n in (1, 2, 3, 4, 9, 12)] == ["x", "y", "z", "axis4", "axis9", "axis12"]
    assert [P.axis_slot_number(s) for s in ("x", "z", "axis8", "axis9", "axis12")] == [1, 3, 8, 9, 12]
    # not an axis input: another name, a number that is x, y or z's, a leading zero
    for name in ("name", "axis", "axis3", "axis1", "axis09", "axis-9", "Axis9", "axis9 ", "axis12345"):
        assert P.axis_slot_number(name) is None, name
    with pytest.raises(ValueError):
        P.axis_slot(0)
    declared = P.AXIS_SLOTS
    assert declared[:3] == ("x", "y", "z") and P.axis_slots_in(["x", "name", "search"]) == declared
    assert P.axis_slots_in({"x": 1, "axis11": 1}) == (*declared, "axis9", "axis10", "axis11")


TEN_KNOBS = spec("TenKnobs", "sampling", ("IMAGE",), cond="CONDITIONING",
                 **{f"k{n}": InputSpec(f"k{n}", "FLOAT", min=0, max=2000) for n in range(1, 11)})


def test_ten_axes_past_the_declared_eight_plan_number_and_name_their_cells():
    prompt = graph()
    prompt["3"] = {"class_type": "TenKnobs", "inputs": {"cond": ["2", 0], **{f"k{n}": 1.0 for n in range(1, 11)}}}
    sizes = {1: 2, 2: 2, 5: 1, 9: 3, 10: 2}  # axes 3, 4, 6, 7, 8 left unwired
    requests = {}
    for n, size in sizes.items():
        values = ", ".join(str(100 * n + v) for v in range(size))
        axis(prompt, str(200 + n), values, [("3", f"k{n}")])
        requests[P.axis_slot(n)] = AxisRequest(node_id=str(200 + n), values=values, title=f"k{n}")
    plan = plan_experiment(prompt, "90", requests, {**SPECS, "TenKnobs": TEN_KNOBS}, 1000, order="grid order")
    assert plan.slots == tuple(P.axis_slot(n) for n in range(1, 11))
    assert plan.shape == (2, 2, 1, 1, 1, 1, 1, 1, 3, 2) and plan.cell_count == 24 and plan.grid_count == 6
    stems = set()
    for index in range(24):
        at = plan.coords_by_slot(index)
        knobs = plan.cell_prompt(index)["3"]["inputs"]
        assert knobs["k9"] == 900 + at["axis9"] and knobs["k10"] == 1000 + at["axis10"] and knobs["k5"] == 500
        assert plan.place(index)[2] == at["axis9"] + 3 * at["axis10"]
        stems.add(plan.cell_file_stem(index))
    assert len(stems) == 24 and plan.cell_file_stem(23).endswith("_x001_y001_axis5-000_axis9-002_axis10-001")
    assert [dict((a.slot, label) for a, label in plan.grid_labels(g)) for g in (0, 5)] == [
        {"axis5": "500", "axis9": "900", "axis10": "1000"}, {"axis5": "500", "axis9": "902", "axis10": "1001"}]

