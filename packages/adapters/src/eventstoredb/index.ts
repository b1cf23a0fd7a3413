import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  jsonEvent,
  type Position,
  START,
  StreamNotFoundError,
  streamNameFilter,
} from "@eventstore/db-client";
import {
  type AppendResult,
  type CheckpointStore,
  ConcurrencyError,
  type EventStore,
  type StoredEvent,
  type StreamAppend,
} from "@vafa/core";
import { checkDistinctStreams } from "../shared/append-plan.js";
import { appendEvents } from "./append.js";
import { packPosition, toStored, unavailable, unpackPosition } from "./mapping.js";

export { packPosition, unpackPosition } from "./mapping.js";

export interface EventStoreDbStoreOptions {
  /** Stream prefixes that `readAll` and `subscribe` deliver (default: the ledger's `member-`, `program-`). */
  streamPrefixes?: readonly string[];
}

/** An EventStoreDB store plus checkpoints kept in `vafa-checkpoint-<name>` streams. */
export interface EventStoreDbStore extends EventStore {
  readonly checkpoints: CheckpointStore;
}

const LEDGER_PREFIXES = ["member-", "program-", "reward-"] as const;
const CHECKPOINT_PREFIX = "vafa-checkpoint-";
const READ_BATCH = 500;

export const createEventStoreDbStore = (
  options: ({ connectionString: string } | { client: EventStoreDBClient }) & EventStoreDbStoreOptions,
): EventStoreDbStore => {
  const ownsClient = !("client" in options);
  const client =
    "client" in options ? options.client : EventStoreDBClient.connectionString(options.connectionString);
  const prefixes = [...(options.streamPrefixes ?? LEDGER_PREFIXES)];
  const isLedgerStream = (streamId: string) => prefixes.some((prefix) => streamId.startsWith(prefix));

  const readStreamRaw = async (streamId: string, fromRevision: number): Promise<StoredEvent[]> => {
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of client.readStream(streamId, { fromRevision: BigInt(fromRevision) })) {
        const stored = toStored(resolved);
        if (stored) events.push(stored);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailable(error);
    }
    return events;
  };

  /** The stream's last revision, or `no_stream`. */
  const lastRevision = async (streamId: string): Promise<number | "no_stream"> => {
    let last: number | "no_stream" = "no_stream";
    try {
      // read to the end: leaving the loop early would leave the gRPC call open
      for await (const resolved of client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      }))
        if (resolved.event) last = Number(resolved.event.revision);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return "no_stream";
      throw unavailable(error);
    }
    return last;
  };

  /** Whether this stream's proposed events are all stored already at their revisions (a retried append). */
  const allStored = async (streamId: string, appends: readonly StreamAppend[]): Promise<boolean> => {
    const events = appends.find((a) => a.streamId === streamId)?.events ?? [];
    const first = events[0];
    if (first === undefined) return false;
    const stored = await readStreamRaw(streamId, first.revision);
    return events.every((e, i) => stored[i]?.eventId === e.eventId);
  };

  /** $all after `after` (exclusive) in batches; `filter` picks the streams. */
  async function* scanAll(after: bigint | undefined, batchSize: number): AsyncGenerator<StoredEvent> {
    let from: Position | typeof START = after === undefined ? START : unpackPosition(after);
    let last = after;
    for (;;) {
      let count = 0;
      const batch: StoredEvent[] = [];
      let lastSeen: Position | undefined;
      try {
        for await (const resolved of client.readAll({ fromPosition: from, maxCount: batchSize })) {
          count += 1;
          if (resolved.event?.position) lastSeen = resolved.event.position;
          const stored = toStored(resolved);
          // readAll from a position includes it; our `after` is exclusive
          if (stored && (last === undefined || stored.position > last)) batch.push(stored);
        }
      } catch (error) {
        throw unavailable(error);
      }
      for (const event of batch) {
        last = event.position;
        yield event;
      }
      if (count < batchSize || lastSeen === undefined) return;
      const lastPacked = packPosition(lastSeen);
      if (last === undefined || lastPacked > last) last = lastPacked;
      from = lastSeen;
    }
  }

  const store: EventStoreDbStore = {
    // appendToStreams writes stream by stream: stock uses claim-first with repair (club-v1 §2).
    atomicMultiStream: false,
    async appendToStream(streamId, events, { expectedRevision }) {
      return appendEvents(client, readStreamRaw, streamId, events, expectedRevision);
    },
    /**
     * EventStoreDB cannot append to two streams atomically: every expected
     * revision is checked first (one backwards read per stream), then the
     * streams are appended one by one. A writer that slips in between, or a
     * crash half-way, can leave only some streams written (docs/stores.md);
     * running the same commands again completes them (ids dedupe).
     */
    async appendToStreams(appends) {
      checkDistinctStreams(appends);
      for (const { streamId, expectedRevision } of appends) {
        if (expectedRevision === "any") continue;
        const actual = await lastRevision(streamId);
        const expectedOk =
          expectedRevision === "no_stream" ? actual === "no_stream" : actual === expectedRevision;
        // A retried append of stored events passes here only if it is a true duplicate; appendToStream decides.
        if (!expectedOk && !(await allStored(streamId, appends)))
          throw new ConcurrencyError(streamId, expectedRevision, actual);
      }
      const results: AppendResult[] = [];
      for (const { streamId, events, expectedRevision } of appends) {
        if (events.length === 0) {
          // checked above; an empty append is not sent (the server would only check it again)
          const actual = await lastRevision(streamId);
          results.push({
            nextExpectedRevision: actual === "no_stream" ? -1 : actual,
            position: (await readStreamRaw(streamId, actual === "no_stream" ? 0 : actual))[0]?.position ?? 0n,
          });
        } else results.push(await store.appendToStream(streamId, events, { expectedRevision }));
      }
      return results;
    },
    async readStreams(reads) {
      const result = new Map<string, StoredEvent[]>();
      for (const { streamId, fromRevision } of reads)
        result.set(
          streamId,
          await store.readStream(streamId, fromRevision === undefined ? {} : { fromRevision }),
        );
      return result;
    },
    async readStream(streamId, readOptions = {}) {
      return readStreamRaw(streamId, Math.max(0, readOptions.fromRevision ?? 0));
    },
    async *readAll(readOptions = {}) {
      const batchSize = Math.min(Math.max(1, readOptions.batchSize ?? READ_BATCH), 4096);
      for await (const event of scanAll(readOptions.after, batchSize)) {
        if (isLedgerStream(event.streamId)) yield event;
      }
    },
    async listStreams(prefix) {
      // EventStoreDB has no stream index to query: scan $all once (fine for operator commands)
      const ids = new Set<string>();
      for await (const event of scanAll(undefined, 4096)) {
        if (event.streamId.startsWith(prefix) && isLedgerStream(event.streamId)) ids.add(event.streamId);
      }
      return [...ids].sort();
    },
    subscribe(subscribeOptions) {
      const subscription = client.subscribeToAll({
        fromPosition: subscribeOptions.after === undefined ? START : unpackPosition(subscribeOptions.after),
        filter: streamNameFilter({ prefixes }),
      });
      let stopped = false;
      const running = (async () => {
        try {
          for await (const resolved of subscription) {
            if (stopped) return;
            const stored = toStored(resolved);
            if (!stored || !isLedgerStream(stored.streamId)) continue;
            if (subscribeOptions.after !== undefined && stored.position <= subscribeOptions.after) continue;
            try {
              await subscribeOptions.onEvent(stored);
            } catch (error) {
              subscribeOptions.onError?.(error);
              stopped = true;
              await subscription.unsubscribe();
              return;
            }
          }
        } catch (error) {
          if (!stopped) subscribeOptions.onError?.(unavailable(error));
        }
      })();
      return {
        async stop() {
          stopped = true;
          await subscription.unsubscribe();
          await running;
        },
      };
    },
    async close() {
      if (ownsClient) await client.dispose();
    },
    checkpoints: {
      async load(name) {
        let saved: string | undefined;
        try {
          // read to the end: leaving the loop early would leave the gRPC call open (dispose waits on it)
          for await (const resolved of client.readStream(`${CHECKPOINT_PREFIX}${name}`, {
            fromRevision: END,
            direction: BACKWARDS,
            maxCount: 1,
          })) {
            const data = resolved.event?.data as { position?: string } | undefined;
            if (typeof data?.position === "string") saved = data.position;
          }
        } catch (error) {
          if (error instanceof StreamNotFoundError) return undefined;
          throw unavailable(error);
        }
        return saved === undefined ? undefined : BigInt(saved);
      },
      async save(name, position) {
        try {
          await client.appendToStream(
            `${CHECKPOINT_PREFIX}${name}`,
            jsonEvent({ type: "CheckpointSaved", data: { position: position.toString() } }),
            { expectedRevision: ANY },
          );
        } catch (error) {
          throw unavailable(error);
        }
      },
    },
  };
  return store;
};
