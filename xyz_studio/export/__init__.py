"""Sharing an experiment outside ComfyUI: a standalone HTML viewer (and, later, a ComfyScript)."""
