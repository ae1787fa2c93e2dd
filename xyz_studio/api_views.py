"""What the pack's HTTP routes answer, independent of the web framework.

Each function takes the store and the raw request parameters and returns
(status, JSON body). Input is validated here: experiment ids must match the id
pattern (so no path can leave the studio folder), numbers must be numbers.
"""
from __future__ import annotations

from typing import Any

from .experiment_files import is_valid_id
from .manifest import build_manifest
from .store import ExperimentStore

Response = tuple[int, Any]
MAX_PAGE = 200


def _error(status: int, message: str) -> Response:
    return status, {"error": message}


def _int_param(params: dict, name: str, default: int, low: int, high: int) -> int | str:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw))
    except ValueError:
        return f'query "{name}": got "{raw}"; expected a whole number from {low} to {high}'
    if not low <= value <= high:
        return f'query "{name}": got "{raw}"; expected a whole number from {low} to {high}'
    return value


def list_experiments(store: ExperimentStore, params: dict) -> Response:
    limit = _int_param(params, "limit", 50, 1, MAX_PAGE)
    offset = _int_param(params, "offset", 0, 0, 10**9)
    for value in (limit, offset):
        if isinstance(value, str):
            return _error(400, value)
    rows, total = store.list(limit, offset)
    return 200, {"experiments": rows, "total": total, "limit": limit, "offset": offset}


def _lookup(store: ExperimentStore, experiment_id: str) -> tuple[dict | None, Response | None]:
    if not is_valid_id(experiment_id):
        return None, _error(404, f"no experiment {experiment_id!r}")
    experiment = store.experiment(experiment_id)
    if experiment is None:
        return None, _error(404, f"no experiment {experiment_id!r}")
    return experiment, None


def experiment_status(store: ExperimentStore, experiment_id: str) -> Response:
    experiment, problem = _lookup(store, experiment_id)
    if problem:
        return problem
    counts = store.counts(experiment_id)
    return 200, {
        "id": experiment["id"], "name": experiment["name"], "status": experiment["status"],
        "dry_run": bool(experiment["dry_run"]), "total": experiment["total"], "counts": counts,
        "done": counts.get("done", 0), "failed": counts.get("failed", 0),
        "created": experiment["created"], "finished": experiment["finished"], "grids": experiment["grids"],
        "final_prompt_id": experiment["final_prompt_id"],
        "folder": str(store.root / experiment_id),
    }


def experiment_manifest(store: ExperimentStore, experiment_id: str) -> Response:
    experiment, problem = _lookup(store, experiment_id)
    if problem:
        return problem
    return 200, build_manifest(experiment, store.cells(experiment_id))
