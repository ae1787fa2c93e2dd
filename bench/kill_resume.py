"""kill -9 in the middle of an experiment, restart, resume: how much work is redone?

Runs sampler x cfg x steps (18 cells) on tiny models, kills the server with SIGKILL
after a few cells, restarts it on the same folder and resumes. Prints how many cells
were finished before the kill, how many of those ran again (must be 0: any other count
exits with status 1, naming the cells), and the total wall time against an uninterrupted
run of the same experiment.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from harness.experiments import Experiments
from harness.graphs import sd_graph
from harness.host import ComfyHost
from harness.tiny_models import ensure_models
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient


def experiment(name: str):
    g = sd_graph("tiny_sd15_a.safetensors")
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")])
    y = g.axis("4, 7, 10", [("3", "cfg")])
    z = g.axis("4, 6", [("3", "steps")])
    return g.driver(x, y, z, name=name)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ensure_models(base / "models")
        host = ComfyHost(base)  # the models were written straight into its models/ folder
        host.start()
        client = ComfyClient(host.url)
        runs = Experiments(host, client)
        start = time.perf_counter()
        reference = runs.run(experiment("uninterrupted").prompt)
        uninterrupted = time.perf_counter() - start

        start = time.perf_counter()
        experiment_id = runs.start(experiment("killed").prompt)
        route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
        while client.get(route)["done"] < 6:
            time.sleep(0.01)
        host.kill9()
        host.start()
        client = ComfyClient(host.url)
        runs = Experiments(host, client)
        before = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
        finished = {c["index"]: c["prompt_id"] for c in before["cells"] if c["status"] == "done"}
        answer = client.post(P.ROUTE_RESUME.format(experiment_id=experiment_id), {})
        after = runs.wait(experiment_id)
        interrupted = time.perf_counter() - start
        host.stop()
    rerun = sorted(i for i, pid in finished.items()
                   if after["cells"][i]["prompt_id"] != pid or after["cells"][i]["attempts"])
    total = after["shape"]["x"] * after["shape"]["y"] * after["shape"]["z"]
    print(f"cells finished before kill -9: {len(finished)} of {total}; "
          f"queued again by resume: {answer['queued']} (adopted from disk: {answer['adopted']})")
    print(f"finished cells run again: {len(rerun)}")
    print(f"all cells done after resume: {after['counts']}; reference run: {reference['counts']}")
    print(f"wall time kill+restart+resume / uninterrupted: {interrupted:.2f} s / {uninterrupted:.2f} s "
          f"= {interrupted / uninterrupted:.2f} (includes the server restart)")
    if rerun:  # the README's promise: a cell finished before the kill is never run again
        raise SystemExit(f"FAILED: {len(rerun)} cell(s) finished before kill -9 ran again after resume "
                         f"(cell indices {rerun}); expected 0")


if __name__ == "__main__":
    main()
