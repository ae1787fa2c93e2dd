"""ComfyUI's cache stays as the last cell left it: two experiments back to back on the
same checkpoint load it once in all (counted from ComfyUI's history)."""
from __future__ import annotations

from harness.experiments import Experiments, make_host
from harness.graphs import sd_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CKPT = "tiny_sd15_a.safetensors"
LOADER = "4"


def test_two_experiments_back_to_back_load_the_checkpoint_once(tmp_path_factory, models_dir):
    host = make_host(tmp_path_factory, models_dir, "warm").start()
    try:
        client = ComfyClient(host.url)
        experiments = Experiments(host, client)
        loads = 0
        for cfgs in ("5, 6", "7, 8"):
            g = sd_graph(CKPT)
            manifest = experiments.run(g.driver(g.axis(cfgs, [("3", "cfg")]), name=f"cfg {cfgs}").prompt)
            assert manifest["counts"] == {"done": 2}
            final = client.get(P.ROUTE_EXPERIMENT.format(experiment_id=manifest["id"]))["final_prompt_id"]
            for prompt_id in [c["prompt_id"] for c in manifest["cells"]] + [final]:
                entry = experiments.history(prompt_id)
                cached = {str(n) for event, data in entry["status"]["messages"] if event == "execution_cached"
                          for n in data["nodes"]}
                if LOADER in entry["prompt"][2] and LOADER not in cached and prompt_id != final:
                    loads += 1
            # the final prompt holds the last cell's graph, so the cache keeps the loaded checkpoint
            assert LOADER in experiments.history(final)["prompt"][2]
        assert loads == 1
    finally:
        host.stop()
