"""A new Grid Assembler and a new XYZ Axis show only what is needed: a metric's name and
goal once its input is connected, value_2..value_4 once the values pair components with
`|` (or those outputs are connected). Nothing saved changes: the API prompt and the saved
widget values are those of the same graph with everything shown, and a save and reload
keeps values, outputs and links. On every frontend, in both renderers."""
from __future__ import annotations

import re
import time

import pytest
from editor import load, load_graph, zoom_on

from harness.editor_page import dismiss_dialogs
from harness.example_workflows import SD15_SAMPLERS
from harness.graphs import ten_axes_graph
from xyz_studio import protocol as P

METRIC_1 = [P.metric_name_input("metric_1"), P.metric_goal_input("metric_1")]
ALL_METRIC_WIDGETS = [w for m in P.METRIC_INPUTS for w in (P.metric_name_input(m), P.metric_goal_input(m))]

SHAPE = """(id) => {
    const node = window.app.graph.getNodeById(id);
    return {
        // what the classic canvas draws (LiteGraph's own test) and what a Vue node lists
        visible: node.widgets.filter(w => node.isWidgetVisible(w)).map(w => w.name),
        outputs: node.outputs.map(o => o.name),
        values: node.widgets.filter(w => w.serialize !== false).map(w => w.value),
    };
}"""


# px between the last input socket of a Grid Assembler and its panel, on the classic canvas
PANEL_GAP = """(id) => {
    const node = window.app.graph.getNodeById(id);
    const LG = window.LiteGraph ?? window.comfyAPI.litegraph?.LiteGraph;
    window.app.canvas.draw(true, true);  // widgets are laid out when the node is drawn
    const panel = node.widgets.find(w => w.name === 'xyz_panel');
    const sockets = node.inputs.filter(i => !i.widget).length;
    return panel.y - sockets * LG.NODE_SLOT_HEIGHT;
}"""


def add_node(page, class_type: str, pos) -> int:
    return page.evaluate("""([type, pos]) => {
        const LG = window.LiteGraph ?? window.comfyAPI.litegraph?.LiteGraph;
        const node = LG.createNode(type);
        node.pos = pos;
        window.app.graph.add(node);
        return node.id;
    }""", [class_type, list(pos)])


def shape(page, node_id: int) -> dict:
    page.wait_for_timeout(100)  # a new node is shaped once it is set up (after nodeCreated)
    return page.evaluate(SHAPE, node_id)


def vue_text(page, node_id: int) -> str:
    return page.locator(f'[data-node-id="{node_id}"]').first.inner_text()


def connect(page, source: int, output: str, target: int, input_name: str) -> None:
    page.evaluate("""([source, output, target, input]) => {
        const from = window.app.graph.getNodeById(source), to = window.app.graph.getNodeById(target);
        from.connect(from.outputs.findIndex(o => o.name === output), to, to.inputs.findIndex(i => i.name === input));
    }""", [source, output, target, input_name])
    page.wait_for_timeout(200)


def type_values(page, node_id: int, text: str, renderer: str) -> None:
    """Type into the axis's `values` box as a user does, in whichever element shows it."""
    if renderer == "vue":
        box = page.locator(f'[data-node-id="{node_id}"] textarea').first
    else:
        handle = page.evaluate_handle("""(id) => {
            const w = window.app.graph.getNodeById(id).widgets.find(w => w.name === 'values');
            return w.inputEl ?? w.element;
        }""", node_id)
        box = handle.as_element()
    assert box is not None, "no text box for the axis's values"
    box.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.wait_for_timeout(300)


def links_by_name(workflow: dict) -> list[tuple]:
    """Each link as (source node, output index, target node, input name): the output's index is
    what a link keeps (the frontend may renumber a node's inputs when it loads it)."""
    nodes = {n["id"]: n for n in workflow["nodes"]}
    return sorted((link[1], link[2], link[3], nodes[link[3]]["inputs"][link[4]]["name"]) for link in workflow["links"])


def prompt_and_saved(page) -> dict:
    return page.evaluate("""async () => {
        const prompt = (await window.app.graphToPrompt()).output;
        const saved = Object.fromEntries(window.app.graph.serialize().nodes.map(n => [n.id, n.widgets_values]));
        return {prompt, saved};
    }""")


def show_everything(page) -> None:
    """The same graph as it would be without node shapes: every widget and output shown."""
    page.evaluate("""() => {
        for (const node of window.app.graph.nodes) {
            for (const w of node.widgets ?? []) { w.hidden = false; if (w.options) w.options.hidden = false; }
            if (node.type === 'XYZStudio.Axis') {
                for (let k = node.outputs.length; k < 5; k++) node.addOutput(k === 1 ? 'value' : `value_${k}`, '*');
            }
        }
    }""")


@pytest.mark.every_renderer  # what each renderer draws differs: both are checked on every frontend
def test_new_nodes_show_what_is_needed_and_save_what_they_did(page, editor_client, renderer, screenshots):
    page.evaluate("""async () => { await window.app.loadGraphData(
        {last_node_id: 0, last_link_id: 0, nodes: [], links: [], version: 0.4}); }""")
    dismiss_dialogs(page)
    assembler = add_node(page, P.NODE_ASSEMBLER, (600, 100))
    axis = add_node(page, P.NODE_AXIS, (100, 100))
    new_assembler, new_axis = shape(page, assembler), shape(page, axis)
    assert not set(ALL_METRIC_WIDGETS + [P.SHOW_METRICS_INPUT]) & set(new_assembler["visible"]), new_assembler
    assert new_axis["outputs"] == ["axis", "value"]
    if renderer == "classic":  # no empty rows where the hidden widgets are: the panel follows the sockets
        assert page.evaluate(PANEL_GAP, assembler) < 40
    if renderer == "vue":
        assert "metric_1_name" not in vue_text(page, assembler) and "value_2" not in vue_text(page, axis)
    page.screenshot(path=str(screenshots / f"node_shapes_new_{page.frontend}_{renderer}.png"))

    # a metric connected: its name and goal (and show_metrics) appear, the other metrics' do not
    connect(page, axis, "value", assembler, "metric_1")
    metric = shape(page, assembler)
    assert set(METRIC_1 + [P.SHOW_METRICS_INPUT]) <= set(metric["visible"]), metric
    assert not set(ALL_METRIC_WIDGETS[2:]) & set(metric["visible"]), metric
    # paired values: value_2 appears (two components), and stays while connected
    type_values(page, axis, "a | b, c | d", renderer)
    paired = shape(page, axis)
    assert paired["outputs"] == ["axis", "value", "value_2"], paired
    assert paired["values"][0] == "a | b, c | d"
    connect(page, axis, "value_2", assembler, P.metric_name_input("metric_2"))
    type_values(page, axis, "1, 2", renderer)
    assert shape(page, axis)["outputs"] == ["axis", "value", "value_2"]
    if renderer == "vue":
        page.wait_for_timeout(300)
        assert "metric_1_name" in vue_text(page, assembler) and "value_2" in vue_text(page, axis)
        assert "metric_3_name" not in vue_text(page, assembler) and "value_3" not in vue_text(page, axis)
    page.evaluate("(id) => window.app.canvas.centerOnNode(window.app.graph.getNodeById(id))", assembler)
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / f"node_shapes_connected_{page.frontend}_{renderer}.png"))

    # save and reload: the same values, outputs and links
    before = prompt_and_saved(page)
    saved = page.evaluate("() => window.app.graph.serialize()")
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", saved)
    page.wait_for_timeout(300)
    assert prompt_and_saved(page) == before
    assert shape(page, axis)["outputs"] == ["axis", "value", "value_2"]
    # the API prompt and the saved values are those of the same graph with everything shown
    show_everything(page)
    assert prompt_and_saved(page) == before
    assert page.console.own == [], page.console.own


@pytest.mark.every_renderer  # what each renderer draws differs: both are checked on every frontend
def test_a_shipped_workflow_loads_with_its_values_links_and_the_outputs_it_uses(page, editor_client, renderer):
    workflow = load(page, SD15_SAMPLERS)
    page.wait_for_timeout(300)
    after = page.evaluate("() => window.app.graph.serialize()")
    assert {n["id"]: n.get("widgets_values") or [] for n in after["nodes"]} == {
        n["id"]: n.get("widgets_values") or [] for n in workflow["nodes"]}
    assert links_by_name(after) == links_by_name(workflow)
    # every output a link leaves from is still there, at its index
    for link in after["links"]:
        node = next(n for n in after["nodes"] if n["id"] == link[1])
        assert len(node["outputs"]) > link[2]
    # the paired axis keeps value_2 (connected), the plain one shows `value` alone
    assert {n["id"]: [o["name"] for o in n["outputs"]] for n in after["nodes"] if n["type"] == P.NODE_AXIS} == {
        100: ["axis", "value", "value_2"], 101: ["axis", "value"]}
    before = prompt_and_saved(page)
    show_everything(page)
    assert prompt_and_saved(page) == before
    assert page.console.own == [], page.console.own


AXIS_INPUTS = """(id) => {
    const node = window.app.graph.getNodeById(id);
    return node.inputs.filter(i => /^(x|y|z|axis\\d+)$/.test(i.name))
        .map(i => [i.name, i.label ?? i.localized_name ?? i.name, i.link !== null && i.link !== undefined]);
}"""


def axis_inputs(page, node_id: int) -> list[list]:
    page.wait_for_timeout(200)
    return page.evaluate(AXIS_INPUTS, node_id)


@pytest.mark.every_renderer  # each renderer draws the added sockets itself: both are checked on every frontend
def test_a_grid_driver_grows_an_axis_input_for_each_one_wired_and_runs_ten_axes(page, editor_client, renderer,
                                                                               screenshots):
    graph, axes = ten_axes_graph("ten axes from the editor", wired=8)
    workflow = load_graph(page, editor_client, graph)
    driver = next(n["id"] for n in workflow["nodes"] if n["type"] == P.NODE_DRIVER)
    ninth, tenth = (next(n["id"] for n in workflow["nodes"] if str(n["id"]) == a) for a in axes[8:])
    # the eight declared inputs are wired: a ninth is offered
    grown = axis_inputs(page, driver)
    assert [[name, linked] for name, _label, linked in grown[:8]] == [[s, True] for s in P.AXIS_SLOTS]
    assert grown[8:] == [["axis9", "axis 9", False]]
    connect(page, ninth, "axis", driver, "axis9")
    assert axis_inputs(page, driver)[8:] == [["axis9", "axis 9", True], ["axis10", "axis 10", False]]
    connect(page, tenth, "axis", driver, "axis10")
    assert axis_inputs(page, driver)[8:] == [["axis9", "axis 9", True], ["axis10", "axis 10", True],
                                             ["axis11", "axis 11", False]]
    if renderer == "vue":
        page.wait_for_timeout(300)
        shown = vue_text(page, driver)
        # the added sockets, named as that renderer names the declared ones (1.32's by name, 1.58's by label)
        assert re.search(r"\baxis ?10\b", shown) and re.search(r"\baxis ?11\b", shown), shown
    zoom_on(page, P.NODE_DRIVER, 1)
    page.mouse.move(5, 500)
    page.wait_for_timeout(400)
    page.screenshot(path=str(screenshots / f"driver_ten_axes_{page.frontend}_{renderer}.png"))

    # saved and loaded again: the added inputs keep their links, and the queued prompt is the same
    before = prompt_and_saved(page)
    assert {"axis9", "axis10"} <= set(before["prompt"][str(driver)]["inputs"])
    assert "axis11" not in before["prompt"][str(driver)]["inputs"]
    saved = page.evaluate("() => window.app.graph.serialize()")
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", saved)
    page.wait_for_timeout(300)
    assert prompt_and_saved(page) == before
    assert [i[0] for i in axis_inputs(page, driver)][8:] == ["axis9", "axis10", "axis11"]

    # queued from the editor: ten axes, 16 cells, each in place on axis9 and axis10
    experiments = editor_client.get(P.ROUTE_EXPERIMENTS)["total"]
    page.evaluate("async () => { await window.app.queuePrompt(0, 1); }")
    deadline = time.monotonic() + 120
    while (listing := editor_client.get(P.ROUTE_EXPERIMENTS))["total"] == experiments or \
            listing["experiments"][0]["status"] != "complete":
        assert time.monotonic() < deadline, "the ten-axis experiment did not finish"
        time.sleep(0.2)
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=listing["experiments"][0]["id"]))
    assert manifest["counts"] == {"done": 16} and manifest["shape"]["axis9"] == manifest["shape"]["axis10"] == 2
    assert len(manifest["shape"]) == 10 and len(manifest["grids"]) == 4

    # unwired again: the spare past the last wired input goes, the declared ones stay
    page.evaluate("(id) => window.app.graph.getNodeById(id).disconnectInput("
                  "window.app.graph.getNodeById(id).inputs.findIndex(i => i.name === 'axis10'))", driver)
    assert [i[0] for i in axis_inputs(page, driver)][8:] == ["axis9", "axis10"]
    page.evaluate("(id) => window.app.graph.getNodeById(id).disconnectInput("
                  "window.app.graph.getNodeById(id).inputs.findIndex(i => i.name === 'axis9'))", driver)
    assert [i[0] for i in axis_inputs(page, driver)][8:] == ["axis9"]
    assert page.console.own == [], page.console.own
