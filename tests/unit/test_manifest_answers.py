"""The manifest and the health answer stay what they were, byte for byte: the manifests of a real store
(two axes and a prompt S/R one, fixed parameters, a metric, cells finished on another server, W&B tracking,
a grid, a dry run, a restarted server's interrupted run) and its health answer (a running experiment over
several servers, a worker's state; a store that cannot be read), against goldens captured from the code before
they were typed records (tests/unit/goldens/). The text is compared, so the keys' order is pinned too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from plan_fixtures import axis_plan, one_cell_plan
from xyz_studio import api_views as V
from xyz_studio.metrics.declared import MetricGoal, MetricPlan
from xyz_studio.planning.plan import AxisMode, FixedParameter, Plan
from xyz_studio.reporting.health import HEALTH, WorkerState
from xyz_studio.servers.server_set import ServerSet
from xyz_studio.storage.records import (
    Cell,
    CellStatus,
    Experiment,
    ExperimentStatus,
    GridFile,
    Options,
)
from xyz_studio.storage.store import DB_NAME, ExperimentStore
from xyz_studio.tracking.settings import TrackingSettings, TrackingState, TrackingStatus

MANIFESTS = Path(__file__).parent / "goldens" / "manifests.json"
HEALTH_GOLDEN = Path(__file__).parent / "goldens" / "health.json"
WORKER = "http://127.0.0.1:7"  # a server no test asks: only this test tells the health board of it


def _plan() -> Plan:
    x = axis_plan("x", "100", "cfg", AxisMode.VALUES, [[5.0, 1], [7.5, 2]], ["5", "7.5"],
                  [[["3", "cfg"]], [["4", "steps"], ["5", "steps"]]])
    y = axis_plan("y", "101", "prompt", AxisMode.REPLACE, [["cat"], ["dog"], ["<b>fox</b>"]],
                  ["cat", "dog", "<b>fox</b>"], [[["6", "text"]]], search="cat")
    one = one_cell_plan()
    return Plan(axes=(x, y), loop_order=["y", "x"], cell_nodes=one.cell_nodes, final_nodes=one.final_nodes,
                base=one.base, assembler_id="9",
                fixed=(FixedParameter(node="KSampler", input="seed", value="42"),),
                metrics=(MetricPlan(name="score", input="metric_1", goal=MetricGoal.LOWER),), show_metrics=True)


def _add(store: ExperimentStore, n: int, plan: Plan, statuses: list[CellStatus], status: ExperimentStatus,
         options: Options | None = None, dry_run: bool = False) -> str:
    eid = f"20261127-0000{n:02d}-abcdef"
    store.create(Experiment(id=eid, name=f"sweep {n} 🙂", created=200.0 + n, updated=200.0 + n, finished=None,
                            status=status, dry_run=dry_run, total=len(statuses), final_prompt_id=None, plan=plan,
                            options=options or Options(), source={"workflow": None, "prompt": {}}),
                 [Cell(experiment_id=eid, index=i, x=i % plan.columns, y=i // plan.columns, z=0, run_order=i,
                       status=s) for i, s in enumerate(statuses)])
    return eid


@pytest.fixture()
def store(tmp_path):
    s = ExperimentStore(tmp_path / "studio")
    Q, D, F = CellStatus.QUEUED, CellStatus.DONE, CellStatus.FAILED
    spread = _add(s, 0, _plan(), [D, D, F, Q, Q, Q], ExperimentStatus.RUNNING,
                  Options(name="spread", max_cells=20, servers=ServerSet(urls=(WORKER,), include_local=False)))
    s.send_cell(spread, 0, "p0", WORKER)
    s.finish_cell(spread, 0, ["cells/x000_y000_z000.png"])
    s.update_cell(spread, 0, metrics={"score": 0.25}, seconds=1.5, started_at=300.0, finished_at=301.5)
    s.finish_cell(spread, 1, ["cells/x001_y000_z000.png"])
    s.update_cell(spread, 1, metrics={"score": None}, seconds=2.0, started_at=302.0, finished_at=304.0)
    s.update_cell(spread, 2, status=F, error="KSampler: out of memory", prompt_id="p2")
    s.update_experiment(spread, updated=305.0, final_prompt_id="final-0", tracking=TrackingState(
        TrackingSettings(project="p", tags=("a", "b")), status=TrackingStatus.LOGGING, run_id="r0", url="https://w/r0"))
    drawn = _add(s, 1, one_cell_plan(), [D], ExperimentStatus.COMPLETE)
    s.finish_cell(drawn, 0, ["cells/x000_y000_z000.png"])
    s.update_cell(drawn, 0, finished_at=229.0)
    s.update_experiment(drawn, finished=230.0, updated=230.0,
                        grids=(GridFile(z=0, file="grids/grid_z000.png", width=8, height=8),))
    _add(s, 2, _plan(), [CellStatus.PLANNED] * 6, ExperimentStatus.PLANNED, dry_run=True)
    _add(s, 3, one_cell_plan(), [Q], ExperimentStatus.RUNNING)  # started before the restart below
    return s


def _text(answer) -> str:
    return json.dumps(answer, indent=1, ensure_ascii=False) + "\n"


def _manifests(store: ExperimentStore) -> str:
    restarted = V.ServerState(started=1000.0)
    return _text({row.id: V.experiment_manifest(store, row.id, restarted) for row in store.list()[0]})


def test_the_manifest_is_as_before(store):
    assert MANIFESTS.exists(), f"{MANIFESTS}: the manifests captured from the code before the change are missing"
    assert _manifests(store) == MANIFESTS.read_text()


def _health(store: ExperimentStore, broken: Path) -> str:
    HEALTH.update(WORKER, state=WorkerState.DOWN, in_flight=2, done=3, failed=1, error="refused")
    answers = [V.health(store), V.health(ExperimentStore(broken))]
    for answer in answers:
        for worker in answer["workers"]:
            assert worker["since"] > 0
            worker["since"] = 0.0  # when it went down: not golden
        answer["workers"] = [w for w in answer["workers"] if w["url"] == WORKER]  # other tests' servers
        answer["store"]["path"] = Path(answer["store"]["path"]).name
    return _text(answers)


def test_the_health_answer_is_as_before(store, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / DB_NAME).write_bytes(b"not a database, not at all" * 100)
    assert HEALTH_GOLDEN.exists(), f"{HEALTH_GOLDEN}: the answers captured from the code before the change are missing"
    assert _health(store, broken) == HEALTH_GOLDEN.read_text()
