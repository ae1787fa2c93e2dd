"""Console messages the host itself prints in these test set-ups, which are not the pack's.

One list, so a test can tell the pack's own errors (which fail it) from what a stock
ComfyUI 0.3.75 with these frontends prints anyway on a machine with no internet.
"""
from __future__ import annotations

import re

KNOWN_HOST_NOISE = tuple(re.compile(p, re.DOTALL) for p in (
    # no network here: the frontend's calls to Comfy-Org's services fail
    r"api\.comfy\.org|huggingface\.co|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED",
    # the core templates package is not installed in the test host (skipped on purpose)
    r"Error loading core workflow templates",
    r"Failed to load resource: .* 404 .*@ \S+/templates/index(_logo)?\.json",
    # a fresh user folder: no user.css, no saved workflows or subgraphs, no templates settings
    r"Failed to load resource: .* 404 .*@ \S+/(api/userdata\S*|user\.css|favicon\.ico)$",
    # 1.58 lists the queue and history through /api/jobs, which ComfyUI 0.3.75 does not have
    r"Failed to load resource: .* 404 .*@ \S+/api/jobs\?",
    r"Failed to fetch queue: JobsApiError|\[Jobs API\] Error fetching jobs",
    # 1.32 at start-up, seen with no custom node pack installed at all
    r"TypeError: Cannot read properties of undefined \(reading 'id'\).*@ \S+/vue\.esm-browser\.prod\.js",
))
PACK_MARKERS = ("xyz-plot-studio", "xyz_studio", "XYZStudio")


def is_known_noise(text: str) -> bool:
    return any(p.search(text) for p in KNOWN_HOST_NOISE)


def is_the_packs(text: str) -> bool:
    return any(m in text for m in PACK_MARKERS)
