"""A reopened offline run reads back what its earlier log holds, from a real wandb offline run: the
cells with a table row, and a search's trials (trial number -> cell) from its history steps."""
from __future__ import annotations

from xyz_studio.tracking.offline_log import LoggedBefore, earlier_folders, logged_before
from xyz_studio.tracking.settings import TrackingSettings
from xyz_studio.tracking.wandb_run import WandbRun


def test_the_rows_and_trials_an_offline_log_holds_are_read_back(tmp_path, monkeypatch):
    for name in ("WANDB_DIR", "WANDB_DATA_DIR", "WANDB_CACHE_DIR", "WANDB_CONFIG_DIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    folder = tmp_path / "wandb"
    run = WandbRun(TrackingSettings(), "xyz-read-back", "read back", {}, (), folder, ["index", "trial", "status"])
    run.chart_over("search/trial", "search/")
    run.log_step({"search/trial": 1, "search/cell": 4, "search/sharpness": 0.5, "search/best sharpness": 0.5})
    run.log_step({"search/trial": 2, "search/cell": 0, "search/best sharpness": 0.5})  # a failed cell
    for index, trial in ((4, 1), (0, 2)):
        run.add_row({"index": index, "trial": trial, "status": "done"}, None, "")
    run.flush_rows()
    run.finish({})
    [logged] = earlier_folders(folder, "xyz-read-back")
    assert logged_before(logged) == LoggedBefore({4, 0}, {1: 4, 2: 0})
    assert (LoggedBefore({1}, {1: 1}) | logged_before(logged)).last_trial == 2
