import type { AllStreamResolvedEvent, Position, ResolvedEvent } from "@eventstore/db-client";
import { type EventMetadata, type StoredEvent, VafaError } from "@vafa/core";

// Mapping between EventStoreDB records and the port's stored events, positions and errors.

/**
 * Our positions pack EventStoreDB's $all position as `commit * 2^64 + prepare`:
 * the events of one append share a commit position, so the commit alone could
 * not resume in the middle of an append. Order is that of $all.
 */
const SHIFT = 64n;
const LOW = (1n << SHIFT) - 1n;
export const packPosition = (position: Position): bigint =>
  (position.commit << SHIFT) | (position.prepare & LOW);
export const unpackPosition = (position: bigint): Position => ({
  commit: position >> SHIFT,
  prepare: position & LOW,
});

export interface CustomMetadata {
  occurredAt: string;
  metadata: EventMetadata;
}

export const toStored = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || !event.isJson) return undefined;
  const custom = event.metadata as CustomMetadata | undefined;
  if (custom === undefined || typeof custom !== "object" || !("metadata" in custom)) return undefined;
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    eventId: event.id,
    type: event.type,
    occurredAt: custom.occurredAt,
    data: event.data,
    metadata: custom.metadata,
    recordedAt: event.created.toISOString(),
    position: event.position ? packPosition(event.position) : 0n,
  } as StoredEvent;
};

export const unavailable = (error: unknown): VafaError =>
  error instanceof VafaError
    ? error
    : new VafaError(
        "STORE_UNAVAILABLE",
        `EventStoreDB failed: ${error instanceof Error ? error.message : String(error)}`,
        "check the connection string (esdb://host:2113?tls=false for an insecure node) and that the server is up",
        { cause: error },
      );
