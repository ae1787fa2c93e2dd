"""Test-only stand-in (never shipped): put first on PYTHONPATH, it makes `import optuna` fail as
on a machine where Optuna is not installed, without a second venv."""
raise ImportError("No module named 'optuna' (blocked for this test host)")
