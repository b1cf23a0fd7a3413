import { afterEach, describe, expect, it, vi } from "vitest";
import { section, visibleText } from "../testing/report-html.js";
import { vectorReportData } from "../testing/vector-report-data.js";
import { renderReport, SECTION_IDS } from "./render.js";

const gregorian = () => vectorReportData("gregorian");
const jalali = () => vectorReportData("jalali");

describe("renderReport (en, gregorian vector)", () => {
  const html = renderReport(gregorian(), { lang: "en" });

  it("is one self-contained document: inline CSS and SVG, no script, nothing to fetch", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(\s*['"]?https?:|src=/i);
    // The only URL is the SVG namespace, which a browser never fetches.
    expect(new Set(html.match(/https?:\/\/[^"'\s)]+/g))).toEqual(new Set(["http://www.w3.org/2000/svg"]));
  });

  it("has every section, each with its chart", () => {
    for (const id of SECTION_IDS) expect(html).toContain(`<section id="${id}"`);
    for (const chart of ["waterfall", "liability", "monthly", "tiers", "rfm-heatmap", "pareto"]) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
  });

  it("6 rollforward: table lines with thousands separators, and the identity checked", () => {
    const rf = section(html, "rollforward");
    for (const [line, value] of [
      ["opening", "460"],
      ["earned", "2,510"],
      ["redeemed", "550"],
      ["reversed", "100"],
      ["expired", "330"],
      ["clawedBack", "1,199"],
      ["debited", "30"],
      ["closing", "961"],
    ]) {
      expect(rf).toMatch(new RegExp(`data-line="${line}">.*?<td class="n">${value}</td>`));
    }
    expect(rf).toContain('data-check="ok"');
    expect((rf.match(/<rect class="bar/g) ?? []).length).toBe(8);
  });

  it("6 rollforward: a period that does not add up is flagged with its difference", () => {
    const data = gregorian();
    data.rollforward.closing = 1000;
    const rf = section(renderReport(data, { lang: "en" }), "rollforward");
    expect(rf).toContain('data-check="bad"');
    expect(rf).toContain("(-39)");
  });

  it("6 liability: every bucket with points and exact money", () => {
    const l = section(html, "liability");
    expect(l).toMatch(/data-bucket="le30">.*?<td class="n">966<\/td><td class="n">9.66<\/td>/);
    expect(l).toMatch(/data-bucket="d31_90">.*?<td class="n">45<\/td><td class="n">0.45<\/td>/);
    expect(l).toMatch(/data-bucket="never">.*?<td class="n">0<\/td><td class="n">0.00<\/td>/);
    expect(l).toContain('<td class="n">1,011</td><td class="n">10.11</td>');
    expect(l).toContain("Value (GBP)");
    expect(l).toContain("<strong>200</strong>"); // member debt
  });

  it("shows the KPIs of the period", () => {
    const s = section(html, "summary");
    expect(s).toContain("666.48");
    expect(s).toContain("17.9%"); // redemptionRate
    expect(s).toContain("42.3%"); // breakageRate
    expect(s).toContain("2011-03-01 00:00 UTC");
  });

  it("an L1 program's KPIs show no messages or interactions (club-v1 §10)", () => {
    const s = section(html, "summary");
    expect(s).not.toContain("Messages sent");
    expect(s).not.toContain("Interactions");
  });

  it("lists monthly points in Gregorian months", () => {
    const m = section(html, "monthly");
    expect(m).toMatch(/data-month="2011-03"><td>Mar 2011<\/td><td class="n">1,865<\/td>/);
    expect((m.match(/<rect class="bar"/g) ?? []).length).toBe(3 * gregorian().monthly.length);
  });

  it("6 rfm: the heat map counts members per (r, f) cell under the spec's segment names", () => {
    const r = section(html, "rfm");
    expect((r.match(/<rect class="cell"/g) ?? []).length).toBe(25);
    // ava r2 f4 at_risk, ben r1 f1 hibernating, cleo r4 f2 potential_loyalists
    expect(r).toMatch(/data-count="1"><title>r 2 · f 4 · At risk: 1<\/title>/);
    expect(r).toMatch(/data-count="1"><title>r 1 · f 1 · Hibernating: 1<\/title>/);
    expect(r).toMatch(/data-count="1"><title>r 4 · f 2 · Potential loyalists: 1<\/title>/);
    expect(r).toMatch(/data-count="0"><title>r 5 · f 5 · Champions: 0<\/title>/);
    expect(r).toMatch(
      /data-segment="at_risk"><td>At risk<\/td><td class="n">1<\/td><td class="n">33.3%<\/td>/,
    );
  });

  it("tiers: every level with its members", () => {
    const t = section(html, "tiers");
    expect(t).toMatch(/bronze<\/bdi><\/td><td class="n">3<\/td><td class="n">75.0%<\/td>/);
    expect(t).toMatch(/gold<\/bdi><\/td><td class="n">0<\/td>/);
  });

  it("6 kpis: concentration marks the top ceil(n / 5) members' share", () => {
    const c = section(html, "concentration");
    // rfm monetary 680.99, 105.99, 40: top 1 of 3 = 680.99 / 826.98
    expect(c).toContain("The top 20% of members (1 of 3) account for <strong>82.3%</strong> of revenue");
    expect(c).toContain("826.98");
    expect(c).toContain("46.6%"); // kpis.top20RevenueShare of the period
    expect(c).toMatch(/<path class="curve" d="M[^"]+L[^"]+L[^"]+L[^"]+"/);
  });

  it("7 audit: a clean ledger shows ok with its counts", () => {
    const a = section(html, "audit");
    expect(a).toContain('data-audit="ok"');
    expect(a).toContain("<b>68</b>Events");
    expect(a).not.toContain("<table");
  });
});

describe("renderReport (fa, jalali vector)", () => {
  const html = renderReport(jalali(), { lang: "fa" });

  it("is Persian and right to left", () => {
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain("گردش امتیاز");
    expect(html).toContain("حسابرسی");
  });

  it("1 calendars: dates are Jalali and months are Jalali months", () => {
    expect(html).toContain('<time datetime="2012-04-01T00:00:00.000Z">۱۳ فروردین ۱۳۹۱، ۰۰:۰۰ (UTC)</time>');
    expect(html).toContain("۱ اسفند ۱۳۹۰"); // period start 2012-02-20
    const m = section(html, "monthly");
    expect(m).toMatch(/data-month="1390-12"><td>اسفند ۱۳۹۰<\/td>/);
    expect(m).toMatch(/data-month="1391-01"><td>فروردین ۱۳۹۱<\/td><td class="n">۲۵٬۳۷۰<\/td>/);
  });

  it("writes every quantity in Persian digits; ids stay as typed", () => {
    expect(section(html, "rollforward")).toContain('<td class="n">۶۳۲٬۵۰۰</td>');
    expect(section(html, "liability")).toContain("۳۷٬۰۴۰");
    expect(section(html, "concentration")).toContain("۵٬۹۴۱٬۱۳۲٬۸۷۷");
    const text = visibleText(
      html.replace(/<bdi class="id">[\s\S]*?<\/bdi>|<code[^>]*>[\s\S]*?<\/code>/g, ""),
    );
    expect(text.match(/[0-9]/g)).toBeNull();
  });

  it("mirrors categorical charts: the opening balance stands on the right", () => {
    const xs = [...section(html, "rollforward").matchAll(/<rect class="bar bar-\w+" x="([^"]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(xs).toHaveLength(8);
    expect(xs[0]).toBeGreaterThan(xs[7] ?? Number.POSITIVE_INFINITY);
  });

  it("en with a jalali program: ISO dates with the Jalali date beside them, Jalali month names", () => {
    const en = renderReport(jalali(), { lang: "en" });
    expect(en).toContain("2012-04-01 00:00 UTC (13 Farvardin 1391)");
    expect(section(en, "monthly")).toContain("<td>Esfand 1390</td>");
    expect(section(en, "liability")).toContain("37,040");
  });
});

describe("renderReport of a club program (club-v1 §5, §10)", () => {
  it("en: the period's KPIs show messages sent and interactions", () => {
    const s = section(renderReport(vectorReportData("club-gregorian"), { lang: "en" }), "summary");
    expect(s).toMatch(/Messages sent<\/div><div class="value"><bdi>1<\/bdi>/);
    expect(s).toMatch(/Interactions<\/div><div class="value"><bdi>14<\/bdi>/);
  });

  it("fa: the same figures in Persian digits", () => {
    const s = section(renderReport(vectorReportData("club-jalali"), { lang: "fa" }), "summary");
    expect(s).toMatch(/پیام‌های ارسال‌شده<\/div><div class="value"><bdi>۱<\/bdi>/);
    expect(s).toMatch(/تعامل‌ها<\/div><div class="value"><bdi>۱۴<\/bdi>/);
  });
});

describe("purity", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads no clock: the same data gives the same bytes at any time", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2001-01-01T00:00:00Z"));
    const a = renderReport(jalali(), { lang: "fa" });
    vi.setSystemTime(new Date("2033-07-07T12:34:56Z"));
    const b = renderReport(jalali(), { lang: "fa" });
    expect(b).toBe(a);
    expect(a).toContain("۱۲ دی ۱۴۰۲"); // generatedAt 2024-01-02, as passed in
  });
});
