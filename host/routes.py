"""HTTP routes of the pack (thin: answers come from xyz_studio.api_views / lifecycle).

Blocking work (SQLite, drawing partial grids, talking to the queue) runs in a worker
thread so the server's event loop keeps serving.
"""
from __future__ import annotations

import asyncio
from functools import partial

from aiohttp import web

from ..xyz_studio import api_views, lifecycle
from ..xyz_studio import protocol as P
from ..xyz_studio.storage.store import ExperimentStore
from . import adapter as comfy_host


def _store() -> ExperimentStore:
    return ExperimentStore(comfy_host.studio_root())


def _reply(result: api_views.Response) -> web.Response:
    status, body = result
    return web.json_response(body, status=status)


async def _blocking(fn, *args):
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args))


def _id(request: web.Request) -> str:
    return request.match_info["experiment_id"]


def _server_state() -> api_views.ServerState:
    queued = comfy_host.queued_prompt_ids()
    return api_views.ServerState(started=comfy_host.SERVER_STARTED,
                                 queued=frozenset(queued) if queued is not None else None)


async def list_experiments(request: web.Request) -> web.Response:
    return _reply(await _blocking(api_views.list_experiments, _store(), dict(request.query), _server_state()))


async def experiment_status(request: web.Request) -> web.Response:
    return _reply(await _blocking(api_views.experiment_status, _store(), _id(request), _server_state()))


async def experiment_manifest(request: web.Request) -> web.Response:
    return _reply(await _blocking(api_views.experiment_manifest, _store(), _id(request), _server_state()))


async def experiment_file(request: web.Request) -> web.StreamResponse:
    status, found = await _blocking(api_views.experiment_file, _store(), _id(request), request.match_info["name"])
    if status != 200:
        return web.json_response(found, status=status)
    return web.FileResponse(found)


def _lifecycle_route(action):
    async def handler(request: web.Request) -> web.Response:
        experiment_id = _id(request)
        _, problem = await _blocking(api_views.lookup, _store(), experiment_id)
        if problem:
            return _reply(problem)
        if (request.content_length or 0) > api_views.MAX_BODY:  # refuse before reading it into memory
            return _reply(api_views.error(413, f"body too large: at most {api_views.MAX_BODY} bytes"))
        body, problem = api_views.parse_body(await request.content.read(api_views.MAX_BODY + 1))
        if problem:
            return _reply(problem)
        try:
            result = await _blocking(action, experiment_id, body.get("client_id"))
        except lifecycle.LifecycleError as e:
            return _reply(api_views.error(e.status, str(e)))
        return web.json_response(result)
    return handler


def _cancel(experiment_id: str, _client_id: str | None) -> dict:
    return lifecycle.cancel(_store(), comfy_host.client(), experiment_id, comfy_host.history_lookup)


def _resume(experiment_id: str, client_id: str | None) -> dict:
    return lifecycle.resume(_store(), comfy_host.client(), experiment_id, client_id)


def _retry(experiment_id: str, client_id: str | None) -> dict:
    return lifecycle.retry_failed(_store(), comfy_host.client(), experiment_id, client_id)


def register() -> None:
    routes = comfy_host.routes()
    routes.get(P.ROUTE_EXPERIMENTS)(list_experiments)
    routes.get(P.ROUTE_EXPERIMENT)(experiment_status)
    routes.get(P.ROUTE_MANIFEST)(experiment_manifest)
    routes.get(P.ROUTE_FILE)(experiment_file)
    routes.post(P.ROUTE_CANCEL)(_lifecycle_route(_cancel))
    routes.post(P.ROUTE_RESUME)(_lifecycle_route(_resume))
    routes.post(P.ROUTE_RETRY)(_lifecycle_route(_retry))
