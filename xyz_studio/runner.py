"""Headless runner: queue an XYZ workflow on a running ComfyUI and follow it to the end.

    python -m xyz_studio run WORKFLOW.json --server http://127.0.0.1:8188

Accepts UI-format workflows (saved from the editor) and API-format prompts. Prints a
progress bar, then the paths of the grids and the manifest. Exit status: 0 every
cell rendered, 1 some cells failed, 2 the workflow was rejected (the server's
message is printed), 3 the server could not be reached or the run timed out, 4 no
such experiment (--resume, --retry-failed), 130 Ctrl-C (the experiment is cancelled,
its partial grids written).
`--worker URL` (repeatable) spreads the cells over other ComfyUI servers as well, the
same as a Servers node on the Grid Driver (`--workers-only`: not on --server itself).
`--resume ID` queues only the cells an experiment is missing (after a crash, a
restart or a cancel); `--retry-failed ID` queues its failed cells again. Either one
on an experiment with nothing to do says so and exits 0; on one still running, it
says so and follows it.
"""
from __future__ import annotations

import json
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from . import protocol as P
from .answers import ExperimentStatusAnswer, RequeuedAnswer
from .api_views import ROUTE_FRONTEND
from .comfyui.client import ComfyClient, ComfyError, PromptRejected
from .comfyui.history import PromptState, outcome
from .comfyui.node_specs import parse_node_spec
from .common.format import format_bytes, format_seconds
from .errors import ConflictReason, WorkflowRejected
from .export.html_viewer import export_html
from .export.sources import RouteSource
from .reporting.health import WorkerState
from .servers.server_set import DEFAULT_CELL_TIMEOUT, DEFAULT_IN_FLIGHT
from .storage.records import CellCounts, ExperimentStatus
from .tracking.settings import TrackingState, TrackingStatus
from .workflow import WorkflowFormatError, is_ui_workflow, ui_to_api
from .workflow.dialect import FrontendDialect

EXIT_OK, EXIT_CELLS_FAILED, EXIT_REJECTED, EXIT_UNREACHABLE, EXIT_NOT_FOUND, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


@dataclass
class RunResult:
    exit_code: int
    experiment_id: str | None = None
    status: ExperimentStatusAnswer | None = None  # the experiment's GET route answer
    message: str = ""


def load_prompt(client: ComfyClient, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(API prompt, extra_data) for a UI workflow or an API prompt."""
    if is_ui_workflow(data):
        info = client.object_info()
        specs = {name: parse_node_spec(name, entry) for name, entry in info.items()}
        # as the frontend the server serves would read it (the pack's route says which it is)
        served = FrontendDialect.served(client.get_object(ROUTE_FRONTEND).get("version"))
        return ui_to_api(data, specs, served), {"extra_pnginfo": {"workflow": data}}
    if isinstance(data, dict) and "prompt" in data and isinstance(data["prompt"], dict):
        data = data["prompt"]  # a saved POST /prompt body
    return data, {}


def _bar(done: int, failed: int, total: int, elapsed: float, width: int = 30) -> str:
    finished = done + failed
    filled = int(width * finished / total) if total else width
    eta = ""
    if 0 < finished < total:
        eta = f", about {format_seconds(elapsed / finished * (total - finished))} left"
    fail = f", {failed} failed" if failed else ""
    return f"[{'#' * filled}{'-' * (width - filled)}] {finished}/{total} cells{fail}, {format_seconds(elapsed)}{eta}"


PLAN_GONE_CHECK = 2.0  # seconds between checks that a waited-for workflow is still on a server without the job API


def wait_for_plan(client: ComfyClient, prompt_id: str, timeout: float, err: TextIO | None = None) -> str:
    """Wait for the queued workflow (the plan) to run; returns the experiment id.

    Raises WorkflowRejected with the reason when the plan failed (a PlanError from the
    Grid Driver, ComfyUI refusing the graph), TimeoutError when it did not run in time.
    """
    deadline = time.monotonic() + timeout
    said_waiting = False
    started = last_found = time.monotonic()
    while time.monotonic() < deadline:
        if err is not None and not said_waiting and time.monotonic() - started > 2:
            print("waiting for the workflow's turn in the ComfyUI queue ...", file=err, flush=True)
            said_waiting = True
        # where the host has the job API one read says queued, finished or gone; else GET /history/{id},
        # and every PLAN_GONE_CHECK seconds also GET /queue (which sends every queued prompt whole)
        if client.has_jobs_api() or time.monotonic() - last_found > PLAN_GONE_CHECK:
            queued, entry = client.finished_entry(prompt_id)
            if not queued and entry is None:
                raise WorkflowRejected(f"the workflow's prompt {prompt_id} is gone from the server: it is neither "
                                       "in its queue nor in its history (ComfyUI restarted or its queue was cleared)")
            last_found = time.monotonic()
        else:
            entry = client.history(prompt_id)
        if entry:
            result = outcome(entry)
            if result.state != PromptState.SUCCESS:
                raise WorkflowRejected(result.error or result.state.value)
            for output in (entry.get("outputs") or {}).values():
                ids = output.get(P.UI_EXPERIMENT_KEY)
                if ids:
                    return str(ids[0])
            raise WorkflowRejected("the workflow ran but no Grid Driver started an experiment")
        time.sleep(0.1)
    raise TimeoutError(f"the workflow did not start within {format_seconds(timeout)}")


def follow(client: ComfyClient, experiment_id: str, timeout: float, out: TextIO, err: TextIO,
           poll: float = 0.2) -> RunResult:
    """Show progress until the experiment's grids exist; Ctrl-C cancels the experiment."""
    started = time.monotonic()
    deadline = started + timeout
    status: ExperimentStatusAnswer | None = None
    last_line = ""
    tty = hasattr(err, "isatty") and err.isatty()
    try:
        while time.monotonic() < deadline:
            status = _status(client, experiment_id)
            line = _bar(status.done, status.failed, status.total, time.monotonic() - started)
            if status.dry_run:
                line = f"dry run: layout of {status.total} cells"
            if line != last_line and (tty or line.split(",")[0] != last_line.split(",")[0]):
                # on a terminal the line is rewritten in place: blank what a longer one left
                print(("\r" + line.ljust(len(last_line))) if tty else line, end="" if tty else "\n", file=err,
                      flush=True)
                last_line = line
            if status.status.is_final and status.grids and status.finished:
                break
            problem = _assembly_failure(client, status)
            if problem:
                print(f"\ndrawing the grids failed: {problem}", file=err)
                return RunResult(EXIT_CELLS_FAILED, experiment_id, status, problem)
            if status.status == ExperimentStatus.INTERRUPTED:
                print(f"\nexperiment {experiment_id} stopped: its prompts left the ComfyUI queue (cleared, or the "
                      f"server restarted); {status.done} of {status.total} cells are saved. "
                      f"Resume with --resume {experiment_id}", file=err)
                return RunResult(EXIT_CELLS_FAILED, experiment_id, status, ExperimentStatus.INTERRUPTED.value)
            time.sleep(poll)
        else:
            print(f"\ntimed out after {format_seconds(timeout)}; experiment {experiment_id} goes on in ComfyUI",
                  file=err)
            return RunResult(EXIT_UNREACHABLE, experiment_id, status, "timeout")
    except KeyboardInterrupt:
        return _cancel(client, experiment_id, out, err)
    except (ComfyError, OSError) as e:
        print(f"\nlost contact with ComfyUI: {e}; experiment {experiment_id} goes on there "
              f"(follow it again with --resume {experiment_id} once it is back)", file=err)
        return RunResult(EXIT_UNREACHABLE, experiment_id, status, str(e))
    if tty:
        print(file=err)
    assert status is not None  # the loop read it at least once, or returned
    _print_paths(status, out)
    _report_tracking(client, experiment_id, status, err)
    code = EXIT_CELLS_FAILED if status.failed else EXIT_OK
    if status.failed:
        print(f"{status.failed} of {status.total} cells failed (error tiles in the grid); "
              f"retry them with --retry-failed {experiment_id}", file=err)
    return RunResult(code, experiment_id, status)


TRACKING_WAIT = 60.0  # seconds to wait for the W&B run to close after the grids are drawn


def _status(client: ComfyClient, experiment_id: str) -> ExperimentStatusAnswer:
    return ExperimentStatusAnswer.from_json(client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)))


def _tracking(status: ExperimentStatusAnswer) -> TrackingState | None:
    return TrackingState.from_json(status.tracking) if status.tracking is not None else None


def _report_tracking(client: ComfyClient, experiment_id: str, status: ExperimentStatusAnswer, err: TextIO) -> None:
    """Say where the W&B run is (or why there is none), once its tracker has closed it."""
    tracking = _tracking(status)
    deadline = time.monotonic() + TRACKING_WAIT
    while tracking and tracking.status in (TrackingStatus.STARTING, TrackingStatus.LOGGING):
        if time.monotonic() > deadline:
            print("W&B: the run is still being written; it closes in the background", file=err)
            return
        time.sleep(0.2)
        tracking = _tracking(_status(client, experiment_id))
    if not tracking or tracking.status == TrackingStatus.OFF:
        return
    if tracking.status == TrackingStatus.FAILED:
        print(f"W&B: {tracking.problem}", file=err)
    elif tracking.url:
        print(f"W&B run: {tracking.url}", file=err)
    elif tracking.folder:
        print(f"W&B offline run: {tracking.folder} (upload it with `wandb sync {tracking.folder}`)", file=err)


def _cancel(client: ComfyClient, experiment_id: str, out: TextIO, err: TextIO) -> RunResult:
    """Ctrl-C: cancel the experiment on the server and print what was kept."""
    print(f"\ncancelling experiment {experiment_id} (Ctrl-C again to leave it running) ...", file=err, flush=True)
    try:
        try:
            client.post(P.ROUTE_CANCEL.format(experiment_id=experiment_id), {})
        except ComfyError as e:
            if e.status != 409:  # 409: it had already finished; report what it has
                raise
        status = _status(client, experiment_id)
    except KeyboardInterrupt:
        print(f"left experiment {experiment_id} as it is", file=err)
        return RunResult(EXIT_INTERRUPTED, experiment_id, None, ExperimentStatus.INTERRUPTED.value)
    except (ComfyError, OSError) as e:
        print(f"could not cancel experiment {experiment_id}: {e}", file=err)
        return RunResult(EXIT_UNREACHABLE, experiment_id, None, str(e))
    _print_paths(status, out)
    print(f"{status.status}: {status.done} of {status.total} cells were saved; resume with "
          f"--resume {experiment_id}", file=err)
    return RunResult(EXIT_INTERRUPTED, experiment_id, status, ExperimentStatus.CANCELLED.value)


def _report_finished(client: ComfyClient, experiment_id: str, out: TextIO, err: TextIO) -> RunResult:
    """An experiment with nothing left to do: print its files; exit 0 (its failed cells were reported)."""
    try:
        status = _status(client, experiment_id)
    except (ComfyError, OSError) as e:
        print(f"cannot read experiment {experiment_id}: {e}", file=err)
        return RunResult(EXIT_UNREACHABLE, experiment_id, message=str(e))
    _print_paths(status, out)
    return RunResult(EXIT_OK, experiment_id, status, status.status.value)


def _assembly_failure(client: ComfyClient, status: ExperimentStatusAnswer) -> str:
    """The error of the final prompt, once every cell has settled and it has failed."""
    settled = CellCounts.from_tally(status.counts).settled
    if settled < status.total or not status.final_prompt_id:
        return ""
    result = outcome(client.history(status.final_prompt_id))
    return result.error if result.state in (PromptState.ERROR, PromptState.INTERRUPTED) else ""


def _print_paths(status: ExperimentStatusAnswer, out: TextIO) -> None:
    folder = Path(status.folder)
    for grid in status.grids:
        print(folder / grid.file, file=out)
    print(folder / "manifest.json", file=out)


SERVERS_NODE_ID = "xyz_studio_servers"


def with_workers(prompt: dict[str, Any], workers: list[str], include_local: bool = True) -> dict[str, Any]:
    """The API prompt with a Servers node of `workers` wired into every Grid Driver (replacing
    any Servers node the workflow had there)."""
    out = dict(prompt)
    out[SERVERS_NODE_ID] = {"class_type": P.NODE_SERVERS, "_meta": {"title": "Servers (--worker)"}, "inputs": {
        "urls": "\n".join(workers), "include_this_server": include_local,
        "cells_per_server": DEFAULT_IN_FLIGHT, "cell_timeout": DEFAULT_CELL_TIMEOUT}}
    drivers = [node_id for node_id, node in prompt.items()
               if isinstance(node, dict) and node.get("class_type") == P.NODE_DRIVER]
    if not drivers:
        raise WorkflowFormatError("--worker: the workflow has no Grid Driver to send cells from")
    for node_id in drivers:
        out[node_id] = {**out[node_id], "inputs": {**out[node_id].get("inputs", {}), "servers": [SERVERS_NODE_ID, 0]}}
    return out


def _report_workers(client: ComfyClient, experiment_id: str, err: TextIO) -> None:
    """Say which servers take part, and why any is left out."""
    workers = _status(client, experiment_id).workers or []
    if workers:
        up = [w.url for w in workers if w.state == WorkerState.UP]
        print(f"cells go to {len(up)} server(s): {', '.join(up)}", file=err)
    for worker in workers:
        if worker.state != WorkerState.UP and worker.last_error:
            print(worker.last_error, file=err)


def run(workflow_path: Path, server: str, timeout: float = 3600.0, out: TextIO = sys.stdout,
        err: TextIO = sys.stderr, poll: float = 0.2, workers: list[str] | None = None,
        include_local: bool = True) -> RunResult:
    """Queue a workflow and follow its experiment to the end (over `workers` too, if given)."""
    client = ComfyClient(server)
    try:
        data = json.loads(Path(workflow_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"cannot read workflow {workflow_path}: {e}", file=err)
        return RunResult(EXIT_REJECTED, message=str(e))
    try:
        prompt, extra = load_prompt(client, data)
        if workers:
            prompt = with_workers(prompt, workers, include_local)
        prompt_id = client.queue_prompt(prompt, client_id=f"xyz-runner-{uuid.uuid4().hex[:8]}", extra_data=extra)
    except WorkflowFormatError as e:
        print(f"workflow rejected: {e}", file=err)
        return RunResult(EXIT_REJECTED, message=str(e))
    except PromptRejected as e:
        print(f"workflow rejected by ComfyUI:\n{e.describe()}", file=err)
        return RunResult(EXIT_REJECTED, message=e.describe())
    except (ComfyError, OSError) as e:
        print(f"cannot reach ComfyUI at {server}: {e}", file=err)
        return RunResult(EXIT_UNREACHABLE, message=str(e))

    try:
        experiment_id = wait_for_plan(client, prompt_id, timeout, err)
    except WorkflowRejected as e:
        print(f"workflow rejected: {e}", file=err)
        return RunResult(EXIT_REJECTED, message=str(e))
    except TimeoutError as e:
        print(f"{e}; it is still in the ComfyUI queue", file=err)
        return RunResult(EXIT_UNREACHABLE, message=str(e))
    except KeyboardInterrupt:
        client.delete_queued([prompt_id])
        client.interrupt(prompt_id)
        print("\nstopped before the experiment started; nothing was rendered", file=err)
        return RunResult(EXIT_INTERRUPTED, message="interrupted before the plan ran")
    except (ComfyError, OSError) as e:
        print(f"lost contact with ComfyUI at {server}: {e}", file=err)
        return RunResult(EXIT_UNREACHABLE, message=str(e))
    print(f"experiment {experiment_id}", file=err)
    if workers:
        try:
            _report_workers(client, experiment_id, err)
        except (ComfyError, OSError):
            pass  # follow() reports a lost server
    return follow(client, experiment_id, timeout, out, err, poll)


def restart(experiment_id: str, server: str, retry_failed: bool = False, timeout: float = 3600.0,
            out: TextIO = sys.stdout, err: TextIO = sys.stderr, poll: float = 0.2) -> RunResult:
    """Resume an experiment (only its missing cells) or retry its failed cells, then follow it."""
    client = ComfyClient(server)
    route = P.ROUTE_RETRY if retry_failed else P.ROUTE_RESUME
    action = "retry" if retry_failed else "resume"
    try:
        answer = RequeuedAnswer.from_json(client.post(route.format(experiment_id=experiment_id), {}))
    except ComfyError as e:
        body = e.body if isinstance(e.body, dict) else {}
        message = str(body.get("error") or e.body)
        reason = body.get("reason")
        if e.status == 404:
            print(f"cannot {action} {experiment_id}: {message}", file=err)
            return RunResult(EXIT_NOT_FOUND, experiment_id, message=message)
        if e.status == 409 and reason == ConflictReason.STILL_RUNNING:
            print(f"experiment {experiment_id} is still running; following it", file=err)
            return follow(client, experiment_id, timeout, out, err, poll)
        if e.status == 409 and reason in (ConflictReason.ALREADY_COMPLETE, ConflictReason.NO_FAILED_CELLS):
            print(f"nothing to {action}: {message}", file=err)
            return _report_finished(client, experiment_id, out, err)
        print(f"cannot {action} {experiment_id}: {message}", file=err)
        return RunResult(EXIT_REJECTED, experiment_id, message=message)
    except OSError as e:
        print(f"cannot reach ComfyUI at {server}: {e}", file=err)
        return RunResult(EXIT_UNREACHABLE, message=str(e))
    print(f"experiment {experiment_id}: {answer.queued} cells queued again "
          f"({answer.adopted} found saved on disk)", file=err)
    return follow(client, experiment_id, timeout, out, err, poll)


def export_html_command(experiment_id: str, server: str, out: Path, err: TextIO = sys.stderr) -> int:
    """`export-html`: the experiment as a standalone viewer folder, read through the routes."""
    client = ComfyClient(server)
    try:
        result = export_html(RouteSource(client, experiment_id), out)
    except ComfyError as e:
        if e.status == 404:
            body = e.body if isinstance(e.body, dict) else {}
            print(f"cannot export {experiment_id}: {body.get('error') or e.body}", file=err)
            return EXIT_NOT_FOUND
        print(f"cannot export {experiment_id}: {e}", file=err)
        return EXIT_UNREACHABLE
    except OSError as e:
        print(f"cannot export {experiment_id}: {e}", file=err)
        return EXIT_UNREACHABLE
    print(f"{result.cells} cells, {result.files} files, {format_bytes(result.bytes)} "
          f"in {format_seconds(result.seconds)}", file=err)
    print(result.folder / "index.html")
    return EXIT_OK


def export_script_command(experiment_id: str, server: str, out: Path, err: TextIO = sys.stderr) -> int:
    """`export-script`: the sweep as a runnable ComfyScript, made by the server (its transpiler knows its nodes)."""
    client = ComfyClient(server)
    try:
        text = client.get_bytes(P.route_path(P.ROUTE_EXPORT_SCRIPT, experiment_id)).decode("utf-8")
    except ComfyError as e:
        body = e.body if isinstance(e.body, dict) else {}
        print(f"cannot export {experiment_id}: {body.get('error') or e.body}", file=err)
        return EXIT_NOT_FOUND if e.status == 404 else EXIT_REJECTED
    except OSError as e:
        print(f"cannot reach ComfyUI at {server}: {e}", file=err)
        return EXIT_UNREACHABLE
    Path(out).write_text(text, encoding="utf-8")
    print(f"run it with: python {out} --server {server}", file=err)
    print(out)
    return EXIT_OK
