"""What an offline run's own log holds: the rows of the live table, and a search's trials, that
reached its .wandb file.

wandb writes an offline run's log (`run-<id>.wandb`) in batches, so a process killed
mid-run leaves the last rows it logged out of it. When a run is reopened after such a
kill, the rows already in the logs of its earlier folders are taken as logged and the
others are logged again, so each cell is in the run once; likewise a search's trials (the
history steps with `search/trial`), and a reopened run numbers its trials on from the last
one logged. The log is read with wandb's own reader (`python -m wandb leet inspect --json`),
in the tracker's thread.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .run_content import TRIAL_CELL_KEY, TRIAL_KEY
from .wandb_run import TABLE_KEY

READ_TIMEOUT = 120.0


@dataclass(frozen=True)
class LoggedBefore:
    """What earlier logs of a run hold: the cells with a table row, and each logged trial's cell."""

    rows: set[int] = field(default_factory=set)
    trials: dict[int, int] = field(default_factory=dict)  # trial number -> cell index

    def __or__(self, other: LoggedBefore) -> LoggedBefore:
        return LoggedBefore(self.rows | other.rows, {**self.trials, **other.trials})

    @property
    def last_trial(self) -> int:
        return max(self.trials, default=0)


def earlier_folders(wandb_dir: Path, run_id: str) -> list[Path]:
    """The offline folders of run `run_id` under a wandb folder (one per time it was opened)."""
    return sorted((wandb_dir / "wandb").glob(f"offline-run-*-{run_id}"))


def logged_before(folder: Path, index_column: str = "index") -> LoggedBefore:
    """The table rows (cell indices) and the trials the folder's log holds."""
    done = subprocess.run([sys.executable, "-m", "wandb", "leet", "inspect", "--json", str(folder)],
                          capture_output=True, text=True, timeout=READ_TIMEOUT, check=True)
    rows: set[int] = set()
    trials: dict[int, int] = {}
    for line in done.stdout.splitlines():
        record = json.loads(line) if line.strip() else {}
        if record.get("type") == "history":
            item = record["history"].get("item", {})
            if isinstance(item.get(TRIAL_KEY), int) and isinstance(item.get(TRIAL_CELL_KEY), int):
                trials[item[TRIAL_KEY]] = item[TRIAL_CELL_KEY]
        if record.get("type") != "files":
            continue
        for file in record["files"].get("files", []):
            if file["path"].startswith(f"media/table/{TABLE_KEY}_"):
                table = json.loads((folder / "files" / file["path"]).read_text(encoding="utf-8"))
                at = table["columns"].index(index_column)
                rows |= {int(row[at]) for row in table["data"]}
    return LoggedBefore(rows, trials)
