"""Conversion between ComfyUI IMAGE tensors ([B, H, W, C] float 0..1) and PIL images."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def tensor_to_pil(images) -> list[Image.Image]:
    out = []
    for image in images:
        array = np.clip(image.detach().cpu().float().numpy() * 255.0 + 0.5, 0, 255).astype(np.uint8)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[:, :, 0]
        out.append(Image.fromarray(array))
    return out


def files_to_tensor(paths: list[Path]):
    """Load images as one batch, padding smaller ones with white to the largest size."""
    import torch

    pictures = [Image.open(p).convert("RGB") for p in paths]
    width = max(p.width for p in pictures)
    height = max(p.height for p in pictures)
    batch = torch.ones((len(pictures), height, width, 3), dtype=torch.float32)
    for i, picture in enumerate(pictures):
        batch[i, : picture.height, : picture.width] = torch.from_numpy(np.asarray(picture, dtype=np.float32) / 255.0)
        picture.close()
    return batch
