/**
 * Issue 9: every figure of the report names the window it is computed over, so figures from
 * different windows reconcile for a reader: the period `[from, to)` of spec 6 kpis and
 * roll-forward (12 months, Jalali in Persian), the as-of time T of balances, liability and tiers
 * (events at or before T), the RFM window `(T - windowDays, T]` of spec 6 rfm (the Pareto curve),
 * and every event read (the audit).
 */
import { createReadStream } from "node:fs";
import type { StoredEvent } from "@vafa/core";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLines } from "../lines.js";
import { section, visibleText } from "../testing/report-html.js";
import { vectorReportData } from "../testing/vector-report-data.js";
import { buildReportData, projectEvents } from "./data.js";
import { jalaliDate, toPersianDigits } from "./format.js";
import { renderReport, SECTION_IDS } from "./render.js";
import type { ReportData, ReportLang } from "./types.js";

const WINDOWS = ["period", "as-of", "rfm-window", "all-events"];

/** Each `<figure>` element's markup. */
const figures = (html: string): string[] =>
  [...html.matchAll(/<figure>[\s\S]*?<\/figure>/g)].map((m) => m[0]);

/** `datetime` of every `<time>` in a piece of markup. */
const times = (html: string): string[] =>
  [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1] ?? "");

/** The markup of the `data-window` element (row, caption or line) of a kind inside `html`. */
const windowed = (html: string, kind: string): string[] =>
  [...html.matchAll(new RegExp(`<(\\w+)[^>]*data-window="${kind}"[^>]*>[\\s\\S]*?</\\1>`, "g"))].map(
    (m) => m[0],
  );

/** The table rows of a window kind inside `html`. */
const rows = (html: string, kind: string): string[] =>
  [...html.matchAll(new RegExp(`<tr data-window="${kind}">[\\s\\S]*?</tr>`, "g"))].map((m) => m[0]);

const cases: [string, () => ReportData, ReportLang][] = [
  ["en, gregorian", () => vectorReportData("gregorian"), "en"],
  ["fa, gregorian", () => vectorReportData("gregorian"), "fa"],
  ["en, jalali", () => vectorReportData("jalali"), "en"],
  ["fa, jalali", () => vectorReportData("jalali"), "fa"],
];

describe.each(cases)("every figure names its window (%s)", (_name, data, lang) => {
  const d = data();
  const html = renderReport(d, { lang });

  it("every section names at least one window", () => {
    for (const id of SECTION_IDS) {
      const kinds = [...section(html, id).matchAll(/data-window="([^"]+)"/g)].map((m) => m[1]);
      expect(kinds.length, id).toBeGreaterThan(0);
      for (const kind of kinds) expect(WINDOWS).toContain(kind);
    }
    expect(windowed(section(html, "audit"), "all-events")).toHaveLength(1);
  });

  it("every chart has a caption naming its window with its times", () => {
    const all = figures(html);
    expect(all).toHaveLength(6);
    for (const figure of all) {
      const caption = figure.match(
        /<figcaption class="window" data-window="([^"]+)">([\s\S]*?)<\/figcaption>/,
      );
      expect(caption, figure.slice(0, 80)).not.toBeNull();
      expect(times(caption?.[2] ?? "").length).toBeGreaterThan(0);
    }
    const kindOf = (id: string) =>
      figures(section(html, id)).map((f) => f.match(/data-window="([^"]+)"/)?.[1]);
    expect(kindOf("rollforward")).toEqual(["period"]);
    expect(kindOf("liability")).toEqual(["as-of"]);
    expect(kindOf("monthly")).toEqual(["period"]);
    expect(kindOf("tiers")).toEqual(["as-of"]);
    expect(kindOf("rfm")).toEqual(["rfm-window"]);
    expect(kindOf("concentration")).toEqual(["rfm-window"]);
  });

  it("KPI cards come in two groups, each under a line naming its window", () => {
    const summary = section(html, "summary");
    const groups = [...summary.matchAll(/<div class="kpis" data-window="([^"]+)">/g)].map((m) => m[1]);
    expect(groups).toEqual(["period", "as-of"]);
    const [period] = windowed(summary, "period");
    expect(times(period ?? "")).toEqual([d.kpis.from, d.kpis.to].map((t) => new Date(t).toISOString()));
    const [asOf] = windowed(summary, "as-of");
    expect(times(asOf ?? "")).toEqual([new Date(d.asOf).toISOString()]);
    // The outstanding points and liability cards are as-of figures, not period figures.
    const asOfGroup = summary.slice(summary.indexOf('<div class="kpis" data-window="as-of">'));
    expect(visibleText(asOfGroup)).toContain(lang === "fa" ? "ارزش تعهد" : "Liability value");
  });

  it("the Pareto revenue and the KPI revenue stand side by side, each with its window", () => {
    const c = section(html, "concentration");
    const [rfmRow, ...more] = rows(c, "rfm-window");
    expect(more).toEqual([]);
    const days = d.rfmWindowDays ?? 0;
    const start = new Date(Date.parse(d.asOf) - days * 86_400_000).toISOString();
    expect(times(rfmRow ?? "")).toEqual([start, new Date(d.asOf).toISOString()]);
    const periodRows = rows(c, "period");
    expect(periodRows).toHaveLength(2);
    for (const row of periodRows)
      expect(times(row)).toEqual([d.kpis.from, d.kpis.to].map((t) => new Date(t).toISOString()));
    expect(c).toContain('data-reconcile="revenue"');
  });

  it("the period says how many months of which calendar, and warns when the other language counts others", () => {
    const header = html.slice(0, html.indexOf("</header>"));
    const text = visibleText(windowed(header, "period")[0] ?? "");
    const count = lang === "fa" ? toPersianDigits(String(d.monthly.length)) : String(d.monthly.length);
    expect(text).toContain(count);
    const warns = lang === "fa" ? "گزارش انگلیسی" : "A Persian report";
    if (d.calendar === "jalali") expect(text).not.toContain(warns);
    else expect(text).toContain(warns);
  });

  it("in Persian every window date is a Jalali date in Persian digits", () => {
    if (lang !== "fa") return;
    const windowTimes = [
      ...html.matchAll(/data-window="[^"]+"[^>]*>([\s\S]*?)<\/(?:p|figcaption|tr|span)>/g),
    ];
    expect(windowTimes.length).toBeGreaterThan(0);
    for (const [, inner = ""] of windowTimes) {
      for (const m of inner.matchAll(/<time datetime="([^"]+)">([^<]*)<\/time>/g)) {
        expect(m[2]).toContain(jalaliDate(m[1] ?? "", "fa") ?? "?");
        expect(m[2]).not.toMatch(/[0-9]/);
      }
    }
  });
});

describe("the RFM window shown is spec 6's (T - windowDays, T]", () => {
  it("for any as-of time and window length (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2040-01-01") }),
        fc.integer({ min: 1, max: 3650 }),
        (asOfMs, days) => {
          const d = {
            ...vectorReportData("gregorian"),
            asOf: new Date(asOfMs).toISOString(),
            rfmWindowDays: days,
          };
          const [row] = rows(section(renderReport(d, { lang: "en" }), "concentration"), "rfm-window");
          expect(times(row ?? "")).toEqual([new Date(asOfMs - days * 86_400_000).toISOString(), d.asOf]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("a report without a window length still names the as-of time and never throws", () => {
    const d = { ...vectorReportData("gregorian"), rfmWindowDays: undefined };
    const html = renderReport(d, { lang: "en" });
    expect(times(rows(section(html, "concentration"), "rfm-window")[0] ?? "")).toEqual([d.asOf]);
  });
});

async function* exportEvents(path: string): AsyncGenerator<StoredEvent> {
  let position = 0n;
  for await (const { text } of readLines(createReadStream(path))) {
    position += 1n;
    yield { ...(JSON.parse(text) as StoredEvent), position };
  }
}

describe("the revenues shown reconcile with their windows (gregorian vectors, built from the events)", () => {
  it("the RFM-window revenue is the sum of spec 6 rfm monetary; the period revenue is the KPI; en and fa periods differ", async () => {
    const asOf = "2011-05-15T00:00:00.000Z";
    const build = async (lang: ReportLang) =>
      buildReportData({
        projected: await projectEvents(exportEvents("fixtures/vectors/gregorian/expected-events.ndjson")),
        audit: { ok: true, streams: 0, events: 0, findings: [] },
        asOf,
        lang,
        generatedAt: asOf,
      });
    const en = await build("en");
    const fa = await build("fa");
    const shown = (d: ReportData, kind: string) => {
      const c = section(renderReport(d, { lang: "en" }), "concentration");
      const row = rows(c, kind)[0] ?? "";
      return visibleText(row.match(/<td class="n">([^<]*)<\/td>/)?.[1] ?? "").replace(/,/g, "");
    };
    const rfmRevenue = en.rfm.reduce((sum, r) => sum.plus(r.monetary), new Decimal(0));
    expect(new Decimal(shown(en, "rfm-window")).equals(rfmRevenue)).toBe(true);
    expect(new Decimal(shown(en, "period")).equals(en.kpis.revenue)).toBe(true);
    // Persian counts Jalali months: another period start, so the period revenue may differ, and it says so.
    expect(fa.kpis.from).not.toBe(en.kpis.from);
    const periodTimes = (d: ReportData, lang: ReportLang) =>
      times(windowed(section(renderReport(d, { lang }), "summary"), "period")[0] ?? "");
    expect(periodTimes(en, "en")).toEqual([en.kpis.from, asOf]);
    expect(periodTimes(fa, "fa")).toEqual([fa.kpis.from, asOf]);
  });
});
