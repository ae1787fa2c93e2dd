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


def pil_to_tensor(pictures: list[Image.Image]):
    """One IMAGE batch from PIL images, padding smaller ones with white to the largest size."""
    import torch

    width = max(p.width for p in pictures)
    height = max(p.height for p in pictures)
    batch = torch.ones((len(pictures), height, width, 3), dtype=torch.float32)
    for i, picture in enumerate(pictures):
        rgb = picture.convert("RGB")
        batch[i, : rgb.height, : rgb.width] = torch.from_numpy(np.asarray(rgb, dtype=np.float32) / 255.0)
    return batch
