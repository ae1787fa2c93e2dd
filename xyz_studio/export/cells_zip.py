"""Every finished cell of an experiment as one zip, for the editor's export menu.

The files are the experiment's own PNGs (each with its coordinates, values and prompt
in its text chunks), stored as they are, plus the manifest that names their values.
Only regular files inside the experiment folder are taken: the store names them, and
a name that leaves the folder or a symlink is skipped, never followed.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..protocol import strict_json
from ..storage.folder import ExperimentFolder
from ..storage.manifest import build_manifest
from ..storage.records import CellStatus
from ..storage.store import ExperimentStore


def zip_cells(store: ExperimentStore, experiment_id: str, target: Path) -> int:
    """Write the zip to `target`; returns how many cell files it holds."""
    folder = ExperimentFolder(store.root, experiment_id)
    experiment = store.experiment(experiment_id)  # NotFound for an unknown id
    inside = folder.dir.resolve()
    cells = store.cells(experiment_id)
    count = 0
    with zipfile.ZipFile(target, "w") as archive:
        for cell in cells:
            if cell.status != CellStatus.DONE:
                continue
            for name in cell.files:
                path = folder.dir / name
                if path.is_symlink() or not path.is_file() or inside not in path.resolve().parents:
                    continue
                archive.write(path, f"{experiment_id}/{name}", compress_type=zipfile.ZIP_STORED)
                count += 1
        manifest = build_manifest(experiment, cells)
        archive.writestr(f"{experiment_id}/manifest.json", strict_json(manifest),
                         compress_type=zipfile.ZIP_DEFLATED)
    return count
