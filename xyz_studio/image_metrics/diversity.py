"""Diversity of a batch: how different its images' perceptual hashes are (pHash, as imagehash 4.3.2 makes it).

What it measures: each image is reduced to a 64-bit pHash (greyscale, resized to 32x32 with
Lanczos, 2-D DCT, the 8x8 lowest frequencies compared with their median), and the diversity is
the mean Hamming distance over all pairs of the batch's images, divided by 64: 0 when every
image has the same hash (near-duplicates), about 0.5 for unrelated images. A cell whose latent
batch holds N images (N noises from one seed) gets the diversity of its N results: how much a
setting lets the outputs vary rather than collapse to one picture.

Limits: a pHash sees coarse layout and brightness only: colour, small details and texture do
not count, so two images that differ only in colour read as duplicates, and a small shift of the
whole picture reads as different. A flat image has no structure to hash (its bits are decided
by rounding). It needs a batch of at least 2 images in the cell; diversity across cells (seeds
as an axis) is not a per-cell number, so it is not this metric.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import combinations

import numpy as np
from PIL import Image

from .pixels import ImageInputError, checked_batch

HASH_SIZE = 8       # 8x8 = 64 bits, imagehash's default
HIGHFREQ_FACTOR = 4  # the DCT is taken of a 32x32 image, imagehash's default
HASH_BITS = HASH_SIZE * HASH_SIZE


@functools.cache
def _dct_matrix(n: int) -> np.ndarray:
    """The unnormalised DCT-II as a matrix (scipy.fftpack.dct's default: y_k = 2 sum x_j cos(pi k (2j+1) / 2n))."""
    k, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return 2.0 * np.cos(np.pi * k * (2 * j + 1) / (2 * n))


def phash(image: np.ndarray) -> np.ndarray:
    """The 64 bits of one image's pHash, row by row (True where a frequency is above the median)."""
    channels = image[:, :, 0] if image.shape[2] == 1 else image[:, :, :3]
    side = HASH_SIZE * HIGHFREQ_FACTOR
    with Image.fromarray(np.ascontiguousarray(channels)) as picture:
        small = picture.convert("L").resize((side, side), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    d = _dct_matrix(side)
    low = (d @ pixels @ d.T)[:HASH_SIZE, :HASH_SIZE]
    bits: np.ndarray = (low > np.median(low)).flatten()
    return bits


def hamming(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.count_nonzero(a != b))


def batch_diversity(images: Sequence[np.ndarray], input_name: str = "images") -> float:
    """Mean pairwise Hamming distance of the batch's pHashes over 64 bits, 0..1."""
    batch = checked_batch(images, input_name)
    if len(batch) < 2:
        raise ImageInputError(input_name, "a batch of 1 image",
                              "a batch of at least 2 (e.g. batch_size 2 or more on Empty Latent Image)")
    hashes = [phash(image) for image in batch]
    distances = [hamming(a, b) for a, b in combinations(hashes, 2)]
    return float(np.mean(distances)) / HASH_BITS
