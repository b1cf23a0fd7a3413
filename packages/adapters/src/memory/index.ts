import type {
  AppendResult,
  CheckpointStore,
  EventStore,
  ExpectedRevision,
  ProposedEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from "@vafa/core";
import { VafaError } from "@vafa/core";
import { checkBatch, checkDistinctStreams, planAppend, type StoredLocation } from "../shared/append-plan.js";
import { copyJson } from "../shared/json-copy.js";
import { Notifier, runSubscription } from "../shared/live-feed.js";

export { createMemoryKeyStore, type MemoryKeyStoreOptions } from "./key-store.js";

export interface MemoryStoreOptions {
  /** Clock for `recordedAt` (default: the system clock as `toISOString()`). */
  now?: () => string;
}

const SUBSCRIPTION_BATCH = 500;

/**
 * An in-process event store for tests and examples. Positions are 1, 2, 3...
 * Events are copied in and out, so callers cannot change what is stored.
 */
export const createMemoryStore = (options: MemoryStoreOptions = {}): EventStore => {
  const now = options.now ?? (() => new Date().toISOString());
  const log: Entry[] = [];
  const streams = new Map<string, Entry[]>();
  const locations = new Map<string, StoredLocation>();
  const notifier = new Notifier();
  let closed = false;

  const positionToIndex = (after: bigint | undefined): number =>
    after === undefined || after < 0n ? 0 : Number(after > BigInt(log.length) ? BigInt(log.length) : after);

  /** Checks one stream's append against what is stored; writes nothing. */
  const plan = (streamId: string, events: readonly ProposedEvent[], expectedRevision: ExpectedRevision) => {
    const currentRevision = (streams.get(streamId)?.length ?? 0) - 1;
    const existing = new Map<string, StoredLocation>();
    for (const event of events) {
      const found = locations.get(event.eventId);
      if (found !== undefined) existing.set(event.eventId, found);
    }
    return {
      currentRevision,
      plan: planAppend({ streamId, events, expectedRevision, currentRevision, existing }),
    };
  };

  const write = (
    streamId: string,
    events: readonly ProposedEvent[],
    checked: ReturnType<typeof plan>,
    recordedAt: string,
  ): AppendResult => {
    if (checked.plan.kind === "duplicate")
      return { nextExpectedRevision: checked.currentRevision, position: checked.plan.position };
    let stream = streams.get(streamId);
    if (stream === undefined) {
      stream = [];
      if (events.length > 0) streams.set(streamId, stream);
    }
    for (const event of events) {
      const entry: Entry = {
        streamId,
        revision: event.revision,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        data: copyJson(event.data),
        metadata: copyJson(event.metadata),
        recordedAt,
        position: BigInt(log.length + 1),
      };
      log.push(entry);
      stream.push(entry);
      locations.set(entry.eventId, {
        streamId,
        revision: entry.revision,
        position: entry.position,
        hash: entry.metadata.hash,
      });
    }
    return {
      nextExpectedRevision: stream.length - 1,
      position: stream.at(-1)?.position ?? 0n,
    };
  };

  return {
    async appendToStream(streamId, events, { expectedRevision }) {
      if (closed) throw closedError();
      checkBatch(streamId, events);
      const checked = plan(streamId, events, expectedRevision);
      const result = write(streamId, events, checked, now());
      if (events.length > 0 && checked.plan.kind === "append") notifier.notify();
      return result;
    },
    async appendToStreams(appends) {
      if (closed) throw closedError();
      checkDistinctStreams(appends);
      // Every stream is checked before anything is written: all or nothing.
      const checked = appends.map((a) => plan(a.streamId, a.events, a.expectedRevision));
      const recordedAt = now();
      const results = appends.map((a, i) =>
        write(a.streamId, a.events, checked[i] as (typeof checked)[number], recordedAt),
      );
      if (appends.some((a, i) => a.events.length > 0 && checked[i]?.plan.kind === "append"))
        notifier.notify();
      return results;
    },
    async readStreams(reads) {
      const result = new Map<string, StoredEvent[]>();
      for (const { streamId, fromRevision } of reads)
        result.set(streamId, (streams.get(streamId) ?? []).slice(Math.max(0, fromRevision ?? 0)).map(copy));
      return result;
    },
    async readStream(streamId, readOptions = {}) {
      const stream = streams.get(streamId) ?? [];
      return stream.slice(Math.max(0, readOptions.fromRevision ?? 0)).map(copy);
    },
    async *readAll(readOptions: ReadAllOptions = {}) {
      for (let index = positionToIndex(readOptions.after); index < log.length; index += 1) {
        const event = log[index];
        if (event !== undefined) yield copy(event);
      }
    },
    async listStreams(prefix) {
      return [...streams.keys()].filter((id) => id.startsWith(prefix)).sort();
    },
    subscribe(subscribeOptions: SubscribeOptions): Subscription {
      return runSubscription(subscribeOptions, {
        readBatch: async (after) => {
          const start = positionToIndex(after);
          return log.slice(start, start + SUBSCRIPTION_BATCH).map(copy);
        },
        wait: (signal) => notifier.wait(signal),
      });
    },
    async close() {
      closed = true;
    },
  };
};

/** What the store keeps: its own copy of data and metadata, copied again for every read (cheaper than JSON text or structuredClone). */
interface Entry {
  streamId: string;
  revision: number;
  eventId: string;
  type: StoredEvent["type"];
  occurredAt: string;
  data: StoredEvent["data"];
  metadata: StoredEvent["metadata"];
  recordedAt: string;
  position: bigint;
}

const copy = (entry: Entry): StoredEvent =>
  ({
    streamId: entry.streamId,
    revision: entry.revision,
    eventId: entry.eventId,
    type: entry.type,
    occurredAt: entry.occurredAt,
    data: copyJson(entry.data),
    metadata: copyJson(entry.metadata),
    recordedAt: entry.recordedAt,
    position: entry.position,
  }) as StoredEvent;

const closedError = () =>
  new VafaError(
    "STORE_UNAVAILABLE",
    "memory store is closed",
    "create a new store; a closed one keeps no events",
  );

/** Checkpoints kept in a Map (lost with the process). */
export const createMemoryCheckpointStore = (): CheckpointStore => {
  const positions = new Map<string, bigint>();
  return {
    async load(name) {
      return positions.get(name);
    },
    async save(name, position) {
      positions.set(name, position);
    },
  };
};
