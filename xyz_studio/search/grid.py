"""The grid sampler: today's sweep, in the experiment's own run order, cut at the budget.

It needs no Optuna and keeps no study: the store already knows every finished cell, and
`settled` (the store's finished cells, handed over at open) is all a resume needs.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .ledger import Ledger, LedgerSearch, Proposal, Told
from .settings import ResolvedSearch


class GridSearch(LedgerSearch):
    """Proposes the cells of `order` (the plan's run_sequence) that are not yet taken."""

    def __init__(self, search: ResolvedSearch, order: Sequence[int], settled: Mapping[int, float | None]):
        super().__init__(Ledger(search, len(order)))
        self.order = list(order)
        self._next = 0
        self.ledger.finish_all(Told(cell, value) for cell, value in settled.items())

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

    def _tell(self, cell: int, value: float | None) -> None:
        self.ledger.finish(cell, value)

    def close(self) -> None:
        """Nothing to let go of: the grid keeps no study."""
