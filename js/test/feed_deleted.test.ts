import { afterEach, describe, expect, it } from "vitest";
import { ExperimentFeed, type FeedSources, type Watcher } from "../src/feed";
import { RouteError } from "../src/host";
import { EVENT_DELETED } from "../src/protocol";
import type { Manifest } from "../src/routes";
import { manifest } from "./manifest";

/** Reads answered by `answer`, events the test sends. */
class Sources implements FeedSources {
  private readonly listeners = new Map<string, ((detail: unknown) => void)[]>();
  constructor(private readonly answer: (id: string) => Promise<Manifest>) {}

  load(id: string): Promise<Manifest> {
    return this.answer(id);
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

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function recorder(): Watcher & { deletedIds: string[]; loads: number } {
  const seen = {
    deletedIds: [] as string[], loads: 0,
    loaded: () => { seen.loads++; }, cell: () => {}, status: () => {},
    deleted: (id: string) => { seen.deletedIds.push(id); },
  };
  return seen;
}

let feed: ExperimentFeed | null = null;
afterEach(() => feed?.destroy());

describe("a deleted experiment", () => {
  it("is dropped from every watcher when the server says so, and only that one", async () => {
    const sources = new Sources(async () => manifest());
    feed = new ExperimentFeed(sources);
    const watching = recorder(), other = recorder();
    feed.watch("e1", watching);
    feed.watch("e2", other);
    await settled();
    sources.send(EVENT_DELETED, { experiment: "e1" });
    sources.send(EVENT_DELETED, { experiment: 5 });  // malformed: ignored
    expect(watching.deletedIds).toEqual(["e1"]);
    expect(other.deletedIds).toEqual([]);
  });

  it("is dropped when a read finds it gone (404), not when a read fails otherwise", async () => {
    let status = 500;
    feed = new ExperimentFeed(new Sources(async () => { throw new RouteError(status, "no experiment"); }));
    const watching = recorder();
    feed.watch("e1", watching);
    await settled();
    expect(watching.deletedIds).toEqual([]);
    status = 404;
    await feed.reload("e1");
    expect(watching.deletedIds).toEqual(["e1"]);
  });
});
