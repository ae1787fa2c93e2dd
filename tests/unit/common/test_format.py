"""How values read for a person: the table of cases the browser's js/src/format.ts is held to as well."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xyz_studio.common.format import (
    CellFacts,
    describe_cell,
    format_bytes,
    format_metric,
    format_parameter,
    format_seconds,
)

CASES = json.loads((Path(__file__).parent / "format_cases.json").read_text(encoding="utf-8"))


def number(raw: Any) -> float | None:
    """A case's input: JSON has no NaN or infinities, so they are written as strings."""
    return float(raw) if isinstance(raw, str) else raw


@pytest.mark.parametrize("raw, shown", CASES["metric"])
def test_a_metric_value_reads_as_in_the_browser(raw, shown):
    assert format_metric(number(raw)) == shown


@pytest.mark.parametrize("raw, shown", CASES["seconds"])
def test_a_duration_reads_as_in_the_browser(raw, shown):
    assert format_seconds(number(raw)) == shown


@pytest.mark.parametrize("raw, shown", CASES["bytes"])
def test_a_size_reads_as_in_the_browser(raw, shown):
    assert format_bytes(number(raw)) == shown


@pytest.mark.parametrize("case", CASES["cells"])
def test_a_cell_is_described_as_in_the_browser(case):
    f = case["facts"]
    facts = CellFacts(axes=tuple((t, label) for t, label in f["axes"]), status=f["status"], seconds=f["seconds"],
                      metrics=tuple((name, number(v)) for name, v in f["metrics"]), server=f["server"],
                      error=f["error"])
    assert describe_cell(facts) == case["lines"]


def test_the_table_holds_the_cases_python_alone_would_get_wrong():
    # round() and format() round ties to even; the browser rounds them away from zero
    assert f"{12344.5:.0f}" == "12344" and f"{0.25:.1f}" == "0.2" and f"{1.0625:.4g}" == "1.062"
    metric, seconds = dict((str(k), v) for k, v in CASES["metric"]), dict((str(k), v) for k, v in CASES["seconds"])
    assert metric["12344.5"] == "12345" and seconds["0.25"] == "0.3 s" and metric["1.0625"] == "1.063"


def test_a_parameter_label_keeps_six_digits_and_spells_its_exponent_as_a_metric_value():
    values = (7.0, 0.25, 7.255, 1234567.5, 123456789.0, 0.000012345, -2.5e-7, 1e20)
    assert [format_parameter(v) for v in values] == \
        ["7", "0.25", "7.255", "1.23457e+6", "123456789", "1.2345e-5", "-2.5e-7", "1e+20"]
