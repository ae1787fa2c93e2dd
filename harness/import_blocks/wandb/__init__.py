"""Test-only stand-in (never shipped): put first on PYTHONPATH, it makes `import wandb` fail as
on a machine where wandb is not installed, without a second venv."""
raise ImportError("No module named 'wandb' (blocked for this test host)")
