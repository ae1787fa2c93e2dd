// Playing the flipbook in the explorer: the active slider steps on by itself, one shown value a
// frame, from its last value round to its first, until Pause (or a view with no slider to play).
// The export menu's flipbook writes the same sequence as an animated file.
import type { ExperimentView } from "../experiment_view";
import { element } from "../dom";
import { activeSlider, moveSlider, shownValues, type ExplorerState } from "./state";

/** ms per frame: slow enough to see each image, as a flipbook's default frame is */
export const FRAME_MS = 700;

/** The state one frame on: the active slider at its next shown value (after the last: the first);
 * null when the view has no slider to play. Pure. */
export function nextFrame(view: ExperimentView, state: ExplorerState): ExplorerState | null {
  if (state.mode !== "grid") return null;
  const slider = activeSlider(view, state);
  if (!slider) return null;
  const shown = shownValues(state, slider);
  if (shown.length < 2) return null;
  const here = shown.indexOf(state.at[slider.slot] ?? 0);
  return moveSlider(view, state, slider.slot, shown[(here + 1) % shown.length]!);
}

export class SliderPlayer {
  readonly button = element("button", "xyz-button xyz-play", "▶ Play");
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `frame`: move one frame on; false when there is nothing to play (the player stops). */
  constructor(private readonly frame: () => boolean) {
    this.button.type = "button";
    this.button.title = "Play along the active slider's axis (the arrow keys pick another slider)";
    this.button.addEventListener("click", (e) => {
      e.stopPropagation();
      if (this.playing) this.stop();
      else this.start();
    });
  }

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Shown only while the view has a slider to play. */
  render(available: boolean): void {
    this.button.hidden = !available;
    if (!available) this.stop();
  }

  start(): void {
    if (this.timer !== null || !this.frame()) return;
    this.timer = setInterval(() => {
      if (!this.frame()) this.stop();
    }, FRAME_MS);
    this.button.textContent = "⏸ Pause";
    this.button.setAttribute("aria-pressed", "true");
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.button.textContent = "▶ Play";
    this.button.setAttribute("aria-pressed", "false");
  }
}
