import { DAY_MS, floorDays, type TierChanged } from "@vafa/core";
import { ClubMember, type KeyLookup, NO_KEYS } from "../club/club-projection.js";
import { profileAsOf } from "../club/profile.js";
import { createLedgerProjection, type LedgerProjection, type LedgerProjectionOptions } from "../ledger.js";
import type { ProjectionEvent } from "../projection.js";
import { rfmAsOf, type Segment } from "../queries/rfm.js";
import type { MutableProjection } from "../runner.js";
import { addDaysIso, queryTime } from "../time.js";
import { birthInCalendar, type CalendarBirth, isBirthdayOn } from "./birthday.js";

export interface BirthdayRow {
  memberId: string;
  /** As the member gave it (Gregorian `YYYY-MM-DD`). */
  birthDate: string;
}

export interface ExpiringRow {
  memberId: string;
  /** Points in lots that expire in `(asOf, asOf + days]`. */
  points: number;
  /** The earliest of those expiries. */
  firstExpiresAt: string;
}

export interface TierChangeRow {
  memberId: string;
  from: string;
  to: string;
  direction: "up" | "down";
  occurredAt: string;
  position?: bigint;
}

export type RiskSegment = Extract<Segment, "at_risk" | "cant_lose">;

export interface RiskTransition {
  memberId: string;
  /** The member's segment at the previous run (undefined: not scored then, or no previous run). */
  from: Segment | undefined;
  to: RiskSegment;
}

export interface EngagementRun {
  asOf: string;
  birthdays: BirthdayRow[];
  expiring: ExpiringRow[];
  riskTransitions: RiskTransition[];
}

/** Callbacks for the host app (which sends the SMS or e-mail). */
export interface EngagementHandlers {
  /** Fired as a `TierChanged` is applied (not while the runner restores a projection). */
  onTierChanged?(change: TierChangeRow): void;
  onBirthday?(row: BirthdayRow, asOf: string): void;
  onExpiring?(row: ExpiringRow, asOf: string): void;
  onRiskTransition?(row: RiskTransition, asOf: string): void;
}

export interface EngagementOptions extends LedgerProjectionOptions {
  /** Points expiring within this many days are reported by `run` (default 30). */
  expiringWithinDays?: number;
  /**
   * Members' data keys, as the club queries take them (club-v1 §6): a sealed
   * birth date is opened with its member's key; without one (destroyed, or not
   * given) it reads as absent and brings no birthday. Default: no keys.
   */
  keys?: KeyLookup;
}

// The events a profile is read from (club-v1 §4, §10): only these are kept.
const PROFILE_EVENTS: ReadonlySet<string> = new Set(["MemberJoined", "ProfileUpdated", "MemberForgotten"]);

const RISK: ReadonlySet<Segment> = new Set<Segment>(["at_risk", "cant_lose"]);

/**
 * The club's messages (engagement): birthdays today, points about to expire,
 * tier changes, and members who fell into `at_risk` or `cant_lose`. It owns a
 * ledger projection and feeds it every event it applies.
 */
export class EngagementProjection implements MutableProjection {
  muted = false;
  readonly ledger: LedgerProjection;
  private readonly handlers = new Set<EngagementHandlers>();
  private readonly tierChanges: TierChangeRow[] = [];
  /** Birth dates in a calendar, by `calendar|YYYY-MM-DD`. */
  private readonly births = new Map<string, CalendarBirth | null>();
  /** Each member's profile events (join, updates, forget), as the club projection keeps them. */
  private readonly profiles = new Map<string, ClubMember>();
  private readonly keys: KeyLookup;
  private lastSegments = new Map<string, Segment>();
  private readonly expiringWithinDays: number;

  constructor(options: EngagementOptions = {}) {
    this.ledger = createLedgerProjection(options);
    this.expiringWithinDays = options.expiringWithinDays ?? 30;
    this.keys = options.keys ?? NO_KEYS;
  }

  get position(): bigint | undefined {
    return this.ledger.position;
  }

  apply(event: ProjectionEvent): boolean {
    if (!this.ledger.apply(event)) return false;
    const data = event.data;
    if (PROFILE_EVENTS.has(event.type) && event.streamId.startsWith("member-")) {
      const memberId = event.streamId.slice("member-".length);
      let member = this.profiles.get(memberId);
      if (member === undefined) {
        member = new ClubMember(memberId);
        this.profiles.set(memberId, member);
      }
      if (event.type === "MemberForgotten") member.forgotten = true;
      member.events.push({
        type: event.type,
        at: event.occurredAt,
        eventId: event.eventId ?? "",
        revision: event.revision ?? member.events.length,
        data,
      });
    }
    if (
      event.type === "TierChanged" &&
      event.streamId.startsWith("member-") &&
      data !== null &&
      typeof data === "object"
    ) {
      const d = data as TierChanged;
      const row: TierChangeRow = {
        memberId: event.streamId.slice("member-".length),
        from: d.from,
        to: d.to,
        direction: d.direction,
        occurredAt: event.occurredAt,
        ...(event.position === undefined ? {} : { position: event.position }),
      };
      this.tierChanges.push(row);
      if (!this.muted) for (const h of this.handlers) h.onTierChanged?.(row);
    }
    return true;
  }

  /** Registers callbacks; returns the function that removes them. */
  subscribe(handlers: EngagementHandlers): () => void {
    this.handlers.add(handlers);
    return () => {
      this.handlers.delete(handlers);
    };
  }

  /**
   * Members joined by `asOf` whose birthday, in the program calendar, is the UTC
   * day of `asOf`: the birth date in force then (the join's, or the last given by
   * `update-profile`, club-v1 §10), sealed ones opened with `keys`. A member
   * forgotten by then has none (club-v1 §6).
   */
  birthdaysOn(asOf: string, keys: KeyLookup = this.keys): BirthdayRow[] {
    const t = queryTime(asOf, "asOf");
    const calendar = this.ledger.program().calendar;
    const dayStart = floorDays(Date.parse(t)) * DAY_MS;
    const rows: BirthdayRow[] = [];
    for (const rec of this.ledger.members()) {
      const member = this.profiles.get(rec.memberId);
      if (member === undefined) continue;
      const profile = profileAsOf(member, t, keys);
      const birthDate = profile.birthDate;
      if (birthDate === undefined || profile.joinedAt === undefined || profile.forgotten) continue;
      const cacheKey = `${calendar}|${birthDate}`;
      let birth = this.births.get(cacheKey);
      if (birth === undefined) {
        birth = birthInCalendar(calendar, birthDate) ?? null;
        this.births.set(cacheKey, birth);
      }
      if (birth !== null && isBirthdayOn(calendar, birth, dayStart))
        rows.push({ memberId: rec.memberId, birthDate });
    }
    return rows;
  }

  /** Members with points in lots expiring in `(asOf, asOf + days]`, and how many. */
  expiringWithin(asOf: string, days: number): ExpiringRow[] {
    const t = queryTime(asOf, "asOf");
    const horizon = addDaysIso(t, days);
    const rows: ExpiringRow[] = [];
    for (const rec of this.ledger.members()) {
      const f = rec.foldAt(t, true);
      let points = 0;
      let first: string | undefined;
      for (const lot of f.lots) {
        const e = lot.expiresAt;
        if (lot.remaining <= 0 || e === null || e <= t || e > horizon) continue;
        points += lot.remaining;
        if (first === undefined || e < first) first = e;
      }
      if (first !== undefined) rows.push({ memberId: rec.memberId, points, firstExpiresAt: first });
    }
    return rows;
  }

  /** Tier changes with `occurredAt` after `since` (a checkpoint time), in applied order. */
  tierChangesSince(since: string): TierChangeRow[] {
    const t = queryTime(since, "since");
    return this.tierChanges.filter((c) => c.occurredAt > t);
  }

  /** Tier changes applied after a store position (a runner checkpoint). */
  tierChangesAfter(position: bigint): TierChangeRow[] {
    return this.tierChanges.filter((c) => c.position !== undefined && c.position > position);
  }

  /**
   * Members whose RFM segment as of `asOf` is `at_risk` or `cant_lose` and was
   * another one (or none) at the previous run. With `commit` (default) this
   * run becomes the previous one.
   */
  riskTransitions(asOf: string, options: { commit?: boolean } = {}): RiskTransition[] {
    const rows = rfmAsOf(this.ledger, asOf);
    const next = new Map<string, Segment>();
    const out: RiskTransition[] = [];
    for (const row of rows) {
      next.set(row.memberId, row.segment);
      const before = this.lastSegments.get(row.memberId);
      if (RISK.has(row.segment) && before !== row.segment)
        out.push({ memberId: row.memberId, from: before, to: row.segment as RiskSegment });
    }
    if (options.commit ?? true) this.lastSegments = next;
    return out;
  }

  /** Segments recorded by the last run (to persist across restarts). */
  segmentsOfLastRun(): ReadonlyMap<string, Segment> {
    return this.lastSegments;
  }

  /** Restores the segments of a previous run (e.g. saved by the host app before a restart). */
  setSegmentsOfLastRun(segments: ReadonlyMap<string, Segment>): void {
    this.lastSegments = new Map(segments);
  }

  /** One engagement run at `asOf`: computes every list and fires the callbacks. */
  run(asOf: string, options: { expiringWithinDays?: number } = {}): EngagementRun {
    const t = queryTime(asOf, "asOf");
    const result: EngagementRun = {
      asOf: t,
      birthdays: this.birthdaysOn(t),
      expiring: this.expiringWithin(t, options.expiringWithinDays ?? this.expiringWithinDays),
      riskTransitions: this.riskTransitions(t),
    };
    for (const h of this.handlers) {
      for (const r of result.birthdays) h.onBirthday?.(r, t);
      for (const r of result.expiring) h.onExpiring?.(r, t);
      for (const r of result.riskTransitions) h.onRiskTransition?.(r, t);
    }
    return result;
  }
}

export const createEngagementProjection = (options: EngagementOptions = {}): EngagementProjection =>
  new EngagementProjection(options);
