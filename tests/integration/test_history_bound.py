"""A history lookup through the real server reads a bounded number of entries (ComfyUI's
history is bounded and each entry holds its whole prompt: a 10,000-cell experiment must not
read 10,000 of them at its end): the latest few in one read, then a few more one by one,
the prompts asked for first getting those."""
from __future__ import annotations

import time

from harness.graphs import image_graph
from xyz_studio.comfyui import history as H


def test_a_lookup_reads_at_most_its_bounds_and_finds_real_entries(client, monkeypatch):
    prompt = image_graph(size=8, assembler=False).prompt
    prompt["3"] = {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}
    ids = []
    for k in range(12):
        prompt["1"]["inputs"]["color"] = k  # a prompt of its own each time (no cache hit to skip)
        ids.append(client.queue_prompt(prompt))
    deadline = time.monotonic() + 60
    while client.history(ids[-1]) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    monkeypatch.setattr(H, "BULK_MAX", 5)
    monkeypatch.setattr(H, "ONE_BY_ONE_MAX", 3)
    found = H.history_lookup(client)(ids)
    # the 5 latest from the bulk read, and the first 3 asked for that it did not hold
    assert set(found) == {*ids[-5:], *ids[:3]}
    assert all(H.outcome(found[pid]).state == H.PromptState.SUCCESS for pid in found)
    monkeypatch.setattr(H, "BULK_MAX", 2000)
    assert set(H.history_lookup(client)(ids)) == set(ids)  # within the bounds, every entry
