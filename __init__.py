"""XYZ Plot Studio: XY/XYZ plots of any input of any node, for ComfyUI.

ComfyUI loads this file; it only points at the V3 entry point and the web folder.
Nothing heavy happens at import.
"""
from .host.extension import comfy_entrypoint

WEB_DIRECTORY = "./web"

__all__ = ["comfy_entrypoint", "WEB_DIRECTORY"]
