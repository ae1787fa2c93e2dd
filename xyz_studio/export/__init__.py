"""Sharing an experiment outside ComfyUI: a standalone HTML viewer and the sweep as a ComfyScript."""
