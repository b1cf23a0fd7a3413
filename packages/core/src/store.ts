import type { ProposedEvent, StoredEvent } from "./envelope.js";
import type { ExpectedRevision } from "./errors.js";

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  nextExpectedRevision: number;
  /** Global position of the last event appended (or of the existing one on a deduplicated retry). */
  position: bigint;
}

/** One stream's part of `appendToStreams`. */
export interface StreamAppend {
  streamId: string;
  /** May be empty: then only `expectedRevision` is checked (a stream the caller read but did not write). */
  events: readonly ProposedEvent[];
  expectedRevision: ExpectedRevision;
}

export interface ReadAllOptions {
  /** Exclusive: events with a position strictly greater are returned. */
  after?: bigint;
  /** Events per round trip (adapters may cap it). */
  batchSize?: number;
}

export interface Subscription {
  /** Stops delivery; resolves when no handler call is running. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive start position; omitted means from the beginning. */
  after?: bigint;
  /** Called once per event, in global order, one at a time (awaited). */
  onEvent(event: StoredEvent): Promise<void> | void;
  onError?(error: unknown): void;
}

/**
 * The event-store port (spec 2). Every adapter (memory, PostgreSQL/PGlite,
 * EventStoreDB) implements it and passes the same contract suite.
 *
 * Invariants:
 * - revisions are 0-based and gapless per stream;
 * - `appendToStream` is atomic: all events or none;
 * - it checks `expectedRevision` and throws `ConcurrencyError` on mismatch;
 * - `appendToStreams` does the same for several streams at once: every
 *   expected revision is checked before anything is stored, and all streams
 *   are written or none (`ConcurrencyError` names the first stream that
 *   conflicts). EventStoreDB cannot write two streams atomically: its adapter
 *   appends stream by stream (docs/stores.md);
 * - a retried append whose event ids are all already stored at the same
 *   revisions succeeds without storing anything (dedupe by event id);
 * - an event id stored in any stream is never stored twice;
 * - `readAll` and subscriptions deliver in one global order.
 */
export interface EventStore {
  /**
   * Whether `appendToStreams` is one transaction (memory, PGlite, PostgreSQL).
   * Absent means true; EventStoreDB says false, and the ledger then claims
   * reward stock before the redemption and repairs (club-v1 §2).
   */
  readonly atomicMultiStream?: boolean;
  appendToStream(
    streamId: string,
    events: readonly ProposedEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Appends to several distinct streams in one atomic step, in the order given
   * (global positions follow it). Results are in the order of `appends`.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /**
   * Events of several streams from a revision each, in one round trip where the
   * store can: a map from each asked stream id to its events (`[]` when none).
   */
  readStreams(
    reads: readonly { streamId: string; fromRevision?: number }[],
  ): Promise<Map<string, StoredEvent[]>>;
  /** Events of one stream in revision order; `[]` when it does not exist. */
  readStream(streamId: string, options?: { fromRevision?: number }): Promise<StoredEvent[]>;
  /** All events in global order. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** Ids of the streams whose id starts with `prefix`, sorted by UTF-16 code units. */
  listStreams(prefix: string): Promise<string[]>;
  /** Delivers stored events after `after` and then each new one, in global order. */
  subscribe(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

/** Where a projection stores how far it has read (spec 6 incremental use). */
export interface CheckpointStore {
  load(name: string): Promise<bigint | undefined>;
  save(name: string, position: bigint): Promise<void>;
}
