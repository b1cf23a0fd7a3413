import { Decimal } from "decimal.js";
import { sha256Hex } from "../envelope.js";
import { parseTime } from "../primitives.js";
import type { Draw } from "./program.js";

// Tickets and winners of a prize draw (club spec §3). Pure functions over
// events, shared by the decider, the audit and `vafa draw-verify`, so the
// three can never disagree.

/** The part of a member event the ticket count reads. */
export interface TicketEvent {
  type: string;
  occurredAt: string;
  data: unknown;
}

const ms = (iso: string): number => (iso.length === 24 ? Date.parse(iso) : (parseTime(iso) as number));

/** Whether a tier may take part: no `tiers` admits every tier, `tiers: []` admits nobody (§9). */
export const tierEligible = (draw: Draw, tier: string): boolean =>
  draw.tiers === undefined || draw.tiers.includes(tier);

/**
 * Tickets of one member at `entryTo` (§3), from the member's events in
 * stream order: bought tickets, plus one free ticket per `spendPerTicket` of
 * net spend in the entry window when the stored tier just before `entryTo`
 * is eligible; capped at `maxTickets`. Events at or after `entryTo` are not read.
 */
export const ticketsAtEntryTo = (draw: Draw, firstTier: string, events: Iterable<TicketEvent>): number => {
  const from = ms(draw.entryFrom);
  const to = ms(draw.entryTo);
  let bought = 0;
  let tier = firstTier;
  // purchaseId -> net amount so far, for purchases inside the window.
  const net = new Map<string, Decimal>();
  for (const e of events) {
    const at = ms(e.occurredAt);
    if (at >= to) continue;
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case "DrawEntered":
        if (d.drawId === draw.id) bought += d.tickets as number;
        break;
      case "TierChanged":
        tier = d.to as string;
        break;
      case "PurchaseRecorded":
        if (at >= from) net.set(d.purchaseId as string, new Decimal(d.amount as string));
        break;
      case "PurchaseRefunded": {
        const left = net.get(d.purchaseId as string);
        if (left) net.set(d.purchaseId as string, left.minus(d.amount as string));
        break;
      }
    }
  }
  let free = 0;
  if (draw.spendPerTicket !== undefined && tierEligible(draw, tier)) {
    let spend = new Decimal(0);
    for (const v of net.values()) spend = spend.plus(v);
    free = spend.div(draw.spendPerTicket).floor().toNumber();
  }
  const total = bought + free;
  return draw.maxTickets === undefined ? total : Math.min(total, draw.maxTickets);
};

export interface Entrant {
  memberId: string;
  tickets: number;
}

export interface DrawWinner {
  rank: number;
  memberId: string;
  tickets: number;
}

/** `a < b` by UTF-16 code units (the order of §3). */
const byMemberId = (a: Entrant, b: Entrant): number =>
  a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;

/**
 * The seeded selection of §3: entrants with tickets > 0 in memberId order;
 * rank j draws `r = BigInt(0x sha256(seed|beacon|drawId|j)) mod T` over the
 * remaining entrants' tickets and walks them until `r` falls inside one.
 */
export const selectWinners = (
  draw: Pick<Draw, "id" | "winners">,
  seed: string,
  beacon: string | undefined,
  entrants: readonly Entrant[],
): DrawWinner[] => {
  const pool = entrants.filter((e) => e.tickets > 0).sort(byMemberId);
  const winners: DrawWinner[] = [];
  const rounds = Math.min(draw.winners, pool.length);
  for (let j = 1; j <= rounds; j++) {
    const total = pool.reduce((sum, e) => sum + BigInt(e.tickets), 0n);
    const h = sha256Hex(`${seed}|${beacon ?? ""}|${draw.id}|${j}`);
    let r = BigInt(`0x${h}`) % total;
    let index = 0;
    for (; index < pool.length; index++) {
      const t = BigInt((pool[index] as Entrant).tickets);
      if (r < t) break;
      r -= t;
    }
    const [won] = pool.splice(index, 1) as [Entrant];
    winners.push({ rank: j, memberId: won.memberId, tickets: won.tickets });
  }
  return winners;
};

/** The DrawHeld data of §3 (keys in the spec's order). */
export interface DrawHeldData {
  drawId: string;
  seed: string;
  beacon?: string;
  tickets: number;
  entrants: number;
  winners: DrawWinner[];
}

/** What a draw's DrawHeld must say, from every member's tickets (§3). */
export const drawOutcome = (
  draw: Draw,
  seed: string,
  beacon: string | undefined,
  entrants: readonly Entrant[],
): DrawHeldData => {
  const counted = entrants.filter((e) => e.tickets > 0);
  return {
    drawId: draw.id,
    seed,
    ...(beacon !== undefined ? { beacon } : {}),
    tickets: counted.reduce((sum, e) => sum + e.tickets, 0),
    entrants: counted.length,
    winners: selectWinners(draw, seed, beacon, counted),
  };
};

/** sha256 hex of the seed's UTF-8 bytes: what `seedHash` commits to. */
export const seedHashOf = (seed: string): string => sha256Hex(seed);

export const drawStreamId = (drawId: string): string => `draw-${drawId}`;
