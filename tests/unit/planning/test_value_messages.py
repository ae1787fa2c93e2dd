"""Two mistakes a user makes in the first hour, refused with a message that says what to write:
a value given twice (`8, 8` would draw two identical columns) and a range that does not parse
(`1-`, `1..5`), which used to say only "expected a number"."""
from __future__ import annotations

import random

import pytest

from planning.test_plan import SPECS, axis, graph
from xyz_studio.comfyui.node_specs import InputSpec
from xyz_studio.errors import PlanError
from xyz_studio.planning.axis_values import ValueProblem, expand_single
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.planning.value_syntax import split_items

RANGE_FORMS = ("1-5", "1-9 (+2)", "10-2 (-4)", "1-10 [4]")


def plan_x(values: str, target=("3", "cfg"), mode="values", paired_with=None):
    """Plan a one-axis experiment whose X axis (node #100) has `values`."""
    prompt = graph("a cat and a dog")
    req = axis(prompt, "100", values, [target] if mode == "values" else (), mode=mode)
    if paired_with:
        prompt[paired_with[0]]["inputs"][paired_with[1]] = ["100", 2]
    return plan_experiment(prompt, "90", {"x": req}, SPECS, 1000)


def refusal(values: str, **kw) -> str:
    with pytest.raises(PlanError) as caught:
        plan_x(values, **kw)
    message = str(caught.value)
    assert message.startswith('XYZStudio.Axis #100, input "values": got "')  # the node and the input
    assert caught.value.input_name == "values"
    return message


@pytest.mark.parametrize("values, kw, shown, where", [
    ("8, 8", {}, '"8"', "values 1 and 2 are both 8"),
    ("5, 8, 6, 8", {}, '"8"', "values 2 and 4 are both 8"),
    ("3-5, 4", {}, '"4"', 'value 1 "3-5" and value 2 "4" both give 4'),
    ("8, 8.0", {}, '"8"', 'value 1 "8" and value 2 "8.0" both give 8'),
    ("a, b, a", {"target": ("1", "ckpt_name")}, '"a"', "values 1 and 3 are both a"),
    ("3 | x, 4 | x, 3 | x", {"paired_with": ("2", "text")}, '"3 | x"', "values 1 and 3 are both 3 | x"),
    ("cat, dog, cat", {"mode": "prompt S/R"}, '"cat"', "values 1 and 3 are both cat"),
])
def test_a_repeated_value_is_refused_naming_it_and_where_it_was_written(values, kw, shown, where):
    message = refusal(values, **kw)
    assert f"got {shown}; expected each value once" in message
    assert where in message and "remove one" in message


@pytest.mark.parametrize("values, kw, expected", [
    ("3 | x, 3 | y", {"paired_with": ("2", "text")}, [[3.0, "x"], [3.0, "y"]]),  # pairs differ: no repeat
    ("a*, a", {"target": ("1", "ckpt_name")}, [["a"]]),  # a pattern overlapping a name keeps it once
    ("*, b", {"target": ("1", "ckpt_name")}, [["a"], ["b"]]),
])
def test_values_that_only_look_alike_or_overlapping_patterns_are_kept(values, kw, expected):
    assert [list(v.components) for v in plan_x(values, **kw).axis("x").values] == expected


def test_a_literal_named_twice_among_patterns_is_still_refused():
    assert "values 1 and 3 are both a" in refusal("a, b*, a", target=("1", "ckpt_name"))


def test_random_seeds_never_repeat_the_axis_other_values():
    small = InputSpec("seed", "INT", min=0, max=3)
    for seed in range(20):
        drawn = expand_single(split_items("2, random 3"), small, random.Random(seed))
        assert drawn[0] == 2 and sorted(drawn) == [0, 1, 2, 3]  # the draw went around the literal 2
        two_draws = expand_single(split_items("random 2, random 2"), small, random.Random(seed))
        assert sorted(two_draws) == [0, 1, 2, 3]  # and around the other draw
    with pytest.raises(ValueProblem) as caught:
        expand_single(split_items("random 4, 2"), small, random.Random(0))
    assert "at most 3 distinct values" in str(caught.value) and "other values" in str(caught.value)


@pytest.mark.parametrize("written", ["1-", "1-5 (+", "1..5", "1 to 5", "1–5", "1-10 [", "2.5-", "1:5"])
def test_an_unfinished_or_malformed_range_says_how_ranges_are_written(written):
    message = refusal(written)
    assert f'got "{written}"; expected a number from 0 to 30' in message
    assert "looks like a range" in message
    assert all(form in message for form in RANGE_FORMS)


@pytest.mark.parametrize("written", ["abc", "7,5x", "1e"])
def test_a_value_that_is_no_range_gets_no_range_hint(written):
    assert "range" not in refusal(written.replace(",", "."))


def test_a_range_inside_a_pair_says_pairs_take_literals():
    message = refusal("1-3 | x", paired_with=("2", "text"))
    assert 'got "1-3"' in message and "paired values take one literal per component" in message
    assert "looks like a range" not in message  # the range itself was fine


def test_well_formed_ranges_still_expand():
    assert [v.components[0] for v in plan_x("1-9 (+2)").axis("x").values] == [1, 3, 5, 7, 9]
    assert [v.components[0] for v in plan_x("10-2 (-4)").axis("x").values] == [10, 6, 2]
