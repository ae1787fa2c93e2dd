"""Benchmarks (`make bench`): ratios against a baseline run side by side, not timed tests."""
