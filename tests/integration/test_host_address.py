"""The Grid Driver queues cells on its own server even when PromptServer no longer says
its address and port (marked for removal upstream), and refuses the experiment, never
guessing a default port, when the command line cannot tell either."""
from __future__ import annotations

import pytest

from harness.experiments import Experiments, make_host
from harness.graphs import image_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

PACK = "xyz_test_hidden_address"


def _colour_x_blur():
    g = image_graph()
    return g.driver(g.axis("0, 255", [("1", "color")]), g.axis("1, 3", [("2", "blur_radius")]), name="no address")


@pytest.fixture()
def started(tmp_path_factory, models_dir, request):
    hosts = []

    def start(**env):
        host = make_host(tmp_path_factory, models_dir, "address", test_packs=(PACK,), env=env).start()
        hosts.append(host)
        return host, ComfyClient(host.url)
    yield start
    for host in hosts:
        host.stop()


def test_without_server_address_the_cells_go_to_the_port_from_the_command_line(started):
    host, client = started()
    assert host.port != 8188
    assert client.get("/xyz_test/hidden_address") == {"address": False, "port": False, "listen_args": True}
    manifest = Experiments(host, client).run(_colour_x_blur().prompt)
    assert manifest["counts"] == {"done": 4}


def test_when_nothing_tells_the_port_the_experiment_is_refused_clearly(started):
    host, client = started(XYZ_TEST_HIDE_LISTEN_ARGS="1")
    assert client.get("/xyz_test/hidden_address") == {"address": False, "port": False, "listen_args": False}
    message = Experiments(host, client).plan_error(_colour_x_blur().prompt)
    assert "cannot tell which address and port this ComfyUI listens on" in message
    assert "experiment was not started" in message
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == 0
    assert client.get("/system_stats")["system"]  # still serving
