"""Malformed axes and graphs are refused before any cell runs, with a precise message.

Each case is queued on the real server like a user would queue it. The error must
name the node, the bad value and what was expected; no experiment may be recorded,
nothing may be queued, and the server must keep serving.
"""
from __future__ import annotations

import pytest

from harness.graphs import DRIVER_ID, image_graph, sd_graph
from xyz_studio import protocol as P

CKPT = "tiny_sd15_a.safetensors"


def sd(**kw):
    return sd_graph(CKPT, **kw)


def one_axis(values, target=("3", "cfg"), graph=None, **axis_kw):
    g = graph or sd()
    x = g.axis(values, [target], **axis_kw)
    return g.driver(x)


def unknown_sampler():
    return one_axis("euler, eulr", ("3", "sampler_name")), ["eulr", "did you mean", "euler"]


def out_of_range_steps():
    return one_axis("4, 20000", ("3", "steps")), ["20000", "from 1 to 10000"]


def zero_steps():
    return one_axis("0, 4", ("3", "steps")), ['"0"', "below the minimum"]


def unparsable_range():
    return one_axis("1-x (+2)", ("3", "steps")), ["1-x (+2)", "an integer"]


def wrong_step_direction():
    return one_axis("1-9 (-2)", ("3", "steps")), ["1-9 (-2)", "towards 9"]


def zero_step():
    return one_axis("1-5 (+0)", ("3", "steps")), ["1-5 (+0)", "step other than 0"]


def zero_count():
    return one_axis("1-10 [0]", ("3", "steps")), ["1-10 [0]", "count of at least 1"]


def huge_range():
    return one_axis("1-100000", ("3", "seed")), ["1-100000", "at most 10000 values"]


def float_for_int():
    return one_axis("4, 7.5", ("3", "steps")), ['"7.5"', "an integer"]


def text_for_float():
    return one_axis("7, high", ("3", "cfg")), ['"high"', "a number from 0 to 100"]


def negative_cfg():
    return one_axis("-1, 7", ("3", "cfg")), ['"-1"', "below the minimum"]


def glob_matching_nothing():
    return one_axis("zzz_*", ("3", "sampler_name")), ["zzz_*", "matches at least one"]


def exclusion_of_unknown():
    return one_axis("*, !nosuch", ("3", "scheduler")), ["nosuch", "exclusion that matches"]


def unclosed_quote():
    return one_axis('"a photo, 7', ("6", "text")), ["closing double quote"]


def empty_item():
    return one_axis("7,,8", ("3", "cfg")), [",,", "empty item"]


def empty_axis():
    return one_axis("  ", ("3", "cfg")), ["at least one value", "empty"]


def random_not_a_number():
    return one_axis("random lots", ("3", "seed")), ["random lots", "whole number N"]


def random_on_float():
    return one_axis("random 3", ("3", "cfg")), ["random 3", "only on an INT input"]


def unknown_checkpoint():
    return one_axis(f"{CKPT}, missing.safetensors", ("4", "ckpt_name")), ["missing.safetensors", "one of"]


def sr_term_missing():
    g = sd()
    x = g.axis("purple, green", mode="prompt S/R")
    return g.driver(x), ["purple", "occurs in a prompt text"]


def sr_with_connection():
    g = sd()
    x = g.axis("red, green", [("6", "text")], mode="prompt S/R")
    return g.driver(x), ["no connection in prompt S/R mode"]


def axis_wired_to_nothing():
    g = sd()
    x = g.axis("1, 2")
    return g.driver(x), ["not connected", "value output connected"]


def same_input_on_two_axes():
    # an input takes one link, so two axes can only meet on a prompt text (S/R)
    g = sd()
    x = g.axis("red, blue", mode="prompt S/R")
    y = g.axis("red cat, red dog", mode="prompt S/R")
    g.driver(x, y)
    return g, ['"red cat"', "Positive #6 text", "one axis only"]


def same_axis_twice():
    g = sd()
    x = g.axis("5, 7", [("3", "cfg")])
    g.driver(x, x)
    return g, ["already connected to x"]


def over_the_limit():
    g = sd()
    x = g.axis("1-20", [("3", "steps")])
    y = g.axis("1-10", [("3", "seed")])
    g.driver(x, y, max_cells=100)
    return g, ["max_cells", '"200"', "at most 100 cells"]


def pair_with_missing_component():
    g = sd()
    x = g.axis("euler | normal, dpmpp_2m", [[("3", "sampler_name")], [("3", "scheduler")]])
    return g.driver(x), ["dpmpp_2m", "2 components"]


def pair_component_not_wired():
    g = sd()
    x = g.axis("euler | normal, dpmpp_2m | karras", [("3", "sampler_name")])
    return g.driver(x), ["value_2", "component 2 has no input"]


def pair_with_bad_scheduler():
    g = sd()
    x = g.axis("euler | normal, dpmpp_2m | karas", [[("3", "sampler_name")], [("3", "scheduler")]])
    return g.driver(x), ['"karas"', "karras"]


def axis_on_link_input():
    g = sd()
    x = g.axis("1, 2", [("3", "model")])
    return g.driver(x), ["KSampler #3 model", "widget input", "MODEL connection"]


def no_assembler():
    g = image_graph(assembler=False)
    g.prompt["9"] = {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}
    x = g.axis("1, 2", [("2", "blur_radius")])
    return g.driver(x), ["exactly one Grid Assembler", "none"]


def two_assemblers():
    g = image_graph()
    g.prompt["19"] = {"class_type": P.NODE_ASSEMBLER, "inputs": {"image": ["1", 0]}}
    x = g.axis("1, 2", [("2", "blur_radius")])
    return g.driver(x), ["exactly one Grid Assembler", "2 (#"]


def target_not_feeding_grid():
    g = image_graph()
    g.prompt["30"] = {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1, "color": 0}}
    g.prompt["31"] = {"class_type": "PreviewImage", "inputs": {"images": ["30", 0]}}
    x = g.axis("1, 2", [("30", "color")])
    return g.driver(x), ["EmptyImage #30 color", "feeds the Grid Assembler"]


def stray_axis():
    g = image_graph()
    x = g.axis("1, 2", [("2", "blur_radius")])
    g.axis("0, 255", [("1", "color")])
    return g.driver(x), ["XYZ Axis #101", "connected to an axis input"]


def labels_count_mismatch():
    g = sd()
    x = g.axis("5, 7, 9", [("3", "cfg")], labels="low, high")
    return g.driver(x), ["labels", "3 labels", "got 2"]


def boolean_not_boolean():
    g = image_graph()
    g.prompt["2"] = {"class_type": "ImageFlip", "inputs": {"image": ["1", 0], "flip_method": "x-axis: vertically"}}
    g.prompt["3"] = {"class_type": "ImageInvert", "inputs": {"image": ["2", 0]}}
    g.prompt["9"]["inputs"]["image"] = ["3", 0]
    x = g.axis("x-axis: vertically, diagonally", [("2", "flip_method")])
    return g.driver(x), ['"diagonally"', "one of"]


def int_range_with_float_step():
    return one_axis("1-5 (+0.5)", ("3", "steps")), ["1-5 (+0.5)", "whole-number step"]


CASES = [unknown_sampler, out_of_range_steps, zero_steps, unparsable_range, wrong_step_direction, zero_step,
         zero_count, huge_range, float_for_int, text_for_float, negative_cfg, glob_matching_nothing,
         exclusion_of_unknown, unclosed_quote, empty_item, empty_axis, random_not_a_number, random_on_float,
         unknown_checkpoint, sr_term_missing, sr_with_connection, axis_wired_to_nothing, same_input_on_two_axes,
         same_axis_twice, over_the_limit, pair_with_missing_component, pair_component_not_wired,
         pair_with_bad_scheduler, axis_on_link_input, no_assembler, two_assemblers, target_not_feeding_grid,
         stray_axis, labels_count_mismatch, boolean_not_boolean, int_range_with_float_step]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_refused_before_any_cell_runs(case, experiments, client):
    graph, expected_parts = case()
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    message = experiments.plan_error(graph.prompt)
    for part in expected_parts:
        assert part in message, f"{part!r} not in {message!r}"
    assert "expected" in message
    # names the node that is wrong (an axis, or the driver for graph-level problems)
    assert "#" in message
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before
    queue = client.queue()
    assert queue["queue_pending"] == [] and queue["queue_running"] == []
    assert client.get("/system_stats")["system"]  # still serving


def test_there_are_at_least_25_distinct_cases():
    assert len(set(CASES)) >= 25


def test_a_graph_comfyui_refuses_is_stopped_before_anything_runs(experiments, client):
    # the axis is fine, but a fixed input elsewhere names a checkpoint that does not exist
    g = sd_graph("no_such_model.safetensors")
    x = g.axis("5, 7", [("3", "cfg")])
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    message = experiments.plan_error(g.driver(x).prompt)
    assert "ComfyUI refuses the workflow" in message and "no_such_model.safetensors" in message
    assert "ckpt_name" in message
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before
    queue = client.queue()
    assert queue["queue_pending"] == [] and queue["queue_running"] == []


def test_the_queued_workflow_itself_renders_nothing(experiments, client, host):
    # prompt S/R only: no axis link blocks the image path, yet the Save Image must not run on queue
    g = sd_graph(CKPT)
    x = g.axis("red, blue", mode="prompt S/R")
    g.prompt["96"] = {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "leak/img"}}
    prompt_id = client.queue_prompt(g.driver(x).prompt)
    manifest = experiments.wait(experiments_id_of(experiments, client, prompt_id))
    assert manifest["counts"] == {"done": 2}
    assert not (host.output_dir / "leak").exists()
    entry = client.history(prompt_id)
    assert set(entry["outputs"]) == {DRIVER_ID}


def experiments_id_of(experiments, client, prompt_id):
    from xyz_studio.runner import wait_for_plan

    return wait_for_plan(client, prompt_id, 120)  # raises with the reason if no experiment started
