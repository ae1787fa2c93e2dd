"""What the pack's HTTP routes answer, independent of the web framework.

Each function takes the store and the raw request parameters and returns
(status, JSON body). Input is validated here: experiment ids must match the id
pattern and file names an allowlist, so no request can reach outside its
experiment's folder; numbers must be numbers; bodies must be JSON objects.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .storage.folder import ExperimentFolder, is_valid_id
from .storage.manifest import build_manifest
from .storage.store import ExperimentStore

Response = tuple[int, Any]
MAX_PAGE = 200
MAX_BODY = 64 * 1024
# The only files a route serves: cell and grid PNGs and the manifest.
_FILE_PATTERN = re.compile(r"^(?:(?:cells|grids)/[A-Za-z0-9_]{1,64}\.png|manifest\.json)$")


def error(status: int, message: str) -> Response:
    return status, {"error": message}


def _int_param(params: dict, name: str, default: int, low: int, high: int) -> int | str:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    problem = f'query "{name}": got "{str(raw)[:40]}"; expected a whole number from {low} to {high}'
    try:
        value = int(str(raw))
    except ValueError:
        return problem
    return value if low <= value <= high else problem


@dataclass(frozen=True)
class ServerState:
    """What the routes know about the live server, to tell a running experiment from a stalled one."""

    started: float | None = None          # when this server process started
    queued: frozenset[str] | None = None  # prompt ids ComfyUI holds now (None: unknown)


def shown_status(store: ExperimentStore, experiment: dict, server: ServerState) -> str:
    """The stored status, or "interrupted" for a run that cannot be making progress.

    A run recorded as running before this server started was cut off by a restart.
    A run whose assembling prompt (queued after all its cells) has been queued but
    which ComfyUI no longer holds any prompt of, yet is not finished, lost its queue
    (cleared, or the assembling prompt failed).
    """
    if experiment["status"] != "running":
        return experiment["status"]
    if server.started is not None and experiment["updated"] < server.started:
        return "interrupted"
    final = experiment.get("final_prompt_id")
    if server.queued is None or not final or final in server.queued:
        return "running"
    if server.queued & store.queued_prompt_ids(experiment["id"]):
        return "running"  # a cell is still pending or running (e.g. finishing after an interrupt)
    return "interrupted"


def list_experiments(store: ExperimentStore, params: dict, server: ServerState = ServerState()) -> Response:
    limit = _int_param(params, "limit", 50, 1, MAX_PAGE)
    offset = _int_param(params, "offset", 0, 0, 10**9)
    for value in (limit, offset):
        if isinstance(value, str):
            return error(400, value)
    rows, total = store.list(limit, offset)
    for row in rows:
        row["status"] = shown_status(store, row, server)
        row.pop("final_prompt_id", None)
    return 200, {"experiments": rows, "total": total, "limit": limit, "offset": offset}


def lookup(store: ExperimentStore, experiment_id: str) -> tuple[dict | None, Response | None]:
    if not is_valid_id(experiment_id):
        return None, error(404, f"no experiment {experiment_id[:80]!r}")
    experiment = store.experiment(experiment_id)
    if experiment is None:
        return None, error(404, f"no experiment {experiment_id!r}")
    return experiment, None


def experiment_status(store: ExperimentStore, experiment_id: str, server: ServerState = ServerState()) -> Response:
    experiment, problem = lookup(store, experiment_id)
    if problem:
        return problem
    counts = store.counts(experiment_id)
    return 200, {
        "id": experiment["id"], "name": experiment["name"], "status": shown_status(store, experiment, server),
        "dry_run": bool(experiment["dry_run"]), "total": experiment["total"], "counts": counts,
        "done": counts.get("done", 0), "failed": counts.get("failed", 0),
        "created": experiment["created"], "finished": experiment["finished"], "grids": experiment["grids"],
        "final_prompt_id": experiment["final_prompt_id"],
        "folder": str(store.root / experiment_id),
    }


def experiment_manifest(store: ExperimentStore, experiment_id: str, server: ServerState = ServerState()) -> Response:
    experiment, problem = lookup(store, experiment_id)
    if problem:
        return problem
    manifest = build_manifest(experiment, store.cells(experiment_id))
    manifest["status"] = shown_status(store, experiment, server)
    return 200, manifest


def experiment_file(store: ExperimentStore, experiment_id: str, name: str) -> tuple[int, Path | Any]:
    """(200, path) of a file inside the experiment's folder, or (404, error body)."""
    experiment, problem = lookup(store, experiment_id)
    if problem:
        return problem
    if not isinstance(name, str) or not _FILE_PATTERN.match(name):
        return error(404, f"no file {name[:80]!r} in experiment {experiment_id}")
    folder = ExperimentFolder(store.root, experiment_id)
    path = folder.dir / name
    missing = error(404, f"no file {name!r} in experiment {experiment_id}")
    try:
        # no link anywhere on the way: a symlink planted in the folder cannot lead outside it
        for part in (folder.dir, *(folder.dir / p for p in Path(name).parents if str(p) != "."), path):
            if part.is_symlink():
                return missing
        resolved = path.resolve(strict=True)
        if not resolved.is_file() or folder.dir.resolve() not in resolved.parents:
            return missing
    except OSError:
        return missing
    return 200, resolved


def parse_body(raw: bytes) -> tuple[dict | None, Response | None]:
    """An optional JSON object body: {} when empty; 400 when not a JSON object."""
    if len(raw) > MAX_BODY:
        return None, error(413, f"body too large: at most {MAX_BODY} bytes")
    if not raw.strip():
        return {}, None
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        return None, error(400, f"body: expected a JSON object ({e.__class__.__name__}: {str(e)[:80]})")
    if not isinstance(body, dict):
        return None, error(400, f"body: expected a JSON object, got {type(body).__name__}")
    client_id = body.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > 200):
        return None, error(400, 'body "client_id": expected a string of at most 200 characters')
    unknown = sorted(set(body) - {"client_id"})
    if unknown:
        return None, error(400, f"body: unknown field(s) {', '.join(unknown)[:120]}; expected only client_id")
    return body, None
