"""Delete and rename through the real server: refused with a 409 while the experiment runs,
record and folder gone once it is not, nothing outside its folder touched, bad ids refused;
a rename reaches the store, the listing and the manifest, and stays text."""
from __future__ import annotations

import json
import os

import pytest
from test_route_safety import BAD_IDS, raw

from harness.experiments import wait_until
from harness.graphs import image_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyError


def _slow(name: str) -> dict:
    g = image_graph(size=768)
    x = g.axis(", ".join(str(i * 3000000) for i in range(4)), [("1", "color")])
    y = g.axis("28, 29, 30, 31", [("2", "blur_radius")])
    return g.driver(x, y, name=name).prompt


def _quick(name: str, dry_run: bool = False) -> dict:
    g = image_graph(size=16)
    x = g.axis("0, 255", [("1", "color")])
    return g.driver(x, name=name, dry_run=dry_run).prompt


def _post(client, route: str, experiment_id: str, body: dict | None = None):
    return client.post(P.route_path(route, experiment_id), body or {})


def _refused(client, route: str, experiment_id: str, body: dict | None = None) -> ComfyError:
    with pytest.raises(ComfyError) as caught:
        _post(client, route, experiment_id, body)
    return caught.value


def test_delete_is_refused_while_it_runs_then_removes_record_and_folder(experiments, client, host):
    eid = experiments.start(_slow("delete me while running"))
    folder = host.output_dir / P.OUTPUT_SUBFOLDER / eid
    refused = _refused(client, P.ROUTE_DELETE, eid)
    assert refused.status == 409 and refused.body["reason"] == "still_running", refused.body
    assert "running" in refused.body["error"] and eid in refused.body["error"]
    assert client.get(P.route_path(P.ROUTE_EXPERIMENT, eid))["status"] == "running" and folder.is_dir()
    _post(client, P.ROUTE_CANCEL, eid)
    wait_until(lambda: not client.queue_state().holds(
        {c["prompt_id"] for c in client.get(P.route_path(P.ROUTE_MANIFEST, eid))["cells"]} - {None}),
        what="the cancelled cells leave the queue")
    done = _post(client, P.ROUTE_DELETE, eid)
    assert done == {"id": eid, "name": "delete me while running", "deleted": True}
    assert not os.path.lexists(folder)
    with pytest.raises(ComfyError) as gone:
        client.get(P.route_path(P.ROUTE_EXPERIMENT, eid))
    assert gone.value.status == 404
    assert eid not in [r["id"] for r in client.get(f"{P.ROUTE_EXPERIMENTS}?limit=200")["experiments"]]
    assert _refused(client, P.ROUTE_DELETE, eid).status == 404  # twice: nothing left to delete
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".deleting-")]


def test_delete_of_a_finished_run_and_a_dry_run_follows_no_link_out_of_its_folder(experiments, client, host,
                                                                                   tmp_path):
    finished = experiments.run(_quick("finished, with a planted link"))
    planned = experiments.run(_quick("a dry run", dry_run=True))
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    folder = experiments.folder(finished)
    os.symlink(precious, folder / "cells" / "link")
    os.symlink(precious / "keep.txt", folder / "grids" / "keep.png")
    sizes = client.get(f"{P.ROUTE_EXPERIMENTS}?q={finished['id']}")
    assert sizes["experiments"][0]["disk_bytes"] == sum(
        p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) > 0
    for manifest in (finished, planned):
        _post(client, P.ROUTE_DELETE, manifest["id"])
        assert not os.path.lexists(experiments.folder(manifest))
    assert (precious / "keep.txt").read_text() == "keep"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_delete_and_rename_refuse_bad_ids_and_touch_nothing(host, bad):
    root = host.output_dir / P.OUTPUT_SUBFOLDER
    before = sorted(p.name for p in root.iterdir())
    for route, body in ((P.ROUTE_DELETE, b""), (P.ROUTE_RENAME, b'{"name": "x"}')):
        path = "/api" + route.replace("{experiment_id}", bad)
        status, data = raw(host.url, "POST", path, body)
        assert status in (400, 404, 405), (route, bad, status, data[:200])
        if data.startswith(b"{"):
            assert json.loads(data)["error"]
    assert sorted(p.name for p in root.iterdir()) == before
    assert (root / "studio.sqlite3").is_file()


def test_rename_reaches_the_store_the_listing_and_the_manifest(experiments, client):
    manifest = experiments.run(_quick("XYZ experiment"))
    eid = manifest["id"]
    answer = _post(client, P.ROUTE_RENAME, eid, {"name": "  <b>cfg</b> 実験 🙂  "})
    assert answer == {"id": eid, "name": "<b>cfg</b> 実験 🙂"}
    assert client.get(P.route_path(P.ROUTE_EXPERIMENT, eid))["name"] == "<b>cfg</b> 実験 🙂"
    on_disk = json.loads((experiments.folder(manifest) / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["name"] == "<b>cfg</b> 実験 🙂" and on_disk["status"] == "complete"
    listing = client.get(f"{P.ROUTE_EXPERIMENTS}?q=%3Cb%3Ecfg")
    assert [r["id"] for r in listing["experiments"]] == [eid]
    for body in ({"name": ""}, {"name": "a\nb"}, {"name": "x" * 201}, {"title": "x"}):
        refused = _refused(client, P.ROUTE_RENAME, eid, body)
        assert refused.status == 400 and "name" in refused.body["error"], refused.body
    assert client.get(P.route_path(P.ROUTE_EXPERIMENT, eid))["name"] == "<b>cfg</b> 実験 🙂"
    assert _refused(client, P.ROUTE_RENAME, "20261126-000000-abcdef", {"name": "x"}).status == 404
