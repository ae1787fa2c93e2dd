"""The V3 extension: the node list, and the set-up that must happen once per server.

The V3 API says set-up belongs in `ComfyExtension.on_load`. Newer ComfyUI calls it
before `get_node_list`; 0.3.75 (the test host) never calls it. So set-up runs from
`on_load` when the host calls it, and otherwise from `get_node_list`, which every
host calls: feature detection by what the loader actually does, not by version.
"""
from __future__ import annotations

from comfy_api.latest import ComfyExtension, io

from ..nodes import NODES
from ..xyz_studio.planning.plan_gate import restrict_to_drivers
from ..xyz_studio.planning.preflight import prompt_handler
from . import adapter, credentials, routes


class XYZStudioExtension(ComfyExtension):
    def __init__(self) -> None:
        self._set_up = False

    async def on_load(self) -> None:
        self._set_up_once()

    async def get_node_list(self) -> list[type[io.ComfyNode]]:
        self._set_up_once()  # a host that never calls on_load
        return list(NODES)

    def _set_up_once(self) -> None:
        if self._set_up:
            return
        routes.register()
        adapter.add_middleware(credentials.middleware())
        adapter.add_prompt_handler(restrict_to_drivers)
        adapter.add_prompt_handler(credentials.keep_for_xyz_prompt)
        # last: it checks the body the other handlers leave, and ComfyUI validates it right after
        adapter.add_prompt_handler(prompt_handler(adapter.node_specs_in_process))
        self._set_up = True


async def comfy_entrypoint() -> XYZStudioExtension:
    return XYZStudioExtension()
