// XYZ Plot Studio in the ComfyUI editor: the explorer panel on every Grid Assembler
// node and the "XYZ" sidebar tab, both fed by one ExperimentFeed.
import { NODE_ASSEMBLER, type ExperimentEvent } from "./protocol";
import { graphNodes, nodeClass, registerExtension, registerSidebarTab, workflowId, type HostNode } from "./host";
import { ExperimentFeed } from "./feed";
import { NodePanel } from "./panel";
import { shapeCreatedNode, shapeNode } from "./node_shapes";
import { ExperimentsSidebar, SIDEBAR_ID } from "./sidebar";
import { addStyles } from "./styles";
import { clearRefusal, listenForRefusals } from "./refusal";

const panels = new Set<NodePanel>();
let feed: ExperimentFeed | null = null;

function theFeed(): ExperimentFeed {
  if (!feed) {
    feed = new ExperimentFeed();
    feed.onNewExperiment = showInItsPanel;
  }
  return feed;
}

/** An experiment queued from the workflow on screen (from this tab or another): the panel
 * of the Grid Assembler it runs through shows it. Another workflow's node of the same id
 * does not. */
function showInItsPanel(event: ExperimentEvent): void {
  if (event.assembler === undefined || event.assembler === null) return;
  if (!event.workflow || event.workflow !== workflowId()) return;
  for (const panel of panels) {
    if (String(panel.node.id) !== String(event.assembler)) continue;
    clearRefusal(panel.scrubber.root);
    panel.show(event.experiment);
  }
}

function attach(node: HostNode): void {
  if (nodeClass(node) !== NODE_ASSEMBLER) return;
  for (const panel of panels) if (panel.node === node) return;
  panels.add(new NodePanel(node, theFeed(), (gone) => panels.delete(gone)));
}

/** Test and debugging hook: what the extension shows, read-only. */
const inspect = {
  panels: () => [...panels].map((p) => ({ node: p.node.id, experiment: p.scrubber.experimentId,
                                           swapped: p.scrubber.swapped, view: p.scrubber.viewState })),
  watched: () => feed?.watchedCount() ?? 0,
};

registerExtension({
  name: "xyz_studio.editor",
  init() {
    addStyles();
    theFeed();  // listen before the socket delivers anything
    (globalThis as Record<string, unknown>)["xyzStudio"] = inspect;
  },
  setup() {
    // a pick shows the experiment in the sidebar only; "Load this workflow" puts it in
    // the loaded workflow's Grid Assembler that ran it
    const sidebar = new ExperimentsSidebar(theFeed(), (id, assembler) => {
      const loaded = [...panels];
      const own = loaded.filter((panel) => String(panel.node.id) === assembler);
      for (const panel of own.length ? own : loaded.slice(0, 1)) panel.show(id);
    });
    listenForRefusals(() => [...panels].map((panel) => ({ node: panel.node, root: panel.scrubber.root })));
    registerSidebarTab({
      id: SIDEBAR_ID, title: "XYZ", icon: "pi pi-th-large", tooltip: "XYZ Plot Studio experiments", type: "custom",
      render: (element) => sidebar.render(element),
      destroy: () => sidebar.unmount(),
    });
    for (const node of graphNodes()) attach(node);
  },
  nodeCreated(node: HostNode) {
    attach(node);
    shapeCreatedNode(node);
  },
  loadedGraphNode(node: HostNode) {
    attach(node);
    shapeNode(node);
    for (const panel of panels) if (panel.node === node) panel.restore();
  },
});
