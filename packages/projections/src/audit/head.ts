import { createHash } from "node:crypto";

/** The last event of one stream: what the head digest covers. */
export interface StreamHead {
  streamId: string;
  revision: number;
  hash: string;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The head digest of a log (docs/auditing.md, "Head digest"): SHA-256, as 64
 * lowercase hex digits, over the UTF-8 bytes of one line per stream, streams
 * sorted by id in UTF-16 code units (the order of `vafa export`):
 *
 *     <streamId> "\n" <last revision, decimal> "\n" <last event's metadata.hash> "\n"
 *
 * An empty log hashes the empty string. Any event removed from the end of a
 * stream (a truncated or rolled-back log), any stream removed or added, and any
 * change to a last hash changes the digest.
 */
export const headDigest = (heads: Iterable<StreamHead>): string => {
  const sorted = [...heads].sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  const sha = createHash("sha256");
  for (const h of sorted) sha.update(`${h.streamId}\n${h.revision}\n${h.hash}\n`); // a string is hashed as UTF-8
  return sha.digest("hex");
};

/** What the head needs of an event: a stored event or an exported envelope. */
export interface HeadEvent {
  streamId: string;
  revision: number;
  recordedAt?: string;
  metadata: { hash: string };
}

// An export line written by `vafa export` (spec 2 key order): read the three fields without parsing the data.
const LINE_START = /^\{"streamId":("(?:[^"\\]|\\.)*"),"revision":(\d+),/;
const RECORDED_AT = /"recordedAt":"([^"\\]*)"/;
const LINE_END = /"hash":"([0-9a-f]{64})"\}\}\s*$/;

/** A stream's head with the line that set it (the parallel audit merges shards' heads by line). */
export interface PlacedHead extends StreamHead {
  line: number;
}

/**
 * Follows a log event by event (or export line by line) and keeps the last
 * revision and hash of each stream. With `recordedUntil`, events recorded
 * after that time are left out: the head of the log as it was then.
 */
export class HeadTracker {
  private readonly heads = new Map<string, PlacedHead>();
  /** Whether an event recorded then is in the head (one without recordedAt always is). */
  private readonly kept: (recordedAt: string | undefined) => boolean;

  constructor(readonly options: { recordedUntil?: string } = {}) {
    const until = options.recordedUntil;
    this.kept = until === undefined ? () => true : (at) => at === undefined || at <= until;
  }

  /** `line`: where the event is in the log, for `merge` (0 when one tracker sees it all). */
  push(event: HeadEvent, line = 0): void {
    if (!this.kept(event.recordedAt)) return;
    const hash = typeof event.metadata?.hash === "string" ? event.metadata.hash : "";
    this.heads.set(event.streamId, { streamId: event.streamId, revision: event.revision, hash, line });
  }

  /** The heads seen so far, with their lines. */
  placed(): PlacedHead[] {
    return [...this.heads.values()];
  }

  /**
   * Takes in the heads another tracker saw of other lines of the same log
   * (a shard of the parallel audit): for each stream the head of the later
   * line wins, as if one tracker had read every line in order.
   */
  merge(heads: Iterable<PlacedHead>): void {
    for (const h of heads) {
      const known = this.heads.get(h.streamId);
      if (known === undefined || known.line < h.line) this.heads.set(h.streamId, h);
    }
  }

  /** One raw export line; a line that is no event envelope is skipped (the audit reports it). */
  pushLine(text: string, line = 0): void {
    const start = LINE_START.exec(text);
    const end = start ? LINE_END.exec(text) : null;
    if (start && end) {
      this.push(
        {
          streamId: JSON.parse(start[1] as string) as string,
          revision: Number(start[2]),
          recordedAt: RECORDED_AT.exec(text)?.[1],
          metadata: { hash: end[1] as string },
        },
        line,
      );
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const e = value as Partial<HeadEvent> | null;
    if (typeof e?.streamId !== "string" || typeof e.revision !== "number") return;
    this.push(
      {
        streamId: e.streamId,
        revision: e.revision,
        recordedAt: typeof e.recordedAt === "string" ? e.recordedAt : undefined,
        metadata: { hash: typeof e.metadata?.hash === "string" ? e.metadata.hash : "" },
      },
      line,
    );
  }

  /** The digest of the heads seen so far. */
  digest(): string {
    return headDigest(this.heads.values());
  }
}
