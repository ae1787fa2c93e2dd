"""The one module that speaks to wandb: open a run, add table rows, log grids, close it.

Imported by the tracker's own thread only, and wandb itself only when a run opens
(importing wandb costs half a second and patches the process's stdout and stderr).
Everything here may raise; the tracker turns that into one reported problem.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .settings import TrackingMode, TrackingSettings

TABLE_KEY = "cells"
MISSING_WANDB = ("wandb is not installed in ComfyUI's Python: install it there with `python -m pip install wandb` "
                 "(or `pip install xyz-plot-studio[wandb]`) and restart ComfyUI")


def import_wandb() -> Any:
    try:
        import wandb
    except ImportError as e:
        raise TrackingUnavailable(f"{MISSING_WANDB} ({e})") from None
    return wandb


LOG_FLUSH_SECONDS = 2.0  # an offline run's .wandb file takes new records this often (wandb's default: 15 s)


def _flush_often(wandb: Any) -> dict[str, float]:
    """Ask wandb to write its log every few seconds, where this wandb has the setting: a kill then
    loses only the last rows, which a reopened run logs again (see offline_log)."""
    known = getattr(wandb.Settings, "model_fields", {})
    name = "x_transaction_log_flush_interval"
    return {name: LOG_FLUSH_SECONDS} if name in known else {}


class TrackingUnavailable(RuntimeError):
    """Tracking cannot work here (wandb missing): said once, the experiment runs on."""


class WandbRun:
    """One experiment's W&B run."""

    def __init__(self, settings: TrackingSettings, run_id: str, name: str, config: dict[str, Any],
                 tags: tuple[str, ...], folder: Path, columns: list[str]):
        wandb = import_wandb()
        self._wandb = wandb
        folder.mkdir(parents=True, exist_ok=True)
        self.run = wandb.init(
            project=settings.project or None, entity=settings.entity or None, name=name, tags=list(tags) or None,
            id=run_id, resume="allow", reinit="create_new", mode=settings.mode.value, config=config,
            dir=str(folder), settings=wandb.Settings(console="off", silent=True, x_disable_stats=True,
                                                     **_flush_often(wandb)))
        self.online = settings.mode == TrackingMode.ONLINE
        self.columns = columns
        self._table = wandb.Table(columns=columns, log_mode="INCREMENTAL", allow_mixed_types=True)
        self._rows = 0

    @property
    def url(self) -> str | None:
        """The run's page (online runs only: asking an offline run prints a warning)."""
        return (getattr(self.run, "url", None) or None) if self.online else None

    @property
    def folder(self) -> str | None:
        """The run's own folder (offline: what `wandb sync` takes)."""
        files = getattr(getattr(self.run, "settings", None), "files_dir", None)
        return str(Path(files).parent) if files else None

    def log_file(self, path: Path, name: str, kind: str) -> None:
        artifact = self._wandb.Artifact(name, type=kind)
        artifact.add_file(str(path))
        self.run.log_artifact(artifact)

    def add_row(self, values: dict[str, Any], image: Path | None, caption: str) -> None:
        row = dict(values)
        if "image" in self.columns:
            row["image"] = self._wandb.Image(str(image), caption=caption) if image is not None else None
        self._table.add_data(*[row.get(c) for c in self.columns])
        self._rows += 1

    def flush_rows(self) -> None:
        """Send the rows added since the last flush (one increment of the live table)."""
        if self._rows:
            self.run.log({TABLE_KEY: self._table})
            self._rows = 0

    def chart_over(self, step_key: str, prefix: str) -> None:
        """Chart the keys under `prefix` over `step_key` (a search's trial number), not wandb's own step."""
        self.run.define_metric(step_key)
        self.run.define_metric(f"{prefix}*", step_metric=step_key)

    def log_step(self, values: dict[str, Any]) -> None:
        """One step of the run's history (a search's trial)."""
        self.run.log(values)

    def last_logged(self, key: str) -> Any:
        """The last value of `key` the run's summary holds (an online run reopened: what it had logged)."""
        try:
            return self.run.summary.get(key)
        except Exception:  # noqa: BLE001 - a hint for numbering on, never a reason to stop logging
            return None

    def log_grid(self, key: str, path: Path, caption: str) -> None:
        self.run.log({key: self._wandb.Image(str(path), caption=caption)})

    def close_failed(self) -> None:
        self.run.finish(exit_code=1)

    def finish(self, summary: dict[str, Any]) -> None:
        self.flush_rows()
        self.run.summary.update(summary)
        self.run.finish()
