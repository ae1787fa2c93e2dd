"""The check on queueing: which node a refusal is shown on, and what is left to the driver."""
from __future__ import annotations

from test_plan import SPECS, graph

from xyz_studio import protocol as P
from xyz_studio.planning.preflight import REFUSALS, check_prompt, prompt_handler, refusal_for


def body(prompt, **extra):
    return {"prompt": prompt, **extra}


def with_axis(values, max_cells=500):
    prompt = graph()
    prompt["50"] = {"class_type": P.NODE_AXIS, "inputs": {"values": values, "mode": "values", "title": "",
                                                          "labels": ""}}
    prompt["3"]["inputs"]["cfg"] = ["50", 1]
    prompt["90"]["inputs"] = {"x": ["50", 0], "max_cells": max_cells}
    return prompt


def specs_of(_classes):
    return SPECS


def test_a_bad_value_is_refused_on_its_axis_and_a_graph_problem_on_the_driver():
    [on_axis] = check_prompt(body(with_axis("5, 99")), specs_of).items
    assert (on_axis.node_id, on_axis.driver_id, on_axis.assembler_id) == ("50", "90", "9")
    assert on_axis.message.startswith(f'{P.NODE_AXIS} #50, input "values": got "99"')  # display name: the spec's
    [on_driver] = check_prompt(body(with_axis("1, 2, 3", max_cells=2)), specs_of).items
    assert on_driver.node_id == "90" and '"max_cells"' in on_driver.message


def test_nothing_to_check_without_a_driver_or_with_linked_values():
    plain = graph()
    del plain["90"]
    assert check_prompt(body(plain), specs_of) is None
    linked = with_axis("5, 99")
    linked["50"]["inputs"]["values"] = ["60", 0]  # known only when it runs: the driver checks it then
    assert check_prompt(body(linked), specs_of) is None
    assert check_prompt(body(with_axis("5, 99")), lambda _c: None) is None  # declarations not readable here
    assert check_prompt(body(with_axis("5, 7")), specs_of) is None


def test_the_handler_leaves_the_body_and_sets_this_requests_refusals_only():
    handler = prompt_handler(specs_of)
    sent = body(with_axis("5, 99"))
    assert handler(sent) is sent
    assert refusal_for("50") and refusal_for("90") is None
    handler(body(with_axis("5, 7")))  # the next request of this task starts from nothing
    assert refusal_for("50") is None and REFUSALS.get() is None


def test_a_bug_in_the_check_leaves_it_to_the_driver():
    def broken(_classes):
        raise RuntimeError("boom")
    assert prompt_handler(broken)(body(with_axis("5, 99")))["prompt"]
    assert REFUSALS.get() is None


def test_an_axis_input_past_the_declared_ones_is_checked_and_planned():
    # axis9 is added by the editor, so ComfyUI checks neither its type nor its link: the pack does
    prompt = with_axis("5, 7")
    prompt["51"] = {"class_type": P.NODE_AXIS, "inputs": {"values": "a, b", "mode": "values", "title": "",
                                                          "labels": ""}}
    prompt["1"]["inputs"]["ckpt_name"] = ["51", 1]
    prompt["90"]["inputs"]["axis9"] = ["51", 0]
    assert check_prompt(body(prompt), specs_of) is None
    prompt["51"]["inputs"]["values"] = "a, c"
    [refused] = check_prompt(body(prompt), specs_of).items
    assert refused.node_id == "51" and '"values": got "c"' in refused.message
    prompt["51"]["inputs"]["values"] = "a, b"
    for wrong, shown in ((["51", 1], 'got "output 1 of XYZStudio.Axis #51"'), (["3", 0], 'got "output 0 of'),
                         (["77", 0], 'got "a link to a missing node"'), ("1, 2", 'got "1, 2"')):
        prompt["90"]["inputs"]["axis9"] = wrong
        [refused] = check_prompt(body(prompt), specs_of).items
        assert refused.node_id == "90" and refused.message.startswith(f'{P.NODE_DRIVER} #90, input "axis9": '), wrong
        assert shown in refused.message and "expected a link from the `axis` output of an XYZ Axis" in refused.message
