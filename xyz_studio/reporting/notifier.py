"""What the core tells the open editors, through one injected object.

The core decides when there is something to tell: an experiment started, a cell was
saved or failed, the experiment was assembled, cancelled, resumed, retried or
deleted, or a queued workflow was refused. The host decides how it travels
(ComfyUI's websocket, to every tab: `host.adapter.NOTIFIER`). The headless runner
and the unit tests pass `SILENT`; a test that wants to see what was told passes a
list-backed notifier of its own.

Telling is a courtesy: the store and the manifest hold the truth, and the editor reads
them again after a quiet spell. So a notifier that fails never fails the step that
told it (`safely`).
"""
from __future__ import annotations

import logging
from typing import Protocol

from ..planning.plan import Plan
from ..protocol import CellEvent, DeletedEvent, ExperimentEvent, RefusedEvent
from ..storage.records import ExperimentStatus
from ..storage.store import ExperimentStore

log = logging.getLogger("xyz_studio")


class Notifier(Protocol):
    def experiment(self, event: ExperimentEvent) -> None: ...

    def cell(self, event: CellEvent) -> None: ...

    def deleted(self, event: DeletedEvent) -> None: ...

    def refused(self, event: RefusedEvent) -> None: ...


class _Silent:
    """Tells nobody (the runner has no browser; unit tests check the store instead)."""

    def experiment(self, event: ExperimentEvent) -> None:
        pass

    def cell(self, event: CellEvent) -> None:
        pass

    def deleted(self, event: DeletedEvent) -> None:
        pass

    def refused(self, event: RefusedEvent) -> None:
        pass


SILENT: Notifier = _Silent()


def safely(tell: Notifier, event: CellEvent | ExperimentEvent | DeletedEvent | RefusedEvent) -> None:
    """Hand `event` to the notifier's method for its kind; a failure is logged, never raised."""
    try:
        if isinstance(event, CellEvent):
            tell.cell(event)
        elif isinstance(event, ExperimentEvent):
            tell.experiment(event)
        elif isinstance(event, DeletedEvent):
            tell.deleted(event)
        else:
            tell.refused(event)
    except Exception:  # the cell or the experiment is recorded either way
        log.debug("xyz_studio: could not tell the editors of %s", type(event).__name__, exc_info=True)


def tell_state(notifier: Notifier, store: ExperimentStore, experiment_id: str,
               status: ExperimentStatus | None = None, *, to_its_panel: bool = False) -> None:
    """Tell every tab an experiment's status (the stored one unless given) and its counts
    and grids as the store has them now. With `to_its_panel` the event also names the Grid
    Assembler and the editor workflow it runs through, so the panel of that node shows it
    even if it showed another experiment: only for a run that was just queued or drawn,
    never for one changed from the sidebar (a pick there leaves the panels alone)."""
    if notifier is SILENT:
        return  # nobody to tell (the runner, a cancel's own assembling): no store reads for it
    experiment = store.experiment(experiment_id)
    counts = store.counts(experiment_id)
    assembler = workflow = None
    if to_its_panel:
        plan = experiment.plan
        assembler = plan.assembler_id if isinstance(plan, Plan) else None  # None: a newer pack's plan
        workflow = experiment.workflow_id
    safely(notifier, ExperimentEvent(experiment=experiment_id, status=status or experiment.status,
                                     total=counts.total, done=counts.done, failed=counts.failed,
                                     counts=counts.to_json(), grids=[g.file for g in experiment.grids],
                                     assembler=assembler, workflow=workflow))
