"""The ComfyScript export's own part: which inputs become loop variables and how the file reads
(the transpiling itself is ComfyScript's: integration/test_script_export.py runs it)."""
from __future__ import annotations

import ast

import pytest

from plan_fixtures import axis_plan
from xyz_studio.errors import BadRequest
from xyz_studio.export.comfyscript import MARK, render_script, template_prompt, varied_inputs
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.storage.records import Experiment, ExperimentStatus, Options

BASE = {
    "1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a red cat on a mat", "clip": ["4", 1]}},
    "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {"image": ["8", 0], "show_metrics": False}},
}


def _plan() -> Plan:
    size = axis_plan(slot="x", node_id="100", title="size", mode=AxisMode.VALUES, values=[[64, 64], [96, 64]],
                     labels=["square", "wide"], targets=[[["1", "width"]], [["1", "height"]]])
    colour = axis_plan(slot="y", node_id="101", title="colour", mode=AxisMode.REPLACE, values=[["red"], ["blue"]],
                       labels=["red", "blue"], targets=[[["6", "text"]]], search="red")
    animal = axis_plan(slot="z", node_id="102", title="animal", mode=AxisMode.REPLACE, values=[["cat"], ["dog"]],
                       labels=["cat", "dog"], targets=[[["6", "text"]]], search="cat")
    return Plan(axes=[size, colour, animal], loop_order=["z", "x", "y"], cell_nodes=["1", "6", "9"],
                final_nodes=["9"], base=BASE, assembler_id="9")


def _experiment() -> Experiment:
    return Experiment(id="20261201-000000-abcdef", name="a 'quoted' sweep", created=1.0, updated=1.0, finished=2.0,
                      status=ExperimentStatus.COMPLETE, dry_run=False, total=8, final_prompt_id=None, plan=_plan(),
                      options=Options())


def test_each_varied_input_gets_a_marker_and_two_searches_in_one_text_share_one_variable():
    plan = _plan()
    varied = varied_inputs(plan)
    assert [(v.node_id, v.input, v.expression) for v in varied] == [
        ("1", "width", "x_value[0]"), ("1", "height", "x_value[1]"),
        ("6", "text", "replace_all(TEXT_1, {'red': y_value, 'cat': z_value})")]
    prompt = template_prompt(plan, varied)
    assert prompt["1"]["inputs"]["width"] == MARK.format("x_1_width")
    assert prompt["6"]["inputs"]["text"] == MARK.format("text_1")
    assert prompt["9"] == {"class_type": "SaveImage", "inputs": {"images": ["8", 0],
                                                                  "filename_prefix": MARK.format("name")}}
    assert BASE["1"]["inputs"]["width"] == 64  # the plan's own graph is untouched


def test_the_file_loops_in_run_order_with_the_markers_swapped_for_variables():
    plan = _plan()
    varied = varied_inputs(plan)
    body = (f"latent = EmptyLatentImage('{MARK.format('x_1_width')}', \"{MARK.format('x_1_height')}\", 1)\n"
            f"conditioning = CLIPTextEncode('{MARK.format('text_1')}', clip)\n"
            f"SaveImage(image, '{MARK.format('name')}')\n")
    text = render_script(_experiment(), plan, body, varied)
    tree = ast.parse(text)
    loops = [node.target.elts[1].id for node in ast.walk(tree) if isinstance(node, ast.For)]
    assert loops == ["z_value", "x_value", "y_value"]  # outermost first, as the experiment ran
    assert "EmptyLatentImage(x_1_width, x_1_height, 1)" in text and "SaveImage(image, name)" in text
    assert "X = [  # size\n    (64, 64),  # square\n    (96, 64),  # wide\n]" in text
    assert "TEXT_1 = 'a red cat on a mat'" in text and "__xyz_var_" not in text


def test_a_marker_the_transpiler_did_not_keep_is_refused_rather_than_left_in():
    plan = _plan()
    with pytest.raises(BadRequest, match="cannot be exported"):
        render_script(_experiment(), plan, f"x = Node('{MARK.format('x_1_width')}_changed')\n", varied_inputs(plan))


def test_an_input_inside_nested_subgraphs_gets_a_python_name_and_the_file_parses():
    base = {"103:102:3": {"class_type": "KSampler", "inputs": {"cfg": 7.0, "steps": 4}},
            "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {"image": ["103:8", 0]}}}
    cfg = axis_plan(slot="x", node_id="100", title="Sampler › Inner › KSampler · cfg", mode=AxisMode.VALUES,
                    values=[[4.0], [7.0]], labels=["4", "7"], targets=[[["103:102:3", "cfg"]]])
    steps = axis_plan(slot="y", node_id="101", title="steps", mode=AxisMode.VALUES, values=[[3], [4]],
                      labels=["3", "4"], targets=[[["103:102:3", "steps"], ["104:102:3", "steps"]]])
    plan = Plan(axes=[cfg, steps], loop_order=["y", "x"], cell_nodes=["103:102:3", "9"], final_nodes=["9"],
                base=base, assembler_id="9")
    varied = varied_inputs(plan)
    assert [v.variable for v in varied] == ["x_103_102_3_cfg", "y_103_102_3_steps", "y_104_102_3_steps"]
    body = f"latent = KSampler(model, '{MARK.format('y_103_102_3_steps')}', '{MARK.format('x_103_102_3_cfg')}')\n"
    text = render_script(_experiment(), plan, body, varied[:2])
    ast.parse(text)
    assert "latent = KSampler(model, y_103_102_3_steps, x_103_102_3_cfg)" in text
    assert "X = [  # Sampler › Inner › KSampler · cfg" in text


def test_two_inputs_whose_ids_read_alike_once_made_names_get_distinct_names():
    base = {"1:2": {"class_type": "K", "inputs": {"a": 1}}, "1_2": {"class_type": "K", "inputs": {"a": 1}}}
    a = axis_plan(slot="x", node_id="100", title="a", mode=AxisMode.VALUES, values=[[1], [2]], labels=["1", "2"],
                  targets=[[["1:2", "a"], ["1_2", "a"]]])
    plan = Plan(axes=[a], loop_order=["x"], cell_nodes=["1:2", "1_2"], final_nodes=[], base=base, assembler_id="9")
    assert [v.variable for v in varied_inputs(plan)] == ["x_1_2_a", "x_1_2_a_2"]


def test_an_axis_past_the_declared_inputs_loops_and_names_its_files_like_any_other():
    base = {"3": {"class_type": "KSampler", "inputs": {"cfg": 7.0, "steps": 4}},
            "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {"image": ["8", 0]}}}
    cfg = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[4.0], [7.0]],
                    labels=["4", "7"], targets=[[["3", "cfg"]]])
    steps = axis_plan(slot="axis10", node_id="101", title="steps", mode=AxisMode.VALUES, values=[[3], [4]],
                      labels=["3", "4"], targets=[[["3", "steps"]]])
    plan = Plan(axes=[cfg, steps], loop_order=["axis10", "x"], cell_nodes=["3", "9"], final_nodes=["9"],
                base=base, assembler_id="9")
    varied = varied_inputs(plan)
    assert [v.variable for v in varied] == ["x_3_cfg", "axis10_3_steps"]
    body = (f"latent = KSampler(model, '{MARK.format('axis10_3_steps')}', '{MARK.format('x_3_cfg')}')\n"
            f"SaveImage(image, '{MARK.format('name')}')\n")
    text = render_script(_experiment(), plan, body, varied)
    tree = ast.parse(text)
    loops = [node.target.elts[1].id for node in ast.walk(tree) if isinstance(node, ast.For)]
    assert loops == ["axis10_value", "x_value"] and "AXIS10 = [  # steps" in text
    assert "for axis10i, axis10_value in enumerate(AXIS10):" in text
    assert "x{xi:03d}_y000_z000_axis10-{axis10i:03d}'" in text
