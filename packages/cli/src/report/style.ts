/** Inline stylesheet of the report: system fonts only (no downloads), screen and print. */
export const REPORT_CSS = `
:root {
  --ink: #0f172a; --ink-2: #334155; --muted: #64748b; --line: #e2e8f0; --line-2: #cbd5e1;
  --panel: #f8fafc; --accent: #1d4ed8; --good: #047857; --good-bg: #ecfdf5; --bad: #b91c1c; --bad-bg: #fef2f2;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: #eef2f6; color: var(--ink);
  font: 14px/1.5 "Inter", "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
html[lang="fa"] body {
  font-family: "Vazirmatn", "Vazir", "Sahel", "IRANSans", Tahoma, "Segoe UI", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", sans-serif;
  line-height: 1.7;
}
.page { max-width: 1000px; margin: 24px auto; background: #fff; padding: 40px 48px 32px; border-radius: 10px;
  box-shadow: 0 1px 3px rgba(15, 23, 42, .08), 0 8px 24px rgba(15, 23, 42, .06); }
header.report-header { border-bottom: 3px solid var(--ink); padding-bottom: 18px; margin-bottom: 8px; }
.eyebrow { color: var(--accent); font-weight: 600; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; margin: 0 0 4px; }
html[lang="fa"] .eyebrow { letter-spacing: 0; font-size: 13px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 14px; font-weight: 700; letter-spacing: -.01em; }
.meta { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px 28px; margin: 0; }
.meta div { min-width: 0; }
.meta dt { color: var(--muted); font-size: 12px; }
.meta dd { margin: 0; font-weight: 500; overflow-wrap: break-word; }
nav.toc { margin: 14px 0 0; font-size: 13px; color: var(--muted); }
nav.toc ol { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0 0; padding: 0; list-style: none; }
nav.toc a { color: var(--ink-2); text-decoration: none; border-bottom: 1px dotted var(--line-2); }
section.report-section { margin-top: 34px; }
h2 { font-size: 19px; margin: 0 0 4px; font-weight: 650; display: flex; gap: 10px; align-items: baseline; }
h2 .num-badge { color: var(--accent); font-weight: 700; }
h3 { font-size: 14px; margin: 20px 0 6px; color: var(--ink-2); }
.intro { color: var(--muted); margin: 0 0 14px; font-size: 13px; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); min-width: 0; }
.kpi .label { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 20px; font-weight: 650; overflow-wrap: anywhere; }
.kpi .unit { color: var(--muted); font-size: 12px; font-weight: 500; }
figure { margin: 0 0 14px; }
figure svg.chart { display: block; width: 100%; height: auto; }
figure.narrow svg.chart { max-width: 640px; margin-inline: auto; }
figcaption { color: var(--muted); font-size: 12px; text-align: center; margin-top: 2px; }
.grid-2 { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 24px; align-items: start; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
table.narrow { max-width: 720px; }
table.rollforward, .check { max-width: 560px; }
caption { text-align: start; color: var(--muted); font-size: 12px; padding-bottom: 4px; }
th { text-align: start; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1.5px solid var(--line-2); padding: 6px 10px; }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th.n, td.n { text-align: end; white-space: nowrap; }
tr.total td { font-weight: 650; border-top: 1.5px solid var(--ink-2); border-bottom: none; }
tr.subtotal td { font-weight: 600; background: var(--panel); }
td.sign { color: var(--muted); width: 2em; text-align: center; }
code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: break-word; }
.check { margin-top: 10px; font-size: 12.5px; padding: 8px 12px; border-radius: 6px; }
.check.ok, .badge.ok { background: var(--good-bg); color: var(--good); border: 1px solid #a7f3d0; }
.check.bad, .badge.bad { background: var(--bad-bg); color: var(--bad); border: 1px solid #fecaca; }
.badge { display: inline-block; font-weight: 650; padding: 8px 14px; border-radius: 8px; font-size: 15px; }
.stats { display: flex; gap: 28px; margin: 12px 0; color: var(--ink-2); }
.stats b { font-size: 18px; display: block; color: var(--ink); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 12px; }
.chip { background: var(--bad-bg); color: var(--bad); border-radius: 999px; padding: 2px 10px; font-size: 12px; }
.note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
.window { color: var(--muted); font-size: 12px; margin: 8px 0 6px; }
figcaption.window { margin: 4px 0 0; }
.lead { font-size: 15px; margin: 4px 0 12px; }
.lead strong { color: var(--accent); }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
/* SVG chart parts */
svg.chart { direction: ltr; font-family: inherit; }
svg.chart text { fill: var(--ink-2); font-size: 11.5px; }
svg.chart .tick { fill: var(--muted); font-size: 11px; }
svg.chart .value { fill: var(--ink); font-size: 11px; font-weight: 600; }
svg.chart .legend { fill: var(--ink-2); font-size: 12px; }
svg.chart .axis-title { fill: var(--muted); font-size: 11.5px; }
svg.chart .grid { stroke: #edf1f5; stroke-width: 1; }
svg.chart .axis-zero { stroke: #94a3b8; stroke-width: 1; }
svg.chart .connector { stroke: #94a3b8; stroke-width: 1; stroke-dasharray: 3 3; }
svg.chart .equality { stroke: #94a3b8; stroke-width: 1.2; stroke-dasharray: 5 4; }
svg.chart .curve { stroke: var(--accent); stroke-width: 2.5; fill: none; stroke-linejoin: round; }
svg.chart .curve-area { fill: rgba(29, 78, 216, .08); stroke: none; }
svg.chart .curve-point { fill: #fff; stroke: var(--accent); stroke-width: 2; }
svg.chart .marker { fill: #dc2626; stroke: #fff; stroke-width: 2; }
svg.chart .marker-line { stroke: #dc2626; stroke-width: 1.2; stroke-dasharray: 4 3; }
svg.chart .marker-label { fill: #b91c1c; font-weight: 650; font-size: 12.5px; }
svg.chart .cell-count { font-size: 18px; font-weight: 700; }
svg.chart .cell-name { font-size: 10.5px; }
svg.chart .cell-ink { fill: var(--ink-2); }
svg.chart .cell-ink-light { fill: #fff; }
@media (max-width: 760px) {
  .page { padding: 20px; margin: 0; border-radius: 0; }
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .meta, .grid-2 { grid-template-columns: 1fr; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 11.5px; }
  .page { box-shadow: none; margin: 0; padding: 0; max-width: none; border-radius: 0; }
  nav.toc { display: none; }
  section.report-section { margin-top: 22px; }
  h2, h3 { break-after: avoid-page; }
  figure, .kpis, .grid-2, .check, .badge, .intro { break-inside: avoid-page; }
  .intro { break-after: avoid-page; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
