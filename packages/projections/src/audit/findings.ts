import type { AuditCode, AuditFinding } from "./types.js";

/** Where a finding points: one event of one stream. */
export interface EventLocation {
  streamId: string;
  revision: number | null;
  eventId: string | null;
}

/** Collects findings; a sink so the checks never need to know about the report. */
export class Findings {
  readonly list: AuditFinding[] = [];

  at(loc: EventLocation, code: AuditCode, message: string): void {
    this.list.push({ streamId: loc.streamId, revision: loc.revision, eventId: loc.eventId, code, message });
  }

  /** A finding that no stream can be blamed for (a line that is not an event). */
  unplaced(code: AuditCode, message: string, eventId: string | null = null): void {
    this.list.push({ streamId: null, revision: null, eventId, code, message });
  }

  /** Report order: stream id (code units, unplaced first), then revision, then the order found. */
  sorted(): AuditFinding[] {
    return this.list
      .map((f, i) => ({ f, i }))
      .sort((a, b) => {
        const sa = a.f.streamId;
        const sb = b.f.streamId;
        if (sa !== sb) {
          if (sa === null) return -1;
          if (sb === null) return 1;
          return sa < sb ? -1 : 1;
        }
        const ra = a.f.revision ?? -1;
        const rb = b.f.revision ?? -1;
        return ra !== rb ? ra - rb : a.i - b.i;
      })
      .map((x) => x.f);
  }
}
