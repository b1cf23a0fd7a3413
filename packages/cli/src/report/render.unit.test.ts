import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { vectorReportData } from "../testing/vector-report-data.js";
import { renderReport, SECTION_IDS } from "./render.js";
import type { ReportData } from "./types.js";

const gregorian = () => vectorReportData("gregorian");
const jalali = () => vectorReportData("jalali");

/** Text a reader sees: no style, no tags, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<title>[\s\S]*?<\/title>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html);
  return match?.[0] ?? "";
}

/** Tags in the markup that the renderer does not write itself (injected markup). */
function foreignTags(html: string): string[] {
  const tags = new Set([...html.matchAll(/<([A-Za-z][\w-]*)/g)].map((m) => m[1] ?? ""));
  return [...tags].filter((tag) => !OWN_TAGS.has(tag));
}

/** Every tag the renderer itself writes; anything else would be injected markup. */
const OWN_TAGS = new Set(
  (
    "html head meta title style body main header footer section nav ol li a p h1 h2 h3 span strong b bdi code time dl dt dd div " +
    "figure table thead tbody tr th td svg g rect line path circle text tspan defs linearGradient stop"
  ).split(" "),
);

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

describe("findings, escaping and odd input", () => {
  const hostile = `<img src=x onerror=alert(1)>"'&`;

  function withFindings(n: number): ReportData {
    const data = gregorian();
    data.audit = {
      ok: false,
      streams: 5,
      events: 68,
      findings: Array.from({ length: n }, (_, i) => ({
        streamId: i === 0 ? null : "member-ava",
        revision: i === 0 ? null : i,
        eventId: i === 0 ? null : `e-${i}`,
        code: i % 2 === 0 ? "HASH_MISMATCH" : "ALLOCATION",
        message: `finding ${i} </td><script>alert(${i})</script>`,
      })),
    };
    return data;
  }

  it("7 audit: lists the first N findings, counts the rest and the codes", () => {
    const a = section(renderReport(withFindings(5), { lang: "en", maxFindings: 2 }), "audit");
    expect(a).toContain('data-audit="findings"');
    expect((a.match(/<tr class="finding">/g) ?? []).length).toBe(2);
    expect(a).toContain("Showing the first 2 of 5 findings.");
    expect(a).toContain("<code>HASH_MISMATCH</code> × 3");
    expect(a).toContain("<code>ALLOCATION</code> × 2");
    expect(a).toContain("(no stream)");
    expect(a).not.toContain("<script");
    expect(a).toContain("&lt;/td&gt;&lt;script&gt;alert(0)&lt;/script&gt;");
  });

  it("escapes member ids, tiers, program and currency against HTML injection", () => {
    const data = gregorian();
    data.programId = `<script>x</script>`;
    data.currency = `"><script>y</script>`;
    const first = data.balances[0];
    if (first) {
      first.memberId = hostile;
      first.tier = hostile;
    }
    data.tiers.push({ id: hostile, members: 1 });
    data.rfm.push({
      memberId: hostile,
      recencyDays: 1,
      frequency: 1,
      monetary: hostile,
      r: 9,
      f: 0,
      m: 1,
      segment: hostile,
    });
    data.monthly.push({ month: hostile, earned: 1, redeemed: 0, expired: 0 });
    for (const lang of ["en", "fa"] as const) {
      const html = renderReport(data, { lang });
      expect(html).not.toMatch(/<script|<img/);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
      expect(foreignTags(html)).toEqual([]);
    }
  });

  it("never throws and never lets markup through, whatever the strings (property)", () => {
    const markup = fc
      .array(
        fc.constantFrom("<", ">", "/", "b", "img", "script", '"', "'", "&", "=", " ", "x", "۱", "\u202e"),
        {
          maxLength: 12,
        },
      )
      .map((parts) => parts.join(""));
    const str = fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), markup);
    fc.assert(
      fc.property(
        str,
        str,
        str,
        str,
        str,
        fc.constantFrom("en" as const, "fa" as const),
        (a, b, c, d, e, lang) => {
          const data = withFindings(2);
          data.programId = a;
          data.currency = b;
          data.asOf = c;
          data.kpis.revenue = d;
          const first = data.balances[0];
          if (first) first.memberId = e;
          const finding = data.audit.findings[1];
          if (finding) {
            finding.message = a + e;
            finding.streamId = d;
          }
          const html = renderReport(data, { lang });
          expect(foreignTags(html)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("shows odd numbers and missing parts without crashing", () => {
    const data = gregorian() as unknown as Record<string, unknown> & ReportData;
    data.kpis.redemptionRate = Number.NaN;
    data.rollforward.earned = Number.POSITIVE_INFINITY;
    data.liability.buckets = {} as ReportData["liability"]["buckets"];
    data.monthly = [];
    data.rfm = [];
    data.tiers = [];
    const html = renderReport(data, { lang: "en" });
    expect(html).toContain("—");
    expect(html).toContain('data-check="bad"');
    expect(html).toContain("No monthly activity.");
    expect(html).toContain("No revenue to rank.");
    for (const id of SECTION_IDS) expect(html).toContain(`<section id="${id}"`);
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
