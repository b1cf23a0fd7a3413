import { escapeHtml, formatNumber } from "../format.js";
import { type Ctx, periodText, section } from "./shared.js";

function kpiCard(label: string, value: string, unit = ""): string {
  const u = unit ? ` <bdi class="unit">${escapeHtml(unit)}</bdi>` : "";
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value"><bdi>${value}</bdi>${u}</div></div>`;
}

export function summarySection(ctx: Ctx): string {
  const { t, data } = ctx;
  const k = data.kpis;
  const cards = [
    kpiCard(t.kpi.members, escapeHtml(ctx.int(k.members))),
    kpiCard(t.kpi.newMembers, escapeHtml(ctx.int(k.newMembers))),
    kpiCard(t.kpi.activeMembers, escapeHtml(ctx.int(k.activeMembers))),
    kpiCard(t.kpi.repeatRate, escapeHtml(ctx.pct(k.repeatRate))),
    kpiCard(t.kpi.revenue, escapeHtml(ctx.money(k.revenue)), ctx.cur),
    kpiCard(t.kpi.pointsEarned, escapeHtml(ctx.int(k.pointsEarned))),
    kpiCard(t.kpi.pointsRedeemed, escapeHtml(ctx.int(k.pointsRedeemed))),
    kpiCard(t.kpi.redemptionRate, escapeHtml(ctx.pct(k.redemptionRate))),
    kpiCard(t.kpi.breakageRate, escapeHtml(ctx.pct(k.breakageRate))),
    kpiCard(t.kpi.nps, escapeHtml(formatNumber(k.nps, ctx.lang))),
    kpiCard(t.kpi.outstandingPoints, escapeHtml(ctx.int(data.liability.points))),
    kpiCard(t.kpi.liabilityValue, escapeHtml(ctx.money(data.liability.value)), ctx.cur),
  ];
  const body = `<p class="intro">${escapeHtml(t.period)}: ${periodText(ctx, k.from, k.to)}</p>
<div class="kpis">${cards.join("")}</div>`;
  return section(ctx, "summary", null, t.summary, body);
}
