"""The value syntax and its meaning for each kind of input (ComfyUI-free core)."""
from __future__ import annotations

import random

import pytest

from xyz_studio.comfyui.node_specs import InputSpec
from xyz_studio.planning.axis_values import ValueProblem, expand_single, format_value
from xyz_studio.planning.value_syntax import SyntaxProblem, split_items

STEPS = InputSpec("steps", "INT", min=1, max=10000)
CFG = InputSpec("cfg", "FLOAT", min=0.0, max=100.0)
SEED = InputSpec("seed", "INT", min=0, max=2**64 - 1)
TEXT = InputSpec("text", "STRING")
FLAG = InputSpec("flag", "BOOLEAN")
SAMPLER = InputSpec("sampler_name", "COMBO", options=("euler", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde", "ddim"))


def values(text, spec, rng=None):
    return expand_single(split_items(text), spec, rng)


@pytest.mark.parametrize("text, spec, expected", [
    ("1-9 (+2)", STEPS, [1, 3, 5, 7, 9]),
    ("10-2 (-4)", STEPS, [10, 6, 2]),
    ("0.5-2 (+0.25)", CFG, [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]),
    ("1-10 [4]", STEPS, [1, 4, 7, 10]),
    ("0-1 [5]", CFG, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ("1-3", STEPS, [1, 2, 3]),
    ("5-5", STEPS, [5]),
    ("0.1-0.3 (+0.1)", CFG, [0.1, 0.2, 0.3]),
    ("4\n8,\n12,", STEPS, [4, 8, 12]),
    ("*", SAMPLER, list(SAMPLER.options)),
    ("dpmpp_*", SAMPLER, ["dpmpp_2m", "dpmpp_2m_sde"]),
    ("*, !ddim, !euler_*", SAMPLER, ["euler", "dpmpp_2m", "dpmpp_2m_sde"]),
    ("!euler*", SAMPLER, ["dpmpp_2m", "dpmpp_2m_sde", "ddim"]),
    ("ddim, euler", SAMPLER, ["ddim", "euler"]),
    ('"a cat, sitting", a dog', TEXT, ["a cat, sitting", "a dog"]),
    ('"1-5", 1-5', TEXT, ["1-5", "1-5"]),
    ('"say ""hi"""', TEXT, ['say "hi"']),
    ("yes, off", FLAG, [True, False]),
])
def test_expansions(text, spec, expected):
    assert values(text, spec) == expected


def test_random_seeds_are_distinct_reproducible_with_a_seeded_rng_and_within_limits():
    a = values("random 5", SEED, random.Random(1))
    assert a == values("random 5", SEED, random.Random(1))
    assert len(set(a)) == 5 and all(0 <= s < 2**32 for s in a)
    small = InputSpec("seed", "INT", min=0, max=3)
    assert sorted(values("random 4", small, random.Random(2))) == [0, 1, 2, 3]
    with pytest.raises(ValueProblem):
        values("random 5", small)


@pytest.mark.parametrize("text, spec, fragment", [
    ("1-9 (-2)", STEPS, "towards 9"),
    ("7.5", STEPS, "integer"),
    ("0", STEPS, "below the minimum"),
    ("101", CFG, "above the maximum"),
    ("nan", CFG, "a number"),
    ("eulr", SAMPLER, 'did you mean "euler"'),
    ("zzz*", SAMPLER, "matches at least one"),
    ("*, !*", SAMPLER, "at least one choice left"),
    ("maybe", FLAG, "true or false"),
    ("1-5 (+0.5)", STEPS, "whole-number step"),
])
def test_problems_name_the_value_and_what_was_expected(text, spec, fragment):
    with pytest.raises(ValueProblem) as problem:
        values(text, spec)
    assert fragment in str(problem.value)


@pytest.mark.parametrize("text", ["1,,2", ",1", '"open', "a|", '"a"b'])
def test_syntax_problems(text):
    with pytest.raises(SyntaxProblem):
        split_items(text)


def test_pairs_and_quoted_bars():
    items = split_items('euler | normal, "a|b" | x')
    assert [[p.text for p in i.parts] for i in items] == [["euler", "normal"], ["a|b", "x"]]


def test_labels_are_short_and_readable():
    assert [format_value(v) for v in (7.0, 0.25, True, "sd15/model.safetensors", 0.1 + 0.2)] == \
        ["7", "0.25", "true", "sd15/model", "0.3"]
    # an exponent is spelt as a metric value's (common.format), not as Python's "1.2345e-05"
    assert [format_value(v) for v in (0.000012345, 1e20)] == ["1.2345e-5", "1e+20"]
