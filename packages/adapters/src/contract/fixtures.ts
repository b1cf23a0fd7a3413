import {
  eventIdFor,
  genesisHash,
  hashEvent,
  memberStreamId,
  type ProposedEvent,
  type StoredEvent,
} from "@vafa/core";

/** A member stream id unique to one test run (`member-` so ESDB filters keep it). */
export const uniqueStreamId = (label: string): string =>
  memberStreamId(`${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);

/**
 * Builds `count` PurchaseRecorded events for `streamId` from `fromRevision`, with
 * real event ids (spec 2) and a real hash chain after `prevHash`. Data keys are
 * in the spec's table order, which is not alphabetical (key order must survive).
 */
export const purchaseEvents = (input: {
  streamId: string;
  fromRevision: number;
  count: number;
  commandId: string;
  prevHash?: string;
  occurredAt?: string;
}): ProposedEvent[] => {
  const { streamId, fromRevision, count, commandId } = input;
  let prevHash = input.prevHash ?? genesisHash(streamId);
  const occurredAt = input.occurredAt ?? "2011-01-04T10:00:00.000Z";
  const events: ProposedEvent[] = [];
  for (let index = 0; index < count; index += 1) {
    const revision = fromRevision + index;
    const eventId = eventIdFor(streamId, commandId, index);
    const data = {
      purchaseId: `${commandId.replace(/[^A-Za-z0-9._:-]/g, "")}-${index}`.slice(0, 128),
      amount: "12.5",
      channel: "web",
      items: [{ sku: "B-1", quantity: 2, unitPrice: "6.25" }],
    };
    const type = "PurchaseRecorded" as const;
    const hash = hashEvent(prevHash, { streamId, revision, eventId, type, occurredAt, data });
    events.push({
      streamId,
      revision,
      eventId,
      type,
      occurredAt,
      data,
      metadata: {
        schemaVersion: 1,
        programId: "club",
        programVersion: 1,
        commandId,
        correlationId: commandId,
        prevHash,
        hash,
      },
    });
    prevHash = hash;
  }
  return events;
};

/** The next events of a stream given what is stored (revision and hash continue). */
export const nextEvents = (
  stored: readonly StoredEvent[],
  streamId: string,
  commandId: string,
  count = 1,
): ProposedEvent[] => {
  const last = stored.at(-1);
  return purchaseEvents({
    streamId,
    fromRevision: last === undefined ? 0 : last.revision + 1,
    count,
    commandId,
    prevHash: last?.metadata.hash ?? genesisHash(streamId),
  });
};

/** Drops the store-assigned fields to compare with what was proposed. */
export const withoutStoreFields = (event: StoredEvent): ProposedEvent => {
  const { recordedAt: _recordedAt, position: _position, ...proposed } = event;
  return proposed;
};

export const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
};
