// The lifecycle buttons' effect, shared by the panel and the sidebar: call the route,
// say what happened, and read the experiment again.
import { RouteError, toast } from "./host";
import type { ExperimentFeed } from "./feed";
import { runAction, type LifecycleAction } from "./routes";

const DONE: Record<LifecycleAction, string> = {
  cancel: "Cancelled", resume: "Resumed", retry: "Retrying the failed cells",
};

export async function lifecycleAction(feed: ExperimentFeed, id: string, action: LifecycleAction): Promise<void> {
  try {
    await runAction(id, action);
    toast("success", DONE[action], `experiment ${id}`);
  } catch (error) {
    const detail = error instanceof RouteError ? error.message : String(error);
    toast(error instanceof RouteError && error.status === 409 ? "info" : "error", `Could not ${action}`, detail);
  } finally {
    await feed.reload(id);
  }
}
