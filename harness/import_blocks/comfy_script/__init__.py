"""Test-only stand-in (never shipped): first on PYTHONPATH, it makes `import comfy_script` fail as
where the extra is not installed."""
raise ImportError("No module named 'comfy_script' (blocked for this test host)")
