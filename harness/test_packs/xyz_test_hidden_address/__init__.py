"""Test-only pack (never shipped): a ComfyUI whose PromptServer has no address/port.

Upstream marks `PromptServer.address`/`.port` for removal; this pack makes them
vanish as they will, so the tests see what XYZ Plot Studio does then. With
XYZ_TEST_HIDE_LISTEN_ARGS=1 the --listen/--port values are hidden from packs too
(ComfyUI's own start-up keeps its reference to the real arguments).
"""
import argparse
import os

import comfy.cli_args
import server
from aiohttp import web


def _gone(self):
    raise AttributeError("hidden by the xyz_test_hidden_address test pack")


server.PromptServer.address = property(_gone, lambda self, value: None)
server.PromptServer.port = property(_gone, lambda self, value: None)

if os.environ.get("XYZ_TEST_HIDE_LISTEN_ARGS"):
    comfy.cli_args.args = argparse.Namespace(**{k: v for k, v in vars(comfy.cli_args.args).items()
                                                 if k not in ("listen", "port")})


@server.PromptServer.instance.routes.get("/xyz_test/hidden_address")
async def hidden(request):
    instance = server.PromptServer.instance
    return web.json_response({"address": hasattr(instance, "address"), "port": hasattr(instance, "port"),
                              "listen_args": hasattr(comfy.cli_args.args, "port")})


NODE_CLASS_MAPPINGS: dict[str, type] = {}  # this test pack adds no nodes
