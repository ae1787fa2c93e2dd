import { afterEach, describe, expect, it, vi } from "vitest";
import { ExperimentFeed, type FeedSources, type Watcher } from "../src/feed";
import type { ExperimentView } from "../src/experiment_view";
import { EVENT_CELL, EVENT_EXPERIMENT, type CellEvent } from "../src/protocol";
import type { Manifest } from "../src/routes";
import { manifest } from "./manifest";

/** Reads that answer only when the test says so, and events the test sends. */
class Sources implements FeedSources {
  readonly reads: { id: string; answer: (m: Manifest) => void }[] = [];
  private readonly listeners = new Map<string, ((detail: unknown) => void)[]>();

  load(id: string): Promise<Manifest> {
    return new Promise((answer) => this.reads.push({ id, answer }));
  }

  subscribe<T>(name: string, listener: (detail: T) => void): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as (detail: unknown) => void);
    this.listeners.set(name, list);
    return () => list.splice(list.indexOf(listener as (detail: unknown) => void), 1);
  }

  send(name: string, detail: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener(detail);
  }
}

function cellDone(index: number, done: number): CellEvent {
  const x = index % 3, y = Math.floor(index / 3) % 2, z = Math.floor(index / 6);
  return { experiment: "e1", index, x, y, z, status: "done", files: [`cell_${index}.png`], done, failed: 0, total: 12 };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function watch(feed: ExperimentFeed): { latest: () => ExperimentView } {
  let latest: ExperimentView | null = null;
  const watcher: Watcher = { loaded: (v) => { latest = v; }, cell: () => {}, status: () => {} };
  feed.watch("e1", watcher);
  return { latest: () => latest! };
}

const doneTiles = (view: ExperimentView) => view.cells.flat(2).filter((c) => c.status === "done").length;

let feed: ExperimentFeed | null = null;
afterEach(() => {
  feed?.destroy();
  vi.useRealTimers();
});

async function runningFeed(): Promise<{ sources: Sources; seen: { latest: () => ExperimentView } }> {
  const sources = new Sources();
  feed = new ExperimentFeed(sources);
  const seen = watch(feed);
  sources.reads[0]!.answer(manifest());  // a running experiment, nothing done yet
  await Promise.resolve();
  await Promise.resolve();
  return { sources, seen };
}

describe("ExperimentFeed", () => {
  it("keeps a cell that finished while an older read was in flight", async () => {
    const sources = new Sources();
    feed = new ExperimentFeed(sources);
    const seen = watch(feed);
    expect(sources.reads.length).toBe(1);
    sources.send(EVENT_CELL, cellDone(0, 1));   // heard before the read answers ...
    sources.reads[0]!.answer(manifest());        // ... which was taken before cell 0 was saved
    await settled();
    expect(doneTiles(seen.latest())).toBe(1);
    expect(seen.latest().done).toBe(1);
  });

  it("shows the server's counts, the newer of the answer's and the last event's, never its own count", async () => {
    const sources = new Sources();
    feed = new ExperimentFeed(sources);
    const seen = watch(feed);
    sources.send(EVENT_CELL, cellDone(0, 1));   // heard during the read, but the read was taken later:
    const later = manifest();                    // cells 0 and 1 done, and cell 5 failed in ComfyUI
    Object.assign(later.cells[0]!, { status: "done", files: ["cell_0.png"] });
    Object.assign(later.cells[1]!, { status: "done", files: ["cell_1.png"] });
    Object.assign(later.cells[5]!, { status: "failed", error: "boom" });
    later.counts = { done: 2, failed: 1, queued: 9 };
    sources.reads[0]!.answer(later);
    await settled();
    expect([seen.latest().done, seen.latest().failed]).toEqual([2, 1]);
    sources.send(EVENT_CELL, { ...cellDone(2, 3), failed: 1 });
    expect([seen.latest().done, seen.latest().failed]).toEqual([3, 1]);  // each event carries the store's counts
  });

  it("reads again when completion is announced during a read, so the last answer is the newest", async () => {
    const sources = new Sources();
    feed = new ExperimentFeed(sources);
    const seen = watch(feed);
    sources.reads[0]!.answer(manifest());
    await settled();
    sources.send(EVENT_EXPERIMENT, { experiment: "e1", status: "cancelled", done: 0, failed: 0, total: 12 });
    expect(sources.reads.length).toBe(2);       // a settled status reads the cells again
    sources.send(EVENT_EXPERIMENT, { experiment: "e1", status: "running", done: 0, failed: 0, total: 12 });
    sources.send(EVENT_EXPERIMENT, { experiment: "e1", status: "complete", done: 12, failed: 0, total: 12 });
    expect(sources.reads.length).toBe(2);       // joined to the read in flight ...
    sources.reads[1]!.answer({ ...manifest(), status: "cancelled" });
    await settled();
    expect(sources.reads.length).toBe(3);       // ... and asked once more after it
    const complete = manifest();
    complete.status = "complete";
    for (const c of complete.cells) Object.assign(c, { status: "done", files: [`cell_${c.index}.png`] });
    complete.counts = { done: 12 };
    sources.reads[2]!.answer(complete);
    await settled();
    expect(seen.latest().status).toBe("complete");
    expect(doneTiles(seen.latest())).toBe(12);
    expect(sources.reads.length).toBe(3);
  });

  it("keeps a status told while an older read was in flight (a cancel from another tab)", async () => {
    const sources = new Sources();
    feed = new ExperimentFeed(sources);
    const seen = watch(feed);
    sources.send(EVENT_EXPERIMENT, { experiment: "e1", status: "cancelled", done: 0, failed: 0, total: 12 });
    sources.reads[0]!.answer(manifest());        // read before the cancel: still running
    await settled();
    expect(seen.latest().status).toBe("cancelled");
  });

  it("does not read the routes while events keep coming", async () => {
    vi.useFakeTimers();
    const { sources, seen } = await runningFeed();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2000);            // a cell every 2 s for 20 s
      sources.send(EVENT_CELL, cellDone(i, i + 1));
    }
    expect(sources.reads.length).toBe(1);      // the first read only
    expect(doneTiles(seen.latest())).toBe(10);
  });

  it("reads again after a quiet spell while running, and not once it is settled", async () => {
    vi.useFakeTimers();
    const { sources } = await runningFeed();
    vi.advanceTimersByTime(4000);
    expect(sources.reads.length).toBe(1);
    vi.advanceTimersByTime(2500);              // over 5 s without an event
    expect(sources.reads.length).toBe(2);
    const finished = { ...manifest(), status: "complete" as const };
    sources.reads[1]!.answer(finished);
    await Promise.resolve();
    await Promise.resolve();
    vi.advanceTimersByTime(30000);
    expect(sources.reads.length).toBe(2);      // complete: nothing more to catch up on
  });

  it("reads every watched experiment again when the socket reconnects", async () => {
    vi.useFakeTimers();
    const { sources } = await runningFeed();
    sources.send("reconnected", {});
    expect(sources.reads.map((r) => r.id)).toEqual(["e1", "e1"]);
  });
});

