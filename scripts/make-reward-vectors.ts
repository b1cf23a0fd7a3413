/**
 * Writes our own reward vectors (club-v1 §2, §9): fixtures/club-vectors/rewards-gregorian
 * and rewards-jalali. The scenario is written here once; the expected files are
 * what this implementation produces (a regression suite, not an independent check).
 *
 *   node --import tsx scripts/make-reward-vectors.ts
 *
 * Re-run it only when a change of output is intended, and review the diff.
 * The test that re-runs the vectors is packages/core/src/draws/draw-vectors.int.test.ts
 * (events, rejections, summary) and packages/projections/src/coupons-vectors.unit.test.ts
 * (the coupons projection).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { couponCode, toEnvelope } from "../packages/core/src/index.js";
import { runVector, VECTOR_COUPON_SECRET } from "../packages/core/src/testing/vector-runner.js";
import { CouponsProjection } from "../packages/projections/src/coupons.js";

const root = join(import.meta.dirname, "../fixtures/club-vectors");
const DAY_MS = 86_400_000;

interface Variant {
  name: string;
  /** The scenario's day 0 (UTC midnight). */
  base: string;
  /** Money: the Gregorian amount in pounds, as this program writes it. */
  money: (pounds: number) => string;
  program: (at: (day: number, time?: string) => string) => Record<string, unknown>;
}

const rewards = (at: (day: number, time?: string) => string) => [
  { id: "mug", cost: 100, stock: 2, coupon: { validDays: 30 } },
  { id: "cap", cost: 150, perMember: 1 },
  { id: "spring-tote", cost: 120, from: at(57), to: at(88) },
  { id: "early", cost: 100, to: at(29) },
  { id: "late", cost: 100, from: at(118) },
  { id: "nobody", cost: 100, tiers: [] },
  { id: "silver-lunch", cost: 200, tiers: ["silver"], coupon: { validDays: 1 } },
  { id: "sticker", cost: 10 },
  { id: "lamp", cost: 300, stock: 1 },
  { id: "torch", cost: 100, stock: 1 },
];

const variants: Variant[] = [
  {
    name: "rewards-gregorian",
    base: "2011-01-03T00:00:00Z",
    money: (pounds) => String(pounds),
    program: (at) => ({
      programId: "rewards-gbp",
      version: 1,
      currency: "GBP",
      calendar: "gregorian",
      earn: {
        pointsPerUnit: "1",
        rounding: "floor",
        pendingDays: 0,
        signupBonus: 50,
        birthdayBonus: 0,
        referralBonus: 0,
      },
      expiry: { policy: "rolling", days: 365 },
      tiers: {
        metric: "spend",
        windowDays: 365,
        retentionDays: 30,
        levels: [
          { id: "bronze", threshold: "0", multiplier: "1" },
          { id: "silver", threshold: "1000", multiplier: "1" },
        ],
      },
      redemption: { minPoints: 100, pointValue: "0.01" },
      rfm: { windowDays: 365 },
      rewards: rewards(at),
    }),
  },
  {
    // Day 0 is 6 Ordibehesht 1390, so the windows fall on Jalali month starts:
    // day 29 = 1 Khordad, 57 = 1 Tir, 88 = 1 Mordad, 118 = 1 Shahrivar 1390.
    name: "rewards-jalali",
    base: "2011-04-26T00:00:00Z",
    money: (pounds) => String(pounds * 10_000),
    program: (at) => ({
      programId: "rewards-irr",
      version: 1,
      currency: "IRR",
      calendar: "jalali",
      earn: {
        pointsPerUnit: "0.0001",
        rounding: "half-up",
        pendingDays: 0,
        signupBonus: 50,
        birthdayBonus: 0,
        referralBonus: 0,
      },
      expiry: { policy: "calendar", years: 1 },
      tiers: {
        metric: "spend",
        windowDays: 365,
        retentionDays: 30,
        levels: [
          { id: "bronze", threshold: "0", multiplier: "1" },
          { id: "silver", threshold: "10000000", multiplier: "1" },
        ],
      },
      redemption: { minPoints: 100, pointValue: "0.01" },
      rfm: { windowDays: 365 },
      rewards: rewards(at),
    }),
  },
];

/** The scenario: commands, the lines that crash between claim and redemption, and the as-of time of the coupons. */
const scenario = (v: Variant) => {
  const baseMs = Date.parse(v.base);
  const at = (day: number, time = "00:00:00.000"): string => {
    const [h = "0", m = "0", rest = "0"] = time.split(":");
    const [sec = "0", ms = "0"] = rest.split(".");
    const t = baseMs + day * DAY_MS + ((Number(h) * 60 + Number(m)) * 60 + Number(sec)) * 1000 + Number(ms);
    const iso = new Date(t).toISOString();
    return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
  };
  const code = (memberId: string, redemptionId: string) =>
    couponCode(VECTOR_COUPON_SECRET, memberId, redemptionId);
  const redeem = (memberId: string, day: number, time: string, redemptionId: string, rewardId: string, extra = {}) => ({
    type: "redeem",
    memberId,
    at: at(day, time),
    redemptionId,
    rewardId,
    ...extra,
  });
  const reverse = (memberId: string, day: number, time: string, redemptionId: string) => ({
    type: "reverse-redemption",
    memberId,
    at: at(day, time),
    redemptionId,
  });
  const use = (memberId: string, day: number, time: string, couponId: string, c: string, extra = {}) => ({
    type: "use-coupon",
    memberId,
    at: at(day, time),
    couponId,
    code: c,
    ...extra,
  });
  const join = (memberId: string, time: string) => ({
    type: "join",
    memberId,
    at: at(0, time),
    kind: "person",
  });
  const buy = (memberId: string, time: string, purchaseId: string, pounds: number) => ({
    type: "purchase",
    memberId,
    at: at(1, time),
    purchaseId,
    amount: v.money(pounds),
  });
  const commands: [string, Record<string, unknown>][] = [
    ["members", join("ali", "09:00")],
    ["", join("sara", "09:10")],
    ["", join("reza", "09:20")],
    ["", join("nina", "09:30")],
    ["ali and reza reach silver (spend >= 1000)", buy("ali", "10:00", "pa1", 2000)],
    ["", buy("sara", "11:00", "ps1", 900)],
    ["", buy("reza", "12:00", "pr1", 1200)],
    ["", buy("nina", "13:00", "pn1", 90)],
    ["stock 2 of mug: two claims", redeem("ali", 7, "10:00", "ra1", "mug")],
    ["points given (= cost)", redeem("sara", 7, "11:00", "rs1", "mug", { points: 100 })],
    ["OUT_OF_STOCK", redeem("reza", 7, "12:00", "rr1", "mug")],
    ["§9 the same redeem without points: IDEMPOTENCY_CONFLICT", redeem("sara", 7, "11:00", "rs1", "mug")],
    ["the same form again: a replay", redeem("sara", 7, "11:00", "rs1", "mug", { points: 100 })],
    ["points other than cost: VALIDATION", redeem("reza", 7, "12:00", "rr1", "mug", { points: 99 })],
    ["a reversal voids the coupon and releases stock", reverse("sara", 8, "10:00", "rs1")],
    ["stock came back", redeem("reza", 8, "11:00", "rr1", "mug")],
    ["COUPON_VOID", use("sara", 9, "10:00", "rs1", code("sara", "rs1"))],
    ["a coupon used", use("ali", 9, "11:00", "ra1", code("ali", "ra1"), { orderId: "till-1" })],
    ["its reversal refused: COUPON_USED", reverse("ali", 10, "10:00", "ra1")],
    ["the same use again: a replay", use("ali", 9, "11:00", "ra1", code("ali", "ra1"), { orderId: "till-1" })],
    ["another use: COUPON_USED", use("ali", 10, "11:00", "ra1", code("ali", "ra1"), { orderId: "till-2" })],
    ["lower case: COUPON_CODE_MISMATCH", use("reza", 11, "10:00", "rr1", code("reza", "rr1").toLowerCase())],
    ["no such coupon: UNKNOWN_COUPON", use("reza", 11, "11:00", "rx9", code("reza", "rr1"))],
    ["validDays 1", redeem("ali", 11, "10:00", "ra2", "silver-lunch")],
    ["1 ms before validUntil: used", use("ali", 12, "09:59:59.999", "ra2", code("ali", "ra2"))],
    ["validUntil = at + 30 days: exactly then, COUPON_EXPIRED", use("reza", 38, "11:00", "rr1", code("reza", "rr1"))],
    ["bronze: TIER_NOT_ELIGIBLE", redeem("sara", 12, "11:00", "rs2", "silver-lunch")],
    ["tiers [] admits nobody", redeem("ali", 12, "12:00", "ra3", "nobody")],
    ["perMember 1", redeem("reza", 39, "10:00", "rr2", "cap")],
    ["REWARD_LIMIT", redeem("reza", 39, "11:00", "rr3", "cap")],
    ["a reversed one does not count", reverse("reza", 40, "10:00", "rr2")],
    ["", redeem("reza", 40, "11:00", "rr3", "cap")],
    ["to alone: at = to is REWARD_NOT_AVAILABLE", redeem("sara", 29, "00:00", "rs3", "early")],
    ["1 ms before from: REWARD_NOT_AVAILABLE", redeem("sara", 56, "23:59:59.999", "rs3", "spring-tote")],
    ["at = from: accepted", redeem("sara", 57, "00:00", "rs3", "spring-tote")],
    ["1 ms before to: accepted", redeem("nina", 87, "23:59:59.999", "rn1", "spring-tote")],
    ["at = to: REWARD_NOT_AVAILABLE", redeem("nina", 88, "00:00", "rn2", "spring-tote")],
    ["from alone: 1 ms before it", redeem("nina", 117, "23:59:59.999", "rn2", "late")],
    ["BELOW_MIN_REDEMPTION", redeem("nina", 118, "10:00", "rn3", "sticker")],
    ["INSUFFICIENT_POINTS", redeem("nina", 118, "11:00", "rn4", "lamp")],
    ["UNKNOWN_REWARD", redeem("nina", 118, "12:00", "rn5", "hat")],
    [
      "a plain L1 redeem beside the catalogue",
      { type: "redeem", memberId: "sara", at: at(118, "13:00"), redemptionId: "rs4", points: 100 },
    ],
    ["CRASH after the claim (claim-first store)", redeem("ali", 119, "10:00", "ra4", "lamp")],
    ["the same command again completes", redeem("ali", 119, "10:00", "ra4", "lamp")],
    ["CRASH after the claim: an orphan", redeem("ali", 120, "10:00", "ra5", "torch")],
    ["exactly one day later: not released yet", { type: "sweep", at: at(121, "10:00") }],
    ["the orphan still holds the stock", redeem("reza", 121, "11:00", "rr4", "torch")],
    ["more than a day: released (orphaned)", { type: "sweep", at: at(121, "10:00:00.001") }],
    ["the stock is back", redeem("reza", 121, "12:00", "rr5", "torch")],
    ["the released command cannot complete", redeem("ali", 122, "10:00", "ra5", "torch")],
  ];
  const crashes = commands.flatMap(([note], i) => (note.startsWith("CRASH") ? [i + 1] : []));
  return { commands: commands.map(([, c]) => c), notes: commands.map(([n]) => n), crashes, asOf: at(125) };
};

for (const v of variants) {
  const dir = join(root, v.name);
  mkdirSync(dir, { recursive: true });
  const s = scenario(v);
  const at = (day: number) => new Date(Date.parse(v.base) + day * DAY_MS).toISOString().replace(".000Z", "Z");
  writeFileSync(join(dir, "program.json"), `${JSON.stringify(v.program(at), null, 2)}\n`);
  writeFileSync(join(dir, "commands.ndjson"), s.commands.map((c) => `${JSON.stringify(c)}\n`).join(""));
  writeFileSync(join(dir, "crashes.json"), `${JSON.stringify({ lines: s.crashes })}\n`);
  const r = await runVector(`../club-vectors/${v.name}`);
  writeFileSync(
    join(dir, "expected-summary.json"),
    `${JSON.stringify({ accepted: r.accepted, rejected: r.rejected, crashed: r.crashed, events: r.events }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, "expected-rejects.ndjson"),
    r.rejects.map((x) => `${JSON.stringify({ line: x.line, code: x.code, message: x.message })}\n`).join(""),
  );
  // recordedAt is the store's; written as occurredAt (as the draw vectors do).
  const events = r.exported.map((e) => ({ ...toEnvelope(e), recordedAt: e.occurredAt }));
  writeFileSync(join(dir, "expected-events.ndjson"), events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  const coupons = new CouponsProjection();
  for (const [i, e] of r.exported.entries()) coupons.apply({ ...e, position: BigInt(i + 1) });
  const asOf = new Date(Date.parse(s.asOf)).toISOString();
  writeFileSync(
    join(dir, "expected-coupons.json"),
    `${JSON.stringify({ asOf, coupons: coupons.asOf(asOf) }, null, 2)}\n`,
  );
  const lines = s.notes.map((n, i) => {
    const reject = r.rejects.find((x) => x.line === i + 1);
    return `${i + 1}: ${reject ? reject.code : s.crashes.includes(i + 1) ? "crashed" : "accepted"}${n ? ` (${n})` : ""}`;
  });
  console.log(`${v.name}: ${JSON.stringify({ accepted: r.accepted, rejected: r.rejected, crashed: r.crashed, events: r.events })}`);
  console.log(lines.join("\n"));
}
