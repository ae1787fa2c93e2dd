"""The dispatches running in this process, by experiment (cancel, resume and the routes look here)."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dispatch import Dispatch

_live: dict[str, Dispatch] = {}
_live_lock = threading.Lock()


def register(dispatch: Dispatch) -> None:
    with _live_lock:
        _live[dispatch.experiment_id] = dispatch


def unregister(dispatch: Dispatch) -> None:
    with _live_lock:
        if _live.get(dispatch.experiment_id) is dispatch:
            del _live[dispatch.experiment_id]


def live(experiment_id: str) -> Dispatch | None:
    """The dispatch running this experiment in this process, if any."""
    with _live_lock:
        return _live.get(experiment_id)
