import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  availablePoints,
  couponCode,
  foldMemberEvents,
  isSealedValue,
  type MemberState,
  PERSONAL_FIELDS,
  type StoredEvent,
  sha256Hex,
} from "../index.js";
import { club, program, TEST_COUPON_SECRET } from "../testing/harness.js";
import { openStream } from "./personal-data.js";

// Model-based test (fc.commands) of spec 5: random members, purchases, refunds,
// redemptions, reversals, adjustments, draw entries and draws (club spec §3)
// and time jumps, with the ledger's invariants asserted after every step.
// club-v1 §4-6: the program encrypts personal data; joins with a profile,
// update-profile, add-note, message-sent and forget are among the commands.

const base = program({
  earn: {
    pendingDays: 3,
    signupBonus: 10,
    birthdayBonus: 7,
    referralBonus: 5,
    rounding: "half-up",
    pointsPerUnit: "1.5",
  },
  expiry: { policy: "rolling", days: 20 },
  tiers: {
    windowDays: 30,
    retentionDays: 10,
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "100", multiplier: "1.25" },
    ],
  },
  redemption: { minPoints: 2 },
});
// club-v1 §2: a stocked reward with coupons and an unlimited one, for the reward commands.
base.rewards = [
  { id: "lamp", cost: 20, stock: 2, coupon: { validDays: 30 } },
  { id: "pen", cost: 5, perMember: 2 },
];
const STOCK = 2;
/** Accepted reward commands over all runs: the generator must reach the new paths. */
const reached = { rewardRedeems: 0, couponUses: 0, profileCommands: 0, forgets: 0 };

const MEMBERS = ["m1", "m2", "m3"];
const HOUR = 3_600_000;
const START = Date.UTC(2011, 0, 1);
const DRAW_SEED = "model-seed";
const prog = {
  ...base,
  draws: [
    {
      id: "d",
      entryFrom: new Date(START).toISOString(),
      entryTo: new Date(START + 90 * 24 * HOUR).toISOString(),
      ticketCost: 3,
      spendPerTicket: "50",
      maxTickets: 6,
      winners: 2,
      prizePoints: [40, 0],
      seedHash: sha256Hex(DRAW_SEED),
    },
  ],
  privacy: { encryptPersonalData: true },
};

interface Model {
  now: number;
  seq: number;
  joined: Set<string>;
  purchases: { memberId: string; purchaseId: string }[];
  redemptions: { memberId: string; redemptionId: string }[];
  accepted: Record<string, unknown>[];
  forgotten: Set<string>;
}
type Real = ReturnType<typeof club>;

const iso = (ms: number) => new Date(ms).toISOString();

const sum = (events: StoredEvent[], type: string) =>
  events.filter((e) => e.type === type).reduce((s, e) => s + (e.data as { points: number }).points, 0);

/** The state without the redeem form the decider notes beside the events (club-v1 §9). */
const withoutPointsForm = (s: MemberState): MemberState => ({
  ...s,
  redemptions: new Map([...s.redemptions].map(([id, { pointsGiven: _form, ...r }]) => [id, r] as const)),
});

const checkInvariants = async (real: Real, model: Model) => {
  for (const memberId of model.joined) {
    const raw = await real.stream(memberId);
    // club-v1 §6: every personal value is stored sealed; after forget the key is gone.
    for (const e of raw)
      for (const f of PERSONAL_FIELDS) {
        const value = (e.data as Record<string, unknown>)[f];
        if (value !== undefined) expect(isSealedValue(value), `${e.type}.${f}`).toBe(true);
      }
    if (model.forgotten.has(memberId)) expect(await real.keyStore.get(memberId)).toBeUndefined();
    // The state a fresh load gives: sealed values opened with the member's key, if any is left.
    const events = await openStream(`member-${memberId}`, raw, real.keyStore);
    const replayed = foldMemberEvents(`member-${memberId}`, "bronze", events);
    for (const lot of replayed.lots) expect(lot.remaining).toBeGreaterThanOrEqual(0);
    expect(replayed.debt).toBeGreaterThanOrEqual(0);
    if (replayed.debt > 0) expect(replayed.lots.every((l) => l.remaining === 0)).toBe(true);
    const remaining = replayed.lots.reduce((s, l) => s + l.remaining, 0);
    const flow =
      sum(events, "PointsEarned") -
      sum(events, "PointsRedeemed") +
      sum(events, "RedemptionReversed") -
      sum(events, "PointsExpired") -
      sum(events, "PointsClawedBack") -
      sum(events, "PointsDebited") -
      sum(events, "DrawEntered");
    expect(remaining - replayed.debt).toBe(flow);
    // A winner's events come once (club spec §3).
    expect(events.filter((e) => e.type === "DrawWon").length).toBeLessThanOrEqual(1);
    expect(availablePoints(replayed, model.now)).toBeGreaterThanOrEqual(0);
    // A replay of the stored events gives the state the ledger decides on.
    // Only `pointsGiven` differs: the decider notes it, the events cannot (club-v1 §9).
    const live: MemberState = withoutPointsForm(await real.ledger.loadMember(memberId));
    expect(replayed).toEqual(live);
  }
  // club-v1 §2: claims minus releases never exceed stock, in revision order.
  let held = 0;
  for (const e of await real.store.readStream("reward-lamp")) {
    held += e.type === "RewardClaimed" ? 1 : -1;
    expect(held).toBeGreaterThanOrEqual(0);
    expect(held).toBeLessThanOrEqual(STOCK);
  }
};

const streamLengths = (real: Real) =>
  Promise.all(
    [...MEMBERS.map((m) => `member-${m}`), "reward-lamp"].map((s) =>
      real.store.readStream(s).then((e) => e.length),
    ),
  );

type Cmd = fc.AsyncCommand<Model, Real>;

const execute = async (model: Model, real: Real, command: Record<string, unknown>) => {
  const before = await streamLengths(real);
  const outcome = await real.run(command);
  if (outcome.status === "accepted") {
    if (command.type !== "sweep") model.accepted.push(command);
  } else {
    // A rejected command appends nothing at all (spec 5), in no stream (club-v1 §2).
    expect(await streamLengths(real)).toEqual(before);
  }
  await checkInvariants(real, model);
  return outcome;
};

const simple = (
  name: string,
  build: (m: Model) => Record<string, unknown>,
  after?: (m: Model, c: Record<string, unknown>) => void,
): Cmd => ({
  check: () => true,
  run: async (m, r) => {
    const c = build(m);
    const outcome = await execute(m, r, c);
    if (outcome.status === "accepted") after?.(m, c);
  },
  toString: () => name,
});

const memberArb = fc.constantFrom(...MEMBERS);
const amountArb = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((c) => (c / 100).toFixed(2)),
  fc.integer({ min: 1, max: 300 }).map(String),
);

const enterDrawArb = fc.tuple(memberArb, fc.integer({ min: 1, max: 4 })).map(([id, tickets]) =>
  simple(`enter-draw ${id} ${tickets}`, (m) => ({
    type: "enter-draw",
    memberId: id,
    at: iso(m.now),
    drawId: "d",
    entryId: `e${++m.seq}`,
    tickets,
  })),
);
const drawArb = fc.constant(
  simple("draw", (m) => ({ type: "draw", at: iso(m.now), drawId: "d", seed: DRAW_SEED })),
);
// Entries and draws appear several times in the list: fc.commands picks uniformly among its arbitraries.
const commandsArb = fc.commands(
  [
    fc
      .tuple(
        memberArb,
        fc.option(memberArb, { nil: undefined }),
        fc.option(
          fc.date({ min: new Date("1980-01-01"), max: new Date("2000-12-31"), noInvalidDate: true }),
          { nil: undefined },
        ),
        fc.boolean(),
      )
      .map(([id, ref, birth, profile]) =>
        simple(
          `join ${id}`,
          (m) => ({
            type: "join",
            memberId: id,
            at: iso(m.now),
            kind: "person",
            ...(ref !== undefined ? { referredBy: ref } : {}),
            ...(birth !== undefined ? { birthDate: birth.toISOString().slice(0, 10) } : {}),
            ...(profile
              ? {
                  name: `Name ${id}`,
                  contact: { email: `${id}@example.org` },
                  consent: { email: true },
                  lang: "fa",
                }
              : {}),
          }),
          (m) => m.joined.add(id),
        ),
      ),
    fc.tuple(memberArb, amountArb).map(([id, amount]) =>
      simple(
        `purchase ${id} ${amount}`,
        (m) => ({ type: "purchase", memberId: id, at: iso(m.now), purchaseId: `p${++m.seq}`, amount }),
        (m, c) => m.purchases.push({ memberId: id, purchaseId: c.purchaseId as string }),
      ),
    ),
    fc.tuple(fc.nat(), amountArb).map(([i, amount]) =>
      simple(`refund #${i} ${amount}`, (m) => {
        const p = m.purchases[i % Math.max(1, m.purchases.length)] ?? { memberId: "m1", purchaseId: "none" };
        return {
          type: "refund",
          memberId: p.memberId,
          at: iso(m.now),
          purchaseId: p.purchaseId,
          refundId: `c${++m.seq}`,
          amount,
        };
      }),
    ),
    fc.tuple(memberArb, fc.integer({ min: 1, max: 400 })).map(([id, points]) =>
      simple(
        `redeem ${id} ${points}`,
        (m) => ({ type: "redeem", memberId: id, at: iso(m.now), redemptionId: `r${++m.seq}`, points }),
        (m, c) => m.redemptions.push({ memberId: id, redemptionId: c.redemptionId as string }),
      ),
    ),
    fc.tuple(memberArb, fc.constantFrom("lamp", "pen", "none")).map(([id, rewardId]) =>
      simple(
        `redeem ${id} reward ${rewardId}`,
        (m) => ({ type: "redeem", memberId: id, at: iso(m.now), redemptionId: `r${++m.seq}`, rewardId }),
        (m, c) => {
          reached.rewardRedeems++;
          m.redemptions.push({ memberId: id, redemptionId: c.redemptionId as string });
        },
      ),
    ),
    memberArb.map(
      (id): Cmd => ({
        check: () => true,
        run: async (m, r) => {
          const redemptionId = `r${++m.seq}`;
          const redeemed = await execute(m, r, {
            type: "redeem",
            memberId: id,
            at: iso(m.now),
            redemptionId,
            rewardId: "lamp",
          });
          if (redeemed.status !== "accepted") return;
          reached.rewardRedeems++;
          m.redemptions.push({ memberId: id, redemptionId });
          const code = couponCode(TEST_COUPON_SECRET, id, redemptionId);
          const used = await execute(m, r, {
            type: "use-coupon",
            memberId: id,
            at: iso(m.now),
            couponId: redemptionId,
            code,
          });
          expect(used.status).toBe("accepted");
          reached.couponUses++;
        },
        toString: () => `redeem lamp and use its coupon ${id}`,
      }),
    ),
    fc.tuple(fc.nat({ max: 2 }), fc.boolean()).map(([i, rightCode]) =>
      simple(
        `use coupon #${i} ${rightCode ? "" : "wrong code"}`,
        (m) => {
          const r = m.redemptions[m.redemptions.length - 1 - (i % Math.max(1, m.redemptions.length))] ?? {
            memberId: "m1",
            redemptionId: "none",
          };
          const code = couponCode(TEST_COUPON_SECRET, r.memberId, r.redemptionId);
          return {
            type: "use-coupon",
            memberId: r.memberId,
            at: iso(m.now),
            couponId: r.redemptionId,
            code: rightCode ? code : code.toLowerCase(),
            orderId: `o${++m.seq}`,
          };
        },
        () => reached.couponUses++,
      ),
    ),
    fc.nat().map((i) =>
      simple(`reverse #${i}`, (m) => {
        const r = m.redemptions[i % Math.max(1, m.redemptions.length)] ?? {
          memberId: "m1",
          redemptionId: "none",
        };
        return {
          type: "reverse-redemption",
          memberId: r.memberId,
          at: iso(m.now),
          redemptionId: r.redemptionId,
        };
      }),
    ),
    fc
      .tuple(
        memberArb,
        fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0),
      )
      .map(([id, points]) =>
        simple(`adjust ${id} ${points}`, (m) => ({
          type: "adjust",
          memberId: id,
          at: iso(m.now),
          adjustmentId: `a${++m.seq}`,
          points,
          reason: "model",
          actor: "ops@model",
        })),
      ),
    fc.integer({ min: 1, max: 24 * 40 }).map(
      (hours): Cmd => ({
        check: () => true,
        run: async (m) => {
          m.now += hours * HOUR;
        },
        toString: () => `+${hours}h`,
      }),
    ),
    fc.constant(simple("sweep", (m) => ({ type: "sweep", at: iso(m.now) }))),
    // club-v1 §4-6.
    fc
      .tuple(
        memberArb,
        fc.record(
          {
            name: fc.constantFrom("Sara", "Reza R", "نیما"),
            contact: fc.record(
              {
                email: fc.constantFrom(null, "x@example.org"),
                phone: fc.constantFrom(null, "+989120000009"),
              },
              { requiredKeys: [] },
            ),
            consent: fc.record({ sms: fc.boolean(), email: fc.boolean() }, { requiredKeys: [] }),
            lang: fc.constantFrom("fa", "en"),
            birthDate: fc.constantFrom("1990-01-15", "1985-02-28"),
            attributes: fc.dictionary(fc.constantFrom("vip", "city"), fc.constantFrom(null, "yes", 3)),
          },
          { requiredKeys: [] },
        ),
      )
      .map(([id, patch]) =>
        simple(
          `update-profile ${id} ${JSON.stringify(patch)}`,
          (m) => ({
            type: "update-profile",
            memberId: id,
            at: iso(m.now),
            updateId: `u${++m.seq}`,
            ...patch,
          }),
          () => reached.profileCommands++,
        ),
      ),
    memberArb.map((id) =>
      simple(
        `add-note ${id}`,
        (m) => ({
          type: "add-note",
          memberId: id,
          at: iso(m.now),
          noteId: `n${++m.seq}`,
          text: "note",
          actor: "ops",
        }),
        () => reached.profileCommands++,
      ),
    ),
    memberArb.map((id) =>
      simple(`message-sent ${id}`, (m) => ({
        type: "message-sent",
        memberId: id,
        at: iso(m.now),
        messageKey: `welcome|${id}|${++m.seq}`,
        channel: "sms",
      })),
    ),
    memberArb.map((id) =>
      simple(
        `forget ${id}`,
        (m) => ({ type: "forget", memberId: id, at: iso(m.now), requestId: `g${++m.seq}`, actor: "dpo" }),
        (m) => {
          reached.forgets++;
          m.forgotten.add(id);
        },
      ),
    ),
    ...[1, 2, 3].map(() => enterDrawArb),
    drawArb,
    drawArb,
    fc.constant<Cmd>({
      check: () => true,
      run: async (m, r) => {
        const last = m.accepted.at(-1);
        if (!last) return;
        const streams = await streamLengths(r);
        const outcome = await r.run(last);
        // Repeating an accepted command changes nothing (spec 5.9).
        expect(outcome).toMatchObject({ status: "accepted", replay: true, events: [] });
        expect(await streamLengths(r)).toEqual(streams);
      },
      toString: () => "repeat last accepted",
    }),
    fc.tuple(memberArb, fc.integer({ min: 1, max: 200 })).map(([id, hoursBack]) =>
      simple(`late purchase ${id} -${hoursBack}h`, (m) => ({
        type: "purchase",
        memberId: id,
        at: iso(m.now - hoursBack * HOUR),
        purchaseId: `late${++m.seq}`,
        amount: "5",
      })),
    ),
  ],
  { maxCommands: 40 },
);

const runModel = async (cmds: Iterable<Cmd>, joinedFirst: boolean) => {
  const model: Model = {
    now: START,
    seq: 0,
    joined: new Set(),
    purchases: [],
    redemptions: [],
    accepted: [],
    forgotten: new Set(),
  };
  const real = club(prog);
  try {
    if (joinedFirst)
      for (const memberId of MEMBERS) {
        await real.ok(
          { type: "join", memberId, at: iso(START), kind: "person" },
          {
            type: "adjust",
            memberId,
            at: iso(START),
            adjustmentId: `start-${memberId}`,
            points: 200,
            reason: "model",
            actor: "ops@model",
          },
        );
        model.joined.add(memberId);
      }
    await fc.asyncModelRun(() => ({ model, real }), cmds);
  } finally {
    await real.store.close();
  }
};

describe("5 model-based: invariants after every step", () => {
  it("no negative lot; sum(remaining) - debt equals the flows; replay equals live state; repeats are no-ops", async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb, (cmds) => runModel(cmds, false)),
      { numRuns: 60 },
    );
  });
  it("club-v1 §2, §4-6: with members joined first, reward redeems, coupon uses, reversals, profiles and forget keep the invariants and stock", async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb, (cmds) => runModel(cmds, true)),
      { numRuns: 60 },
    );
    expect(reached.rewardRedeems).toBeGreaterThan(0);
    expect(reached.couponUses).toBeGreaterThan(0);
    expect(reached.profileCommands).toBeGreaterThan(0);
    expect(reached.forgets).toBeGreaterThan(0);
  });
});
