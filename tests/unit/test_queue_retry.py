"""Queueing a cell retries when the server cannot take it, and gives up cleanly when it refuses."""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import Loopback
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.experiment import queueing as E


class FlakyServer(Loopback):
    """A real HTTP server on loopback answering POST /prompt from a scripted list of statuses."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                status = outer.statuses.pop(0) if outer.statuses else 200
                payload = ({"prompt_id": body["prompt_id"], "number": 1, "node_errors": {}} if status == 200 else
                           {"error": {"message": "refused", "details": "bad input"}, "node_errors": {}})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        super().__init__(Handler)


def queue(url: str):
    client = ComfyClient(url)
    return E._with_retries(lambda: client.queue_prompt({"1": {}}, prompt_id="p1"), delays=(0.01, 0.01, 0.01))


def test_transient_server_errors_are_retried_until_accepted():
    with FlakyServer([503, 502, 200]) as server:
        assert queue(server.url) == "p1"
        assert len(server.requests) == 3


def test_persistent_server_errors_give_up_after_the_last_attempt():
    with FlakyServer([503] * 10) as server:
        with pytest.raises(E.ComfyError) as failed:
            queue(server.url)
        assert failed.value.status == 503
        assert len(server.requests) == 4


def test_a_refused_prompt_is_not_retried():
    with FlakyServer([400]) as server:
        with pytest.raises(E.PromptRejected) as refused:
            queue(server.url)
        assert "bad input" in refused.value.describe()
        assert len(server.requests) == 1


def test_unreachable_server_is_retried_then_raises_oserror():
    with FlakyServer([]) as server:
        url = server.url
    with pytest.raises(OSError):
        queue(url)
