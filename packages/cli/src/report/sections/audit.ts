import { escapeHtml } from "../format.js";
import { type Ctx, section, windowText } from "./shared.js";

/** `n`: 7, or 8 after the rewards & draws section. */
export function auditSection(ctx: Ctx, maxFindings: number, n = 7): string {
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
  const scope = `<p class="intro" data-window="all-events">${windowText(ctx, "all-events")}</p>`;
  return section(ctx, "audit", n, t.audit.title, `${scope}${badge}${stats}${details}`);
}
