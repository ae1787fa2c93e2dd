"""Test-only pack (never shipped): a login layer in front of every route of ComfyUI.

Like the login packs of shared installs, an aiohttp middleware refuses any request
without the right credential: the header `X-Test-Token: <XYZ_TEST_TOKEN>` or the
cookie `test_session=<XYZ_TEST_TOKEN>`. With XYZ_TEST_ONE_TIME_TOKENS=1 a token is
good for one request only (as with one-time tokens), so replaying it is refused.
"""
import os

import server
from aiohttp import web

TOKEN = os.environ.get("XYZ_TEST_TOKEN", "let-me-in")
ONE_TIME = bool(os.environ.get("XYZ_TEST_ONE_TIME_TOKENS"))
_used: set[str] = set()


@web.middleware
async def login_required(request, handler):
    offered = request.headers.get("X-Test-Token") or request.cookies.get("test_session")
    if offered != TOKEN or (ONE_TIME and request.headers.get("X-Test-Nonce") in _used):
        return web.json_response({"error": "login required"}, status=401)
    if ONE_TIME:
        nonce = request.headers.get("X-Test-Nonce")
        if not nonce:
            return web.json_response({"error": "login required"}, status=401)
        _used.add(nonce)
    return await handler(request)


server.PromptServer.instance.app.middlewares.append(login_required)

NODE_CLASS_MAPPINGS: dict[str, type] = {}  # this test pack adds no nodes
