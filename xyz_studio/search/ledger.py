"""Which cells a search has run, has in flight and found best: the bookkeeping every sampler shares.

A cell is taken once it is proposed: in flight until its value is told, then finished
(with a value, or None for a failed cell, which counts against the budget like any other:
it ran). A taken cell is never proposed again. The budget counts taken cells, so with
several servers the last proposals stop exactly at it.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .settings import ResolvedSearch


@dataclass(frozen=True)
class Proposal:
    """A cell to run next: an ordinary cell of the experiment (the plan's own index)."""

    cell: int
    trial: int | None = None  # the Optuna trial it is (None for the grid sampler)
    coarse: bool = False      # picked by the coarse first pass


@dataclass(frozen=True)
class Told:
    """One finished cell, in the order the search heard of it (the chart's x axis)."""

    cell: int
    value: float | None  # None: the cell failed, or its metric was missing


@dataclass(frozen=True)
class SearchState:
    """Where a search stands, for the panel, the viewer and W&B."""

    budget: int
    finished: int
    failed: int
    in_flight: tuple[int, ...]
    best_cell: int | None
    best_value: float | None
    done: bool  # every budgeted cell is finished (or no free cell is left)


def finite(value: float | None) -> float | None:
    """A told value as the study keeps it: a non-finite number is a missing one (a failed trial)."""
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class Ledger:
    """Cells in flight and finished, the best so far and the budget left."""

    def __init__(self, search: ResolvedSearch, cell_count: int):
        self.search = search
        self.cell_count = cell_count
        self.in_flight: dict[int, int | None] = {}  # cell -> its trial
        self.finished: dict[int, float | None] = {}
        self.history: list[Told] = []
        self.best: Told | None = None
        self.stopped = False

    @property
    def taken(self) -> set[int]:
        return {*self.in_flight, *self.finished}

    @property
    def used(self) -> int:
        return len(self.in_flight) + len(self.finished)

    @property
    def limit(self) -> int:
        return min(self.search.budget, self.cell_count)

    def may_propose(self) -> bool:
        return not self.stopped and self.used < self.limit

    def start(self, cell: int, trial: int | None) -> None:
        if cell in self.taken:
            raise ValueError(f"cell {cell} is already run or in flight")
        self.in_flight[cell] = trial

    def finish(self, cell: int, value: float | None) -> None:
        self.in_flight.pop(cell, None)
        value = finite(value)
        if cell in self.finished and (value is None or self.finished[cell] is not None):
            return  # told again (a resumed driver, a repeated event): the first value stands
        self.finished[cell] = value
        self.history.append(Told(cell, value))
        if value is not None and (self.best is None or self.search.better(value, self.best.value or 0.0)):
            self.best = Told(cell, value)

    def finish_all(self, told: Iterable[Told]) -> None:
        for t in told:
            self.finish(t.cell, t.value)

    def state(self) -> SearchState:
        done = len(self.finished) >= self.limit
        return SearchState(budget=self.limit, finished=len(self.finished),
                           failed=sum(v is None for v in self.finished.values()),
                           in_flight=tuple(sorted(self.in_flight)),
                           best_cell=self.best.cell if self.best else None,
                           best_value=self.best.value if self.best else None, done=done)


class Search(Protocol):
    """What the driver calls, whichever sampler is behind it (grid.py, study.py); each call
    holds the search's lock, so one thread may propose while another tells."""

    @property
    def objective(self) -> str: ...
    def propose(self) -> Proposal | None: ...
    def may_propose(self) -> bool: ...
    def tell(self, cell: int, value: float | None) -> None: ...
    def stop(self) -> None: ...
    def state(self) -> SearchState: ...
    def history(self) -> list[Told]: ...
    def close(self) -> None: ...


class LedgerSearch:
    """What every search does the same way: its ledger, and one lock around each call (the
    driver proposes from its queueing thread and tells from the thread that saves a cell).
    A search says only how it proposes (`_propose`) and takes a value (`_tell`)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.lock = threading.RLock()

    @property
    def objective(self) -> str:
        """The metric it is told (by its name on the Grid Assembler)."""
        return self.ledger.search.settings.objective

    def propose(self) -> Proposal | None:
        with self.lock:
            return self._propose()

    def may_propose(self) -> bool:
        """Whether it would propose a cell now: not stopped, and budget left."""
        with self.lock:
            return self.ledger.may_propose()

    def tell(self, cell: int, value: float | None) -> None:
        with self.lock:
            self._tell(cell, value)

    def _propose(self) -> Proposal | None:
        raise NotImplementedError

    def _tell(self, cell: int, value: float | None) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Cancel: propose nothing more (cells in flight may still be told)."""
        self.ledger.stopped = True

    def state(self) -> SearchState:
        with self.lock:
            return self.ledger.state()

    def history(self) -> list[Told]:
        with self.lock:
            return list(self.ledger.history)
