"""Which ComfyUI servers an experiment's cells go to: the Servers node's settings.

Parsed once, from the node's text (one URL per line) or the runner's `--worker`
options, into a typed record that the experiment stores with its options, so a
resume after a restart sends the cells to the same servers.
"""
from __future__ import annotations

import socket
import urllib.parse
from dataclasses import dataclass
from typing import Any

from ..errors import PlanError

COMFYUI_PORT = 8188
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"})
DEFAULT_IN_FLIGHT = 2      # cells queued on a worker at once: the one running and the next
DEFAULT_CELL_TIMEOUT = 600.0  # seconds a cell may run on a worker before the worker counts as stuck
MAX_WORKERS = 32


@dataclass(frozen=True)
class ServerSet:
    """The worker servers of an experiment; the server the pack runs in is one of them unless left out."""

    urls: tuple[str, ...] = ()           # other ComfyUI servers, normalised (scheme://host:port[/path])
    include_local: bool = True           # this server renders cells too
    max_in_flight: int = DEFAULT_IN_FLIGHT
    cell_timeout: float = DEFAULT_CELL_TIMEOUT

    def to_json(self) -> dict[str, Any]:
        return {"urls": list(self.urls), "include_local": self.include_local, "max_in_flight": self.max_in_flight,
                "cell_timeout": self.cell_timeout}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServerSet:
        return cls(urls=tuple(str(u) for u in data.get("urls") or ()),
                   include_local=bool(data.get("include_local", True)),
                   max_in_flight=int(data.get("max_in_flight", DEFAULT_IN_FLIGHT)),
                   cell_timeout=float(data.get("cell_timeout", DEFAULT_CELL_TIMEOUT)))


def normalise_url(raw: str) -> str | None:
    """`raw` as scheme://host:port[/path] without a trailing slash; None when it is not a server address.

    A bare host:port means http, a bare host ComfyUI's own port 8188. Credentials in the
    address are refused: they would be stored with the experiment and shown in its manifest.
    """
    text = raw.strip()
    bare = "://" not in text
    if bare:
        text = "http://" + text
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    if parts.query or parts.fragment or port == 0:
        return None
    if bare and port is None:
        port = COMFYUI_PORT
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = f"{host}:{port}" if port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc.lower(), parts.path.rstrip("/"), "", ""))


def parse_server_list(text: str, node: str, input_name: str = "urls") -> tuple[str, ...]:
    """The URLs of a Servers node's text: one per line; blank lines and what follows a # are skipped.

    Raises PlanError naming the node, the input and the first bad line.
    """
    urls: list[str] = []
    for line in (text or "").splitlines():
        entry = line.split("#", 1)[0].strip()  # "# GPU box" lines and "url  # GPU 1" comments
        if not entry:
            continue
        url = normalise_url(entry)
        if url is None:
            raise PlanError(node, input_name, entry, "one server address per line, like http://192.168.1.20:8188",
                            "no user name or password in the address; a login layer is not supported for workers")
        if url not in urls:
            urls.append(url)
    if len(urls) > MAX_WORKERS:
        raise PlanError(node, input_name, f"{len(urls)} servers", f"at most {MAX_WORKERS} servers")
    return tuple(urls)


def _port(parts: urllib.parse.SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _own_addresses() -> set[str]:
    """This machine's names and addresses, as another machine on the LAN would call it."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return {n.lower() for n in names if n}


def is_this_server(url: str, local_url: str) -> bool:
    """Whether `url` names the server at `local_url` (by a loopback name, its host name or an
    address of this machine, on the same port): listed in a Servers node, it is not a second worker."""
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(local_url)
    if a.scheme != b.scheme or _port(a) != _port(b) or a.path.rstrip("/") != b.path.rstrip("/"):
        return False
    host, own = (a.hostname or "").lower(), (b.hostname or "").lower()
    if host == own or (host in LOOPBACK and own in LOOPBACK):
        return True
    return own in LOOPBACK and host in _own_addresses()
