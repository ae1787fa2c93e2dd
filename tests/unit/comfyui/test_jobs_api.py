"""Reading newer ComfyUI's job API (/api/jobs). The answers below are built as upstream builds
them, ComfyUI 783545f6 (the newest checked): `comfy_execution/jobs.py` normalize_queue_item
(lines 186-202), normalize_history_item (205-269), get_job (394-418), and `server.py`'s routes
(GET /api/jobs 821-917, GET /api/jobs/{id} 919-941, POST /api/jobs/{id}/cancel 971-987). The test
host (0.3.75) has no job API; its fallback is tested on the real server in
tests/integration/test_jobs_fallback.py."""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from tests.unit.loopback import Loopback
from xyz_studio.comfyui import jobs as J
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.comfyui.history import PromptState, outcome
from xyz_studio.errors import WorkflowRejected
from xyz_studio.runner import wait_for_plan

PENDING_ID = "0b8f7f2e-9d1c-4d33-8f6e-2f1d4b7a9c01"
RUNNING_ID = "5c3a1e77-0f42-4b8e-9a61-7d2e8c4b1f02"
DONE_ID = "9e2d4c6b-8a1f-4e3d-b5c7-1a2b3c4d5e03"


def queue_job(prompt_id: str, status: str, priority: int) -> dict:
    # normalize_queue_item (jobs.py:186-202): prune_dict drops create_time/workflow_id when unset
    return {"id": prompt_id, "status": status, "priority": priority, "outputs_count": 0,
            "previewable_outputs_count": 0}


def jobs_list(*jobs: dict) -> dict:
    # GET /api/jobs (server.py:907-917)
    return {"jobs": list(jobs), "pagination": {"offset": 0, "limit": None, "total": len(jobs), "has_more": False}}


STATUS_SUCCESS = {"status_str": "success", "completed": True, "messages": [
    ["execution_start", {"prompt_id": DONE_ID, "timestamp": 1764800000000}],
    ["execution_cached", {"nodes": [], "prompt_id": DONE_ID, "timestamp": 1764800000001}],
    ["execution_success", {"prompt_id": DONE_ID, "timestamp": 1764800001500}]]}
IMAGE = {"filename": "xyz_cell_00001_.png", "subfolder": "", "type": "output"}


def finished_job(status: str, execution_status: dict, outputs: dict) -> dict:
    # normalize_history_item with include_outputs (jobs.py:247-268), as get_job answers it (jobs.py:406-407)
    messages = execution_status["messages"]
    return {"id": DONE_ID, "status": status, "priority": 7,
            "execution_start_time": messages[0][1]["timestamp"], "execution_end_time": messages[-1][1]["timestamp"],
            "outputs_count": 1, "previewable_outputs_count": 1,
            "preview_output": {**IMAGE, "nodeId": "9", "mediaType": "images"},
            "outputs": outputs, "execution_status": execution_status,
            "workflow": {"prompt": {"9": {"class_type": "SaveImage", "inputs": {}}}, "extra_data": {}}}


def test_the_queued_jobs_list_reads_as_the_queue_state():
    answer = jobs_list(queue_job(RUNNING_ID, "in_progress", 3), queue_job(PENDING_ID, "pending", 4))
    assert J.is_jobs_list(answer)
    state = J.queue_state_of(answer)
    assert state.running == {RUNNING_ID} and state.pending == {PENDING_ID}
    assert state.holds({PENDING_ID}) and not state.holds({DONE_ID})


def test_what_is_not_a_jobs_list_is_told_apart():
    assert not J.is_jobs_list({"queue_running": [], "queue_pending": []})  # GET /queue's answer
    assert not J.is_jobs_list("404: Not Found") and not J.is_jobs_list(None)
    # a job of a status this pack does not know is left out, not misread
    assert J.queue_state_of(jobs_list({"id": DONE_ID, "status": "paused"})).held == frozenset()


def test_a_finished_job_gives_back_its_history_entry():
    job = J.Job.parse(finished_job("completed", STATUS_SUCCESS, {"9": {"images": [IMAGE]}}))
    assert job is not None and job.status == J.JobStatus.COMPLETED and not job.status.in_queue
    entry = job.history_entry()
    assert entry == {"status": STATUS_SUCCESS, "outputs": {"9": {"images": [IMAGE]}}}
    result = outcome(entry)
    assert result.state == PromptState.SUCCESS and result.seconds == 1.5


def test_a_failed_and_a_cancelled_job_read_as_error_and_interrupted():
    error = {"status_str": "error", "completed": False, "messages": [
        ["execution_start", {"prompt_id": DONE_ID, "timestamp": 1000}],
        ["execution_error", {"prompt_id": DONE_ID, "node_id": "3", "node_type": "KSampler",
                             "exception_message": "boom", "exception_type": "ValueError", "timestamp": 3000}]]}
    failed = J.Job.parse(finished_job("failed", error, {}))
    assert failed is not None and failed.status == J.JobStatus.FAILED
    assert outcome(failed.history_entry()).error == "KSampler #3: ValueError: boom"
    # interrupted: status_str "error" with an execution_interrupted message -> "cancelled" (jobs.py:240-245)
    stopped = {"status_str": "error", "completed": False, "messages": [
        ["execution_start", {"prompt_id": DONE_ID, "timestamp": 1000}],
        ["execution_interrupted", {"prompt_id": DONE_ID, "node_id": "3", "node_type": "KSampler",
                                   "executed": [], "timestamp": 2000}]]}
    cancelled = J.Job.parse(finished_job("cancelled", stopped, {}))
    assert cancelled is not None and cancelled.status == J.JobStatus.CANCELLED
    assert outcome(cancelled.history_entry()).state == PromptState.INTERRUPTED


def test_a_queued_job_has_no_history_entry_and_odd_answers_are_no_job():
    job = J.Job.parse(queue_job(PENDING_ID, "pending", 4))
    assert job is not None and job.status.in_queue and job.history_entry() is None
    assert J.Job.parse({"error": "Job not found"}) is None  # GET /api/jobs/{id}'s 404 body (server.py:936-940)
    assert J.Job.parse([PENDING_ID]) is None


def test_only_canonical_ids_go_to_the_cancel_route():
    assert J.cancellable([PENDING_ID, RUNNING_ID])
    assert not J.cancellable([PENDING_ID.upper()])  # the job API refuses other spellings
    assert not J.cancellable(["not-a-uuid"])


class _JobsHost(BaseHTTPRequestHandler):
    """Answers the job API as upstream does, and records the requests (GET /queue must not be read)."""

    seen: list[tuple[str, str, object]] = []

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        self.seen.append(("GET", self.path, None))
        if self.path == J.QUEUED_JOBS:
            self._answer(200, jobs_list(queue_job(RUNNING_ID, "in_progress", 3), queue_job(PENDING_ID, "pending", 4)))
        elif self.path == f"/api/jobs/{DONE_ID}":
            self._answer(200, finished_job("completed", STATUS_SUCCESS, {"9": {"images": [IMAGE]}}))
        elif self.path == f"/api/jobs/{PENDING_ID}":
            self._answer(200, queue_job(PENDING_ID, "pending", 4))
        else:
            self._answer(404, {"error": "Job not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(("POST", self.path, body))
        self._answer(200, {"cancelled": True})


def test_the_client_uses_the_job_api_where_the_server_has_it():
    _JobsHost.seen = []
    with Loopback(_JobsHost) as server:
        client = ComfyClient(server.url)
        assert client.queue_state().held == {RUNNING_ID, PENDING_ID}
        assert client.has_jobs_api()
        assert client.finished_entry(DONE_ID) == (False, {"status": STATUS_SUCCESS,
                                                          "outputs": {"9": {"images": [IMAGE]}}})
        assert client.finished_entry(PENDING_ID) == (True, None)
        unknown = "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"
        assert client.finished_entry(unknown) == (False, None)  # a 404: gone, not "not finished yet"
        client.cancel_prompts([PENDING_ID, RUNNING_ID])
    # the waiting ones deleted (upstream's batch cancel deep-copies the queue once per id), the running
    # one cancelled through the job API, which interrupts it only if it still runs
    posts = [(path, body) for method, path, body in _JobsHost.seen if method == "POST"]
    assert posts == [("/queue", {"delete": sorted([PENDING_ID, RUNNING_ID])}), (f"/api/jobs/{RUNNING_ID}/cancel", {})]
    gets = [path for method, path, _body in _JobsHost.seen if method == "GET"]
    assert "/queue" not in gets and not any(path.startswith("/history") for path in gets)


class _FirstJobsHost(_JobsHost):
    """The first version of the job API (listing only, no cancel route): 404 to POST /api/jobs/cancel
    and to /api/jobs/{id} of an id it does not know, as aiohttp answers an unknown route (text)."""

    def do_GET(self):
        if self.path.startswith("/api/jobs/"):
            self.seen.append(("GET", self.path, None))
            self._answer_text(404, b"404: Not Found")
        elif self.path == "/history/" + DONE_ID:
            self.seen.append(("GET", self.path, None))
            self._answer(200, {DONE_ID: {"status": STATUS_SUCCESS, "outputs": {}}})
        elif self.path == "/queue":
            self.seen.append(("GET", self.path, None))
            self._answer(200, {"queue_running": [[3, RUNNING_ID, {}, {}, []]], "queue_pending": []})
        else:
            super().do_GET()

    def do_POST(self):
        if self.path.startswith("/api/jobs/"):
            self.seen.append(("POST", self.path, None))
            self._answer_text(404, b"404: Not Found")
        else:
            super().do_POST()

    def _answer_text(self, status: int, raw: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def test_a_host_without_the_cancel_route_or_the_job_route_is_asked_the_old_way():
    _FirstJobsHost.seen = []
    with Loopback(_FirstJobsHost) as server:
        client = ComfyClient(server.url)
        client.cancel_prompts([RUNNING_ID, PENDING_ID])
        # a text 404 is no "unknown job": the route is not there, so the history is read instead
        assert client.finished_entry(DONE_ID) == (False, {"status": STATUS_SUCCESS, "outputs": {}})
        assert not client.has_jobs_api()
    posts = [(path, body) for method, path, body in _FirstJobsHost.seen if method == "POST"]
    assert posts == [("/queue", {"delete": sorted([PENDING_ID, RUNNING_ID])}), (f"/api/jobs/{RUNNING_ID}/cancel", None),
                     ("/interrupt", {"prompt_id": RUNNING_ID})]


def test_the_runner_reads_one_job_per_poll_and_says_at_once_a_workflow_is_gone():
    _JobsHost.seen = []
    gone = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
    with Loopback(_JobsHost) as server, pytest.raises(WorkflowRejected, match="gone from the server"):
        wait_for_plan(ComfyClient(server.url), gone, timeout=30)
    assert [path for _method, path, _body in _JobsHost.seen] == [J.QUEUED_JOBS, f"/api/jobs/{gone}"]
