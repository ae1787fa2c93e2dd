"""Checkpoint loads with and without cost-aware order (checkpoint x CFG on tiny models).

The same experiment runs on one server in grid order (X, the checkpoint, changes
every cell) and in cost-aware order (the checkpoint axis outermost), alternating over
several rounds (which one goes first alternates too), with models and caches freed
before each run. Loads are counted from ComfyUI's history: a cell whose checkpoint
loader was not served from cache loaded its checkpoint. Prints the loads, and the
median and spread of the wall times and of the per-round ratio.
"""
from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.common import run_pack
from harness.graphs import sd_graph
from harness.host import ComfyHost
from harness.tiny_models import ensure_models
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CKPTS = ["tiny_sd15_a.safetensors", "tiny_sd15_b.safetensors"]
ROUNDS = 4
ORDERS = ("grid order", "cost-aware")


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
        if entry is None:
            raise RuntimeError(f"cell {cell['index']}: its prompt is not in the server's history")
        cached = next(d["nodes"] for e, d in entry["status"]["messages"] if e == "execution_cached")
        count += "4" not in cached
    return count


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ensure_models(base / "models")
        with ComfyHost(base) as host:
            client = ComfyClient(host.url)
            loads_of: dict[str, set[int]] = {o: set() for o in ORDERS}
            seconds: dict[str, list[float]] = {o: [] for o in ORDERS}
            for r in range(ROUNDS):
                for order in (ORDERS if r % 2 == 0 else ORDERS[::-1]):
                    client.post("/free", {"unload_models": True, "free_memory": True})
                    wall, experiment_id = run_pack(client, experiment(order))
                    loads_of[order].add(loads(client, experiment_id))
                    seconds[order].append(wall)
    cells = len(CKPTS) * 4
    for order in ORDERS:
        times = seconds[order]
        print(f"{order:>11}: {sorted(loads_of[order])} checkpoint loads for {cells} cells; wall median "
              f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
    ratios = [c / g for c, g in zip(seconds["cost-aware"], seconds["grid order"])]
    print(f"wall time ratio cost-aware/grid over {ROUNDS} rounds: median {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
