"""Servers: spread the Grid Driver's cells over several ComfyUI servers (one per GPU or machine)."""
from __future__ import annotations

from comfy_api.latest import io

from ..xyz_studio import protocol as P
from ..xyz_studio.errors import PlanError
from ..xyz_studio.servers.server_set import DEFAULT_CELL_TIMEOUT, DEFAULT_IN_FLIGHT, ServerSet, parse_server_list


class Servers(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_SERVERS,
            display_name="Servers",
            category="XYZ Studio",
            description=(
                "Other ComfyUI servers to render the cells on, beside this one: one URL per line. A worker needs only "
                "ComfyUI and the models the cells use (not this pack, unless the cells use its metric nodes). Each is "
                "checked before the first cell; one that lacks a node or a model is left out with a message. Cells "
                "go to the least busy server; if one stops answering, its cells are sent to the others."
            ),
            inputs=[
                io.String.Input("urls", default="", multiline=True,
                                tooltip="One server per line, e.g. http://192.168.1.20:8188 (# starts a comment)."),
                io.Boolean.Input("include_this_server", default=True,
                                 tooltip="This server renders cells too "
                                         "(off: it only sends them and draws the grids)."),
                io.Int.Input("cells_per_server", default=DEFAULT_IN_FLIGHT, min=1, max=8,
                             tooltip="Cells queued on each server at once: 2 keeps each GPU's next cell waiting."),
                io.Float.Input("cell_timeout", default=DEFAULT_CELL_TIMEOUT, min=10.0, max=86400.0, step=10.0,
                               tooltip="Seconds a cell may run on a server before that server counts as stuck and "
                                       "its cells go elsewhere."),
            ],
            outputs=[io.Custom(P.SERVERS_TYPE).Output("servers", tooltip="Connect to the Grid Driver's servers.")],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def execute(cls, urls: str, include_this_server: bool, cells_per_server: int,
                cell_timeout: float) -> io.NodeOutput:
        node = f"Servers #{cls.hidden.unique_id}"
        listed = parse_server_list(urls, node)
        if not listed and not include_this_server:
            raise PlanError(node, "urls", urls.strip(), "at least one server address when include_this_server is off")
        servers = ServerSet(urls=listed, include_local=bool(include_this_server),
                            max_in_flight=int(cells_per_server), cell_timeout=float(cell_timeout))
        return io.NodeOutput(servers.to_json())
