import { escapeHtml, formatInteger, formatMoney, formatPercent } from "./format.js";
import { LABELS } from "./i18n.js";
import { auditSection } from "./sections/audit.js";
import { CLUB_SECTION_NUMBER, clubSection } from "./sections/club.js";
import { concentrationSection } from "./sections/concentration.js";
import { header } from "./sections/header.js";
import { liabilitySection } from "./sections/liability.js";
import { monthlySection } from "./sections/monthly.js";
import { rfmSection } from "./sections/rfm.js";
import { rollforwardSection } from "./sections/rollforward.js";
import { type Ctx, currencyLabel, timeTag } from "./sections/shared.js";
import { summarySection } from "./sections/summary.js";
import { tiersSection } from "./sections/tiers.js";
import { REPORT_CSS } from "./style.js";
import type { ReportData, ReportLang, ReportOptions } from "./types.js";

export { SECTION_IDS } from "./sections/shared.js";

/** Renders the whole report. Never throws on odd values: they are shown as given, escaped. */
export function renderReport(data: ReportData, options: ReportOptions): string {
  const lang: ReportLang = options.lang === "fa" ? "fa" : "en";
  const ctx: Ctx = {
    lang,
    cur: currencyLabel(String(data.currency), lang),
    t: LABELS[lang],
    data,
    rtl: lang === "fa",
    int: (v) => formatInteger(v, lang),
    money: (v) => formatMoney(String(v), data.currency, lang),
    pct: (v) => formatPercent(v, lang),
    date: (iso) => timeTag(iso, lang, data),
  };
  const maxFindings = Math.max(0, Math.floor(options.maxFindings ?? 50));
  // Rewards & draws only when the program has any (club-v1 §2, §3); the audit then moves to 8.
  const club = clubSection(ctx);
  const sections = [
    summarySection(ctx),
    rollforwardSection(ctx),
    liabilitySection(ctx),
    monthlySection(ctx),
    tiersSection(ctx),
    rfmSection(ctx),
    concentrationSection(ctx),
    ...(club === null ? [] : [club]),
    auditSection(ctx, maxFindings, club === null ? CLUB_SECTION_NUMBER : CLUB_SECTION_NUMBER + 1),
  ];
  const title = `${ctx.t.title} — ${data.programId}`;
  return `<!doctype html>
<html lang="${lang}" dir="${ctx.rtl ? "rtl" : "ltr"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="vafa report">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main class="page">
${header(ctx, club !== null)}
${sections.join("\n")}
<footer>${escapeHtml(ctx.t.footer)}</footer>
</main>
</body>
</html>
`;
}
