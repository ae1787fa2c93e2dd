"""Every touch of ComfyUI beyond the V3 node API, in one place.

ComfyUI moves fast; when something here changes upstream, this is the only file to
adapt. Each function feature-detects and uses public surfaces where one exists
(folder_paths, PromptServer routes and send_sync, the HTTP API). The README's
compatibility section lists each surface and why the pack needs it.
"""
from __future__ import annotations

import copy
import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..xyz_studio import protocol as P
from ..xyz_studio.comfyui.client import ComfyClient, ComfyError
from ..xyz_studio.comfyui.history import history_lookup
from ..xyz_studio.comfyui.node_specs import NodeSpec, parse_node_spec
from ..xyz_studio.errors import HostUnsupported

log = logging.getLogger("xyz_studio")

# When this server process loaded the pack: an experiment still marked running from
# before then was cut off by a restart (shown as "interrupted" until resumed).
SERVER_STARTED = time.time()


def always_changed() -> str:
    """A `fingerprint_inputs` result that never equals an earlier one, so ComfyUI runs the
    node every time. It is a string: ComfyUI stores the fingerprint inside the prompt,
    and GET /queue and /history must stay JSON (NaN, the usual trick, is not)."""
    return secrets.token_hex(8)


def execution_blocker() -> Any:
    """An output value that silently stops every node downstream of it."""
    try:
        from comfy_execution.graph_utils import ExecutionBlocker
    except ImportError:  # pragma: no cover - older layouts re-export it from execution
        from execution import ExecutionBlocker
    return ExecutionBlocker(None)


def _server() -> Any:
    from server import PromptServer
    return PromptServer.instance


def output_directory() -> Path:
    import folder_paths
    return Path(folder_paths.get_output_directory())


def temp_directory() -> Path:
    """ComfyUI's temp folder (emptied when ComfyUI starts): previews shown through /view?type=temp."""
    import folder_paths
    return Path(folder_paths.get_temp_directory())


def studio_root() -> Path:
    """<ComfyUI output>/xyz_studio: experiments and the store live here."""
    return output_directory() / P.OUTPUT_SUBFOLDER


# A wildcard listen address is reached through the loopback of the same family.
_LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def _cli_args() -> Any:
    try:
        from comfy.cli_args import args
    except ImportError:  # pragma: no cover - a host without ComfyUI's argument module
        return None
    return args


def frontend_args() -> tuple[str | None, str | None]:
    """ComfyUI's --front-end-root and --front-end-version (None when it has no such arguments)."""
    args = _cli_args()
    if args is None:
        return None, None
    return getattr(args, "front_end_root", None), getattr(args, "front_end_version", None)


def listen_address() -> tuple[str, int]:
    """The address and port this server listens on.

    `PromptServer.address`/`.port` are marked for removal upstream; without them, the
    parsed command line (--listen, --port) says the same. A guess such as 8188 could
    queue every cell on some other server, so when neither can be read, refuse.
    """
    server = _server()
    address, port = getattr(server, "address", None), getattr(server, "port", None)
    if address is None or not port:
        args = _cli_args()
        listen, port = getattr(args, "listen", None), getattr(args, "port", None)
        address = str(listen).split(",")[0].strip() if listen is not None else None
    if address is None or not isinstance(port, int) or not port:
        raise HostUnsupported("XYZ Plot Studio cannot tell which address and port this ComfyUI listens on "
                        "(PromptServer has no address/port and the command line has no --listen/--port); "
                        "the Grid Driver queues cells through the server's own HTTP API, so the experiment "
                        "was not started. Please report your ComfyUI version to the pack's issue tracker.")
    return _LOOPBACK_FOR.get(address, address), port


def server_url() -> str:
    """URL of this ComfyUI server, for queueing cells through its own POST /prompt."""
    address, port = listen_address()
    if ":" in address and not address.startswith("["):
        address = f"[{address}]"
    args = _cli_args()
    tls = getattr(args, "tls_keyfile", None) and getattr(args, "tls_certfile", None)
    return f"{'https' if tls else 'http'}://{address}:{port}"


_CLIENTS_KEPT = 16
_clients: dict[tuple[str, tuple[tuple[str, str], ...]], ComfyClient] = {}
_clients_lock = threading.Lock()


def client(headers: dict[str, str] | None = None) -> ComfyClient:
    """A client of this very server, sending `headers` (the credentials of whoever the
    call is made for: see host/credentials.py). One per set of headers is kept, so its
    kept-alive connections are reused. Over TLS the certificate is not checked: the call
    goes to 127.0.0.1, which a certificate issued for a host name would never match."""
    url = server_url()
    key = (url, tuple(sorted((headers or {}).items())))
    with _clients_lock:
        kept = _clients.get(key)
        if kept is None:
            kept = _clients[key] = _new_client(url, headers)
            while len(_clients) > _CLIENTS_KEPT:
                del _clients[next(iter(_clients))]  # the oldest; its sockets close with it
        return kept


def _new_client(url: str, headers: dict[str, str] | None) -> ComfyClient:
    context = None
    if url.startswith("https:"):
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return ComfyClient(url, ssl_context=context, headers=headers)


def running_prompt_id() -> str | None:
    """The id of the prompt the worker is running (the V3 execution context where the
    host has one, else the server's record of the last prompt it started)."""
    try:
        from comfy_execution.utils import get_executing_context
        context = get_executing_context()
        if context is not None and getattr(context, "prompt_id", None):
            return str(context.prompt_id)
    except ImportError:  # pragma: no cover - older hosts
        pass
    prompt_id = getattr(_server(), "last_prompt_id", None)
    return str(prompt_id) if prompt_id else None


def access_refused(error: ComfyError) -> HostUnsupported:
    """What to tell the user when a login layer refuses the pack's own calls."""
    return HostUnsupported(
        f"ComfyUI refused XYZ Plot Studio's own request ({error.status} from {error.url_path}): a login layer in "
        "front of ComfyUI's API did not accept the credentials the pack passed on from your request (it sends "
        "them again for its own calls to ComfyUI, such as queueing cells and reading their results). Nothing was "
        "queued. Let requests from 127.0.0.1 through the login layer, or use a credential it accepts more than "
        "once (a token header or a session cookie rather than a one-time token).")


def current_client_id() -> str | None:
    """The websocket client that queued the running prompt (so cells report to it)."""
    return getattr(_server(), "client_id", None)


class EventPayload(Protocol):
    def to_json(self) -> dict[str, Any]: ...


def _send_event(event: str, payload: EventPayload) -> None:
    """Send one of the pack's websocket events (names and payloads: xyz_studio.protocol) to
    every open editor tab: a second tab, or a page reloaded mid-run, follows the run as the
    tab that queued it does (experiments are listed to every tab anyway)."""
    try:
        _server().send_sync(event, payload.to_json(), None)
    except Exception:  # an event is a courtesy; never fail a cell over it
        log.debug("could not send %s", event, exc_info=True)


class _WebsocketNotifier:
    """The core's notifier (xyz_studio/reporting/notifier.py): each notification as the
    pack's websocket event, the only way the pack sends one."""

    def experiment(self, event: P.ExperimentEvent) -> None:
        _send_event(P.EVENT_EXPERIMENT, event)

    def cell(self, event: P.CellEvent) -> None:
        _send_event(P.EVENT_CELL, event)

    def deleted(self, event: P.DeletedEvent) -> None:
        _send_event(P.EVENT_DELETED, event)

    def refused(self, event: P.RefusedEvent) -> None:
        _send_event(P.EVENT_REFUSED, event)


NOTIFIER = _WebsocketNotifier()


def node_specs(api: ComfyClient, class_types: set[str]) -> dict[str, NodeSpec]:
    """Declarations of the given node classes, read through GET /object_info/{class}."""
    specs: dict[str, NodeSpec] = {}
    for class_type in sorted(class_types):
        info = api.object_info(class_type) or {}
        if class_type in info:
            specs[class_type] = parse_node_spec(class_type, info[class_type])
    return specs


def node_specs_in_process(class_types: set[str]) -> dict[str, NodeSpec] | None:
    """Declarations of the given node classes read in this process, in the shape GET
    /object_info/{class} answers (server.py's node_info), or None if one cannot be read.

    For the POST /prompt handler, which runs on the server's event loop: a request to the
    server's own /object_info from there would wait for the loop it blocks.
    """
    import contextlib

    import folder_paths

    import nodes

    specs: dict[str, NodeSpec] = {}
    with getattr(folder_paths, "cache_helper", contextlib.nullcontext()):
        for class_type in sorted(class_types):
            # ComfyUI's nodes module; mypy takes `nodes` for this pack's nodes/ folder
            node_class = nodes.NODE_CLASS_MAPPINGS.get(class_type)  # type: ignore[attr-defined]
            if node_class is None:
                continue  # ComfyUI refuses the prompt itself ("node ... does not exist")
            try:
                specs[class_type] = parse_node_spec(class_type, _node_info(nodes, class_type, node_class))
            except Exception:  # what GET /object_info would leave out: let the driver ask it when it runs
                log.debug("xyz_studio: cannot read the declaration of %s", class_type, exc_info=True)
                return None
    return specs


def _node_info(nodes: Any, class_type: str, node_class: Any) -> dict[str, Any]:
    v3_info = getattr(node_class, "GET_NODE_INFO_V1", None)
    if v3_info is not None:
        return v3_info()
    inputs = node_class.INPUT_TYPES()
    return {"input": inputs, "input_order": {part: list(decls) for part, decls in inputs.items()},
            "output": node_class.RETURN_TYPES,
            "display_name": getattr(nodes, "NODE_DISPLAY_NAME_MAPPINGS", {}).get(class_type, class_type),
            "category": getattr(node_class, "CATEGORY", "sd")}


def history_reader(headers: dict[str, str] | None = None) -> Callable[[list[str]], dict[str, dict]]:
    """A lookup of this server's history entries: read in-process from ComfyUI's own history
    (each found entry's status, which is all a cell's outcome is read from), or, on a ComfyUI
    whose history has another shape, through GET /history sending `headers`.

    In-process because the final prompt settles every cell's timing: through HTTP that was one
    JSON of up to 2,000 whole entries (each with its prompt), encoded on the event loop and parsed
    on ComfyUI's worker, about a second of a 2,000-cell run's end.
    """
    def lookup(prompt_ids: list[str]) -> dict[str, dict]:
        found = _history_in_process(prompt_ids)
        return found if found is not None else history_lookup(client(headers))(prompt_ids)
    return lookup


def _history_in_process(prompt_ids: list[str]) -> dict[str, dict] | None:
    """{prompt id: {"status": ...}} for the ids ComfyUI's history holds; None if its history
    is not the dict of entries this pack knows (then GET /history is read instead)."""
    queue = getattr(_server(), "prompt_queue", None)
    history, mutex = getattr(queue, "history", None), getattr(queue, "mutex", None)
    if not isinstance(history, dict) or mutex is None:
        return None
    try:
        with mutex:
            found = {pid: history[pid].get("status") for pid in prompt_ids if pid in history}
        # copied outside the lock: an entry's status is set once, when its prompt ends
        return {pid: {"status": copy.deepcopy(status)} for pid, status in found.items()}
    except (AttributeError, TypeError):
        log.debug("this ComfyUI's history has another shape; reading GET /history", exc_info=True)
        return None


QUEUE_READ_MAX_AGE = 1.0  # seconds a read of GET /queue may be reused for a status answer
_last_queue_read: tuple[float, frozenset[str]] | None = None
_queue_read_lock = threading.Lock()


def queued_prompt_ids(headers: dict[str, str] | None = None, max_age: float = 0.0) -> frozenset[str] | None:
    """Ids of the prompts ComfyUI holds (running or pending); None if they cannot be read
    (the routes then show stored statuses).

    Read from this process's own prompt queue, under its lock, ids only: GET /queue deep-copies
    and JSON-encodes every queued prompt in full, so while a 2,000-cell run is queued each read
    cost the server ~10 ms of interpreter time taken from ComfyUI's worker (and held the queue's
    lock it needs between cells). A ComfyUI whose queue has another shape is read through GET
    /queue instead, where a status poll may reuse a read up to `max_age` seconds old. Blocking:
    call it off the event loop.
    """
    held = _held_in_process()
    if held is not None:
        return held
    global _last_queue_read
    now = time.monotonic()
    with _queue_read_lock:
        if max_age and _last_queue_read is not None and now - _last_queue_read[0] <= max_age:
            return _last_queue_read[1]
    try:
        held = client(headers).queue_state().held
    except (ComfyError, OSError, HostUnsupported):
        log.debug("could not read the prompt queue", exc_info=True)
        return None
    with _queue_read_lock:
        _last_queue_read = (now, held)
    return held


def _held_in_process() -> frozenset[str] | None:
    """The prompt ids in ComfyUI's PromptQueue (items are (number, prompt id, prompt, ...)
    tuples in `queue` and `currently_running`), or None if this ComfyUI's queue differs."""
    queue = getattr(_server(), "prompt_queue", None)
    mutex = getattr(queue, "mutex", None)
    if queue is None or mutex is None:
        return None
    try:
        with mutex:
            items = [*queue.currently_running.values(), *queue.queue]
        return frozenset(str(item[1]) for item in items)
    except (AttributeError, TypeError, IndexError, KeyError):
        log.debug("this ComfyUI's prompt queue has another shape; reading GET /queue", exc_info=True)
        return None


def add_middleware(middleware: Any) -> bool:
    """Add an aiohttp middleware to the server's app (possible until the app starts)."""
    app = getattr(_server(), "app", None)
    middlewares = getattr(app, "middlewares", None)
    if middlewares is None or getattr(app, "frozen", False):
        log.warning("xyz_studio: cannot add a middleware to this ComfyUI's app; behind a login layer the pack's "
                    "own calls will be refused")
        return False
    middlewares.append(middleware)
    return True


def add_prompt_handler(handler) -> bool:
    """Let `handler` see (and return a changed) POST /prompt body before validation."""
    add = getattr(_server(), "add_on_prompt_handler", None)
    if add is None:  # the Grid Assembler's lazy input and the axes' blockers still stop most rendering
        log.warning("xyz_studio: this ComfyUI has no prompt handlers; queued XYZ workflows are not restricted")
        return False
    add(handler)
    return True


def routes() -> Any:
    return _server().routes
