"""An experiment's search, opened from the store: the dispatch asks it for the next cell and tells it
each cell's value (servers/dispatch.py).

The store is the truth about cells (durable.py): the search is opened with every cell the
store has settled (its objective's value; None for a failed cell or a missing value), so a
resume after kill -9 continues the same study and never runs a finished cell again. Not
imported by the package's __init__: it reads the store's records, which import settings.py.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ..errors import StudioError
from ..planning.plan import Plan
from ..storage.records import Cell, CellStatus
from .durable import STUDY_DB_NAME, close_storage, load_optuna, study_name, study_storage
from .ledger import Search
from .settings import ResolvedSearch, SearchSampler, SearchSettings, resolve
from .space import SearchSpace
from .study import open_search

log = logging.getLogger("xyz_studio")


def resolved_for(plan: Plan, settings: SearchSettings) -> ResolvedSearch:
    """Stored settings checked against the stored plan again (they were checked when it started)."""
    metric = next((m for m in plan.metrics if m.name == settings.objective), None)
    if metric is None:
        raise StudioError(f"the search's objective {settings.objective!r} is not one of the experiment's metrics")
    return resolve(settings, metric, plan.cell_count)


def settled_values(cells: Iterable[Cell], objective: str) -> dict[int, float | None]:
    """Each settled cell's value of the objective: a done cell's metric, None for a failed one."""
    values: dict[int, float | None] = {}
    for cell in cells:
        if cell.status == CellStatus.DONE:
            values[cell.index] = cell.metrics.get(objective)
        elif cell.status == CellStatus.FAILED:
            values[cell.index] = None
    return values


def open_experiment_search(root: Path, experiment_id: str, plan: Plan, settings: SearchSettings,
                           cells: Iterable[Cell]) -> Search:
    """The experiment's search (its study made on the first call, reopened after), caught up with `cells`."""
    search = resolved_for(plan, settings)
    return open_search(search, SearchSpace.of_plan(plan), plan.run_sequence(), root, study_name(experiment_id),
                       settled_values(cells, settings.objective))


def forget_study(root: Path, experiment_id: str, settings: SearchSettings | None) -> None:
    """Delete the experiment's study with the experiment (nothing for a sweep or the grid sampler)."""
    if settings is None or settings.sampler == SearchSampler.GRID or not (root / STUDY_DB_NAME).is_file():
        return
    optuna = load_optuna()
    storage = study_storage(root)
    try:
        optuna.delete_study(study_name=study_name(experiment_id), storage=storage)
    except KeyError:
        pass  # never made (its first cell was refused), or deleted before
    finally:
        close_storage(storage)
