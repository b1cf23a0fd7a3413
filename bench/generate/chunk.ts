import { createRandom, normal, randomInt, subSeed } from "../lib/prng.js";
import { BENCH_PROGRAM, HISTORY_END_MS, HISTORY_START_MS } from "../lib/program.js";
import { FastMember, formatCents } from "./fast-member.js";

// Simulates one chunk of members: draws their commands and decides them with
// FastMember (spec 5 rules on plain state; see fast-member.ts for why not core's
// decide), so every event is what `createLedger` appends for the same commands,
// ids and hashes included. Members of a chunk are interleaved in time order so a
// referral reaction finds its referrer in the state of that moment.

const DAY_MS = 86_400_000;
const program = BENCH_PROGRAM;
/** Members join during the first 20 months. */
const JOIN_SPAN_MS = 600 * DAY_MS;
/** Average events one purchase brings (itself, its lot, refunds, redemptions, expiries, tiers...): tunes purchase counts. */
const EVENTS_PER_PURCHASE = 2.35;

export interface ChunkSpec {
  seed: number;
  chunkIndex: number;
  /** Global index of the first member. */
  firstMember: number;
  /** Event budget of each member of the chunk (heavy-tailed). */
  budgets: number[];
  /** Also return the commands, in the order they were decided (for the ledger benchmark). */
  recordCommands: boolean;
}

export interface ChunkResult {
  chunkIndex: number;
  /** NDJSON of the member streams, stream by stream in memberId order, revision order. */
  ndjson: string;
  /** NDJSON of the commands in decision order (empty unless recorded). */
  commands: string;
  events: number;
  commandCount: number;
  byType: Record<string, number>;
}

type Intent =
  | { at: number; kind: "join" }
  | { at: number; kind: "purchase"; amount: string }
  | { at: number; kind: "refund"; purchaseId: string; amount: string }
  | { at: number; kind: "redeem" }
  | { at: number; kind: "reverse"; redemptionId: string }
  | { at: number; kind: "adjust"; positive: boolean }
  | { at: number; kind: "feedback" };

interface SimMember {
  memberId: string;
  state: FastMember;
  intents: Intent[];
  next: number;
  purchases: number;
  refunds: number;
  redemptions: number;
  adjustments: number;
  feedbacks: number;
  paidReferral: boolean;
}

const memberIdOf = (index: number): string => `m${String(index).padStart(7, "0")}`;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Busy days: the weeks before Christmas three times, Saturdays one and a half times. */
const dayWeight = (ms: number): number => {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  let w = month === 11 && day <= 24 ? 3 : month === 10 && day >= 24 ? 2 : 1;
  if (d.getUTCDay() === 6) w *= 1.5;
  return w;
};
const MAX_DAY_WEIGHT = 4.5;

/** A time in [from, to) drawn with the busy-day weights. */
const busyTime = (random: () => number, from: number, to: number): number => {
  for (;;) {
    const t = from + Math.floor(random() * (to - from));
    if (random() * MAX_DAY_WEIGHT < dayWeight(t)) return Math.floor(t / 1000) * 1000;
  }
};

/** Purchase amounts: log-normal around 30 with a long tail, cents. */
const amountOf = (random: () => number): string => {
  const value = Math.max(0.5, Math.exp(3.3 + 0.9 * normal(random)));
  return value.toFixed(2).replace(/\.?0+$/, "");
};

/** Keeps intents sorted by time; equal times keep insertion order. */
const schedule = (m: SimMember, intent: Intent): void => {
  if (intent.at >= HISTORY_END_MS) return;
  let i = m.intents.length;
  while (i > m.next && (m.intents[i - 1] as Intent).at > intent.at) i--;
  m.intents.splice(i, 0, intent);
};

/** Min-heap of members by their next intent time. */
class MemberHeap {
  private readonly items: SimMember[] = [];
  private key = (m: SimMember): number => (m.intents[m.next] as Intent).at;
  get size(): number {
    return this.items.length;
  }
  peek(): SimMember | undefined {
    return this.items[0];
  }
  push(m: SimMember): void {
    const a = this.items;
    a.push(m);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(a[p] as SimMember) <= this.key(m)) break;
      a[i] = a[p] as SimMember;
      i = p;
    }
    a[i] = m;
  }
  pop(): SimMember | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      let i = 0;
      const k = this.key(last);
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && this.key(a[r] as SimMember) < this.key(a[l] as SimMember) ? r : l;
        if (this.key(a[c] as SimMember) >= k) break;
        a[i] = a[c] as SimMember;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Monthly sweeps on the 1st at 00:00 UTC, the last one at the end of the history. */
const sweepTimes = (): number[] => {
  const times: number[] = [];
  const d = new Date(HISTORY_START_MS);
  for (;;) {
    d.setUTCMonth(d.getUTCMonth() + 1);
    if (d.getTime() > HISTORY_END_MS) return times;
    times.push(d.getTime());
  }
};
const SWEEPS = sweepTimes();

export const simulateChunk = (spec: ChunkSpec): ChunkResult => {
  const random = createRandom(subSeed(spec.seed, spec.chunkIndex));
  const byType: Record<string, number> = {};
  const commands: string[] = [];
  let commandCount = 0;
  const members: SimMember[] = spec.budgets.map((budget, i) => {
    const memberId = memberIdOf(spec.firstMember + i);
    const joinAt = Math.floor((HISTORY_START_MS + random() * JOIN_SPAN_MS) / 1000) * 1000;
    const m: SimMember = {
      memberId,
      state: new FastMember(memberId, byType),
      intents: [{ at: joinAt, kind: "join" }],
      next: 0,
      purchases: 0,
      refunds: 0,
      redemptions: 0,
      adjustments: 0,
      feedbacks: 0,
      paidReferral: false,
    };
    const purchases = Math.max(1, Math.round((budget - 2) / EVENTS_PER_PURCHASE));
    const times: number[] = [];
    for (let k = 0; k < purchases; k++) times.push(busyTime(random, joinAt + 3_600_000, HISTORY_END_MS));
    times.sort((a, b) => a - b);
    for (const at of times) m.intents.push({ at, kind: "purchase", amount: amountOf(random) });
    return m;
  });
  const joined: SimMember[] = [];
  const byId = new Map(members.map((m) => [m.memberId, m]));

  const remember = (command: object): void => {
    commandCount++;
    if (spec.recordCommands) commands.push(JSON.stringify(command));
  };

  const onIntent = (m: SimMember, intent: Intent): void => {
    const at = iso(intent.at);
    const { memberId, state } = m;
    switch (intent.kind) {
      case "join": {
        const person = random() < 0.95;
        const referrer =
          joined.length > 0 && random() < 0.1 ? joined[Math.floor(random() * joined.length)] : undefined;
        const year = randomInt(random, 1950, 2005);
        const birthDate = `${year}-${String(randomInt(random, 1, 12)).padStart(2, "0")}-${String(randomInt(random, 1, 28)).padStart(2, "0")}`;
        const command = {
          type: "join",
          memberId,
          at,
          kind: person ? "person" : "organization",
          ...(person && random() < 0.7 ? { birthDate } : {}),
          ...(referrer ? { referredBy: referrer.memberId } : {}),
        };
        remember(command);
        state.join(intent.at, command);
        joined.push(m);
        return;
      }
      case "purchase": {
        const purchaseId = `${memberId}-p${++m.purchases}`;
        const channel = random() < 0.6 ? "web" : "store";
        remember({ type: "purchase", memberId, at, purchaseId, amount: intent.amount, channel });
        state.purchase(intent.at, purchaseId, intent.amount, channel);
        if (state.referredBy !== undefined && !m.paidReferral) {
          // The referral reaction of spec 5.2, as createLedger runs it after the referee's first purchase.
          m.paidReferral = true;
          (byId.get(state.referredBy) as SimMember).state.referral(
            intent.at,
            memberId,
            `purchase:${purchaseId}`,
          );
        }
        if (random() < 0.05) {
          const full = random() < 0.4;
          const cents = Math.round(Number(intent.amount) * 100);
          const part = full ? cents : Math.max(1, Math.floor(cents * (0.1 + 0.8 * random())));
          schedule(m, {
            at: intent.at + randomInt(random, 1, 30) * DAY_MS,
            kind: "refund",
            purchaseId,
            amount: formatCents(part),
          });
        }
        if (random() < 0.08)
          schedule(m, { at: intent.at + randomInt(random, 1, 3) * DAY_MS, kind: "feedback" });
        if (random() < 0.01)
          schedule(m, {
            at: intent.at + randomInt(random, 1, 10) * DAY_MS,
            kind: "adjust",
            positive: random() < 0.8,
          });
        if (random() < 0.15)
          schedule(m, { at: intent.at + randomInt(random, 15, 60) * DAY_MS, kind: "redeem" });
        return;
      }
      case "refund": {
        const refundId = `${memberId}-r${++m.refunds}`;
        remember({
          type: "refund",
          memberId,
          at,
          purchaseId: intent.purchaseId,
          refundId,
          amount: intent.amount,
        });
        state.refund(intent.at, intent.purchaseId, refundId, intent.amount);
        return;
      }
      case "redeem": {
        // Redeem only what the balance allows (a rejected command would append nothing anyway).
        const available = state.available(intent.at);
        if (available < program.redemption.minPoints) return;
        const points = Math.max(
          program.redemption.minPoints,
          Math.floor((available * (0.5 + 0.5 * random())) / 100) * 100,
        );
        const redemptionId = `${memberId}-x${++m.redemptions}`;
        const rewardId = points >= 1000 ? "voucher-10" : "coffee";
        remember({ type: "redeem", memberId, at, redemptionId, points, rewardId });
        state.redeem(intent.at, redemptionId, points, rewardId);
        if (random() < 0.03)
          schedule(m, { at: intent.at + randomInt(random, 1, 7) * DAY_MS, kind: "reverse", redemptionId });
        return;
      }
      case "reverse":
        remember({ type: "reverse-redemption", memberId, at, redemptionId: intent.redemptionId });
        state.reverse(intent.at, intent.redemptionId);
        return;
      case "adjust": {
        const adjustmentId = `${memberId}-a${++m.adjustments}`;
        let points = randomInt(random, 50, 500);
        let reason = "goodwill";
        if (!intent.positive) {
          const available = state.available(intent.at);
          if (available < 1) return;
          points = -Math.min(available, randomInt(random, 10, 200));
          reason = "correction";
        }
        remember({ type: "adjust", memberId, at, adjustmentId, points, reason, actor: "ops@bench" });
        state.adjust(intent.at, adjustmentId, points, reason, "ops@bench");
        return;
      }
      case "feedback": {
        const u = random();
        const score =
          u < 0.45 ? randomInt(random, 9, 10) : u < 0.75 ? randomInt(random, 7, 8) : randomInt(random, 0, 6);
        const feedbackId = `${memberId}-f${++m.feedbacks}`;
        const comment = random() < 0.2 ? "ok" : undefined;
        remember({
          type: "feedback",
          memberId,
          at,
          feedbackId,
          score,
          ...(comment !== undefined ? { comment } : {}),
        });
        state.feedback(intent.at, feedbackId, score, comment);
        return;
      }
    }
  };

  const heap = new MemberHeap();
  for (const m of members) heap.push(m);
  let sweep = 0;
  for (;;) {
    const top = heap.peek();
    const sweepAt = SWEEPS[sweep];
    if (sweepAt !== undefined && (top === undefined || (top.intents[top.next] as Intent).at >= sweepAt)) {
      // One sweep command over every member of the chunk, in memberId order (spec 5.6).
      const at = iso(sweepAt);
      remember({ type: "sweep", at });
      for (const m of members) m.state.sweep(sweepAt);
      sweep++;
      continue;
    }
    if (top === undefined) break;
    heap.pop();
    const intent = top.intents[top.next++] as Intent;
    onIntent(top, intent);
    if (top.next < top.intents.length) heap.push(top);
    else top.intents.length = 0;
  }

  let ndjson = "";
  let events = 0;
  for (const m of members) {
    events += m.state.lines.length;
    if (m.state.lines.length > 0) ndjson += `${m.state.lines.join("\n")}\n`;
  }
  return {
    chunkIndex: spec.chunkIndex,
    ndjson,
    commands: commands.length > 0 ? `${commands.join("\n")}\n` : "",
    events,
    commandCount,
    byType,
  };
};
