"""Test pictures made by formula (no random generator, so they are the same on every numpy): the
reference values in the tests were computed on exactly these arrays with the reference packages."""
from __future__ import annotations

import numpy as np


def pattern(height: int = 40, width: int = 48) -> np.ndarray:
    """Stripes, a ramp and a product term: edges and detail in all three channels."""
    y, x = np.mgrid[0:height, 0:width]
    channels = [(x * 7 + y * 13 + (x * y) % 37) % 256,
                ((x // 4 + y // 4) % 2) * 200 + (x + y) % 50,
                (255 - 5 * x + 3 * y) % 256]
    return np.stack(channels, axis=2).astype(np.uint8)


def box_blur(image: np.ndarray, radius: int = 2) -> np.ndarray:
    """A (2r+1)^2 box blur, edges repeated, rounded down to integers."""
    padded = np.pad(image.astype(np.int64), ((radius, radius), (radius, radius), (0, 0)), mode="edge")
    h, w = image.shape[:2]
    total = sum(padded[i:i + h, j:j + w] for i in range(2 * radius + 1) for j in range(2 * radius + 1))
    return (total // (2 * radius + 1) ** 2).astype(np.uint8)


def rings(height: int = 40, width: int = 48) -> np.ndarray:
    """Concentric rings: a picture with a different layout from the pattern."""
    y, x = np.mgrid[0:height, 0:width]
    grey = (((x - width // 3) ** 2 + (y - height // 2) ** 2) // 9) % 256
    return np.stack([grey, 255 - grey, grey // 2], axis=2).astype(np.uint8)


def flat(value: int = 128, height: int = 40, width: int = 48) -> np.ndarray:
    return np.full((height, width, 3), value, dtype=np.uint8)


def scene(height: int = 96, width: int = 96, noise: float = 20.0) -> np.ndarray:
    """A smooth picture with a disc and a step, plus `noise` levels of hashed (repeatable) grain: statistics
    near those of a photograph, so a BRISQUE score depends on it (on the patterns above it saturates)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    base = 110 + 50 * np.sin(x / 9.0) * np.cos(y / 13.0) + 40 * ((x - 40) ** 2 + (y - 50) ** 2 < 400) - 30 * (x > 70)
    grain = ((x.astype(np.int64) * 73856093) ^ (y.astype(np.int64) * 19349663)) % 1021 / 1020.0 - 0.5
    grey = base + noise * grain
    return np.clip(np.stack([grey, grey * 0.9 + 10, grey * 0.7 + 30], axis=2), 0, 255).astype(np.uint8)
