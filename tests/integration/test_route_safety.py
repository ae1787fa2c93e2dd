"""Route fuzzing: malformed ids, paths and bodies get 4xx with a message, never a file outside."""
from __future__ import annotations

import http.client
import json
import os
from urllib.parse import urlsplit

import pytest

from harness.graphs import image_graph
from xyz_studio import protocol as P

BAD_IDS = [
    "..", "../..", "..%2F..", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5c..", "20261126-000000-zzzzzz",
    "20261126-000000-abcdef", "x" * 300, "%00", "a%00b", "%E2%80%AE", "%2Fetc%2Fpasswd", "~root", "con",
    "20261126-000000-abcde", "20261126-000000-abcdef0", "-1", "null", "%20",
]
BAD_FILES = [
    "../manifest.json", "../../studio.sqlite3", "..%2F..%2Fstudio.sqlite3", "%2e%2e/%2e%2e/studio.sqlite3",
    "cells/../../studio.sqlite3", "cells/..%2f..%2fstudio.sqlite3", "cells%2F..%2F..%2Fstudio.sqlite3",
    "%2Fetc%2Fpasswd", "/etc/passwd", "cells\\..\\..\\studio.sqlite3", "cells/color-0_x000.png%00.json",
    "cells/", "cells", "grids/.hidden.png", "studio.sqlite3", "CELLS/color-0_x000.png", "cells/link.png",
    "grids/link.png", "cells/color-0_x000.PNG", "manifest.json/..", "cells/" + "a" * 500 + ".png",
    "cells/%C3%A9.png", "cells/color-0_x000.png/", "./manifest.json", "cells/./color-0_x000.png",
]
BAD_QUERIES = ["limit=-1", "limit=0", "limit=201", "limit=abc", "limit=1e3", "limit=99999999999999999999",
               "offset=-5", "offset=x", "limit=%00", "offset=1.5"]
BAD_BODIES = [b"not json", b"[]", b"123", b'"text"', b'{"client_id": 5}', b'{"unknown": 1}',
              b'{"client_id": "' + b"x" * 300 + b'"}', b"{", b"\xff\xfe", b" " * 10 + b"nul\x00l"]


def raw(url: str, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


@pytest.fixture(scope="module")
def experiment(experiments, host):
    g = image_graph(size=16)
    x = g.axis("0, 255", [("1", "color")])
    manifest = experiments.run(g.driver(x, name="fuzz target").prompt)
    folder = experiments.folder(manifest)
    # links planted inside the experiment folder, pointing outside it
    os.symlink("/etc/passwd", folder / "cells" / "link.png")
    os.symlink(host.output_dir / P.OUTPUT_SUBFOLDER / "studio.sqlite3", folder / "grids" / "link.png")
    return manifest["id"]


def assert_refused(status: int, data: bytes, allowed=(400, 403, 404, 405, 409, 413)):
    assert status in allowed, (status, data[:200])
    assert b"root:" not in data and b"SQLite format" not in data
    if data.startswith(b"{"):  # our routes answer JSON with a message; aiohttp's own refusals are text
        assert json.loads(data)["error"]


# What each kind of bad request must get: unknown things 404 (403/404/405 when aiohttp
# itself refuses a path it normalised away), malformed parameters and bodies 400/413.
NOT_FOUND = (403, 404, 405)
MALFORMED = (400,)


def cases(experiment):
    base = f"{P.ROUTE_PREFIX}/experiments"
    for bad in BAD_IDS:
        yield "GET", f"{base}/{bad}", None, NOT_FOUND
        yield "GET", f"{base}/{bad}/manifest", None, NOT_FOUND
        yield "POST", f"{base}/{bad}/cancel", b"{}", NOT_FOUND
        yield "GET", f"{base}/{bad}/files/manifest.json", None, NOT_FOUND
    for bad in BAD_FILES:
        yield "GET", f"{base}/{experiment}/files/{bad}", None, NOT_FOUND
        yield "GET", f"{base}/{experiment}/thumbnails/{bad}", None, NOT_FOUND
    for bad in ("manifest.json", "thumbs/256/cells/color-0_x000.webp", "cells/color-0_x000.webp"):
        yield "GET", f"{base}/{experiment}/thumbnails/{bad}", None, NOT_FOUND
    for size in ("0", "-1", "abc", "1025", "1e3", "%00", "99999999999999999999"):
        yield "GET", f"{base}/{experiment}/thumbnails/cells/color-0_x000.png?size={size}", None, MALFORMED
    for query in BAD_QUERIES:
        yield "GET", f"{base}?{query}", None, MALFORMED
    for route in ("cancel", "resume", "retry_failed"):
        for body in BAD_BODIES:
            yield "POST", f"{base}/{experiment}/{route}", body, MALFORMED
        yield "GET", f"{base}/{experiment}/{route}", None, (404, 405)
    yield "POST", f"{base}/{experiment}/resume", b"x" * (70 * 1024), (413,)


def test_at_least_fifty_malformed_requests_are_refused(host, client, experiment):
    all_cases = list(cases(experiment))
    assert len(all_cases) >= 50
    for method, path, body, expected in all_cases:
        status, data = raw(host.url, method, path, body)
        assert_refused(status, data)
        assert status in expected, (method, path[:80], body and body[:40], status)
    assert client.get("/system_stats")["system"]  # the server kept serving


def test_the_real_files_are_served(host, experiment, client):
    base = f"{P.ROUTE_PREFIX}/experiments/{experiment}/files"
    status, data = raw(host.url, "GET", f"{base}/manifest.json")
    assert status == 200 and json.loads(data)["id"] == experiment
    status, data = raw(host.url, "GET", f"{base}/cells/color-255_x001.png")
    assert status == 200 and data.startswith(b"\x89PNG")
    status, data = raw(host.url, "GET", f"{base}/grids/grid_z000.png")
    assert status == 200 and data.startswith(b"\x89PNG")


def test_lifecycle_state_errors(host, experiment, client):
    # the experiment is complete: nothing to cancel, no failed cells to retry
    status, data = raw(host.url, "POST", f"{P.ROUTE_PREFIX}/experiments/{experiment}/cancel", b"")
    assert status == 409 and b"nothing to cancel" in data
    status, data = raw(host.url, "POST", f"{P.ROUTE_PREFIX}/experiments/{experiment}/retry_failed", b"{}")
    assert status == 409 and b"no failed cells" in data


def test_history_is_newest_first_and_paginated(client, experiments):
    names = [f"history {i}" for i in range(4)]
    for name in names:
        g = image_graph(size=16)
        experiments.run(g.driver(g.axis("0, 255", [("1", "color")]), name=name, dry_run=True).prompt)
    first = client.get(f"{P.ROUTE_EXPERIMENTS}?limit=2&offset=0")
    second = client.get(f"{P.ROUTE_EXPERIMENTS}?limit=2&offset=2")
    assert first["total"] == second["total"] >= 4
    rows = first["experiments"] + second["experiments"]
    assert len({r["id"] for r in rows}) == 4
    created = [r["created"] for r in rows]
    assert created == sorted(created, reverse=True)
    assert [r["name"] for r in rows] == names[::-1]
