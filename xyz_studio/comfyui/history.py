"""Reading a finished prompt's outcome from ComfyUI's history (GET /history/{id}).

History entries carry a status with timestamped messages: execution_start,
execution_cached, execution_success, execution_error (with the node and exception)
or execution_interrupted.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..protocol import TextEnum

if TYPE_CHECKING:
    from .client import ComfyClient

HistoryEntry = dict[str, Any]  # one prompt's entry in ComfyUI's GET /history, as it answers it
HistoryLookup = Callable[[list[str]], dict[str, HistoryEntry]]  # prompt ids -> the entries found


class PromptState(TextEnum):
    SUCCESS = "success"
    ERROR = "error"
    INTERRUPTED = "interrupted"
    UNKNOWN = "unknown"          # no entry yet, or one without an outcome


@dataclass
class PromptOutcome:
    state: PromptState
    error: str = ""
    started: float | None = None     # seconds since the epoch
    finished: float | None = None

    @property
    def seconds(self) -> float | None:
        if self.started is None or self.finished is None:
            return None
        return max(0.0, self.finished - self.started)

    def timing(self) -> dict[str, float]:
        """The cell record's `started_at` and `seconds`, those that are known."""
        fields = {"started_at": self.started, "seconds": round(self.seconds, 4) if self.seconds is not None else None}
        return {k: v for k, v in fields.items() if v is not None}


def outcome(entry: HistoryEntry | None) -> PromptOutcome:
    """Interpret one history entry (None when the prompt never finished)."""
    if not entry:
        return PromptOutcome(PromptState.UNKNOWN, "the prompt never finished (server restarted or prompt removed)")
    status = entry.get("status") or {}
    messages = status.get("messages") or []
    result = PromptOutcome(PromptState.UNKNOWN)
    for event, data in messages:
        ts = (data or {}).get("timestamp")
        ts = ts / 1000.0 if isinstance(ts, (int, float)) else None
        if event == "execution_start":
            result.started = ts
        elif event == "execution_success":
            result.state, result.finished = PromptState.SUCCESS, ts
        elif event == "execution_error":
            node = data.get("node_type") or "node"
            node_id = data.get("node_id")
            where = f"{node} #{node_id}" if node_id is not None else node
            message = str(data.get("exception_message") or "no message").strip()
            result.state, result.finished = PromptState.ERROR, ts
            result.error = f"{where}: {data.get('exception_type', 'Error').split('.')[-1]}: {message}"
        elif event == "execution_interrupted":
            result.state, result.finished = PromptState.INTERRUPTED, ts
            result.error = "interrupted before it finished"
    if result.state == PromptState.UNKNOWN and status.get("status_str") == PromptState.SUCCESS.value:
        result.state = PromptState.SUCCESS
    return result


# ComfyUI keeps a bounded history (10,000 entries), and each entry holds its whole prompt:
# a large experiment's oldest cells may have none left, and reading thousands at once costs
# the server tens of megabytes. So a lookup reads at most BULK_MAX of the latest entries in
# one request and at most ONE_BY_ONE_MAX more one by one; a prompt it does not find reads as
# "no entry" (a finished cell then keeps no timing; a cell that never reached the Grid
# Assembler still fails, with a general reason). Nothing depends on an old entry being there.
BULK_MAX = 2000
ONE_BY_ONE_MAX = 256


def history_lookup(client: ComfyClient) -> HistoryLookup:
    """A lookup of history entries through `client`: one bulk read of the latest entries,
    then one by one for (at most ONE_BY_ONE_MAX of) the prompts it did not hold."""
    def lookup(prompt_ids: list[str]) -> dict[str, HistoryEntry]:
        found = client.recent_history(min(len(prompt_ids) + 64, BULK_MAX))
        entries = {pid: found[pid] for pid in prompt_ids if pid in found}
        for pid in [pid for pid in prompt_ids if pid not in entries][:ONE_BY_ONE_MAX]:
            entry = client.history(pid)
            if entry:
                entries[pid] = entry
        return entries
    return lookup
