/** Section 3: points earned, redeemed and expired per calendar month. */
import { groupedBarChart } from "../charts/index.js";
import { escapeHtml, formatCompact, formatMonth } from "../format.js";
import { COLORS, type Ctx, monthsText, section, windowCaption, windowText } from "./shared.js";

export function monthlySection(ctx: Ctx): string {
  const { t, data } = ctx;
  const calendar = data.monthlyCalendar ?? data.calendar;
  const months = data.monthly ?? [];
  if (months.length === 0) {
    return section(ctx, "monthly", 3, t.monthly.title, `<p class="empty">${escapeHtml(t.monthly.empty)}</p>`);
  }
  const labels = months.map((m) => formatMonth(String(m.month), calendar, ctx.lang));
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  const chart = groupedBarChart({
    kind: "monthly",
    width: 900,
    height: 320,
    rtl: ctx.rtl,
    title: t.monthly.chart,
    categories: labels,
    series: [
      { name: t.monthly.earned, color: COLORS.earned, values: months.map((m) => finite(m.earned)) },
      { name: t.monthly.redeemed, color: COLORS.redeemed, values: months.map((m) => finite(m.redeemed)) },
      { name: t.monthly.expired, color: COLORS.expired, values: months.map((m) => finite(m.expired)) },
    ],
    tickFormat: (v) => formatCompact(v, ctx.lang),
    valueFormat: ctx.int,
  });
  const rows = months
    .map(
      (m, i) =>
        `<tr data-month="${escapeHtml(String(m.month))}"><td>${escapeHtml(labels[i] ?? "")}</td><td class="n">${escapeHtml(ctx.int(m.earned))}</td><td class="n">${escapeHtml(ctx.int(m.redeemed))}</td><td class="n">${escapeHtml(ctx.int(m.expired))}</td></tr>`,
    )
    .join("");
  const body = `<p class="intro">${escapeHtml(t.monthly.intro)} ${escapeHtml(t.calendar)}: ${escapeHtml(calendar === "jalali" ? t.calendars.jalali : t.calendars.gregorian)}. ${windowText(ctx, "period")}. ${monthsText(ctx)}</p>
<figure>${chart}${windowCaption(ctx, "period")}</figure>
<table class="monthly narrow"><thead><tr><th>${escapeHtml(t.monthly.month)}</th><th class="n">${escapeHtml(t.monthly.earned)}</th><th class="n">${escapeHtml(t.monthly.redeemed)}</th><th class="n">${escapeHtml(t.monthly.expired)}</th></tr></thead><tbody>${rows}</tbody></table>`;
  return section(ctx, "monthly", 3, t.monthly.title, body);
}
