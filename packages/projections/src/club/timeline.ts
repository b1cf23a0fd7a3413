import { type EventType, isSealedValue, PERSONAL_FIELDS } from "@vafa/core";
import { MemberFold } from "../member-fold.js";
import { queryTime } from "../time.js";
import { type ClubProjection, type KeyLookup, NO_KEYS, openData } from "./club-projection.js";

/** One event of a member's timeline (`vafa member <id>`, club-v1 §4). */
export interface TimelineRow {
  revision: number;
  eventId: string;
  occurredAt: string;
  type: EventType;
  /** What the member's lots hold minus its debt just before the event (recorded events only). */
  pointsBefore: number;
  /** The same just after it. */
  pointsAfter: number;
  /** The event's data, sealed values opened (notes' text, names...); one that cannot be opened is left out. */
  data: Record<string, unknown>;
  /** Personal fields that were sealed and could not be opened (key destroyed or unknown), when any. */
  erased?: string[];
}

/** Points held: the lots' remaining points minus debt, from the events applied so far (no implied expiry). */
const held = (fold: MemberFold): number => {
  let points = 0;
  for (const lot of fold.lots) points += lot.remaining;
  return points - fold.debt;
};

/**
 * Every event of one member with `occurredAt <= T`, in stream order, with the
 * points before and after each; `undefined` for a member with no events.
 * Works under every program (it shows events, it adds no output to L1's).
 */
export const memberTimeline = (
  club: ClubProjection,
  memberId: string,
  asOf: string,
  keys: KeyLookup = NO_KEYS,
): TimelineRow[] | undefined => {
  const t = queryTime(asOf, "asOf");
  const member = club.member(memberId);
  if (member === undefined) return undefined;
  const fold = new MemberFold(memberId);
  const rows: TimelineRow[] = [];
  for (const e of member.until(t)) {
    const before = held(fold);
    fold.apply(e.type, e.at, e.data);
    const raw = (e.data !== null && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
    const data = openData<Record<string, unknown>>(member, e, keys);
    const erased = PERSONAL_FIELDS.filter((f) => isSealedValue(raw[f]) && !(f in data));
    rows.push({
      revision: e.revision,
      eventId: e.eventId,
      occurredAt: e.at,
      type: e.type,
      pointsBefore: before,
      pointsAfter: held(fold),
      data,
      ...(erased.length > 0 ? { erased } : {}),
    });
  }
  return rows;
};
