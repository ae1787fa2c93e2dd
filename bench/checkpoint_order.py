"""Checkpoint loads with and without cost-aware order (checkpoint x CFG on tiny models).

The same experiment runs twice on one server: in grid order (X, the checkpoint,
changes every cell) and in cost-aware order (the checkpoint axis outermost). Loads
are counted from ComfyUI's history: a cell whose checkpoint loader was not served
from cache loaded its checkpoint.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import run_pack
from harness.graphs import sd_graph
from harness.host import ComfyHost
from harness.tiny_models import ensure_models
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CKPTS = ["tiny_sd15_a.safetensors", "tiny_sd15_b.safetensors"]


def experiment(order: str):
    g = sd_graph(CKPTS[0])
    x = g.axis(", ".join(CKPTS), [("4", "ckpt_name")], title="checkpoint")
    y = g.axis("3, 5, 7, 9", [("3", "cfg")])
    return g.driver(x, y, name=f"checkpoint x cfg ({order})", order=order)


def loads(client: ComfyClient, experiment_id: str) -> int:
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    count = 0
    for cell in manifest["cells"]:
        entry = client.history(cell["prompt_id"])
        cached = next(d["nodes"] for e, d in entry["status"]["messages"] if e == "execution_cached")
        count += "4" not in cached
    return count


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ensure_models(base / "models")
        with ComfyHost(base) as host:
            client = ComfyClient(host.url)
            results = {}
            for order in ("grid order", "cost-aware"):
                client.post("/free", {"unload_models": True, "free_memory": True})
                seconds, experiment_id = run_pack(client, experiment(order))
                results[order] = (loads(client, experiment_id), seconds)
    cells = len(CKPTS) * 4
    for order, (n, seconds) in results.items():
        print(f"{order:>11}: {n} checkpoint loads for {cells} cells, {seconds:.2f} s")
    grid, cost = results["grid order"], results["cost-aware"]
    print(f"loads: cost-aware/grid = {cost[0]}/{grid[0]}; wall time ratio cost-aware/grid = {cost[1] / grid[1]:.2f}")


if __name__ == "__main__":
    main()
