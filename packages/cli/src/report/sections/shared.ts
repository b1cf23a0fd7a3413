import { escapeHtml, formatInstant, isoInstant, toPersianDigits } from "../format.js";
import type { Labels } from "../i18n.js";
import type { ReportData, ReportLang } from "../types.js";

export const SECTION_IDS = [
  "summary",
  "rollforward",
  "liability",
  "monthly",
  "tiers",
  "rfm",
  "concentration",
  "audit",
] as const;

export const COLORS = {
  total: "#334155",
  up: "#059669",
  down: "#e11d48",
  earned: "#2563eb",
  redeemed: "#f59e0b",
  expired: "#94a3b8",
  tier: "#4f46e5",
  buckets: ["#dc2626", "#f97316", "#eab308", "#22c55e", "#0ea5e9", "#64748b"],
  heat: { empty: "#f1f5f9", low: "#dbeafe", high: "#1e3a8a" },
};

/** Currency as a reader names it: Persian readers say "ریال" for IRR; otherwise the ISO code. */
export function currencyLabel(code: string, lang: ReportLang): string {
  return lang === "fa" && code === "IRR" ? "ریال" : code;
}

export interface Ctx {
  lang: ReportLang;
  cur: string;
  t: Labels;
  data: ReportData;
  rtl: boolean;
  int: (v: number) => string;
  money: (v: string) => string;
  pct: (v: number) => string;
  date: (iso: string) => string;
}

export function timeTag(iso: string, lang: ReportLang, data: ReportData): string {
  const value = String(iso);
  return `<time datetime="${escapeHtml(isoInstant(value))}">${escapeHtml(formatInstant(value, lang, data.calendar))}</time>`;
}

/** Section numbers in the reader's digits. */
function sectionNumber(ctx: Ctx, n: number): string {
  return ctx.lang === "fa" ? toPersianDigits(String(n)) : String(n);
}

export function section(ctx: Ctx, id: string, n: number | null, title: string, body: string): string {
  const badge = n === null ? "" : `<span class="num-badge">${sectionNumber(ctx, n)}</span>`;
  return `<section id="${id}" class="report-section" data-section="${id}">
<h2>${badge}<span>${escapeHtml(title)}</span></h2>
${body}
</section>`;
}

export function periodText(ctx: Ctx, from: string, to: string): string {
  return `${ctx.date(from)} – ${ctx.date(to)} <span class="note">(${escapeHtml(ctx.t.periodEndExclusive)})</span>`;
}

/** An id shown as typed: isolated from the surrounding direction, never digit-converted. */
export function idText(id: string | null | undefined): string {
  return `<bdi class="id">${escapeHtml(String(id ?? ""))}</bdi>`;
}

export function shareOf(part: number, total: number): number {
  return total === 0 || !Number.isFinite(total) ? 0 : part / total;
}

/** The windows a figure can be computed over (issue 9): each figure names one, so numbers reconcile. */
type WindowKind = "period" | "as-of" | "rfm-window" | "all-events";

const DAY_MS = 86_400_000;

/** Start of the RFM window `(asOf - windowDays, asOf]` (spec 6 rfm), or null when it cannot be known. */
function rfmWindowStart(data: ReportData): string | null {
  const asOfMs = Date.parse(String(data.asOf));
  const days = data.rfmWindowDays;
  if (typeof days !== "number" || !Number.isFinite(days) || !Number.isFinite(asOfMs)) return null;
  const startMs = asOfMs - days * DAY_MS;
  return Number.isFinite(startMs) && Math.abs(startMs) <= 8.64e15 ? new Date(startMs).toISOString() : null;
}

/** The period's months: how many, in which calendar, and a warning when the other language counts others. */
export function monthsText(ctx: Ctx): string {
  const { t, data } = ctx;
  const calendar = data.monthlyCalendar ?? data.calendar;
  const count = (data.monthly ?? []).length;
  const name = calendar === "jalali" ? t.calendars.jalali : t.calendars.gregorian;
  // The report counts Jalali months in Persian or for a Jalali program, so only a Gregorian program's
  // English and Persian reports cover different periods.
  const other = data.calendar === "jalali" ? "" : ` ${escapeHtml(t.windows.otherLanguage)}`;
  return `${escapeHtml(t.windows.months(ctx.int(count), name))}.${other}`;
}

/** A period `[from, to)`; the KPIs and the roll-forward each carry theirs (the same months). */
interface Range {
  from: string;
  to: string;
}

/** The window of `kind` in words, with its times as `<time>` elements. */
export function windowText(ctx: Ctx, kind: WindowKind, range: Range = ctx.data.rollforward): string {
  const { t, data } = ctx;
  switch (kind) {
    case "period":
      return `${escapeHtml(t.period)}: ${periodText(ctx, range.from, range.to)}`;
    case "as-of":
      return `${escapeHtml(t.asOf)}: ${ctx.date(data.asOf)} <span class="note">(${escapeHtml(t.windows.asOfInclusive)})</span>`;
    case "rfm-window": {
      const start = rfmWindowStart(data);
      const days = typeof data.rfmWindowDays === "number" ? data.rfmWindowDays : Number.NaN;
      const name = escapeHtml(t.concentration.window(ctx.int(days)));
      return start === null
        ? `${name}, ${escapeHtml(t.asOf)}: ${ctx.date(data.asOf)}`
        : `${name}: ${ctx.date(start)} – ${ctx.date(data.asOf)} <span class="note">(${escapeHtml(t.windows.rfmInterval)})</span>`;
    }
    case "all-events":
      return escapeHtml(t.windows.allEvents);
  }
}

/** A figure's caption naming its window. */
export function windowCaption(ctx: Ctx, kind: WindowKind): string {
  return `<figcaption class="window" data-window="${kind}">${windowText(ctx, kind)}</figcaption>`;
}

/** A line above a group of figures (KPI cards) naming their window. */
export function windowLine(ctx: Ctx, kind: WindowKind, heading: string, range?: Range): string {
  return `<p class="window" data-window="${kind}"><strong>${escapeHtml(heading)}</strong> · ${windowText(ctx, kind, range)}</p>`;
}
