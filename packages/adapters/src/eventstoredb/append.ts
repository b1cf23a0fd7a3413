import {
  ANY,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  jsonEvent,
  NO_STREAM,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import {
  type AppendResult,
  ConcurrencyError,
  type ExpectedRevision,
  eventIdFor,
  type ProposedEvent,
  type StoredEvent,
  VafaError,
} from "@vafa/core";
import { checkBatch } from "../shared/append-plan.js";
import { type CustomMetadata, packPosition, unavailable } from "./mapping.js";

// Appending one stream to EventStoreDB: id and revision checks, then one append call.

/**
 * EventStoreDB keeps event ids unique per stream only. Ids that derive from their
 * own stream (spec 2: uuidv5 of `streamId|commandId|index`) cannot collide with
 * another stream's, so checking the derivation enforces "never stored twice".
 */
const checkIdsDerive = (streamId: string, events: readonly ProposedEvent[]): void => {
  const indexByCommand = new Map<string, number>();
  for (const event of events) {
    const commandId = event.metadata.commandId;
    // A command's events are consecutive indexes; a sweep run again at the same `now`
    // continues after the events it appended before (spec 5.6), so the first index may be > 0.
    const index = indexByCommand.get(commandId) ?? firstIndexOf(streamId, commandId, event.eventId);
    indexByCommand.set(commandId, index + 1);
    if (event.eventId !== eventIdFor(streamId, commandId, index)) {
      throw new VafaError(
        "INVARIANT",
        `event id ${event.eventId} does not derive from stream ${streamId}, command ${commandId}, index ${index}`,
        "derive event ids with eventIdFor (spec 2); EventStoreDB only deduplicates ids within a stream",
      );
    }
  }
};

const MAX_FIRST_INDEX = 1024;
const firstIndexOf = (streamId: string, commandId: string, eventId: string): number => {
  for (let i = 0; i < MAX_FIRST_INDEX; i++) if (eventIdFor(streamId, commandId, i) === eventId) return i;
  return 0;
};

/** `any` is pinned to the revision the events were numbered from, so their revision fields stay true. */
const toEsdbExpected = (
  expected: ExpectedRevision,
  events: readonly ProposedEvent[],
): AppendExpectedRevision => {
  if (expected === "no_stream") return NO_STREAM;
  if (typeof expected === "number") return BigInt(expected);
  const first = events[0];
  if (first === undefined) return ANY;
  return first.revision === 0 ? NO_STREAM : BigInt(first.revision - 1);
};

/** Appends `events` to one stream; `readStreamRaw` finds the position of a deduplicated retry. */
export const appendEvents = async (
  client: EventStoreDBClient,
  readStreamRaw: (streamId: string, fromRevision: number) => Promise<StoredEvent[]>,
  streamId: string,
  events: readonly ProposedEvent[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> => {
  checkBatch(streamId, events);
  checkIdsDerive(streamId, events);
  const expected = toEsdbExpected(expectedRevision, events);
  const first = events[0];
  if (
    first !== undefined &&
    typeof expectedRevision === "number" &&
    first.revision !== expectedRevision + 1
  ) {
    throw new VafaError(
      "INVARIANT",
      `stream ${streamId}: first proposed revision ${first.revision} does not follow expected revision ${expectedRevision}`,
      "number proposed events from expectedRevision + 1 (0 for a new stream)",
    );
  }
  if (first !== undefined && expectedRevision === "no_stream" && first.revision !== 0) {
    throw new VafaError("INVARIANT", `stream ${streamId}: a new stream starts at revision 0`);
  }
  let result: Awaited<ReturnType<EventStoreDBClient["appendToStream"]>>;
  try {
    result = await client.appendToStream(
      streamId,
      events.map((event) =>
        jsonEvent({
          id: event.eventId,
          type: event.type,
          data: event.data as never,
          metadata: { occurredAt: event.occurredAt, metadata: event.metadata } satisfies CustomMetadata,
        }),
      ),
      { expectedRevision: expected },
    );
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      const actual = error.actualVersion;
      throw new ConcurrencyError(
        streamId,
        expectedRevision,
        typeof actual === "bigint" ? Number(actual) : "no_stream",
      );
    }
    throw unavailable(error);
  }
  const nextExpectedRevision = Number(result.nextExpectedRevision);
  const last = events.at(-1);
  if (last === undefined) return { nextExpectedRevision, position: 0n };
  // a deduplicated retry may come back without a position: read the stored event's
  const position =
    result.position !== undefined && result.position.commit >= 0n
      ? packPosition(result.position)
      : ((await readStreamRaw(streamId, last.revision))[0]?.position ?? 0n);
  return { nextExpectedRevision, position };
};
