"""The core tells the editors of every step of an experiment through the one notifier it
is given: each saved or failed cell with the store's counts, and the assembled
experiment naming the Grid Assembler and the editor workflow it ran through (so that
node's panel shows it), while a cancel does not take over a panel."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import Image

from grids.test_grid_drawing import new_experiment, render
from told import Told
from xyz_studio.experiment.assemble import assemble
from xyz_studio.experiment.cell_writer import CellWriter, FinishedCell
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.protocol import CellEvent, ExperimentEvent
from xyz_studio.reporting.notifier import SILENT, safely, tell_state
from xyz_studio.storage.records import CellStatus, ExperimentStatus

WORKFLOW = {"id": "5b2f0c1e-0000-4000-8000-000000000001", "nodes": [], "links": []}


@pytest.fixture()
def experiment(tmp_path):
    store, eid, plan, cells = new_experiment(tmp_path, x="3, 5", y="a, b")
    record = store.experiment(eid)  # the same experiment, queued from an editor workflow
    store.delete(eid)
    store.create(replace(record, source={"workflow": WORKFLOW, "prompt": {}}), cells)
    return store, eid, plan, cells


def test_each_saved_cell_is_told_with_the_counts_of_the_store(experiment):
    store, eid, plan, cells = experiment
    told, writer = Told(), CellWriter()
    for n, cell in enumerate(cells, 1):
        job = cell_job(eid, plan, cell)
        writer.submit(store, FinishedCell(job, [render(cell.index)], plan.cell_prompt(cell.index), {"score": n / 10},
                                          prompt_id=f"p{n}", worker="http://127.0.0.1:9"), None, told)
    assert writer.drain(eid, timeout=30)
    events = told.of(CellEvent)
    assert [e.index for e in events] == [c.index for c in cells]
    assert [e.done for e in events] == [1, 2, 3, 4] and {e.total for e in events} == {4}
    last = events[-1]
    assert last.status == CellStatus.DONE and last.files and last.prompt_id == "p4"
    assert last.worker == "http://127.0.0.1:9" and last.metrics == {"score": 0.4}
    assert last.to_json()["x"] == cells[-1].x  # a JSON payload, as the websocket sends it


def test_assembling_tells_its_grid_assembler_and_workflow(experiment):
    store, eid, plan, cells = experiment
    told, writer = Told(), CellWriter()
    for cell in cells[:3]:
        writer.submit(store, FinishedCell(cell_job(eid, plan, cell), [render(cell.index)],
                                          plan.cell_prompt(cell.index)), None, SILENT)
    assert writer.drain(eid, timeout=30)
    assembled = assemble(store, eid, None, previews=False, notifier=told)
    [event] = told.of(ExperimentEvent)
    assert event.status == assembled.status == ExperimentStatus.COMPLETE
    assert (event.done, event.failed, event.total) == (3, 1, 4)  # the fourth never reached the writer
    assert event.grids == [g.file for g in assembled.grids] and event.grids
    assert event.assembler == plan.assembler_id and event.workflow == WORKFLOW["id"]


def test_a_state_told_from_elsewhere_leaves_the_panels_alone(experiment):
    store, eid, _, _ = experiment
    told = Told()
    tell_state(told, store, eid, ExperimentStatus.CANCELLED)
    [event] = told.events
    assert event.status == ExperimentStatus.CANCELLED and event.total == 4
    assert event.assembler is None and event.workflow is None  # a cancel from the sidebar takes over no panel


def test_a_notifier_that_fails_never_fails_the_step(experiment):
    class Broken(Told):
        def cell(self, event):
            raise ConnectionResetError("the websocket went away")

    store, eid, plan, cells = experiment
    writer = CellWriter()
    job = cell_job(eid, plan, cells[0])
    writer.submit(store, FinishedCell(job, [render(0)], plan.cell_prompt(cells[0].index)), None, Broken())
    assert writer.drain(eid, timeout=30)
    assert store.cell(eid, cells[0].index).status == CellStatus.DONE
    safely(Broken(), CellEvent(experiment=eid, index=0, x=0, y=0, z=0, status=CellStatus.DONE, files=[], done=1,
                               failed=0, total=4))


def test_a_small_cell_is_written_before_submit_returns_and_a_big_one_by_the_thread(experiment):
    store, eid, plan, cells = experiment
    writer = CellWriter()
    small, big = cells[0], cells[1]
    small_images = [render(small.index)]
    assert writer.writes_on_the_spot(small_images)
    saved = writer.submit(store, FinishedCell(cell_job(eid, plan, small), small_images,
                                              plan.cell_prompt(small.index)), None)
    assert saved is not None and saved.error is None  # what the Grid Assembler shows as the cell's queue preview
    assert (store.root / eid / saved.files[0]).is_file() and store.cell(eid, small.index).status == CellStatus.DONE
    big_images = [Image.new("RGB", (512, 512), "red")]
    assert not writer.writes_on_the_spot(big_images)
    assert writer.submit(store, FinishedCell(cell_job(eid, plan, big), big_images, plan.cell_prompt(big.index)),
                         None) is None
    assert writer.drain(eid, timeout=30) and store.cell(eid, big.index).status == CellStatus.DONE
