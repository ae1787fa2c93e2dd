"""Builders of API-format XYZ prompts for tests, the benchmark and example workflows.

`Graph` wraps an API prompt and adds axes and the driver the way a user would wire
them in the editor: an axis's value output linked into the input it varies.
"""
from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from xyz_studio import protocol as P

DRIVER_ID = "90"


class Graph:
    def __init__(self, prompt: dict[str, dict]):
        self.prompt = copy.deepcopy(prompt)
        self._next_axis = 100

    def axis(self, values: str, targets: Sequence[Any] = (),
             mode: str = "values", title: str = "", labels: str = "", node_id: str | None = None) -> str:
        """Add an XYZ Axis; `targets` is a list of (node, input) or, for pairs, one list of them per
        component."""
        node_id = node_id or str(self._next_axis)
        self._next_axis += 1
        self.prompt[node_id] = {"class_type": P.NODE_AXIS, "_meta": {"title": title or "XYZ Axis"},
                                "inputs": {"values": values, "mode": mode, "title": title, "labels": labels}}
        components = targets if targets and isinstance(targets[0], list) else ([list(targets)] if targets else [])
        for k, component in enumerate(components, start=1):
            for target_id, input_name in component:
                self.prompt[target_id]["inputs"][input_name] = [node_id, k]
        return node_id

    def driver(self, x: str, y: str | None = None, z: str | None = None, name: str = "test",
               max_cells: int = 500, dry_run: bool = False, max_grid_megapixels: float = 64.0,
               order: str = "cost-aware", more: dict[str, str] | None = None) -> Graph:
        """The Grid Driver over axes x, y, z and `more` (slot -> axis node: axis4 ...)."""
        inputs: dict[str, Any] = {"x": [x, 0], "name": name, "max_cells": max_cells, "dry_run": dry_run,
                                  "max_grid_megapixels": max_grid_megapixels, "order": order,
                                  "super_grid": False}  # as the editor queues it (the widget's default)
        if y:
            inputs["y"] = [y, 0]
        if z:
            inputs["z"] = [z, 0]
        for slot, axis in (more or {}).items():
            inputs[slot] = [axis, 0]
        self.prompt[DRIVER_ID] = {"class_type": P.NODE_DRIVER, "inputs": inputs}
        return self

    def tracked(self, mode: str = "offline", project: str = "xyz-tests", run_name: str = "", tags: str = "",
                log_cells: bool = True, node_id: str = "80") -> Graph:
        """Add a W&B Logger and connect it to the driver (call after `driver`)."""
        self.prompt[node_id] = {"class_type": P.NODE_WANDB_LOGGER, "inputs": {
            "project": project, "entity": "", "run_name": run_name, "tags": tags, "mode": mode,
            "log_cells": log_cells}}
        self.prompt[DRIVER_ID]["inputs"]["tracking"] = [node_id, 0]
        return self

    def servers(self, urls: list[str], include_this_server: bool = True, cells_per_server: int = 2,
                cell_timeout: float = 600.0, node_id: str = "81") -> Graph:
        """Add a Servers node and connect it to the driver (call after `driver`)."""
        self.prompt[node_id] = {"class_type": P.NODE_SERVERS, "inputs": {
            "urls": "\n".join(urls), "include_this_server": include_this_server,
            "cells_per_server": cells_per_server, "cell_timeout": cell_timeout}}
        self.prompt[DRIVER_ID]["inputs"]["servers"] = [node_id, 0]
        return self

    def search(self, objective: str, budget: int, sampler: str = "TPE", seed: int = 0, coarse_fraction: float = 0.0,
               goal: str = "metric's own", node_id: str = "82") -> Graph:
        """Add a Search node and connect it to the driver (call after `driver`)."""
        self.prompt[node_id] = {"class_type": P.NODE_SEARCH, "inputs": {
            "objective": objective, "goal": goal, "budget": budget, "sampler": sampler, "search_seed": seed,
            "coarse_fraction": coarse_fraction}}
        self.prompt[DRIVER_ID]["inputs"]["search"] = [node_id, 0]
        return self

    def metric(self, slot: str, source: tuple[str, int], name: str = "", goal: str = "higher is better",
               show: bool | None = None, assembler_id: str = "9") -> Graph:
        """Wire a node output into one of the Grid Assembler's metric inputs."""
        inputs = self.prompt[assembler_id]["inputs"]
        inputs[slot] = [source[0], source[1]]
        inputs[P.metric_name_input(slot)] = name
        inputs[P.metric_goal_input(slot)] = goal
        if show is not None:
            inputs[P.SHOW_METRICS_INPUT] = show
        return self


def assembler_node(image: list) -> dict:
    """A Grid Assembler as the editor queues it: the image, and its widgets at their defaults."""
    inputs: dict[str, Any] = {P.IMAGE_INPUT: image}
    for slot in P.METRIC_INPUTS:
        inputs[P.metric_name_input(slot)] = ""
        inputs[P.metric_goal_input(slot)] = "higher is better"
    inputs[P.SHOW_METRICS_INPUT] = False
    return {"class_type": P.NODE_ASSEMBLER, "inputs": inputs}


def image_graph(size: int = 64, assembler: bool = True) -> Graph:
    """Model-free: EmptyImage -> ImageBlur -> Grid Assembler (built-in nodes only)."""
    prompt = {
        "1": {"class_type": "EmptyImage", "inputs": {"width": size, "height": size, "batch_size": 1, "color": 0}},
        "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 1, "sigma": 1.0}},
    }
    if assembler:
        prompt["9"] = assembler_node(["2", 0])
    return Graph(prompt)


# Ten model-free inputs to vary (node, input), one per axis: enough for axes past the Grid
# Driver's eight declared inputs (axis9, axis10).
TEN_TARGETS = (("1", "width"), ("1", "color"), ("1", "height"), ("2", "blur_radius"), ("2", "sigma"),
               ("3", "blur_radius"), ("3", "sigma"), ("4", "sharpen_radius"), ("4", "alpha"), ("4", "sigma"))
TEN_VALUES = ("32, 40", "0, 16777215", "32", "1", "1.0", "2", "0.5", "1", "0.5, 1.5", "0.5, 2.5")


def ten_axes_graph(name: str, wired: int = 10) -> tuple[Graph, list[str]]:
    """EmptyImage -> ImageBlur -> ImageBlur -> ImageSharpen, an XYZ Axis on each of TEN_TARGETS
    (16 cells), the first `wired` of them connected to the Grid Driver. Returns the graph and
    the axis node ids in axis order."""
    g = Graph({
        "1": {"class_type": "EmptyImage", "inputs": {"width": 32, "height": 32, "batch_size": 1, "color": 0}},
        "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 1, "sigma": 1.0}},
        "3": {"class_type": "ImageBlur", "inputs": {"image": ["2", 0], "blur_radius": 1, "sigma": 1.0}},
        "4": {"class_type": "ImageSharpen", "inputs": {"image": ["3", 0], "sharpen_radius": 1, "sigma": 1.0,
                                                       "alpha": 1.0}},
        "9": assembler_node(["4", 0]),
    })
    axes = [g.axis(values, [target], title=f"{target[1]}@{target[0]}")
            for target, values in zip(TEN_TARGETS, TEN_VALUES)]
    g.driver(axes[0], axes[1] if wired > 1 else None, axes[2] if wired > 2 else None, name=name,
             more={P.axis_slot(n): axes[n - 1] for n in range(4, wired + 1)})
    return g, axes


def sd_graph(ckpt: str, size: int = 64, lora: str | None = None, positive: str = "a photo of a red cat",
             negative: str = "blurry, low quality", steps: int = 4, cfg: float = 7.0, seed: int = 42,
             sampler: str = "euler", scheduler: str = "normal") -> Graph:
    """Checkpoint -> (LoRA) -> prompts -> KSampler -> VAE Decode -> Grid Assembler."""
    model, clip = ["4", 0], ["4", 1]
    prompt: dict[str, dict] = {
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": ckpt}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": size, "height": size, "batch_size": 1}},
    }
    if lora:
        prompt["10"] = {"class_type": "LoraLoader", "inputs": {"model": model, "clip": clip, "lora_name": lora,
                                                                "strength_model": 1.0, "strength_clip": 1.0}}
        model, clip = ["10", 0], ["10", 1]
    prompt.update({
        "6": {"class_type": "CLIPTextEncode", "_meta": {"title": "Positive"},
              "inputs": {"text": positive, "clip": clip}},
        "7": {"class_type": "CLIPTextEncode", "_meta": {"title": "Negative"},
              "inputs": {"text": negative, "clip": clip}},
        "3": {"class_type": "KSampler", "inputs": {
            "model": model, "seed": seed, "steps": steps, "cfg": cfg, "sampler_name": sampler,
            "scheduler": scheduler, "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0],
            "denoise": 1.0}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": assembler_node(["8", 0]),
    })
    return Graph(prompt)
