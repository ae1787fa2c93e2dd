"""What the core tells the open editors, through one injected object.

The core decides when there is something to tell (an experiment was cancelled,
resumed, retried or deleted; more kinds move here as the nodes get thinner); the host
decides how it travels (ComfyUI's websocket, to every tab: `host.adapter.NOTIFIER`).
The headless runner and the unit tests pass `SILENT`.
"""
from __future__ import annotations

from typing import Protocol

from ..protocol import DeletedEvent, ExperimentEvent
from ..storage.records import ExperimentStatus
from ..storage.store import ExperimentStore


class Notifier(Protocol):
    def experiment(self, event: ExperimentEvent) -> None: ...

    def deleted(self, event: DeletedEvent) -> None: ...


class _Silent:
    """Tells nobody (the runner has no browser; unit tests check the store instead)."""

    def experiment(self, event: ExperimentEvent) -> None:
        pass

    def deleted(self, event: DeletedEvent) -> None:
        pass


SILENT: Notifier = _Silent()


def tell_state(notifier: Notifier, store: ExperimentStore, experiment_id: str, status: ExperimentStatus) -> None:
    """Tell every tab an experiment's new status and its counts as the store has them now
    (a second tab's panel follows a cancel at once, instead of at its next quiet-spell read)."""
    counts = store.counts(experiment_id)
    grids = [g.file for g in store.experiment(experiment_id).grids]
    notifier.experiment(ExperimentEvent(experiment=experiment_id, status=status, total=counts.total,
                                        done=counts.done, failed=counts.failed, counts=counts.to_json(),
                                        grids=grids))
