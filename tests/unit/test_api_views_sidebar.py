"""What the sidebar's routes answer: search, a page that keeps its place, disk use, rename bodies."""
from __future__ import annotations

import json

import pytest

from plan_fixtures import one_cell_plan
from test_api_views import answer
from xyz_studio import api_views as V
from xyz_studio.search.settings import SearchSettings
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore


def _add(store: ExperimentStore, n: int, name: str, options: Options | None = None) -> str:
    eid = f"20261126-0000{n:02d}-abcdef"
    store.create(Experiment(id=eid, name=name, created=100.0 + n, updated=100.0 + n, finished=100.0 + n,
                            status=ExperimentStatus.COMPLETE, dry_run=False, total=1, final_prompt_id="f",
                            plan=one_cell_plan(), options=options or Options()),
                 [Cell(experiment_id=eid, index=0, x=0, y=0, z=0, run_order=0, status=CellStatus.DONE)])
    return eid


@pytest.fixture()
def store(tmp_path):
    s = ExperimentStore(tmp_path / "studio")
    for n in range(5):
        _add(s, n, f"run {n}" if n % 2 else f"XYZ experiment {n}")
    return s


def test_the_listing_searches_by_name_and_id(store):
    status, body = answer(V.list_experiments, store, {"q": " xyz "})
    assert status == 200 and body["total"] == 3 and body["q"] == "xyz"
    assert [r["name"] for r in body["experiments"]] == ["XYZ experiment 4", "XYZ experiment 2", "XYZ experiment 0"]
    assert [r["id"] for r in V.list_experiments(store, {"q": "20261126-000003"})["experiments"]] == \
        ["20261126-000003-abcdef"]


def test_a_page_before_a_time_stays_put_and_says_how_many_are_newer(store):
    head = V.list_experiments(store, {"limit": "2"})
    anchor = head["experiments"][0]["created"]
    second = V.list_experiments(store, {"limit": "2", "offset": "2", "before": str(anchor)})
    _add(store, 9, "XYZ experiment 9")
    again = V.list_experiments(store, {"limit": "2", "offset": "2", "before": str(anchor)})
    assert again["experiments"] == second["experiments"] and again["total"] == 5
    assert (second["newer"], again["newer"]) == (0, 1)
    assert V.list_experiments(store, {"before": str(anchor), "q": "run"})["newer"] == 0


def test_a_search_is_listed_with_its_budget_and_a_sweep_without(store):
    searched = _add(store, 7, "searched", Options(search=SearchSettings(objective="sharpness", budget=80)))
    budgets = {r["id"]: r["search_budget"] for r in V.list_experiments(store, {})["experiments"]}
    assert budgets.pop(searched) == 80
    assert set(budgets.values()) == {None} and len(budgets) == 5


def test_each_row_and_the_whole_listing_give_their_disk_use(store):
    folder = store.root / "20261126-000004-abcdef"
    (folder / "cells").mkdir(parents=True)
    (folder / "cells" / "x000_y000_z000.png").write_bytes(b"p" * 1234)
    (folder / "manifest.json").write_bytes(b"{}")
    body = V.list_experiments(store, {})
    rows = {r["id"]: r["disk_bytes"] for r in body["experiments"]}
    assert rows["20261126-000004-abcdef"] == 1236 and rows["20261126-000003-abcdef"] == 0
    database = sum(p.stat().st_size for p in store.root.glob("studio.sqlite3*"))
    assert body["disk_bytes"] == 1236 + database


@pytest.mark.parametrize("params", [{"q": "x" * 201}, {"before": "soon"}, {"before": "nan"}, {"before": "inf"},
                                    {"before": "-1"}])
def test_bad_listing_parameters_are_400_naming_them(store, params):
    status, body = answer(V.list_experiments, store, params)
    assert status == 400 and next(iter(params)) in body["error"]


@pytest.mark.parametrize("raw, name", [(b'{"name": "  cfg sweep, take 2 "}', "cfg sweep, take 2"),
                                       (b'{"name": "<b>bold</b> \\u5b9f\\u9a13 \\ud83d\\ude42"}',
                                        "<b>bold</b> 実験 🙂")])
def test_rename_bodies(raw, name):
    assert V.parse_rename(raw) == name


@pytest.mark.parametrize("raw", [b"", b"{}", b'{"name": ""}', b'{"name": "   "}', b'{"name": 5}',
                                 b'{"name": "two\\nlines"}', b'{"name": "tab\\there"}',
                                 json.dumps({"name": "x" * 201}).encode(), b'{"name": "a", "extra": 1}', b"[]",
                                 b"not json"])
def test_bad_rename_bodies_are_400(raw):
    status, body = answer(V.parse_rename, raw)
    assert status == 400 and body["error"].startswith("body")
