"""HTTP routes of the pack (thin: the answers are computed in xyz_studio.api_views)."""
from __future__ import annotations

from aiohttp import web

from ..xyz_studio import api_views
from ..xyz_studio import protocol as P
from ..xyz_studio.store import ExperimentStore
from . import comfy_host


def _store() -> ExperimentStore:
    return ExperimentStore(comfy_host.studio_root())


def _reply(result: api_views.Response) -> web.Response:
    status, body = result
    return web.json_response(body, status=status)


async def list_experiments(request: web.Request) -> web.Response:
    return _reply(api_views.list_experiments(_store(), dict(request.query)))


async def experiment_status(request: web.Request) -> web.Response:
    return _reply(api_views.experiment_status(_store(), request.match_info["experiment_id"]))


async def experiment_manifest(request: web.Request) -> web.Response:
    return _reply(api_views.experiment_manifest(_store(), request.match_info["experiment_id"]))


def register() -> None:
    routes = comfy_host.routes()
    routes.get(P.ROUTE_EXPERIMENTS)(list_experiments)
    routes.get(P.ROUTE_EXPERIMENT)(experiment_status)
    routes.get(P.ROUTE_MANIFEST)(experiment_manifest)
