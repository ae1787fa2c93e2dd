"""Nodes an output feeds in the editor that the queued prompt leaves out (bypassed, muted)."""
from __future__ import annotations

from xyz_studio.workflow.left_out import LeftOut, left_out_targets


def node(node_id, node_type, mode=0, title=None):
    found = {"id": node_id, "type": node_type, "mode": mode}
    return {**found, "title": title} if title else found


def test_through_a_reroute_to_a_bypassed_and_a_muted_node():
    workflow = {"nodes": [node(1, "XYZStudio.Axis"), node(2, "Reroute"), node(3, "KSampler", 4, "Main"),
                          node(4, "KSampler", 2), node(5, "KSampler")],
                "links": [[10, 1, 1, 2, 0, "*"], [11, 2, 0, 3, 4, "FLOAT"], [12, 1, 1, 4, 4, "FLOAT"],
                          [13, 1, 2, 5, 4, "FLOAT"]]}
    found = left_out_targets(workflow, "1", 1)
    # nearest first: the node linked directly, then the one behind the reroute
    assert [(t.node_id, t.title, t.why) for t in found] == [("4", "KSampler", LeftOut.MUTED),
                                                            ("3", "Main", LeftOut.BYPASSED)]
    assert left_out_targets(workflow, "1", 2) == []  # a running node


def test_inside_a_subgraph_and_unreadable_workflows():
    inner = {"id": "sg-1", "nodes": [node(7, "XYZStudio.Axis"), node(8, "KSampler", 4)],
             "links": [{"id": 1, "origin_id": 7, "origin_slot": 1, "target_id": 8, "target_slot": 4, "type": "FLOAT"}]}
    workflow = {"nodes": [node(12, "sg-1")], "links": [], "definitions": {"subgraphs": [inner]}}
    [found] = left_out_targets(workflow, "12:7", 1)
    assert found.node_id == "12:8" and found.why == LeftOut.BYPASSED
    assert left_out_targets(workflow, "99:7", 1) == []
    assert left_out_targets({"nodes": [], "links": [["bad"]]}, "1", 1) == []
    assert left_out_targets(None, "1", 1) == []
