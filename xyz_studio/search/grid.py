"""The grid sampler: today's sweep, in the experiment's own run order, cut at the budget.

It needs no Optuna and keeps no study: the store already knows every finished cell, and
`settled` (the store's finished cells, handed over at open) is all a resume needs.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from .ledger import Ledger, Proposal, SearchState, Told
from .settings import ResolvedSearch


class GridSearch:
    """Proposes the cells of `order` (the plan's run_sequence) that are not yet taken."""

    def __init__(self, search: ResolvedSearch, order: Sequence[int], settled: Mapping[int, float | None]):
        self.ledger = Ledger(search, len(order))
        self.lock = threading.RLock()  # proposed from the queueing thread, told from the cell writer's
        self.order = list(order)
        self._next = 0
        self.ledger.finish_all(Told(cell, value) for cell, value in settled.items())

    def propose(self) -> Proposal | None:
        with self.lock:
            return self._propose()

    def _propose(self) -> Proposal | None:
        if not self.ledger.may_propose():
            return None
        taken = self.ledger.taken
        while self._next < len(self.order) and self.order[self._next] in taken:
            self._next += 1
        if self._next == len(self.order):
            return None
        cell = self.order[self._next]
        self.ledger.start(cell, None)
        return Proposal(cell)

    def tell(self, cell: int, value: float | None) -> None:
        with self.lock:
            self._tell(cell, value)

    def _tell(self, cell: int, value: float | None) -> None:
        self.ledger.finish(cell, value)

    def stop(self) -> None:
        self.ledger.stopped = True

    def state(self) -> SearchState:
        with self.lock:
            return self.ledger.state()

    def history(self) -> list[Told]:
        with self.lock:
            return list(self.ledger.history)

    def close(self) -> None:
        """Nothing to let go of: the grid keeps no study."""
