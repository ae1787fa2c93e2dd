"""kill -9 of a worker in the middle of an experiment over three servers: is anything lost or run twice?

    python -m bench.worker_kill [CELLS] [SIZE]     (default 120 cells of 1024 px)

A master with the pack and two stock workers; the same sweep runs once untouched and
once with worker 1 killed (SIGKILL) when a third of the cells are done. Prints, for
the killed run: cells done and lost, the cells that were on worker 1 when it died and
where they ran instead, how many cells ran to success on more than one server (read
from every live server's own history; must be 0), and the wall time against the
untouched run.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import run_pack
from harness.experiments import Experiments, wait_until
from harness.workers import cells_run_on, start_cluster, sweep
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CELLS = int(sys.argv[1]) if len(sys.argv) > 1 else 120
SIZE = int(sys.argv[2]) if len(sys.argv) > 2 else 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        master, workers = start_cluster(Path(tmp))
        try:
            client = ComfyClient(master.url)
            urls = [w.url for w in workers]
            untouched, _ = run_pack(client, sweep(10, CELLS // 10, size=SIZE, offset=1).servers(urls), timeout=3600)
            start = time.time()
            experiment_id = Experiments(master, client).start(
                sweep(10, CELLS // 10, size=SIZE, offset=2, name="worker killed").servers(urls).prompt)
            route = P.ROUTE_MANIFEST.format(experiment_id=experiment_id)
            wait_until(lambda: client.get(route)["counts"].get("done", 0) >= CELLS // 3, timeout=3600)
            workers[0].kill9()
            manifest = Experiments(master, client).wait(experiment_id, timeout=3600)
            wall = manifest["finished"] - start
            down = [json.loads(line) for line in master.log_path.read_text().splitlines()
                    if line.startswith("{") and '"event": "worker_down"' in line and experiment_id in line]
            moved = down[0]["cells_sent_again"] if down else []
            cells = {c["index"]: c for c in manifest["cells"]}
            runs = sum((cells_run_on(ComfyClient(h.url), experiment_id) for h in (master, workers[1])), Counter())
            twice = [i for i, n in runs.items() if n > 1]
            before = [c for c in manifest["cells"] if c["worker"] == workers[0].url]
            twice += [c["index"] for c in before if runs.get(c["index"])]  # ran on worker 1 and again elsewhere
        finally:
            for host in (master, *workers):
                host.stop()
    done = manifest["counts"].get("done", 0)
    print(f"{CELLS} model-free cells ({SIZE} px) over a master and 2 stock workers; worker 1 killed (SIGKILL) "
          f"at {CELLS // 3} cells done")
    print(f"cells done {done} of {CELLS}, lost {CELLS - done}; worker 1 had finished {len(before)} before it died")
    print(f"on worker 1 when it died: {len(moved)} cells {sorted(moved)}, run instead on "
          f"{dict(Counter(cells[i]['worker'] for i in moved))}")
    print(f"cells that ran to success on two servers: {len(twice)} {sorted(twice)}")
    print(f"wall time {wall:.1f} s against {untouched:.1f} s untouched ({wall / untouched:.2f}x)")


if __name__ == "__main__":
    main()
