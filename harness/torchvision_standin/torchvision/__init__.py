"""Stand-in for torchvision inside the test host only.

PyPI's torchvision wheels are CUDA-linked and fail to import beside the CPU build of
torch. ComfyUI imports torchvision at start-up only for Stable Cascade, Cosmos and
ACE model code, none of which the test host runs, so this package satisfies the
import and fails loudly if anything actually uses it. It is never shipped with the pack.
"""
from . import models, transforms  # noqa: F401
