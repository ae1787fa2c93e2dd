"""Write js/src/protocol.ts from the Python definitions (xyz_studio/protocol.py, answers.py, storage/records.py).

    python -m harness.make_js_protocol          (rewrites the file)

The event names, route paths, status words, websocket payload shapes and route answers
are defined once, in Python; the frontend imports them from the generated module, and a unit
test fails when the file is not what this writes.
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

from xyz_studio import answers as A
from xyz_studio import protocol as P
from xyz_studio.planning.plan import AxisMode, FixedParameter
from xyz_studio.reporting.health import WorkerState
from xyz_studio.storage import manifest as M
from xyz_studio.storage.records import CellStatus, ExperimentStatus, GridFile, SuperGridFile

TARGET = Path(__file__).resolve().parent.parent / "js" / "src" / "protocol.ts"
PAYLOADS: tuple[type, ...] = (P.ExperimentEvent, P.CellEvent, P.RefusedEvent)
# route answers, and the records in them
ANSWERS: tuple[type, ...] = (GridFile, SuperGridFile, *A.ANSWERS, FixedParameter, M.ManifestAxis, M.ManifestCell,
                             M.Manifest)
# Python annotation -> TypeScript type (a status Enum becomes the union of its words, below)
TYPES = {"ExperimentStatus": "ExperimentStatus", "CellStatus": "CellStatus", "AxisMode": "AxisMode",
         "WorkerState": "WorkerState", "WorkerState | None": "WorkerState | null",
         "StoreHealth | StoreBroken": "StoreHealth | StoreBroken", "list[str] | None": "string[] | null",
         "str": "string", "int": "number", "float": "number", "bool": "boolean", "str | None": "string | null",
         "list[str]": "string[]", "dict[str, int]": "Record<string, number>",
         "dict[str, str]": "Record<string, string>", "dict[str, float | None]": "Record<string, number | null>",
         "float | None": "number | null", "int | None": "number | null",
         "dict[str, int] | None": "Record<string, number> | null",
         "Any": "unknown", "dict[str, Any] | None": "Record<string, unknown> | null",
         "list[WorkerAnswer] | None": "WorkerAnswer[] | null", "tuple[GridFile, ...]": "GridFile[]",
         "list[list[list[str]]]": "string[][][]", "list[list[Any]]": "unknown[][]",
         "dict[str, list[Any]]": "Record<string, unknown[]>", "dict[str, Any]": "Record<string, unknown>",
         "list[dict[str, Any]]": "Record<string, unknown>[]",
         **{f"list[{r.__name__}]": f"{r.__name__}[]" for r in ANSWERS}}
ROUTES = {"experiments": P.ROUTE_EXPERIMENTS, "experiment": P.ROUTE_EXPERIMENT, "manifest": P.ROUTE_MANIFEST,
          "file": P.ROUTE_FILE, "thumbnail": P.ROUTE_THUMBNAIL, "cancel": P.ROUTE_CANCEL,
          "delete": P.ROUTE_DELETE, "rename": P.ROUTE_RENAME,
          "resume": P.ROUTE_RESUME, "retry": P.ROUTE_RETRY, "workflow": P.ROUTE_WORKFLOW,
          "export_html": P.ROUTE_EXPORT_HTML, "export_script": P.ROUTE_EXPORT_SCRIPT,
          "export_cells": P.ROUTE_EXPORT_CELLS, "export_flipbook": P.ROUTE_EXPORT_FLIPBOOK, "latest": P.ROUTE_LATEST}


def _const(name: str, value) -> str:
    return f"export const {name} = {json.dumps(value)};"


def _words(name: str, enum) -> list[str]:
    words, constant = json.dumps([m.value for m in enum]), re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()
    return [f"export const {constant}_WORDS = {words} as const;",
            f"export type {name} = (typeof {constant}_WORDS)[number];"]


def _interface(record, defaults_optional: bool = True) -> list[str]:
    """A record's interface; a field with a default is optional in an event payload (an answer has every field)."""
    lines = [f"/** {' '.join((record.__doc__ or '').split())} */", f"export interface {record.__name__} {{"]
    for f in dataclasses.fields(record):
        if str(f.type) in TYPES:
            ts = TYPES[str(f.type)]
        else:
            raise SystemExit(f"{record.__name__}.{f.name}: no TypeScript type for {f.type!r}; add it to TYPES")
        optional = defaults_optional and (f.default is not dataclasses.MISSING
                                          or f.default_factory is not dataclasses.MISSING)
        lines.append(f"  {f.name}{'?' if optional else ''}: {ts};")
    return lines + ["}"]


def render() -> str:
    out = ["// Generated from xyz_studio/protocol.py, answers.py, storage/records.py and storage/manifest.py by",
           "// `python -m harness.make_js_protocol`. Do not edit: change the Python side and run it again.",
           "",
           _const("NAMESPACE", P.NAMESPACE),
           _const("NODE_ASSEMBLER", P.NODE_ASSEMBLER),
           _const("NODE_DRIVER", P.NODE_DRIVER),
           _const("NODE_AXIS", P.NODE_AXIS),
           _const("AXIS_VALUE_OUTPUTS", P.AXIS_VALUE_OUTPUTS),
           _const("AXIS_TYPE", P.AXIS_TYPE),
           "/** The Grid Driver's declared axis inputs; the editor adds axis9, axis10, ... past them. */",
           f"export const AXIS_SLOTS = {json.dumps(list(P.AXIS_SLOTS))} as const;",
           "/** The Grid Assembler's metric inputs, each with its name and goal widgets. */",
           "export const METRIC_WIDGETS: Record<string, readonly string[]> = " + json.dumps(
               {m: [P.metric_name_input(m), P.metric_goal_input(m)] for m in P.METRIC_INPUTS}, indent=2) + ";",
           _const("SHOW_METRICS_INPUT", P.SHOW_METRICS_INPUT),
           _const("EVENT_DELETED", P.EVENT_DELETED),
           _const("EVENT_EXPERIMENT", P.EVENT_EXPERIMENT),
           _const("EVENT_CELL", P.EVENT_CELL),
           _const("EVENT_REFUSED", P.EVENT_REFUSED),
           "",
           "/** Route paths; `{experiment_id}` and `{name:.+}` are filled in by routes.ts. */",
           f"export const ROUTES = {json.dumps(ROUTES, indent=2)} as const;",
           "",
           *_words("CellStatus", CellStatus),
           *_words("ExperimentStatus", ExperimentStatus),
           *_words("AxisMode", AxisMode),
           *_words("WorkerState", WorkerState),
           ""]
    for record in PAYLOADS:
        out += _interface(record) + [""]
    out += ["// Route answers (xyz_studio/answers.py; api_views.py builds them from the same records)", ""]
    for record in ANSWERS:
        out += _interface(record, defaults_optional=False) + [""]
    return "\n".join(out)


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text() == text else f"{TARGET} is stale: run python -m harness.make_js_protocol")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
