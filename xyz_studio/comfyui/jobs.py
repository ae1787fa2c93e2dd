"""ComfyUI's job API, on the hosts that have it: GET /api/jobs, GET /api/jobs/{id}, POST /api/jobs/cancel.

Newer ComfyUI (upstream PR #11054, after 0.3.75) answers which prompts it holds without
their prompts, where GET /queue deep-copies and sends every queued prompt whole, tells a
prompt it does not know (404) from one not finished yet (GET /history/{id} answers {} to
both), and cancels a running prompt atomically (only if it is still the one running).
0.3.75 answers 404 to all of it: the client (client.py) asks once per server and falls back
to GET /queue, GET /history/{id} and POST /interrupt.

The shapes read here are upstream's (ComfyUI 783545f6, `comfy_execution/jobs.py` and
`server.py`); each parser cites the lines that build what it reads. Only the fields the
pack needs are read, so a field added upstream changes nothing.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..protocol import TextEnum
from .history import HistoryEntry
from .queue import QueueState

JOBS_ROUTE = "/api/jobs"
# pending and running jobs only: the list then reads no history entry (comfy_execution/jobs.py:454-468)
QUEUED_JOBS = f"{JOBS_ROUTE}?status=pending,in_progress"


class JobStatus(TextEnum):
    """`status` of a job (comfy_execution/jobs.py:23-31); `cancelled` is an interrupted prompt
    (jobs.py:240-245); hosts with the first version of the API never answer it."""
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def in_queue(self) -> bool:
        return self in (JobStatus.PENDING, JobStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Job:
    """One job as GET /api/jobs/{id} answers it.

    A queued job is `{"id", "status", "priority", ...}` (normalize_queue_item, jobs.py:186-202);
    a finished one adds, with include_outputs (get_job, jobs.py:406-407), `outputs` and
    `execution_status`, the history entry's own `status` (jobs.py:260-268).
    """

    id: str
    status: JobStatus
    outputs: dict[str, Any] | None = None
    execution_status: dict[str, Any] | None = None

    @classmethod
    def parse(cls, answer: Any) -> Job | None:
        """The job in an answer; None for anything else (an unknown status included)."""
        if not isinstance(answer, dict) or not isinstance(answer.get("id"), str):
            return None
        try:
            status = JobStatus(answer.get("status"))
        except ValueError:
            return None
        outputs, execution = answer.get("outputs"), answer.get("execution_status")
        return cls(answer["id"], status, outputs if isinstance(outputs, dict) else None,
                   execution if isinstance(execution, dict) else None)

    def history_entry(self) -> HistoryEntry | None:
        """The job as the history entry it was built from (the parts the pack reads: `status`
        and `outputs`); None while it is queued."""
        if self.status.in_queue:
            return None
        return {"status": self.execution_status or {}, "outputs": self.outputs or {}}


def is_jobs_list(answer: Any) -> bool:
    """Whether an answer is GET /api/jobs's `{"jobs": [...], "pagination": {...}}` (server.py:909-917)."""
    return isinstance(answer, dict) and isinstance(answer.get("jobs"), list)


def queue_state_of(answer: Any) -> QueueState:
    """Which prompts a server holds, from its GET /api/jobs?status=pending,in_progress answer:
    each job is `{"id": prompt id, "status": "pending" | "in_progress", ...}` (jobs.py:186-202)."""
    jobs = answer.get("jobs") if isinstance(answer, dict) else None
    pending: set[str] = set()
    running: set[str] = set()
    for item in jobs or ():
        job = Job.parse(item)
        if job is not None and job.status == JobStatus.PENDING:
            pending.add(job.id)
        elif job is not None and job.status == JobStatus.IN_PROGRESS:
            running.add(job.id)
    return QueueState(pending=frozenset(pending), running=frozenset(running))


def cancellable(prompt_ids: list[str]) -> bool:
    """Whether the job API takes these ids: its cancel routes refuse an id that is not a UUID in
    canonical lowercase form (server.py:1018-1034, jobs.py:34-52); the pack's ids always are."""
    for prompt_id in prompt_ids:
        try:
            if str(uuid.UUID(prompt_id)) != prompt_id:
                return False
        except (ValueError, TypeError, AttributeError):
            return False
    return True
