"""Plans for the tests: axes written as plain lists, and a one-value plan for records that need a plan
but not a particular sweep."""
from __future__ import annotations

from typing import Any

from xyz_studio.planning.plan import AxisMode, AxisPlan, AxisValue, Plan, Target


def axis_plan(slot: str, node_id: str, title: str, mode: AxisMode, values: list[list[Any]], labels: list[str],
              targets: list[list[list[str]]], search: str | None = None) -> AxisPlan:
    """An axis from its values, labels and per-component [node id, input] targets."""
    return AxisPlan(slot=slot, node_id=node_id, title=title, mode=mode,
                    values=tuple(AxisValue(tuple(v), label) for v, label in zip(values, labels, strict=True)),
                    targets=tuple(tuple(Target(n, i) for n, i in component) for component in targets), search=search)


def one_cell_plan() -> Plan:
    """One X value setting a sampler's cfg: a plan for records whose plan the test does not look at."""
    x = axis_plan("x", "100", "cfg", AxisMode.VALUES, [[5.0]], ["5"], [[["3", "cfg"]]])
    return Plan(axes=(x,), loop_order=["x"], cell_nodes=["3", "9"], final_nodes=["9"],
                base={"3": {"class_type": "KSampler", "inputs": {"cfg": ["100", 1]}},
                      "9": {"class_type": "XYZStudio.GridAssembler", "inputs": {"image": ["3", 0]}}},
                assembler_id="9")
