/** Section 2: outstanding points by time to expiry at the as-of time. */
import { barChart } from "../charts/index.js";
import { escapeHtml, formatCompact } from "../format.js";
import { LIABILITY_BUCKETS } from "../types.js";
import { COLORS, type Ctx, section, shareOf, windowCaption, windowText } from "./shared.js";

export function liabilitySection(ctx: Ctx): string {
  const { t, data } = ctx;
  const l = data.liability;
  const buckets = LIABILITY_BUCKETS.map((key) => ({
    key,
    bucket: l.buckets?.[key] ?? { points: 0, value: "0" },
  }));
  const chart = barChart({
    kind: "liability",
    width: 560,
    height: 300,
    rtl: ctx.rtl,
    title: t.liability.chart,
    bars: buckets.map(({ key, bucket }, i) => ({
      label: t.liability.buckets[key],
      value: Number.isFinite(bucket.points) ? bucket.points : 0,
      color: COLORS.buckets[i] ?? COLORS.total,
      valueLabel: ctx.int(bucket.points),
    })),
    tickFormat: (v) => formatCompact(v, ctx.lang),
  });
  const rows = buckets
    .map(
      ({ key, bucket }) =>
        `<tr data-bucket="${key}"><td>${escapeHtml(t.liability.buckets[key])}</td><td class="n">${escapeHtml(ctx.int(bucket.points))}</td><td class="n">${escapeHtml(ctx.money(bucket.value))}</td><td class="n">${escapeHtml(ctx.pct(shareOf(bucket.points, l.points)))}</td></tr>`,
    )
    .join("");
  const table = `<table class="liability"><thead><tr><th>${escapeHtml(t.liability.bucket)}</th><th class="n">${escapeHtml(t.liability.points)}</th><th class="n">${escapeHtml(t.liability.value)} (${escapeHtml(ctx.cur)})</th><th class="n">${escapeHtml(t.liability.share)}</th></tr></thead>
<tbody>${rows}<tr class="total"><td>${escapeHtml(t.liability.total)}</td><td class="n">${escapeHtml(ctx.int(l.points))}</td><td class="n">${escapeHtml(ctx.money(l.value))}</td><td class="n">${escapeHtml(ctx.pct(l.points === 0 ? 0 : 1))}</td></tr></tbody></table>
<p class="note">${escapeHtml(t.liability.debt)}: <strong>${escapeHtml(ctx.int(l.debt))}</strong></p>`;
  const body = `<p class="intro">${escapeHtml(t.liability.intro)} ${windowText(ctx, "as-of")}</p>
<div class="grid-2"><figure>${chart}${windowCaption(ctx, "as-of")}</figure><div>${table}</div></div>`;
  return section(ctx, "liability", 2, t.liability.title, body);
}
