"""The standalone viewer's data places each cell on every axis: from a schema-3 manifest's `at`
(any number of axes) and from a schema-2 manifest's x, y and z."""
from __future__ import annotations

from xyz_studio.export.html_viewer import viewer_data


def _manifest(schema: int, axes: list[str], cells: list[dict]) -> dict:
    return {"id": "20261203-000000-abcdef", "name": "n", "schema": f"xyz-studio/manifest/{schema}",
            "axes": [{"slot": s, "title": s.upper(), "labels": ["a", "b"]} for s in axes], "cells": cells}


def _cell(index: int, **place) -> dict:
    return {"index": index, "status": "done", "files": [f"cells/c{index}.png"], "error": None, **place}


def test_schema_3_places_each_cell_on_every_axis():
    at = {"x": 1, "y": 0, "z": 1, "axis4": 0, "axis5": 1}
    data = viewer_data(_manifest(3, list(at), [_cell(21, x=1, y=0, z=5, at=at)]))
    assert [a["slot"] for a in data["axes"]] == ["x", "y", "z", "axis4", "axis5"]
    assert data["cells"][0]["at"] == [1, 0, 1, 0, 1]  # z is the grid number (5); at says each axis
    assert data["cells"][0]["thumb"] == "thumbs/c21.webp" and data["cells"][0]["full"] == "cells/c21.png"


def test_schema_2_places_each_cell_by_its_x_y_and_z():
    data = viewer_data(_manifest(2, ["x", "z"], [_cell(3, x=1, y=0, z=1)]))
    assert data["cells"][0]["at"] == [1, 1]


def test_what_a_cell_lacks_is_left_out_of_the_page():
    failed = {"index": 1, "status": "failed", "files": [], "error": "out of memory", "seconds": 2.5, "at": {"x": 1}}
    planned = {"index": 0, "status": "planned", "files": [], "error": None, "seconds": None, "metrics": {},
               "at": {"x": 0}}
    data = viewer_data(_manifest(3, ["x"], [planned, failed]))
    assert data["cells"][0] == {"index": 0, "at": [0], "status": "planned"}
    assert data["cells"][1] == {"index": 1, "at": [1], "status": "failed", "error": "out of memory", "seconds": 2.5}


def test_a_search_carries_its_settings_and_when_each_cell_finished_and_a_sweep_does_not():
    search = {"objective": "sharpness", "budget": 4, "sampler": "TPE", "seed": 0, "coarse_fraction": 0.0,
              "goal": "higher is better"}
    ran = {**_cell(0, at={"x": 0}), "finished_at": 1700000000.5}
    not_run = {"index": 1, "status": "planned", "files": [], "error": None, "at": {"x": 1}}
    searched = viewer_data({**_manifest(3, ["x"], [ran, not_run]), "options": {"search": search}})
    assert searched["search"] == search and "dry_run" not in searched
    assert searched["cells"][0]["finished_at"] == 1700000000.5 and "finished_at" not in searched["cells"][1]
    swept = viewer_data({**_manifest(3, ["x"], [ran]), "options": {"name": "n"}})
    assert "search" not in swept and "finished_at" not in swept["cells"][0]  # a sweep's page is as it was
    assert viewer_data({**_manifest(3, ["x"], [not_run]), "dry_run": True})["dry_run"] is True
