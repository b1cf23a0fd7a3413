import {
  birthdayInYear,
  type CalendarName,
  type CouponIssued,
  calendarYear,
  DAY_MS,
  type DrawWon,
  type MessageChannel,
  type MessageLang,
  type MessageRule,
  type PointsEarned,
  type PurchaseRecorded,
  startOfUtcDay,
  type TierChanged,
  toIso,
  VafaError,
} from "@vafa/core";
import { birthInCalendar } from "../engagement/birthday.js";
import { MemberFold, snapshotLots } from "../member-fold.js";
import { queryTime } from "../time.js";
import {
  type ClubEvent,
  type ClubMember,
  type ClubProjection,
  type KeyLookup,
  NO_KEYS,
} from "./club-projection.js";
import { type Profile, profileAsOf } from "./profile.js";
import { type MessageValues, renderMessage } from "./render.js";

/** One due message of the outbox (club-v1 §5), keys in this order. */
export interface OutboxMessage {
  messageKey: string;
  ruleId: string;
  memberId: string;
  channel: MessageChannel;
  /** The contact at T for the channel: the phone for `sms`, the e-mail address for `email`. */
  to: string;
  lang: MessageLang;
  text: string;
  dueAt: string;
}

export interface OutboxOptions {
  /** Only the messages of this channel. */
  channel?: MessageChannel;
}

/** A message due for a rule and member, before the filters of T. */
interface Due {
  /** The occurrence part of the message key. */
  occurrence: string;
  dueMs: number;
  /** Values only this trigger gives (the common ones are filled at rendering). */
  values: Partial<MessageValues>;
  /** `{points}`: given by the trigger, else the available points at the due time. */
  points?: number;
  /** points_expiring: the UTC day (ms) whose lots' points at the due time make `{points}` (none when 0). */
  expiringDay?: number;
}

const ms = (iso: string): number => Date.parse(iso);

/**
 * The outbox for `(since, T]` (club-v1 §5, §10): every message due in that
 * interval for members who at T have consent and a contact for the rule's
 * channel, are not forgotten, and have no `MessageSent` with its key; sorted
 * by `dueAt` then key. Only the events at or before T are read, so the answer
 * for a period never depends on what was appended after T.
 */
export const outbox = (
  club: ClubProjection,
  since: string,
  asOf: string,
  keys: KeyLookup = NO_KEYS,
  options: OutboxOptions = {},
): OutboxMessage[] => {
  const sinceT = queryTime(since, "since");
  const t = queryTime(asOf, "asOf");
  if (!(sinceT < t))
    throw new VafaError(
      "VALIDATION",
      `since (${sinceT}) must be before asOf (${t})`,
      "swap or widen the interval",
    );
  const program = club.clubProgram("the outbox");
  const rules = (program.messages ?? []).filter(
    (r) => options.channel === undefined || r.channel === options.channel,
  );
  const ctx: Context = {
    calendar: program.calendar,
    firstTier: program.tiers.levels[0]?.id ?? "",
    sinceMs: ms(sinceT),
    tMs: ms(t),
    t,
  };
  const out: OutboxMessage[] = [];
  if (rules.length === 0) return out;
  for (const member of club.members()) {
    const profile = profileAsOf(member, t, keys);
    if (profile.joinedAt === undefined || profile.forgotten) continue;
    // The messages due in the interval, still open, on a channel the member can be reached by at T.
    const pending: { rule: MessageRule; to: string; due: Due; messageKey: string }[] = [];
    for (const rule of rules) {
      const to = rule.channel === "sms" ? profile.contact.phone : profile.contact.email;
      if (to === undefined || !profile.consent[rule.channel]) continue;
      for (const due of dueMessages(rule, member, profile, ctx)) {
        // A malformed time (the audit reports it) is never due.
        if (!Number.isFinite(due.dueMs) || due.dueMs <= ctx.sinceMs || due.dueMs > ctx.tMs) continue;
        const messageKey = `${rule.id}|${member.memberId}|${due.occurrence}`;
        if (!profile.sent.has(messageKey)) pending.push({ rule, to, due, messageKey });
      }
    }
    if (pending.length === 0) continue;
    // One pass of the points fold through the due times, in time order.
    pending.sort((a, b) => a.due.dueMs - b.due.dueMs);
    const folds = new FoldSweep(member);
    for (const { rule, to, due, messageKey } of pending) {
      const dueAt = toIso(due.dueMs);
      const fold = folds.at(dueAt);
      let points = due.points;
      if (due.expiringDay !== undefined) {
        points = expiringPoints(fold, due.expiringDay);
        if (points <= 0) continue; // nothing left to expire that day: no message
      }
      const lang = languageOf(rule, profile.lang);
      const values: MessageValues = {
        memberId: member.memberId,
        ...(profile.name !== undefined ? { name: profile.name } : {}),
        points: points ?? snapshotLots(fold, dueAt, true).available,
        tier: fold.tier ?? ctx.firstTier,
        ...due.values,
      };
      out.push({
        messageKey,
        ruleId: rule.id,
        memberId: member.memberId,
        channel: rule.channel,
        to,
        lang,
        text: renderMessage(rule.text[lang] as string, values, lang, ctx.calendar),
        dueAt,
      });
    }
  }
  return out.sort((a, b) =>
    a.dueAt !== b.dueAt
      ? a.dueAt < b.dueAt
        ? -1
        : 1
      : a.messageKey < b.messageKey
        ? -1
        : a.messageKey > b.messageKey
          ? 1
          : 0,
  );
};

interface Context {
  calendar: CalendarName;
  firstTier: string;
  sinceMs: number;
  tMs: number;
  t: string;
}

/** The member's language when the rule has it, else the rule's first language in the program's JSON order (§10). */
const languageOf = (rule: MessageRule, lang: MessageLang | undefined): MessageLang => {
  if (lang !== undefined && typeof rule.text[lang] === "string") return lang;
  return Object.keys(rule.text).find((k) => k === "fa" || k === "en") as MessageLang;
};

/**
 * The points fold of one member at due times asked in non-decreasing order:
 * one pass through the stream (its times never decrease, spec 2). The fold
 * returned is advanced by the next call, so read it at once. A stream out of
 * time order (an audit finding) is folded afresh for each time.
 */
class FoldSweep {
  private readonly fold: MemberFold;
  private next = 0;
  private cut = "";
  private readonly ordered: boolean;
  constructor(private readonly member: ClubMember) {
    this.fold = new MemberFold(member.memberId);
    this.ordered = member.events.every((e, i) => i === 0 || (member.events[i - 1] as ClubEvent).at <= e.at);
  }
  at(iso: string): MemberFold {
    if (!this.ordered || iso < this.cut) return this.member.foldAt(iso);
    const events = this.member.events;
    for (; this.next < events.length && (events[this.next] as ClubEvent).at <= iso; this.next++) {
      const e = events[this.next] as ClubEvent;
      this.fold.apply(e.type, e.at, e.data);
    }
    this.cut = iso;
    return this.fold;
  }
}

/** What the lots expiring on the UTC day starting at `day` hold in `fold`. */
const expiringPoints = (fold: MemberFold, day: number): number => {
  let points = 0;
  for (const lot of fold.lots)
    if (lot.expiresAt !== null && startOfUtcDay(ms(lot.expiresAt)) === day) points += lot.remaining;
  return points;
};

/** Every message the rule makes due for the member from its events at or before T (§5 "due", §10 "Due times"). */
const dueMessages = (rule: MessageRule, member: ClubMember, profile: Profile, ctx: Context): Due[] => {
  const events = member.until(ctx.t);
  switch (rule.trigger) {
    case "welcome":
      return [{ occurrence: profile.joinEventId, dueMs: ms(profile.joinedAt as string), values: {} }];
    case "tier_up":
      return events
        .filter((e) => e.type === "TierChanged" && (e.data as TierChanged | null)?.direction === "up")
        .map((e) => ({ occurrence: e.eventId, dueMs: ms(e.at), values: {} }));
    case "coupon_issued":
      return events
        .filter((e) => e.type === "CouponIssued")
        .map((e) => {
          const d = (e.data ?? {}) as Partial<CouponIssued>;
          const validUntil = ms(String(d.validUntil));
          return {
            occurrence: e.eventId,
            dueMs: ms(e.at),
            values: {
              ...(typeof d.rewardId === "string" ? { reward: d.rewardId } : {}),
              ...(typeof d.code === "string" ? { code: d.code } : {}),
              ...(Number.isFinite(validUntil) ? { expiresAt: startOfUtcDay(validUntil) } : {}),
            },
          };
        });
    case "draw_won":
      return events.flatMap((e, i) => {
        if (e.type !== "DrawWon") return [];
        const d = (e.data ?? {}) as Partial<DrawWon>;
        // The prize is the draw lot that follows (none when its prizePoints is 0).
        const prize = events.slice(i + 1).find((p) => {
          const lot = (p.data ?? {}) as Partial<PointsEarned>;
          return (
            p.type === "PointsEarned" &&
            lot.reason === "draw" &&
            lot.drawId === d.drawId &&
            lot.rank === d.rank
          );
        });
        return [
          {
            occurrence: e.eventId,
            dueMs: ms(e.at),
            values: {
              ...(typeof d.drawId === "string" ? { draw: d.drawId } : {}),
              ...(typeof d.rank === "number" ? { rank: d.rank } : {}),
            },
            points: prize === undefined ? 0 : Number((prize.data as PointsEarned).points) || 0,
          },
        ];
      });
    case "inactive": {
      const purchases = events.filter((e) => e.type === "PurchaseRecorded");
      const days = (rule.inactiveDays ?? 0) * DAY_MS;
      return purchases.flatMap((p, i) => {
        const dueMs = ms(p.at) + days;
        // Cancelled by a purchase with at <= d (the next one is the earliest that can be).
        const next = purchases[i + 1];
        if (next !== undefined && ms(next.at) <= dueMs) return [];
        return [{ occurrence: String((p.data as PurchaseRecorded | null)?.purchaseId), dueMs, values: {} }];
      });
    }
    case "points_expiring":
      return expiringDue(rule, member, ctx);
    case "birthday":
      return birthdayDue(profile, ctx);
  }
};

/**
 * One message per UTC day D on which some of the member's lots (known at T)
 * expire, due at `start of D - daysBefore days`; the points, what those lots
 * hold at that time, are counted when the message is rendered.
 */
const expiringDue = (rule: MessageRule, member: ClubMember, ctx: Context): Due[] => {
  const before = (rule.daysBefore ?? 0) * DAY_MS;
  const days = new Set<number>();
  for (const lot of member.foldAt(ctx.t).lots)
    if (lot.expiresAt !== null) days.add(startOfUtcDay(ms(lot.expiresAt)));
  return [...days].map((day) => ({
    occurrence: toIso(day).slice(0, 10),
    dueMs: day - before,
    values: { expiresAt: day },
    expiringDay: day,
  }));
};

/**
 * Birthdays (L1 §5.6 occurrences, whatever the bonus): each birth date counts
 * from the day it was given, due at `max(b, the time it was given)`, while it
 * is in force; once per program-calendar year (the earliest wins).
 */
const birthdayDue = (profile: Profile, ctx: Context): Due[] => {
  const byYear = new Map<number, number>();
  profile.birthDates.forEach((given, i) => {
    const birth = birthInCalendar(ctx.calendar, given.date);
    if (birth === undefined) return;
    const givenMs = ms(given.givenAt);
    const next = profile.birthDates[i + 1];
    const untilMs = next === undefined ? Number.POSITIVE_INFINITY : ms(next.givenAt);
    const fromDay = startOfUtcDay(givenMs);
    for (let year = Math.max(birth.year, calendarYear(ctx.calendar, fromDay)); ; year++) {
      const b = birthdayInYear(ctx.calendar, birth, year);
      // Due at max(b, givenMs) >= untilMs exactly when b >= untilMs: the next date is in force.
      if (b > ctx.tMs || b >= untilMs) break;
      const dueMs = Math.max(b, givenMs);
      if (b < fromDay) continue;
      const known = byYear.get(year);
      if (known === undefined || dueMs < known) byYear.set(year, dueMs);
    }
  });
  return [...byYear].map(([year, dueMs]) => ({ occurrence: String(year), dueMs, values: {} }));
};
