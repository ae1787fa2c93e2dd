"""Fixtures of the integration tests beyond the shared server (tests/conftest.py)."""
from __future__ import annotations

import pytest

from harness.experiments import make_host
from harness.host import REPO
from harness.wandb_offline import wandb_env


@pytest.fixture(scope="session")
def blocked_host(tmp_path_factory, models_dir):
    """A server on which `import wandb`, `import comfy_script` and `import optuna` fail, as where the extras are
    not installed."""
    host = make_host(tmp_path_factory, models_dir, "no-extras", test_packs=("xyz_test_metrics",),
                     env={**wandb_env(tmp_path_factory.mktemp("wandb-blocked")),
                          "PYTHONPATH": str(REPO / "harness" / "import_blocks")})
    yield host.start()
    host.stop()
