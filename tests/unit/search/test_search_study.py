"""The search's study: proposals, budget, failed cells, grid order, and a study that survives kill -9.

A real Optuna study (5.0.0) in SQLite under tmp_path; the kill is a real SIGKILL of a
process of its own in the middle of the search.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import study_worker
from search_fixtures import four_axis_plan, resolved, table

from xyz_studio.errors import NotInstalled
from xyz_studio.search import STUDY_DB_NAME, SearchSampler, SearchSpace, StudyMismatch, load_optuna, open_search
from xyz_studio.search.study import ROLE

HERE = Path(__file__).resolve().parent
PLAN = four_axis_plan()
SPACE = SearchSpace.of_plan(PLAN)
VALUES = table(SPACE.cell_count)


def run_to_end(search, values=VALUES) -> list[int]:
    cells = []
    while (p := search.propose()) is not None:
        cells.append(p.cell)
        search.tell(p.cell, None if p.cell % 11 == 0 else float(values[p.cell]))
    return cells


@pytest.mark.parametrize("sampler", [SearchSampler.TPE, SearchSampler.RANDOM])
def test_a_search_runs_each_cell_once_up_to_the_budget(tmp_path, sampler):
    search = open_search(resolved(SPACE, 70, sampler, seed=1, coarse=0.2), SPACE, PLAN.run_sequence(), tmp_path, "s")
    cells = run_to_end(search)
    state = search.state()
    assert len(cells) == 70 and len(set(cells)) == 70 and search.propose() is None
    assert state.done and state.finished == 70 and state.failed == sum(c % 11 == 0 for c in cells)
    best = max((c for c in cells if c % 11), key=lambda c: VALUES[c])
    assert (state.best_cell, state.best_value) == (best, VALUES[best])
    assert (tmp_path / STUDY_DB_NAME).exists()
    study = load_optuna().load_study(study_name="s", storage=f"sqlite:///{tmp_path / STUDY_DB_NAME}")
    cell_trials = [t for t in study.trials if ROLE not in t.user_attrs]
    assert sorted(SPACE.cell_of(t.params) for t in cell_trials) == sorted(cells)
    assert sum(t.state.name == "FAIL" for t in cell_trials) == state.failed  # a missing value is a failed trial
    search.close()


def test_proposals_in_flight_are_never_proposed_twice_and_every_cell_comes_once(tmp_path):
    # a budget of every cell forces the sampler onto cells already taken: each goes to the nearest free cell
    small = SearchSpace(shape=(3, 4, 1), axes=SPACE.axes[:2])
    search = open_search(resolved(small, 12, SearchSampler.TPE, seed=2), small, list(range(12)), None, "m")
    in_flight = [search.propose() for _ in range(3)]  # three servers
    cells = [p.cell for p in in_flight]
    for p in in_flight:
        search.tell(p.cell, 1.0)
    cells += run_to_end(search, [float(c) for c in range(12)])
    assert sorted(cells) == list(range(12))


def test_grid_is_the_plans_order_cut_at_the_budget_and_needs_no_optuna(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # a real ImportError for `import optuna`
    order = PLAN.run_sequence()
    search = open_search(resolved(SPACE, 30, SearchSampler.GRID), SPACE, order, None, "g", settled={order[1]: 0.5})
    cells = run_to_end(search)
    # the settled cell ran already: it counts against the budget and is not run again
    assert cells == [c for c in order[:30] if c != order[1]] and search.state().finished == 30
    with pytest.raises(NotInstalled, match=r"pip install optuna==5\.0\.0"):
        open_search(resolved(SPACE, 30, SearchSampler.TPE), SPACE, order, None, "t")


def test_stop_proposes_nothing_more_but_hears_the_cells_in_flight():
    search = open_search(resolved(SPACE, 50, SearchSampler.RANDOM), SPACE, [], None, "c")
    a = search.propose()
    search.stop()
    assert search.propose() is None
    search.tell(a.cell, 0.25)
    assert search.state().finished == 1 and search.state().best_cell == a.cell


def test_reopened_study_catches_up_from_the_store(tmp_path):
    args = (resolved(SPACE, 20, SearchSampler.TPE, seed=4), SPACE, [], tmp_path, "r")
    first = open_search(*args)
    told, saved, lost = (first.propose() for _ in range(3))
    first.tell(told.cell, 0.5)
    first.close()  # as after a kill: `saved` is in the store but not told, `lost` never ran
    second = open_search(*args, settled={told.cell: 0.5, saved.cell: 0.75})
    assert second.state().finished == 2 and second.state().best_cell == saved.cell
    again = second.propose()
    assert again.cell == lost.cell  # the cell in flight at the stop is proposed again, first
    second.tell(again.cell, 0.1)
    second.tell(told.cell, 0.9)  # told twice (a repeated event): the first value stands
    second.tell(told.cell, None)
    assert second.state().best_value == 0.75
    cells = run_to_end(second)
    assert len({told.cell, saved.cell, again.cell, *cells}) == 20 == 3 + len(cells)
    second.close()
    with pytest.raises(StudyMismatch, match="other search settings"):
        open_search(resolved(SPACE, 20, SearchSampler.TPE, seed=5), SPACE, [], tmp_path, "r")


def test_a_failed_cell_retried_gets_its_value():
    search = open_search(resolved(SPACE, 5, SearchSampler.TPE), SPACE, [], None, "f")
    p = search.propose()
    search.tell(p.cell, float("nan"))  # not finite: failed
    assert search.state().failed == 1
    search.tell(p.cell, 0.3)  # the store's retry finished it
    assert search.state().failed == 0 and search.state().best_value == 0.3


def test_kill_9_mid_search_then_reopen_continues_to_the_budget_without_running_a_cell_twice(tmp_path):
    log = tmp_path / "store.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parents[2]), str(HERE.parent), str(HERE)])}
    worker = subprocess.Popen([sys.executable, str(HERE / "study_worker.py"), str(tmp_path), str(log), "25"],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = worker.stdout.readline()
        assert line, "the worker ended before it was killed"
        at_kill = json.loads(line)
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()
    before = study_worker.read_store(log)
    assert len(before) == 25 and at_kill["saved_not_told"] in before and at_kill["in_flight"] not in before

    search = study_worker.open_study(tmp_path, log)
    assert search.state().finished == 25  # the saved cell the kill kept from the study is caught up
    proposed = study_worker.drive(search, log)
    assert proposed[0] == at_kill["in_flight"]  # the cell in flight at the kill runs first
    search.close()
    lines = (tmp_path / "store.log").read_text().splitlines()
    cells = [int(line.split()[0]) for line in lines]
    assert len(cells) == study_worker.BUDGET == len(set(cells))  # to the budget; no finished cell run again
    study = load_optuna().load_study(study_name=study_worker.NAME, storage=f"sqlite:///{tmp_path / STUDY_DB_NAME}")
    cell_trials = [t for t in study.trials if ROLE not in t.user_attrs]
    assert sorted(SPACE.cell_of(t.params) for t in cell_trials) == sorted(cells)
    assert all(t.state.is_finished() for t in study.trials)
    told = {SPACE.cell_of(t.params): t.value for t in cell_trials}
    assert told == {c: study_worker.value_of(c) for c in cells}
    assert [t.user_attrs[ROLE] for t in study.trials if ROLE in t.user_attrs].count("abandoned") == 1


def test_threads_proposing_and_telling_at_once_share_the_budget_without_a_repeat(tmp_path):
    # the driver proposes from its queueing thread while the cell writer's thread tells (one per server here)
    import threading

    search = open_search(resolved(SPACE, 40, SearchSampler.TPE, seed=8, coarse=0.25), SPACE, [], tmp_path, "th")
    cells: list[int] = []
    errors: list[BaseException] = []

    def server() -> None:
        try:
            while (p := search.propose()) is not None:
                cells.append(p.cell)
                search.tell(p.cell, float(VALUES[p.cell]))
        except Exception as e:  # noqa: BLE001 - surfaced below: a thread's exception would otherwise be lost
            errors.append(e)

    threads = [threading.Thread(target=server) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(cells) == 40 == len(set(cells)) and search.state().done
    search.close()


def test_the_coarse_pass_keeps_its_size_across_a_reopen(tmp_path):
    args = (resolved(SPACE, 20, SearchSampler.TPE, seed=6, coarse=0.5), SPACE, [], tmp_path, "cp")
    first = open_search(*args)
    a, b, c = (first.propose() for _ in range(3))
    assert a.coarse and b.coarse and c.coarse
    first.tell(a.cell, 0.5)
    first.close()  # b and c were in flight
    second = open_search(*args, settled={a.cell: 0.5})
    again = [second.propose(), second.propose()]
    assert {p.cell for p in again} == {b.cell, c.cell} and all(p.coarse for p in again)
    for p in again:
        second.tell(p.cell, 0.1)
    run_to_end(second)
    second.close()
    study = load_optuna().load_study(study_name="cp", storage=f"sqlite:///{tmp_path / STUDY_DB_NAME}")
    coarse = [t for t in study.trials if ROLE not in t.user_attrs and t.user_attrs.get("xyz_coarse")]
    assert len(coarse) == 10 == len({SPACE.cell_of(t.params) for t in coarse})  # half the budget, no more
