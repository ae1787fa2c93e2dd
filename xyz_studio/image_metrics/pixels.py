"""The images the metrics read: 8-bit arrays, one per image of a batch, checked once here."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import StudioError

# ITU-R BT.601 luma, the weights of OpenCV's and PIL's greyscale conversions
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


class ImageInputError(StudioError, ValueError):
    """An image a metric cannot read; the node names itself in front of the message."""

    def __init__(self, input_name: str, got: str, expected: str):
        self.input_name, self.got, self.expected = input_name, got, expected
        super().__init__(f'input "{input_name}": got {got}; expected {expected}')

    def for_node(self, node: str) -> str:
        return f"{node}, {self}."


def shape_text(image: np.ndarray) -> str:
    return "x".join(str(n) for n in image.shape)


def checked_batch(images: Sequence[np.ndarray], input_name: str, min_side: int = 1) -> list[np.ndarray]:
    """`images` as a list of uint8 arrays (H, W) or (H, W, C) with C in 1, 3, 4; ImageInputError otherwise."""
    if len(images) == 0:
        raise ImageInputError(input_name, "an empty batch", "at least one image")
    out = []
    for image in images:
        array = np.asarray(image)
        if array.dtype != np.uint8 or array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
            raise ImageInputError(input_name, f"an array of {array.dtype} {shape_text(array)}",
                                  "8-bit images of height x width (x 1, 3 or 4 channels)")
        if min(array.shape[:2]) < min_side:
            raise ImageInputError(input_name, f"an image of {array.shape[1]}x{array.shape[0]} pixels",
                                  f"images at least {min_side} pixels wide and high")
        out.append(array if array.ndim == 3 else array[:, :, None])
    return out


def colour(image: np.ndarray) -> np.ndarray:
    """The colour channels as float64 (alpha dropped; a grey image stays one channel)."""
    return image[:, :, :3].astype(np.float64) if image.shape[2] >= 3 else image[:, :, :1].astype(np.float64)


def luma(image: np.ndarray) -> np.ndarray:
    """Brightness 0..255 as float64 (H, W): BT.601 weights, not rounded to integers."""
    channels = colour(image)
    return channels[:, :, 0] if channels.shape[2] == 1 else channels @ LUMA_WEIGHTS
