// XYZ Plot Studio in the ComfyUI editor: the Z-scrubber panel on every Grid Assembler
// node and the "XYZ" sidebar tab, both fed by one ExperimentFeed.
import { NODE_ASSEMBLER, type ExperimentEvent } from "./protocol";
import { graphNodes, registerExtension, registerSidebarTab, type HostNode } from "./host";
import { ExperimentFeed } from "./feed";
import { NodePanel } from "./panel";
import { ExperimentsSidebar, SIDEBAR_ID } from "./sidebar";
import { addStyles } from "./styles";
import { clearRefusal, listenForRefusals } from "./refusal";

const panels = new Set<NodePanel>();
let feed: ExperimentFeed | null = null;

function theFeed(): ExperimentFeed {
  if (!feed) {
    feed = new ExperimentFeed();
    feed.onNewExperiment = adopt;
  }
  return feed;
}

/** An experiment queued from this tab: the panel of the Grid Assembler it runs through shows it. */
function adopt(event: ExperimentEvent): void {
  if (event.assembler === undefined || event.assembler === null) return;
  for (const panel of panels) {
    if (String(panel.node.id) !== String(event.assembler)) continue;
    clearRefusal(panel.scrubber.root);
    panel.show(event.experiment);
  }
}

function attach(node: HostNode): void {
  if (node.type !== NODE_ASSEMBLER) return;
  for (const panel of panels) if (panel.node === node) return;
  panels.add(new NodePanel(node, theFeed(), (gone) => panels.delete(gone)));
}

/** Test and debugging hook: what the extension shows, read-only. */
const inspect = {
  panels: () => [...panels].map((p) => ({ node: p.node.id, experiment: p.scrubber.experimentId, z: p.scrubber.currentZ })),
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
    const sidebar = new ExperimentsSidebar(theFeed(), (id) => {
      for (const panel of panels) panel.show(id);
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
  },
  loadedGraphNode(node: HostNode) {
    attach(node);
    for (const panel of panels) if (panel.node === node) panel.restore();
  },
});
