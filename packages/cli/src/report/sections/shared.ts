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
