"""A notifier for unit tests: keeps what the core told, in order, to be asserted on."""
from __future__ import annotations

from xyz_studio.protocol import CellEvent, DeletedEvent, ExperimentEvent, RefusedEvent


class Told:
    def __init__(self) -> None:
        self.events: list[CellEvent | ExperimentEvent | DeletedEvent | RefusedEvent] = []

    def experiment(self, event: ExperimentEvent) -> None:
        self.events.append(event)

    def cell(self, event: CellEvent) -> None:
        self.events.append(event)

    def deleted(self, event: DeletedEvent) -> None:
        self.events.append(event)

    def refused(self, event: RefusedEvent) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]
