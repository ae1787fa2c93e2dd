"""The sidebar's store operations: search and a page that keeps its place, rename, delete
(records, then the folder, never through a link), and the disk use of the folders."""
from __future__ import annotations

import os
import time

import pytest

from plan_fixtures import one_cell_plan
from xyz_studio.errors import NotFound
from xyz_studio.storage import disk_use
from xyz_studio.storage.folder import DELETING_PREFIX, remove_experiment_folder
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus
from xyz_studio.storage.store import ExperimentStore


def _id(n: int) -> str:
    return f"20261126-0000{n:02d}-abcdef"


def _add(store: ExperimentStore, n: int, name: str, created: float, updated: float | None = None) -> str:
    eid = _id(n)
    store.create(Experiment(id=eid, name=name, created=created, updated=updated or created, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=1, final_prompt_id=None,
                            plan=one_cell_plan()),
                 [Cell(experiment_id=eid, index=0, x=0, y=0, z=0, run_order=0, status=CellStatus.QUEUED)])
    return eid


@pytest.fixture()
def store(tmp_path) -> ExperimentStore:
    s = ExperimentStore(tmp_path / "studio")
    for n, name in enumerate(["XYZ experiment", "cfg sweep", "CFG vs steps", "100% crop", "under_score", "実験 二"]):
        _add(s, n, name, created=100.0 + n)
    return s


def _names(rows) -> list[str]:
    return [r.name for r in rows]


def test_search_finds_names_in_either_case_and_ids_by_their_start(store):
    assert _names(store.list(search="cfg")[0]) == ["CFG vs steps", "cfg sweep"]
    assert store.list(search="cfg")[1] == 2
    assert _names(store.list(search="実験")[0]) == ["実験 二"]
    assert _names(store.list(search=_id(3))[0]) == ["100% crop"]
    assert _names(store.list(search="20261126-000004")[0]) == ["under_score"]
    assert store.list(search="abcdef")[1] == 0  # inside an id, not at its start: no match


def test_search_takes_like_wildcards_as_themselves(store):
    assert _names(store.list(search="%")[0]) == ["100% crop"]
    assert _names(store.list(search="_")[0]) == ["under_score"]
    assert store.list(search="\\")[1] == 0


def test_a_page_before_a_time_keeps_its_place_and_the_newer_ones_are_counted(store):
    first, total = store.list(limit=2, offset=2)
    assert total == 6 and _names(first) == ["100% crop", "CFG vs steps"]
    anchor = store.list(limit=1)[0][0].created
    _add(store, 10, "new one", created=200.0)
    _add(store, 11, "new cfg", created=201.0)
    again, total = store.list(limit=2, offset=2, before=anchor)
    assert total == 6 and _names(again) == _names(first)
    assert store.count_newer(anchor) == 2 and store.count_newer(anchor, "cfg") == 1
    assert _names(store.list(limit=2, offset=2)[0]) == ["実験 二", "under_score"]  # without it, the page moved


def test_rename_changes_the_name_only(store):
    before = store.experiment(_id(1))
    store.rename(_id(1), "<b>renamed</b> 名前")
    after = store.experiment(_id(1))
    assert after.name == "<b>renamed</b> 名前"
    assert after.updated == before.updated  # a run cut off by a restart must still show interrupted
    with pytest.raises(NotFound):
        store.rename(_id(42), "x")


def test_delete_removes_the_experiment_and_its_cells_and_nothing_else(store):
    store.delete(_id(2))
    with pytest.raises(NotFound):
        store.experiment(_id(2))
    assert store.cells(_id(2)) == []
    assert store.list()[1] == 5 and len(store.cells(_id(1))) == 1
    with pytest.raises(NotFound):
        store.delete(_id(2))


def _write(path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def _age(*folders) -> None:
    """Make folders look long unchanged (a total is trusted only once its folder is still)."""
    old = time.time() - 60
    for folder in folders:
        os.utime(folder, (old, old))


def test_disk_use_sums_the_files_below_and_follows_no_link(tmp_path):
    root = tmp_path / "studio"
    folder = root / _id(1)
    _write(folder / "cells" / "a.png", 1000)
    _write(folder / "grids" / "g.png", 300)
    _write(folder / "thumbs" / "128" / "cells" / "a.webp", 20)
    _write(folder / "manifest.json", 7)
    _write(tmp_path / "outside.bin", 50_000)
    os.symlink(tmp_path / "outside.bin", folder / "cells" / "link.png")
    os.symlink(tmp_path, folder / "grids" / "up")
    assert disk_use.folder_bytes(folder) == 1327
    _write(root / _id(2) / "cells" / "b.png", 5)
    _write(root / "studio.sqlite3", 4096)
    _write(root / "wandb" / "run.wandb", 1_000_000)  # W&B's own folder: not an experiment
    assert disk_use.studio_bytes(root) == 1327 + 5 + 4096
    assert disk_use.folder_bytes(root / _id(9)) == 0  # none


def test_disk_use_reads_a_folder_again_only_when_it_changed_and_reuses_known_sizes(tmp_path):
    folder = tmp_path / _id(1)
    cells = folder / "cells"
    _write(cells / "a.png", 100)
    _age(cells, folder)
    assert disk_use.folder_bytes(folder) == 100
    # grown in place (never done by the pack, which renames every file into place): the folder
    # did not change, so it is not read again: the proof that an unchanged folder costs one stat
    with open(cells / "a.png", "ab") as f:
        f.write(b"y" * 50)
    assert disk_use.folder_bytes(folder) == 100
    # a new file changes the folder: its names are listed again, the new file measured, and the
    # known file's size (same inode) taken from what was known
    _write(cells / "b.png", 10)
    assert disk_use.folder_bytes(folder) == 110
    # a file replaced by a rename (a new inode) is measured again
    _write(cells / ".tmp", 70)
    os.replace(cells / ".tmp", cells / "a.png")
    assert disk_use.folder_bytes(folder) == 80


def test_disk_use_of_a_folder_changed_within_the_moment_is_read_again(tmp_path):
    folder = tmp_path / _id(1)
    _write(folder / "a.png", 100)
    assert disk_use.folder_bytes(folder) == 100
    stamp = os.stat(folder).st_mtime_ns
    _write(folder / "b.png", 1)
    os.utime(folder, ns=(stamp, stamp))  # the same coarse mtime tick as the first read
    assert disk_use.folder_bytes(folder) == 101


def test_removing_a_folder_removes_it_and_what_an_earlier_delete_left(tmp_path):
    root = tmp_path / "studio"
    _write(root / _id(1) / "cells" / "a.png", 10)
    _write(root / f"{DELETING_PREFIX}{_id(0)}.1234" / "cells" / "b.png", 10)  # a kill half way
    _write(root / _id(2) / "cells" / "c.png", 10)
    remove_experiment_folder(root, _id(1))
    assert sorted(p.name for p in root.iterdir()) == [_id(2)]
    remove_experiment_folder(root, _id(1))  # already gone: nothing to do


def test_removing_a_folder_never_follows_a_link(tmp_path):
    root = tmp_path / "studio"
    precious = tmp_path / "precious"
    _write(precious / "keep.png", 10)
    _write(root / _id(1) / "cells" / "a.png", 10)
    os.symlink(precious, root / _id(1) / "cells" / "linked_folder")
    os.symlink(precious / "keep.png", root / _id(1) / "grids_link.png")
    remove_experiment_folder(root, _id(1))
    os.symlink(precious, root / _id(2))  # the experiment's own place is a link
    remove_experiment_folder(root, _id(2))
    assert not (root / _id(1)).exists() and not os.path.lexists(root / _id(2))
    assert (precious / "keep.png").read_bytes() == b"x" * 10


@pytest.mark.parametrize("bad", ["..", "../studio", "", "/etc", "20261126-000000-ABCDEF", _id(1) + "/..", "."])
def test_removing_a_folder_takes_only_an_experiment_id(tmp_path, bad):
    root = tmp_path / "studio"
    _write(root / "studio.sqlite3", 1)
    with pytest.raises(ValueError):
        remove_experiment_folder(root, bad)
    assert (root / "studio.sqlite3").exists()
