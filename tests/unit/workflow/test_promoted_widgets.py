"""The values of a subgraph instance's promoted widgets (xyz_studio.workflow.promoted): by
input order, or by ``properties.proxyWidgets`` when the save has it, and a refusal naming the
subgraph node when the frontends would not agree on a value (never a guessed one)."""
from __future__ import annotations

import pytest

from workflow_fixtures import SPECS, node, workflow
from xyz_studio.workflow import WorkflowFormatError, ui_to_api
from xyz_studio.workflow.dialect import FrontendDialect

BLUR = "33333333-3333-4333-8333-333333333333"


def link(id, origin, origin_slot, target, target_slot, type):
    return {"id": id, "origin_id": origin, "origin_slot": origin_slot, "target_id": target,
            "target_slot": target_slot, "type": type}


def io(name, type, link_ids):
    return {"id": name, "name": name, "type": type, "linkIds": link_ids}


def blur_subgraph(values, proxy=None, inner_values=(3, 1.5)):
    """EmptyImage(1) -> [instance 10 "Soften": ImageBlur(5)] -> SaveImage(3). The subgraph's
    inputs list sigma before blur_radius, the reverse of ImageBlur's own widget order."""
    definition = {"id": BLUR, "name": "blur",
                  "inputs": [io("image", "IMAGE", [1]), io("sigma", "FLOAT", [2]), io("blur_radius", "INT", [4])],
                  "outputs": [io("IMAGE", "IMAGE", [3])],
                  "nodes": [node(5, "ImageBlur", list(inner_values),
                                 inputs=[("image", "IMAGE", 1), ("blur_radius", "INT", 4, True),
                                         ("sigma", "FLOAT", 2, True)],
                                 outputs=[("IMAGE", "IMAGE", [3])])],
                  "links": [link(1, -10, 0, 5, 0, "IMAGE"), link(2, -10, 1, 5, 2, "FLOAT"),
                            link(4, -10, 2, 5, 1, "INT"), link(3, 5, 0, -20, 0, "IMAGE")]}
    container = node(10, BLUR, values, title="Soften",
                     inputs=[("image", "IMAGE", 1), ("sigma", "FLOAT", None, True), ("blur_radius", "INT", None, True)],
                     outputs=[("IMAGE", "IMAGE", [2])])
    if proxy is not None:
        container["properties"]["proxyWidgets"] = proxy
    wf = workflow([node(1, "EmptyImage", [64, 48, 1, 255], outputs=[("IMAGE", "IMAGE", [1])]), container,
                   node(3, "SaveImage", ["blur"], inputs=[("images", "IMAGE", 2)])],
                  [[1, 1, 0, 10, 0, "IMAGE"], [2, 10, 0, 3, 0, "IMAGE"]])
    wf["definitions"] = {"subgraphs": [definition]}
    return wf


def blur_inputs(wf, dialect=FrontendDialect.V1_58):
    inputs = ui_to_api(wf, SPECS, dialect)["10:5"]["inputs"]
    return inputs["blur_radius"], inputs["sigma"]


def test_without_proxy_widgets_the_values_follow_the_subgraph_inputs_order():
    assert blur_inputs(blur_subgraph([2.5, 9])) == (9, 2.5)


def test_proxy_widgets_order_the_saved_values():
    # a frontend that reordered the widgets saves them in its proxyWidgets order
    assert blur_inputs(blur_subgraph([9, 2.5], [["-1", "blur_radius"], ["-1", "sigma"]])) == (9, 2.5)


def test_an_inner_widget_shown_with_its_own_value_or_none_is_accepted():
    proxy = [["-1", "sigma"], ["-1", "blur_radius"], ["5", "sigma"]]
    assert blur_inputs(blur_subgraph([2.5, 9, None], proxy)) == (9, 2.5)
    assert blur_inputs(blur_subgraph([2.5, 9, 1.5], proxy)) == (9, 2.5)


def expect_refusal(wf, *parts):
    with pytest.raises(WorkflowFormatError) as info:
        ui_to_api(wf, SPECS)
    message = str(info.value)
    for part in ('subgraph node 10 "Soften"', "queue this workflow from the editor", *parts):
        assert part in message, message


def test_an_inner_widget_saved_with_another_value_is_refused_with_both_values():
    proxy = [["-1", "sigma"], ["-1", "blur_radius"], ["5", "sigma"]]
    expect_refusal(blur_subgraph([2.5, 9, 4.0], proxy), "'sigma'", "inner node 5", "4.0", "1.5")


def test_a_native_widget_missing_from_proxy_widgets_keeps_its_value_by_position():
    # both frontends give a native widget no proxyWidgets entry names its positional value
    for dialect in FrontendDialect:
        assert blur_inputs(blur_subgraph([2.5, 9], [["-1", "sigma"]]), dialect) == (9, 2.5)


def test_a_native_widget_shadowed_by_an_inner_one_takes_the_value_saved_at_the_inner_entry():
    # flux_dev_checkpoint_example's shape: proxyWidgets names the inner node's widget instead
    # of the instance's own ("-1"); 1.58 reads the saved value at that entry's index
    proxy = [["-1", "sigma"], ["5", "blur_radius"]]
    assert blur_inputs(blur_subgraph([2.5, 9], proxy, inner_values=(9, 1.5))) == (9, 2.5)
    # nothing saved: the inner widgets keep their own values, on both frontends
    for dialect in FrontendDialect:
        assert blur_inputs(blur_subgraph([], proxy, inner_values=(9, 1.5)), dialect) == (9, 1.5)


@pytest.mark.parametrize("proxy", [[["-1", "sigma", "7"], ["-1", "blur_radius"]], {"sigma": "-1"}, "not json"])
def test_a_proxy_widgets_format_it_does_not_know_is_refused(proxy):
    expect_refusal(blur_subgraph([2.5, 9], proxy), "properties.proxyWidgets")


def test_a_native_value_saved_as_null_at_its_proxy_index_elsewhere_is_refused():
    expect_refusal(blur_subgraph([2.5, None], [["-1", "blur_radius"], ["-1", "sigma"]]), "no value at its proxyWidgets")
