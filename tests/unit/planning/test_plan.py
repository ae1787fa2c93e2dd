"""Planning without ComfyUI: targets, prompt S/R, cost-aware order, cell and final prompts."""
from __future__ import annotations

import pytest

from xyz_studio import protocol as P
from xyz_studio.comfyui.node_specs import InputSpec, NodeSpec
from xyz_studio.errors import NewerRecord, PlanError
from xyz_studio.planning.plan import AxisRequest, Plan, replace_all
from xyz_studio.planning.planner import plan_experiment


def spec(class_type, category="", outputs=(), **inputs):
    return NodeSpec(class_type, class_type, category, {n: InputSpec(n, t) if isinstance(t, str) else t
                                                       for n, t in inputs.items()}, tuple(outputs))


SPECS = {
    "Loader": spec("Loader", "loaders", ("MODEL",), ckpt_name=InputSpec("ckpt_name", "COMBO", options=("a", "b"))),
    "Encode": spec("Encode", "conditioning", ("CONDITIONING",), text="STRING", model="MODEL"),
    "Sampler": spec("Sampler", "sampling", ("IMAGE",), cond="CONDITIONING",
                    cfg=InputSpec("cfg", "FLOAT", min=0, max=30)),
    "Preview": spec("Preview", "image", (), images="IMAGE"),
    P.NODE_ASSEMBLER: spec(P.NODE_ASSEMBLER, "XYZ Studio", ("IMAGE",), image="IMAGE"),
    P.NODE_AXIS: spec(P.NODE_AXIS, "XYZ Studio", (P.AXIS_TYPE, "*"), values="STRING"),
    P.NODE_DRIVER: spec(P.NODE_DRIVER, "XYZ Studio", ()),
}


def graph(text="a cat and a dog"):
    return {
        "1": {"class_type": "Loader", "inputs": {"ckpt_name": "a"}},
        "2": {"class_type": "Encode", "inputs": {"text": text, "model": ["1", 0]}},
        "3": {"class_type": "Sampler", "inputs": {"cond": ["2", 0], "cfg": 7.0}},
        "9": {"class_type": P.NODE_ASSEMBLER, "inputs": {"image": ["3", 0]}},
        "95": {"class_type": "Preview", "inputs": {"images": ["9", 0]}},
        "90": {"class_type": P.NODE_DRIVER, "inputs": {}},
    }


def axis(prompt, node_id, values, targets=(), mode="values"):
    prompt[node_id] = {"class_type": P.NODE_AXIS, "inputs": {"values": values}}
    for target, name in targets:
        prompt[target]["inputs"][name] = [node_id, 1]
    return AxisRequest(node_id=node_id, values=values, mode=mode)


def test_two_prompt_sr_axes_never_replace_each_others_values():
    prompt = graph("a cat and a dog")
    x = axis(prompt, "100", "cat, dog", mode="prompt S/R")
    y = axis(prompt, "101", "dog, fox", mode="prompt S/R")
    plan = plan_experiment(prompt, "90", {"x": x, "y": y}, SPECS, 100)
    texts = {plan.coords(i): plan.cell_prompt(i)["2"]["inputs"]["text"] for i in range(plan.cell_count)}
    assert texts == {(0, 0, 0): "a cat and a dog", (1, 0, 0): "a dog and a dog",
                     (0, 1, 0): "a cat and a fox", (1, 1, 0): "a dog and a fox"}


def test_replace_all_is_one_pass():
    assert replace_all("red cat, blue dog", {"red": "blue", "blue": "green"}) == "blue cat, green dog"


def test_the_loader_axis_varies_slowest_wherever_it_is():
    prompt = graph()
    x = axis(prompt, "100", "a, b", [("1", "ckpt_name")])
    y = axis(prompt, "101", "5, 7, 9", [("3", "cfg")])
    plan = plan_experiment(prompt, "90", {"x": x, "y": y}, SPECS, 100)
    assert plan.loop_order == ["x", "y"] and plan.costs["x"] > plan.costs["y"]
    ckpts = [plan.cell_prompt(i)["1"]["inputs"]["ckpt_name"] for i in plan.run_sequence()]
    assert ckpts == ["a", "a", "a", "b", "b", "b"]
    grid = plan_experiment(prompt, "90", {"x": x, "y": y}, SPECS, 100, order="grid order")
    assert [grid.cell_prompt(i)["1"]["inputs"]["ckpt_name"] for i in grid.run_sequence()] == ["a", "b"] * 3


def test_cell_and_final_prompts():
    prompt = graph()
    x = axis(prompt, "100", "5, 7", [("3", "cfg")])
    plan = plan_experiment(prompt, "90", {"x": x}, SPECS, 100)
    cell = plan.cell_prompt(1)
    assert set(cell) == {"1", "2", "3", "9"}          # no axis, driver or downstream preview
    assert cell["3"]["inputs"]["cfg"] == 7.0
    final = plan.final_prompt()
    assert set(final) == {"9", "95"} and "image" not in final["9"]["inputs"]
    assert Plan.from_dict(plan.to_dict()).cell_prompt(1) == cell
    # after a cell, the final prompt holds that cell's graph too (so ComfyUI's cache keeps it)
    warm = plan.final_prompt(after_cell=1)
    assert set(warm) == {"1", "2", "3", "9", "95"} and warm["3"]["inputs"]["cfg"] == 7.0
    assert {k: v for k, v in warm.items() if k != "95"} == cell


def test_a_version_1_plan_is_read_with_its_loop_order():
    prompt = graph()
    x = axis(prompt, "100", "5, 7", [("3", "cfg")])
    stored = plan_experiment(prompt, "90", {"x": x}, SPECS, 100).to_dict()
    stored["version"] = 1
    stored["order"] = stored.pop("loop_order")
    assert Plan.from_dict(stored).loop_order == ["x"]


def test_cell_limit_and_a_newer_plan_are_refused():
    prompt = graph()
    x = axis(prompt, "100", "1-20", [("3", "cfg")])
    with pytest.raises(PlanError, match="at most 10 cells"):
        plan_experiment(prompt, "90", {"x": x}, SPECS, 10)
    plan = plan_experiment(prompt, "90", {"x": x}, SPECS, 100)
    with pytest.raises(NewerRecord, match="newer XYZ Plot Studio .plan version 99.; update the pack"):
        Plan.from_dict({**plan.to_dict(), "version": 99})


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), [1.0, float("-inf")]])
def test_a_nan_or_infinity_in_the_prompt_is_refused_before_anything_runs(bad):
    prompt = graph()
    prompt["3"]["inputs"]["cfg"] = bad
    x = axis(prompt, "100", "a, b", [("1", "ckpt_name")])
    with pytest.raises(PlanError) as refused:
        plan_experiment(prompt, "90", {"x": x}, SPECS, 100)
    assert 'Sampler #3, input "cfg"' in str(refused.value) and "a finite number" in str(refused.value)


def test_boxed_list_values_are_read_unboxed_and_written_as_comfyui_takes_them():
    """Newer frontends send a list widget value boxed, {"__value__": [...]} (executionUtil.ts);
    ComfyUI unboxes it in validate_inputs (execution.py, 0.3.75 and the newest alike)."""
    from xyz_studio.comfyui.prompt_graph import boxed, iter_links, widget_value, with_inputs
    styles = InputSpec("styles", "COMBO", options=("x", "y", "z"))
    specs = {**SPECS, "Sampler": spec("Sampler", "sampling", ("IMAGE",), cond="CONDITIONING", styles=styles,
                                      cfg=InputSpec("cfg", "FLOAT", min=0, max=30))}
    prompt = graph()
    prompt["3"]["inputs"]["styles"] = {"__value__": ["x", "z"]}
    prompt["2"]["inputs"]["tags"] = {"__value__": ["3", 0]}  # a boxed list that looks like a link is a value
    x = axis(prompt, "100", "y, z", [("3", "styles")])
    y = axis(prompt, "101", "5, 7", [("3", "cfg")])
    plan = plan_experiment(prompt, "90", {"x": x, "y": y}, specs, 100)
    cells = [plan.cell_prompt(i) for i in range(plan.cell_count)]
    assert sorted(c["3"]["inputs"]["styles"] for c in cells) == ["y", "y", "z", "z"]  # the axis's values
    assert all(c["2"]["inputs"]["tags"] == {"__value__": ["3", 0]} for c in cells)  # kept boxed, as sent
    assert ("2", "tags", "3", 0) not in set(iter_links(prompt))
    assert ["Encode", "tags", "3, 0"] in [[f.node, f.input, f.value] for f in plan.fixed]
    # an axis on the boxed widget alone (the other input fixed): its base value is shown unboxed
    z = axis(prompt, "102", "5, 7", [("3", "cfg")])
    prompt["3"]["inputs"]["styles"] = {"__value__": ["x", "z"]}
    only_cfg = plan_experiment(prompt, "90", {"x": z}, specs, 100)
    assert ["Sampler", "styles", "x, z"] in [[f.node, f.input, f.value] for f in only_cfg.fixed]
    assert only_cfg.cell_prompt(0)["3"]["inputs"]["styles"] == {"__value__": ["x", "z"]}
    # writing a list puts it in its box (a bare list would read as a link); reading takes it out
    assert with_inputs(prompt, {("3", "styles"): ["y", "z"]})["3"]["inputs"]["styles"] == {"__value__": ["y", "z"]}
    assert widget_value(boxed(["a", 1])) == ["a", 1] and boxed("a") == "a" and widget_value(7) == 7
    assert widget_value({"__value__": 1, "other": 2}) == {"__value__": 1, "other": 2}  # not a box
