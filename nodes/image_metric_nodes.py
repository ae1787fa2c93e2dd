"""Image metrics for the Grid Assembler's metric inputs: sharpness, BRISQUE, batch diversity, closeness.

Thin nodes over xyz_studio/image_metrics (whose modules say what each number measures and where it
misleads). Each reads the image as the Grid Assembler saves it, 8 bits per value, so a cell's
value can be recomputed from its PNG; nothing is downloaded. Only BRISQUE needs a package beyond
ComfyUI's own: the trained model inside the `brisque` wheel, looked up when the node runs.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from comfy_api.latest import io

from ..host.image_tensor import tensor_to_pil
from ..xyz_studio import protocol as P
from ..xyz_studio.errors import NotInstalled
from ..xyz_studio.image_metrics.brisque import brisque
from ..xyz_studio.image_metrics.closeness import psnr, ssim
from ..xyz_studio.image_metrics.diversity import batch_diversity
from ..xyz_studio.image_metrics.pixels import ImageInputError
from ..xyz_studio.image_metrics.sharpness import sharpness

CATEGORY = "XYZ Studio/metrics"
TO_ASSEMBLER = " Connect it to one of the Grid Assembler's metric inputs to record it per cell."


def _number(name: str, tooltip: str) -> io.Output:
    """A FLOAT output whose slot shows its name (without display_name it reads "FLOAT")."""
    return io.Float.Output(name, display_name=name, tooltip=tooltip)


def _pixels(image) -> list[np.ndarray]:
    """An IMAGE batch as 8-bit arrays, quantised as the Grid Assembler saves the cell."""
    return [np.asarray(picture) for picture in tensor_to_pil(image)]


def _measured(node: str, metric: Callable[..., float], *images) -> float:
    try:
        return metric(*(_pixels(image) for image in images))
    except ImageInputError as e:
        raise ValueError(e.for_node(node)) from None


class Sharpness(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_SHARPNESS,
            display_name="Sharpness (Laplacian variance)",
            category=CATEGORY,
            description=(
                "How much fine detail and edge contrast an image has: the variance of the Laplacian of its "
                "brightness (0..255 scale). Blur lowers it; noise and busy subjects raise it, so it ranks cells "
                "of one size and subject, and says nothing absolute about quality. A batch reads its mean."
                + TO_ASSEMBLER
            ),
            inputs=[io.Image.Input("image", tooltip="The cell's image (e.g. from VAE Decode); a batch: its mean.")],
            outputs=[_number("sharpness", "Variance of the Laplacian: higher is sharper.")],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def execute(cls, image) -> io.NodeOutput:
        return io.NodeOutput(_measured(f"Sharpness #{cls.hidden.unique_id}", sharpness, image))


class Brisque(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_BRISQUE,
            display_name="BRISQUE (no-reference quality)",
            category=CATEGORY,
            description=(
                "A no-reference quality score, lower is better (about 0 to 100 on photographs): how far the "
                "image's local statistics are from those of undistorted photographs, by the trained model of the "
                "PyPI package brisque 0.2.0 (pip install --no-deps brisque==0.2.0; nothing is downloaded). It "
                "learnt photographic distortions (blur, noise, JPEG): on generated or stylised images it ranks "
                "cells of one subject at best. A flat image has no score (recorded as missing). A batch reads its "
                "mean." + TO_ASSEMBLER
            ),
            inputs=[io.Image.Input("image", tooltip="The cell's image, at least 32 pixels a side; a batch: its "
                                                    "mean.")],
            outputs=[_number("brisque", "BRISQUE score: lower is better (set the Grid Assembler's goal to "
                                        "'lower is better').")],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def execute(cls, image) -> io.NodeOutput:
        node = f"BRISQUE #{cls.hidden.unique_id}"
        try:
            return io.NodeOutput(_measured(node, brisque, image))
        except NotInstalled as e:
            raise RuntimeError(f"{node}: {e}") from None


class BatchDiversity(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_BATCH_DIVERSITY,
            display_name="Batch Diversity (pHash)",
            category=CATEGORY,
            description=(
                "How different the images of one batch are: the mean Hamming distance between their perceptual "
                "hashes (pHash, 64 bits), over 64. 0 = near-duplicates, about 0.5 = unrelated pictures. Set a "
                "batch size of 2 or more on the Empty Latent Image (each image gets its own noise). A pHash sees "
                "layout and brightness only: colour and fine detail do not count." + TO_ASSEMBLER
            ),
            inputs=[io.Image.Input("images", tooltip="A batch of at least 2 images from one cell.")],
            outputs=[_number("diversity", "Mean pairwise pHash distance, 0..1: higher is more varied.")],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def execute(cls, images) -> io.NodeOutput:
        return io.NodeOutput(_measured(f"Batch Diversity #{cls.hidden.unique_id}", batch_diversity, images))


class ImageCloseness(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_IMAGE_CLOSENESS,
            display_name="Image Closeness (PSNR, SSIM)",
            category=CATEGORY,
            description=(
                "How close an image is to a reference image of the same size, pixel by pixel: PSNR in dB and "
                "SSIM (structure, 1 = identical). With one cell's image as the reference (Load Image), the best "
                "cell is known in advance. A shift or recolouring reads as far, however alike it looks. "
                "Identical images read 148.13 dB (the MSE is floored so the value stays a number)." + TO_ASSEMBLER
            ),
            inputs=[
                io.Image.Input("image", tooltip="The cell's image; a batch: the mean over its images."),
                io.Image.Input("reference", tooltip="The target: one image, or one per image of the batch; the "
                                                    "same width and height."),
            ],
            outputs=[
                _number("psnr", "Peak signal-to-noise ratio in dB: higher is closer."),
                _number("ssim", "Structural similarity, 1 = identical: higher is closer."),
            ],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def execute(cls, image, reference) -> io.NodeOutput:
        node = f"Image Closeness #{cls.hidden.unique_id}"
        return io.NodeOutput(_measured(node, psnr, image, reference), _measured(node, ssim, image, reference))


IMAGE_METRIC_NODES = [Sharpness, Brisque, BatchDiversity, ImageCloseness]
