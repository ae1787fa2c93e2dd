"""Reading offline W&B runs back with wandb's own tooling (`wandb leet inspect`), no network."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from harness.host import VENV_PYTHON

WANDB = VENV_PYTHON.parent / "wandb"
TABLE_ARTIFACT = "wandb-run-incremental-table"


def wandb_env(root: Path) -> dict[str, str]:
    """Every folder wandb writes to, under `root`."""
    return {name: str(root / name.lower()) for name in ("WANDB_DIR", "WANDB_DATA_DIR", "WANDB_CACHE_DIR",
                                                         "WANDB_CONFIG_DIR")}


def run_folders(root: Path) -> list[Path]:
    return sorted((root / "wandb_dir" / "wandb").glob("offline-run-*"))


def records(run: Path) -> list[dict]:
    """The run's .wandb log, one record per entry, as wandb decodes it."""
    done = subprocess.run([str(WANDB), "leet", "inspect", "--json", str(run)], capture_output=True, text=True,
                          timeout=120, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def summary(run: Path) -> dict:
    """Config, summary and state of the run (`wandb leet inspect --summary --json`)."""
    done = subprocess.run([str(WANDB), "leet", "inspect", "--summary", "--json", str(run)], capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def table_rows(run: Path) -> list[dict]:
    """Every row of the live cell table, from the increments the run's log lists."""
    rows = []
    for record in records(run):
        for file in (record.get("files") or {}).get("files", []) if record.get("type") == "files" else []:
            if file["path"].startswith("media/table/"):
                table = json.loads((run / "files" / file["path"]).read_text())
                rows += [dict(zip(table["columns"], row)) for row in table["data"]]
    return rows


def cell_images(run: Path) -> list[str]:
    """The cell images the table's increments carry (from the artifacts in the run's log)."""
    images = []
    for record in records(run):
        artifact = record.get("artifact") if record.get("type") == "artifact" else None
        if artifact and artifact.get("type") == TABLE_ARTIFACT:
            images += [c["path"] for c in artifact["manifest"]["contents"] if c["path"].endswith(".png")]
    return images


def grid_images(run: Path) -> list[str]:
    logged = set()
    for record in records(run):
        if record.get("type") == "history":
            logged |= {k.split(".")[0] for k in record["history"]["item"] if k.startswith("grid/")}
    return sorted(logged)
