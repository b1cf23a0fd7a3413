/** Section 5: the RFM heat map and segments at the as-of time. */
import { type Score, segmentOf } from "@vafa/projections";
import { heatMap } from "../charts/index.js";
import { escapeHtml } from "../format.js";
import { RFM_SEGMENTS, type RfmSegment } from "../types.js";
import { COLORS, type Ctx, section, shareOf, windowCaption, windowText } from "./shared.js";

function segmentName(ctx: Ctx, segment: string): string {
  return (RFM_SEGMENTS as readonly string[]).includes(segment)
    ? ctx.t.rfm.segments[segment as RfmSegment]
    : segment;
}

export function rfmSection(ctx: Ctx): string {
  const { t, data } = ctx;
  const rows = data.rfm ?? [];
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (
      Number.isInteger(row.r) &&
      Number.isInteger(row.f) &&
      row.r >= 1 &&
      row.r <= 5 &&
      row.f >= 1 &&
      row.f <= 5
    ) {
      counts.set(`${row.r}:${row.f}`, (counts.get(`${row.r}:${row.f}`) ?? 0) + 1);
    }
  }
  const cells = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const count = counts.get(`${r}:${f}`) ?? 0;
      // the spec 6 table lives once, in the projections that score the members
      const segment = segmentOf(r as Score, f as Score);
      cells.push({ r, f, count, countLabel: ctx.int(count), name: t.rfm.segments[segment] });
    }
  }
  const chart = heatMap({
    width: 560,
    height: 420,
    rtl: ctx.rtl,
    title: t.rfm.chart,
    cells,
    rowAxis: t.rfm.recency,
    colAxis: t.rfm.frequency,
    tickLabel: (s) => ctx.int(s),
    legend: { fewer: t.rfm.fewer, more: t.rfm.more },
    colors: COLORS.heat,
  });
  const bySegment = new Map<string, number>();
  for (const row of rows) bySegment.set(String(row.segment), (bySegment.get(String(row.segment)) ?? 0) + 1);
  const known = RFM_SEGMENTS.map((s) => [s, bySegment.get(s) ?? 0] as const);
  const unknown = [...bySegment].filter(([s]) => !(RFM_SEGMENTS as readonly string[]).includes(s));
  const segmentRows = [...known, ...unknown]
    .map(
      ([segment, n]) =>
        `<tr data-segment="${escapeHtml(segment)}"><td>${escapeHtml(segmentName(ctx, segment))}</td><td class="n">${escapeHtml(ctx.int(n))}</td><td class="n">${escapeHtml(ctx.pct(shareOf(n, rows.length)))}</td></tr>`,
    )
    .join("");
  const empty = rows.length === 0 ? `<p class="empty">${escapeHtml(t.rfm.empty)}</p>` : "";
  const body = `<p class="intro">${escapeHtml(t.rfm.intro)} ${windowText(ctx, "as-of")}${ctx.lang === "fa" ? "؛" : ";"} ${windowText(ctx, "rfm-window")}</p>
${empty}<div class="grid-2"><figure>${chart}${windowCaption(ctx, "rfm-window")}</figure><div><table class="segments"><thead><tr><th>${escapeHtml(t.rfm.segment)}</th><th class="n">${escapeHtml(t.rfm.members)}</th><th class="n">${escapeHtml(t.tiers.share)}</th></tr></thead><tbody>${segmentRows}</tbody></table></div></div>`;
  return section(ctx, "rfm", 5, t.rfm.title, body);
}
