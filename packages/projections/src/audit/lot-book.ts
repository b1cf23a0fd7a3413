import {
  type Allocation,
  availablePoints,
  debtRepaid,
  isExpired,
  isPending,
  type Lot,
  type MemberState,
  type ProposedEvent,
} from "@vafa/core";
import type { EventLocation, Findings } from "./findings.js";
import { iso, sum } from "./member-findings.js";

/**
 * The lots of one member stream and the checks on what takes points from them
 * (spec 5.5 allocations, 5.6 expiry). Reads the member state it is given,
 * which the caller evolves after each event.
 */
export class LotBook {
  private readonly lots = new Map<string, Lot>();
  /** Lots holding points that will expire: the only ones the expiry check looks at. */
  private readonly live = new Set<Lot>();
  /** Lots already reported as holding points past their expiry. */
  private readonly flagged = new Set<Lot>();
  /** Expired lots that a reversal just gave points back to, with the reversal's time (5.5). */
  private readonly returnedExpired = new Map<Lot, number>();

  constructor(
    private readonly state: MemberState,
    private readonly findings: Findings,
  ) {}

  has(lotId: string): boolean {
    return this.lots.has(lotId);
  }

  /** A lot just recorded by a PointsEarned. */
  add(lot: Lot): void {
    this.lots.set(lot.lotId, lot);
    this.touch(lot);
  }

  /** Redemption and debit: allocations sum to the points, from available lots, within `available` (5.5). */
  checkDebit(
    points: number,
    allocations: readonly Allocation[],
    loc: EventLocation,
    now: number,
    what: string,
  ) {
    if (sum(allocations) !== points)
      this.findings.at(loc, "ALLOCATION", `allocations sum to ${sum(allocations)}, not ${points}`);
    this.checkAllocations(allocations, loc, now, true);
    const available = availablePoints(this.state, now);
    if (points > available)
      this.findings.at(loc, "OVERDRAW", `${what} of ${points} points, ${available} available`);
  }

  checkAllocations(allocations: readonly Allocation[], loc: EventLocation, now: number, notPending: boolean) {
    const taken = new Map<Lot, number>();
    for (const a of allocations) {
      const lot = this.lots.get(a.lotId);
      if (!lot) {
        this.findings.at(loc, "ALLOCATION", `allocation names unknown lot ${a.lotId}`);
        continue;
      }
      if (isExpired(lot, now))
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes from lot ${a.lotId}, expired at ${iso(lot.expiresAt)}`,
        );
      else if (notPending && isPending(lot, now))
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes from lot ${a.lotId}, pending until ${iso(lot.availableAt)}`,
        );
      const total = (taken.get(lot) ?? 0) + a.points;
      taken.set(lot, total);
      if (total > lot.remaining)
        this.findings.at(
          loc,
          "ALLOCATION",
          `allocation takes ${total} points from lot ${a.lotId}, which holds ${lot.remaining}`,
        );
    }
  }

  /** EXPIRY_MISMATCH: a later event while a lot past its expiresAt still holds points (5.6). */
  checkNothingPastExpiry(now: number, loc: EventLocation, type: string): void {
    for (const lot of this.live) {
      if (lot.expiresAt === null || lot.expiresAt > now || lot.remaining <= 0 || this.flagged.has(lot))
        continue;
      this.flagged.add(lot);
      this.findings.at(
        loc,
        "EXPIRY_MISMATCH",
        `${type} at ${iso(now)} while lot ${lot.lotId} still holds ${lot.remaining} points past its expiry ${iso(lot.expiresAt)}`,
      );
    }
    this.returnedExpired.clear();
  }

  touch(lot: Lot): void {
    if (lot.remaining > 0 && lot.expiresAt !== null) this.live.add(lot);
    else this.live.delete(lot);
    if (lot.remaining <= 0) this.flagged.delete(lot);
  }

  touchAll(allocations: readonly Allocation[]): void {
    for (const a of allocations) {
      const lot = this.lots.get(a.lotId);
      if (lot) this.touch(lot);
    }
  }

  /** RedemptionReversed: gives back exactly what the redemption took, to known lots (5.5). */
  checkReversal(d: ProposedEvent<"RedemptionReversed">["data"], loc: EventLocation): void {
    const s = this.state;
    const r = s.redemptions.get(d.redemptionId);
    if (!r) this.findings.at(loc, "ALLOCATION", `reversal of unknown redemption ${d.redemptionId}`);
    else if (r.reversedAt !== undefined)
      this.findings.at(loc, "ALLOCATION", `redemption ${d.redemptionId} was already reversed`);
    else {
      const same =
        r.points === d.points &&
        r.allocations.length === d.allocations.length &&
        r.allocations.every(
          (a, i) => a.lotId === d.allocations[i]?.lotId && a.points === d.allocations[i]?.points,
        );
      if (!same)
        this.findings.at(
          loc,
          "ALLOCATION",
          `reversal of ${d.redemptionId} does not give back exactly what it took (${r.points} points from ${r.allocations.length} lots)`,
        );
    }
    if (sum(d.allocations) !== d.points)
      this.findings.at(loc, "ALLOCATION", `allocations sum to ${sum(d.allocations)}, not ${d.points}`);
    const repaid = debtRepaid(d.points, s.debt);
    if (d.debtRepaid !== repaid)
      this.findings.at(loc, "ALLOCATION", `debtRepaid is ${d.debtRepaid}, the debt asks for ${repaid}`);
    for (const a of d.allocations)
      if (!this.lots.has(a.lotId))
        this.findings.at(loc, "ALLOCATION", `allocation names unknown lot ${a.lotId}`);
  }

  /** After a reversal is applied: points back in an expired lot expire at once, right after (5.5). */
  returned(allocations: readonly Allocation[], now: number): void {
    for (const a of allocations) {
      const lot = this.lots.get(a.lotId);
      if (!lot) continue;
      this.touch(lot);
      if (lot.remaining > 0 && isExpired(lot, now)) this.returnedExpired.set(lot, now);
    }
  }

  /** PointsExpired against its lot (5.6); returns the lot to touch once the event is applied. */
  checkExpiry(d: ProposedEvent<"PointsExpired">["data"], loc: EventLocation, now: number): Lot | undefined {
    const lot = this.lots.get(d.lotId);
    if (!lot) {
      this.findings.at(loc, "EXPIRY_MISMATCH", `expiry of unknown lot ${d.lotId}`);
      return undefined;
    }
    const problems: string[] = [];
    if (lot.expiresAt === null || lot.expiresAt > now)
      problems.push(`lot ${d.lotId} expires ${iso(lot.expiresAt)}, after this expiry`);
    else {
      const returnedAt = this.returnedExpired.get(lot);
      if (now !== lot.expiresAt && now !== returnedAt)
        problems.push(`expiry dated ${iso(now)}, the lot expires at ${iso(lot.expiresAt)}`);
    }
    if (d.points !== lot.remaining)
      problems.push(`expires ${d.points} points, the lot holds ${lot.remaining}`);
    if (problems.length > 0) {
      this.findings.at(loc, "EXPIRY_MISMATCH", problems.join("; "));
      this.flagged.add(lot);
    }
    this.returnedExpired.delete(lot);
    return lot;
  }
}
