/** Section 6: revenue concentration (Pareto) and the largest balances. */
import { curveChart } from "../charts/index.js";
import { concentration } from "../concentration.js";
import { escapeHtml, formatPercent } from "../format.js";
import type { ReportData } from "../types.js";
import { type Ctx, idText, section, windowCaption, windowText } from "./shared.js";

export function concentrationSection(ctx: Ctx, topBalances = 10): string {
  const { t, data } = ctx;
  const c = concentration((data.rfm ?? []).map((row) => String(row.monetary)));
  const hasRevenue = c.population > 0 && c.total !== "0";
  const topShareText = ctx.pct(c.topShare);
  const chart = curveChart({
    width: 560,
    height: 380,
    rtl: ctx.rtl,
    title: t.concentration.chart,
    points: c.curve,
    marker: hasRevenue ? { x: c.topCount / c.population, y: c.topShare, label: topShareText } : null,
    xAxis: t.concentration.membersAxis,
    yAxis: t.concentration.revenueAxis,
    equality: t.concentration.equality,
    percentLabel: (v) => formatPercent(v, ctx.lang, 0),
  });
  const lead = hasRevenue
    ? `<p class="lead">${escapeHtml(
        t.concentration.topShare(ctx.int(c.topCount), ctx.int(c.population), "\u0000"),
      ).replace("\u0000", `<strong>${escapeHtml(topShareText)}</strong>`)}</p>`
    : `<p class="empty">${escapeHtml(t.concentration.empty)}</p>`;
  const net = (b: ReportData["balances"][number]) => b.available + b.pending - b.debt;
  const largest = [...(data.balances ?? [])]
    .sort((a, b) => net(b) - net(a) || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .slice(0, topBalances);
  const balanceRows = largest
    .map(
      (b) =>
        `<tr><td>${idText(b.memberId)}</td><td>${idText(b.tier)}</td><td class="n">${escapeHtml(ctx.int(b.available))}</td><td class="n">${escapeHtml(ctx.int(b.pending))}</td><td class="n">${escapeHtml(ctx.int(b.debt))}</td><td class="n"><strong>${escapeHtml(ctx.int(net(b)))}</strong></td></tr>`,
    )
    .join("");
  const cc = t.concentration;
  const w = t.windows;
  // The curve and its revenue are over the RFM window; the KPI share and the summary's revenue over
  // the period: both are shown with their windows side by side so a reader can reconcile them (issue 9).
  const body = `<p class="intro">${escapeHtml(cc.intro)} ${windowText(ctx, "rfm-window")}</p>
${lead}
<div class="grid-2"><figure>${chart}${windowCaption(ctx, "rfm-window")}</figure><div>
<table class="kv"><tbody><tr data-window="rfm-window"><td>${escapeHtml(w.rfmRevenue)} (${escapeHtml(ctx.cur)})<br><span class="note">${windowText(ctx, "rfm-window")}</span></td><td class="n">${escapeHtml(ctx.money(c.total))}</td></tr>
<tr data-window="period"><td>${escapeHtml(t.kpi.revenue)} (${escapeHtml(ctx.cur)})<br><span class="note">${windowText(ctx, "period", data.kpis)}</span></td><td class="n">${escapeHtml(ctx.money(data.kpis.revenue))}</td></tr>
<tr data-window="period"><td>${escapeHtml(cc.periodShare)}<br><span class="note">${windowText(ctx, "period", data.kpis)}</span></td><td class="n">${escapeHtml(ctx.pct(data.kpis.top20RevenueShare))}</td></tr></tbody></table>
<p class="note" data-reconcile="revenue">${escapeHtml(w.reconcile)}</p>
</div></div>
<h3>${escapeHtml(cc.largestBalances)}</h3>
<p class="note" data-window="as-of">${windowText(ctx, "as-of")}</p>
<table class="balances narrow"><thead><tr><th>${escapeHtml(cc.member)}</th><th>${escapeHtml(cc.tier)}</th><th class="n">${escapeHtml(cc.available)}</th><th class="n">${escapeHtml(cc.pending)}</th><th class="n">${escapeHtml(cc.debt)}</th><th class="n">${escapeHtml(cc.net)}</th></tr></thead><tbody>${balanceRows}</tbody></table>`;
  return section(ctx, "concentration", 6, cc.title, body);
}
