import { allocate, eventIdFor, genesisHash, hashEvent } from "@vafa/core";
import { BENCH_PROGRAM } from "../lib/program.js";

// A fast stand-in for core's decider, specialised to BENCH_PROGRAM (gregorian,
// floor rounding, rolling expiry, spend tiers, money with at most 2 decimals as
// integer cents): the same rules (spec 5) on plain mutable state, without
// Decimal money or copy-on-write states. Event ids and hashes come from core
// (`eventIdFor`, `hashEvent`). It is not trusted: the ledger benchmark replays
// the recorded commands through `createLedger` and fails when a single stream
// differs (ids, hashes, JSON), so every data set it generates is checked
// against core on the quick sizes and on a slice of the full size.

const DAY_MS = 86_400_000;
const program = BENCH_PROGRAM;
const PROGRAM_ID = program.programId;
const PROGRAM_VERSION = program.version;
const PENDING_MS = program.earn.pendingDays * DAY_MS;
const EXPIRY_MS = program.expiry.policy === "rolling" ? program.expiry.days * DAY_MS : 0;
const RETENTION_MS = program.tiers.retentionDays * DAY_MS;
const WINDOW_MS = program.tiers.windowDays * DAY_MS;
/** Tier levels with thresholds in cents and multipliers in hundredths. */
const LEVELS = program.tiers.levels.map((l) => ({
  id: l.id,
  thresholdCents: Math.round(Number(l.threshold) * 100),
  multiplier100: Math.round(Number(l.multiplier) * 100),
}));
const CAMPAIGNS = (program.earn.campaigns ?? []).map((c) => ({
  from: Date.parse(c.from),
  to: Date.parse(c.to),
  multiplier100: Math.round(Number(c.multiplier) * 100),
  tiers: c.tiers,
}));

if (
  program.earn.rounding !== "floor" ||
  program.expiry.policy !== "rolling" ||
  program.tiers.metric !== "spend" ||
  program.calendar !== "gregorian"
)
  throw new Error("fast-member supports only the bench program's rules");

/** Money string with at most 2 decimals as integer cents. */
const toCents = (amount: string): number => {
  const dot = amount.indexOf(".");
  if (dot < 0) return Number(amount) * 100;
  const frac = `${amount.slice(dot + 1)}00`.slice(0, 2);
  if (amount.length - dot - 1 > 2) throw new Error(`fast-member: ${amount} has more than 2 decimals`);
  return Number(amount.slice(0, dot)) * 100 + Number(frac);
};

/** Cents as a plain decimal without trailing zeros ("1000.5", "600", "0"). */
export const formatCents = (cents: number): string => {
  const whole = Math.floor(cents / 100);
  const frac = cents % 100;
  if (frac === 0) return String(whole);
  return frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${String(frac).padStart(2, "0")}`;
};

const iso = (ms: number): string => new Date(ms).toISOString();

interface Lot {
  lotId: string;
  remaining: number;
  availableAt: number;
  expiresAt: number;
}
interface Purchase {
  at: number;
  amountCents: number;
  refundedCents: number;
  earned: number;
  lotId: string | undefined;
  clawed: number;
}
interface Redemption {
  points: number;
  allocations: { lotId: string; points: number }[];
  reversed: boolean;
}
type Allocation = { lotId: string; points: number };

export class FastMember {
  readonly streamId: string;
  revision = -1;
  lastHash: string;
  lastEventAt = Number.NEGATIVE_INFINITY;
  joined = false;
  joinedAt = 0;
  birth: { year: number; month: number; day: number } | undefined;
  referredBy: string | undefined;
  /** Lots in creation order; with rolling expiry this is also FIFO order. */
  readonly lots: Lot[] = [];
  private readonly lotById = new Map<string, Lot>();
  /** Index of the first lot that may still hold points (earlier ones are empty for good). */
  private firstLive = 0;
  debt = 0;
  readonly purchases = new Map<string, Purchase>();
  /** Purchases in time order, for the tier window. */
  private readonly purchaseList: Purchase[] = [];
  private windowStart = 0;
  readonly redemptions = new Map<string, Redemption>();
  tier = LEVELS[0]?.id as string;
  tierSince = 0;
  private readonly birthdaysPaid = new Set<number>();
  /** NDJSON lines of the stream (spec 2 envelopes, recordedAt = occurredAt). */
  readonly lines: string[] = [];
  readonly byType: Record<string, number>;

  // The command being decided.
  private commandId = "";
  private correlationId = "";
  private actor: string | undefined;
  private index = 0;

  constructor(
    readonly memberId: string,
    byType: Record<string, number>,
  ) {
    this.streamId = `member-${memberId}`;
    this.lastHash = genesisHash(this.streamId);
    this.byType = byType;
  }

  private begin(commandId: string, correlationId = commandId, actor?: string): void {
    this.commandId = commandId;
    this.correlationId = correlationId;
    this.actor = actor;
    this.index = 0;
  }

  private emit(type: string, at: number, data: Record<string, unknown>, eventId = this.nextEventId()): void {
    const revision = this.revision + 1;
    const occurredAt = iso(at);
    const prevHash = this.lastHash;
    const eventHash = hashEvent(prevHash, {
      streamId: this.streamId,
      revision,
      eventId,
      type,
      occurredAt,
      data,
    });
    const metadata = {
      schemaVersion: 1,
      programId: PROGRAM_ID,
      programVersion: PROGRAM_VERSION,
      commandId: this.commandId,
      correlationId: this.correlationId,
      ...(this.actor !== undefined ? { actor: this.actor } : {}),
      prevHash,
      hash: eventHash,
    };
    this.lines.push(
      JSON.stringify({
        streamId: this.streamId,
        revision,
        eventId,
        type,
        occurredAt,
        recordedAt: occurredAt,
        data,
        metadata,
      }),
    );
    this.byType[type] = (this.byType[type] ?? 0) + 1;
    this.revision = revision;
    this.lastHash = eventHash;
    this.lastEventAt = at;
    this.index++;
  }

  private nextEventId(): string {
    return eventIdFor(this.streamId, this.commandId, this.index);
  }

  /** A new lot (spec 4, 5.4): repays debt first. `extra` keys go between `reason` and `availableAt`. */
  private earn(at: number, points: number, reason: string, extra: Record<string, unknown>): void {
    const lotId = this.nextEventId();
    const availableAt = reason === "purchase" ? at + PENDING_MS : at;
    const expiresAt = at + EXPIRY_MS;
    const debtRepaid = Math.min(points, this.debt);
    this.emit(
      "PointsEarned",
      at,
      {
        lotId,
        points,
        reason,
        ...extra,
        availableAt: iso(availableAt),
        expiresAt: iso(expiresAt),
        debtRepaid,
      },
      lotId,
    );
    this.debt -= debtRepaid;
    const lot: Lot = { lotId, remaining: points - debtRepaid, availableAt, expiresAt };
    this.lots.push(lot);
    this.lotById.set(lotId, lot);
    if (reason === "purchase") {
      const p = this.purchases.get(extra.purchaseId as string);
      if (p) {
        p.earned = points;
        p.lotId = lotId;
      }
    }
  }

  private liveLots(): Lot[] {
    while (
      this.firstLive < this.lots.length &&
      (this.lots[this.firstLive] as Lot).remaining === 0 &&
      this.firstLive < this.lots.length - 1
    )
      this.firstLive++;
    return this.lots;
  }

  /** Sum of available lots at `now` (spec 5.4). */
  available(now: number): number {
    let sum = 0;
    const lots = this.liveLots();
    for (let i = this.firstLive; i < lots.length; i++) {
      const l = lots[i] as Lot;
      if (l.expiresAt > now && l.availableAt <= now) sum += l.remaining;
    }
    return sum;
  }

  private consume(allocations: Allocation[]): void {
    for (const a of allocations) (this.lotById.get(a.lotId) as Lot).remaining -= a.points;
  }

  private availableLots(now: number): Lot[] {
    const out: Lot[] = [];
    const lots = this.liveLots();
    for (let i = this.firstLive; i < lots.length; i++) {
      const l = lots[i] as Lot;
      if (l.remaining > 0 && l.expiresAt > now && l.availableAt <= now) out.push(l);
    }
    return out;
  }

  /** Birthdays due at `now`, not paid, in time order (spec 5.6, gregorian). */
  private dueBirthdays(now: number): { year: number; at: number }[] {
    const birth = this.birth;
    if (program.earn.birthdayBonus <= 0 || birth === undefined) return [];
    const joinDay = Math.floor(this.joinedAt / DAY_MS) * DAY_MS;
    const due: { year: number; at: number }[] = [];
    for (let year = Math.max(birth.year, new Date(joinDay).getUTCFullYear()); ; year++) {
      const daysInMonth = new Date(Date.UTC(year, birth.month + 1, 0)).getUTCDate();
      const b = Date.UTC(year, birth.month, Math.min(birth.day, daysInMonth));
      if (b > now) break;
      if (b >= joinDay && !this.birthdaysPaid.has(year)) due.push({ year, at: Math.max(b, this.joinedAt) });
    }
    return due;
  }

  /** Step 5: expiries and birthdays due at `now`, in time order, expiries first on ties. */
  private runDueItems(now: number): void {
    const birthdays = this.dueBirthdays(now);
    let next = 0;
    for (;;) {
      let expiring: Lot | undefined;
      const lots = this.liveLots();
      for (let i = this.firstLive; i < lots.length; i++) {
        const l = lots[i] as Lot;
        if (l.expiresAt > now) break; // creation order is expiry order
        if (l.remaining > 0) {
          expiring = l;
          break;
        }
      }
      const birthday = birthdays[next];
      if (expiring && (!birthday || expiring.expiresAt <= birthday.at)) {
        this.emit("PointsExpired", expiring.expiresAt, { lotId: expiring.lotId, points: expiring.remaining });
        expiring.remaining = 0;
      } else if (birthday) {
        next++;
        this.earn(birthday.at, program.earn.birthdayBonus, "birthday", { birthdayYear: birthday.year });
        this.birthdaysPaid.add(birthday.year);
      } else return;
    }
  }

  /** Step 7 (spec 5.7) with the spend metric. */
  private runTierEvaluation(now: number): void {
    const from = now - WINDOW_MS;
    while (
      this.windowStart < this.purchaseList.length &&
      (this.purchaseList[this.windowStart] as Purchase).at <= from
    )
      this.windowStart++;
    let metric = 0;
    for (let i = this.windowStart; i < this.purchaseList.length; i++) {
      const p = this.purchaseList[i] as Purchase;
      if (p.at > now) break;
      metric += p.amountCents - p.refundedCents;
    }
    let wanted = 0;
    LEVELS.forEach((l, i) => {
      if (metric >= l.thresholdCents) wanted = i;
    });
    const current = LEVELS.findIndex((l) => l.id === this.tier);
    const to = (LEVELS[wanted] as (typeof LEVELS)[number]).id;
    let direction: "up" | "down" | undefined;
    if (wanted > current) direction = "up";
    else if (wanted < current && now >= this.tierSince + RETENTION_MS) direction = "down";
    if (direction === undefined) return;
    this.emit("TierChanged", now, { from: this.tier, to, direction, metric: formatCents(metric) });
    this.tier = to;
    this.tierSince = now;
  }

  join(at: number, command: { kind: string; birthDate?: string; referredBy?: string }): void {
    this.begin(`join:${this.memberId}`);
    this.emit("MemberJoined", at, {
      memberId: this.memberId,
      kind: command.kind,
      ...(command.birthDate !== undefined ? { birthDate: command.birthDate } : {}),
      ...(command.referredBy !== undefined ? { referredBy: command.referredBy } : {}),
    });
    this.joined = true;
    this.joinedAt = at;
    this.tierSince = at;
    this.referredBy = command.referredBy;
    if (command.birthDate !== undefined) {
      const [y, m, d] = command.birthDate.split("-").map(Number) as [number, number, number];
      this.birth = { year: y, month: m - 1, day: d };
    }
    if (program.earn.signupBonus > 0) this.earn(at, program.earn.signupBonus, "signup", {});
  }

  purchase(at: number, purchaseId: string, amount: string, channel: string | undefined): void {
    this.begin(`purchase:${purchaseId}`);
    this.runDueItems(at);
    const amountCents = toCents(amount);
    const level = LEVELS.find((l) => l.id === this.tier);
    // points = floor(cents/100 * tier multiplier * campaign multipliers), exact in integers.
    let numerator = amountCents * (level?.multiplier100 ?? 100);
    let denominator = 10_000;
    for (const c of CAMPAIGNS)
      if (c.from <= at && at < c.to && (c.tiers === undefined || c.tiers.includes(this.tier))) {
        numerator *= c.multiplier100;
        denominator *= 100;
      }
    const points = Math.floor(numerator / denominator);
    this.emit("PurchaseRecorded", at, { purchaseId, amount, ...(channel !== undefined ? { channel } : {}) });
    const p: Purchase = { at, amountCents, refundedCents: 0, earned: 0, lotId: undefined, clawed: 0 };
    this.purchases.set(purchaseId, p);
    this.purchaseList.push(p);
    if (points > 0) this.earn(at, points, "purchase", { purchaseId });
    this.runTierEvaluation(at);
  }

  refund(at: number, purchaseId: string, refundId: string, amount: string): void {
    this.begin(`refund:${refundId}`);
    this.runDueItems(at);
    const p = this.purchases.get(purchaseId);
    if (!p) throw new Error(`fast-member: unknown purchase ${purchaseId}`);
    const cents = toCents(amount);
    if (cents > p.amountCents - p.refundedCents)
      throw new Error(`fast-member: refund ${refundId} exceeds purchase`);
    this.emit("PurchaseRefunded", at, { purchaseId, refundId, amount });
    p.refundedCents += cents;
    const clawedTotal = Math.floor((p.earned * p.refundedCents) / p.amountCents);
    const take = clawedTotal - p.clawed;
    if (take > 0) {
      const live = (l: Lot) => l.remaining > 0 && l.expiresAt > at;
      const own = p.lotId !== undefined ? this.lotById.get(p.lotId) : undefined;
      const first = own && live(own) ? own : undefined;
      const lots = this.liveLots();
      const order: Lot[] = first ? [first] : [];
      for (let i = this.firstLive; i < lots.length; i++) {
        const l = lots[i] as Lot;
        if (l !== first && live(l)) order.push(l);
      }
      const { allocations, rest } = allocate(order, take);
      this.emit("PointsClawedBack", at, {
        purchaseId,
        refundId,
        points: take,
        allocations,
        debtIncurred: rest,
      });
      this.consume(allocations);
      this.debt += rest;
      p.clawed += take;
    }
    this.runTierEvaluation(at);
  }

  redeem(at: number, redemptionId: string, points: number, rewardId: string | undefined): void {
    this.begin(`redeem:${redemptionId}`);
    this.runDueItems(at);
    if (points < program.redemption.minPoints || points > this.available(at))
      throw new Error(`fast-member: redemption ${redemptionId} not allowed`);
    const { allocations } = allocate(this.availableLots(at), points);
    this.emit("PointsRedeemed", at, {
      redemptionId,
      points,
      ...(rewardId !== undefined ? { rewardId } : {}),
      allocations,
    });
    this.consume(allocations);
    this.redemptions.set(redemptionId, { points, allocations, reversed: false });
    this.runTierEvaluation(at);
  }

  reverse(at: number, redemptionId: string): void {
    this.begin(`reverse-redemption:${redemptionId}`);
    this.runDueItems(at);
    const r = this.redemptions.get(redemptionId);
    if (!r || r.reversed) throw new Error(`fast-member: cannot reverse ${redemptionId}`);
    const debtRepaid = Math.min(r.points, this.debt);
    this.emit("RedemptionReversed", at, {
      redemptionId,
      points: r.points,
      debtRepaid,
      allocations: r.allocations.map((a) => ({ lotId: a.lotId, points: a.points })),
    });
    this.debt -= debtRepaid;
    let share = debtRepaid;
    for (const a of r.allocations) {
      const s = Math.min(a.points, share);
      share -= s;
      (this.lotById.get(a.lotId) as Lot).remaining += a.points - s;
    }
    r.reversed = true;
    // Returned points in lots already past their expiry expire at once, in allocation order.
    const seen = new Set<string>();
    for (const a of r.allocations) {
      const lot = this.lotById.get(a.lotId) as Lot;
      if (seen.has(lot.lotId) || lot.remaining <= 0 || lot.expiresAt > at) continue;
      seen.add(lot.lotId);
      this.emit("PointsExpired", at, { lotId: lot.lotId, points: lot.remaining });
      lot.remaining = 0;
    }
    // A reversal can refill a lot before the live-lot cursor.
    this.firstLive = 0;
    this.runTierEvaluation(at);
  }

  adjust(at: number, adjustmentId: string, points: number, reason: string, actor: string): void {
    this.begin(`adjust:${adjustmentId}`, undefined, actor);
    this.runDueItems(at);
    if (points > 0) {
      this.earn(at, points, "adjustment", { adjustmentId, actor, note: reason });
    } else {
      const debit = -points;
      if (debit > this.available(at)) throw new Error(`fast-member: debit ${adjustmentId} above available`);
      const { allocations } = allocate(this.availableLots(at), debit);
      this.emit("PointsDebited", at, { adjustmentId, points: debit, reason, actor, allocations });
      this.consume(allocations);
    }
    this.runTierEvaluation(at);
  }

  feedback(at: number, feedbackId: string, score: number, comment: string | undefined): void {
    this.begin(`feedback:${feedbackId}`);
    this.runDueItems(at);
    this.emit("FeedbackSubmitted", at, { feedbackId, score, ...(comment !== undefined ? { comment } : {}) });
    this.runTierEvaluation(at);
  }

  /** A sweep on this member (spec 5.6): skipped when its last event is later. */
  sweep(at: number): void {
    if (!this.joined || at < this.lastEventAt) return;
    this.begin(`sweep:${iso(at)}`);
    this.runDueItems(at);
    this.runTierEvaluation(at);
  }

  /** The referral reaction on this member as referrer (spec 5.2). */
  referral(purchaseAt: number, refereeId: string, correlationId: string): void {
    const t = Math.max(purchaseAt, this.lastEventAt);
    this.begin(`referral:${refereeId}`, correlationId);
    this.runDueItems(t);
    this.earn(t, program.earn.referralBonus, "referral", { refereeId });
  }
}
