"""How the store's records become table rows and back: one column per record field.

The column lists come from the records' dataclass fields, so a field added to a record
is a column read and written everywhere at once; enums are stored as their word,
sequences and mappings as JSON.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from typing import Any

from ..errors import NewerRecord
from ..planning.plan import Plan
from ..protocol import TextEnum, strict_json
from ..tracking.settings import TrackingState
from .records import (
    Cell,
    CellCounts,
    CellStatus,
    Experiment,
    ExperimentStatus,
    ExperimentSummary,
    GridFile,
    ListedExperiment,
    Options,
    SuperGridFile,
    UnreadablePlan,
)

SUMMARY_COLUMNS = tuple(f.name for f in fields(ExperimentSummary))
EXPERIMENT_COLUMNS = tuple(f.name for f in fields(Experiment))
CELL_COLUMNS = tuple(f.name for f in fields(Cell))
# What may change after creation: an update naming anything else is a programming error.
EXPERIMENT_UPDATABLE = frozenset(EXPERIMENT_COLUMNS) - {"id", "name", "created", "dry_run", "total", "plan",
                                                           "options", "source"}
CELL_UPDATABLE = frozenset(CELL_COLUMNS) - {"experiment_id", "index", "x", "y", "z", "run_order", "attempts"}


def quoted(column: str) -> str:
    return f'"{column}"'


def columns(names: tuple[str, ...]) -> str:
    return ", ".join(quoted(n) for n in names)


def db_value(value: Any) -> Any:
    """A record field as stored: enums as their word, sequences and mappings as JSON."""
    if isinstance(value, TextEnum):
        return value.value
    if isinstance(value, (Options, TrackingState)):
        return strict_json(value.to_json())
    if isinstance(value, Plan):
        return strict_json(value.to_dict())
    if isinstance(value, UnreadablePlan):
        return strict_json(value.stored)
    if isinstance(value, (list, tuple)):
        return strict_json([v.to_json() if isinstance(v, (GridFile, SuperGridFile)) else v for v in value])
    if isinstance(value, dict):
        return strict_json(value)
    if isinstance(value, bool):
        return int(value)
    return value


def summary_fields(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "created": row["created"], "updated": row["updated"],
            "finished": row["finished"], "status": ExperimentStatus(row["status"]), "dry_run": bool(row["dry_run"]),
            "total": row["total"], "final_prompt_id": row["final_prompt_id"],
            "grids": tuple(GridFile(**g) for g in json.loads(row["grids"]))}


# A listing's columns: the summary, the plan (for its shape) and, by subqueries, its counts by status
# (kept by the schema's triggers) and its earliest finished cell's first file (the primary key's index).
LISTING_COLUMNS = (f"{columns(SUMMARY_COLUMNS)}, plan,"
                   " (SELECT json_group_object(status, n) FROM cell_counts"
                   "  WHERE experiment_id = experiments.id) AS counts,"
                   " (SELECT json_extract(files, '$[0]') FROM cells WHERE experiment_id = experiments.id"
                   f"  AND status = '{CellStatus.DONE.value}' AND files != '[]'"
                   '  ORDER BY finished_at, "index" LIMIT 1) AS first_done_file,'
                   " json_extract(options, '$.search.budget') AS search_budget")


def listed_of(row: sqlite3.Row) -> ListedExperiment:
    plan = plan_of(json.loads(row["plan"]))
    return ListedExperiment(summary=ExperimentSummary(**summary_fields(row)),
                            counts=CellCounts.from_tally(json.loads(row["counts"] or "{}")),
                            shape=plan.shape_by_slot() if isinstance(plan, Plan) else None,
                            first_done_file=row["first_done_file"],
                            search_budget=row["search_budget"] if isinstance(row["search_budget"], int) else None)


def plan_of(stored: Any) -> Plan | UnreadablePlan:
    """A stored plan as a Plan: the one place plans are read, once per record the store hands out."""
    try:
        return Plan.from_dict(stored)
    except (NewerRecord, KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
        return UnreadablePlan(stored, e)


def experiment_of(row: sqlite3.Row) -> Experiment:
    source, tracking = row["source"], row["tracking"]
    return Experiment(**summary_fields(row), plan=plan_of(json.loads(row["plan"])),
                      options=Options.from_json(json.loads(row["options"])),
                      source=json.loads(source) if source is not None else None,
                      tracking=TrackingState.from_json(json.loads(tracking)) if tracking is not None else None,
                      super_grids=tuple(SuperGridFile(**g) for g in json.loads(row["super_grids"])))


def cell_of(row: sqlite3.Row) -> Cell:
    values = {name: row[name] for name in CELL_COLUMNS}
    values["status"] = CellStatus(values["status"])
    values["files"] = tuple(json.loads(values["files"]))
    values["metrics"] = json.loads(values["metrics"])
    values["tracked"] = bool(values["tracked"])
    return Cell(**values)


def set_clause(fields_: dict[str, Any], allowed: frozenset[str]) -> tuple[str, list[Any]]:
    unknown = sorted(set(fields_) - allowed)
    if unknown:
        raise ValueError(f"not an updatable column: {', '.join(unknown)}")
    names = sorted(fields_)
    return ", ".join(f"{quoted(n)} = ?" for n in names), [db_value(fields_[n]) for n in names]
