"""Shared pieces of the benchmarks: a host, planning offline, waiting for results."""
from __future__ import annotations

import time

from harness.graphs import DRIVER_ID, Graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.comfyui.history import outcome
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.planning.plan import AxisRequest, Plan
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.runner import wait_for_plan
from xyz_studio.storage.records import ExperimentStatus

POLL = 0.1  # both sides poll alike and read the end from the server's own record


def specs_of(client: ComfyClient) -> dict:
    return {name: parse_node_spec(name, info) for name, info in client.object_info().items()}


def offline_plan(graph: Graph, specs: dict, order: str = "cost-aware") -> Plan:
    """The plan the Grid Driver would make, so a baseline can queue the same cells."""
    prompt = graph.prompt
    driver = prompt[DRIVER_ID]["inputs"]
    requests = {}
    for slot in P.axis_slots_in(driver):
        if slot in driver:
            axis_id = driver[slot][0]
            requests[slot] = AxisRequest(node_id=axis_id, **{k: v for k, v in prompt[axis_id]["inputs"].items()})
    return plan_experiment(prompt, DRIVER_ID, requests, specs, 100000, order=order)


def run_pack(client: ComfyClient, graph: Graph, timeout: float = 600) -> tuple[float, str]:
    """Wall time from queueing the XYZ workflow to the moment the server finished its grids.

    The end is the server's own record (the experiment's `finished` time), so neither
    the polling interval nor the polls' load on the server enter the figure.
    """
    start = time.time()
    prompt_id = client.queue_prompt(graph.prompt)
    experiment_id = wait_for_plan(client, prompt_id, timeout)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    while True:
        status = client.get(route)
        if status["status"] == ExperimentStatus.COMPLETE and status["grids"] and status["finished"]:
            return status["finished"] - start, experiment_id
        if time.time() - start > timeout:
            raise TimeoutError(experiment_id)
        time.sleep(POLL)


def run_direct(client: ComfyClient, prompts: list[dict], timeout: float = 600) -> float:
    """Wall time from queueing the same cells as plain prompts to the server's end of the last one."""
    start = time.time()
    last = [client.queue_prompt(prompt) for prompt in prompts][-1]
    while (entry := client.history(last)) is None:
        if time.time() - start > timeout:
            raise TimeoutError(last)
        time.sleep(POLL)
    finished = outcome(entry).finished
    return (finished if finished is not None else time.time()) - start
