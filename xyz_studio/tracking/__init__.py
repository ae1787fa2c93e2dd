"""Experiment tracking: each experiment as one Weights & Biases run, logged off the render path."""
