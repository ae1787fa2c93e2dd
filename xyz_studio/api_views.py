"""What the pack's HTTP routes answer, independent of the web framework.

Each view takes the store and the raw request parameters and returns the JSON body
(or, for files, a path); every problem is one of the core's errors, and
HTTP_STATUS is the one table that turns an error into a status. Input is
validated here: experiment ids must match the id pattern and file names an
allowlist, so no request can reach outside its experiment's folder; numbers must be
numbers; bodies must be JSON objects.
"""
from __future__ import annotations

import importlib.metadata
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from .answers import (
    ExperimentPageAnswer,
    ExperimentStatusAnswer,
    HealthAnswer,
    LatestAnswer,
    ListedExperimentAnswer,
    RunningExperimentHealth,
    SourceWorkflowAnswer,
    StoreBroken,
    StoreHealth,
    WorkerAnswer,
)
from .comfyui.client import ComfyError
from .errors import (
    BadRequest,
    Conflict,
    HostUnsupported,
    NewerRecord,
    NotFound,
    NotInstalled,
    PlanError,
    StudioError,
    TooLarge,
    WorkflowRejected,
)
from .export.comfyscript import export_script
from .protocol import ROUTE_PREFIX
from .reporting.health import HEALTH
from .servers import running
from .storage import disk_use
from .storage.folder import ExperimentFolder, is_valid_id
from .storage.manifest import build_manifest
from .storage.records import Experiment, ExperimentStatus, ExperimentSummary
from .storage.schema import SCHEMA_VERSION
from .storage.store import ExperimentStore
from .storage.thumbnails import thumbnail, thumbnail_size
from .workflow.dialect import FRONTEND_PACKAGE, FrontendDialect, served_frontend_version
from .workflow.shared import WorkflowFormatError

MAX_PAGE = 200
MAX_BODY = 64 * 1024
MAX_SEARCH = 200  # characters of a listing's search text
MAX_NAME = 200    # characters of an experiment's name
# The only files a route serves: cell and grid PNGs and the manifest. A cell is named by
# its values (planning/cell_files.py): letters and digits of any script and `_+=#,-`, never
# a dot but the extension's, a slash or a control character.
_FILE_PATTERN = re.compile(r"^(?:(?:cells|grids)/[\w+=#,-]{1,250}\.png|manifest\.json)$")

# The one table from the core's errors to HTTP statuses (most specific class first).
HTTP_STATUS: tuple[tuple[type[StudioError], int], ...] = (
    (TooLarge, 413),
    (NotFound, 404),
    (Conflict, 409),
    (PlanError, 400),
    (WorkflowRejected, 400),
    (BadRequest, 400),
    (NewerRecord, 422),
    (HostUnsupported, 500),
    (NotInstalled, 501),
    (ComfyError, 502),   # a ComfyUI server the pack asked answered with an error
)


def http_status(error: StudioError) -> int:
    return next((status for kind, status in HTTP_STATUS if isinstance(error, kind)), 500)


def error_body(error: StudioError) -> dict[str, str]:
    body = {"error": str(error)}
    if isinstance(error, Conflict):
        body["reason"] = error.reason.value
    return body


@dataclass(frozen=True)
class ClientRequest:
    """The body of a POST to an experiment action: which websocket client to report to."""

    client_id: str | None = None


def _int_param(params: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    problem = f'query "{name}": got "{str(raw)[:40]}"; expected a whole number from {low} to {high}'
    try:
        value = int(str(raw))
    except ValueError:
        raise BadRequest(problem) from None
    if not low <= value <= high:
        raise BadRequest(problem)
    return value


@dataclass(frozen=True)
class ServerState:
    """What the routes know about the live server, to tell a running experiment from a stalled one."""

    started: float | None = None          # when this server process started
    queued: frozenset[str] | None = None  # prompt ids ComfyUI holds (None: unknown); may be a moment old
    # a fresh read of the same, asked for before calling a run interrupted on the strength of `queued`
    fresh_queue: Callable[[], frozenset[str] | None] | None = None

    def confirmed(self) -> ServerState:
        if self.fresh_queue is None:
            return self
        return ServerState(started=self.started, queued=self.fresh_queue())


def shown_status(store: ExperimentStore, experiment: ExperimentSummary, server: ServerState) -> ExperimentStatus:
    """The stored status, or INTERRUPTED for a run that cannot be making progress.

    A run recorded as running before this server started was cut off by a restart.
    A run whose final prompt (queued after all its cells) has been queued but
    which ComfyUI no longer holds any prompt of, yet is not finished, lost its queue
    (cleared, or the final prompt failed).
    """
    if experiment.status != ExperimentStatus.RUNNING:
        return experiment.status
    if server.started is not None and experiment.updated < server.started:
        return ExperimentStatus.INTERRUPTED
    final = experiment.final_prompt_id
    if server.queued is None or not final or final in server.queued:
        return ExperimentStatus.RUNNING
    if server.queued & store.unsaved_prompt_ids(experiment.id):
        return ExperimentStatus.RUNNING  # a cell is still pending or running (e.g. finishing after an interrupt)
    if server.fresh_queue is not None:  # an interrupted verdict stands only on a fresh read of the queue
        return shown_status(store, experiment, server.confirmed())
    return ExperimentStatus.INTERRUPTED


def list_experiments(store: ExperimentStore, params: dict[str, Any],
                     server: ServerState = ServerState()) -> dict[str, Any]:
    """A page of experiments, newest first. `q`: only those whose name holds it or whose id
    starts with it; `before` (a `created` time): a page that keeps its place while new runs
    come in (offset and total count only those created at or before it; `newer` says how
    many match after it). `disk_bytes`: each one's folder and, at the top, all experiments'."""
    limit = _int_param(params, "limit", 50, 1, MAX_PAGE)
    offset = _int_param(params, "offset", 0, 0, 10**9)
    search = _search_param(params)
    before = _time_param(params, "before")
    rows, total = store.listing(limit, offset, search, before)  # one query: counts, shape and cover with each row
    shown = [ListedExperimentAnswer(
        **row.summary.headline(shown_status(store, row.summary, server)), counts=row.counts.to_json(),
        shape=row.shape, cover=row.cover, disk_bytes=disk_use.folder_bytes(store.root / row.summary.id),
        search_budget=row.search_budget)
        for row in rows]
    return ExperimentPageAnswer(experiments=shown, total=total, limit=limit, offset=offset, q=search, before=before,
                                newer=store.count_newer(before, search) if before is not None else 0,
                                disk_bytes=disk_use.studio_bytes(store.root)).to_json()


def _search_param(params: dict[str, Any]) -> str:
    raw = params.get("q")
    text = "" if raw is None else str(raw).strip()
    if len(text) > MAX_SEARCH:
        raise BadRequest(f'query "q": got {len(text)} characters; expected at most {MAX_SEARCH}')
    return text


def _time_param(params: dict[str, Any], name: str) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(str(raw))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise BadRequest(f'query "{name}": got "{str(raw)[:40]}"; expected a time in seconds since 1970 '
                         "(an experiment's `created`)")
    return value


def latest_experiment(store: ExperimentStore, params: dict[str, Any]) -> dict[str, str | None]:
    """{experiment}: the newest experiment run through Grid Assembler `assembler` of editor
    workflow `workflow` (null if none): what that node's panel shows after a reload or in a
    second tab, whether or not the page kept the node's properties."""
    found = {}
    for name in ("workflow", "assembler"):
        value = params.get(name)
        if not isinstance(value, str) or not 0 < len(value) <= 100:
            raise BadRequest(f"latest experiment: parameter {name!r} must be a non-empty id of at most 100 "
                             f"characters, got {str(value)[:40]!r}")
        found[name] = value
    return LatestAnswer(store.latest_of(found["workflow"], found["assembler"])).to_json()


def check_id(experiment_id: str) -> str:
    """The id, if it could name an experiment (NotFound otherwise, without touching the disk)."""
    if not is_valid_id(experiment_id):
        raise NotFound(f"no experiment {str(experiment_id)[:80]!r}")
    return experiment_id


def experiment_status(store: ExperimentStore, experiment_id: str,
                      server: ServerState = ServerState()) -> dict[str, Any]:
    experiment = store.experiment(check_id(experiment_id))
    counts = store.counts(experiment_id)
    return ExperimentStatusAnswer(
        **experiment.headline(shown_status(store, experiment, server)), counts=counts.to_json(), done=counts.done,
        failed=counts.failed, final_prompt_id=experiment.final_prompt_id, folder=str(store.root / experiment_id),
        tracking=experiment.tracking.to_json() if experiment.tracking is not None else None,
        workers=_workers(store, experiment)).to_json()


def _workers(store: ExperimentStore, experiment: Experiment) -> list[WorkerAnswer] | None:
    """The servers of an experiment over several (None for one on this server only): each one's
    state as this process knows it, its cells of this experiment done, and its last problem."""
    servers = experiment.options.servers
    if servers is None:
        return None
    dispatch = running.live(experiment.id)
    done = store.done_by_worker(experiment.id)  # one query: the runner asks several times a second
    urls: list[str] = [lane.url for lane in dispatch.lanes] if dispatch else list(servers.urls)
    urls += [url for url in sorted(done) if url not in urls]
    return [WorkerAnswer(url=url, state=known.state if (known := HEALTH.of(url)) else None,
                         done=done.get(url, 0), last_error=known.last_error if known else None) for url in urls]


def health(store: ExperimentStore, server: ServerState = ServerState()) -> dict[str, Any]:
    """GET /xyz_studio/health: can the store be read, what each worker server is doing, what runs."""
    store_state: StoreHealth | StoreBroken
    try:
        rows, total = store.list(MAX_PAGE)
        store_state = StoreHealth(ok=True, path=str(store.path), schema=SCHEMA_VERSION, experiments=total)
    except Exception as e:  # noqa: BLE001 - a health answer reports a broken store; it does not fail with it
        rows, store_state = [], StoreBroken(ok=False, path=str(store.path), error=f"{type(e).__name__}: {e}")
    experiments = []
    for row in rows:
        status = shown_status(store, row, server)
        if status == ExperimentStatus.RUNNING:
            counts = store.counts(row.id)
            experiments.append(RunningExperimentHealth(
                id=row.id, name=row.name, total=row.total, done=counts.done, failed=counts.failed,
                servers=[lane.url for lane in d.lanes] if (d := running.live(row.id)) else None))
    return HealthAnswer(ok=store_state.ok, store=store_state, workers=HEALTH.workers(),
                        experiments=experiments).to_json()


def experiment_manifest(store: ExperimentStore, experiment_id: str,
                        server: ServerState = ServerState()) -> dict[str, Any]:
    experiment = store.experiment(check_id(experiment_id))
    return build_manifest(experiment, store.cells(experiment_id), shown_status(store, experiment, server))


def experiment_workflow(store: ExperimentStore, experiment_id: str) -> dict[str, Any]:
    """The workflow that started the experiment: the editor's graph (null when it was queued
    as an API prompt, by the runner or a script), the API prompt, and the id of the Grid
    Assembler it ran through (whose panel shows it once the workflow is loaded)."""
    experiment = store.experiment(check_id(experiment_id))
    source = experiment.source or {}
    return SourceWorkflowAnswer(id=experiment_id, workflow=source.get("workflow"), prompt=source.get("prompt"),
                                assembler=experiment.assembler_id).to_json()


def experiment_script(store: ExperimentStore, experiment_id: str, object_info: Callable[[], dict[str, Any]]) -> str:
    """The experiment as a runnable ComfyScript (ComfyScript transpiles its graph; see export.comfyscript)."""
    return export_script(store.experiment(check_id(experiment_id)), object_info())


def experiment_file(store: ExperimentStore, experiment_id: str, name: str) -> Path:
    """The path of a file inside the experiment's folder (NotFound for anything else)."""
    store.experiment(check_id(experiment_id))
    if not isinstance(name, str) or not _FILE_PATTERN.fullmatch(name):
        raise NotFound(f"no file {str(name)[:80]!r} in experiment {experiment_id}")
    folder = ExperimentFolder(store.root, experiment_id)
    path = folder.dir / name
    missing = NotFound(f"no file {name!r} in experiment {experiment_id}")
    try:
        # no link anywhere on the way: a symlink planted in the folder cannot lead outside it
        for part in (folder.dir, *(folder.dir / p for p in Path(name).parents if str(p) != "."), path):
            if part.is_symlink():
                raise missing
        resolved = path.resolve(strict=True)
        if not resolved.is_file() or folder.dir.resolve() not in resolved.parents:
            raise missing
    except OSError:
        raise missing from None
    return resolved


def experiment_thumbnail(store: ExperimentStore, experiment_id: str, name: str, size: str | None) -> Path:
    """A scaled copy of a cell or grid PNG of the experiment (`size`: px, the longer side)."""
    if not isinstance(name, str) or not name.endswith(".png"):
        raise NotFound(f"no image {str(name)[:80]!r} in experiment {experiment_id}: thumbnails are of cells and grids")
    source = experiment_file(store, experiment_id, name)  # the same path rules as every served file
    try:
        return thumbnail(ExperimentFolder(store.root, experiment_id), source, name, thumbnail_size(size))
    except (OSError, ValueError, Image.DecompressionBombError) as e:
        if isinstance(e, BadRequest):
            raise
        raise NotFound(f"{name} in experiment {experiment_id} cannot be read as an image: {e}") from None


def check_body_size(length: int | None) -> None:
    """Refuse a declared body length over the limit before reading the body."""
    if (length or 0) > MAX_BODY:
        raise TooLarge(f"body too large: at most {MAX_BODY} bytes")


def _json_object(raw: bytes) -> dict[str, Any]:
    check_body_size(len(raw))
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise BadRequest(f"body: expected a JSON object ({e.__class__.__name__}: {str(e)[:80]})") from None
    if not isinstance(body, dict):
        raise BadRequest(f"body: expected a JSON object, got {type(body).__name__}")
    return body


def parse_rename(raw: bytes) -> str:
    """The new name from a rename's body {"name": text}: 1 to MAX_NAME characters once trimmed,
    on one line (names are shown as text everywhere, so any other character is fine)."""
    body = _json_object(raw)
    unknown = sorted(set(body) - {"name"})
    if unknown:
        raise BadRequest(f"body: unknown field(s) {', '.join(unknown)[:120]}; expected only name")
    name = body.get("name")
    shown = str(name)[:60]
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME or any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in name):
        raise BadRequest(f'body "name": got "{shown}"; expected text of 1 to {MAX_NAME} characters on one line')
    return name


def parse_body(raw: bytes) -> ClientRequest:
    """An optional JSON object body with at most a client_id."""
    check_body_size(len(raw))
    if not raw.strip():
        return ClientRequest()
    body = _json_object(raw)
    client_id = body.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > 200):
        raise BadRequest('body "client_id": expected a string of at most 200 characters')
    unknown = sorted(set(body) - {"client_id"})
    if unknown:
        raise BadRequest(f"body: unknown field(s) {', '.join(unknown)[:120]}; expected only client_id")
    return ClientRequest(client_id=client_id)


# Not in protocol.py: no page of the pack reads it, only the headless runner (xyz_studio.runner).
ROUTE_FRONTEND = f"{ROUTE_PREFIX}/frontend"


def served_frontend(front_end_root: str | None, front_end_version: str | None) -> dict[str, str | None]:
    """GET /xyz_studio/frontend: the frontend version this server serves (ComfyUI's
    --front-end-root / --front-end-version, else its comfyui_frontend_package) and the
    converter's reading of it, the dialect the runner converts UI workflows in (None: unknown)."""
    try:
        package: str | None = importlib.metadata.version(FRONTEND_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        package = None
    version = served_frontend_version(front_end_root, front_end_version, package)
    try:
        reading = None if version is None else FrontendDialect.for_version(version).value
    except WorkflowFormatError:
        reading = None
    return {"version": version, "reading": reading}
