"""Conversion between ComfyUI IMAGE tensors ([B, H, W, C] float 0..1) and PIL images."""
from __future__ import annotations

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


def pil_to_tensor(pictures: list[Image.Image], max_megapixels: float | None = None):
    """One IMAGE batch from PIL images (padded with white to the largest size).

    With `max_megapixels`, pictures larger than that are scaled down first, which bounds
    the memory of the float32 batch.
    """
    import torch

    ready = []
    for picture in pictures:
        rgb = picture.convert("RGB")
        if max_megapixels and rgb.width * rgb.height > max_megapixels * 1e6:
            scale = (max_megapixels * 1e6 / (rgb.width * rgb.height)) ** 0.5
            rgb = rgb.resize((max(1, int(rgb.width * scale)), max(1, int(rgb.height * scale))),
                             Image.Resampling.LANCZOS)
        ready.append(rgb)
    width = max(p.width for p in ready)
    height = max(p.height for p in ready)
    batch = torch.ones((len(ready), height, width, 3), dtype=torch.float32)
    for i, rgb in enumerate(ready):
        batch[i, : rgb.height, : rgb.width] = torch.from_numpy(np.asarray(rgb, dtype=np.float32) / 255.0)
    return batch
