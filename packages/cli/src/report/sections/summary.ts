import { escapeHtml, formatNumber } from "../format.js";
import { type Ctx, section, windowLine } from "./shared.js";

function kpiCard(label: string, value: string, unit = ""): string {
  const u = unit ? ` <bdi class="unit">${escapeHtml(unit)}</bdi>` : "";
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value"><bdi>${value}</bdi>${u}</div></div>`;
}

export function summarySection(ctx: Ctx): string {
  const { t, data } = ctx;
  const k = data.kpis;
  const periodCards = [
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
  ];
  // Only a club program's KPIs carry these (club-v1 §10), so an L1 report stays byte-identical.
  if (k.messagesSent !== undefined)
    periodCards.push(kpiCard(t.kpi.messagesSent, escapeHtml(ctx.int(k.messagesSent))));
  if (k.interactions !== undefined)
    periodCards.push(kpiCard(t.kpi.interactions, escapeHtml(ctx.int(k.interactions))));
  const asOfCards = [
    kpiCard(t.kpi.outstandingPoints, escapeHtml(ctx.int(data.liability.points))),
    kpiCard(t.kpi.liabilityValue, escapeHtml(ctx.money(data.liability.value)), ctx.cur),
  ];
  // Two groups, each naming its window: period figures and as-of figures differ on purpose (issue 9).
  const body = `${windowLine(ctx, "period", t.windows.periodFigures, k)}
<div class="kpis" data-window="period">${periodCards.join("")}</div>
${windowLine(ctx, "as-of", t.windows.asOfFigures)}
<div class="kpis" data-window="as-of">${asOfCards.join("")}</div>`;
  return section(ctx, "summary", null, t.summary, body);
}
