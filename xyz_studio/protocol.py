"""Names shared by the Python side, the routes, the frontend and saved files.

Defined once here: node ids (never change them: saved workflows refer to them),
custom types, websocket events, route paths and metadata keys.
"""
from __future__ import annotations

NAMESPACE = "xyz_studio"

NODE_AXIS = "XYZStudio.Axis"
NODE_DRIVER = "XYZStudio.GridDriver"
NODE_ASSEMBLER = "XYZStudio.GridAssembler"
OUR_NODES = frozenset({NODE_AXIS, NODE_DRIVER, NODE_ASSEMBLER})

AXIS_TYPE = "XYZ_AXIS"
AXIS_VALUE_OUTPUTS = 4          # value, value_2 .. value_4: paired values per axis
AXIS_SLOTS = ("x", "y", "z")

# Websocket events (PromptServer.send_sync -> api.addEventListener in the browser).
EVENT_EXPERIMENT = f"{NAMESPACE}.experiment"   # {experiment, status, done, failed, total}
EVENT_CELL = f"{NAMESPACE}.cell"               # {experiment, index, x, y, z, status, file}

# HTTP routes (also served under /api/...).
ROUTE_PREFIX = f"/{NAMESPACE}"
ROUTE_EXPERIMENTS = f"{ROUTE_PREFIX}/experiments"
ROUTE_EXPERIMENT = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}"
ROUTE_MANIFEST = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/manifest"
ROUTE_FILE = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/files/{{name:.+}}"
ROUTE_CANCEL = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/cancel"      # POST
ROUTE_RESUME = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/resume"      # POST
ROUTE_RETRY = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/retry_failed"  # POST

# Key under extra_data.extra_pnginfo that tells the Grid Assembler which job it runs.
PNGINFO_KEY = NAMESPACE
ROLE_CELL = "cell"
ROLE_ASSEMBLE = "assemble"

# Key in the Grid Driver's UI output that carries the experiment id (read by the runner).
UI_EXPERIMENT_KEY = "xyz_studio_experiment"

OUTPUT_SUBFOLDER = NAMESPACE   # <ComfyUI output>/xyz_studio/<experiment id>/
