"""The client keeps one connection per thread open, and gets past a server that closed it."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import Loopback
from xyz_studio.comfyui.client import AccessRefused, ComfyClient, ComfyError


class LoopbackServer(Loopback):
    """A real HTTP/1.1 server on loopback that notes which client port each request came from.
    With `close_after_answer` it drops every connection once it has answered, without saying
    so in the answer: what a server does when a kept-alive connection has been idle too long."""

    def __init__(self, close_after_answer: bool = False, status: int = 200, headers: dict | None = None):
        self.ports: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                outer.ports.append(self.client_address[1])
                data = json.dumps({"path": self.path}).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                if close_after_answer:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        super().__init__(Handler)


def test_one_connection_serves_every_request_of_a_thread():
    with LoopbackServer() as server:
        client = ComfyClient(server.url)
        for i in range(20):
            assert client.get(f"/n/{i}") == {"path": f"/n/{i}"}
        client.close()
    assert len(server.ports) == 20 and len(set(server.ports)) == 1


def test_each_thread_has_its_own_connection():
    with LoopbackServer() as server:
        client = ComfyClient(server.url)
        threads = [threading.Thread(target=lambda: [client.get("/t") for _ in range(5)]) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(server.ports) == 15 and len(set(server.ports)) == 3


def test_a_connection_the_server_closed_is_replaced_and_nothing_is_sent_twice():
    with LoopbackServer(close_after_answer=True) as server:
        client = ComfyClient(server.url)
        answers = [client.get(f"/n/{i}") for i in range(5)]
    assert answers == [{"path": f"/n/{i}"} for i in range(5)]
    assert len(server.ports) == 5 and len(set(server.ports)) == 5  # one request per connection, none repeated


def test_a_server_that_is_not_there_fails_at_once():
    with LoopbackServer() as server:
        url = server.url
    with pytest.raises(OSError):
        ComfyClient(url, timeout=5).get("/system_stats")


def test_refusals_and_redirects_are_errors_that_say_so():
    with LoopbackServer(status=401) as server:
        with pytest.raises(AccessRefused):
            ComfyClient(server.url).get("/queue")
    with LoopbackServer(status=302, headers={"Location": "/login"}) as server:
        with pytest.raises(ComfyError) as redirected:
            ComfyClient(server.url).get("/queue")
    assert redirected.value.status == 302


def test_a_bad_address_is_refused_when_the_client_is_made():
    with pytest.raises(ValueError, match="not a server address"):
        ComfyClient("127.0.0.1:8188")
