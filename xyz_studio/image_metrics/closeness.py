"""Closeness to a reference image: PSNR and SSIM (full-reference metrics, nothing learnt).

What they measure: PSNR (dB) is 10 log10(255^2 / MSE), the mean squared difference of all colour
values, as a ratio: higher is closer. SSIM (Wang et al., 2004) compares local brightness,
contrast and structure in Gaussian windows (sigma 1.5, 11x11; K1 0.01, K2 0.03) and averages the
map, per colour channel, then over channels: 1 for identical images, near 0 for unrelated ones.
The SSIM is scikit-image's `structural_similarity(a, b, channel_axis=2, data_range=255,
gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`, the settings that reproduce
Wang's paper; its borders (5 pixels) are left out of the mean as there.

Use: with one cell's image as the reference, the cells closest to it score best, so a search
knows its exhaustive optimum (that cell). Limits: both compare pixels at the same places; a
picture shifted by a few pixels or recoloured scores as far, however alike it looks; PSNR
weighs every pixel alike (a small, important change hardly moves it). Identical images have an
infinite PSNR in theory; here the MSE is floored at 1e-10, so they read 148.13 dB, a number
the store records, which no two different 8-bit images of under 10^10 values reach.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .pixels import ImageInputError, checked_batch, colour, shape_text

MSE_FLOOR = 1e-10
PEAK = 255.0
SSIM_SIGMA, SSIM_TRUNCATE, SSIM_K1, SSIM_K2 = 1.5, 3.5, 0.01, 0.03
SSIM_RADIUS = int(SSIM_TRUNCATE * SSIM_SIGMA + 0.5)  # 5: an 11x11 window, as scipy's gaussian_filter makes it
SSIM_MIN_SIDE = 2 * SSIM_RADIUS + 1


def pairs(images: Sequence[np.ndarray], references: Sequence[np.ndarray],
          image_input: str = "image", reference_input: str = "reference",
          min_side: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each image with its reference: one reference for all, or one per image; same size and channels."""
    batch = checked_batch(images, image_input, min_side)
    refs = checked_batch(references, reference_input, min_side)
    if len(refs) not in (1, len(batch)):
        raise ImageInputError(reference_input, f"a batch of {len(refs)} images",
                              f"1 image or as many as {image_input} has ({len(batch)})")
    out = []
    for k, image in enumerate(batch):
        ref = refs[0] if len(refs) == 1 else refs[k]
        if colour(ref).shape != colour(image).shape:
            raise ImageInputError(reference_input, f"an image of {shape_text(colour(ref))}",
                                  f"the size and channels of {image_input}, {shape_text(colour(image))} "
                                  "(height x width x channels)")
        out.append((colour(image), colour(ref)))
    return out


def psnr_of(a: np.ndarray, b: np.ndarray) -> float:
    mse = max(float(np.mean((a - b) ** 2)), MSE_FLOOR)
    return float(10.0 * np.log10(PEAK * PEAK / mse))


def _gaussian_blur(plane: np.ndarray) -> np.ndarray:
    """scipy.ndimage.gaussian_filter(plane, 1.5, truncate=3.5, mode="reflect"), separably in numpy."""
    x = np.arange(-SSIM_RADIUS, SSIM_RADIUS + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / SSIM_SIGMA) ** 2)
    kernel /= kernel.sum()
    r = SSIM_RADIUS
    padded = np.pad(plane, r, mode="symmetric")  # scipy's "reflect" repeats the edge pixel: numpy's "symmetric"
    rows = np.zeros((plane.shape[0], padded.shape[1]))
    for i, w in enumerate(kernel):
        rows += w * padded[i:i + plane.shape[0], :]
    out = np.zeros(plane.shape)
    for j, w in enumerate(kernel):
        out += w * rows[:, j:j + plane.shape[1]]
    return out


def _ssim_plane(a: np.ndarray, b: np.ndarray) -> float:
    c1, c2 = (SSIM_K1 * PEAK) ** 2, (SSIM_K2 * PEAK) ** 2
    ua, ub = _gaussian_blur(a), _gaussian_blur(b)
    vaa = _gaussian_blur(a * a) - ua * ua
    vbb = _gaussian_blur(b * b) - ub * ub
    vab = _gaussian_blur(a * b) - ua * ub
    s = ((2 * ua * ub + c1) * (2 * vab + c2)) / ((ua * ua + ub * ub + c1) * (vaa + vbb + c2))
    r = SSIM_RADIUS
    return float(s[r:-r, r:-r].mean(dtype=np.float64))


def ssim_of(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean([_ssim_plane(a[:, :, c], b[:, :, c]) for c in range(a.shape[2])]))


def psnr(images: Sequence[np.ndarray], references: Sequence[np.ndarray]) -> float:
    """Mean PSNR (dB) of a batch against its reference(s)."""
    return float(np.mean([psnr_of(a, b) for a, b in pairs(images, references)]))


def ssim(images: Sequence[np.ndarray], references: Sequence[np.ndarray]) -> float:
    """Mean SSIM of a batch against its reference(s); images at least 11 pixels wide and high."""
    return float(np.mean([ssim_of(a, b) for a, b in pairs(images, references, min_side=SSIM_MIN_SIDE)]))
