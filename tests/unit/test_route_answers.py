"""Route answers stay what they were on the wire: the listing and status answers of a real store, against
goldens captured from the code before they were typed records and the listing one query (tests/unit/goldens/)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from plan_fixtures import axis_plan, one_cell_plan
from xyz_studio import api_views as V
from xyz_studio.errors import NewerRecord
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.servers.server_set import ServerSet
from xyz_studio.storage import disk_use
from xyz_studio.storage.records import (
    Cell,
    CellStatus,
    Experiment,
    ExperimentStatus,
    GridFile,
    Options,
    UnreadablePlan,
)
from xyz_studio.storage.store import ExperimentStore
from xyz_studio.tracking.settings import TrackingSettings, TrackingState, TrackingStatus

GOLDEN = Path(__file__).parent / "goldens" / "listing.json"
WORKER = "http://127.0.0.1:9"  # a server no test asks, so this process knows nothing of it
STATUS_GOLDEN = Path(__file__).parent / "goldens" / "status.json"


def _two_axis_plan() -> Plan:
    x = axis_plan("x", "100", "cfg", AxisMode.VALUES, [[5.0], [7.0], [9.0]], ["5", "7", "9"], [[["3", "cfg"]]])
    y = axis_plan("y", "101", "steps", AxisMode.VALUES, [[10], [20]], ["10", "20"], [[["3", "steps"]]])
    one = one_cell_plan()
    return Plan(axes=(x, y), loop_order=["y", "x"], cell_nodes=one.cell_nodes, final_nodes=one.final_nodes,
                base=one.base, assembler_id="9")


def _add(store: ExperimentStore, n: int, plan, statuses: list[CellStatus], status=ExperimentStatus.RUNNING,
         options: Options | None = None) -> str:
    eid = f"20261126-0000{n:02d}-abcdef"
    store.create(Experiment(id=eid, name=f"run {n}", created=100.0 + n, updated=100.0 + n, finished=None,
                            status=status, dry_run=False, total=len(statuses), final_prompt_id=None, plan=plan,
                            options=options or Options()),
                 [Cell(experiment_id=eid, index=i, x=i % 3, y=i // 3, z=0, run_order=i, status=s)
                  for i, s in enumerate(statuses)])
    return eid


@pytest.fixture()
def store(tmp_path):
    s = ExperimentStore(tmp_path / "studio")
    Q, D, F = CellStatus.QUEUED, CellStatus.DONE, CellStatus.FAILED
    _add(s, 0, _two_axis_plan(), [Q] * 6)                                  # nothing finished: no cover
    busy = _add(s, 1, _two_axis_plan(), [D, D, F, Q, Q, Q], options=Options(servers=ServerSet(urls=(WORKER,))))
    s.send_cell(busy, 0, "p0", WORKER)
    s.update_experiment(busy, updated=101.0, final_prompt_id="final-1", tracking=TrackingState(
        TrackingSettings(project="p", tags=("a",)), status=TrackingStatus.LOGGING, run_id="r1", url="https://w/r1"))
    for index, finished in ((1, 50.0), (0, 60.0)):                         # the earlier finished cell is the cover
        s.finish_cell(busy, index, [f"cells/x00{index}_y000_z000.png"])
        s.update_cell(busy, index, finished_at=finished)
        (s.root / busy / "cells").mkdir(parents=True, exist_ok=True)
        (s.root / busy / "cells" / f"x00{index}_y000_z000.png").write_bytes(b"\x89PNG" + b"." * (10 + index))
    drawn = _add(s, 2, one_cell_plan(), [D], ExperimentStatus.COMPLETE)
    s.finish_cell(drawn, 0, ["cells/x000_y000_z000.png"])
    s.update_experiment(drawn, finished=130.0, updated=130.0,
                        grids=(GridFile(z=0, file="grids/grid_z000.png", width=8, height=8),))
    _add(s, 3, UnreadablePlan({"version": 99, "axes": []}, NewerRecord("version 99")), [D, Q],
         ExperimentStatus.CANCELLED)
    _add(s, 4, one_cell_plan(), [CellStatus.PLANNED], ExperimentStatus.PLANNED)
    return s


def _listing(store: ExperimentStore, params: dict) -> dict:
    body = json.loads(json.dumps(V.list_experiments(store, params)))
    assert body.pop("disk_bytes") == disk_use.studio_bytes(store.root)  # the database's size is not golden
    return body


def _answers(store: ExperimentStore) -> dict:
    anchor = 102.0
    restarted = V.list_experiments(store, {}, V.ServerState(started=1000.0))["experiments"]
    return {"all": _listing(store, {}), "page": _listing(store, {"limit": "2", "offset": "1", "before": str(anchor)}),
            "search": _listing(store, {"q": "run 3"}),
            "server_restarted": [(row["id"], row["status"]) for row in restarted]}


def test_the_listing_answers_as_before(store):
    assert GOLDEN.exists(), f"{GOLDEN}: the answers captured from the code before the change are missing"
    assert json.loads(json.dumps(_answers(store))) == json.loads(GOLDEN.read_text())


def _statements(store: ExperimentStore, params: dict) -> list[str]:
    seen: list[str] = []
    with store._connect() as conn:  # this thread's connection, which the view reads through
        conn.set_trace_callback(seen.append)
        try:
            V.list_experiments(store, params)
        finally:
            conn.set_trace_callback(None)
    return seen


def test_a_listing_page_is_read_in_as_many_queries_whatever_its_size(store):
    one, five = _statements(store, {"limit": "1"}), _statements(store, {"limit": "5"})
    assert len(five) == len(one) == 2, five  # the page's rows with their counts, shape and cover; the total


def _statuses(store: ExperimentStore) -> dict:
    answers = {}
    for row in store.list()[0]:
        body = json.loads(json.dumps(V.experiment_status(store, row.id)))
        assert body.pop("folder") == str(store.root / row.id)
        answers[row.id] = body
    return answers


def test_the_status_answer_is_as_before(store):
    assert STATUS_GOLDEN.exists(), f"{STATUS_GOLDEN}: the answers captured from the code before the change are missing"
    assert _statuses(store) == json.loads(STATUS_GOLDEN.read_text())


def test_the_workflow_and_latest_answers_are_as_before(store):
    eid = store.list()[0][0].id
    assert V.experiment_workflow(store, eid) == {"id": eid, "workflow": None, "prompt": None, "assembler": "9"}
    assert V.latest_experiment(store, {"workflow": "w", "assembler": "9"}) == {"experiment": None}
