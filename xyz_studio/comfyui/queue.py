"""Reading ComfyUI's queue through the public GET /queue (hosts without the job API; see jobs.py).

Its answer is `{"queue_running": [item, ...], "queue_pending": [item, ...]}`; an item
is a list whose second element is the prompt id. That index has held from 0.3.x to
0.33; it is read here only, so a change upstream is mended in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROMPT_ID_AT = 1


@dataclass(frozen=True)
class QueueState:
    """Which prompts ComfyUI holds: pending (waiting) and running."""

    pending: frozenset[str]
    running: frozenset[str]

    @classmethod
    def parse(cls, answer: Any) -> QueueState:
        answer = answer if isinstance(answer, dict) else {}
        return cls(pending=_ids(answer.get("queue_pending")), running=_ids(answer.get("queue_running")))

    @property
    def held(self) -> frozenset[str]:
        return self.pending | self.running

    def holds(self, prompt_ids: set[str]) -> bool:
        return bool(prompt_ids & self.held)


def _ids(items: Any) -> frozenset[str]:
    return frozenset(str(item[PROMPT_ID_AT]) for item in items or ()
                     if isinstance(item, (list, tuple)) and len(item) > PROMPT_ID_AT)
