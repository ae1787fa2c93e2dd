"""The dispatch's decisions, without a server: who gets which cell, and what becomes of a
cell that does not come back. The lanes' threads are not started (these tests make the
calls a lane would make); a worker's address is a closed port, so cleaning up after a
worker that is down finds it down, as it would be."""
from __future__ import annotations

import socket

import pytest

from told import Told
from xyz_studio import protocol as P
from xyz_studio.comfyui.node_specs import InputSpec, NodeSpec
from xyz_studio.errors import PlanError
from xyz_studio.planning.plan import AxisRequest
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.reporting.health import WorkerState
from xyz_studio.servers.dispatch import MAX_TRIES, Dispatch, DispatchHooks
from xyz_studio.servers.lane import Sent, new_lane
from xyz_studio.servers.remote_cell import remote_cell, remote_prefix
from xyz_studio.servers.server_set import is_this_server, normalise_url, parse_server_list
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore

EID = "20261201-000000-abcdef"


def spec(class_type, outputs=(), **inputs):
    return NodeSpec(class_type, class_type, "loaders" if class_type == "Loader" else "x",
                    {n: InputSpec(n, t) if isinstance(t, str) else t for n, t in inputs.items()}, tuple(outputs))


SPECS = {
    "Loader": spec("Loader", ("MODEL",), ckpt_name=InputSpec("ckpt_name", "COMBO", options=("a", "b"))),
    "Sampler": spec("Sampler", ("IMAGE",), model="MODEL", cfg=InputSpec("cfg", "FLOAT", min=0, max=30)),
    "Width": spec("Width", ("INT",), image="IMAGE"),
    P.NODE_ASSEMBLER: spec(P.NODE_ASSEMBLER, ("IMAGE",), image="IMAGE", metric_1="FLOAT"),
    P.NODE_AXIS: spec(P.NODE_AXIS, (P.AXIS_TYPE, "*"), values="STRING"),
    P.NODE_DRIVER: spec(P.NODE_DRIVER),
}


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed


@pytest.fixture()
def plan():
    prompt = {
        "1": {"class_type": "Loader", "inputs": {"ckpt_name": "a"}},
        "3": {"class_type": "Sampler", "inputs": {"model": ["1", 0], "cfg": 7.0}},
        "4": {"class_type": "Width", "inputs": {"image": ["3", 0]}},
        "9": {"class_type": P.NODE_ASSEMBLER, "inputs": {"image": ["3", 0], "metric_1": ["4", 0],
                                                          "metric_1_name": "width"}},
        "90": {"class_type": P.NODE_DRIVER, "inputs": {}},
        "100": {"class_type": P.NODE_AXIS, "inputs": {"values": "a, b"}},
        "101": {"class_type": P.NODE_AXIS, "inputs": {"values": "5, 7, 9"}},
    }
    prompt["1"]["inputs"]["ckpt_name"] = ["100", 1]
    prompt["3"]["inputs"]["cfg"] = ["101", 1]
    requests = {"x": AxisRequest(node_id="101", values="5, 7, 9"), "y": AxisRequest(node_id="100", values="a, b")}
    return plan_experiment(prompt, "90", requests, SPECS, 100)


@pytest.fixture()
def store(tmp_path, plan):
    s = ExperimentStore(tmp_path / "studio")
    record = Experiment(id=EID, name="t", created=1.0, updated=1.0, finished=None, status=ExperimentStatus.RUNNING,
                        dry_run=False, total=plan.cell_count, final_prompt_id=None, plan=plan,
                        options=Options(name="t"), source=None)
    cells = [Cell(experiment_id=EID, index=i, x=i % 3, y=i // 3, z=0, run_order=r, status=CellStatus.QUEUED)
             for r, i in enumerate(plan.run_sequence())]
    s.create(record, cells)
    return s


def dispatch_of(store, plan, workers=2, max_in_flight=2):
    lanes = [new_lane(closed_port_url(), k == 0, {}, k) for k in range(workers)]
    told = Told()
    events = told.events
    hooks = DispatchHooks(client_id=None, notifier=told, finished=lambda d: None)
    d = Dispatch(store, plan, EID, lanes, hooks, max_in_flight, cell_timeout=60)
    tasks = [d.task(i, r) for r, i in enumerate(plan.run_sequence())]
    with d.lock:
        for t in tasks:
            d._put_back(t)
        d._assign()
    return d, lanes, events


def test_cells_go_out_in_run_order_to_the_least_busy_worker_at_most_two_each(store, plan):
    d, lanes, _ = dispatch_of(store, plan)
    order = plan.run_sequence()
    assert [t.index for t in lanes[0].outbox] == [order[0], order[2]]
    assert [t.index for t in lanes[1].outbox] == [order[1], order[3]]
    # a worker that has room again gets the next cell in the order
    sent = d.next_to_send(lanes[1])
    d.posted(lanes[1], Sent(sent, "p1", None))
    d.brought_home(lanes[1], lanes[1].in_flight["p1"])
    assert [t.index for t in lanes[1].outbox][-1] == order[4]


def test_a_worker_that_goes_down_gives_its_cells_back_to_the_head_of_the_line(store, plan):
    d, lanes, _ = dispatch_of(store, plan, max_in_flight=1)
    first = d.next_to_send(lanes[0])
    d.posted(lanes[0], Sent(first, "p0", None))
    d.mark_down(lanes[0], "does not answer")
    assert lanes[0].state == WorkerState.DOWN and not lanes[0].in_flight
    assert lanes[0].to_forget and lanes[0].to_forget[0].prompt_id == "p0"  # deleted from it when it answers again
    assert first.tries == 1
    assert d._pending[0][2] is first  # first in line again (the other worker is full)
    # the lane of a down worker posts nothing more, even if a cell was meant for it
    assert d.next_to_send(lanes[0]) is None


def test_a_cell_lost_three_times_becomes_an_error_tile(store, plan):
    d, lanes, events = dispatch_of(store, plan, workers=1, max_in_flight=1)
    task = d.next_to_send(lanes[0])
    for k in range(MAX_TRIES):
        if k:
            assert d.next_to_send(lanes[0]) is task
        sent = Sent(task, f"p{k}", None)
        d.posted(lanes[0], sent)
        d.lost(lanes[0], sent, "the cell is gone")
    cell = store.cell(EID, task.index)
    assert cell.status == CellStatus.FAILED and f"tried {MAX_TRIES} times" in cell.error
    assert events[-1].error == cell.error


def run_one(d, lane, prompt_id):
    """What a lane does with the next cell given to it when the worker runs it."""
    task = d.next_to_send(lane)
    d.posted(lane, Sent(task, prompt_id, None))
    d.brought_home(lane, lane.in_flight[prompt_id])
    return task


def test_a_server_refusing_a_cell_another_runs_is_left_out_and_two_refusals_fail_the_cell(store, plan):
    d, lanes, _ = dispatch_of(store, plan, workers=3, max_in_flight=1)
    order = plan.run_sequence()
    first = d.next_to_send(lanes[0])
    d.refused(lanes[0], first, "ckpt_name: value not in list")
    assert store.cell(EID, first.index).status == CellStatus.QUEUED  # another server tries it
    assert [t.index for t in lanes[0].outbox] == [order[3]]  # not given back to the server that refused it
    assert run_one(d, lanes[2], "p2").index == order[2]
    assert lanes[2].outbox == [first]
    run_one(d, lanes[2], "p9")  # worker 2 ran it: worker 0 lacks something the check could not see
    assert lanes[0].state == WorkerState.LEFT_OUT and not lanes[0].outbox
    # a cell refused by two servers is its own fault: an error tile, not sent a third time
    second = d.next_to_send(lanes[1])
    d.refused(lanes[1], second, "cfg: out of range")
    assert second not in lanes[1].outbox
    run_one(d, lanes[2], "p10")  # worker 2 finishes what it had; then it gets the refused cell
    assert second in lanes[2].outbox
    with d.lock:
        lanes[2].outbox.remove(second)
    d.refused(lanes[2], second, "cfg: out of range")
    cell = store.cell(EID, second.index)
    assert cell.status == CellStatus.FAILED and cell.error.startswith("refused by") and "out of range" in cell.error


def test_a_cell_posted_after_the_run_ended_is_reported_for_taking_off_again(store, plan):
    d, lanes, _ = dispatch_of(store, plan)
    task = d.next_to_send(lanes[0])
    d.over = True  # cancelled while it was posted
    assert d.posted(lanes[0], Sent(task, "late", None)) is False
    assert "late" not in lanes[0].in_flight


def test_the_remote_prompt_is_stock_nodes_only_with_a_unique_prefix_and_the_metric_read_back(plan):
    cell = remote_cell(plan, EID, 4)
    classes = {n["class_type"] for n in cell.prompt.values()}
    assert classes == {"Loader", "Sampler", "Width", "SaveImage", "PreviewAny"}
    save = cell.prompt[cell.image_node]["inputs"]
    assert save["filename_prefix"] == remote_prefix(EID, 4) == f"xyz_studio_remote/{EID}/cell_00004"
    assert cell.prompt[cell.metric_nodes["width"]]["inputs"]["source"] == ["4", 0]


def test_server_addresses_are_normalised_and_this_server_is_recognised_by_its_other_names():
    assert parse_server_list("# GPU box\n192.168.1.20\nhttp://gpu2:8189/  # second\n\n192.168.1.20:8188",
                             "Servers #5") == ("http://192.168.1.20:8188", "http://gpu2:8189")
    for bad in ("http://user:pw@gpu:8188", "ftp://gpu:21", "gpu:0", "http://gpu:8188/?x=1"):
        assert normalise_url(bad) is None
        with pytest.raises(PlanError, match=r'Servers #5, input "urls"'):
            parse_server_list(bad, "Servers #5")
    assert is_this_server("http://localhost:8188", "http://127.0.0.1:8188")
    assert is_this_server(f"http://{socket.gethostname()}:8188", "http://127.0.0.1:8188")
    assert not is_this_server("http://127.0.0.1:8189", "http://127.0.0.1:8188")
