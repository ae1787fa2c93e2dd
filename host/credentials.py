"""The caller's credentials, passed on to the pack's own calls to its server.

The Grid Driver queues cells through the server's own HTTP API. Shared and remote
installs often put a login layer (a pack's aiohttp middleware, a token header, a
session cookie) in front of every route; a call without the credentials of the user
who queued the workflow is refused there. So:

* a middleware remembers, for the length of each request, the headers it came with;
* the prompt handler, which runs inside POST /prompt, keeps those headers for an XYZ
  workflow under its prompt id (giving it one if the client did not);
* the Grid Driver takes them over for its experiment, and every later call made for
  that experiment (cells, history, cancel, resume from a route) sends them again.

Headers live in this process's memory only: never in a prompt, the store, a file or a
log. Headers that describe the connection, the body, a proxy's forwarding, the
browser's fetch metadata or a conditional request, and Origin/Referer (ComfyUI's origin
check compares them with the Host of the call, which is 127.0.0.1 here), are not
passed on.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from ..xyz_studio import protocol as P

Headers = dict[str, str]

_NOT_PASSED_ON = frozenset({
    "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection",
    "keep-alive", "upgrade", "expect", "te", "trailer", "accept-encoding", "origin", "referer",
    "proxy-authorization", "proxy-connection", "forwarded", "x-real-ip", "range", "cache-control", "pragma",
})
# whole families: proxies' forwarding records, the browser's fetch metadata, conditional requests
_NOT_PASSED_ON_PREFIXES = ("x-forwarded-", "sec-", "if-")
_request_headers: ContextVar[Headers | None] = ContextVar("xyz_studio_request_headers", default=None)
_kept: dict[str, Headers] = {}   # prompt id or experiment id -> headers, oldest first
_KEEP_AT_MOST = 1000             # experiments this process still acts for; older ones are forgotten
_guard = threading.Lock()


def passed_on(headers: Mapping[str, str]) -> Headers:
    """The headers of a request that a call on its behalf carries again."""
    return {k: v for k, v in headers.items()
            if k.lower() not in _NOT_PASSED_ON and not k.lower().startswith(_NOT_PASSED_ON_PREFIXES)}


def middleware() -> Any:
    """An aiohttp middleware that makes each request's headers visible to the prompt handler."""
    from aiohttp import web

    @web.middleware
    async def remember_request_headers(request: Any, handler: Any) -> Any:
        token = _request_headers.set(passed_on(request.headers))
        try:
            return await handler(request)
        finally:
            _request_headers.reset(token)
    return remember_request_headers


def keep_for_xyz_prompt(body: Any) -> Any:
    """Prompt handler: keep the headers of a POST /prompt that queues a Grid Driver."""
    headers = _request_headers.get()
    if not headers or not isinstance(body, dict) or not isinstance(body.get("prompt"), dict):
        return body
    if not any(isinstance(n, dict) and n.get("class_type") == P.NODE_DRIVER for n in body["prompt"].values()):
        return body
    prompt_id = body.get("prompt_id")
    if not isinstance(prompt_id, str) or not prompt_id:
        prompt_id = str(uuid.uuid4())
        body = {**body, "prompt_id": prompt_id}
    keep(prompt_id, headers)
    return body


def keep(key: str, headers: Headers | None) -> None:
    if headers:
        with _guard:
            _kept.pop(key, None)
            _kept[key] = dict(headers)
            while len(_kept) > _KEEP_AT_MOST:
                del _kept[next(iter(_kept))]


def take(prompt_id: str | None) -> Headers | None:
    """The headers kept for a queued XYZ workflow, removed from the table (the Grid
    Driver keeps them again under its experiment id)."""
    if not prompt_id:
        return None
    with _guard:
        return _kept.pop(prompt_id, None)


def of_experiment(experiment_id: str) -> Headers | None:
    with _guard:
        found = _kept.get(experiment_id)
    return dict(found) if found else None
