"""The answers of cancel, resume, retry, delete and rename are what the routes answered before they were typed
records (the keys, their order and the words), and the runner reads the resume and status answers back."""
from __future__ import annotations

import json

from xyz_studio.answers import (
    CancelledAnswer,
    DeletedAnswer,
    ExperimentStatusAnswer,
    RenamedAnswer,
    RequeuedAnswer,
    WorkerAnswer,
)
from xyz_studio.reporting.health import WorkerState
from xyz_studio.storage.records import CellCounts, CellStatus, ExperimentStatus, GridFile

EID = "20261128-000000-abcdef"


def _wire(answer) -> str:
    return json.dumps(answer.to_json())


def test_the_cancel_answer():
    counts = CellCounts.of([CellStatus.DONE, CellStatus.CANCELLED, CellStatus.CANCELLED])
    answer = CancelledAnswer(id=EID, status=ExperimentStatus.CANCELLED, cancelled=2, counts=counts.to_json(),
                             grids=[GridFile(z=0, file="grids/grid_z000.png", width=8, height=8)])
    assert _wire(answer) == json.dumps({"id": EID, "status": "cancelled", "cancelled": 2,
                                        "counts": {"done": 1, "cancelled": 2},
                                        "grids": [{"z": 0, "file": "grids/grid_z000.png", "width": 8, "height": 8,
                                                   "labels": {}}]})


def test_the_resume_and_retry_answer_and_the_runner_reading_it():
    answer = RequeuedAnswer(id=EID, status=ExperimentStatus.RUNNING, queued=3, adopted=1, total=6)
    assert _wire(answer) == json.dumps({"id": EID, "status": "running", "queued": 3, "adopted": 1, "total": 6})
    read = RequeuedAnswer.from_json(json.loads(_wire(answer)))
    assert read == answer and read.status is ExperimentStatus.RUNNING


def test_the_delete_and_rename_answers():
    assert _wire(DeletedAnswer(id=EID, name="a sweep", deleted=True)) == json.dumps(
        {"id": EID, "name": "a sweep", "deleted": True})
    assert _wire(RenamedAnswer(id=EID, name="b")) == json.dumps({"id": EID, "name": "b"})


def test_the_status_answer_reads_back_with_its_workers_states_as_words():
    answer = ExperimentStatusAnswer(
        id=EID, name="n", created=1.0, updated=2.0, finished=None, status=ExperimentStatus.RUNNING, dry_run=False,
        total=2, grids=(GridFile(z=0, file="grids/grid_z000.png", width=8, height=8),), counts={"queued": 2},
        done=0, failed=0, final_prompt_id=None, folder="/f", tracking=None,
        workers=[WorkerAnswer(url="http://a:1", state=WorkerState.DOWN, done=0, last_error="refused"),
                 WorkerAnswer(url="http://b:1", state=None, done=0, last_error=None)])
    wire = json.loads(_wire(answer))
    assert [w["state"] for w in wire["workers"]] == ["down", None]
    assert ExperimentStatusAnswer.from_json(wire) == answer
