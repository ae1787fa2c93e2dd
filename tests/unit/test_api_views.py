"""Route answers without a server: ids, file names, bodies, statuses."""
from __future__ import annotations

import os

import pytest

from plan_fixtures import one_cell_plan
from xyz_studio import api_views as V
from xyz_studio.errors import NewerRecord, StudioError
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, UnreadablePlan
from xyz_studio.storage.store import ExperimentStore

EID = "20261126-000000-abcdef"


def answer(view, *args):
    """(status, body) as the route layer answers: the view's result, or its error mapped by HTTP_STATUS."""
    try:
        return 200, view(*args)
    except StudioError as e:
        return V.http_status(e), V.error_body(e)


@pytest.fixture()
def store(tmp_path):
    s = ExperimentStore(tmp_path / "studio")
    s.create(Experiment(id=EID, name="t", created=1.0, updated=1.0, finished=None, status=ExperimentStatus.RUNNING,
                        dry_run=False, total=1, final_prompt_id=None, plan=one_cell_plan()),
             [Cell(experiment_id=EID, index=0, x=0, y=0, z=0, run_order=0, status=CellStatus.QUEUED)])
    (s.root / EID / "cells").mkdir(parents=True)
    (s.root / EID / "cells" / "x000_y000_z000.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.png").write_bytes(b"secret")
    os.symlink(tmp_path / "secret.png", s.root / EID / "cells" / "link.png")
    return s


@pytest.mark.parametrize("name", ["../studio.sqlite3", "cells/../../secret.png", "/etc/passwd", "cells/link.png",
                                  "cells\\\\x.png", "cells/x.png\\x00", "cells/" + "a" * 100 + ".png", "studio.sqlite3",
                                  "cells/", "grids/.x.png", "cells/x000_y000_z000.jpg"])
def test_files_outside_the_allowlist_or_through_links_are_404(store, name):
    status, body = answer(V.experiment_file, store, EID, name)
    assert status == 404 and "error" in body


def test_a_real_cell_file_is_served(store):
    status, path = answer(V.experiment_file, store, EID, "cells/x000_y000_z000.png")
    assert status == 200 and path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("raw, status", [(b"", None), (b"{}", None), (b'{"client_id": "abc"}', None),
                                         (b"[]", 400), (b"nope", 400), (b'{"client_id": 3}', 400),
                                         (b'{"x": 1}', 400), (b"\xff", 400), (b"{" * 70000, 413)])
def test_bodies(raw, status):
    problem = answer(V.parse_body, raw)
    if status is None:
        assert problem[0] == 200 and isinstance(problem[1], V.ClientRequest)
    else:
        assert problem[0] == status and problem[1]["error"]


def test_unknown_and_malformed_ids_are_404(store):
    for bad in ("../x", "20261126-000000-ffffff", "", "x" * 500):
        assert answer(V.experiment_status, store, bad)[0] == 404


def test_interrupted_is_derived_from_the_live_queue(store):
    store.update_experiment(EID, final_prompt_id="final-1")
    running = V.ServerState(started=0.0, queued=frozenset({"final-1"}))
    lost = V.ServerState(started=0.0, queued=frozenset())
    assert answer(V.experiment_status, store, EID, running)[1]["status"] == "running"
    assert answer(V.experiment_status, store, EID, lost)[1]["status"] == "interrupted"
    store.update_cell(EID, 0, prompt_id="cell-1")  # a cell still finishing after its queue was cleared
    assert answer(V.experiment_status, store, EID, V.ServerState(started=0.0, queued=frozenset({"cell-1"})))[1][
        "status"] == "running"
    restarted = V.ServerState(started=10**12, queued=None)
    assert answer(V.experiment_status, store, EID, restarted)[1]["status"] == "interrupted"


def test_paging_parameters(store):
    assert answer(V.list_experiments, store, {"limit": "0"})[0] == 400
    assert answer(V.list_experiments, store, {"offset": "-1"})[0] == 400
    status, body = answer(V.list_experiments, store, {"limit": "1"})
    assert status == 200 and body["total"] == 1 and body["experiments"][0]["id"] == EID


def test_a_run_is_called_interrupted_only_on_a_fresh_read_of_the_queue(store):
    store.update_experiment(EID, final_prompt_id="final-1")
    reads = []

    def fresh(held):
        def read():
            reads.append(held)
            return held
        return read
    stale_but_held_now = V.ServerState(started=0.0, queued=frozenset(), fresh_queue=fresh(frozenset({"final-1"})))
    assert answer(V.experiment_status, store, EID, stale_but_held_now)[1]["status"] == "running"
    really_lost = V.ServerState(started=0.0, queued=frozenset(), fresh_queue=fresh(frozenset()))
    assert answer(V.experiment_status, store, EID, really_lost)[1]["status"] == "interrupted"
    assert len(reads) == 2
    held = V.ServerState(started=0.0, queued=frozenset({"final-1"}), fresh_queue=fresh(frozenset()))
    assert answer(V.experiment_status, store, EID, held)[1]["status"] == "running" and len(reads) == 2


def test_a_plan_from_a_newer_pack_is_listed_and_its_manifest_refused_in_words(tmp_path):
    s = ExperimentStore(tmp_path / "studio")
    s.create(Experiment(id=EID, name="later", created=1.0, updated=1.0, finished=None,
                        status=ExperimentStatus.COMPLETE, dry_run=False, total=1, final_prompt_id=None,
                        plan=UnreadablePlan({"version": 99, "axes": []}, NewerRecord("version 99"))),
             [Cell(experiment_id=EID, index=0, x=0, y=0, z=0, run_order=0, status=CellStatus.DONE)])
    listed = V.list_experiments(s, {})["experiments"]
    assert [(e["id"], e["shape"]) for e in listed] == [(EID, None)]
    status, body = answer(V.experiment_manifest, s, EID)
    assert status == 422 and "newer XYZ Plot Studio" in body["error"] and "update the pack" in body["error"]


def test_an_error_answer_from_comfyui_maps_to_bad_gateway():
    from xyz_studio.comfyui.client import AccessRefused, ComfyError
    error = ComfyError(500, {"error": "boom"}, "http://127.0.0.1:8188/object_info")
    assert isinstance(error, StudioError) and V.http_status(error) == 502
    assert V.error_body(error) == {"error": "http://127.0.0.1:8188/object_info answered 500: {'error': 'boom'}"}
    assert V.http_status(AccessRefused(401, None, "http://127.0.0.1:8188/prompt")) == 502  # the routes reword it first


def test_a_listed_experiment_shows_its_first_grid_else_its_first_finished_cell(store):
    from xyz_studio.storage.records import GridFile
    assert V.list_experiments(store, {})["experiments"][0]["cover"] is None  # nothing finished yet
    store.finish_cell(EID, 0, ["cells/x000_y000_z000.png"])
    assert V.list_experiments(store, {})["experiments"][0]["cover"] == "cells/x000_y000_z000.png"
    store.update_experiment(EID, grids=(GridFile(z=0, file="grids/grid_z000.png", width=8, height=8),))
    assert V.list_experiments(store, {})["experiments"][0]["cover"] == "grids/grid_z000.png"
