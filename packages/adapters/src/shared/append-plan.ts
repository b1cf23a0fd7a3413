import {
  ConcurrencyError,
  type ExpectedRevision,
  type ProposedEvent,
  type StreamAppend,
  VafaError,
} from "@vafa/core";

/** Where an event id is already stored, and the stored event's hash (spec 2). */
export interface StoredLocation {
  streamId: string;
  revision: number;
  position: bigint;
  hash: string | undefined;
}

export type AppendPlan =
  /** Every event id is already stored at the same revisions of this stream, with the same hashes: a retried append. */
  { kind: "duplicate"; position: bigint } | { kind: "append" };

/** Checks a batch on its own: one stream, consecutive revisions, distinct ids. */
export const checkBatch = (streamId: string, events: readonly ProposedEvent[]): void => {
  const first = events[0];
  if (first === undefined) return;
  const ids = new Set<string>();
  events.forEach((event, index) => {
    if (event.streamId !== streamId) {
      throw new VafaError(
        "INVARIANT",
        `event ${event.eventId} belongs to stream ${event.streamId}, appended to ${streamId}`,
        "append each stream's events with its own call",
      );
    }
    if (!Number.isSafeInteger(event.revision) || event.revision !== first.revision + index) {
      throw new VafaError(
        "INVARIANT",
        `stream ${streamId}: proposed revisions are not consecutive at event ${event.eventId}`,
        "number proposed events from the stream's next revision without gaps",
      );
    }
    if (ids.has(event.eventId)) {
      throw new VafaError("INVARIANT", `event id ${event.eventId} appears twice in one append`);
    }
    ids.add(event.eventId);
  });
};

/**
 * Decides an append against the stream's current end (`-1` when it does not exist)
 * and the stored locations of the proposed event ids. Pure, shared by the adapters.
 * The events must have passed `checkBatch` (`checkDistinctStreams` runs it; not
 * twice: it walks every event of a batch of thousands).
 * Throws `ConcurrencyError` on an expected-revision or revision mismatch.
 */
export const planAppend = (input: {
  streamId: string;
  events: readonly ProposedEvent[];
  expectedRevision: ExpectedRevision;
  currentRevision: number;
  existing: ReadonlyMap<string, StoredLocation>;
}): AppendPlan => {
  const { streamId, events, expectedRevision, currentRevision, existing } = input;
  const actual = currentRevision < 0 ? "no_stream" : currentRevision;
  if (existing.size > 0) {
    let sameSlots = 0;
    let lastPosition = 0n;
    for (const event of events) {
      const found = existing.get(event.eventId);
      if (found === undefined) continue;
      // The same command decided on an older state: its events are stored at other revisions.
      if (found.streamId === streamId && found.revision !== event.revision)
        throw new ConcurrencyError(streamId, expectedRevision, actual);
      if (found.streamId !== streamId) {
        throw new VafaError(
          "INVARIANT",
          `event id ${event.eventId} is already stored in stream ${found.streamId} at revision ${found.revision}`,
          "event ids must be unique: derive them from the stream, command id and index (spec 2)",
        );
      }
      // The same ids with other content: another command under the same command id got
      // there first. Not a retry: the caller decides again on what is stored.
      if (found.hash !== event.metadata.hash) throw new ConcurrencyError(streamId, expectedRevision, actual);
      sameSlots += 1;
      if (found.position > lastPosition) lastPosition = found.position;
    }
    if (sameSlots === events.length) return { kind: "duplicate", position: lastPosition };
    // Part of the batch is stored already: the stream moved on since this was decided.
    throw new ConcurrencyError(streamId, expectedRevision, actual);
  }
  const expectedOk =
    expectedRevision === "any" ||
    (expectedRevision === "no_stream" ? currentRevision < 0 : expectedRevision === currentRevision);
  if (!expectedOk) throw new ConcurrencyError(streamId, expectedRevision, actual);
  const first = events[0];
  if (first !== undefined && first.revision !== currentRevision + 1) {
    if (expectedRevision === "any") throw new ConcurrencyError(streamId, expectedRevision, actual);
    throw new VafaError(
      "INVARIANT",
      `stream ${streamId}: first proposed revision ${first.revision} does not follow expected revision ${String(expectedRevision)}`,
      "number proposed events from expectedRevision + 1 (0 for a new stream)",
    );
  }
  return { kind: "append" };
};

/** `appendToStreams` takes each stream once: a stream's events go in one entry. */
export const checkDistinctStreams = (appends: readonly StreamAppend[]): void => {
  const seen = new Set<string>();
  for (const { streamId, events } of appends) {
    if (seen.has(streamId))
      throw new VafaError(
        "INVARIANT",
        `stream ${streamId} appears twice in one appendToStreams call`,
        "put all of a stream's events in one entry",
      );
    seen.add(streamId);
    checkBatch(streamId, events);
  }
  // An event id may be proposed for one stream only (spec 2).
  const ids = new Set<string>();
  for (const { events } of appends)
    for (const event of events) {
      if (ids.has(event.eventId))
        throw new VafaError("INVARIANT", `event id ${event.eventId} appears twice in one append`);
      ids.add(event.eventId);
    }
};
