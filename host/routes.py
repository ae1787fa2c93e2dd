"""HTTP routes of the pack (thin: answers come from xyz_studio.api_views / experiment).

Blocking work (SQLite, reading the queue, drawing partial grids) runs in a worker
thread so the server's event loop keeps serving. Every error the core raises is
answered with the status from api_views.HTTP_STATUS and a JSON {"error": message}.
"""
from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from ..xyz_studio import api_views
from ..xyz_studio import protocol as P
from ..xyz_studio.answers import CancelledAnswer, DeletedAnswer, RenamedAnswer, RequeuedAnswer
from ..xyz_studio.comfyui.client import AccessRefused
from ..xyz_studio.errors import StudioError
from ..xyz_studio.experiment.cancel import cancel
from ..xyz_studio.experiment.delete import delete, rename
from ..xyz_studio.experiment.requeue import resume, retry_failed
from ..xyz_studio.export.cells_zip import zip_cells
from ..xyz_studio.export.flipbook import Flipbook, flipbook_for
from ..xyz_studio.export.html_viewer import export_html, zip_folder
from ..xyz_studio.export.sources import FolderSource
from ..xyz_studio.protocol import strict_json
from ..xyz_studio.storage.store import ExperimentStore
from . import adapter, credentials

log = logging.getLogger(__name__)
_STREAMING = "xyz_studio.streaming"  # set on a request once its answer has started to go out


def _json(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=strict_json)


def _store() -> ExperimentStore:
    return ExperimentStore(adapter.studio_root())


async def _blocking(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args))


async def _json_off_loop(fn: Callable[..., Any], *args: Any) -> web.Response:
    """`fn`'s answer as JSON, worked out and encoded in a worker thread: a 10,000-cell manifest is
    megabytes of text, and encoding it on the event loop would stall ComfyUI's own routes meanwhile."""
    text = await _blocking(lambda: strict_json(fn(*args)))
    return web.Response(text=text, content_type="application/json")


def _id(request: web.Request) -> str:
    return request.match_info["experiment_id"]


def _server_state(headers: credentials.Headers) -> api_views.ServerState:
    """What the live server holds (reads GET /queue: call it off the event loop)."""
    return api_views.ServerState(
        started=adapter.SERVER_STARTED,
        queued=adapter.queued_prompt_ids(headers, max_age=adapter.QUEUE_READ_MAX_AGE),
        fresh_queue=lambda: adapter.queued_prompt_ids(headers))


def _headers(request: web.Request) -> credentials.Headers:
    return credentials.passed_on(request.headers)


def _answers_errors(handler: Callable[[web.Request], Any]) -> Callable[[web.Request], Any]:
    """The one error path of the routes: the core's errors get their status from
    api_views.HTTP_STATUS; anything else is a bug, logged, and still answered as JSON."""
    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except StudioError as e:
            shown = adapter.access_refused(e) if isinstance(e, AccessRefused) else e
            return _json(api_views.error_body(shown), status=api_views.http_status(shown))
        except (web.HTTPException, ConnectionError):
            raise  # aiohttp's own answers; a client that went away
        except Exception as e:
            if request.get(_STREAMING):
                raise  # the answer is on its way: a second one cannot follow it; aiohttp closes the connection
            log.exception("xyz_studio: %s %s failed", request.method, request.path)
            return _json({"error": f"XYZ Plot Studio failed to answer: {type(e).__name__}: {e}"}, status=500)
    return answer


@_answers_errors
async def list_experiments(request: web.Request) -> web.Response:
    query, headers = dict(request.query), _headers(request)
    return await _json_off_loop(lambda: api_views.list_experiments(_store(), query, _server_state(headers)))


@_answers_errors
async def latest_experiment(request: web.Request) -> web.Response:
    query = dict(request.query)
    return await _json_off_loop(lambda: api_views.latest_experiment(_store(), query))


@_answers_errors
async def experiment_status(request: web.Request) -> web.Response:
    experiment_id, headers = _id(request), _headers(request)
    return await _json_off_loop(
        lambda: api_views.experiment_status(_store(), experiment_id, _server_state(headers)))


@_answers_errors
async def health(request: web.Request) -> web.Response:
    headers = _headers(request)
    return await _json_off_loop(lambda: api_views.health(_store(), _server_state(headers)))


@_answers_errors
async def experiment_manifest(request: web.Request) -> web.Response:
    experiment_id, headers = _id(request), _headers(request)
    return await _json_off_loop(
        lambda: api_views.experiment_manifest(_store(), experiment_id, _server_state(headers)))


@_answers_errors
async def experiment_workflow(request: web.Request) -> web.Response:
    return await _json_off_loop(api_views.experiment_workflow, _store(), _id(request))


@_answers_errors
async def experiment_file(request: web.Request) -> web.StreamResponse:
    path = await _blocking(api_views.experiment_file, _store(), _id(request), request.match_info["name"])
    return web.FileResponse(path)


@_answers_errors
async def experiment_thumbnail(request: web.Request) -> web.StreamResponse:
    path = await _blocking(api_views.experiment_thumbnail, _store(), _id(request), request.match_info["name"],
                           request.query.get("size"))
    # the name says which copy; a newer source gets a new Last-Modified, so a revalidation is enough
    return web.FileResponse(path, headers={"Cache-Control": "no-cache", "Content-Type": "image/webp"})


ZIP_CHUNK = 1 << 20


def _export_zip(experiment_id: str) -> Path:
    """The experiment's standalone viewer as a zip in a temporary file (the caller removes it)."""
    store = _store()
    with tempfile.TemporaryDirectory(prefix="xyz-export-") as folder:
        export_html(FolderSource(store, experiment_id), Path(folder) / "viewer")
        handle, name = tempfile.mkstemp(prefix="xyz-export-", suffix=".zip")
        os.close(handle)
        zip_folder(Path(folder) / "viewer", Path(name))
    return Path(name)


def _cells_zip(experiment_id: str) -> Path:
    """The experiment's finished cells and manifest as a zip in a temporary file (the caller removes it)."""
    handle, name = tempfile.mkstemp(prefix="xyz-cells-", suffix=".zip")
    os.close(handle)
    try:
        zip_cells(_store(), api_views.check_id(experiment_id), Path(name))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


@_answers_errors
async def experiment_export_html(request: web.Request) -> web.StreamResponse:
    experiment_id = _id(request)
    return await _send_zip(request, await _blocking(_export_zip, experiment_id), f"xyz-{experiment_id}-viewer.zip")


@_answers_errors
async def experiment_export_cells(request: web.Request) -> web.StreamResponse:
    experiment_id = _id(request)
    return await _send_zip(request, await _blocking(_cells_zip, experiment_id), f"xyz-{experiment_id}-cells.zip")


def _flipbook(experiment_id: str, query: dict[str, str]) -> tuple[str, Flipbook]:
    """An animated WebP or GIF along one axis, from the experiment's own folder only."""
    request, book = flipbook_for(FolderSource(_store(), api_views.check_id(experiment_id)), query)
    return book.filename(experiment_id, request.axis), book


@_answers_errors
async def experiment_export_flipbook(request: web.Request) -> web.Response:
    filename, book = await _blocking(_flipbook, _id(request), dict(request.query))
    return web.Response(body=book.data, content_type=book.format.mime,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def _send_zip(request: web.Request, archive: Path, filename: str) -> web.StreamResponse:
    """Stream a temporary zip as an attachment, and remove it."""
    try:
        answer = web.StreamResponse(headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{filename}"'})
        answer.content_length = archive.stat().st_size
        await answer.prepare(request)
        request[_STREAMING] = True
        with archive.open("rb") as data:
            while chunk := await _blocking(data.read, ZIP_CHUNK):
                await answer.write(chunk)
        await answer.write_eof()
        return answer
    finally:
        archive.unlink(missing_ok=True)


@_answers_errors
async def experiment_export_script(request: web.Request) -> web.Response:
    client = adapter.client(_headers(request))
    text = await _blocking(api_views.experiment_script, _store(), _id(request), client.object_info)
    return web.Response(text=text, content_type="text/x-python", charset="utf-8",
                        headers={"Content-Disposition": f'inline; filename="xyz-{_id(request)}.py"'})


Action = Callable[[str, str | None, credentials.Headers], Any]


def _action_route(action: Action) -> Callable[[web.Request], Any]:
    @_answers_errors
    async def handler(request: web.Request) -> web.Response:
        experiment_id = _id(request)
        await _blocking(lambda: _store().experiment(api_views.check_id(experiment_id)))  # 404 before reading a body
        api_views.check_body_size(request.content_length)  # refuse before reading it into memory
        body = api_views.parse_body(await request.content.read(api_views.MAX_BODY + 1))
        headers = _headers(request)
        result = await _blocking(action, experiment_id, body.client_id, headers)
        return _json(result.to_json())
    return handler


def _cancel(experiment_id: str, _client_id: str | None, headers: credentials.Headers) -> CancelledAnswer:
    return cancel(_store(), adapter.client(headers), experiment_id, adapter.history_reader(headers), adapter.NOTIFIER)


def _resume(experiment_id: str, client_id: str | None, headers: credentials.Headers) -> RequeuedAnswer:
    return resume(_store(), adapter.client(headers), experiment_id, client_id, adapter.NOTIFIER)


def _delete(experiment_id: str, _client_id: str | None, headers: credentials.Headers) -> DeletedAnswer:
    return delete(_store(), adapter.client(headers), experiment_id, adapter.SERVER_STARTED, adapter.NOTIFIER)


@_answers_errors
async def experiment_rename(request: web.Request) -> web.Response:
    experiment_id = _id(request)
    await _blocking(lambda: _store().experiment(api_views.check_id(experiment_id)))  # 404 before reading a body
    api_views.check_body_size(request.content_length)
    name = api_views.parse_rename(await request.content.read(api_views.MAX_BODY + 1))
    await _blocking(rename, _store(), experiment_id, name)
    return _json(RenamedAnswer(id=experiment_id, name=name).to_json())


def _retry(experiment_id: str, client_id: str | None, headers: credentials.Headers) -> RequeuedAnswer:
    return retry_failed(_store(), adapter.client(headers), experiment_id, client_id, adapter.NOTIFIER)


async def served_frontend(request: web.Request) -> web.Response:
    return _json(api_views.served_frontend(*adapter.frontend_args()))


def register() -> None:
    routes = adapter.routes()
    routes.get(P.ROUTE_HEALTH)(health)
    routes.get(api_views.ROUTE_FRONTEND)(served_frontend)
    routes.get(P.ROUTE_EXPERIMENTS)(list_experiments)
    routes.get(P.ROUTE_EXPERIMENT)(experiment_status)
    routes.get(P.ROUTE_MANIFEST)(experiment_manifest)
    routes.get(P.ROUTE_WORKFLOW)(experiment_workflow)
    routes.get(P.ROUTE_FILE)(experiment_file)
    routes.get(P.ROUTE_THUMBNAIL)(experiment_thumbnail)
    routes.get(P.ROUTE_EXPORT_HTML)(experiment_export_html)
    routes.get(P.ROUTE_EXPORT_SCRIPT)(experiment_export_script)
    routes.get(P.ROUTE_EXPORT_CELLS)(experiment_export_cells)
    routes.get(P.ROUTE_EXPORT_FLIPBOOK)(experiment_export_flipbook)
    routes.get(P.ROUTE_LATEST)(latest_experiment)
    routes.post(P.ROUTE_CANCEL)(_action_route(_cancel))
    routes.post(P.ROUTE_RESUME)(_action_route(_resume))
    routes.post(P.ROUTE_RETRY)(_action_route(_retry))
    routes.post(P.ROUTE_DELETE)(_action_route(_delete))
    routes.post(P.ROUTE_RENAME)(experiment_rename)
