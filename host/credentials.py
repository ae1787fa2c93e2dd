"""The caller's credentials, passed on to the pack's own calls to its server.

The Grid Driver queues cells through the server's own HTTP API. Shared and remote
installs often put a login layer (a pack's aiohttp middleware, a token header, a
session cookie) in front of every route; a call without the credentials of the user
who queued the workflow is refused there. So:

* a middleware remembers, for the length of each request, the headers it came with;
* the prompt handler, which runs inside POST /prompt, keeps those headers for an XYZ
  workflow under its prompt id (giving it one if the client did not);
* the experiment takes them over when it starts, and every later call made for that
  experiment (cells, history, cancel, resume from a route) sends them again (the table
  is the core's: xyz_studio/comfyui/kept_credentials.py).

Headers live in this process's memory only: never in a prompt, the store, a file or a
log. Headers that describe the connection, the body, a proxy's forwarding, the
browser's fetch metadata or a conditional request, and Origin/Referer (ComfyUI's origin
check compares them with the Host of the call, which is 127.0.0.1 here), are not
passed on.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from ..xyz_studio import protocol as P
from ..xyz_studio.comfyui.kept_credentials import CREDENTIALS, Headers

_NOT_PASSED_ON = frozenset({
    "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection",
    "keep-alive", "upgrade", "expect", "te", "trailer", "accept-encoding", "origin", "referer",
    "proxy-authorization", "proxy-connection", "forwarded", "x-real-ip", "range", "cache-control", "pragma",
})
# whole families: proxies' forwarding records, the browser's fetch metadata, conditional requests
_NOT_PASSED_ON_PREFIXES = ("x-forwarded-", "sec-", "if-")
_request_headers: ContextVar[Headers | None] = ContextVar("xyz_studio_request_headers", default=None)


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
    CREDENTIALS.keep(prompt_id, headers)
    return body
