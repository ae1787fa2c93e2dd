"""Sharpness: the variance of the Laplacian of an image's brightness (Pech-Pacheco et al., 2000).

What it measures: how much fine detail and how many hard edges the image has. The Laplacian
(3x3 kernel 0 1 0 / 1 -4 1 / 0 1 0, borders mirrored without repeating the edge pixel, as
OpenCV's default) is near 0 on smooth areas and large across edges; its variance over the image
grows with edge contrast and falls as the image is blurred. Brightness is BT.601 luma in 0..255,
so the numbers are those of the usual `cv2.Laplacian(grey, cv2.CV_64F).var()` recipe on a float
grey image (on OpenCV's rounded 8-bit grey they differ a little).

Limits: it is no verdict on quality. Noise counts as detail, so an under-sampled, grainy image
(too few steps, a too-high CFG's artefacts) can score sharper than a clean one; a busy subject
scores higher than a plain one however well focused; the value depends on resolution (compare
cells of one size) and has no absolute scale (the popular "below 100 is blurry" holds for
photographs at best). Use it to rank cells that differ in a setting, not to judge one image.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .pixels import checked_batch, luma


def laplacian_variance(image: np.ndarray) -> float:
    """The variance of the 4-neighbour Laplacian of one image's luma (0..255 scale)."""
    grey = np.pad(luma(image), 1, mode="reflect")  # numpy's "reflect" is OpenCV's BORDER_REFLECT_101
    lap = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4.0 * grey[1:-1, 1:-1]
    return float(lap.var())


def sharpness(images: Sequence[np.ndarray], input_name: str = "image") -> float:
    """The mean Laplacian variance over a batch (one value per cell, however many images it makes)."""
    return float(np.mean([laplacian_variance(image) for image in checked_batch(images, input_name, min_side=2)]))
