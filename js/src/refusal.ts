// "Not queued": a Grid Assembler's panel says so, with the pack's own message, when the XYZ
// workflow queued through it was refused. ComfyUI's answer marks the node at fault, and
// 1.32's dialog shows the message; newer frontends show only "XYZ Axis rejected the value
// for values" there, and without this the panel would go on showing the previous
// experiment as if the queueing had worked. The banner stays until the next experiment.
import { EVENT_REFUSED, type RefusedEvent } from "./protocol";
import { onServerEvent, workflowId, type HostNode } from "./host";
import { element } from "./dom";

const BANNER_CLASS = "xyz-refusal";
const BANNER_STYLE = "margin:0 0 6px;padding:6px 8px;border:1px solid #c0392b;border-radius:4px;" +
  "background:rgba(192,57,43,.18);color:inherit;font-size:12px;line-height:1.35;white-space:pre-wrap;" +
  "overflow-wrap:anywhere;max-height:9em;overflow:auto";

/** A panel that can show a refusal: its node and the element the banner goes in. */
export interface RefusalTarget {
  readonly node: HostNode;
  readonly root: HTMLElement;
}

/** Show each refusal of the workflow on screen in its Grid Assembler's panel. */
export function listenForRefusals(targets: () => Iterable<RefusalTarget>): () => void {
  return onServerEvent<RefusedEvent>(EVENT_REFUSED, (event) => {
    if (!event || typeof event.message !== "string" || event.assembler == null) return;
    if (!event.workflow || event.workflow !== workflowId()) return;  // another workflow's node of that id
    for (const target of targets()) {
      if (String(target.node.id) === String(event.assembler)) showRefusal(target.root, event.message);
    }
  });
}

export function showRefusal(root: HTMLElement, message: string): void {
  clearRefusal(root);
  const banner = element("div", BANNER_CLASS);
  banner.setAttribute("role", "alert");
  banner.style.cssText = BANNER_STYLE;
  banner.append(element("strong", "", "Not queued: "), element("span", "", message));
  root.prepend(banner);
}

/** Take the banner away (a new experiment is shown in the panel). */
export function clearRefusal(root: HTMLElement): void {
  for (const banner of root.querySelectorAll(`:scope > .${BANNER_CLASS}`)) banner.remove();
}
