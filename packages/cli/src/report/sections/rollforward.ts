/** Section 1: the points roll-forward of the period (spec 6), as a waterfall and a table. */
import { type WaterfallStep, waterfallChart } from "../charts/index.js";
import { escapeHtml, formatCompact, formatInteger } from "../format.js";
import type { RollforwardKey } from "../i18n.js";
import type { ReportData } from "../types.js";
import { COLORS, type Ctx, periodText, section, windowCaption } from "./shared.js";

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

export function rollforwardSection(ctx: Ctx): string {
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
<figure>${chart}${windowCaption(ctx, "period")}</figure>
<table class="rollforward narrow"><thead><tr><th>${escapeHtml(t.rollforward.line)}</th><th></th><th class="n">${escapeHtml(t.rollforward.points)}</th></tr></thead><tbody>${rows}</tbody></table>
${check}`;
  return section(ctx, "rollforward", 1, t.rollforward.title, body);
}
