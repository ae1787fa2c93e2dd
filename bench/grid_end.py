"""The end of a many-cell run: from the last cell saved to the grid written.

    python -m bench.grid_end [cell size px] [cells] [rounds]      (default 128 2000 3)

Runs `bench.many_cells`'s experiment through the pack on one fresh server (after the
same warm-up) and reads the server's own records: the last cell's `finished_at` (its
PNG written and recorded) and the experiment's `finished` (its grids and manifest
written). What lies between is what the run waits for after its last cell: settling,
finishing the grids, the manifest. Prints each round and the median; also the grid's
size and the server's peak RSS, since keeping more of the grid in memory is the price
of drawing it earlier.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import offline_plan, run_direct, run_pack, specs_of
from bench.many_cells import _cpu_seconds, experiment
from bench.pack_vs_direct import direct_prompts
from harness.host import ComfyHost
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.storage.store import ExperimentStore

ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3


def one_round(host: ComfyHost, root: Path, round_no: int) -> tuple[float, float, float, str]:
    """(seconds from the last cell saved to the experiment finished, the run's wall and server CPU
    seconds, the grid's size)."""
    assert host.proc is not None
    cpu = _cpu_seconds(host.proc.pid)
    wall, experiment_id = run_pack(ComfyClient(host.url), experiment(10 + round_no))
    cpu = _cpu_seconds(host.proc.pid) - cpu
    store = ExperimentStore(root)
    finished = store.experiment(experiment_id)
    last = max(c.finished_at or 0.0 for c in store.cells(experiment_id))
    assert finished.finished is not None and finished.grids
    grid = finished.grids[0]
    return finished.finished - last, wall, cpu, f"{grid.width} x {grid.height}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp) / "host") as host:
        client = ComfyClient(host.url)
        specs = specs_of(client)
        run_direct(client, direct_prompts(offline_plan(experiment(1), specs))[:5])  # the same warm-up as many_cells
        rounds = [one_round(host, host.output_dir / P.OUTPUT_SUBFOLDER, r) for r in range(ROUNDS)]
        rss = host.peak_rss_bytes() / 2**20
    ends = [r[0] for r in rounds]
    print(f"last cell saved -> grid and manifest written, one server, {ROUNDS} runs "
          f"(grid {rounds[0][3]} px)")
    for n, (end, wall, cpu, _) in enumerate(rounds):
        print(f"  run {n}: {end:.3f} s after the last cell (run {wall:.2f} s, server CPU {cpu:.2f} s)")
    print(f"median {statistics.median(ends):.3f} s (min {min(ends):.3f}, max {max(ends):.3f}); "
          f"server peak RSS over the runs {rss:.0f} MiB")


if __name__ == "__main__":
    main()
