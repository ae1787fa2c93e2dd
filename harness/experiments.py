"""Driving experiments on a test host: start, wait, read results (tests and tools)."""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import numpy as np
from PIL import Image

from harness.host import ComfyHost
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient, PromptRejected
from xyz_studio.errors import WorkflowRejected
from xyz_studio.runner import wait_for_plan


def wait_until(predicate, timeout: float = 120, step: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"{what} not reached in {timeout} s")


def make_host(tmp_path_factory, models_dir: Path, name: str, extra_args=None, test_packs=(),
              env=None, link_pack: bool = True, without_models: tuple[str, ...] = ()) -> ComfyHost:
    """A host in a fresh folder with the tiny models linked in (not started).

    `link_pack=False` makes a stock ComfyUI (a worker of several servers); `without_models`
    names model files to leave out of it.
    """
    base = tmp_path_factory.mktemp(name)
    host = ComfyHost(base, extra_args=extra_args, test_packs=test_packs, env=env, link_pack=link_pack)
    host.prepare()
    for kind in ("checkpoints", "loras"):
        for f in (models_dir / kind).glob("*.safetensors"):
            if f.name in without_models:
                continue
            target = base / "models" / kind / f.name
            if not target.exists():
                target.symlink_to(f)
    return host


class Experiments:
    """Queue XYZ prompts on the shared server and wait for their results."""

    def __init__(self, host: ComfyHost, client: ComfyClient):
        self.host = host
        self.client = client

    def start(self, prompt: dict) -> str:
        return self.start_queued(self.client.queue_prompt(prompt))

    def start_queued(self, prompt_id: str) -> str:
        """The experiment that the already queued XYZ workflow `prompt_id` started."""
        try:
            return wait_for_plan(self.client, prompt_id, 120)
        except WorkflowRejected as e:
            raise AssertionError(f"plan failed: {e}") from None

    def wait(self, experiment_id: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))
            if status["status"] in ("complete", "cancelled", "planned") and status["grids"]:
                return self.client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
            time.sleep(0.1)
        raise AssertionError(f"experiment {experiment_id} did not finish in {timeout}s:\n{self.host.log_tail()}")

    def run(self, prompt: dict, timeout: float = 300) -> dict:
        return self.wait(self.start(prompt), timeout)

    def history(self, prompt_id: str, timeout: float = 60) -> dict:
        """ComfyUI's history entry of a prompt, once it has one. The pack writes the manifest
        while its final prompt still runs, so that prompt's entry can come a moment later."""
        deadline = time.monotonic() + timeout
        while (entry := self.client.history(prompt_id)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"prompt {prompt_id} has no history entry after {timeout}s")
            time.sleep(0.05)
        return entry

    def tracking(self, experiment_id: str, timeout: float = 120) -> dict:
        """The experiment's tracking state once its tracker is done with it (finished, failed or off)."""
        deadline = time.monotonic() + timeout
        route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
        while time.monotonic() < deadline:
            tracking = self.client.get(route)["tracking"]
            if tracking is None or tracking["status"] not in ("starting", "logging"):
                return tracking
            time.sleep(0.1)
        raise AssertionError(f"the W&B run of {experiment_id} did not close in {timeout}s:\n{self.host.log_tail()}")

    def saved_directly(self, prompt: dict) -> np.ndarray:
        """The pixels ComfyUI's own Save Image writes for `prompt` (a cell PNG's `prompt` text: the
        cell with a Save Image in place of the Grid Assembler), queued as a plain prompt."""
        prompt = json.loads(json.dumps(prompt))
        prefix = f"direct/{uuid.uuid4().hex[:12]}"
        for node in prompt.values():
            if node.get("class_type") == "SaveImage":
                node["inputs"]["filename_prefix"] = prefix
        entry = self.history(self.client.queue_prompt(prompt), timeout=120)
        [image] = [i for out in entry["outputs"].values() for i in out.get("images", [])]
        with Image.open(self.host.output_dir / image["subfolder"] / image["filename"]) as im:
            return np.asarray(im.convert("RGB"))

    def refusal(self, prompt: dict, extra_data: dict | None = None) -> dict[str, list[dict]]:
        """POST a prompt that must be refused on queueing: the errors of its POST /prompt answer, by node id."""
        try:
            prompt_id = self.client.queue_prompt(prompt, extra_data=extra_data)
        except PromptRejected as e:
            return {node_id: info["errors"] for node_id, info in (e.body.get("node_errors") or {}).items()}
        raise AssertionError(f"POST /prompt accepted the prompt ({prompt_id}); expected it refused")

    def folder(self, manifest: dict) -> Path:
        return self.host.output_dir / P.OUTPUT_SUBFOLDER / manifest["id"]

    def plan_error(self, prompt: dict) -> str:
        """Queue a prompt that must be refused by the planner; return the error text (from the
        POST /prompt answer when it is refused there, else from the Grid Driver's run)."""
        try:
            prompt_id = self.client.queue_prompt(prompt)
        except PromptRejected as e:
            return e.describe()
        try:
            experiment_id = wait_for_plan(self.client, prompt_id, 60)
        except WorkflowRejected as e:
            return str(e)
        raise AssertionError(f"expected a plan error, got experiment {experiment_id}")


class FinishedBefore:
    """The cells an interrupted experiment had finished, as its manifest and files said, to tell
    afterwards which of them ran again (a resume must run none)."""

    def __init__(self, host: ComfyHost, manifest: dict):
        self.folder = host.output_dir / P.OUTPUT_SUBFOLDER / manifest["id"]
        self.cells = {c["index"]: c for c in manifest["cells"] if c["status"] == "done"}
        self.mtimes = {i: (self.folder / c["files"][0]).stat().st_mtime_ns for i, c in self.cells.items()}

    def run_again(self, after: dict) -> list[int]:
        """The finished cells whose attempt, prompt or file changed in `after` (a later manifest)."""
        return [i for i, c in self.cells.items()
                if after["cells"][i]["attempts"] != c["attempts"] or after["cells"][i]["prompt_id"] != c["prompt_id"]
                or (self.folder / c["files"][0]).stat().st_mtime_ns != self.mtimes[i]]


def resume_with_the_runner(host: ComfyHost, experiment_id: str, timeout: float = 600) -> None:
    """`python -m xyz_studio run --resume` against `host`, as a user resumes from a shell."""
    import subprocess

    from harness.host import REPO, VENV_PYTHON
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", "--resume", experiment_id,
                           "--server", host.url], cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
