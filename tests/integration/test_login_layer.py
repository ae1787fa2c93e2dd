"""Behind a login layer (a middleware in front of every route), the pack's own calls
carry the credentials of the request that queued the workflow; where those cannot be
used again, the experiment is refused with a message that says why and what to do.
The credential never reaches a file, the store or the log."""
from __future__ import annotations

import uuid

import pytest

from harness.experiments import Experiments, make_host
from harness.graphs import image_graph, sd_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import AccessRefused, ComfyClient

PACK = "xyz_test_login"
TOKEN = "s3cret-" + uuid.uuid4().hex


class OneTimeClient(ComfyClient):
    """Sends a fresh nonce with every request, as a page with one-time tokens would."""

    def _request(self, method, path, body=None):
        self.headers["X-Test-Nonce"] = uuid.uuid4().hex
        return super()._request(method, path, body)


@pytest.fixture()
def login_host(tmp_path_factory, models_dir):
    hosts = []

    def start(**env):
        host = make_host(tmp_path_factory, models_dir, "login", test_packs=(PACK,),
                         env={"XYZ_TEST_TOKEN": TOKEN, **env}).start()
        hosts.append(host)
        return host
    yield start
    for host in hosts:
        host.stop()


def _grid():
    g = image_graph()
    return g.driver(g.axis("0, 255", [("1", "color")]), g.axis("1, 3", [("2", "blur_radius")]), name="behind login")


def test_the_pack_works_behind_a_login_layer_and_keeps_the_credential_off_disk(login_host):
    host = login_host()
    with pytest.raises(AccessRefused):
        ComfyClient(host.url).get("/system_stats")   # the layer is real
    client = ComfyClient(host.url, headers={"X-Test-Token": TOKEN})
    experiments = Experiments(host, client)
    manifest = experiments.run(_grid().prompt)
    assert manifest["counts"] == {"done": 4}

    # cancel and resume through the routes, with cells on the way
    g = sd_graph("tiny_sd15_a.safetensors")
    eid = experiments.start(g.driver(g.axis("14, 15, 16, 17, 18, 19", [("3", "steps")]), name="cancel me").prompt)
    cancelled = client.post(P.ROUTE_CANCEL.format(experiment_id=eid), {})
    assert cancelled["status"] == "cancelled"
    resumed = client.post(P.ROUTE_RESUME.format(experiment_id=eid), {})
    assert resumed["queued"] + client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 6
    assert experiments.wait(eid)["counts"] == {"done": 6}

    host.stop()
    secret = TOKEN.encode()
    leaks = [p for p in host.base_dir.rglob("*") if p.is_file() and not p.is_symlink() and secret in p.read_bytes()]
    assert leaks == [], f"the credential was written to {leaks}"


def test_one_time_credentials_refuse_the_experiment_and_say_why(login_host):
    host = login_host(XYZ_TEST_ONE_TIME_TOKENS="1")
    client = OneTimeClient(host.url, headers={"X-Test-Token": TOKEN})
    message = Experiments(host, client).plan_error(_grid().prompt)
    assert "refused XYZ Plot Studio's own request (401" in message
    assert "login layer" in message and "Nothing was queued" in message and "127.0.0.1" in message
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == 0
