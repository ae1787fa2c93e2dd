"""Test-only pack (never shipped): times the POST /prompt handlers where they run.

POST /xyz_test/prompt_handlers {"body": <a POST /prompt body>, "repeat": N} runs every
installed prompt handler on a copy of the body N times, on the server's event loop as
post_prompt does, and answers each handler's median and worst time in milliseconds
(bench/preflight.py). Nothing is queued.
"""
import copy
import statistics
import time

import server
from aiohttp import web


@server.PromptServer.instance.routes.post("/xyz_test/prompt_handlers")
async def time_handlers(request):
    asked = await request.json()
    timings = []
    for handler in server.PromptServer.instance.on_prompt_handlers:
        runs = []
        for _ in range(int(asked.get("repeat", 20))):
            body = copy.deepcopy(asked["body"])
            start = time.perf_counter()
            handler(body)
            runs.append((time.perf_counter() - start) * 1000)
        timings.append({"handler": getattr(handler, "__qualname__", repr(handler)),
                        "median_ms": statistics.median(runs), "max_ms": max(runs)})
    return web.json_response(timings)


NODE_CLASS_MAPPINGS: dict[str, type] = {}  # this test pack adds no nodes
