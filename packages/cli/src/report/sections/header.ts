import { escapeHtml } from "../format.js";
import { CLUB_SECTION_ID } from "./club.js";
import { type Ctx, idText, monthsText, periodText, SECTION_IDS } from "./shared.js";

/** `club`: the report has the rewards & draws section (listed before the audit). */
export function header(ctx: Ctx, club = false): string {
  const { t, data } = ctx;
  const version =
    typeof data.programVersion === "number"
      ? ` <span class="note">(${escapeHtml(t.version)} ${ctx.int(data.programVersion)})</span>`
      : "";
  const rf = data.rollforward;
  const items: [string, string][] = [
    [t.program, `${idText(data.programId)}${version}`],
    [
      t.currency,
      ctx.cur === data.currency
        ? `<bdi>${escapeHtml(data.currency)}</bdi>`
        : `${escapeHtml(ctx.cur)} (<bdi>${escapeHtml(data.currency)}</bdi>)`,
    ],
    [t.calendar, escapeHtml(data.calendar === "jalali" ? t.calendars.jalali : t.calendars.gregorian)],
    [t.asOf, ctx.date(data.asOf)],
    [
      t.period,
      `${periodText(ctx, rf.from, rf.to)}<br><span class="note" data-window="period">${monthsText(ctx)}</span>`,
    ],
    [t.generatedAt, ctx.date(data.generatedAt)],
  ];
  const meta = items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${v}</dd></div>`).join("");
  const titles = [
    t.summary,
    t.rollforward.title,
    t.liability.title,
    t.monthly.title,
    t.tiers.title,
    t.rfm.title,
    t.concentration.title,
    t.audit.title,
  ];
  const entries = SECTION_IDS.map((id, i): [string, string] => [id, titles[i] ?? id]);
  if (club) entries.splice(entries.length - 1, 0, [CLUB_SECTION_ID, t.club.title]);
  const toc = entries.map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title)}</a></li>`).join("");
  return `<header class="report-header">
<p class="eyebrow">${escapeHtml(t.title)}</p>
<h1><bdi>${escapeHtml(data.programId)}</bdi></h1>
<dl class="meta">${meta}</dl>
<nav class="toc" aria-label="${escapeHtml(t.contents)}"><ol>${toc}</ol></nav>
</header>`;
}
