"""Tiny random-weight Stable Diffusion 1.5 checkpoints and a LoRA for integration tests.

No real model can be downloaded on the test machines, but the integration tests want a
real ComfyUI to run CheckpointLoaderSimple -> CLIPTextEncode -> KSampler -> VAEDecode.
This module writes `.safetensors` files that ComfyUI detects as SD1.5 and runs on CPU in
well under a second per 64x64 image:

* UNet (``model.diffusion_model.``): the smallest layout ComfyUI still detects as SD1.5 —
  model_channels 320, context 768, one level (channel_mult [1]), one res block + one
  spatial transformer on the input side, two output blocks, no middle block (~18.7M
  parameters). 320 channels and an input-side transformer are required by detection.
* Text encoder (``cond_stage_model.transformer.text_model.``): a full-size CLIP-L
  (12 layers, width 768). ComfyUI builds it from its own config whatever the weights
  say, and keys that are missing stay uninitialised memory, so every key is written.
* VAE (``first_stage_model.``): a TAESD (ComfyUI switches to it when
  ``taesd_decoder.1.weight`` is present), with ``vae_scale``/``vae_shift`` set the way
  ComfyUI's VAELoader sets them for "taesd".

Purely random weights make useless pictures (latents explode, pixels clip to 0/255). So
the weights are random *plus a hand-built identity path*:

* UNet: channels 0-7 of the first GroupNorm group (channels 0-9) carry +x and -x of the
  (scaled) input latent from the input conv, via the skip connection of the last output
  block, to the output conv. Every residual branch writes zeros into those channels.
  The final GroupNorm normalises that group, and SiLU(n) - SiLU(-n) == n, so the model
  predicts eps = x / rms(x): the ideal denoiser for all-zero data. On top of that, a small
  random part (ID_GAIN below) that depends on prompt (cross-attention) and timestep
  (time embedding) is added, so the sampler settles on a prompt/seed/setting-dependent
  latent of moderate size.
* TAESD: the decoder carries ReLU(+z)/ReLU(-z) through its blocks (block convs are zero,
  so each Block is ReLU(x) == x for x >= 0) and upsample convs, then maps the latent
  linearly to RGB around mid-grey. The encoder is the matching (pseudo-)inverse, using
  2x2 average pooling in its stride-2 convs, so VAEEncode works too.

The pictures are mid-grey 8x8-block colour mosaics. They differ visibly with seed, cfg,
steps, sampler, scheduler, prompt, checkpoint and LoRA, and are bit-for-bit repeatable.

Usage: ``python -m harness.tiny_models MODELS_DIR`` (writes checkpoints/ and loras/).
Only torch, safetensors and numpy are needed (no ComfyUI import).
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

UNET = "model.diffusion_model."
CLIP = "cond_stage_model.transformer.text_model."
VAE = "first_stage_model."

CH = 320            # UNet model_channels: SD1.5 detection requires 320
TEMB = 4 * CH       # time embedding width
CTX = 768           # cross-attention context width (CLIP-L hidden size)
ID = 10             # identity-path channels: exactly the first GroupNorm group (320 / 32)
ID_GAIN = 0.08      # rough rms of the random (prompt/timestep dependent) part of eps
RGB_GAIN = 0.15     # TAESD decoder: latent -> RGB gain around mid-grey (little clipping)

CLIP_WIDTH, CLIP_LAYERS, CLIP_FF, CLIP_VOCAB, CLIP_POS = 768, 12, 3072, 49408, 77
CLIP_STD = 0.02     # small CLIP weights keep the text embeddings finite and tame

LORA_RANK = 4


class _Weights:
    """An ordered state dict filled from one seeded torch generator (deterministic)."""

    def __init__(self, seed: int):
        self.gen = torch.Generator().manual_seed(seed)
        self.sd: dict[str, torch.Tensor] = {}
        self.prefix = ""        # prepended to every name given to the methods below

    def __getitem__(self, name: str) -> torch.Tensor:
        return self.sd[self.prefix + name]

    def __setitem__(self, name: str, value: torch.Tensor) -> None:
        self.sd[self.prefix + name] = value

    def randn(self, *shape: int, std: float) -> torch.Tensor:
        return torch.randn(*shape, generator=self.gen) * std

    def linear(self, name: str, out: int, inp: int, std: float | None = None,
               bias: bool = True) -> torch.Tensor:
        """A Linear layer: weight ~ N(0, std) (default 1/sqrt(fan_in)), bias 0."""
        w = self[name + ".weight"] = self.randn(out, inp, std=std or inp ** -0.5)
        if bias:
            self[name + ".bias"] = torch.zeros(out)
        return w

    def conv(self, name: str, out: int, inp: int, k: int, bias: bool = True,
             random: bool = True) -> torch.Tensor:
        """A Conv2d layer: random (1/sqrt(fan_in)) or all-zero weight, bias 0."""
        fan_in = inp * k * k
        w = self.randn(out, inp, k, k, std=fan_in ** -0.5) if random else torch.zeros(out, inp, k, k)
        self[name + ".weight"] = w
        if bias:
            self[name + ".bias"] = torch.zeros(out)
        return w

    def norm(self, name: str, ch: int) -> None:
        """GroupNorm / LayerNorm affine parameters: weight 1, bias 0."""
        self[name + ".weight"] = torch.ones(ch)
        self[name + ".bias"] = torch.zeros(ch)

    def zero_rows(self, name: str, rows: int = ID) -> None:
        """Make a residual branch write nothing into the identity-path channels."""
        self[name + ".weight"][:rows] = 0
        if self.prefix + name + ".bias" in self.sd:
            self[name + ".bias"][:rows] = 0


# --------------------------------------------------------------------------- UNet

def _resblock(w: _Weights, p: str, cin: int) -> None:
    """openaimodel ResBlock cin -> CH; its residual branch leaves channels 0-9 alone."""
    w.norm(p + "in_layers.0", cin)
    w.conv(p + "in_layers.2", CH, cin, 3)
    w.linear(p + "emb_layers.1", CH, TEMB)
    w.norm(p + "out_layers.0", CH)
    w.conv(p + "out_layers.3", CH, CH, 3)
    w.zero_rows(p + "out_layers.3")
    if cin != CH:
        w.conv(p + "skip_connection", CH, cin, 1)


def _transformer(w: _Weights, p: str) -> None:
    """SpatialTransformer (conv proj_in/proj_out, depth 1, GEGLU feed-forward)."""
    w.norm(p + "norm", CH)
    w.conv(p + "proj_in", CH, CH, 1)
    b = p + "transformer_blocks.0."
    for attn, kv_dim in (("attn1", CH), ("attn2", CTX)):
        w.linear(b + attn + ".to_q", CH, CH, bias=False)
        w.linear(b + attn + ".to_k", CH, kv_dim, bias=False)
        w.linear(b + attn + ".to_v", CH, kv_dim, bias=False)
        w.linear(b + attn + ".to_out.0", CH, CH)
    w.linear(b + "ff.net.0.proj", 2 * 4 * CH, CH)
    w.linear(b + "ff.net.2", CH, 4 * CH)
    for n in ("norm1", "norm2", "norm3"):
        w.norm(b + n, CH)
    w.conv(p + "proj_out", CH, CH, 1)
    w.zero_rows(p + "proj_out")


def _unet(u: _Weights) -> None:
    u.prefix = UNET
    u.linear("time_embed.0", TEMB, CH)
    u.linear("time_embed.2", TEMB, TEMB)

    # Input conv: channels 0-3 = +x, 4-7 = -x (centre tap), 8-9 = 0, the rest random.
    conv_in = u.conv("input_blocks.0.0", CH, 4, 3)
    conv_in[:ID] = 0
    for c in range(4):
        conv_in[c, c, 1, 1] = 1.0
        conv_in[4 + c, c, 1, 1] = -1.0
    _resblock(u, "input_blocks.1.0.", CH)
    _transformer(u, "input_blocks.1.1.")

    # Output blocks see cat([h, skip]) (640 channels). Block 0 drops channels 0-9; block 1
    # copies them from its skip input (the output of input_blocks.0, i.e. +x/-x).
    for i in range(2):
        _resblock(u, f"output_blocks.{i}.0.", 2 * CH)
        _transformer(u, f"output_blocks.{i}.1.")
        u.zero_rows(f"output_blocks.{i}.0.skip_connection")
    skip = u["output_blocks.1.0.skip_connection.weight"]
    for c in range(8):
        skip[c, CH + c, 0, 0] = 1.0

    # Output: GroupNorm -> SiLU -> conv. Group 0 holds +-x normalised to n (mean 0 exactly,
    # variance 0.8 * mean(x^2)); SiLU(n) - SiLU(-n) = n, and sqrt(0.8) undoes the 8/10
    # channel fill, so that part of eps is x / rms(x). The other 310 channels add a small
    # random part of rms ~ID_GAIN (E[SiLU(N(0,1))^2] ~ 0.36).
    u.norm("out.0", CH)
    out = u.conv("out.2", 4, CH, 3)
    out[:, :ID] = 0
    out[:, ID:] *= ID_GAIN / math.sqrt(0.36) / out[:, ID:].flatten(1).norm(dim=1).mean()
    for c in range(4):
        out[c, c, 1, 1] = math.sqrt(0.8)
        out[c, 4 + c, 1, 1] = -math.sqrt(0.8)


# ----------------------------------------------------------------------- CLIP-L

def _clip(w: _Weights) -> None:
    """Every key of ComfyUI's SD1 CLIPTextModel (HF names), small random weights."""
    w.prefix = CLIP

    def lin(name: str, out: int, inp: int) -> None:
        # Halve each weight as it is made: keeps the generator's peak memory low.
        w[name + ".weight"] = w.linear(name, out, inp, std=CLIP_STD).half()

    w["embeddings.token_embedding.weight"] = w.randn(CLIP_VOCAB, CLIP_WIDTH, std=CLIP_STD).half()
    w["embeddings.position_embedding.weight"] = w.randn(CLIP_POS, CLIP_WIDTH, std=CLIP_STD / 2).half()
    for i in range(CLIP_LAYERS):
        p = f"encoder.layers.{i}."
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            lin(p + "self_attn." + proj, CLIP_WIDTH, CLIP_WIDTH)
        lin(p + "mlp.fc1", CLIP_FF, CLIP_WIDTH)
        lin(p + "mlp.fc2", CLIP_WIDTH, CLIP_FF)
        w.norm(p + "layer_norm1", CLIP_WIDTH)
        w.norm(p + "layer_norm2", CLIP_WIDTH)
    w.norm("final_layer_norm", CLIP_WIDTH)


# ------------------------------------------------------------------------ TAESD

def _taesd_block(w: _Weights, p: str) -> None:
    """TAESD Block(64, 64) with all-zero convs: Block(x) = ReLU(0 + x) = x for x >= 0."""
    for i in (0, 2, 4):
        w.conv(f"{p}.conv.{i}", 64, 64, 3, random=False)


def _taesd(w: _Weights) -> None:
    """TAESD encoder + decoder mapping latent <-> RGB linearly through +-ReLU carriers."""
    w.prefix = VAE
    mix = w.randn(3, 4, std=1.0)                       # latent -> RGB colour mix
    mix = RGB_GAIN * mix / mix.norm(dim=1, keepdim=True)
    unmix = torch.linalg.pinv(mix)                     # RGB -> latent, 4 x 3

    # Decoder: 0 Clamp, 1 conv(4,64), 2 ReLU, Blocks 3-5, 8-10, 13-15, 18, Upsample 6/11/16
    # followed by bias-free convs 7/12/17, and 19 conv(64,3).
    d = "taesd_decoder."
    first = w.conv(d + "1", 64, 4, 3, random=False)
    for c in range(4):
        first[c, c, 1, 1], first[4 + c, c, 1, 1] = 1.0, -1.0
    for i in (3, 4, 5, 8, 9, 10, 13, 14, 15, 18):
        _taesd_block(w, d + str(i))
    for i in (7, 12, 17):
        up = w.conv(d + str(i), 64, 64, 3, bias=False, random=False)
        for c in range(8):
            up[c, c, 1, 1] = 1.0
    last = w.conv(d + "19", 3, 64, 3, random=False)
    last[:, 0:4, 1, 1], last[:, 4:8, 1, 1] = mix, -mix
    w[d + "19.bias"][:] = 0.5                       # mid-grey (decode maps it to 0.5)

    # Encoder (input is RGB in [0, 1]): 0 conv(3,64), Blocks 1, 3-5, 7-9, 11-13, stride-2
    # bias-free convs 2/6/10 (here 2x2 average pooling) and 14 conv(64,4).
    e = "taesd_encoder."
    first = w.conv(e + "0", 64, 3, 3, random=False)
    for c in range(3):
        first[c, c, 1, 1], first[3 + c, c, 1, 1] = 1.0, -1.0
    w[e + "0.bias"][0:3], w[e + "0.bias"][3:6] = -0.5, 0.5
    for i in (1, 3, 4, 5, 7, 8, 9, 11, 12, 13):
        _taesd_block(w, e + str(i))
    for i in (2, 6, 10):
        down = w.conv(e + str(i), 64, 64, 3, bias=False, random=False)
        for c in range(6):
            down[c, c, 1:, 1:] = 0.25
    last = w.conv(e + "14", 4, 64, 3, random=False)
    last[:, 0:3, 1, 1], last[:, 3:6, 1, 1] = unmix, -unmix

    # What ComfyUI's VAELoader sets for "taesd"; kept in fp32 so the scale is exact.
    w["vae_scale"] = torch.tensor(0.18215)
    w["vae_shift"] = torch.tensor(0.0)


# ------------------------------------------------------------------------ files

def _save(tensors: dict[str, torch.Tensor], path: Path, seed: int, kind: str) -> Path:
    """fp16 (0-d scalars stay fp32), written atomically: ComfyUI caches by file name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {k: (v if v.dim() == 0 else v.to(torch.float16)).contiguous() for k, v in tensors.items()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # One metadata entry only: safetensors writes a metadata map in random order, and
    # byte-identical files for the same seed are nice to have.
    save_file(out, str(tmp), metadata={"tiny_model": f"{kind} seed={seed}"})
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def generate_checkpoint(path: Path, seed: int) -> Path:
    """Write a tiny SD1.5-layout checkpoint (UNet + CLIP-L + TAESD), deterministic from seed."""
    w = _Weights(seed)
    _unet(w)
    _taesd(w)
    _clip(w)        # last, so the 123M CLIP draws do not shift the UNet/VAE ones
    return _save(w.sd, path, seed, "sd15-checkpoint")


def _lora_pair(w: _Weights, key: str, out: int, inp: int) -> None:
    """kohya LoRA triple; the delta is of the order of the base weights (1/sqrt(fan_in))."""
    w[key + ".lora_down.weight"] = w.randn(LORA_RANK, inp, std=inp ** -0.5)
    w[key + ".lora_up.weight"] = w.randn(out, LORA_RANK, std=0.5 * LORA_RANK ** -0.5)
    w[key + ".alpha"] = torch.tensor(float(LORA_RANK))


def generate_lora(path: Path, seed: int) -> Path:
    """Write a kohya-format LoRA for the tiny checkpoints (UNet attention/FF + CLIP layers).

    It only touches layers inside the spatial transformers (before proj_out, whose rows
    for the identity channels are zero), so the identity path is never disturbed.
    """
    w = _Weights(seed)
    # diffusers block names; ComfyUI maps them to input_blocks.1.1 / output_blocks.{0,1}.1.
    blocks = ["down_blocks_0_attentions_0", "up_blocks_0_attentions_0", "up_blocks_0_attentions_1"]
    for blk in blocks:
        p = f"lora_unet_{blk}_transformer_blocks_0_"
        for attn, kv_dim in (("attn1", CH), ("attn2", CTX)):
            _lora_pair(w, p + attn + "_to_q", CH, CH)
            _lora_pair(w, p + attn + "_to_k", CH, kv_dim)
            _lora_pair(w, p + attn + "_to_v", CH, kv_dim)
            _lora_pair(w, p + attn + "_to_out_0", CH, CH)
        _lora_pair(w, p + "ff_net_0_proj", 8 * CH, CH)
        _lora_pair(w, p + "ff_net_2", CH, 4 * CH)
    for i in range(CLIP_LAYERS):
        p = f"lora_te_text_model_encoder_layers_{i}_"
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            _lora_pair(w, p + "self_attn_" + proj, CLIP_WIDTH, CLIP_WIDTH)
        _lora_pair(w, p + "mlp_fc1", CLIP_FF, CLIP_WIDTH)
        _lora_pair(w, p + "mlp_fc2", CLIP_WIDTH, CLIP_FF)
    return _save(w.sd, path, seed, "sd15-lora")


def ensure_models(models_dir: Path) -> dict[str, Path]:
    """Create the standard tiny models under models_dir (only those missing).

    Returns {"ckpt_a": checkpoints/tiny_sd15_a.safetensors (seed 1),
             "ckpt_b": checkpoints/tiny_sd15_b.safetensors (seed 2),
             "lora": loras/tiny_lora.safetensors (seed 3)}.
    """
    models_dir = Path(models_dir)
    plan = {
        "ckpt_a": (models_dir / "checkpoints" / "tiny_sd15_a.safetensors", 1, generate_checkpoint),
        "ckpt_b": (models_dir / "checkpoints" / "tiny_sd15_b.safetensors", 2, generate_checkpoint),
        "lora": (models_dir / "loras" / "tiny_lora.safetensors", 3, generate_lora),
    }
    paths = {}
    for name, (path, seed, make) in plan.items():
        if not path.exists():
            make(path, seed)
        paths[name] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m harness.tiny_models MODELS_DIR")
    for name, path in ensure_models(Path(sys.argv[1])).items():
        print(f"{name}\t{path}")
