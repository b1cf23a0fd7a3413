import { createReadStream } from "node:fs";
import type { Program, StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { readLines } from "../lines.js";
import { foreignTags, section, visibleText } from "../testing/report-html.js";
import { vectorReportData } from "../testing/vector-report-data.js";
import { ClubCollector } from "./club-data.js";
import { buildReportData, projectEvents } from "./data.js";
import { renderReport, SECTION_IDS } from "./render.js";
import type { ReportClub } from "./types.js";

// The report's rewards & draws section (club-v1 §2, §3; issue 12): only when the
// program has rewards or draws, in English and Persian.

async function* exportEvents(path: string): AsyncGenerator<StoredEvent> {
  let position = 0n;
  for await (const { text } of readLines(createReadStream(path))) {
    position += 1n;
    yield { ...(JSON.parse(text) as StoredEvent), position };
  }
}

/** Visible text with runs of white space as one space. */
const flat = (html: string): string => visibleText(html).replace(/\s+/g, " ");

const CLEAN = { ok: true, streams: 0, events: 0, findings: [] };

let position = 0n;
const ev = (streamId: string, type: string, occurredAt: string, data: Record<string, unknown>) =>
  ({ streamId, type, occurredAt, data, position: ++position }) as unknown as StoredEvent;

const program = {
  rewards: [
    { id: "mug", cost: 500, stock: 2, coupon: { validDays: 30 } },
    { id: "pen", cost: 50 },
  ],
  draws: [],
} as unknown as Program;

describe("club §2 report data: rewards, stock and coupons as of T", () => {
  const collector = new ClubCollector();
  for (const e of [
    ev("reward-mug", "RewardClaimed", "2011-01-01T10:00:00.000Z", { rewardId: "mug" }),
    ev("member-a", "PointsRedeemed", "2011-01-01T10:00:00.000Z", { redemptionId: "r1", rewardId: "mug" }),
    ev("member-a", "CouponIssued", "2011-01-01T10:00:00.000Z", {
      couponId: "r1",
      rewardId: "mug",
      code: "A",
      validUntil: "2011-01-31T10:00:00.000Z",
    }),
    ev("reward-mug", "RewardClaimed", "2011-01-02T10:00:00.000Z", { rewardId: "mug" }),
    ev("member-b", "PointsRedeemed", "2011-01-02T10:00:00.000Z", { redemptionId: "r2", rewardId: "mug" }),
    ev("member-b", "CouponIssued", "2011-01-02T10:00:00.000Z", {
      couponId: "r2",
      rewardId: "mug",
      code: "B",
      validUntil: "2011-02-01T10:00:00.000Z",
    }),
    ev("member-a", "CouponUsed", "2011-01-03T10:00:00.000Z", { couponId: "r1" }),
    ev("member-b", "RedemptionReversed", "2011-01-04T10:00:00.000Z", { redemptionId: "r2" }),
    ev("member-b", "CouponVoided", "2011-01-04T10:00:00.000Z", { couponId: "r2" }),
    ev("reward-mug", "RewardReleased", "2011-01-04T10:00:00.000Z", { rewardId: "mug" }),
    ev("member-b", "PointsRedeemed", "2011-01-05T10:00:00.000Z", { redemptionId: "p1", rewardId: "pen" }),
    ev("member-b", "PointsRedeemed", "2011-01-05T10:00:00.000Z", { redemptionId: "x1", points: 7 }),
  ])
    collector.apply(e);

  it("a program without rewards or draws has no section data", () => {
    expect(collector.build(undefined, "2011-02-01T00:00:00.000Z")).toBeUndefined();
    expect(
      collector.build({ rewards: [], draws: [] } as unknown as Program, "2011-02-01T00:00:00.000Z"),
    ).toBe(undefined);
  });

  it("counts redemptions, claims held and stock left, coupons by state, as of T", () => {
    const before = collector.build(program, "2011-01-03T12:00:00.000Z") as ReportClub;
    expect(before.rewards[0]).toEqual({
      id: "mug",
      cost: 500,
      redeemed: 2,
      reversed: 0,
      stock: 2,
      claimed: 2,
      stockLeft: 0,
      coupons: { issued: 2, open: 1, used: 1, void: 0, expired: 0 },
    });
    const after = collector.build(program, "2011-02-01T10:00:00.000Z") as ReportClub;
    expect(after.rewards).toEqual([
      {
        id: "mug",
        cost: 500,
        redeemed: 1,
        reversed: 1,
        stock: 2,
        claimed: 1,
        stockLeft: 1,
        coupons: { issued: 2, open: 0, used: 1, void: 1, expired: 0 },
      },
      {
        id: "pen",
        cost: 50,
        redeemed: 1,
        reversed: 0,
        stock: null,
        claimed: null,
        stockLeft: null,
        coupons: null,
      },
    ]);
  });
});

describe("club §3 report data and section from the draw vectors", async () => {
  const path = "fixtures/club-vectors/draws-gregorian/expected-events.ndjson";
  const asOf = "2011-04-01T00:00:00.000Z";
  const data = (lang: "en" | "fa") =>
    buildReportData({
      projected: projected,
      audit: CLEAN,
      asOf,
      lang,
      generatedAt: "2026-01-01T00:00:00.000Z",
    });
  const projected = await projectEvents(exportEvents(path));

  it("draws held with entrants, tickets and winners; a draw not held yet", () => {
    const club = data("en").club as ReportClub;
    expect(club.rewards).toEqual([]);
    expect(club.draws.map((d) => [d.id, d.entries, d.heldAt, d.entrants, d.tickets])).toEqual([
      ["spring", 3, "2011-03-01T00:00:00.000Z", 4, 12],
      ["silver-night", 1, "2011-03-02T00:00:00.000Z", 1, 2],
      ["by-spend", 0, "2011-03-02T00:00:00.000Z", 2, 3],
      ["dear", 0, null, null, null],
    ]);
    expect(club.draws[0]?.winners).toEqual([
      { rank: 1, memberId: "nina", tickets: 5, prizePoints: 300 },
      { rank: 2, memberId: "sara", tickets: 2, prizePoints: 100 },
    ]);
  });

  it("English: section 7 before the audit (now 8), listed in the contents", () => {
    const html = renderReport(data("en"), { lang: "en" });
    const s = section(html, "rewards");
    expect(visibleText(s)).toMatch(/7\s+Rewards and draws/);
    expect(flat(s)).toContain("1. nina (5 tickets, 300 prize points)");
    expect(flat(s)).toContain("1. sara (1 ticket, 50 prize points)");
    expect(flat(s)).toContain("not drawn yet");
    expect(flat(s)).toContain("As of: 2011-04-01 00:00 UTC (events up to and including this time)");
    expect(visibleText(section(html, "audit"))).toMatch(/^\s*8\s+Audit/);
    expect(html).toMatch(
      /<a href="#concentration">[^<]*<\/a><\/li><li><a href="#rewards">Rewards and draws<\/a><\/li><li><a href="#audit">/,
    );
    expect(foreignTags(html)).toEqual([]);
  });

  it("Persian: labels and Persian digits, member ids kept as typed", () => {
    const html = renderReport(data("fa"), { lang: "fa" });
    const text = flat(section(html, "rewards"));
    expect(text).toContain("جوایز و قرعه‌کشی‌ها");
    expect(text).toContain("۱. nina (۵ بلیت، ۳۰۰ امتیاز جایزه)");
    expect(text).toContain("هنوز برگزار نشده");
    expect(text).not.toMatch(/[0-9]/); // every number in Persian digits
    expect(visibleText(section(html, "audit"))).toMatch(/^\s*۸/);
  });
});

describe("club report section: nothing changes without rewards or draws", () => {
  it("the L1 vectors have no section, the audit stays 7, and an empty club is the same bytes", () => {
    for (const lang of ["en", "fa"] as const) {
      const plain = vectorReportData("gregorian");
      const html = renderReport(plain, { lang });
      expect(html).not.toContain('id="rewards"');
      expect(html).not.toContain('href="#rewards"');
      expect(renderReport({ ...plain, club: { rewards: [], draws: [] } }, { lang })).toBe(html);
      for (const id of SECTION_IDS) expect(html).toContain(`<section id="${id}"`);
    }
  });

  it("a catalogue renders its rewards and coupons tables with a total row", () => {
    const club: ReportClub = {
      rewards: [
        {
          id: "mug",
          cost: 1500,
          redeemed: 3,
          reversed: 1,
          stock: 5,
          claimed: 3,
          stockLeft: 2,
          coupons: { issued: 4, open: 1, used: 1, void: 1, expired: 1 },
        },
        {
          id: "pen",
          cost: 50,
          redeemed: 2,
          reversed: 0,
          stock: null,
          claimed: null,
          stockLeft: null,
          coupons: null,
        },
      ],
      draws: [],
    };
    const en = section(renderReport({ ...vectorReportData("gregorian"), club }, { lang: "en" }), "rewards");
    expect(en).toMatch(
      /data-reward="mug"><td><bdi class="id">mug<\/bdi><\/td><td class="n">1,500<\/td><td class="n">3<\/td><td class="n">1<\/td><td class="n">5<\/td><td class="n">3<\/td><td class="n">2<\/td>/,
    );
    expect(visibleText(en)).toContain("no limit");
    expect(en).toMatch(
      /<tr class="total"><td>Total<\/td><td class="n">4<\/td><td class="n">1<\/td><td class="n">1<\/td><td class="n">1<\/td><td class="n">1<\/td><\/tr>/,
    );
    expect(en).not.toContain("Prize draws");
    const fa = section(renderReport({ ...vectorReportData("jalali"), club }, { lang: "fa" }), "rewards");
    expect(fa).toContain('<td class="n">۱٬۵۰۰</td>');
    expect(visibleText(fa)).toContain("بدون سقف");
    expect(visibleText(fa)).toContain("کوپن‌های هر جایزه");
  });
});
