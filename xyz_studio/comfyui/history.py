"""Reading a finished prompt's outcome from ComfyUI's history (GET /history/{id}).

History entries carry a status with timestamped messages: execution_start,
execution_cached (the nodes served from cache), execution_success,
execution_error (with the node and exception) or execution_interrupted.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PromptOutcome:
    state: str                       # "success" | "error" | "interrupted" | "unknown"
    error: str = ""
    started: float | None = None     # seconds since the epoch
    finished: float | None = None
    cached_nodes: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float | None:
        if self.started is None or self.finished is None:
            return None
        return max(0.0, self.finished - self.started)


def outcome(entry: dict | None) -> PromptOutcome:
    """Interpret one history entry (None when the prompt never finished)."""
    if not entry:
        return PromptOutcome("unknown", "the prompt never finished (server restarted or prompt removed)")
    status = entry.get("status") or {}
    messages = status.get("messages") or []
    result = PromptOutcome("unknown")
    for event, data in messages:
        ts = (data or {}).get("timestamp")
        ts = ts / 1000.0 if isinstance(ts, (int, float)) else None
        if event == "execution_start":
            result.started = ts
        elif event == "execution_cached":
            result.cached_nodes = [str(n) for n in data.get("nodes") or []]
        elif event == "execution_success":
            result.state, result.finished = "success", ts
        elif event == "execution_error":
            node = data.get("node_type") or "node"
            node_id = data.get("node_id")
            where = f"{node} #{node_id}" if node_id is not None else node
            message = str(data.get("exception_message") or "error").strip()
            result.state, result.finished = "error", ts
            result.error = f"{where}: {data.get('exception_type', 'Error').split('.')[-1]}: {message}"
        elif event == "execution_interrupted":
            result.state, result.finished = "interrupted", ts
            result.error = "interrupted"
    if result.state == "unknown" and status.get("status_str") == "success":
        result.state = "success"
    return result
