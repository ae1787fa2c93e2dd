"""Quick checks of harness/tiny_models.py (needs torch: run with the host venv python).

The real proof, that ComfyUI loads and samples these files, is in the integration tests.
"""
from __future__ import annotations

import hashlib

import pytest
import safetensors.torch as safetensors_torch
import torch

from harness import tiny_models


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    return tiny_models.ensure_models(tmp_path_factory.mktemp("models"))


def test_ensure_models_layout_and_no_rewrite(models):
    assert set(models) == {"ckpt_a", "ckpt_b", "lora"}
    assert models["ckpt_a"].name == "tiny_sd15_a.safetensors"
    assert models["ckpt_a"].parent.name == "checkpoints"
    assert models["lora"].parent.name == "loras"
    before = {k: p.stat().st_mtime_ns for k, p in models.items()}
    again = tiny_models.ensure_models(models["lora"].parent.parent)
    assert again == models
    assert {k: p.stat().st_mtime_ns for k, p in again.items()} == before


def test_checkpoint_keys_dtypes_and_identity_path(models):
    sd = safetensors_torch.load_file(str(models["ckpt_a"]))
    unet = {k for k in sd if k.startswith(tiny_models.UNET)}
    clip = {k for k in sd if k.startswith(tiny_models.CLIP)}
    vae = {k for k in sd if k.startswith(tiny_models.VAE)}
    assert len(unet) + len(clip) + len(vae) == len(sd)
    assert len(clip) == 2 + 12 * 16 + 2            # 2 embeddings, 12 layers, final norm
    assert "first_stage_model.taesd_decoder.1.weight" in vae
    assert "first_stage_model.taesd_encoder.14.weight" in vae
    assert "model.diffusion_model.middle_block.0.in_layers.0.weight" not in unet
    assert sd["model.diffusion_model.input_blocks.0.0.weight"].shape == (320, 4, 3, 3)
    assert sd["model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight"].shape == (320, 768)
    for k, v in sd.items():
        assert v.dtype == (torch.float32 if v.dim() == 0 else torch.float16), k
        assert torch.isfinite(v.float()).all(), k
    assert float(sd["first_stage_model.vae_scale"]) == pytest.approx(0.18215)
    # The identity path: residual branches write nothing into channels 0-9.
    for name in ("input_blocks.1.0.out_layers.3", "input_blocks.1.1.proj_out", "output_blocks.1.1.proj_out"):
        assert not sd[f"model.diffusion_model.{name}.weight"][:10].any(), name
    n_unet = sum(sd[k].numel() for k in unet)
    assert 15e6 < n_unet < 25e6


def test_deterministic_and_seed_dependent(models, tmp_path):
    again = tiny_models.generate_checkpoint(tmp_path / "a.safetensors", 1)
    assert _sha(again) == _sha(models["ckpt_a"])
    assert _sha(models["ckpt_a"]) != _sha(models["ckpt_b"])
    lora = tiny_models.generate_lora(tmp_path / "l.safetensors", 3)
    assert _sha(lora) == _sha(models["lora"])
    assert _sha(tiny_models.generate_lora(tmp_path / "l4.safetensors", 4)) != _sha(lora)


def test_lora_keys(models):
    sd = safetensors_torch.load_file(str(models["lora"]))
    stems = {k.rsplit(".", 2)[0] if k.endswith(".weight") else k.rsplit(".", 1)[0] for k in sd}
    assert len(sd) == 3 * len(stems)                 # lora_down, lora_up, alpha each
    assert any(s.startswith("lora_unet_down_blocks_0_attentions_0_") for s in stems)
    assert any(s.startswith("lora_te_text_model_encoder_layers_11_") for s in stems)
    assert not any("proj_out" in s for s in stems)   # never touch the identity channels
