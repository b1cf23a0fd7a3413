import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foreignTags, section } from "../testing/report-html.js";
import { vectorReportData } from "../testing/vector-report-data.js";
import { renderReport, SECTION_IDS } from "./render.js";
import type { ReportData } from "./types.js";

const gregorian = () => vectorReportData("gregorian");
const _jalali = () => vectorReportData("jalali");

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
