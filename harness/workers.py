"""Several real ComfyUI servers for tests and benchmarks: a master with the pack, stock workers.

A worker is a plain ComfyUI (no XYZ Plot Studio in its custom_nodes) on its own port
and folder; what it ran is read back from its own GET /history.
"""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from harness.graphs import Graph, image_graph
from harness.host import ComfyHost
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.servers.remote_cell import REMOTE_SUBFOLDER


def start_cluster(folder: Path, workers: int = 2) -> tuple[ComfyHost, list[ComfyHost]]:
    """A master with the pack and `workers` stock workers in `folder`, started side by side."""
    master = ComfyHost(folder / "master")
    stock = [ComfyHost(folder / f"worker{k}", link_pack=False) for k in range(1, workers + 1)]
    start_all([master, *stock])
    return master, stock


def start_all(hosts: list[ComfyHost]) -> None:
    """Start the servers side by side (each start is mostly Python imports: about 10 s)."""
    errors: list[BaseException] = []

    def start(host: ComfyHost) -> None:
        try:
            host.start()
        except BaseException as e:  # noqa: BLE001 - re-raised below, in the caller's thread
            errors.append(e)
    threads = [threading.Thread(target=start, args=(h,)) for h in hosts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def restart(host: ComfyHost) -> None:
    """Start a stopped server again on the same port and folder."""
    host.proc = None
    host.start()


def sweep(columns: int, rows: int, size: int = 512, name: str = "spread", offset: int = 0) -> Graph:
    """A model-free sweep of columns x rows cells, each about 0.1 s on one CPU core at 512 px
    (0.4 s at 1024). A different `offset` makes other colours: nothing comes from ComfyUI's cache."""
    g = image_graph(size)
    g.prompt["2"]["inputs"]["blur_radius"] = 16
    colours = ", ".join(str((0x102030 * (k + 1) + offset) % 0xFFFFFF) for k in range(columns))
    x = g.axis(colours, [("1", "color")], title="colour")
    y = g.axis(", ".join(str(1.0 + 0.5 * k) for k in range(rows)), [("2", "sigma")], title="sigma")
    return g.driver(x, y, name=name, max_cells=10000)


def cells_run_on(client: ComfyClient, experiment_id: str) -> Counter[int]:
    """How many times each cell of the experiment ran to success on this server, from its history.

    A worker's cell prompt saves under xyz_studio_remote/<experiment>/cell_<index>; the
    master's carries the cell's job in its extra data.
    """
    runs: Counter[int] = Counter()
    for entry in (client.recent_history(10000) or {}).values():
        if (entry.get("status") or {}).get("status_str") != "success":
            continue
        _, _, prompt, extra, *_ = entry["prompt"]
        job = ((extra or {}).get("extra_pnginfo") or {}).get(P.PNGINFO_KEY) or {}
        if job.get("experiment") == experiment_id and job.get("role") == "cell":
            runs[int(job["cell"])] += 1
            continue
        for node in prompt.values():
            prefix = str((node.get("inputs") or {}).get("filename_prefix", ""))
            if node.get("class_type") == "SaveImage" and prefix.startswith(f"{REMOTE_SUBFOLDER}/{experiment_id}/"):
                runs[int(prefix.rsplit("_", 1)[1])] += 1
    return runs


def load_with(client: ComfyClient, count: int, size: int = 1024) -> list[str]:
    """Queue `count` slow prompts of someone else on a server (about 0.4 s each at 1024 px)."""
    ids = []
    for k in range(count):
        ids.append(client.queue_prompt({
            "1": {"class_type": "EmptyImage", "inputs": {"width": size, "height": size, "batch_size": 1, "color": k}},
            "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 16, "sigma": 2.0}},
            "3": {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}}))
    return ids
