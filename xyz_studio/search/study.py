"""The Optuna study behind a TPE or random search: proposes cells, hears their values, survives a kill.

One driver process uses a study at a time (the ComfyUI server running the experiment),
so a trial left RUNNING when the study is opened was in flight when the last driver
died or was cancelled. Opening reconciles the study with `settled` (the store's finished
cells, the truth about cells, durable.py):
- a RUNNING trial whose cell the store has finished is told the stored value: the cell
  is never run again;
- any other RUNNING trial is failed and marked abandoned, and its cell is proposed again
  first (the sampler chose it; only the kill kept it from running);
- a cell the store finished that no trial holds (saved, then killed before the tell) is
  added as a finished trial.
Trials that are not a cell of their own carry `xyz_role` (duplicate, abandoned) and are
failed, which TPE ignores; every other trial is one cell, named by its parameters.
Proposals not made by the sampler (the coarse pass, a cell again after a kill, the free
cell nearest to a duplicate) are added as RUNNING trials with their parameters fixed, so
the sampler learns from them like any other cell.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StudioError
from ..protocol import TextEnum
from .coarse import nearest_free, spread
from .durable import close_storage, load_optuna, study_storage
from .ledger import Ledger, LedgerSearch, Proposal, Search, finite
from .settings import ResolvedSearch, SearchSampler
from .space import SearchSpace

ROLE, CELL, COARSE = "xyz_role", "xyz_cell", "xyz_coarse"  # trial user attributes
SETTINGS, SPACE = "xyz_settings", "xyz_space"                # study user attributes
STARTUP_MAX, STARTUP_MIN = 10, 3  # TPE's random start: Optuna's 10, fewer for a small budget (a fifth of it)


class TrialRole(TextEnum):
    DUPLICATE = "duplicate"  # the sampler proposed a cell already taken; the nearest free cell went instead
    ABANDONED = "abandoned"  # in flight when the last driver stopped; its cell is proposed again


class StudyMismatch(StudioError):
    """The stored study was made for other search settings or another plan than the ones it is opened with."""


def _identity(search: ResolvedSearch) -> dict[str, Any]:
    """What a study may not change once started (the budget may: a resumed search can be given more)."""
    s = search.settings
    return {"objective": s.objective, "goal": search.goal.value, "sampler": s.sampler.value, "seed": s.seed,
            "coarse_cells": search.coarse_cells}


class OptunaSearch(LedgerSearch):
    """A TPE or random search over `space`, stored in `storage` (an Optuna storage) as study `name`."""

    def __init__(self, search: ResolvedSearch, space: SearchSpace, storage: Any, name: str,
                 settled: Mapping[int, float | None] = {}, owns_storage: bool = False):
        self.optuna = optuna = load_optuna()
        self.search, self.space, self.storage, self.owns_storage = search, space, storage, owns_storage
        self.distributions = space.distributions(optuna)
        super().__init__(Ledger(search, space.cell_count))
        # created without a sampler first, to count the trials a resumed sampler is seeded after
        study = optuna.create_study(storage=storage, study_name=name, load_if_exists=True,
                                    direction="maximize" if search.maximize else "minimize")
        self._check_or_record(study)
        before = len(study.get_trials(deepcopy=False))
        self.study = optuna.load_study(study_name=name, storage=storage, sampler=self._sampler(before))
        # the study's own storage object (Optuna wraps an RDB storage in a cache): trials written
        # beside the study's back through the bare storage would be missed by that cache
        self.api = self.study._storage
        self.study_id = self.api.get_study_id_from_name(name)
        self.coarse = spread(space, search.coarse_cells, search.settings.seed)
        self._again: list[tuple[int, bool]] = []
        self._reconcile(settled)

    @classmethod
    def open(cls, search: ResolvedSearch, space: SearchSpace, root: Path | None, name: str,
             settled: Mapping[int, float | None] = {}) -> OptunaSearch:
        """The study `name` in the studio folder `root` (made if new); None: in memory (benchmarks)."""
        if root is None:
            return cls(search, space, load_optuna().storages.InMemoryStorage(), name, settled, owns_storage=True)
        return cls(search, space, study_storage(root), name, settled, owns_storage=True)

    # -- opening ---------------------------------------------------------------------

    def _check_or_record(self, study: Any) -> None:
        stored = study.user_attrs
        identity, fingerprint = _identity(self.search), self.space.to_dict()
        if SETTINGS not in stored:
            study.set_user_attr(SETTINGS, identity)
            study.set_user_attr(SPACE, fingerprint)
            return
        if stored[SETTINGS] != identity or stored[SPACE] != fingerprint:
            what = "search settings" if stored[SETTINGS] != identity else "axes"
            raise StudyMismatch(f"this experiment's search was started with other {what} "
                                f"(stored: {stored[SETTINGS]}; now: {identity}); resume it with the settings it "
                                "started with, or start a new experiment")

    def _sampler(self, trials_before: int) -> Any:
        # Seeded by the search seed AND the trials already made: a resumed sampler drawing the
        # same random numbers as the first session would propose the cells already run.
        seed = int(np.random.SeedSequence([self.search.settings.seed, trials_before]).generate_state(1)[0])
        samplers = self.optuna.samplers
        if self.search.settings.sampler == SearchSampler.RANDOM:
            return samplers.RandomSampler(seed=seed)
        startup = min(STARTUP_MAX, max(STARTUP_MIN, self.search.budget // 5))
        return samplers.TPESampler(seed=seed, n_startup_trials=startup)

    def _reconcile(self, settled: Mapping[int, float | None]) -> None:
        TrialState = self.optuna.trial.TrialState
        trials = self.study.get_trials(deepcopy=False)
        held: set[int] = set()
        abandoned: list[tuple[int, bool]] = []  # cell, and whether the coarse pass had picked it
        for t in trials:  # finished cells first: they decide what a RUNNING trial is
            cell = self.space.cell_of(t.params)
            if t.state.is_finished() and ROLE not in t.user_attrs and cell is not None:
                held.add(cell)
                self.ledger.finish(cell, t.value if t.state == TrialState.COMPLETE else None)
        for t in trials:
            cell = self.space.cell_of(t.params)
            if t.state == TrialState.RUNNING:
                if cell is None or cell in held:
                    self._fail(t.number, TrialRole.DUPLICATE if cell is not None else TrialRole.ABANDONED)
                elif cell in settled:
                    self.study.tell(t.number, **self._outcome(settled[cell]))
                    held.add(cell)
                    self.ledger.finish(cell, settled[cell])
                else:
                    self._fail(t.number, TrialRole.ABANDONED)
                    abandoned.append((cell, bool(t.user_attrs.get(COARSE))))
            elif t.user_attrs.get(ROLE) == TrialRole.ABANDONED and cell is not None:
                abandoned.append((cell, bool(t.user_attrs.get(COARSE))))
        for cell, value in settled.items():
            # a cell no trial holds, or one failed in the study that a retry has since finished
            if cell not in held or (self.ledger.finished.get(cell) is None and finite(value) is not None):
                self._add(cell, self._outcome(value), coarse=False)
                self.ledger.finish(cell, value)
        self._again = [(c, coarse) for c, coarse in dict(abandoned).items() if c not in self.ledger.taken]
        # counted after the marks above: a coarse cell abandoned counts when it is proposed again
        self._coarse_used = sum(bool(t.user_attrs.get(COARSE)) for t in self.study.get_trials(deepcopy=False)
                                if ROLE not in t.user_attrs)

    # -- trials ----------------------------------------------------------------------

    def _outcome(self, value: float | None) -> dict[str, Any]:
        value = finite(value)
        if value is None:
            return {"state": self.optuna.trial.TrialState.FAIL}
        return {"values": value}

    def _fail(self, number: int, role: TrialRole, extra: Mapping[str, Any] = {}) -> None:
        trial_id = self.api.get_trial_id_from_study_id_trial_number(self.study_id, number)
        for key, value in {ROLE: role.value, **extra}.items():
            self.api.set_trial_user_attr(trial_id, key, value)
        self.study.tell(number, state=self.optuna.trial.TrialState.FAIL)

    def _add(self, cell: int, outcome: dict[str, Any], coarse: bool) -> int:
        """A trial for `cell` with its parameters fixed: RUNNING (outcome {}) or finished; its number."""
        trial_state = self.optuna.trial.TrialState
        state = outcome.get("state", trial_state.COMPLETE if "values" in outcome else trial_state.RUNNING)
        frozen = self.optuna.trial.create_trial(
            state=state, value=outcome.get("values"), params=self.space.params_of(cell),
            distributions=self.distributions, user_attrs={CELL: cell, COARSE: coarse})
        trial_id = self.api.create_new_trial(self.study_id, template_trial=frozen)
        return int(self.api.get_trial_number_from_id(trial_id))

    def _fixed(self) -> tuple[int, bool] | None:
        """The next cell that is not the sampler's to choose: one again after a kill, then the coarse pass."""
        taken = self.ledger.taken
        while self._again:
            cell, coarse = self._again.pop(0)
            if cell not in taken:
                self._coarse_used += coarse  # a coarse cell again stays one of the coarse pass's
                return cell, coarse
        if self._coarse_used < self.search.coarse_cells:
            for cell in self.coarse:
                if cell not in taken:
                    self._coarse_used += 1
                    return cell, True
        return None

    # -- the search ------------------------------------------------------------------

    def _propose(self) -> Proposal | None:
        """The next cell to run, or None (budget reached, stopped, or no free cell)."""
        if not self.ledger.may_propose():
            return None
        fixed = self._fixed()
        if fixed is not None:
            cell, coarse = fixed
            number = self._add(cell, {}, coarse)
            self.ledger.start(cell, number)
            return Proposal(cell, number, coarse)
        trial = self.study.ask(self.distributions)
        asked = self.space.cell_of(trial.params)
        if asked is not None and asked not in self.ledger.taken:
            trial.set_user_attr(CELL, asked)
            self.ledger.start(asked, trial.number)
            return Proposal(asked, trial.number)
        rng = np.random.default_rng([self.search.settings.seed, trial.number])
        instead = nearest_free(self.space, asked if asked is not None else 0, self.ledger.taken, rng)
        self._fail(trial.number, TrialRole.DUPLICATE, {CELL: asked, "xyz_instead": instead})
        if instead is None:
            return None
        number = self._add(instead, {}, coarse=False)
        self.ledger.start(instead, number)
        return Proposal(instead, number)

    def _tell(self, cell: int, value: float | None) -> None:
        """A proposed cell's metric value (None or not finite: the cell failed or had none)."""
        number = self.ledger.in_flight.get(cell)
        if number is not None:
            self.study.tell(number, **self._outcome(value))
        elif cell not in self.ledger.finished or (self.ledger.finished[cell] is None and finite(value) is not None):
            # a cell run outside the search's proposals, or a failed cell retried: a finished trial of its own
            self._add(cell, self._outcome(value), coarse=False)
        self.ledger.finish(cell, value)

    def close(self) -> None:
        if self.owns_storage:
            close_storage(self.storage)


def open_search(search: ResolvedSearch, space: SearchSpace, order: Sequence[int], root: Path | None,
                name: str, settled: Mapping[int, float | None] = {}) -> Search:
    """The search `search.settings.sampler` names: a GridSearch (no Optuna) or an OptunaSearch."""
    from .grid import GridSearch
    if search.settings.sampler == SearchSampler.GRID:
        return GridSearch(search, order, settled)
    return OptunaSearch.open(search, space, root, name, settled)
