"""The credentials each experiment's calls to ComfyUI carry, kept in this process's memory.

Shared and remote installs often put a login layer in front of every route of
ComfyUI; the pack's own calls (queueing cells, reading their history, cancel and
resume) must carry the headers of the user who queued the workflow, or that layer
refuses them. The host keeps a queued XYZ workflow's headers under its prompt id
(host/credentials.py); the experiment takes them over under its own id when it starts,
and again at a resume or retry (the caller may have logged in anew).

Headers are never written to a prompt, the store, a file or a log.
"""
from __future__ import annotations

import threading

Headers = dict[str, str]
KEEP_AT_MOST = 1000  # prompts and experiments this process still acts for; older ones are forgotten


class KeptCredentials:
    """Headers by prompt id or experiment id, oldest first, at most KEEP_AT_MOST of them."""

    def __init__(self) -> None:
        self._kept: dict[str, Headers] = {}
        self._guard = threading.Lock()

    def keep(self, key: str, headers: Headers | None) -> None:
        if not headers:
            return
        with self._guard:
            self._kept.pop(key, None)
            self._kept[key] = dict(headers)
            while len(self._kept) > KEEP_AT_MOST:
                del self._kept[next(iter(self._kept))]

    def take(self, key: str | None) -> Headers | None:
        """The headers kept under `key`, removed (a queued workflow's, taken over by its experiment)."""
        if not key:
            return None
        with self._guard:
            return self._kept.pop(key, None)

    def of(self, key: str) -> Headers | None:
        with self._guard:
            found = self._kept.get(key)
        return dict(found) if found else None


CREDENTIALS = KeptCredentials()  # one per process: the host's middleware and the experiments share it
