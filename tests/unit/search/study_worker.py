"""A search driver in a process of its own, for the kill -9 test (test_search_study.py).

It runs the 400-cell plan's TPE search as the Grid Driver will: two cells in flight (two
servers), each cell saved to the "store" (a log file, fsynced) before its value is told to
the study. With `stop_after` it stops right after saving that many cells, with the cell just
saved not yet told and the other still in flight, prints both and waits to be killed.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from search_fixtures import four_axis_plan, resolved, table

from xyz_studio.search import SearchSampler, SearchSpace, open_search

NAME, BUDGET, SEED = "xyz-experiment-kill", 60, 5


def value_of(cell: int) -> float | None:
    return None if cell % 37 == 0 else float(table(400)[cell])  # some cells fail: no metric


def read_store(log: Path) -> dict[int, float | None]:
    if not log.exists():
        return {}
    rows = (line.split() for line in log.read_text().splitlines())
    return {int(c): (None if v == "None" else float(v)) for c, v in rows}


def save(log: Path, cell: int, value: float | None) -> None:
    with log.open("a") as f:
        f.write(f"{cell} {value!r}\n")
        f.flush()
        os.fsync(f.fileno())


def open_study(root: Path, log: Path):
    plan = four_axis_plan()
    space = SearchSpace.of_plan(plan)
    return open_search(resolved(space, BUDGET, SearchSampler.TPE, SEED, coarse=0.2), space, plan.run_sequence(),
                       root, NAME, read_store(log))


def drive(search, log: Path, stop_after: int = 0) -> list[int]:
    """Propose two, run (save) and tell each, until the budget; the cells proposed, in order."""
    proposed: list[int] = []
    saved = 0
    while (a := search.propose()) is not None:
        b = search.propose()
        proposed += [p.cell for p in (a, b) if p is not None]
        for p in (a, b):
            if p is None:
                continue
            save(log, p.cell, value_of(p.cell))
            saved += 1
            if stop_after and saved >= stop_after and p is a and b is not None:
                print(json.dumps({"saved_not_told": a.cell, "in_flight": b.cell}), flush=True)
                time.sleep(600)
            search.tell(p.cell, value_of(p.cell))
    return proposed


if __name__ == "__main__":
    root, log, stop = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    drive(open_study(root, log), log, stop)
