"""XYZ Plot Studio core: everything that does not need ComfyUI.

Parsing axis values, planning and ordering cells, rewriting prompts, drawing grids,
the experiment store and the headless runner live here and import without ComfyUI,
so they can be unit-tested and reused by the runner, the routes and later tools.
The ComfyUI-facing node classes in ../nodes are thin wrappers over this package.
"""

__version__ = "0.1.0"
