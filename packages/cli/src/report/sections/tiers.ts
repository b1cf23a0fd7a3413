/** Section 4: members per tier at the as-of time. */
import { barChart } from "../charts/index.js";
import { escapeHtml, formatCompact } from "../format.js";
import { COLORS, type Ctx, idText, section, shareOf, windowCaption, windowText } from "./shared.js";

export function tiersSection(ctx: Ctx): string {
  const { t, data } = ctx;
  const tiers = data.tiers ?? [];
  const total = tiers.reduce((sum, tier) => sum + (Number.isFinite(tier.members) ? tier.members : 0), 0);
  const chart = barChart({
    kind: "tiers",
    width: 560,
    height: 280,
    rtl: ctx.rtl,
    title: t.tiers.chart,
    bars: tiers.map((tier) => ({
      label: String(tier.id),
      value: Number.isFinite(tier.members) ? tier.members : 0,
      color: COLORS.tier,
      valueLabel: ctx.int(tier.members),
    })),
    tickFormat: (v) => formatCompact(v, ctx.lang),
  });
  const rows = tiers
    .map(
      (tier) =>
        `<tr><td>${idText(tier.id)}</td><td class="n">${escapeHtml(ctx.int(tier.members))}</td><td class="n">${escapeHtml(ctx.pct(shareOf(tier.members, total)))}</td></tr>`,
    )
    .join("");
  const body = `<p class="intro">${escapeHtml(t.tiers.intro)} ${windowText(ctx, "as-of")}</p>
<div class="grid-2"><figure>${chart}${windowCaption(ctx, "as-of")}</figure><div><table class="tiers"><thead><tr><th>${escapeHtml(t.tiers.tier)}</th><th class="n">${escapeHtml(t.tiers.members)}</th><th class="n">${escapeHtml(t.tiers.share)}</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
  return section(ctx, "tiers", 4, t.tiers.title, body);
}
