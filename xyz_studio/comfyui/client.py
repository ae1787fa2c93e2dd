"""A small HTTP client for ComfyUI's public API (stdlib only).

Used by the Grid Driver to queue cells on its own server, by the headless runner,
the tests and the benchmarks, and to send cells to other servers. Only documented
routes: /prompt, /history, /queue, /interrupt, /object_info, /view, and on the hosts that
have it the job API (/api/jobs, see jobs.py), asked for once per server.
"""
from __future__ import annotations

import http.client
import json
import ssl
import threading
import urllib.parse
import uuid
from typing import Any

from ..errors import StudioError
from ..protocol import strict_json
from . import jobs as J
from .history import HistoryEntry
from .queue import QueueState

# what a server without the job API answers its routes (0.3.75: 404; a proxy may say 405)
ABSENT_ROUTE = (404, 405)

# seconds a request may take when the caller names no timeout: this server's own client (the Grid
# Driver's, the runner's) waits this long; other workers get servers.lane.WORKER_TIMEOUT
DEFAULT_TIMEOUT = 60.0


class ComfyError(StudioError, RuntimeError):
    """The server answered with an error status; `body` is its decoded answer."""

    def __init__(self, status: int, body: Any, url: str):
        self.status = status
        self.body = body
        self.url_path = urllib.parse.urlsplit(url).path
        super().__init__(f"{url} answered {status}: {body}")


class PromptRejected(ComfyError):
    """POST /prompt refused the prompt (validation error)."""

    def describe(self) -> str:
        body = self.body if isinstance(self.body, dict) else {}
        err = body.get("error") or {}
        lines = [str(err.get("message") or err or "prompt rejected")]
        if err.get("details"):
            lines.append(str(err["details"]))
        for node_id, info in (body.get("node_errors") or {}).items():
            for e in info.get("errors") or []:
                lines.append(f"  {info.get('class_type', 'node')} #{node_id}: {e.get('message')}: {e.get('details')}")
        return "\n".join(lines)


class AccessRefused(ComfyError):
    """401 or 403: a login layer in front of the server did not let the request through."""


def _decoded(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


class ComfyClient:
    """`headers` go with every request: the credentials a login layer in front of the
    server asks for (kept in memory only, never logged).

    Each thread keeps one connection open to the server (HTTP keep-alive): the Grid
    Driver posts a prompt per cell from inside ComfyUI's process, and opening a socket
    and an opener per request cost it about half a millisecond of CPU each time.
    """

    def __init__(self, base_url: str, timeout: float = DEFAULT_TIMEOUT, ssl_context: ssl.SSLContext | None = None,
                 headers: dict[str, str] | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.headers = dict(headers or {})
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not a server address: {base_url!r} (expected http://host:port or https://...)")
        self._https = parts.scheme == "https"
        self._netloc = parts.netloc.rpartition("@")[2]
        self._prefix = parts.path
        self._local = threading.local()
        self._jobs_api: bool | None = None  # unknown until the first queue read

    def __repr__(self) -> str:  # never show the headers: they may hold credentials
        return f"ComfyClient({self.base_url!r})"

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection, and whether it has served a request before."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        conn = (http.client.HTTPSConnection(self._netloc, timeout=self.timeout, context=self.ssl_context)
                if self._https else http.client.HTTPConnection(self._netloc, timeout=self.timeout))
        self._local.conn = conn
        return conn, False

    def close(self) -> None:
        """Close this thread's connection (the others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()

    def _exchange(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        while True:
            conn, reused = self._connection()
            try:
                conn.request(method, self._prefix + path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # on a kept-alive connection this is the server having closed it while idle: the
                # request never reached it, so it is sent once more on a new connection
                if not reused:
                    raise
                continue
            except BaseException:
                self.close()  # half-read answers leave the connection unusable
                raise
            if resp.will_close:
                self.close()
            return resp.status, raw

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = strict_json(body).encode() if body is not None else None
        headers = {**self.headers, **({"Content-Type": "application/json"} if data is not None else {})}
        status, raw = self._exchange(method, path, data, headers)
        if status >= 300:
            payload = _decoded(raw)
            # only a 400 means "this prompt is invalid"; 5xx is the server failing to take it; a
            # redirect (to a login page, say) is no answer from ComfyUI either
            cls = PromptRejected if path == "/prompt" and method == "POST" and status == 400 else (
                AccessRefused if status in (401, 403) else ComfyError)
            raise cls(status, payload, self.base_url + path)
        return _decoded(raw)

    def get(self, path: str) -> Any:
        return self._request("GET", path)

    def get_bytes(self, path: str) -> bytes:
        """GET a file (an image, a zip): its bytes as they are."""
        status, raw = self._exchange("GET", path, None, dict(self.headers))
        if status >= 300:
            cls = AccessRefused if status in (401, 403) else ComfyError
            raise cls(status, _decoded(raw), self.base_url + path)
        return raw

    def view(self, filename: str, subfolder: str = "", kind: str = "output") -> bytes:
        """GET /view: a file the server wrote (a SaveImage output), as its bytes."""
        query = urllib.parse.urlencode({"filename": filename, "subfolder": subfolder, "type": kind})
        return self.get_bytes(f"/view?{query}")

    def post(self, path: str, body: Any) -> Any:
        return self._request("POST", path, body)

    def queue_prompt(self, prompt: dict[str, Any], client_id: str | None = None,
                     extra_data: dict[str, Any] | None = None, prompt_id: str | None = None) -> str:
        """POST /prompt; returns the prompt id. Raises PromptRejected if invalid."""
        body: dict[str, Any] = {"prompt": prompt, "prompt_id": prompt_id or str(uuid.uuid4())}
        if client_id:
            body["client_id"] = client_id
        if extra_data:
            body["extra_data"] = extra_data
        return str(self.post("/prompt", body)["prompt_id"])

    def get_object(self, path: str) -> dict[str, Any]:
        """GET a route that answers a JSON object; anything else (a login page behind a
        proxy, say) is no answer from ComfyUI."""
        answer = self.get(path)
        if answer is None:
            return {}
        if not isinstance(answer, dict):
            raise ComfyError(200, f"not a ComfyUI answer: {str(answer)[:80]!r}", self.base_url + path)
        return answer

    def history(self, prompt_id: str) -> dict[str, Any] | None:
        entry = self.get_object(f"/history/{urllib.parse.quote(prompt_id)}").get(prompt_id)
        return entry if isinstance(entry, dict) else None

    def recent_history(self, max_items: int) -> dict[str, Any]:
        return self.get_object(f"/history?max_items={int(max_items)}")

    def queue(self) -> dict[str, Any]:
        return self.get_object("/queue")

    def has_jobs_api(self) -> bool:
        """Whether the server has the job API (read once: one queue read finds out)."""
        if self._jobs_api is None:
            self.queue_state()
        return bool(self._jobs_api)

    def queue_state(self) -> QueueState:
        """Which prompts the server holds: from GET /api/jobs?status=pending,in_progress where the
        server has it (ids only), else from GET /queue (every queued prompt in full)."""
        if self._jobs_api is not False:
            try:
                answer = self.get(J.QUEUED_JOBS)
            except ComfyError as e:
                if e.status not in ABSENT_ROUTE or isinstance(e, AccessRefused):
                    raise
                answer = None
            self._jobs_api = J.is_jobs_list(answer)
            if self._jobs_api:
                return J.queue_state_of(answer)
        return QueueState.parse(self.queue())

    def job(self, prompt_id: str) -> J.Job | None:
        """GET /api/jobs/{id}: the prompt queued, running or finished; None when the server knows
        no such prompt (its 404 answers `{"error": ...}`). A 404 of another body is a server
        without the job API (restarted as an older ComfyUI): it is asked the old way from then on."""
        try:
            return J.Job.parse(self.get(f"{J.JOBS_ROUTE}/{urllib.parse.quote(prompt_id)}"))
        except ComfyError as e:
            if e.status != 404 or isinstance(e, AccessRefused):
                raise
            if not isinstance(e.body, dict):
                self._jobs_api = False
                raise
            return None

    def finished_entry(self, prompt_id: str) -> tuple[bool, HistoryEntry | None]:
        """(whether the server still holds the prompt in its queue, its history entry once it has
        finished). (False, None) is exact: the server knows no such prompt (restarted, history
        entry evicted by its 10,000-entry cap or deleted), which GET /history/{id} alone cannot tell
        from "not finished yet" (it answers {} to both)."""
        if self.has_jobs_api():
            try:
                job = self.job(prompt_id)
                return (job is not None and job.status.in_queue), (job.history_entry() if job is not None else None)
            except ComfyError:
                if self._jobs_api is not False:
                    raise
        entry = self.history(prompt_id)
        if entry is not None:
            return False, entry
        if prompt_id in self.queue_state().held:
            return True, None
        # it may have finished between the two reads: its entry is there now if it is anywhere
        entry = self.history(prompt_id)
        return False, entry

    def delete_queued(self, prompt_ids: list[str]) -> None:
        self.post("/queue", {"delete": list(prompt_ids)})

    def cancel_prompts(self, prompt_ids: list[str]) -> None:
        """Take these prompts off the queue and interrupt the one of them running, if any (never
        another prompt). The waiting ones go with POST /queue {"delete"} on every host: upstream's
        batch POST /api/jobs/cancel deep-copies the whole queue once per id (783545f6, server.py:
        954-955), 40 s for 500 queued cells where the delete takes milliseconds. The running one
        goes with POST /api/jobs/{id}/cancel where the host has it (it interrupts the prompt only
        if it is still the one running, atomically), else with POST /interrupt {prompt_id}."""
        ids = sorted(set(prompt_ids))
        if not ids:
            return
        self.delete_queued(ids)
        for prompt_id in sorted(self.queue_state().running & set(ids)):
            if self.has_jobs_api() and J.cancellable([prompt_id]):
                try:
                    self.post(f"{J.JOBS_ROUTE}/{prompt_id}/cancel", {})
                    continue
                except ComfyError as e:  # the first version of the job API had no cancel route
                    if e.status not in ABSENT_ROUTE or isinstance(e, AccessRefused):
                        raise
            self.interrupt(prompt_id)

    def interrupt(self, prompt_id: str | None = None) -> None:
        self.post("/interrupt", {"prompt_id": prompt_id} if prompt_id else {})

    def object_info(self, class_type: str | None = None) -> dict[str, Any]:
        if class_type is None:
            return self.get_object("/object_info")
        return self.get_object(f"/object_info/{urllib.parse.quote(class_type, safe='')}")
