"""What the W&B Logger node asks for, and what became of it: kept with the experiment in the store.

Neither record ever holds an API key: wandb reads it from its own places (the
WANDB_API_KEY environment variable or its login file), and the pack never looks.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..protocol import TextEnum


class TrackingMode(TextEnum):
    ONLINE = "online"      # to the W&B server (needs a key and the network)
    OFFLINE = "offline"    # to a local run folder, for `wandb sync` later
    DISABLED = "disabled"  # wired but off: nothing is logged


class TrackingStatus(TextEnum):
    STARTING = "starting"  # asked for; the run is not open yet
    LOGGING = "logging"    # the run is open and takes the cells as they finish
    FINISHED = "finished"  # the run is closed with the grids and the summary
    FAILED = "failed"      # the tracker could not log (see `problem`); the experiment runs on without it
    OFF = "off"            # mode "disabled"


@dataclass(frozen=True)
class TrackingSettings:
    """The W&B Logger node's widgets."""

    project: str = "xyz-plot-studio"
    entity: str = ""
    run_name: str = ""     # empty: the experiment's name
    tags: tuple[str, ...] = ()
    mode: TrackingMode = TrackingMode.OFFLINE
    log_cells: bool = True  # a table row with the image per cell (else only grids and summary)

    def to_json(self) -> dict[str, Any]:
        return {"project": self.project, "entity": self.entity, "run_name": self.run_name, "tags": list(self.tags),
                "mode": self.mode.value, "log_cells": self.log_cells}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackingSettings:
        return cls(project=str(data.get("project") or cls.project), entity=str(data.get("entity") or ""),
                   run_name=str(data.get("run_name") or ""), tags=tuple(str(t) for t in data.get("tags") or ()),
                   mode=TrackingMode(data.get("mode", TrackingMode.OFFLINE.value)),
                   log_cells=bool(data.get("log_cells", True)))


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma- or newline-separated tags, trimmed, empty ones and repeats dropped (W&B caps a tag at 64)."""
    seen: dict[str, None] = {}
    for part in text.replace("\n", ",").split(","):
        tag = part.strip()[:64]
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


@dataclass(frozen=True)
class TrackingState:
    """An experiment's tracking: its settings, the run it logs to and how that goes."""

    settings: TrackingSettings
    status: TrackingStatus = TrackingStatus.STARTING
    run_id: str = ""
    url: str | None = None      # online: the run's page
    folder: str | None = None   # offline: the run's folder, for `wandb sync`
    problem: str | None = None  # why tracking stopped, said once

    def to_json(self) -> dict[str, Any]:
        return {"settings": self.settings.to_json(), "status": self.status.value, "run_id": self.run_id,
                "url": self.url, "folder": self.folder, "problem": self.problem}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackingState:
        return cls(settings=TrackingSettings.from_json(data.get("settings") or {}),
                   status=TrackingStatus(data.get("status", TrackingStatus.STARTING.value)),
                   run_id=str(data.get("run_id") or ""), url=data.get("url"), folder=data.get("folder"),
                   problem=data.get("problem"))

    def but(self, **changes: Any) -> TrackingState:
        return replace(self, **changes)
