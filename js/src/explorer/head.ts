// The explorer's head: the experiment's name and status, its progress bar, and a line of counts,
// time elapsed and time left (ticking each second while it runs). Set as text.
import { isRunning, secondsLeft, type ExperimentView } from "../experiment_view";
import { formatSeconds } from "../format";
import { element } from "../dom";

export class ExplorerHead {
  readonly root = element("div", "xyz-head");
  private readonly title = element("div", "xyz-title");
  private readonly progressBar = element("div", "xyz-progress-bar");
  private readonly progressDone = element("div", "xyz-progress-done");
  private readonly progressFailed = element("div", "xyz-progress-failed");
  private readonly progressText = element("div", "xyz-progress-text");
  private view: ExperimentView | null = null;
  private clock: number | null = null;

  constructor() {
    this.progressBar.append(this.progressDone, this.progressFailed);
    this.root.append(this.title, this.progressBar, this.progressText);
  }

  render(view: ExperimentView | null): void {
    this.view = view;
    if (!view) {
      this.title.textContent = "XYZ Plot Studio";
      this.progressText.textContent = "";
      this.progressBar.hidden = true;
      this.stopClock();
      return;
    }
    this.title.textContent = `${view.name} · ${view.status}`;
    this.title.dataset.status = view.status;
    // a search runs its budget, not every cell: its progress is of the budget
    const search = view.search && !view.dryRun ? view.search : null;
    const goal = search ? Math.min(search.budget || view.total, view.total) : view.total;
    const total = Math.max(1, goal);
    this.progressBar.hidden = false;
    this.progressDone.style.width = `${(100 * view.done) / total}%`;
    this.progressFailed.style.width = `${(100 * view.failed) / total}%`;
    const settled = view.done + view.failed;
    const end = view.finished ?? Date.now() / 1000;
    const elapsed = Math.max(0, end - view.created);
    let text = `${view.done} / ${goal} done`;
    if (search) text += ` · search of ${view.total} cells`;
    if (view.failed) text += ` · ${view.failed} failed`;
    text += ` · ${formatSeconds(elapsed)} elapsed`;
    if (isRunning(view.status)) {
      const left = secondsLeft(settled, goal, elapsed);
      text += left === null ? " · estimating" : ` · ~${formatSeconds(left)} left`;
      if (this.clock === null) this.clock = window.setInterval(() => this.render(this.view), 1000);
    } else {
      this.stopClock();
    }
    this.progressText.textContent = text;
    this.progressText.dataset.done = String(view.done);
    this.progressText.dataset.failed = String(view.failed);
    this.progressText.dataset.total = String(view.total);
  }

  destroy(): void {
    this.stopClock();
  }

  private stopClock(): void {
    if (this.clock !== null) clearInterval(this.clock);
    this.clock = null;
  }
}
