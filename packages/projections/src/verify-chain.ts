import { genesisHash, type HashedBody, hashEvent, VafaError } from "@vafa/core";

/** The fields of an envelope the hash chain covers (spec 2). */
export interface ChainEvent extends HashedBody {
  metadata: { prevHash: string; hash: string };
}

/** Where the chain broke: thrown by `ChainVerifier` (code `HASH_MISMATCH`). */
export class ChainBrokenError extends VafaError {
  constructor(
    readonly streamId: string,
    readonly revision: number | null,
    readonly eventId: string | null,
    readonly problem: string,
  ) {
    super(
      "HASH_MISMATCH",
      `stream ${streamId} revision ${revision ?? "?"}: ${problem}`,
      "the events were changed after they were written; run vafa audit on them to see every finding",
    );
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Checks the hash chain of spec 2 event by event: each event's hash matches its
 * content, its prevHash is the previous event's hash (the genesis hash for
 * revision 0) and revisions run 0, 1, 2... without a gap. Streams may be
 * interleaved (a store's global order) or one after another (an export);
 * memory grows with the number of streams only. The first break throws
 * `ChainBrokenError`. It cannot see events cut off at the end of a stream: the
 * head digest of `vafa audit` does.
 */
export class ChainVerifier {
  private readonly tails = new Map<string, { revision: number; hash: string }>();
  private count = 0;

  /** Events verified so far. */
  get verified(): number {
    return this.count;
  }

  push(event: ChainEvent): void {
    const m: unknown = event.metadata;
    const { streamId } = event;
    if (!isRecord(m) || typeof m.prevHash !== "string" || typeof m.hash !== "string")
      throw this.broken(event, "the event has no prevHash and hash to verify");
    const tail = this.tails.get(streamId);
    const expectedRevision = tail === undefined ? 0 : tail.revision + 1;
    if (event.revision !== expectedRevision)
      throw this.broken(
        event,
        `revision ${typeof event.revision === "number" ? event.revision : "missing"} where ${expectedRevision} comes next (an event is missing)`,
      );
    const expectedPrev = tail === undefined ? genesisHash(streamId) : tail.hash;
    if (m.prevHash !== expectedPrev)
      throw this.broken(
        event,
        tail === undefined
          ? "prevHash is not the stream's genesis hash"
          : "prevHash is not the previous event's hash",
      );
    let computed: string;
    try {
      computed = hashEvent(m.prevHash, {
        streamId,
        revision: expectedRevision,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        data: event.data,
      });
    } catch {
      throw this.broken(event, "the event body cannot be hashed");
    }
    if (computed !== m.hash) throw this.broken(event, "hash does not match the event's content");
    // The tail is updated in place: one object per stream, not per event.
    if (tail === undefined) this.tails.set(streamId, { revision: expectedRevision, hash: m.hash });
    else {
      tail.revision = expectedRevision;
      tail.hash = m.hash;
    }
    this.count++;
  }

  private broken(event: ChainEvent, problem: string): ChainBrokenError {
    const revision = typeof event.revision === "number" ? event.revision : null;
    const eventId = typeof event.eventId === "string" ? event.eventId : null;
    return new ChainBrokenError(event.streamId, revision, eventId, problem);
  }
}

/**
 * A streaming stage: yields each event after verifying its link in the hash
 * chain, and throws `ChainBrokenError` at the first break, before that event
 * reaches what follows (so no figure is computed from a tampered event).
 */
export async function* verifyChain<E extends ChainEvent>(
  events: AsyncIterable<E> | Iterable<E>,
  verifier: ChainVerifier = new ChainVerifier(),
): AsyncGenerator<E> {
  for await (const event of events) {
    verifier.push(event);
    yield event;
  }
}
