"""The ComfyUI face of XYZ Plot Studio: V3 node classes, routes and host adapter."""
from __future__ import annotations

from comfy_api.latest import ComfyExtension, io

from .axis_node import XYZAxis
from .grid_assembler_node import GridAssembler
from .grid_driver_node import GridDriver


class XYZStudioExtension(ComfyExtension):
    async def get_node_list(self) -> list[type[io.ComfyNode]]:
        return [XYZAxis, GridDriver, GridAssembler]


async def comfy_entrypoint() -> XYZStudioExtension:
    from ..xyz_studio.plan_gate import restrict_to_drivers
    from . import comfy_host, routes

    routes.register()
    comfy_host.add_prompt_handler(restrict_to_drivers)
    return XYZStudioExtension()
