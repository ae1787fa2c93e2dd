"""Where an export reads its experiment: the pack's routes on a server, or the experiment's folder."""
from __future__ import annotations

from typing import Any

from .. import protocol as P
from ..api_views import experiment_file, experiment_manifest, experiment_thumbnail
from ..comfyui.client import ComfyClient
from ..storage.store import ExperimentStore


class RouteSource:
    """Through the routes, like the runner: works against any server the pack runs on."""

    def __init__(self, client: ComfyClient, experiment_id: str):
        self.client, self.experiment_id = client, experiment_id

    def manifest(self) -> dict[str, Any]:
        return self.client.get_object(P.route_path(P.ROUTE_MANIFEST, self.experiment_id))

    def file(self, name: str) -> bytes:
        return self.client.get_bytes(P.route_path(P.ROUTE_FILE, self.experiment_id, name))

    def thumbnail(self, name: str, size: int) -> bytes:
        return self.client.get_bytes(P.route_path(P.ROUTE_THUMBNAIL, self.experiment_id, name) + f"?size={size}")


class FolderSource:
    """Straight from the store and the experiment folder, with the routes' own path rules."""

    def __init__(self, store: ExperimentStore, experiment_id: str):
        self.store, self.experiment_id = store, experiment_id

    def manifest(self) -> dict[str, Any]:
        return experiment_manifest(self.store, self.experiment_id)

    def file(self, name: str) -> bytes:
        return experiment_file(self.store, self.experiment_id, name).read_bytes()

    def thumbnail(self, name: str, size: int) -> bytes:
        return experiment_thumbnail(self.store, self.experiment_id, name, str(size)).read_bytes()
