"""Test and demo harness: builds and runs a real ComfyUI host and tiny models.

Nothing here is part of the installed pack; it exists so tests, the demo and the
benchmarks run against a real ComfyUI on a CPU-only machine.
"""
