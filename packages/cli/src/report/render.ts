/**
 * The HTML report of `vafa report`: one self-contained file (inline CSS and SVG, no scripts,
 * no fonts or images to fetch) that an auditor can mail or print. Pure: same input, same bytes.
 */
import { concentration } from "./concentration.js";
import {
  escapeHtml,
  formatCompact,
  formatInstant,
  formatInteger,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  isoInstant,
  toPersianDigits,
} from "./format.js";
import { LABELS, type Labels, type RollforwardKey } from "./i18n.js";
import { REPORT_CSS } from "./style.js";
import { barChart, curveChart, groupedBarChart, heatMap, type WaterfallStep, waterfallChart } from "./svg.js";
import {
  LIABILITY_BUCKETS,
  type ReportData,
  type ReportLang,
  type ReportOptions,
  RFM_SEGMENTS,
  type RfmSegment,
} from "./types.js";

/** Segment of each (r, f) cell, spec 6: SEGMENT_GRID[r - 1][f - 1]. */
export const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
  ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
  ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
  ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
];

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

const COLORS = {
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

interface Ctx {
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
  const sections = [
    summarySection(ctx),
    rollforwardSection(ctx),
    liabilitySection(ctx),
    monthlySection(ctx),
    tiersSection(ctx),
    rfmSection(ctx),
    concentrationSection(ctx),
    auditSection(ctx, maxFindings),
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
${header(ctx)}
${sections.join("\n")}
<footer>${escapeHtml(ctx.t.footer)}</footer>
</main>
</body>
</html>
`;
}

function timeTag(iso: string, lang: ReportLang, data: ReportData): string {
  const value = String(iso);
  return `<time datetime="${escapeHtml(isoInstant(value))}">${escapeHtml(formatInstant(value, lang, data.calendar))}</time>`;
}

/** Section numbers in the reader's digits. */
function sectionNumber(ctx: Ctx, n: number): string {
  return ctx.lang === "fa" ? toPersianDigits(String(n)) : String(n);
}

function section(ctx: Ctx, id: string, n: number | null, title: string, body: string): string {
  const badge = n === null ? "" : `<span class="num-badge">${sectionNumber(ctx, n)}</span>`;
  return `<section id="${id}" class="report-section" data-section="${id}">
<h2>${badge}<span>${escapeHtml(title)}</span></h2>
${body}
</section>`;
}

function periodText(ctx: Ctx, from: string, to: string): string {
  return `${ctx.date(from)} – ${ctx.date(to)} <span class="note">(${escapeHtml(ctx.t.periodEndExclusive)})</span>`;
}

/** An id shown as typed: isolated from the surrounding direction, never digit-converted. */
function idText(id: string | null | undefined): string {
  return `<bdi class="id">${escapeHtml(String(id ?? ""))}</bdi>`;
}

function header(ctx: Ctx): string {
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
    [t.period, periodText(ctx, rf.from, rf.to)],
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
  const toc = SECTION_IDS.map((id, i) => `<li><a href="#${id}">${escapeHtml(titles[i] ?? id)}</a></li>`).join(
    "",
  );
  return `<header class="report-header">
<p class="eyebrow">${escapeHtml(t.title)}</p>
<h1><bdi>${escapeHtml(data.programId)}</bdi></h1>
<dl class="meta">${meta}</dl>
<nav class="toc" aria-label="${escapeHtml(t.contents)}"><ol>${toc}</ol></nav>
</header>`;
}

function kpiCard(label: string, value: string, unit = ""): string {
  const u = unit ? ` <bdi class="unit">${escapeHtml(unit)}</bdi>` : "";
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value"><bdi>${value}</bdi>${u}</div></div>`;
}

function summarySection(ctx: Ctx): string {
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

const ROLLFORWARD_LINES: [RollforwardKey, "total" | "up" | "down"][] = [
  ["opening", "total"],
  ["earned", "up"],
  ["redeemed", "down"],
  ["reversed", "up"],
  ["expired", "down"],
  ["clawedBack", "down"],
  ["debited", "down"],
  ["closing", "total"],
];

/** Exact check of spec 6's identity in BigInt; null when a value is not a safe integer. */
function rollforwardDifference(data: ReportData): bigint | null {
  const rf = data.rollforward;
  const values = ROLLFORWARD_LINES.map(([key]) => rf[key]);
  if (!values.every((v) => Number.isSafeInteger(v))) return null;
  const b = (v: number) => BigInt(v);
  const computed =
    b(rf.opening) +
    b(rf.earned) -
    b(rf.redeemed) +
    b(rf.reversed) -
    b(rf.expired) -
    b(rf.clawedBack) -
    b(rf.debited);
  return computed - b(rf.closing);
}

function signed(ctx: Ctx, kind: "total" | "up" | "down", v: number): string {
  if (kind === "total") return ctx.int(v);
  return `${kind === "up" ? "+" : "−"}${ctx.int(v)}`;
}

function rollforwardSection(ctx: Ctx): string {
  const { t, data } = ctx;
  const rf = data.rollforward;
  const steps: WaterfallStep[] = ROLLFORWARD_LINES.map(([key, kind]) => ({
    label: t.rollforward.lines[key],
    kind,
    value: Number.isFinite(rf[key]) ? rf[key] : 0,
    valueLabel: signed(ctx, kind, rf[key]),
  }));
  const chart = waterfallChart({
    width: 900,
    height: 340,
    rtl: ctx.rtl,
    title: t.rollforward.chart,
    steps,
    tickFormat: (v) => formatCompact(v, ctx.lang),
    colors: { total: COLORS.total, up: COLORS.up, down: COLORS.down },
  });
  const rows = ROLLFORWARD_LINES.map(([key, kind]) => {
    const cls = kind === "total" ? (key === "closing" ? ' class="total"' : ' class="subtotal"') : "";
    const sign = kind === "total" ? "" : kind === "up" ? "+" : "−";
    return `<tr${cls} data-line="${key}"><td>${escapeHtml(t.rollforward.lines[key])}</td><td class="sign">${sign}</td><td class="n">${escapeHtml(ctx.int(rf[key]))}</td></tr>`;
  }).join("");
  const diff = rollforwardDifference(data);
  const check =
    diff === 0n
      ? `<p class="check ok" data-check="ok">✓ ${escapeHtml(t.rollforward.reconciles)}</p>`
      : `<p class="check bad" data-check="bad">✗ ${escapeHtml(t.rollforward.doesNotReconcile)}${
          diff === null ? "" : ` (${escapeHtml(formatInteger(Number(diff), ctx.lang))})`
        }</p>`;
  const body = `<p class="intro">${escapeHtml(t.rollforward.intro)} ${escapeHtml(t.period)}: ${periodText(ctx, rf.from, rf.to)}</p>
<figure>${chart}</figure>
<table class="rollforward narrow"><thead><tr><th>${escapeHtml(t.rollforward.line)}</th><th></th><th class="n">${escapeHtml(t.rollforward.points)}</th></tr></thead><tbody>${rows}</tbody></table>
${check}`;
  return section(ctx, "rollforward", 1, t.rollforward.title, body);
}

function shareOf(part: number, total: number): number {
  return total === 0 || !Number.isFinite(total) ? 0 : part / total;
}

function liabilitySection(ctx: Ctx): string {
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
  const body = `<p class="intro">${escapeHtml(t.liability.intro)} ${escapeHtml(t.asOf)}: ${ctx.date(l.asOf)}</p>
<div class="grid-2"><figure>${chart}</figure><div>${table}</div></div>`;
  return section(ctx, "liability", 2, t.liability.title, body);
}

function monthlySection(ctx: Ctx): string {
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
  const body = `<p class="intro">${escapeHtml(t.monthly.intro)} ${escapeHtml(t.calendar)}: ${escapeHtml(calendar === "jalali" ? t.calendars.jalali : t.calendars.gregorian)}.</p>
<figure>${chart}</figure>
<table class="monthly narrow"><thead><tr><th>${escapeHtml(t.monthly.month)}</th><th class="n">${escapeHtml(t.monthly.earned)}</th><th class="n">${escapeHtml(t.monthly.redeemed)}</th><th class="n">${escapeHtml(t.monthly.expired)}</th></tr></thead><tbody>${rows}</tbody></table>`;
  return section(ctx, "monthly", 3, t.monthly.title, body);
}

function tiersSection(ctx: Ctx): string {
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
  const body = `<p class="intro">${escapeHtml(t.tiers.intro)} ${escapeHtml(t.asOf)}: ${ctx.date(data.asOf)}</p>
<div class="grid-2"><figure>${chart}</figure><div><table class="tiers"><thead><tr><th>${escapeHtml(t.tiers.tier)}</th><th class="n">${escapeHtml(t.tiers.members)}</th><th class="n">${escapeHtml(t.tiers.share)}</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
  return section(ctx, "tiers", 4, t.tiers.title, body);
}

function segmentName(ctx: Ctx, segment: string): string {
  return (RFM_SEGMENTS as readonly string[]).includes(segment)
    ? ctx.t.rfm.segments[segment as RfmSegment]
    : segment;
}

function rfmSection(ctx: Ctx): string {
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
      const segment = SEGMENT_GRID[r - 1]?.[f - 1] ?? "hibernating";
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
  const body = `<p class="intro">${escapeHtml(t.rfm.intro)} ${escapeHtml(t.asOf)}: ${ctx.date(data.asOf)}</p>
${empty}<div class="grid-2"><figure>${chart}</figure><div><table class="segments"><thead><tr><th>${escapeHtml(t.rfm.segment)}</th><th class="n">${escapeHtml(t.rfm.members)}</th><th class="n">${escapeHtml(t.tiers.share)}</th></tr></thead><tbody>${segmentRows}</tbody></table></div></div>`;
  return section(ctx, "rfm", 5, t.rfm.title, body);
}

function concentrationSection(ctx: Ctx, topBalances = 10): string {
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
  const windowNote =
    typeof data.rfmWindowDays === "number"
      ? ` (${escapeHtml(t.concentration.window(ctx.int(data.rfmWindowDays)))})`
      : "";
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
  const body = `<p class="intro">${escapeHtml(cc.intro)} ${escapeHtml(t.asOf)}: ${ctx.date(data.asOf)}${windowNote}</p>
${lead}
<div class="grid-2"><figure>${chart}</figure><div>
<table class="kv"><tbody><tr><td>${escapeHtml(cc.periodShare)}</td><td class="n">${escapeHtml(ctx.pct(data.kpis.top20RevenueShare))}</td></tr>
<tr><td>${escapeHtml(t.kpi.revenue)} (${escapeHtml(ctx.cur)})</td><td class="n">${escapeHtml(ctx.money(c.total))}</td></tr></tbody></table>
</div></div>
<h3>${escapeHtml(cc.largestBalances)}</h3>
<table class="balances narrow"><thead><tr><th>${escapeHtml(cc.member)}</th><th>${escapeHtml(cc.tier)}</th><th class="n">${escapeHtml(cc.available)}</th><th class="n">${escapeHtml(cc.pending)}</th><th class="n">${escapeHtml(cc.debt)}</th><th class="n">${escapeHtml(cc.net)}</th></tr></thead><tbody>${balanceRows}</tbody></table>`;
  return section(ctx, "concentration", 6, cc.title, body);
}

function auditSection(ctx: Ctx, maxFindings: number): string {
  const { t, data } = ctx;
  const audit = data.audit;
  const findings = audit.findings ?? [];
  const ok = audit.ok === true && findings.length === 0;
  const badge = `<p class="badge ${ok ? "ok" : "bad"}" data-audit="${ok ? "ok" : "findings"}">${ok ? "✓" : "✗"} ${escapeHtml(ok ? t.audit.ok : t.audit.notOk)}</p>`;
  const stats = `<div class="stats"><div><b>${escapeHtml(ctx.int(audit.streams))}</b>${escapeHtml(t.audit.streams)}</div><div><b>${escapeHtml(ctx.int(audit.events))}</b>${escapeHtml(t.audit.events)}</div><div><b>${escapeHtml(ctx.int(findings.length))}</b>${escapeHtml(t.audit.findings)}</div></div>`;
  let details = "";
  if (findings.length > 0) {
    const byCode = new Map<string, number>();
    for (const f of findings) byCode.set(String(f.code), (byCode.get(String(f.code)) ?? 0) + 1);
    const chips = [...byCode]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(
        ([code, n]) =>
          `<span class="chip"><code>${escapeHtml(code)}</code> × ${escapeHtml(ctx.int(n))}</span>`,
      )
      .join("");
    const shown = findings.slice(0, maxFindings);
    const rows = shown
      .map(
        (f) =>
          `<tr class="finding"><td>${f.streamId === null || f.streamId === undefined ? escapeHtml(t.audit.noStream) : `<code dir="ltr">${escapeHtml(String(f.streamId))}</code>`}</td><td class="n">${typeof f.revision === "number" ? escapeHtml(ctx.int(f.revision)) : "—"}</td><td><code dir="ltr">${escapeHtml(String(f.eventId ?? "—"))}</code></td><td><code>${escapeHtml(String(f.code))}</code></td><td><bdi dir="auto">${escapeHtml(String(f.message))}</bdi></td></tr>`,
      )
      .join("");
    const more =
      findings.length > shown.length
        ? `<p class="note" data-findings-truncated="true">${escapeHtml(t.audit.shown(ctx.int(shown.length), ctx.int(findings.length)))}</p>`
        : "";
    details = `<div class="chips">${chips}</div>
<table class="findings"><thead><tr><th>${escapeHtml(t.audit.stream)}</th><th class="n">${escapeHtml(t.audit.revision)}</th><th>${escapeHtml(t.audit.eventId)}</th><th>${escapeHtml(t.audit.code)}</th><th>${escapeHtml(t.audit.message)}</th></tr></thead><tbody>${rows}</tbody></table>
${more}`;
  }
  return section(ctx, "audit", 7, t.audit.title, `${badge}${stats}${details}`);
}
