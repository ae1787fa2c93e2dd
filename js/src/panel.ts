// The explorer panel on every Grid Assembler node: a UI-only DOM widget showing the
// node's current experiment (the last one queued from this tab through this node, or
// one picked in the sidebar). Which one it showed, and the explorer's view state (pivot,
// sliders, values toggled off, table sort), are kept in node.properties, so a reload or a
// saved workflow shows them again.
import { addPanelWidget, onNodeRemoved, redraw, workflowId, type HostNode } from "./host";
import { lifecycleAction } from "./actions";
import type { ExperimentFeed, Watcher } from "./feed";
import type { CellView, ExperimentView } from "./experiment_view";
import { Explorer } from "./explorer/explorer";
import { readState, swappedXY } from "./explorer/state";
import { latestExperiment } from "./routes";

export const EXPERIMENT_PROPERTY = "xyz_experiment";
/** The explorer's view state (explorer/state.ts's ExplorerState, as JSON). */
export const VIEW_PROPERTY = "xyz_view";
/** X down the rows and Y across: what the panel kept before the explorer, still read from a node saved
 * then (when it has no view state) and still written alongside the view state. */
export const SWAP_PROPERTY = "xyz_swap_xy";
const PANEL_MIN_HEIGHT = 360;
const NODE_DEFAULT_SIZE: [number, number] = [440, 520];

export class NodePanel implements Watcher {
  readonly scrubber: Explorer;
  private unwatch: (() => void) | null = null;
  private shows = 0;  // show() calls so far: an answer asked for before the last one is stale

  constructor(readonly node: HostNode, private readonly feed: ExperimentFeed, private readonly gone: (p: NodePanel) => void) {
    this.scrubber = new Explorer({
      action: (action) => {
        const id = this.scrubber.experimentId;
        if (id) void lifecycleAction(feed, id, action);
      },
      viewChanged: (state) => {
        this.node.properties = this.node.properties ?? {};
        this.node.properties[VIEW_PROPERTY] = state;
        this.node.properties[SWAP_PROPERTY] = swappedXY(state);
      },
    });
    this.scrubber.root.classList.add("xyz-node-panel");
    addPanelWidget(node, "xyz_panel", this.scrubber.root, () => PANEL_MIN_HEIGHT);
    if (node.size && (node.size[0] < NODE_DEFAULT_SIZE[0] || node.size[1] < NODE_DEFAULT_SIZE[1])) {
      node.setSize?.([Math.max(node.size[0], NODE_DEFAULT_SIZE[0]), Math.max(node.size[1], NODE_DEFAULT_SIZE[1])]);
    }
    onNodeRemoved(node, () => this.destroy());
    this.restore();
  }

  /** Show the experiment kept in the node's properties (after a load or a reload), then
   * ask the server whether a newer one ran through this node of this workflow: the page
   * may not have kept the property (a reload mid-run, a second tab). */
  restore(): void {
    const saved = this.node.properties ?? {};
    this.scrubber.setState(readState(saved[VIEW_PROPERTY], saved[SWAP_PROPERTY] === true));
    const id = this.node.properties?.[EXPERIMENT_PROPERTY];
    if (typeof id === "string" && id !== this.scrubber.experimentId) this.show(id);
    void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    const workflow = workflowId();
    if (!workflow) return;
    const asked = this.shows;
    try {
      const { experiment } = await latestExperiment(workflow, String(this.node.id));
      // shown meanwhile (queued here, picked in the sidebar): that is newer than this answer
      if (experiment && asked === this.shows && experiment !== this.shownId()) this.show(experiment);
    } catch (error) {
      console.debug("XYZ Plot Studio: could not ask for this node's latest experiment", error);
    }
  }

  private shownId(): string | null {
    const id = this.node.properties?.[EXPERIMENT_PROPERTY];
    return typeof id === "string" ? id : null;
  }

  show(id: string): void {
    this.shows++;
    this.unwatch?.();
    this.node.properties = this.node.properties ?? {};
    this.node.properties[EXPERIMENT_PROPERTY] = id;
    this.unwatch = this.feed.watch(id, this);
  }

  loaded(view: ExperimentView): void {
    this.scrubber.show(view);
    redraw(this.node);
  }

  cell(cell: CellView): void {
    this.scrubber.updateCell(cell);
  }

  status(): void {
    this.scrubber.updateStatus();
  }

  /** Its experiment was deleted: the empty state (the node's property is left: a read finds it gone again). */
  deleted(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.scrubber.show(null);
    redraw(this.node);
  }

  destroy(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.scrubber.destroy();
    this.gone(this);
  }
}
