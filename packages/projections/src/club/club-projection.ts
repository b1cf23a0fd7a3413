import {
  type EventType,
  hasSealedValue,
  isClubProgram,
  openEventData,
  type Program,
  programSchema,
  VafaError,
} from "@vafa/core";
import { MemberFold } from "../member-fold.js";
import { noProgramError } from "../program-view.js";
import { PositionGuard, type Projection, type ProjectionEvent } from "../projection.js";

// The club projection of club-v1 §4-6: every member event kept with its id
// (message keys and sealed values need it), so profiles, the outbox and a
// member's timeline can be read as of any T. Sealed personal values stay
// sealed in memory; they are opened only while a query runs, with the key
// lookup the caller passes, so a destroyed key shows them as absent at every T.

/** A member's data key, or `undefined` (destroyed, or not known to the caller). Sync: callers preload keys. */
export type KeyLookup = (memberId: string) => Uint8Array | undefined;

/** No keys at all: every sealed value reads as absent. */
export const NO_KEYS: KeyLookup = () => undefined;

/** One event of a member stream, as the club queries read it. */
export interface ClubEvent {
  type: EventType;
  /** `occurredAt` (ISO, as stored). */
  at: string;
  eventId: string;
  /** Stream revision (the index in the stream when the source has none). */
  revision: number;
  /** As stored: sealed values still sealed. */
  data: unknown;
}

const MEMBER_PREFIX = "member-";

/** One member's events in stream order. */
export class ClubMember {
  readonly events: ClubEvent[] = [];
  /** Whether the stream holds a `MemberForgotten` (at any time): its key is destroyed. */
  forgotten = false;
  /** Whether some event holds a sealed personal value (a caller preloads keys for these members only). */
  sealed = false;
  constructor(readonly memberId: string) {}

  /** The events with `occurredAt <= t`, in stream order. */
  until(t: string): ClubEvent[] {
    return this.events.filter((e) => e.at <= t);
  }

  /** The points fold (lots, debt, tier, purchases) of the events with `occurredAt <= t`. */
  foldAt(t: string): MemberFold {
    const fold = new MemberFold(this.memberId);
    for (const e of this.events) {
      if (e.at <= t) fold.apply(e.type, e.at, e.data);
    }
    return fold;
  }
}

export interface ClubProjectionOptions {
  /** Used until a `ProgramPublished` event is applied (a higher version always wins). */
  program?: Program;
}

/** Member streams with event ids, plus the program of the highest published version. */
export class ClubProjection implements Projection {
  private readonly guard = new PositionGuard();
  private readonly byId = new Map<string, ClubMember>();
  private sorted: ClubMember[] | undefined;
  /** The program as published (JSON key order kept: a message's first language is its first key, club-v1 §10). */
  private current: Program | undefined;

  constructor(options: ClubProjectionOptions = {}) {
    this.current = options.program;
  }

  get position(): bigint | undefined {
    return this.guard.position;
  }

  apply(event: ProjectionEvent): boolean {
    if (!this.guard.accept(event.position)) return false;
    if (!event.streamId.startsWith(MEMBER_PREFIX)) {
      if (event.type === "ProgramPublished")
        this.publish((event.data as { program?: unknown } | null)?.program);
      return true;
    }
    const memberId = event.streamId.slice(MEMBER_PREFIX.length);
    let member = this.byId.get(memberId);
    if (member === undefined) {
      member = new ClubMember(memberId);
      this.byId.set(memberId, member);
      this.sorted = undefined;
    }
    if (event.type === "MemberForgotten") member.forgotten = true;
    const data = event.data;
    if (!member.sealed && data !== null && typeof data === "object" && hasSealedValue(data))
      member.sealed = true;
    member.events.push({
      type: event.type,
      at: event.occurredAt,
      eventId: event.eventId ?? "",
      revision: event.revision ?? member.events.length,
      data: event.data,
    });
    return true;
  }

  private publish(candidate: unknown): void {
    // As the ledger projection does: an invalid program (the audit reports it) is ignored.
    if (!programSchema.safeParse(candidate).success) return;
    const program = candidate as Program;
    if (this.current === undefined || program.version > this.current.version) this.current = program;
  }

  /** The program in force (highest published version). */
  program(): Program {
    if (this.current === undefined) throw noProgramError();
    return this.current;
  }

  /** The program, which must be a club program (club-v1 §10: only then do `members` and the outbox exist). */
  clubProgram(query: string): Program {
    const program = this.program();
    if (!isClubProgram(program))
      throw new VafaError(
        "VALIDATION",
        `${query} exists only under a club program (one with rewards, draws, messages or privacy); program ${program.programId} v${program.version} has none`,
        "publish a program version with `messages` (or `privacy`) to use profiles and the outbox",
      );
    return program;
  }

  /** Members sorted by memberId (UTF-16 code units). */
  members(): readonly ClubMember[] {
    if (this.sorted === undefined)
      this.sorted = [...this.byId.values()].sort((a, b) =>
        a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
      );
    return this.sorted;
  }

  member(memberId: string): ClubMember | undefined {
    return this.byId.get(memberId);
  }
}

/**
 * An event's data with its sealed values opened under the member's key. A
 * forgotten member's key counts as destroyed whatever the lookup says (the
 * ledger destroys it right after `MemberForgotten`), so its values are absent.
 * Data that is not an object reads as `{}`.
 */
export const openData = <T extends object>(member: ClubMember, event: ClubEvent, keys: KeyLookup): T => {
  const data = event.data as T;
  // Not an event body (the audit reports it): read as empty, never thrown on.
  if (data === null || typeof data !== "object") return {} as T;
  return openEventData(data, event.eventId, member.forgotten ? undefined : keys(member.memberId));
};
