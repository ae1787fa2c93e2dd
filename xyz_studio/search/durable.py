"""Where a study lives: Optuna (imported only when a search runs) and its SQLite file.

Decision: a file of its own, `search.sqlite3`, beside the store's `studio.sqlite3` in the
studio folder, one Optuna study per experiment (named by the experiment's id). Why not
the store's own file:
- Locking: SQLite lets one writer at a time into a file. The cell writer commits each
  cell in its own short BEGIN IMMEDIATE; Optuna's SQLAlchemy sessions read then write in
  one transaction per ask or tell. In one file each would wait on the other on every cell;
  in two files neither ever does.
- Schemas: Optuna creates and migrates its own tables (with alembic and its own version
  table); the store upgrades its schema by its own numbers (storage/schema.py). Apart, a
  newer Optuna can migrate its file without touching the store, and the study file can be
  deleted (a search started over) without touching a cell.
- Both files are in WAL mode (readers never block the writer; a killed process leaves the
  last commit intact), set here once with sqlite3: the mode is kept in the file.
Two files cannot be written in one transaction, so the store is the truth about cells: a
cell is saved in the store first, then told to the study, and a study reopened after a kill
catches up from the store (study.py, `SearchStudy.open`'s `settled`).
"""
from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import NotInstalled

STUDY_DB_NAME = "search.sqlite3"
OPTUNA_VERSION = "5.0.0"
INSTALL = (f"the search mode needs Optuna, which is not installed in ComfyUI's Python: install it there with "
           f"`python -m pip install optuna=={OPTUNA_VERSION}` (or the pack's extra: xyz-plot-studio[search]) "
           "and restart ComfyUI")
BUSY_SECONDS = 30  # as the store's busy_timeout: a reader holding the file a moment is waited for, not an error


def load_optuna() -> ModuleType:
    """Optuna, imported on first use: a sweep without a search never needs it."""
    try:
        return importlib.import_module("optuna")
    except ImportError as e:
        raise NotInstalled(f"{INSTALL} ({e})") from None


def study_name(experiment_id: str) -> str:
    return f"xyz-experiment-{experiment_id}"


def study_storage(root: Path) -> Any:
    """Optuna's RDB storage on the studio folder's search file (made, in WAL mode, if new)."""
    optuna = load_optuna()
    path = Path(root) / STUDY_DB_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return optuna.storages.RDBStorage(f"sqlite:///{path}",
                                      engine_kwargs={"connect_args": {"timeout": BUSY_SECONDS}})


def close_storage(storage: Any) -> None:
    """Let go of the storage's connections (a finished or cancelled search keeps no file open)."""
    engine = getattr(storage, "engine", None)
    if engine is not None:
        engine.dispose()
